def pytest_collection_finish(session):
    print("collected below tests/sub:", len(session.items))
