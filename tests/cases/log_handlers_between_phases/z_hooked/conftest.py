import logging


def pytest_runtest_logreport(report):
    # Between phases no phase's handler is on the root logger.
    caught = any(type(handler).__name__ == "LogCaptureHandler" for handler in logging.getLogger().handlers)
    with open("observed.txt", "a") as file:
        file.write("%s %s: a phase's handler between phases: %s\n" % (report.nodeid, report.when, caught))
