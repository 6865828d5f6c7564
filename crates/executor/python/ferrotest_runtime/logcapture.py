"""pytest's ``caplog`` (``_pytest/logging.py``): a ``LogCaptureHandler`` on the root logger
(and every non-propagating logger), emptied at the start of each phase, with the records of
each phase kept for ``get_records(when)``.

pytest's logging plugin installs that handler around every phase of every test; ferrotest
installs it only while a test uses ``caplog``, from the point the fixture is set up.
"""
import logging
import re
from io import StringIO

DEFAULT_LOG_FORMAT = "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s"
DEFAULT_LOG_DATE_FORMAT = "%H:%M:%S"
_ANSI_ESCAPE_SEQ = re.compile(r"\x1b\[[\d;]+m")


class LogCaptureHandler(logging.StreamHandler):
    """Keeps the records, and their formatted text in a ``StringIO``."""

    def __init__(self):
        super().__init__(StringIO())
        self.records = []

    def emit(self, record):
        self.records.append(record)
        super().emit(record)

    def reset(self):
        # A new list: the previous phase's records stay readable through get_records().
        self.records = []
        self.stream = StringIO()

    def clear(self):
        self.records.clear()
        self.stream = StringIO()

    def handleError(self, record):
        # Fail the test on a bad log call instead of logging's "--- Logging error ---".
        if logging.raiseExceptions:
            raise


class PercentStyleMultiline(logging.PercentStyle):
    """pytest's style: with auto-indent on, continuation lines of a multi-line message are
    indented to where its first line starts."""

    def __init__(self, fmt, auto_indent):
        super().__init__(fmt)
        self._auto_indent = self._get_auto_indent(auto_indent)

    @staticmethod
    def _get_auto_indent(option):
        """-1 (indent automatically), 0 (off) or a fixed indentation."""
        if option is None or option is False:
            return 0
        if option is True:
            return -1
        if isinstance(option, int):
            return max(option, 0)
        if isinstance(option, str):
            try:
                return max(int(option), 0)
            except ValueError:
                pass
            lowered = option.lower()
            if lowered in ("y", "yes", "t", "true", "on", "1"):
                return -1
        return 0

    def format(self, record):
        if "\n" in record.message:
            auto_indent = (self._get_auto_indent(record.auto_indent) if hasattr(record, "auto_indent")
                           else self._auto_indent)
            if auto_indent:
                lines = record.message.splitlines()
                formatted = self._fmt % {**record.__dict__, "message": lines[0]}
                if auto_indent < 0:
                    indentation = _ANSI_ESCAPE_SEQ.sub("", formatted).find(lines[0])
                else:
                    indentation = auto_indent
                lines[0] = formatted
                return ("\n" + " " * indentation).join(lines)
        return self._fmt % record.__dict__


def _formatter(config):
    formatter = logging.Formatter(_option_ini(config, "log_format") or DEFAULT_LOG_FORMAT,
                                  _option_ini(config, "log_date_format") or DEFAULT_LOG_DATE_FORMAT)
    formatter._style = PercentStyleMultiline(formatter._style._fmt, _option_ini(config, "log_auto_indent"))
    return formatter


def _option_ini(config, name):
    """pytest's ``get_option_ini``: the command-line value, else the ini value."""
    value = config.getoption(name, None)
    return value if value is not None else config.getini(name)


def _log_level(config):
    """pytest's ``get_log_level_for_setting(config, "log_level")``: None when unset."""
    level = _option_ini(config, "log_level")
    if level is None or level == "":
        return None
    if isinstance(level, int):
        return level
    level = level.upper()
    try:
        return int(getattr(logging, level, level))
    except ValueError:
        raise ValueError("'%s' is not recognized as a logging level name for 'log_level'. "
                         "Please consider passing the logging level num instead." % level) from None


class _Catching:
    """pytest's ``catching_logs``: the handler on the root logger and every logger that does
    not propagate to it, with the root logger lowered to the configured level if needed."""

    def __init__(self, handler, level):
        self.handler = handler
        self.level = level
        self.attached = []
        self.orig_level = None

    def attach(self):
        root = logging.getLogger()
        if self.level is not None:
            self.handler.setLevel(self.level)
        self.attached = [root] + [logger for logger in root.manager.loggerDict.values()
                                  if isinstance(logger, logging.Logger) and not logger.propagate
                                  and logger is not root]
        for logger in self.attached:
            logger.addHandler(self.handler)
        if self.level is not None:
            self.orig_level = root.level
            root.setLevel(min(self.orig_level, self.level))

    def detach(self):
        if self.level is not None:
            logging.getLogger().setLevel(self.orig_level)
        for logger in self.attached:
            logger.removeHandler(self.handler)
        self.attached = []


class LogCaptureFixture:
    """What ``caplog`` returns."""

    # Shown in tracebacks' argument lists: the same text as pytest's.
    __module__ = "_pytest.logging"

    def __init__(self, item, config, when):
        self._item = item
        self._initial_handler_level = None
        self._initial_logger_levels = {}
        self._initial_disabled_logging_level = None
        self._handler = LogCaptureHandler()
        self._handler.setFormatter(_formatter(config))
        self._catching = _Catching(self._handler, _log_level(config))
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
        return _ANSI_ESCAPE_SEQ.sub("", self._handler.stream.getvalue())

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
    from . import builtins

    fixture = LogCaptureFixture(request.node, request.config, when)
    builtins.follow_phases(fixture)
    try:
        yield fixture
    finally:
        builtins.unfollow_phases(fixture)
        fixture._finalize()
