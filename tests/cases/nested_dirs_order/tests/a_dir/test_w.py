def test_tests_a_dir_test_w():
    assert True
