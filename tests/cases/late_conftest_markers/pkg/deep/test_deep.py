import pytest


@pytest.mark.deep
def test_marked():
    pass


def test_unmarked():
    pass
