import definitely_not_installed_module


def test_uses_module():
    assert definitely_not_installed_module
