import pytest


@pytest.mark.registered
@pytest.mark.xfail(reason="builtin marks are registered")
def test_fine():
    assert 0
