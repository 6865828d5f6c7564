def test_tests_c_dir_test_y():
    assert True
