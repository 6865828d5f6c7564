def pytest_collection_modifyitems(session, config, items):
    items[:] = [item for item in reversed(items) if "drop" not in item.name]
