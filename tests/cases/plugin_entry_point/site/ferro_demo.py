"""An installed plugin: its distribution's ``pytest11`` entry point names this module, so
pytest loads it without being asked."""
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "demo: tests the demo plugin knows")


def pytest_report_header(config):
    return ["ferro-demo: loaded"]


@pytest.fixture
def demo_value():
    return 42


@pytest.fixture
def demo_checked():
    # pytest rewrites the modules a plugin distribution's RECORD lists, but it looks for
    # them before ``pythonpath`` joins sys.path: this one's asserts stay plain.
    assert [1, 2] == [1, 3]
