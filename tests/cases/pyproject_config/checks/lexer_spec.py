def test_lex():
    assert "a b".split() == ["a", "b"]


def test_lex_fails():
    assert "a b".split() == ["a b"]
