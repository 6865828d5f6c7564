"""Recognising pytest's outcome exceptions without importing pytest.

``pytest.skip``/``fail``/``exit`` raise classes from ``_pytest.outcomes``. A test can only raise
them if it imported pytest, so looking the module up in ``sys.modules`` when an exception
happens is enough, and ferrotest never pays for ``import pytest`` itself.
"""
import sys


def _outcome_class(name):
    module = sys.modules.get("_pytest.outcomes")
    return getattr(module, name, None) if module is not None else None


def _is_instance(exc, name):
    cls = _outcome_class(name)
    return cls is not None and isinstance(exc, cls)


def is_skip(exc):
    return _is_instance(exc, "Skipped")


def is_fail(exc):
    return _is_instance(exc, "Failed")


def is_exit(exc):
    return _is_instance(exc, "Exit")


class ItemSkip(Exception):
    """A skip reported at the item's own location (``unittest`` skips), like pytest's
    ``skip.Exception(reason, _use_item_location=True)``."""

    def __init__(self, reason):
        super().__init__(reason)
        self.msg = reason


class Stop(Exception):
    """The run must stop: KeyboardInterrupt or ``pytest.exit``. ``detail`` says which."""

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


def stop_detail(exc):
    """``("keyboard", message, (path, lineno) or None)`` or ``("exit", reason, returncode)``
    when ``exc`` ends the run: pytest reports a keyboard interrupt by its crash place."""
    if isinstance(exc, KeyboardInterrupt):
        from . import tbformat

        return ("keyboard", tbformat.exconly(exc), tbformat.crash_location(exc))
    if is_exit(exc):
        return ("exit", str(getattr(exc, "msg", exc)), getattr(exc, "returncode", None))
    return None


class ReportedFailure(Exception):
    """A failure whose report is already written: pytest's ``fail(msg, pytrace=False)``
    and errors known before the test runs (a missing fixture)."""

    def __init__(self, text, message):
        super().__init__(text)
        self.text = text
        self.message = message


def fail_no_trace(text):
    raise ReportedFailure(text, "Failed: " + text)


def skip_now(reason):
    """Skip the current test from ferrotest's own code (``getoption(..., skip=True)``)."""
    raise ItemSkip(reason)


def skip_location(exc, path, lineno):
    """Where pytest reports a skip: the last frame of ``exc``'s traceback that does not hide
    itself with ``__tracebackhide__`` (``pytest.skip``'s and ``importorskip``'s own frames do);
    ``(path, lineno)`` when every frame hides."""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if not frame.f_locals.get("__tracebackhide__", frame.f_globals.get("__tracebackhide__", False)):
            path, lineno = frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return path, lineno
