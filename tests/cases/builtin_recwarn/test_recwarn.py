import warnings

import pytest


def test_records_all(recwarn):
    warnings.warn("user", UserWarning)
    warnings.warn("deprecated", DeprecationWarning)
    assert len(recwarn) == 2
    assert [w.category for w in recwarn] == [UserWarning, DeprecationWarning]
    assert str(recwarn[0].message) == "user"


def test_pop_by_category(recwarn):
    warnings.warn("a", UserWarning)
    warnings.warn("b", DeprecationWarning)
    assert str(recwarn.pop(DeprecationWarning).message) == "b"
    assert str(recwarn.pop().message) == "a"
    with pytest.raises(AssertionError):
        recwarn.pop(RuntimeWarning)


def test_once_per_location(recwarn):
    for _ in range(3):
        warnings.warn("repeated", UserWarning)
    assert len(recwarn) == 1


def test_clear(recwarn):
    warnings.warn("gone", UserWarning)
    recwarn.clear()
    assert recwarn.list == []


def test_empty_in_the_next_test(recwarn):
    assert len(recwarn) == 0


def test_failure(recwarn):
    warnings.warn("x", UserWarning)
    assert len(recwarn) == 2
