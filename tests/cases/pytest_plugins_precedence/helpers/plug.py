import pytest

pytest_plugins = ["helpers.nested"]


@pytest.fixture
def value():
    return "plugin"


@pytest.fixture
def plugin_only(value):
    return "plugin sees " + value


@pytest.fixture(autouse=True)
def plugin_autouse():
    from conftest import ORDER

    ORDER.append("plugin")


def check_positive(number):
    assert number > 0
