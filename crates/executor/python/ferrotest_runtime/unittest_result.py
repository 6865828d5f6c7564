"""A ``unittest`` result object that turns a TestCase's outcome into pytest's.

Imported only when a ``unittest.TestCase`` item runs, so ``unittest`` is already loaded.
"""
import unittest

from . import outcomes


class Result(unittest.TestResult):
    """Records the first thing that went wrong; ``outcome()`` says what the call phase raises."""

    def __init__(self):
        super().__init__()
        self._outcome = None

    def _record(self, outcome):
        if self._outcome is None:
            self._outcome = outcome

    def addError(self, test, err):
        self._record(err[1].with_traceback(err[2]))

    def addFailure(self, test, err):
        self._record(err[1].with_traceback(err[2]))

    def addSubTest(self, test, subtest, err):
        # Reported on its own, as pytest 9 does; the test's own outcome ignores it.
        from . import subtests

        subtests.unittest_report(subtest, None if err is None else err[1].with_traceback(err[2]))

    def addSkip(self, test, reason):
        if isinstance(test, unittest.case._SubTest):
            from . import subtests

            subtests.unittest_report(test, outcomes.ItemSkip(reason))
            return
        self._record(outcomes.ItemSkip(reason))

    def addExpectedFailure(self, test, err):
        # pytest reports "xfailed"; ferrotest's reports have no such outcome yet.
        self._record(outcomes.ItemSkip("expected failure"))

    def addUnexpectedSuccess(self, test):
        message = "Unexpected success"
        self._record(("failure", message, "Failed: " + message))

    def outcome(self):
        """None if the test passed, an exception to raise, or a formatted failure tuple."""
        return self._outcome
