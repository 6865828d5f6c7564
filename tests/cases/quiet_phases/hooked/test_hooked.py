def test_hooked_passes():
    pass


def test_hooked_fails():
    assert False
