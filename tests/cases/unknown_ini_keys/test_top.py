class TestWithInit:
    def __init__(self):
        pass

    def test_never_collected(self):
        pass


def test_top():
    pass
