import pytest


def test_option_from_the_command_line(greeting):
    assert greeting == "hi"


def test_ini_option_it_added(pytestconfig):
    assert pytestconfig.getini("plugin_flavour") == "spicy"


def test_builtin_overridden(tmp_path):
    assert tmp_path == "plugin tmp_path"


def test_conftest_wins(shadowed):
    assert shadowed == "conftest"


@pytest.mark.local
def test_zz_marked_runs_first(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("localplugin")


def test_rewritten_assert_in_plugin_fixture(checked):
    pass
