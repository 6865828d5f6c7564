import pytest


def _log(line):
    with open("makereport_log.txt", "a") as log:
        log.write(line + "\n")


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # The pytest docs' idiom: make each phase's report available to fixtures.
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
    excinfo = call.excinfo.typename if call.excinfo is not None else None
    _log("%s %s %s %s %s %s" % (item.nodeid, call.when, report.when, report.outcome, excinfo,
                                getattr(report, "wasxfail", "-")))


@pytest.fixture
def result_aware(request):
    yield
    # Runs in teardown: the call's report is there.
    _log("teardown sees %s call %s" % (request.node.nodeid, request.node.rep_call.outcome))


@pytest.fixture
def broken():
    raise RuntimeError("setup breaks")
