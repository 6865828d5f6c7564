import pytest


@pytest.fixture(scope="session")
def session_resource():
    yield
    print("session resource down")


def test_takes_session_resource(session_resource):
    pass


def test_very_last():
    assert False
