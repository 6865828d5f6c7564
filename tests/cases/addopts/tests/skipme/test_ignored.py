def test_ignored():
    raise AssertionError("never collected: --ignore in addopts")
