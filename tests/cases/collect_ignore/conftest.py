collect_ignore = ["test_broken.py", "sub"]
collect_ignore_glob = ["*_skipglob.py"]


def pytest_ignore_collect(collection_path, config):
    if collection_path.name == "test_hooked.py":
        return True
    return None
