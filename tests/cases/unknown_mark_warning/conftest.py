import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "from_conftest: registered by a conftest")


# Before pytest_configure: pytest does not check marks used while loading this conftest.
unchecked = pytest.mark.used_in_conftest
