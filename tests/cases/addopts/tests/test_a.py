def test_a_pass():
    assert True


def test_a_fail():
    assert 1 == 2


def test_a_fail_again():
    assert "a" == "b"


def test_a_not_reached():
    assert True
