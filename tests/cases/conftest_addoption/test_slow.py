import pytest


def test_fast():
    pass


@pytest.mark.slow
def test_slow():
    pass


def test_level(pytestconfig):
    assert pytestconfig.getoption("level") == 2
