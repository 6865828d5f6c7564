print("fine module prints")


def test_fine():
    print("test prints")
