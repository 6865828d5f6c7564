class Square:
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side


class TestSquare:
    def test_area(self):
        assert Square(3).area() == 9

    def test_area_wrong(self):
        assert Square(2).area() == 5

    def helper(self):
        return "not collected"


class Helpers:
    def test_ignored_because_class_name(self):
        raise AssertionError("never collected")


class TestEmpty:
    pass


def test_module_level():
    assert Square(0).area() == 0
