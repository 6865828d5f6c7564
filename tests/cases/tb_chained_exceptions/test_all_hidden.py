import pytest


def hidden_helper():
    __tracebackhide__ = True
    raise ValueError("from a hidden helper")


def test_every_frame_hidden():
    __tracebackhide__ = True
    hidden_helper()


def test_fail_helper_hidden():
    pytest.fail("from pytest.fail")
