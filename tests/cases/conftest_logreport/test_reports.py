import pytest


@pytest.fixture
def noisy():
    print("setting up")
    yield
    print("tearing down")


def test_passes():
    pass


def test_fails():
    print("about to fail")
    assert 1 == 2


def test_with_fixture(noisy):
    pass


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known")
def test_xfailed():
    assert False


@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    assert n
