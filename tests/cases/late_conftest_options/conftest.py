def pytest_addoption(parser):
    parser.addini("root_key", "help")
