import pytest


@pytest.fixture
def extra():
    return "extra"
