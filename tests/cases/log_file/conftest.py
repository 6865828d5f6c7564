import logging


def pytest_sessionstart(session):
    logging.getLogger("conftest").info("the session starts")


def pytest_sessionfinish(session):
    logging.getLogger("conftest").info("the session finishes")
