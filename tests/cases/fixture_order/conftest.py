import pytest

from logbook import log


@pytest.fixture(scope="session")
def database():
    log("setup database")
    yield "db"
    log("teardown database")


@pytest.fixture
def user(database):
    log("setup user")
    yield "alice"
    log("teardown user")


@pytest.fixture(autouse=True)
def trace(request):
    log("enter " + request.node.nodeid)
    request.addfinalizer(lambda: log("finalize " + request.node.nodeid))


@pytest.fixture
def greeting():
    return "hello"
