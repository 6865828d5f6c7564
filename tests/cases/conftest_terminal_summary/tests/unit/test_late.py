def test_late():
    pass
