def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("sized") is not None:
        metafunc.parametrize("size", [1, 2], scope="module")
