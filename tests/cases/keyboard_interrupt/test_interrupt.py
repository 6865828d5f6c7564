def test_before():
    pass


def helper():
    raise KeyboardInterrupt


def test_interrupted():
    helper()


def test_never_runs():
    pass
