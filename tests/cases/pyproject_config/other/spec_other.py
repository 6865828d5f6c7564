def test_not_collected():
    raise AssertionError("never collected: outside testpaths")
