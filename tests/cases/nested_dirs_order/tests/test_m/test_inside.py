def test_tests_test_m_test_inside():
    assert True
