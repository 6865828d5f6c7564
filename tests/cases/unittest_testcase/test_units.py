import unittest


class StackTests(unittest.TestCase):
    def setUp(self):
        self.stack = [1, 2]

    def tearDown(self):
        self.stack.clear()

    def test_push(self):
        self.stack.append(3)
        self.assertEqual(self.stack, [1, 2, 3])

    def test_pop_wrong(self):
        self.assertEqual(self.stack.pop(), 1)

    def test_skip_inside(self):
        self.skipTest("not on this platform")

    @unittest.skip("decorated skip")
    def test_skip_decorated(self):
        raise AssertionError("never runs")

    def helper(self):
        return "not a test"


@unittest.skip("whole class skipped")
class SkippedClassTests(unittest.TestCase):
    def test_one(self):
        raise AssertionError("never runs")


class NotACase:
    def test_ignored(self):
        raise AssertionError("never collected")
