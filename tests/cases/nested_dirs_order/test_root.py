def test_test_root():
    assert True
