def test_one():
    assert True


def test_two_fails():
    assert 0


def test_three_not_reached():
    assert True
