def test_outside_testpaths():
    raise AssertionError("never collected: not under testpaths")
