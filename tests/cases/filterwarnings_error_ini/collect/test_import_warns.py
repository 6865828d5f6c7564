import warnings

warnings.warn("warned while importing", UserWarning)


def test_never_runs():
    pass
