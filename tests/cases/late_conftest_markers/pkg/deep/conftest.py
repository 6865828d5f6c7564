def pytest_configure(config):
    config.addinivalue_line("markers", "deep: registered by a conftest pytest meets while collecting")
