import dataclasses

from conftest import Money


@dataclasses.dataclass
class Point:
    x: int
    y: int
    label: str = "p"


def total(values):
    return sum(values)


class Box:
    size = 3


def test_multiline_strings():
    assert "one\ntwo\nthree\n" == "one\nTWO\nthree\n"


def test_long_strings():
    assert "a" * 50 + "b" + "c" * 50 == "a" * 50 + "x" + "c" * 50


def test_lists():
    assert [1, 2, 3, 4] == [1, 2, 5]


def test_tuples():
    assert (1, "a", None) == (1, "b", None)


def test_dicts():
    assert {"a": 1, "b": 2, "c": 3} == {"a": 1, "b": 20, "d": 4}


def test_sets():
    assert {1, 2, 3} == {2, 3, 4}


def test_dataclasses():
    assert Point(1, 2) == Point(1, 3, "q")


def test_calls_and_attributes():
    assert total([1, 2]) + Box.size == 7


def test_boolean_operators():
    values = [0, 1]
    assert values[0] or values[1] and not values[1]


def test_in_and_is():
    assert "z" in "abc"


def test_custom_message():
    x = 3
    assert x == 4, f"x should be four, was {x}"


def test_assertrepr_compare_hook():
    assert Money(100) == Money(250)


def test_walrus_and_comparison_chain():
    assert 1 < (n := 5) < 3
