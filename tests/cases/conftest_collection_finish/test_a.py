import pytest


def test_one():
    pass


@pytest.mark.parametrize("x", [1, 2])
def test_two(x):
    pass
