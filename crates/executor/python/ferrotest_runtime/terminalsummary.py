"""``pytest_terminal_summary``: the ``terminalreporter`` conftests and plugins write their
own summary sections with, and the call in pluggy's order.

ferrotest's terminal reporter is Rust, so what the implementations write (through the
reporter, its ``_tw`` or ``print``) is recorded, in three parts by where pytest's own
implementations come between them (see ``hooks.implementations_around_pytest``), and the Rust
reporter prints them among its summary sections. pytest's ``write_line`` and ``write_sep``
start with ``ensure_newline``, which ends the line the reporter's own output left open: only
the Rust reporter knows whether there is one, so the calls are recorded for it to replay.

Only sessions with an implementation pay for this: pytest's terminal writer and reports are
imported here, and the reports are made when ``stats`` is first read.
"""
import sys

from . import config as config_module
from . import hooks

# pytest's statuses that get a terminal summary: all but an internal error's (3).
SUMMARY_EXIT_CODES = (0, 1, 2, 4, 5, 6)


class Writes:
    """The file the implementations write to: each part a list of texts, and None where
    ``ensure_newline`` was called."""

    def __init__(self):
        self.parts = ([], [], [])
        self.current = self.parts[0]

    def write(self, text):
        if text:
            if self.current and self.current[-1] is not None:
                self.current[-1] += text
            else:
                self.current.append(text)
        return len(text)

    def ensure_newline(self):
        self.current.append(None)

    def flush(self):
        pass

    def isatty(self):
        return False


class TerminalReporter:
    """pytest's ``TerminalReporter`` as summary hooks use it: its writes, ``stats`` and
    ``config``; ``_tw`` is pytest's own terminal writer, with the Rust reporter's width and
    markup."""

    def __init__(self, config, stats_data, writes):
        from _pytest._io import TerminalWriter

        self.config = config
        self._stats_data = stats_data
        self._stats = None
        self._writes = writes
        width, markup = config_module.TERMINAL
        self._tw = TerminalWriter(writes)
        self._tw.fullwidth = width
        self._tw.hasmarkup = markup

    @property
    def stats(self):
        if self._stats is None:
            self._stats = make_stats(*self._stats_data) if self._stats_data is not None else {}
        return self._stats

    def ensure_newline(self):
        self._writes.ensure_newline()

    def write(self, content, *, flush=False, **markup):
        self._tw.write(content, flush=flush, **markup)

    def write_line(self, line, **markup):
        if not isinstance(line, str):
            line = str(line, errors="replace")
        self.ensure_newline()
        self._tw.line(line, **markup)

    def write_sep(self, sep, title=None, fullwidth=None, **markup):
        self.ensure_newline()
        self._tw.sep(sep, title, fullwidth, **markup)

    def section(self, title, sep="=", **kw):
        self._tw.sep(sep, title, **kw)

    def line(self, msg, **kw):
        self._tw.line(msg, **kw)


def call(exitstatus, stats_data):
    """Every ``pytest_terminal_summary`` implementation, with ``stats_data`` (see
    ``make_stats``; None: nothing was recorded). Returns the three parts they wrote (see
    ``Writes``), or None when the status gets no summary."""
    if exitstatus not in SUMMARY_EXIT_CODES:
        return None
    parts = hooks.implementations_around_pytest("pytest_terminal_summary")
    config = config_module.CONFIG
    writes = Writes()
    kwargs = {"terminalreporter": TerminalReporter(config, stats_data, writes), "exitstatus": exitstatus,
              "config": config}
    stdout = sys.stdout
    # pytest writes to the same stdout as ``print``: the order between them is kept.
    sys.stdout = writes
    try:
        for written, functions in zip(writes.parts, parts):
            writes.current = written
            for function in functions:
                hooks.invoke(function, kwargs)
    finally:
        sys.stdout = stdout
    return writes.parts


def make_stats(reports, collect_errors, collect_skips, warnings):
    """pytest's ``TerminalReporter.stats``, category -> reports, from the Rust side's record:
    ``(category, nodeid, location, when, outcome, longrepr, duration, sections,
    user_properties, wasxfail)`` of each test report (a ``run.py`` longrepr), ``(nodeid,
    longrepr, sections)`` of each failed collector, ``(nodeid, path, lineno, message)`` of
    each skipped module and ``(location, message)`` of each warning."""
    from _pytest.reports import CollectReport
    from _pytest.terminal import WarningReport

    stats = {}
    for nodeid, longrepr, sections in collect_errors:
        stats.setdefault("error", []).append(CollectReport(nodeid, "failed", longrepr, None, sections))
    for nodeid, path, lineno, message in collect_skips:
        stats.setdefault("skipped", []).append(CollectReport(nodeid, "skipped", (path, lineno, message), None))
    for category, nodeid, location, when, outcome, longrepr, duration, sections, properties, wasxfail in reports:
        location = location or (nodeid.partition("::")[0], None, nodeid)
        report = hooks.pytest_report(nodeid, location, {}, when, outcome, longrepr, duration, sections, properties,
                                     wasxfail)
        stats.setdefault(category, []).append(report)
    for location, message in warnings:
        stats.setdefault("warnings", []).append(WarningReport(message=message, nodeid=location))
    return stats
