import pytest


@pytest.mark.parametrize("y", [1])
def test_unknown_argument(x):
    pass


def test_fine():
    pass
