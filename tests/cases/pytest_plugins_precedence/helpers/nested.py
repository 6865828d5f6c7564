import pytest


@pytest.fixture
def nested():
    return "nested"
