import re

import pytest


def load(key):
    return {"a": 1}[key]


def test_direct_cause():
    try:
        load("b")
    except KeyError as exc:
        raise RuntimeError("loading failed") from exc


def test_during_handling():
    try:
        1 / 0
    except ZeroDivisionError:
        raise TypeError("while handling")


def test_context_suppressed():
    try:
        load("b")
    except KeyError:
        raise RuntimeError("no context shown") from None


def test_cause_never_raised():
    raise RuntimeError("outer") from ValueError("never raised")


def test_three_links():
    try:
        try:
            load("c")
        except KeyError as exc:
            raise ValueError("middle") from exc
    except ValueError:
        raise AssertionError("last")


def test_raises_wrong_message():
    with pytest.raises(ValueError, match="^expected$"):
        raise ValueError("actual")


def test_raises_pattern_does_not_match():
    with pytest.raises(ValueError, match=re.compile("expected")):
        raise ValueError("actual")


def test_did_not_raise():
    with pytest.raises(KeyError):
        load("a")


def test_raises_other_type():
    with pytest.raises(KeyError):
        raise TypeError("not a key error")
