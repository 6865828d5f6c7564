def test_tests_test_2():
    assert True
