import pytest


@pytest.mark.known_flaky
def test_flaky():
    assert False


def test_plain_failure():
    assert False
