import pytest

pytest_plugins = ["summary_plugin"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = terminalreporter.stats
    terminalreporter.write_sep("=", "team summary", bold=True)
    for category in ("passed", "failed", "skipped", "error", "xfailed", "xpassed"):
        terminalreporter.write_line("%s: %d" % (category, len(stats.get(category, []))))
    terminalreporter.write("exitstatus=%d " % exitstatus)
    terminalreporter.line("width=%d" % terminalreporter._tw.fullwidth)
    failed = stats.get("failed", [])
    for report in failed:
        terminalreporter.write_line("%s %s %s" % (report.nodeid, report.when, report.outcome), red=True)
    terminalreporter.section("details", sep="-")
    print("printed by the conftest")


