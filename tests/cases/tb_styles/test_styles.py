import pytest


def scale(values, factor):
    scaled = []
    for value in values:
        scaled.append(check(value * factor))
    return scaled


def check(value):
    limit = 10
    if value > limit:
        raise ValueError("%d is over the limit" % value)
    return value


def test_deep_call():
    values = [1, 2, 3]
    assert scale(values, 5) == [5, 10, 15]


def test_compares():
    expected = {"name": "a", "size": 3}
    actual = {"name": "a", "size": 4}
    assert actual == expected


def test_prints_then_fails():
    print("captured line")
    count = 2
    assert count == 3, "count is off"


@pytest.fixture
def broken_resource():
    name = "db"
    raise RuntimeError("cannot open %s" % name)


def test_setup_error(broken_resource):
    pass


def test_passes():
    print("passing output")
