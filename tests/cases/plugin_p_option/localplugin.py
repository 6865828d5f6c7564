"""A plugin module of the project's own, loaded with ``-p localplugin`` (``pythonpath``
makes the rootdir importable)."""
import pytest


def pytest_addoption(parser):
    group = parser.getgroup("localplugin")
    group.addoption("--greeting", default="hello", help="What the greeting fixture says.")
    parser.addini("plugin_flavour", "A flavour the ini file sets.", default="plain")


def pytest_configure(config):
    config.addinivalue_line("markers", "local: tests the local plugin cares about")


def pytest_report_header(config):
    return "localplugin: greeting=%s" % config.getoption("greeting")


def pytest_collection_modifyitems(items):
    # Marked tests first, each group in name order.
    items.sort(key=lambda item: (item.get_closest_marker("local") is None, item.name))


@pytest.fixture
def greeting(pytestconfig):
    return pytestconfig.getoption("greeting")


@pytest.fixture
def tmp_path():
    """A plugin's fixture beats pytest's own of the same name."""
    return "plugin tmp_path"


@pytest.fixture
def shadowed():
    return "plugin"


@pytest.fixture
def checked():
    value = {"answer": 41}
    # The plugin's asserts are rewritten, as pytest rewrites every plugin module.
    assert value == {"answer": 42}
