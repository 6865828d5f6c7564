"""pytest 9's subtests (``_pytest/subtests.py``): the ``subtests`` fixture and
``unittest.TestCase.subTest``, each subtest reported on its own before its test's call report.

The runner records the reports (``Runner.subtest_report``); a subtest report is a phase
report with a last element ``(description, captured_at)``: pytest's
``_sub_test_description()``, and for unittest's subtests met while fd capture is on, the
stdout position at that moment, relative to the call's output (the capture is read at the end
of each phase, see ``capture.py``). pytest's terminal reporter writes those reports while the
capture is on, so under fd capture its words land in the test's "Captured stdout call";
ferrotest's reporter splices them in at that position.
"""
import time

from . import logplugin, outcomes
from .capture import GlobalCapture

# The runner of the session, which turns an outcome into a report for the running test.
RUNNER = None


def description(msg, kwargs):
    """pytest's ``SubtestReport._sub_test_description``: ``[msg] (k=v, ...)``."""
    from .tbformat import saferepr

    parts = []
    if msg is not None:
        parts.append("[%s]" % (msg,))
    if kwargs:
        parts.append("(%s)" % ", ".join("%s=%s" % (key, saferepr(value)) for key, value in kwargs.items()))
    return " ".join(parts) or "(<subtest>)"


class Subtests:
    """Subtests fixture, enables declaring subtests inside test functions via the :meth:`test` method."""

    def __init__(self, request, *, _ispytest=False):
        self._request = request

    def test(self, msg=None, **kwargs):
        """Context manager for subtests, capturing exceptions raised inside the subtest scope
        and reporting assertion failures and errors individually."""
        return _SubTestContextManager(msg, kwargs)


# Its repr in tracebacks is pytest's (``<_pytest.subtests.Subtests object at 0x...>``).
Subtests.__module__ = "_pytest.subtests"


class _SubTestContextManager:
    """One ``with subtests.test(...)`` block: its output and outcome become its report."""

    def __init__(self, msg, kwargs):
        self.msg = msg
        self.kwargs = kwargs
        self._start = None
        self._capture = None
        self._since = None
        self._logs = None

    def __enter__(self):
        self._start = time.perf_counter()
        from . import capfixtures

        # Output goes to the subtest's report under fd and sys capture (pytest's
        # ``capturing_output``), unless a capture fixture is reading it.
        capture = GlobalCapture.active
        if capture is not None and not capture.tee and capfixtures._current is None:
            self._capture = capture
            self._since = capture.mark()
        self._logs = logplugin.catch_subtest_logs()

    def __exit__(self, exc_type, exc, tb):
        duration = time.perf_counter() - self._start
        sections = []
        if self._capture is not None:
            out, err = self._capture.cut(self._since)
            if out:
                sections.append(("Captured stdout call", out))
            if err:
                sections.append(("Captured stderr call", err))
        if self._logs is not None:
            self._logs.detach()
            log = self._logs.handler.stream.getvalue()
            if log:
                sections.append(("Captured log call", log))
        RUNNER.subtest_report(exc, duration, sections, description(self.msg, self.kwargs), counts=True)
        # Like pytest, a subtest lets only what ends the session through.
        return exc is None or outcomes.stop_detail(exc) is None


def unittest_report(subtest, exc):
    """A ``unittest`` subtest's outcome (``TestResult.addSubTest``), reported as pytest's
    ``TestCaseFunction.addSubTest`` does: no duration, no output of its own, and not counted
    against its test."""
    from unittest.case import _subtest_msg_sentinel

    msg = None if subtest._message is _subtest_msg_sentinel else str(subtest._message)
    # Only fd capture catches what pytest's terminal writer writes (to the original
    # ``sys.stdout``) while the test runs.
    capture = GlobalCapture.active
    captured_at = capture.mark()[0] if capture is not None and capture.captures_fds else None
    RUNNER.subtest_report(exc, 0.0, [], description(msg, dict(subtest.params)), captured_at=captured_at)


def failed_message(count):
    """The failure of a passing test whose subtests failed."""
    return "contains %d failed subtest%s" % (count, "s" if count > 1 else "")
