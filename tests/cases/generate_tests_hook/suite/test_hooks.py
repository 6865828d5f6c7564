import pytest


def pytest_generate_tests(metafunc):
    if "doubled" in metafunc.fixturenames:
        metafunc.parametrize("doubled", [1, 5], indirect=True, ids=["one", "five"])
    if metafunc.function.__name__ == "test_named":
        metafunc.parametrize("word", ["a", "b"])


def test_color(color):
    assert color in ("red", "green")


def test_doubled(doubled, color):
    assert doubled in (2, 10)


@pytest.fixture(params=["x", "y"])
def letter(request):
    return request.param


@pytest.mark.sized
@pytest.mark.parametrize("extra", [0])
def test_size(size, letter, extra):
    assert size + extra in (1, 2)


def test_named(word):
    assert word in "ab"


def test_plain():
    pass


class TestClassHook:
    def pytest_generate_tests(self, metafunc):
        metafunc.parametrize("number", [3, 4])

    def test_number(self, number, color):
        assert number in (3, 4)
