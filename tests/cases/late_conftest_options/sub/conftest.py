def pytest_addoption(parser):
    parser.addini("sub_key", "help")
    parser.addoption("--sub-opt", default="dflt")
