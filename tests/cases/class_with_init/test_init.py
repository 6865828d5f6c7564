class TestHasInit:
    def __init__(self):
        self.value = 1

    def test_never_collected(self):
        assert self.value == 1


class TestPlain:
    def test_collected(self):
        assert True


def test_function():
    assert True
