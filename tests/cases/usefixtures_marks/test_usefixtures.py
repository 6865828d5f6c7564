import pytest

CALLS = []


@pytest.fixture
def record(request):
    CALLS.append(request.node.name)


@pytest.fixture
def other():
    CALLS.append("other")


pytestmark = pytest.mark.usefixtures("other")


@pytest.mark.usefixtures("record")
def test_marked():
    # The closest mark first: the function's usefixtures, then the module's.
    assert CALLS[-2:] == ["test_marked", "other"]


@pytest.mark.usefixtures("record")
class TestMarkedClass:
    def test_in_class(self):
        assert CALLS[-2:] == ["test_in_class", "other"]


def test_unknown_in_usefixtures():
    assert CALLS[-1] == "other"


@pytest.mark.usefixtures("no_such_fixture")
def test_missing_usefixture():
    pass
