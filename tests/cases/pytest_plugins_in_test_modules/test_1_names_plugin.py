pytest_plugins = ["helper_plugin"]


def test_uses_plugin_fixture(from_plugin):
    assert from_plugin == 42
