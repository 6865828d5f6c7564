import pytest


@pytest.mark.registered
def test_registered():
    pass


@pytest.mark.unregistered
def test_unregistered():
    pass
