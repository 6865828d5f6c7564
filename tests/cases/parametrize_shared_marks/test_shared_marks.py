"""Marks of a parametrized test reach every call, whatever its id looks like; marks of one
parameter set only that call."""
import warnings

import pytest


@pytest.mark.skip(reason="every call")
@pytest.mark.parametrize("x", [1, 2])
def test_function_skip(x):
    assert False


@pytest.mark.xfail(reason="odd ids", strict=True)
@pytest.mark.parametrize("s", ["a[b]", "::", "]", "[", "x]y["])
def test_ids_with_brackets(s):
    assert False


@pytest.mark.xfail(reason="hidden")
@pytest.mark.parametrize("n", [pytest.param(0, id=pytest.HIDDEN_PARAM), 1])
def test_hidden_call(n):
    assert n == 5


@pytest.mark.xfail(reason="function")
@pytest.mark.parametrize("n", [1, pytest.param(2, marks=pytest.mark.skip(reason="set")), 3])
def test_set_marks_over_function_marks(n):
    assert False


@pytest.mark.filterwarnings("error::UserWarning")
@pytest.mark.parametrize("n", [1, 2])
def test_filterwarnings_on_every_call(n):
    warnings.warn("boom", UserWarning)


@pytest.mark.skipif(True, reason="class")
class TestSkippedClass:
    @pytest.mark.parametrize("n", [1, 2])
    def test_method(self, n):
        assert False


@pytest.mark.parametrize("n", [1, 2])
def test_plain(n):
    assert n in (1, 2)
