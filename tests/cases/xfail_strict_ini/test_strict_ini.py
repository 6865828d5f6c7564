import pytest


@pytest.mark.xfail(reason="strict from the ini")
def test_plain_xfail_passes():
    pass


@pytest.mark.xfail(reason="still fails")
def test_plain_xfail_fails():
    assert False


@pytest.mark.xfail(strict=False, reason="explicitly lenient")
def test_lenient_xpass():
    pass
