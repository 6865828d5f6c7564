import logging

import pytest

log = logging.getLogger("app")
log.debug("importing the test module")


@pytest.fixture
def logged():
    log.info("setting up")
    yield
    log.info("tearing down")


def test_logs_at_every_level(logged):
    log.debug("debug")
    log.info("info")
    log.warning("warning")


def test_fails(logged):
    log.error("about to fail")
    assert False
