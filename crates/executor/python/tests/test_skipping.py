"""skip/skipif/xfail marks and pytest.xfail() through the runner's phases.

Expected outcomes and reasons were taken from pytest 9.2 on the same sources.
"""
import pytest

from ferrotest_runtime import config, skipping
from test_runtime import _run_all, project  # noqa: F401  (project is a fixture)


def _phases(results, nodeid):
    """``{when: (outcome, wasxfail)}`` of one item's reports."""
    return {report[0]: (report[1], report[5]) for report in results[nodeid]}


def test_skip_marks_skip_at_setup_at_the_item_location(project, tmp_path):
    project("test_sm.py", """\
        import sys
        import pytest
        LIMIT = 3

        @pytest.mark.skip
        def test_plain(): pass

        @pytest.mark.skipif("LIMIT == 3 and sys.maxsize > 0")
        def test_string(): pass

        @pytest.mark.skipif(False, reason="no")
        @pytest.mark.skipif(True, reason="second")
        def test_first_true(): pass

        @pytest.mark.skipif("LIMIT > 3")
        def test_runs(): pass
        """)
    results = _run_all(tmp_path, "test_sm.py")
    assert results["test_sm.py::test_plain"][0][1:3] == ("skipped", ("skip", "test_sm.py", 5, "unconditional skip"))
    assert results["test_sm.py::test_string"][0][2][3] == "condition: LIMIT == 3 and sys.maxsize > 0"
    assert results["test_sm.py::test_first_true"][0][2][3] == "second"
    assert [r[1] for r in results["test_sm.py::test_runs"]] == ["passed", "passed", "passed"]


def test_class_and_module_marks_apply(project, tmp_path):
    project("test_cm.py", """\
        import pytest
        pytestmark = pytest.mark.skipif("ON", reason="module")
        ON = False

        @pytest.mark.skip(reason="class")
        class TestC:
            def test_a(self): pass
        """)
    results = _run_all(tmp_path, "test_cm.py")
    assert results["test_cm.py::TestC::test_a"][0][2][3] == "class"


def test_condition_errors_use_pytests_messages(project, tmp_path):
    project("test_ce.py", """\
        import pytest

        @pytest.mark.skipif(True)
        def test_bool(): pass

        @pytest.mark.xfail("nope")
        def test_name(): pass
        """)
    results = _run_all(tmp_path, "test_ce.py")
    setup = results["test_ce.py::test_bool"][0]
    assert setup[1] == "failed"
    assert setup[2][2] == (
        "Failed: Error evaluating 'skipif': you need to specify reason=STRING when using booleans as conditions."
    )
    text = results["test_ce.py::test_name"][0][2][1]
    assert text == (
        "name 'nope' is not defined\n\n"
        "During handling of the above exception, another exception occurred:\n"
        "Error evaluating 'xfail' condition\n    nope\nNameError: name 'nope' is not defined\n"
    )


def test_xfail_outcomes(project, tmp_path):
    project("test_xf.py", """\
        import pytest

        @pytest.mark.xfail(reason="bug")
        def test_fails(): assert False

        @pytest.mark.xfail(reason="fixed")
        def test_passes(): pass

        @pytest.mark.xfail(strict=True, reason="strict")
        def test_strict(): pass

        @pytest.mark.xfail(raises=TypeError)
        def test_other_error(): raise ValueError

        @pytest.mark.xfail(run=False, reason="crash")
        def test_not_run(): raise SystemExit

        def test_imperative(): pytest.xfail("later")
        """)
    results = _run_all(tmp_path, "test_xf.py")
    assert _phases(results, "test_xf.py::test_fails")["call"] == ("skipped", "bug")
    assert _phases(results, "test_xf.py::test_passes")["call"] == ("passed", "fixed")
    strict = results["test_xf.py::test_strict"][1]
    assert strict[1:3] == ("failed", ("failure", "[XPASS(strict)] strict", "[XPASS(strict)] strict"))
    assert strict[5] is None
    assert _phases(results, "test_xf.py::test_other_error")["call"] == ("failed", None)
    assert _phases(results, "test_xf.py::test_not_run") == {
        "setup": ("skipped", "[NOTRUN] crash"), "teardown": ("passed", None)}
    assert _phases(results, "test_xf.py::test_imperative")["call"] == ("skipped", "later")


def test_runxfail_reports_xfail_tests_as_if_unmarked(project, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CONFIG", config.Config(options={"runxfail": True}))
    project("test_rx.py", """\
        import pytest

        @pytest.mark.xfail(reason="bug")
        def test_fails(): assert False

        @pytest.mark.xfail(strict=True, reason="strict")
        def test_passes(): pass

        @pytest.mark.xfail(run=False, reason="crash")
        def test_not_run(): assert False
        """)
    results = _run_all(tmp_path, "test_rx.py")
    assert _phases(results, "test_rx.py::test_fails")["call"] == ("failed", None)
    assert _phases(results, "test_rx.py::test_passes")["call"] == ("passed", None)
    assert _phases(results, "test_rx.py::test_not_run")["call"] == ("failed", None)


def test_setup_errors_of_xfail_tests_are_xfailed(project, tmp_path):
    project("test_se.py", """\
        import pytest
        def setup_module():
            raise RuntimeError("no db")

        @pytest.mark.xfail(reason="needs db")
        def test_a(): pass
        """)
    results = _run_all(tmp_path, "test_se.py")
    assert _phases(results, "test_se.py::test_a")["setup"] == ("skipped", "needs db")


class _FakeItem:
    """An item whose node holds ``marks``, which a test may extend while it runs; like
    marks added through ``node.add_marker``, they make the runner look at the node."""

    nodeid = "test_fake.py::test_fake"
    may_skip = False  # no marks found at collection

    def __init__(self, marks):
        self.marks = marks
        self._node = self
        self._added = marks

    def node(self):
        return self

    def iter_markers(self, name):
        return (mark for mark in self.marks if mark.name == name)


def test_xfail_marks_added_during_the_call_apply():
    item, state = _FakeItem([]), {}
    skipping.setup(item, state)
    skipping.before_call(item, state)
    item.marks.append(pytest.mark.xfail(reason="late").mark)
    skipping.after_call(item, state)
    assert skipping.make_report("call", state, AssertionError(), "failed", None) == ("skipped", None, "late")


@pytest.mark.parametrize(("ini", "expected"), [({}, False), ({"xfail_strict": "true"}, True)])
def test_strict_default_follows_the_ini(monkeypatch, ini, expected):
    monkeypatch.setattr(config, "CONFIG", config.Config(ini=ini))
    assert skipping._strict_default() is expected


def test_wrong_skip_arguments_hint_at_skipif():
    node = _FakeItem([pytest.mark.skip(True, reason="x").mark])
    with pytest.raises(TypeError, match=r"^Skip.__init__\(\) got multiple values for argument 'reason' - maybe"):
        skipping.evaluate_skip_marks(node)
