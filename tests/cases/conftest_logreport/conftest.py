import os


def pytest_runtest_logreport(report):
    line = [report.nodeid, report.when, report.outcome, str(report.passed), str(report.failed), str(report.skipped)]
    if report.skipped and isinstance(report.longrepr, tuple):
        line.append(report.longrepr[2])
    if hasattr(report, "wasxfail"):
        line.append("wasxfail=" + report.wasxfail)
    line.append(",".join(name for name, _ in report.sections))
    with open(os.path.join(os.path.dirname(__file__), "reports.log"), "a") as log:
        log.write(" | ".join(line) + "\n")
