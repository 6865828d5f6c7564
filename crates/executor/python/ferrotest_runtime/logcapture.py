"""pytest's ``caplog`` (``_pytest/logging.py``'s ``LogCaptureFixture``): a
``LogCaptureHandler`` on the root logger (and every non-propagating logger), emptied at the
start of each phase, with the records of each phase kept for ``get_records(when)``, formatted
as the logging plugin formats its reports.

pytest's logging plugin installs that handler around every phase of every test; ferrotest
installs it only while a test uses ``caplog``, from the point the fixture is set up.
"""
# First: importing logging sets the logging plugin up, which imports ``loghandlers``.
import logging

# At the top, not where used: ``from . import`` in a function costs each call microseconds.
from . import builtins, logplugin
from .loghandlers import Catching, LogCaptureHandler, remove_ansi_escape_sequences


class LogCaptureFixture:
    """What ``caplog`` returns."""

    # Shown in tracebacks' argument lists: the same text as pytest's.
    __module__ = "_pytest.logging"

    def __init__(self, item, when):
        self._item = item
        self._initial_handler_level = None
        self._initial_logger_levels = {}
        self._initial_disabled_logging_level = None
        handlers = logplugin.PLUGIN.handlers
        self._handler = LogCaptureHandler()
        self._handler.setFormatter(handlers.formatter)
        self._catching = Catching(self._handler, handlers.log_level)
        self._records = {}
        self.begin_phase(when)

    # The runner's phases: pytest's logging plugin re-installs the handler, emptied, for each.
    def begin_phase(self, when):
        self._handler.reset()
        self._records[when] = self._handler.records
        self._catching.attach()

    def end_phase(self, when, outcome):
        self._catching.detach()

    def _finalize(self):
        """Restore what ``set_level`` changed, and stop capturing."""
        self._catching.detach()
        if self._initial_handler_level is not None:
            self._handler.setLevel(self._initial_handler_level)
        for name, level in self._initial_logger_levels.items():
            logging.getLogger(name).setLevel(level)
        if self._initial_disabled_logging_level is not None:
            logging.disable(self._initial_disabled_logging_level)
            self._initial_disabled_logging_level = None

    @property
    def handler(self):
        return self._handler

    def get_records(self, when):
        """The records of phase ``when`` ("setup", "call" or "teardown")."""
        return self._records.get(when, [])

    @property
    def text(self):
        return remove_ansi_escape_sequences(self._handler.stream.getvalue())

    @property
    def records(self):
        return self._handler.records

    @property
    def record_tuples(self):
        return [(r.name, r.levelno, r.getMessage()) for r in self.records]

    @property
    def messages(self):
        return [r.getMessage() for r in self.records]

    def clear(self):
        self._handler.clear()

    def _force_enable_logging(self, level, logger_obj):
        """Undo a ``logging.disable`` that would hide ``level``; returns the previous one."""
        original = logger_obj.manager.disable
        if isinstance(level, str):
            level = logging.getLevelName(level)
        if not isinstance(level, int):
            logging.disable(logging.NOTSET)
        elif not logger_obj.isEnabledFor(level):
            logging.disable(max(level - 10, logging.NOTSET))
        return original

    def set_level(self, level, logger=None):
        """Set the level of ``logger`` (the root logger by default) and of the handler for the
        rest of the test."""
        logger_obj = logging.getLogger(logger)
        self._initial_logger_levels.setdefault(logger, logger_obj.level)
        logger_obj.setLevel(level)
        if self._initial_handler_level is None:
            self._initial_handler_level = self._handler.level
        self._handler.setLevel(level)
        disabled = self._force_enable_logging(level, logger_obj)
        if self._initial_disabled_logging_level is None:
            self._initial_disabled_logging_level = disabled

    def at_level(self, level, logger=None):
        """``set_level`` for the duration of a ``with`` block."""
        return _AtLevel(self, level, logger)

    def filtering(self, filter_):
        """A ``with`` block during which ``filter_`` is on the handler."""
        return _Filtering(self._handler, filter_)


class _AtLevel:
    def __init__(self, fixture, level, logger):
        self._fixture = fixture
        self._level = level
        self._logger = logging.getLogger(logger)
        self._saved = None

    def __enter__(self):
        handler = self._fixture.handler
        self._saved = (self._logger.level, handler.level)
        self._logger.setLevel(self._level)
        handler.setLevel(self._level)
        self._saved += (self._fixture._force_enable_logging(self._level, self._logger),)

    def __exit__(self, *exc_info):
        logger_level, handler_level, disabled = self._saved
        self._logger.setLevel(logger_level)
        self._fixture.handler.setLevel(handler_level)
        logging.disable(disabled)


class _Filtering:
    def __init__(self, handler, filter_):
        self._handler = handler
        self._filter = filter_
        self._added = False

    def __enter__(self):
        if self._filter not in self._handler.filters:
            self._handler.addFilter(self._filter)
            self._added = True

    def __exit__(self, *exc_info):
        if self._added:
            self._handler.removeFilter(self._filter)


def caplog_fixture(request, when):
    """The body of ``caplog``: capture from now on (phase ``when``) until teardown."""
    fixture = LogCaptureFixture(request.node, when)
    builtins.follow_phases(fixture)
    try:
        yield fixture
    finally:
        builtins.unfollow_phases(fixture)
        fixture._finalize()
