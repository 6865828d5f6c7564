import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False, help="run slow tests")
    parser.getgroup("custom").addoption("--level", type=int, default=1, choices=[1, 2, 3])


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip_slow = pytest.mark.skip(reason="need --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
