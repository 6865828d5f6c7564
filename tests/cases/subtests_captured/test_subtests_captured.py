"""Subtests meet the capture methods and the logging plugin: a subtest's report carries the
sections of the phases before it (pytest's item._report_sections) and its own output and
logs; unittest subtests' words land in the call's captured stdout, which the teardown report
carries too; warnings raised in subtests count for their test."""
import logging
import sys
import unittest
import warnings

import pytest

log = logging.getLogger("subtests")


@pytest.fixture
def noisy():
    print("setup says hi")
    log.warning("setup log")
    yield
    print("teardown says bye")


def test_subtests_see_the_setup(noisy, subtests):
    with subtests.test("one"):
        print("in one")
        log.warning("log in one")
        sys.stderr.write("err in one\n")
        assert False, "one fails"
    with subtests.test("two"):
        log.info("info two")
        print("in two")
    print("call after")
    log.warning("call log")
    warnings.warn("careful", UserWarning)


@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown breaks")


@pytest.mark.usefixtures("broken_teardown")
class TestUnittest(unittest.TestCase):
    def test_subtests_then_teardown_error(self):
        print("start")
        for i in range(3):
            with self.subTest(i=i):
                print("line", i)
                self.assertEqual(i % 2, 0)
        print("end")


def test_warning_in_subtest(subtests):
    with subtests.test("w"):
        warnings.warn("in subtest", DeprecationWarning)
