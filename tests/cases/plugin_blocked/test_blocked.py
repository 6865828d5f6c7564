import pytest


def test_mocker_is_gone(mocker):
    pass


def test_plugin_is_blocked(pytestconfig):
    assert not pytestconfig.pluginmanager.hasplugin("pytest_mock")
    assert pytestconfig.pluginmanager.is_blocked("pytest_mock")


def test_its_ini_options_are_unknown(pytestconfig):
    with pytest.raises(ValueError):
        pytestconfig.getini("mock_use_standalone_module")


def test_its_module_still_imports():
    import pytest_mock

    assert pytest_mock.MockerFixture
