print("sub module prints")


def test_sub():
    pass
