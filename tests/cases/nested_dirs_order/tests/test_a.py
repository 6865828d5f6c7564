def test_tests_test_a():
    assert True
