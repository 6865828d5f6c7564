import pytest


def setup_module():
    print("setup_module")


def teardown_module():
    print("teardown_module")


@pytest.fixture(scope="module")
def resource():
    print("resource up")
    yield "r"
    print("resource down")


def test_uses_resource(resource):
    assert resource == "r"


def test_plain_in_middle():
    pass


def test_last_plain_tears_the_module_down():
    assert False
