def pytest_addoption(parser):
    parser.addini("from_sub_conftest", "an option a conftest met while collecting registers")
