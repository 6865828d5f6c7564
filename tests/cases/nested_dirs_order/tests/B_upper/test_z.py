def test_tests_B_upper_test_z():
    assert True
