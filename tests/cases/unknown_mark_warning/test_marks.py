import pytest


@pytest.mark.slow
@pytest.mark.with_args(3)
@pytest.mark.from_conftest
@pytest.mark.skipif(False, reason="builtin")
def test_registered():
    pass


@pytest.mark.typo_mark
def test_unknown():
    pass


@pytest.mark.typo_mark
def test_unknown_again():
    pass


class TestClass:
    pytestmark = [pytest.mark.class_mark]

    def test_method(self):
        pass


param_mark = pytest.param(1, marks=pytest.mark.in_param)


@pytest.mark.parametrize("x", [param_mark, 2])
def test_param(x):
    pass
