import logging

import pytest

log = logging.getLogger("app")
quiet = logging.getLogger("app.quiet")
isolated = logging.getLogger("isolated")
isolated.propagate = False


@pytest.fixture
def logged():
    log.warning("setting up")
    log.info("info in setup")
    yield
    log.error("tearing down")


def test_fails_with_logs_in_every_phase(logged):
    log.warning("in the call")
    log.debug("debug in the call")
    isolated.warning("from a logger that does not propagate")
    print("printed too")
    assert False


def test_passes_with_logs(logged):
    log.critical("multi\nline")


def test_caplog_sees_what_the_report_shows(caplog):
    quiet.warning("seen by both")
    assert caplog.messages == ["seen by both"]
    assert "seen by both" in caplog.text


def test_module_level_functions_do_not_configure_logging():
    logging.warning("through the root logger")
    assert logging.getLogger().handlers
    assert not any(type(h) is logging.StreamHandler for h in logging.getLogger().handlers)


@pytest.fixture
def breaks_at_teardown():
    yield
    log.warning("about to fail")
    raise RuntimeError("teardown failed")


def test_error_at_teardown_shows_every_phase(logged, breaks_at_teardown):
    log.warning("call went fine")
