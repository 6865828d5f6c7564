def test_parse():
    assert int("42") == 42
