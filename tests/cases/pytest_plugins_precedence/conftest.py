import pytest

pytest_plugins = "helpers.plug,helpers.extra"

ORDER = []


@pytest.fixture
def value():
    return "conftest"


@pytest.fixture(autouse=True)
def conftest_autouse():
    ORDER.append("conftest")
