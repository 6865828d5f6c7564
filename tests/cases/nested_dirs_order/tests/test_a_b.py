def test_tests_test_a_b():
    assert True
