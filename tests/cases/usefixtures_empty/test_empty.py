import pytest

pytestmark = pytest.mark.usefixtures()


@pytest.mark.usefixtures()
def test_empty():
    pass


@pytest.mark.usefixtures()
class TestEmpty:
    class TestNested:
        @pytest.mark.usefixtures()
        def test_nested(self):
            pass

    def test_a(self):
        pass


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.usefixtures("tmp_path")
def test_param(x):
    pass
