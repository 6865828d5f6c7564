import pytest


@pytest.mark.parametrize("value", [])
def test_nothing(value):
    pass


@pytest.mark.parametrize("a, b", [])
def test_two_names(a, b):
    pass


@pytest.mark.parametrize("value", [1])
def test_one(value):
    assert value == 1
