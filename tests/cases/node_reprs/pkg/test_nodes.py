import unittest

import pytest


def test_plain():
    pass


@pytest.mark.parametrize("x", [1, "two"])
def test_param(x, tmp_path):
    assert tmp_path.name.startswith("test_param_%s_" % x)


class TestClass:
    def test_method(self):
        pass


class TestCase(unittest.TestCase):
    def test_unit(self):
        pass
