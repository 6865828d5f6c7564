import warnings


def test_passes():
    print("passing output")


def test_fails():
    print("failing output")
    assert 1 == 2


def test_warns():
    warnings.warn(UserWarning("careful"))
