__tracebackhide__ = False


def hidden_helper(value):
    __tracebackhide__ = True
    if value < 0:
        raise ValueError("negative")
    return value


def hides_only_value_errors(excinfo):
    return excinfo.errisinstance(ValueError)


def selectively_hidden(exc):
    __tracebackhide__ = hides_only_value_errors
    raise exc


def test_helper_frame_hidden():
    hidden_helper(-1)


def test_callable_hides_value_error():
    selectively_hidden(ValueError("hidden frame"))


def test_callable_keeps_type_error():
    selectively_hidden(TypeError("shown frame"))
