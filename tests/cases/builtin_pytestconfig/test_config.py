import pathlib


def test_rootpath(pytestconfig):
    assert pytestconfig.rootpath == pathlib.Path(__file__).parent


def test_same_as_request_config(pytestconfig, request):
    assert pytestconfig is request.config


def test_getoption_default(pytestconfig):
    assert pytestconfig.getoption("no_such_option", "fallback") == "fallback"

