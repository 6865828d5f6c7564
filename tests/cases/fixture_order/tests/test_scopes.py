import pytest

from logbook import log


def setup_module(module):
    log("setup_module")


def teardown_module(module):
    log("teardown_module")


@pytest.fixture(scope="module")
def connection(database):
    log("setup connection")
    yield database + "-conn"
    log("teardown connection")


@pytest.fixture(scope="class")
def workspace():
    log("setup workspace")
    yield {}
    log("teardown workspace")


def test_first(user, connection):
    log("run test_first")
    assert connection == "db-conn"


class TestGroup:
    @classmethod
    def setup_class(cls):
        log("setup_class")

    @classmethod
    def teardown_class(cls):
        log("teardown_class")

    def setup_method(self, method):
        log("setup_method " + method.__name__)

    def teardown_method(self, method):
        log("teardown_method " + method.__name__)

    @pytest.fixture
    def greeting(self, greeting):
        return greeting + " from the class"

    def test_override(self, greeting, workspace):
        log("run test_override")
        assert greeting == "hello from the class"

    def test_shared_workspace(self, workspace, user):
        log("run test_shared_workspace")
        workspace["seen"] = True


def test_after_class(greeting):
    log("run test_after_class")
    assert greeting == "hello"
