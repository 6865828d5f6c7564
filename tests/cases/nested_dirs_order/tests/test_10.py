def test_tests_test_10():
    assert True
