import pytest


@pytest.fixture
def broken():
    raise ValueError("cannot set up")


@pytest.fixture
def fragile():
    yield 1
    raise RuntimeError("cannot tear down")


@pytest.fixture(scope="module")
def module_broken():
    raise KeyError("module-wide")


@pytest.fixture
def narrow():
    return 1


@pytest.fixture(scope="module")
def wide(narrow):
    return narrow


@pytest.fixture
def ping(pong):
    return 1


@pytest.fixture
def pong(ping):
    return 2


def test_setup_error(broken):
    pass


def test_teardown_error(fragile):
    assert fragile == 1


def test_missing(no_such_fixture):
    pass


def test_module_error_first(module_broken):
    pass


def test_module_error_again(module_broken):
    pass


def test_scope_mismatch(wide):
    pass


def test_cycle(ping):
    pass


def test_still_runs():
    pass
