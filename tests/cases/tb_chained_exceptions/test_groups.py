def collect_errors():
    errors = []
    for value in (1, 2):
        try:
            raise ValueError("bad value %d" % value)
        except ValueError as exc:
            errors.append(exc)
    return errors


def test_group_of_unraised():
    raise ExceptionGroup("two problems", [ValueError("one"), TypeError("two")])


def test_group_of_raised():
    raise ExceptionGroup("collected", collect_errors())


def test_nested_group():
    inner = ExceptionGroup("inner", [KeyError("k")])
    raise ExceptionGroup("outer", [inner, OSError("disk")])


def test_group_as_cause():
    try:
        raise ExceptionGroup("underlying", [ValueError("v")])
    except ExceptionGroup as group:
        raise RuntimeError("wrapper") from group
