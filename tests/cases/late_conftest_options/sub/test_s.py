def test_s(pytestconfig):
    assert pytestconfig.getini("sub_key") == "hello"
    assert pytestconfig.getoption("sub_opt") == "dflt"
