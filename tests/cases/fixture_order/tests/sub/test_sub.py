from logbook import log


def setup_function(function):
    log("setup_function " + function.__name__)


def teardown_function(function):
    log("teardown_function " + function.__name__)


def test_overridden_by_conftest(greeting, user):
    log("run test_overridden_by_conftest")
    assert greeting == "HELLO"


def test_plain():
    log("run test_plain")
