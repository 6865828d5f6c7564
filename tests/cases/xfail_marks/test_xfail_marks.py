import sys

import pytest

BROKEN = True


@pytest.mark.xfail
def test_xfail_fails():
    assert False


@pytest.mark.xfail(reason="known bug")
def test_xfail_fails_with_reason():
    raise ValueError("boom")


@pytest.mark.xfail(reason="fixed meanwhile")
def test_xpass():
    pass


@pytest.mark.xfail(strict=True, reason="must fail")
def test_xpass_strict():
    pass


@pytest.mark.xfail(strict=True, reason="strict and failing")
def test_xfail_strict_fails():
    assert False


@pytest.mark.xfail(raises=ValueError, reason="expects ValueError")
def test_raises_matches():
    raise ValueError("expected")


@pytest.mark.xfail(raises=(KeyError, ValueError))
def test_raises_tuple_matches():
    raise KeyError("k")


@pytest.mark.xfail(raises=TypeError, reason="expects TypeError")
def test_raises_does_not_match():
    raise ValueError("unexpected")


@pytest.mark.xfail(run=False, reason="would crash")
def test_not_run():
    raise SystemExit("must not run")


@pytest.mark.xfail("BROKEN", reason="module global condition")
def test_string_condition_true():
    assert False


@pytest.mark.xfail("sys.version_info < (3,)", reason="condition false")
def test_string_condition_false_fails():
    assert False


@pytest.mark.xfail(False, reason="bool condition false")
def test_bool_condition_false_passes():
    pass


@pytest.mark.xfail(True)
def test_bool_condition_without_reason_errors():
    pass


def test_imperative():
    pytest.xfail("not today")


def test_imperative_after_work():
    value = 40 + 2
    if value == 42:
        pytest.xfail("answer reached")
    assert False


@pytest.fixture
def broken_fixture():
    raise RuntimeError("fixture broke")


@pytest.mark.xfail(reason="setup error counts")
def test_xfail_setup_error(broken_fixture):
    pass


@pytest.fixture
def xfail_in_fixture():
    pytest.xfail("fixture says xfail")


def test_imperative_in_fixture(xfail_in_fixture):
    pass


@pytest.fixture
def marks_xfail(request):
    request.applymarker(pytest.mark.xfail(reason="added by fixture"))


def test_mark_added_by_fixture(marks_xfail):
    assert False


def test_mark_added_during_call(request):
    request.node.add_marker(pytest.mark.xfail(reason="added during call"))
    assert False


@pytest.mark.xfail(reason="whole class")
class TestXfailClass:
    def test_fails(self):
        assert False

    def test_passes(self):
        pass


@pytest.mark.parametrize("value", [1, pytest.param(0, marks=pytest.mark.xfail(reason="zero")), 2])
def test_param_xfail(value):
    assert value


@pytest.mark.skip(reason="skip wins")
@pytest.mark.xfail(reason="never evaluated")
def test_skip_and_xfail():
    assert False
