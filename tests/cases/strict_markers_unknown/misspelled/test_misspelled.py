import pytest


@pytest.mark.parameterize("x", [1])
def test_misspelled(x):
    pass
