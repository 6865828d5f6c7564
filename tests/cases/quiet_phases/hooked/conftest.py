import logging

log = logging.getLogger("hooks")


def pytest_runtest_setup(item):
    print("setup hook for", item.name)
    log.warning("setup hook logs")


def pytest_runtest_teardown(item, nextitem):
    print("teardown hook for", item.name)
