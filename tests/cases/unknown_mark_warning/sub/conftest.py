def pytest_configure(config):
    config.addinivalue_line("markers", "from_sub_conftest: registered by a conftest met while collecting")
