import pytest

pytestmark = pytest.mark.parametrize("module_level", ["m"])


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.parametrize("y", ["a", "b"])
def test_stacked(x, y, module_level):
    assert module_level == "m"


@pytest.mark.parametrize("flag", [True, False])
class TestClassLevel:
    def test_one(self, flag, module_level):
        assert flag in (True, False)

    @pytest.mark.parametrize("z", [0])
    def test_two(self, flag, z, module_level):
        assert z == 0


@pytest.mark.parametrize("x", [1, 2])
def test_failing_variant(x, module_level):
    assert x == 1
