import pytest


def test_ok():
    pass


def test_skipme():
    assert False


@pytest.mark.boom
def test_boom():
    pass


def test_bad_teardown():
    pass
