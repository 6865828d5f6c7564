import pytest

missing = pytest.importorskip("ferrotest_no_such_module")


def test_uses_missing():
    assert missing
