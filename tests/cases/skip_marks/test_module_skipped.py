import sys

import pytest

pytestmark = pytest.mark.skipif("sys.version_info > (3,)", reason="module condition")


def test_a():
    assert False


class TestInside:
    def test_b(self):
        assert False
