pytest_plugins = ["no_such_plugin"]

def test_a():
    pass
