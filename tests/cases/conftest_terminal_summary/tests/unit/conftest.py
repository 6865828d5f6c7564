import pytest


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_sep("-", "collected late")
    terminalreporter.write_line("warnings: %d" % len(terminalreporter.stats.get("warnings", [])))


