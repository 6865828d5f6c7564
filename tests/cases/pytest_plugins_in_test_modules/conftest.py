import pytest


@pytest.fixture
def overridden():
    return "conftest"
