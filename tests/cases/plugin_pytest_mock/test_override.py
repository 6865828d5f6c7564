def test_conftest_overrides_plugin_fixture(module_mocker):
    assert module_mocker == "from conftest"

def test_plugin_is_registered(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("pytest_mock")
    assert pytestconfig.getini("mock_use_standalone_module") is False
