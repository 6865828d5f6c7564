import pytest

@pytest.mark.parametrize("x", [1, 2])
def test_param(x):
    assert x == 2

class TestX:
    @pytest.mark.parametrize("y", [1])
    def test_y(self, y):
        assert y == 0

@pytest.fixture(params=["a"])
def fx(request):
    return request.param

def test_fx(fx):
    assert fx == "b"

@pytest.fixture
def broken():
    raise RuntimeError("x")

@pytest.mark.parametrize("z", [3])
def test_err(broken, z):
    pass
