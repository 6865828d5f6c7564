import sys

import pytest


def test_runs():
    assert sys.version_info >= (3, 8)


def test_skip_inside():
    pytest.skip("not ready yet")


def test_skip_after_work():
    value = 2 * 21
    if value == 42:
        pytest.skip("answer found, nothing more to check")
    assert False


class TestSkipInMethod:
    def test_method_skip(self):
        pytest.skip("method skipped")

    def test_method_passes(self):
        assert True
