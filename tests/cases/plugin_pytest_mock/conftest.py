import pytest

import app


@pytest.fixture
def module_mocker(mocker):
    """A conftest fixture beats the plugin's of the same name."""
    return "from conftest"


@pytest.fixture
def patched_greet(mocker):
    # Returns nothing: a failing test's arguments show in its traceback, a mock's id varies.
    mocker.patch.object(app.Greeter, "greet")
