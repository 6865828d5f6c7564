"""Tests of ferrotest's Python side, run directly (outside the embedding).

The expected texts were taken from pytest 9.2 with ``--assert=plain`` on the same sources.
"""
import os
import sys
import textwrap

import pytest

from ferrotest_runtime import collect, enrich, fixtures, importing, run


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Write modules under a fresh directory and import them; clean sys.modules afterwards."""
    before = set(sys.modules)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))

    def make(name, source):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return path

    yield make
    for name in set(sys.modules) - before:
        del sys.modules[name]


def _import(tmp_path, name):
    return importing.import_module(name[:-3], str(tmp_path / name), str(tmp_path), False, str(tmp_path))


def _run_all(tmp_path, name, capture="fd"):
    """Import and collect ``name``, run every item; returns {nodeid: [reports]}."""
    assert _import(tmp_path, name) is None
    items = collect.collect_module(name[:-3], name, collect.Patterns(["test"], ["Test"]))
    runner = run.Runner(str(tmp_path), str(tmp_path), capture)
    results = {}
    # What collection learns from the imported module (marks); no item here is parametrized.
    enrich.Enrichment(None, False).module(name[:-3], name, [(raw[0], raw[2], raw[1], raw[5]) for raw in items])
    class_paths = sorted({tuple(raw[2][:d]) for raw in items for d in range(1, len(raw[2]) + 1)})
    autouse = fixtures.discover_module(name[:-3], name, [list(path) for path in class_paths])
    planned = [_item(raw, name, tmp_path, autouse) for raw in items]
    for index, (raw, item) in enumerate(zip(items, planned)):
        nxt = planned[index + 1] if index + 1 < len(planned) else None
        results[raw[0]] = [_in_full(report) for report in runner.run_item(item, nxt)]
        if runner.stop:
            results["stop"] = runner.stop
            break
    runner.finish()
    return results


def _in_full(report):
    """A report as the Rust side reads it: a quiet phase's short one in full."""
    if len(report) == 3:
        when, duration, sections = report
        return (when, "passed", None, duration, sections, None, (), (), False, None)
    return report


_WIDTH = {"session": 4, "package": 3, "module": 2, "class": 1, "function": 0}


def _item(raw, name, tmp_path, autouse):
    """A runner item whose plan is the module's xunit fixtures that apply to it, widest
    first; planning real fixtures is the Rust side's job (crates/fixtures)."""
    nodeid, item_name, classes, kind, lineno, argnames, is_async = raw
    class_nodeids = [name + "::" + "::".join(classes[:depth]) for depth in range(1, len(classes) + 1)]
    visible = [d for d in autouse if d[2] in [name] + class_nodeids]
    plan = [(d[0], []) for d in sorted(visible, key=lambda d: -_WIDTH[d[3]])]
    function = run.Function(
        (name[:-3], tuple(classes), item_name, kind, is_async), (str(tmp_path / name), name, lineno), argnames, (),
        class_nodeids,
    )
    return run.Item(function, nodeid, None, fixtures.Plan(plan, [], None))


def test_long_traceback_matches_pytest(project, tmp_path):
    project("test_tb.py", """\
        def g():
            return {}["k"]

        def f():
            return g()

        def test_deep():
            z = f() + 1
        """)
    _, outcome, longrepr = _run_all(tmp_path, "test_tb.py")["test_tb.py::test_deep"][1][:3]
    assert outcome == "failed"
    sep = "_ " * 40
    assert longrepr == ("failure", "\n".join([
        "",
        "    def test_deep():",
        ">       z = f() + 1",
        "            ^^^",
        "",
        "test_tb.py:8: ",
        sep,
        "test_tb.py:5: in f",
        "    return g()",
        "           ^^^",
        sep,
        "",
        "    def g():",
        '>       return {}["k"]',
        "               ^^^^^^^",
        "E       KeyError: 'k'",
        "",
        "test_tb.py:2: KeyError",
    ]), "KeyError: 'k'", "%s:2: KeyError: 'k'" % (tmp_path / "test_tb.py"))


def test_chained_exceptions_show_both_tracebacks(project, tmp_path):
    project("test_chain.py", """\
        def test_chain():
            try:
                {}["a"]
            except KeyError as e:
                raise ValueError("wrapped") from e
        """)
    text = _run_all(tmp_path, "test_chain.py")["test_chain.py::test_chain"][1][2][1]
    assert "E           KeyError: 'a'\n\ntest_chain.py:3: KeyError\n\n" in text
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.endswith("E           ValueError: wrapped\n\ntest_chain.py:5: ValueError")


