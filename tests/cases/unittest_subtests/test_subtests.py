"""unittest subTest as pytest 9 reports it: each failing (and, from -v, passing) subtest
on its own; the test itself passes unless its own code fails. pytest writes the subtests'
status while the test's output is captured, so it lands in "Captured stdout call"."""
import unittest


class TestNumbers(unittest.TestCase):
    def test_even(self):
        for i in range(4):
            with self.subTest(i=i):
                self.assertEqual(i % 2, 0)

    def test_all_pass(self):
        for i in range(2):
            with self.subTest("msg here", i=i):
                pass

    def test_msg_only(self):
        with self.subTest("only message"):
            self.fail("boom")

    def test_skip_in_subtest(self):
        with self.subTest(k="a"):
            self.skipTest("skipping a")
        with self.subTest(k="b"):
            pass

    def test_plain(self):
        pass

    def test_error_in_subtest(self):
        with self.subTest():
            raise ValueError("bad")
        self.assertTrue(False)
