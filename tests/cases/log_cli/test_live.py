import logging

import pytest

log = logging.getLogger("app")
log.info("importing the test module")


@pytest.fixture
def logged():
    log.info("setting up")
    yield
    log.info("tearing down")


def test_logs_in_every_phase(logged):
    log.warning("in the call")
    print("printed in the call")


def test_silent():
    pass


def test_fails_after_logging(logged):
    log.debug("below the live level")
    log.error("about to fail")
    assert False


def test_logs_only_in_teardown(request):
    request.addfinalizer(lambda: log.info("finalizer"))
