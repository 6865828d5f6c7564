import pytest


@pytest.mark.demo
def test_fixture_from_the_entry_point(demo_value):
    assert demo_value == 42


def test_registered_under_its_entry_point_name(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("ferro_demo")


def test_rewritten(demo_checked):
    pass
