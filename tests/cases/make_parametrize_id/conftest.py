def pytest_make_parametrize_id(config, val, argname):
    if isinstance(val, int):
        return "%s_is_%d" % (argname, val)
    return None
