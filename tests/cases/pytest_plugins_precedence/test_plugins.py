from conftest import ORDER
from helpers.plug import check_positive


def test_the_conftest_overrides_its_plugin(value):
    assert value == "conftest"


def test_the_plugin_sees_the_conftest_fixture(plugin_only):
    assert plugin_only == "plugin sees conftest"


def test_plugins_named_by_plugins_load(nested, extra):
    assert (nested, extra) == ("nested", "extra")


def test_autouse_order():
    assert ORDER[-2:] == ["conftest", "plugin"]


def test_plugin_asserts_are_rewritten():
    check_positive(-1)
