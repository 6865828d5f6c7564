def test_other_module():
    pass
