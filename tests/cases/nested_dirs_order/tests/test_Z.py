def test_tests_test_Z():
    assert True
