def test_after(from_plugin):
    assert from_plugin == 42


def test_rootdir_conftest_still_wins(overridden):
    assert overridden == "conftest"
