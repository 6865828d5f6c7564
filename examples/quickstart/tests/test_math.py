import unittest


def add(a, b):
    return a + b


def test_add():
    assert add(2, 3) == 5


def test_add_strings():
    assert add("fer", "ro") == "ferro"


class TestAdd:
    def test_negative(self):
        assert add(-1, -1) == -2

    def test_zero(self):
        assert add(0, 0) == 0


class AddCase(unittest.TestCase):
    def test_floats(self):
        self.assertAlmostEqual(add(0.1, 0.2), 0.3)

    @unittest.skip("shows a skip in the summary")
    def test_skipped(self):
        pass
