"""ferrotest's traceback formatter against pytest's own ``ExceptionInfo.getrepr``: the same
exception, caught here, must come out of both identically in every ``--tb`` style, with and
without ``-l``. The session-level parts (``--tb=line``'s crash line, the cut at the test
function, ferrotest's own frames) have tests of their own below.
"""
import os

import pytest
from _pytest._code import ExceptionInfo

from ferrotest_runtime import tbformat

HERE = os.path.abspath(__file__)


def lookup(key):
    table = {"a": 1}
    return table[key]


def through_helpers(depth):
    if depth == 0:
        return lookup("missing")
    return through_helpers(depth - 1)


def direct_cause():
    try:
        lookup("b")
    except KeyError as exc:
        raise RuntimeError("loading failed") from exc


def during_handling():
    try:
        1 / 0
    except ZeroDivisionError:
        raise TypeError("while handling")


def cause_never_raised():
    raise RuntimeError("outer") from ValueError("never raised")


def hidden_helper():
    __tracebackhide__ = True
    lookup("hidden")


def calls_hidden_helper():
    hidden_helper()


def group():
    raise ExceptionGroup("two problems", [ValueError("one"), TypeError("two")])


def group_as_cause():
    try:
        group()
    except ExceptionGroup as exc:
        raise RuntimeError("wrapper") from exc


def multiline_message():
    raise AssertionError("first line\nsecond line")


RAISERS = [
    lambda: through_helpers(2),
    direct_cause,
    during_handling,
    cause_never_raised,
    calls_hidden_helper,
    group,
    group_as_cause,
    multiline_message,
]


def _caught(raiser):
    try:
        raiser()
    except BaseException as exc:
        return exc
    raise AssertionError("did not raise")


@pytest.mark.parametrize("showlocals", [False, True])
@pytest.mark.parametrize("style", ["long", "short", "line", "no", "native", "value"])
@pytest.mark.parametrize("raiser", RAISERS, ids=lambda raiser: raiser.__name__)
def test_styles_match_pytest(raiser, style, showlocals):
    exc = _caught(raiser)
    expected = ExceptionInfo.from_exception(exc).getrepr(style=style, showlocals=showlocals, funcargs=True)
    formatter = tbformat.Formatter(style, os.getcwd(), showlocals=showlocals)
    # TerminalRepr's str() strips the text's ends.
    assert "\n".join(formatter.lines(exc)).strip() == str(expected)


def test_locals_are_pretty_printed_from_very_verbose_on():
    exc = _caught(lambda: through_helpers(0))
    expected = ExceptionInfo.from_exception(exc).getrepr(showlocals=True, truncate_locals=False, funcargs=True)
    formatter = tbformat.Formatter("long", os.getcwd(), showlocals=True, verbosity=2)
    assert "\n".join(formatter.lines(exc)).strip() == str(expected)


def _line_of(function, offset):
    return function.__code__.co_firstlineno + offset


def test_auto_shows_middle_entries_short_from_the_test_function_on():
    def test_function():
        through_helpers(2)

    exc = _caught(test_function)
    code = test_function.__code__
    cwd = os.path.dirname(HERE)
    formatter = tbformat.Formatter("long", cwd, code.co_filename, code.co_firstlineno, short_middle=True)
    lines = formatter.lines(exc)
    assert lines[:3] == ["", "    def test_function():", ">       through_helpers(2)"]
    entry_heads = [line for line in lines if line.startswith("test_tbformat.py:")]
    assert entry_heads == [
        "test_tbformat.py:%d: " % _line_of(test_function, 1),
        "test_tbformat.py:%d: in through_helpers" % _line_of(through_helpers, 3),
        "test_tbformat.py:%d: in through_helpers" % _line_of(through_helpers, 3),
        "test_tbformat.py:%d: in through_helpers" % _line_of(through_helpers, 2),
        "test_tbformat.py:%d: KeyError" % _line_of(lookup, 2),
    ]


def test_crash_line_is_the_last_frame_that_does_not_hide():
    exc = _caught(calls_hidden_helper)
    assert tbformat._crash_line(exc) == "%s:%d: KeyError: 'hidden'" % (HERE, _line_of(lookup, 2))
    exc = _caught(multiline_message)
    assert tbformat._crash_line(exc) == "%s:%d: AssertionError: first line" % (HERE, _line_of(multiline_message, 1))


def test_callable_tracebackhide_gets_the_exception_info():
    def hides_key_errors(excinfo):
        return excinfo.errisinstance(KeyError)

    def selectively_hidden(exc):
        __tracebackhide__ = hides_key_errors
        raise exc

    def entry_names(exc):
        formatter = tbformat.Formatter("short", os.getcwd())
        return [line.rpartition(" in ")[2] for line in formatter.lines(exc) if " in " in line]

    assert "selectively_hidden" not in entry_names(_caught(lambda: selectively_hidden(KeyError("k"))))
    assert "selectively_hidden" in entry_names(_caught(lambda: selectively_hidden(ValueError("v"))))


def test_ferrotest_frames_never_show():
    runner = compile("def run(test):\n    test()\n", "<ferrotest_runtime/run.py>", "exec")
    namespace = {}
    exec(runner, namespace)
    exc = _caught(lambda: namespace["run"](group_as_cause))
    for style in ("long", "short", "native"):
        text = "\n".join(tbformat.Formatter(style, os.getcwd(), fulltrace=True).lines(exc))
        assert "ferrotest_runtime" not in text
        assert "group_as_cause" in text


def test_item_failure_without_traceback_is_its_message():
    def fails():
        pytest.fail("plain message", pytrace=False)

    exc = _caught(fails)
    assert tbformat.item_failure(exc, os.getcwd(), HERE, None, pytrace=False) == (
        "failure",
        "plain message",
        "Failed: plain message",
        "%s:%d: Failed: plain message" % (HERE, _line_of(fails, 1)),
    )
