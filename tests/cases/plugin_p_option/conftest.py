import pytest


@pytest.fixture
def shadowed():
    """A conftest fixture beats a plugin's."""
    return "conftest"
