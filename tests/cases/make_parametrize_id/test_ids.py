import pytest


@pytest.mark.parametrize("n,s", [(1, "a"), (2, "b")])
def test_ids(n, s):
    pass
