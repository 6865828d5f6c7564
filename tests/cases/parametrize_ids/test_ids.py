import enum
import re

import pytest


class Color(enum.Enum):
    RED = 1
    BLUE = 2


class Widget:
    pass


def helper():
    pass


@pytest.mark.parametrize(
    "value",
    [0, -3, 1.5, float("inf"), float("nan"), "plain", "with space", "caf\u00e9", "new\nline",
     b"bytes", None, True, False, Color.RED, re.compile("a+b"), Widget, helper, Widget(), (1, 2), ""],
)
def test_kinds(value):
    pass


@pytest.mark.parametrize("a, b", [(1, 1), (1, 1), ("x", "x")])
def test_duplicates_get_suffixes(a, b):
    assert a == b


@pytest.mark.parametrize("n", [1, 2, 3], ids=["one", None, "three"])
def test_explicit_ids(n):
    pass


@pytest.mark.parametrize("n", [10, 20], ids=lambda value: "v%d" % value)
def test_callable_ids(n):
    pass


@pytest.mark.parametrize("n", [pytest.param(1, id="first"), pytest.param(2, marks=pytest.mark.skip), 3])
def test_param_objects(n):
    assert n != 2


@pytest.mark.parametrize("n", [])
def test_empty(n):
    pass
