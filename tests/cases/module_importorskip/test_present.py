def test_present():
    pass
