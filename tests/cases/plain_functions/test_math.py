def add(a, b):
    return a + b


def test_add():
    assert add(2, 3) == 5


def test_add_negative():
    assert add(-1, -1) == -2


def test_add_wrong():
    assert add(2, 2) == 5


def helper_not_a_test():
    raise AssertionError("never collected")


def test_raises_error():
    {}["missing"]
