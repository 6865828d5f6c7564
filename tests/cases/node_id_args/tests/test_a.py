class TestX:
    def test_x(self):
        raise AssertionError("not selected")

    def test_y(self):
        assert True


class TestZ:
    def test_y(self):
        raise AssertionError("not selected")


def test_y():
    raise AssertionError("not selected")
