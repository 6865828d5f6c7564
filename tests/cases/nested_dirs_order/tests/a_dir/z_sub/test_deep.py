def test_tests_a_dir_z_sub_test_deep():
    assert True