def test_capture_splits_output_by_phase_and_stream_and_reports_carry_earlier_phases(project, tmp_path):
    project("test_cap.py", """\
        import os
        class TestC:
            def setup_method(self):
                print("in setup")
            def test_a(self):
                print("in call")
                os.write(2, b"fd two\\n")
        """)
    setup, call, teardown = _run_all(tmp_path, "test_cap.py")["test_cap.py::TestC::test_a"]
    setup_sections = [("Captured stdout setup", "in setup\n")]
    assert setup[4] == setup_sections
    # As pytest's item._report_sections: each report has the sections of the phases so far.
    assert call[4] == setup_sections + [("Captured stdout call", "in call\n"), ("Captured stderr call", "fd two\n")]
    assert teardown[4] == call[4]


def test_skip_location_is_the_skip_call(project, tmp_path):
    project("test_sk.py", """\
        import pytest
        def test_s():
            x = 1
            pytest.skip("because")
        """)
    _, call, _ = _run_all(tmp_path, "test_sk.py")["test_sk.py::test_s"]
    assert call[1:3] == ("skipped", ("skip", "test_sk.py", 4, "because"))


def test_module_setup_error_is_reported_for_every_test(project, tmp_path):
    project("test_ms.py", """\
        def setup_module():
            raise RuntimeError("no db")
        def test_a(): pass
        def test_b(): pass
        """)
    results = _run_all(tmp_path, "test_ms.py")
    for nodeid in ("test_ms.py::test_a", "test_ms.py::test_b"):
        setup = results[nodeid][0]
        assert setup[1] == "failed"
        assert setup[2][2] == "RuntimeError: no db"
        assert len(results[nodeid]) == 2  # setup and teardown, no call


def test_keyboard_interrupt_stops_the_run(project, tmp_path):
    project("test_ki.py", """\
        def test_a():
            raise KeyboardInterrupt
        def test_b(): pass
        """)
    results = _run_all(tmp_path, "test_ki.py")
    assert results["stop"][0] == "keyboard"
    assert "test_ki.py::test_b" not in results


def test_import_errors_use_pytests_text(project, tmp_path):
    project("test_bad.py", "import nonexistent_mod_xyz\n")
    kind, text, message = _import(tmp_path, "test_bad.py")
    assert kind == "error" and message == ""
    assert text.startswith("ImportError while importing test module '%s'." % (tmp_path / "test_bad.py"))
    assert text.endswith(
        "test_bad.py:1: in <module>\n    import nonexistent_mod_xyz\n"
        "E   ModuleNotFoundError: No module named 'nonexistent_mod_xyz'"
    )


def test_import_file_mismatch(project, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "test_same.py").write_text("")
    assert importing.import_module("test_same", str(tmp_path / "a" / "test_same.py"), str(tmp_path / "a"), False, str(tmp_path)) is None
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "test_same.py").write_text("")
    kind, text, _ = importing.import_module("test_same", str(tmp_path / "b" / "test_same.py"), str(tmp_path / "b"), False, str(tmp_path))
    assert kind == "error"
    assert text.startswith("import file mismatch:\nimported module 'test_same' has this __file__ attribute:\n")


def test_collect_patterns_accept_globs():
    patterns = collect.Patterns(["check_*", "test"], ["*Suite"])
    assert patterns.function("check_x") and patterns.function("test_y")
    assert not patterns.function("helper")
    assert patterns.cls("MySuite") and not patterns.cls("TestX")


def test_showlocals_lists_each_frames_locals_like_pytest(project, tmp_path, monkeypatch):
    from ferrotest_runtime import config

    monkeypatch.setattr(config, "CONFIG", config.Config(options={"showlocals": True}))
    project("test_loc.py", """\
        def helper(x):
            y = [1, 2]
            assert x == 3

        def test_a():
            value = "abc"
            helper(value)
        """)
    text = _run_all(tmp_path, "test_loc.py")["test_loc.py::test_a"][1][2][1]
    # pytest 9.2 -l on the same source (its rewritten assert message aside).
    assert ">       helper(value)\n\nvalue      = 'abc'\n\ntest_loc.py:7: \n" in text
    assert "\n\nx          = 'abc'\ny          = [1, 2]\n\ntest_loc.py:3: AssertionError" in text
