import pytest


@pytest.fixture
def user(database):
    database["users"].append("u")
    yield "u"
    database["users"].remove("u")


@pytest.fixture(params=[1, 2], ids=["one", "two"])
def num(request):
    return request.param


@pytest.fixture(scope="class")
def shelf():
    return []


def test_user(user, request):
    assert user == "u"


def test_flavour(num, flavour):
    assert num in (1, 2)


@pytest.mark.parametrize("value", [3, "long " * 20])
def test_direct(value, database):
    assert value


class TestShelf:
    def test_empty(self, shelf):
        assert shelf == []

    def test_fails(self, shelf, user):
        assert shelf
