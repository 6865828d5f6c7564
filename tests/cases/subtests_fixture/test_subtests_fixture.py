"""The subtests fixture of pytest 9: each subtest reported on its own with its own output,
and a test with failed subtests fails."""
import pytest


def test_loop(subtests):
    for i in range(4):
        with subtests.test(msg="check", i=i):
            print("output of", i)
            assert i % 2 == 0


def test_all_pass(subtests):
    with subtests.test():
        pass
    with subtests.test("named"):
        pass


def test_skip_and_xfail(subtests):
    with subtests.test(k=1):
        pytest.skip("skip one")
    with subtests.test(k=2):
        pytest.xfail("xfail two")
    with subtests.test(k=3):
        pass


def test_fails_after(subtests):
    with subtests.test(n=1):
        assert False, "inner"
    assert 0, "outer"


def test_plain():
    pass


def test_output_outside_subtests(subtests):
    print("before")
    with subtests.test("inner"):
        print("inside")
    print("after")
    assert False
