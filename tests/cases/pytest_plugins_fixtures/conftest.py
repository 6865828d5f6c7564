pytest_plugins = ["helpers.fixtures"]
