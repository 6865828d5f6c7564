def test_latin1_without_cookie():
    assert "é"
