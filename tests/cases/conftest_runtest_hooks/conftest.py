import pytest


def pytest_runtest_setup(item):
    if "skipme" in item.name:
        pytest.skip("skipped by hook")


def pytest_runtest_call(item):
    if item.get_closest_marker("boom"):
        raise RuntimeError("boom")


def pytest_runtest_teardown(item, nextitem):
    if item.name == "test_bad_teardown":
        raise ValueError("teardown")
