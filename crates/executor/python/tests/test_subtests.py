"""Subtests as pytest 9 reports them (expected values taken from pytest 9.2 on the same sources)."""
import sys

import pytest
from ferrotest_runtime import subtests
from ferrotest_runtime.capture import global_capture
from test_runtime import _run_all, project  # noqa: F401  (project is a fixture)


def test_description_is_message_then_saferepr_arguments():
    assert subtests.description(None, {}) == "(<subtest>)"
    assert subtests.description("check", {}) == "[check]"
    assert subtests.description("check", {"i": 1, "s": "x"}) == "[check] (i=1, s='x')"
    assert subtests.description(None, {"k": None}) == "(k=None)"


def test_failed_message_counts_the_subtests():
    assert subtests.failed_message(1) == "contains 1 failed subtest"
    assert subtests.failed_message(2) == "contains 2 failed subtests"


@pytest.mark.parametrize("method", ["fd", "sys"])
def test_cut_takes_a_subtests_output_out_of_the_phases(method):
    capture = global_capture(method)
    capture.start()
    try:
        print("setup")
        capture.read()
        print("before")
        since = capture.mark()
        print("inside")
        sys.stderr.write("err\n")
        cut = capture.cut(since)
        print("after")
        read = capture.read()
    finally:
        capture.stop()
    # A mark counts from the last read (the setup's output is gone).
    assert since == (len("before\n"), 0)
    assert cut == ("inside\n", "err\n")
    assert read == ("before\nafter\n", "")


def test_unittest_subtests_are_reported_before_the_call_which_ignores_them(project, tmp_path):
    project("test_ut.py", """\
        import unittest

        class T(unittest.TestCase):
            def test_it(self):
                for i in range(3):
                    with self.subTest("odd", i=i):
                        print("line", i)
                        self.assertEqual(i % 2, 0)
                with self.subTest(k=1):
                    self.skipTest("no")
        """)
    reports = _run_all(tmp_path, "test_ut.py")["test_ut.py::T::test_it"]
    phases = [(r[0], r[1], r[9] and r[9][0]) for r in reports]
    assert phases == [
        ("setup", "passed", None),
        ("call", "passed", "[odd] (i=0)"),
        ("call", "failed", "[odd] (i=1)"),
        ("call", "passed", "[odd] (i=2)"),
        ("call", "skipped", "(k=1)"),
        ("call", "passed", None),
        ("teardown", "passed", None),
    ]
    # Where the call's captured stdout stood when each subtest was reported.
    assert [r[9][1] for r in reports[1:5]] == [7, 14, 21, 21]
    assert reports[4][2] == ("skip", "test_ut.py", 4, "no")
    assert "AssertionError: 1 != 0" in reports[2][2][1]
