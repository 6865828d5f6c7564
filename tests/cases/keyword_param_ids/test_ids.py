import pytest


@pytest.mark.parametrize("name", ["alpha", "beta", "gamma"])
def test_names(name):
    pass


@pytest.mark.parametrize("n", [1, 2])
class TestNumbers:
    def test_positive(self, n):
        assert n > 0


def test_plain():
    pass
