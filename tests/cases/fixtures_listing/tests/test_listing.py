import pytest


@pytest.fixture(scope="module")
def client(database):
    return object()


@pytest.fixture
def token():
    """A token."""
    return "t"


def test_client(client, token):
    pass
