import pytest


@pytest.mark.xfail(reason="known bug")
def test_xfail_fails():
    assert 0


@pytest.mark.xfail(reason="fixed since?")
def test_xfail_passes():
    pass


@pytest.mark.xfail(run=False, reason="would crash")
def test_not_run():
    assert 0


@pytest.mark.xfail(strict=True, reason="strict")
def test_strict_passes():
    pass


def test_imperative():
    pytest.xfail("imperative")
    assert 0


@pytest.mark.xfail(raises=ValueError, reason="only ValueError")
def test_raises_other():
    raise TypeError("no")


@pytest.mark.xfail("1 + 1 == 3", reason="condition false")
def test_condition_false():
    assert 0


@pytest.fixture
def broken():
    raise RuntimeError("setup fails")


@pytest.mark.xfail(reason="setup error")
def test_xfail_setup_error(broken):
    pass
