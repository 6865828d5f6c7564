import types

import pluggy
import pytest
from _pytest.reports import CollectReport, TestReport

from ferrotest_runtime import config as config_module
from ferrotest_runtime import hooks, terminalsummary

hookimpl = pluggy.HookimplMarker("pytest")


@pytest.fixture
def registered(monkeypatch):
    """Plugins for ``hooks`` alone: ``register(module)`` adds one."""
    monkeypatch.setattr(hooks, "_PLUGINS", [])
    monkeypatch.setattr(config_module, "CONFIG", config_module.Config())
    return lambda module: hooks._PLUGINS.append((None, module))


def summary_plugin(name, **opts):
    @hookimpl(**opts)
    def pytest_terminal_summary(terminalreporter):
        terminalreporter.calls.append(name)

    return types.SimpleNamespace(pytest_terminal_summary=pytest_terminal_summary, __name__=name)


def test_parts_split_where_pluggy_calls_pytests_own_implementations(registered, monkeypatch):
    """pytest's builtin plugins register first, its terminal reporter and junitxml plugin
    once every other ``pytest_configure`` ran: ferrotest's parts fall around them as
    pluggy orders the lot."""
    early = [summary_plugin("a"), summary_plugin("b", trylast=True), summary_plugin("c", tryfirst=True)]
    late = [summary_plugin("d"), summary_plugin("e", trylast=True), summary_plugin("f")]
    spec = types.SimpleNamespace(
        pytest_terminal_summary=pluggy.HookspecMarker("pytest")(lambda terminalreporter: None))
    reference = pluggy.PluginManager("pytest")
    reference.add_hookspecs(spec)
    for plugin in [summary_plugin("builtin")] + early + [summary_plugin("terminal")] + late:
        reference.register(plugin)
    reporter = types.SimpleNamespace(calls=[])
    reference.hook.pytest_terminal_summary(terminalreporter=reporter)

    for plugin in early:
        registered(plugin)
    monkeypatch.setattr(hooks, "_CONFIGURED_PLUGINS", len(early))
    for plugin in late:
        registered(plugin)
    first, middle, last = hooks.implementations_around_pytest("pytest_terminal_summary")
    ours = types.SimpleNamespace(calls=[])
    for function in first + [lambda terminalreporter: ours.calls.append("terminal")] + middle + [
            lambda terminalreporter: ours.calls.append("builtin")] + last:
        function(terminalreporter=ours)
    assert ours.calls == reporter.calls


def test_writes_are_recorded_by_part_with_the_reporters_newlines(registered, monkeypatch):
    monkeypatch.setattr(config_module, "TERMINAL", (40, False))

    def first(terminalreporter, exitstatus):
        terminalreporter.write("status %d " % exitstatus)
        terminalreporter.write_sep("=", "mine")
        terminalreporter.write_line("line")
        print("printed")
        terminalreporter.line("width %d" % terminalreporter._tw.fullwidth)

    @hookimpl(trylast=True)
    def last(terminalreporter):
        terminalreporter.section("end", sep="-")

    registered(types.SimpleNamespace(pytest_terminal_summary=last))
    registered(types.SimpleNamespace(pytest_terminal_summary=first))
    assert terminalsummary.call(1, None) == (
        ["status 1 ", None, "================= mine =================\n", None, "line\nprinted\nwidth 40\n"],
        [],
        ["----------------- end ------------------\n"],
    )


def test_an_internal_error_gets_no_summary(registered):
    registered(summary_plugin("a"))
    assert terminalsummary.call(3, None) is None


def test_markup_follows_the_terminal(registered, monkeypatch):
    monkeypatch.setattr(config_module, "TERMINAL", (20, True))

    def colourful(terminalreporter):
        terminalreporter.write_line("bad", red=True, bold=True)

    registered(types.SimpleNamespace(pytest_terminal_summary=colourful))
    assert terminalsummary.call(0, None)[0] == [None, "\x1b[31m\x1b[1mbad\x1b[0m\n"]


def test_stats_are_pytests_reports_by_category():
    reports = [
        ("", "t.py::a", ("t.py", 0, "a"), "setup", "passed", None, 0.1, [], [], None),
        ("passed", "t.py::a", ("t.py", 0, "a"), "call", "passed", None, 0.2, [("Captured stdout call", "hi\n")],
         [("key", "value")], None),
        ("failed", "t.py::b", ("t.py", 3, "b"), "call", "failed", ("failure", "E   assert 0", "assert 0"), 0.0, [],
         [], None),
        ("xfailed", "t.py::c", None, "call", "skipped", None, 0.0, [], [], "known"),
        ("skipped", "t.py::d", ("t.py", 9, "d"), "setup", "skipped", ("skip", "t.py", 10, "not today"), 0.0, [], [],
         None),
    ]
    stats = terminalsummary.make_stats(reports, [("bad.py", "E   SyntaxError", [])],
                                       [("mod.py", "mod.py", 2, "Skipped: no")], [("t.py::a", "UserWarning: x")])
    assert sorted(stats) == ["", "error", "failed", "passed", "skipped", "warnings", "xfailed"]
    passed, = stats["passed"]
    assert isinstance(passed, TestReport)
    assert (passed.nodeid, passed.when, passed.duration, passed.capstdout, passed.user_properties) == (
        "t.py::a", "call", 0.2, "hi\n", [("key", "value")])
    assert str(stats["failed"][0].longrepr) == "E   assert 0"
    assert stats["xfailed"][0].wasxfail == "known"
    collect_skip, test_skip = stats["skipped"]
    assert isinstance(collect_skip, CollectReport) and collect_skip.longrepr == ("mod.py", 2, "Skipped: no")
    assert test_skip.longrepr == ("t.py", 10, "Skipped: not today")
    assert stats["error"][0].nodeid == "bad.py" and stats["error"][0].failed
    assert stats["warnings"][0].message == "UserWarning: x"
