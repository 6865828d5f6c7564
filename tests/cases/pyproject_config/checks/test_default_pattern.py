def test_not_collected():
    raise AssertionError("never collected: python_files overrides test_*.py")
