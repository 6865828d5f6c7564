def test_tests_test_b():
    assert True
