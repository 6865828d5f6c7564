def pytest_addoption(parser):
    parser.addini("from_conftest", "an option the rootdir conftest registers")
