"""Loaded only because test_1_names_plugin.py names it: its fixture and hook then serve
every test of the session, those collected before that module too."""
import pytest


@pytest.fixture
def from_plugin():
    return 42


@pytest.fixture
def overridden():
    return "plugin"


def pytest_runtest_setup(item):
    with open("hook_log.txt", "a") as log:
        log.write("setup %s\n" % item.nodeid)
