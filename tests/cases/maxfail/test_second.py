def test_second_not_reached():
    assert True
