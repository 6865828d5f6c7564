def test_missing_fixture_lists_the_builtins(undefined_fixture):
    pass


def test_prints():
    print("printed by the test")
