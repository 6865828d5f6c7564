import pytest


def test_passes(result_aware):
    pass


def test_fails(result_aware):
    assert 1 == 2


def test_setup_error(broken):
    pass


@pytest.mark.xfail(reason="known")
def test_xfails(result_aware):
    raise ValueError


@pytest.mark.skip(reason="never")
def test_skipped():
    pass


def test_skips_inside():
    pytest.skip("inside")
