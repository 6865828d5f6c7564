import logging

log = logging.getLogger("conftest")


def pytest_sessionstart(session):
    log.info("the session starts")


def pytest_sessionfinish(session):
    log.warning("the session finishes")
