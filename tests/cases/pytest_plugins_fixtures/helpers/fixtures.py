import pytest


@pytest.fixture
def answer():
    return 42


def pytest_runtest_setup(item):
    if item.name == "test_skipped_by_plugin":
        pytest.skip("plugin hook")
