def test_tests_test_m():
    assert True
