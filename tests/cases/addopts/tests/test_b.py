def test_b_not_reached():
    assert True
