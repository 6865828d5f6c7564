import pytest


@pytest.mark.from_sub_conftest
def test_registered_below():
    pass
