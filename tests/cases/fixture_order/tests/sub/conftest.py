import pytest

from logbook import log


@pytest.fixture
def greeting(greeting):
    log("sub greeting wraps the root one")
    return greeting.upper()


@pytest.fixture(scope="module", autouse=True)
def sub_module_autouse():
    log("setup sub module autouse")
    yield
    log("teardown sub module autouse")
