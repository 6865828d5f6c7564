"""pytest's ``skip``/``skipif``/``xfail`` marks and imperative ``pytest.xfail()``
(``_pytest/skipping.py``), as hooks the runner calls around its phases.

pytest evaluates skip marks at setup, before any fixture; xfail marks at setup and, when they
did not apply then, again before and after the call, since a fixture or the test itself may
have added one. ``make_report`` then turns a phase's outcome into xfailed (``skipped`` with a
``wasxfail`` reason), xpassed (``passed`` with ``wasxfail``) or a strict XPASS failure.

Marks only exist once the test module imported pytest; until then every hook returns at once.
"""
import os
import sys

from . import outcomes

# Where the runner's per-item ``state`` keeps the xfail evaluation (pytest's ``xfailed_key``);
# without it, no xfail mark changes a phase's report.
XFAILED = "skipping.xfailed"


class Skip:
    """The arguments of a ``skip`` mark. Named like pytest's class so that a wrong argument
    raises pytest's own ``TypeError`` text (``Skip.__init__() got an unexpected ...``)."""

    def __init__(self, reason="unconditional skip"):
        self.reason = reason


class Xfail:
    """An xfail mark that applies to the item."""

    __slots__ = ("reason", "run", "strict", "raises")

    def __init__(self, reason, run, strict, raises):
        self.reason = reason
        self.run = run
        self.strict = strict
        self.raises = raises


class NotRun(outcomes.ReportedFailure):
    """``xfail(run=False)``: the item fails as expected without running, as pytest's
    ``xfail.Exception("[NOTRUN] reason", pytrace=False)``."""

    def __init__(self, reason):
        msg = "[NOTRUN] " + reason
        super().__init__(msg, "Failed: " + msg)
        self.msg = msg


# -- hooks the runner calls ---------------------------------------------------------------


EVALUATED = frozenset(("skip", "skipif", "xfail"))


def may_evaluate(item):
    """Whether the item's marks may make these hooks do anything (evaluate conditions, skip,
    or xfail it): it can carry a skip, skipif or xfail mark, one found at collection
    (``item.may_skip``) or any mark added since (``request.applymarker``, which needs
    pytest). Most items have neither, and building their node to look would cost more than
    the test."""
    if item.may_skip:
        return True
    node = item._node
    return node is not None and bool(node._added)


def setup(item, state):
    """pytest's ``pytest_runtest_setup`` of skipping.py, before any fixture is set up."""
    if not may_evaluate(item):
        return
    node = item.node()
    skipped = evaluate_skip_marks(node)
    if skipped is not None:
        outcomes.skip_now(skipped)
    state[XFAILED] = xfailed = evaluate_xfail_marks(node)
    _check_run(xfailed)


def before_call(item, state):
    """The first half of pytest's ``pytest_runtest_call`` wrapper."""
    xfailed = _refresh(item, state)
    _check_run(xfailed)


def after_call(item, state):
    """The second half: the test may have added an xfail mark while running."""
    _refresh(item, state)


def make_report(when, state, exc, outcome, longrepr):
    """pytest's ``pytest_runtest_makereport`` of skipping.py: ``(outcome, longrepr, wasxfail)``
    for a phase that ended with ``outcome``/``longrepr``, having raised ``exc`` (or None)."""
    if exc is not None and is_xfail_exception(exc) and not _runxfail():
        return "skipped", longrepr, exc.msg
    xfailed = state.get(XFAILED)
    if outcome == "skipped" or xfailed is None or _runxfail():
        return outcome, longrepr, None
    if exc is not None:
        if _raises_matches(xfailed.raises, exc):
            return "skipped", longrepr, xfailed.reason
        return "failed", longrepr, None
    if when != "call":
        return outcome, longrepr, None
    if xfailed.strict:
        text = "[XPASS(strict)] " + xfailed.reason
        return "failed", ("failure", text, text), None
    return "passed", None, xfailed.reason


def is_xfail_exception(exc):
    """``pytest.xfail()``'s ``XFailed``, or ``xfail(run=False)``'s ``NotRun``."""
    if isinstance(exc, NotRun):
        return True
    module = sys.modules.get("_pytest.outcomes")
    return module is not None and isinstance(exc, module.XFailed)


# -- evaluating marks -----------------------------------------------------------------------


