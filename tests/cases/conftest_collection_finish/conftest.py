def pytest_collection_modifyitems(items):
    print("modifyitems saw", len(items), "items")


def pytest_collection_finish(session):
    print("collection finished:", ", ".join(item.nodeid for item in session.items))
    print("rootdir", session.config.rootpath.name == "" or "known")
