import pytest


@pytest.mark.slow
def test_slow():
    pass


@pytest.mark.slow
@pytest.mark.db
def test_slow_db():
    pass


@pytest.mark.level(n=2)
def test_level_two():
    pass


@pytest.mark.level(n=3)
def test_level_three():
    pass


@pytest.mark.db
class TestDatabase:
    def test_query(self):
        pass

    @pytest.mark.slow
    def test_migration(self):
        pass


@pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_param_marks(x):
    pass


def test_unmarked():
    pass
