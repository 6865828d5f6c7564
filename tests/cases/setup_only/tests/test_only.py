import pytest


@pytest.fixture(scope="module")
def resource():
    yield "r"


@pytest.fixture
def broken(resource):
    raise RuntimeError("setup failed")


def test_uses_resource(resource):
    raise AssertionError("tests are not called with --setup-only")


def test_broken(broken):
    pass


def test_no_fixtures():
    raise AssertionError("not called either")
