pytest_plugins = "broken_plugin"

def test_b():
    pass