def evaluate_skip_marks(node):
    """The reason to skip ``node``, or None: the first true ``skipif``, else a ``skip``."""
    for mark in node.iter_markers("skipif"):
        conditions = _conditions(mark)
        if not conditions:
            return mark.kwargs.get("reason", "")
        for condition in conditions:
            result, reason = evaluate_condition(node, mark, condition)
            if result:
                return reason
    for mark in node.iter_markers("skip"):
        try:
            return Skip(*mark.args, **mark.kwargs).reason
        except TypeError as e:
            raise TypeError(str(e) + " - maybe you meant pytest.mark.skipif?") from None
    return None


def evaluate_xfail_marks(node):
    """The first ``xfail`` mark of ``node`` whose condition holds, or None."""
    for mark in node.iter_markers("xfail"):
        run = mark.kwargs.get("run", True)
        strict = mark.kwargs.get("strict")
        if strict is None:
            strict = _strict_default()
        raises = mark.kwargs.get("raises", None)
        conditions = _conditions(mark)
        if not conditions:
            return Xfail(mark.kwargs.get("reason", ""), run, strict, raises)
        for condition in conditions:
            result, reason = evaluate_condition(node, mark, condition)
            if result:
                return Xfail(reason, run, strict, raises)
    return None


def evaluate_condition(node, mark, condition):
    """``(result, reason)`` of one ``skipif``/``xfail`` condition: a string is evaluated
    with pytest's namespace, anything else is ``bool()``'d. Errors fail the test with
    pytest's messages."""
    if isinstance(condition, str):
        result = _eval_string(node, mark, condition)
    else:
        try:
            result = bool(condition)
        except Exception as exc:
            import traceback

            _fail_lines(exc, f"Error evaluating {mark.name!r} condition as a boolean", *traceback.format_exception_only(exc))
    reason = mark.kwargs.get("reason", None)
    if reason is None:
        if not isinstance(condition, str):
            outcomes.fail_no_trace(
                f"Error evaluating {mark.name!r}: "
                "you need to specify reason=STRING when using booleans as conditions."
            )
        reason = "condition: " + condition
    return result, reason


def _eval_string(node, mark, condition):
    from .config import CONFIG

    # Imported here: only string conditions need them, and ``platform`` costs ~9 ms.
    import platform

    namespace = {"os": os, "sys": sys, "platform": platform, "config": CONFIG}
    # The test's module globals, as pytest's ``item.obj.__globals__``.
    namespace.update(getattr(node.obj, "__globals__", {}))
    try:
        code = compile(condition, f"<{mark.name} condition>", "eval")
        return eval(code, namespace)
    except SyntaxError as exc:
        _fail_lines(
            exc,
            f"Error evaluating {mark.name!r} condition",
            "    " + condition,
            "    " + " " * (exc.offset or 0) + "^",
            "SyntaxError: invalid syntax",
        )
    except Exception as exc:
        import traceback

        _fail_lines(
            exc,
            f"Error evaluating {mark.name!r} condition",
            "    " + condition,
            *traceback.format_exception_only(exc),
        )


def _fail_lines(context, *lines):
    """pytest's ``fail(msg, pytrace=False)`` raised while handling ``context``: the report
    shows the context's message first, as Python's exception chaining does."""
    text = "\n".join(lines)
    chained = f"{context}\n\nDuring handling of the above exception, another exception occurred:\n{text}"
    # The crash message is ``exconly()``, which strips the format_exception_only newline.
    raise outcomes.ReportedFailure(chained, ("Failed: " + text).rstrip())


def _conditions(mark):
    if "condition" in mark.kwargs:
        return (mark.kwargs["condition"],)
    return mark.args


def _strict_default():
    """The ``strict_xfail`` ini option (alias ``xfail_strict``), else ``strict``."""
    from .config import CONFIG

    strict = CONFIG.getini("strict_xfail")
    return CONFIG.getini("strict") if strict is None else strict


def _refresh(item, state):
    """The stored xfail evaluation, evaluated again when it was None."""
    xfailed = state.get(XFAILED)
    if xfailed is None and may_evaluate(item):
        state[XFAILED] = xfailed = evaluate_xfail_marks(item.node())
    return xfailed


def _check_run(xfailed):
    if xfailed is not None and not xfailed.run and not _runxfail():
        raise NotRun(xfailed.reason)


def _runxfail():
    """``--runxfail``: xfail marks are evaluated but change nothing."""
    from .config import CONFIG

    return CONFIG.getoption("runxfail", False)


def _raises_matches(raises, exc):
    """Whether the exception is one the mark's ``raises=`` expects (any, when not given)."""
    if raises is None:
        return True
    if isinstance(raises, (type, tuple)):
        return isinstance(exc, raises)
    module = sys.modules.get("_pytest.raises")
    return module is not None and isinstance(raises, module.AbstractRaises) and raises.matches(exc)
