import pytest


@pytest.fixture(scope="module")
def shared():
    print("shared up")
    yield 1
    print("shared down")


@pytest.mark.parametrize("n", [1, 2])
def test_plain_first(n):
    print("plain", n)


def test_uses_shared(shared):
    assert shared == 1


@pytest.mark.parametrize("n", [1, 2])
def test_plain_last(n):
    assert n == 1
