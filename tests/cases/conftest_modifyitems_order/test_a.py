def test_one():
    pass


def test_drop_me():
    assert False


class TestK:
    def test_two(self):
        pass
