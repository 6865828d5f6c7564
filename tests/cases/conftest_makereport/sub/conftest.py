import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # A new-style wrapper that changes the outcome: known flaky failures become skips.
    report = yield
    if report.when == "call" and report.failed and item.get_closest_marker("known_flaky"):
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] + 1, "Skipped: known flaky")
    return report
