import pytest


def test_fails_without_traceback():
    pytest.fail("plain message", pytrace=False)
