import warnings

import pytest


def test_passes():
    print("output of a passing test")


def test_fails():
    assert 1 + 1 == 3


@pytest.mark.skip(reason="not today")
def test_skipped():
    pass


@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False


@pytest.fixture
def broken():
    raise RuntimeError("setup breaks")


def test_errors(broken):
    pass


def test_warns():
    warnings.warn(UserWarning("careful"))
