test_not_callable = "a module-level string named like a test is ignored"


def test_upper():
    assert "abc".upper() == "ABC"


def test_split():
    assert "a,b".split(",") == ["a", "b"]
