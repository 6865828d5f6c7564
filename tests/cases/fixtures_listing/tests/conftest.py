import pytest


@pytest.fixture(scope="session")
def database():
    """A session-wide database.

    Only -v shows this second paragraph."""
    return {}


@pytest.fixture
def _private():
    """Hidden unless -v."""
