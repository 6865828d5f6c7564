import pytest


def test_one():
    pass


def test_one_more():
    pass


@pytest.mark.parametrize("n", [1, 2, 3])
def test_param(n):
    assert n != 2


class TestGroup:
    def test_x(self):
        pass

    def test_y(self):
        pass
