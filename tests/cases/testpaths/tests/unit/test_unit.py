def test_unit():
    assert 2 > 1
