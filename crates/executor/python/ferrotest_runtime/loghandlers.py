"""pytest's log handlers and formatters (``_pytest/logging.py``), once ``logging`` is in use:
``logplugin`` imports this module only after ``logging`` exists, and ``logcapture``
(``caplog``) imports ``logging`` first, so importing ``logging`` (which sets the plugin up)
never finds this module half-imported.

``SessionHandlers`` are the logging plugin's: the report handler each test phase catches its
records with (its text becomes the "Captured log" section), and the live-logging and
``log_file`` handlers the session stages catch with.
"""
import logging
import os
import re
from io import StringIO

_ANSI_ESCAPE_SEQ = re.compile(r"\x1b\[[\d;]+m")


def remove_ansi_escape_sequences(text):
    return _ANSI_ESCAPE_SEQ.sub("", text)


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


class DatetimeFormatter(logging.Formatter):
    """pytest's formatter: a ``%f`` in the date format means microseconds."""

    def formatTime(self, record, datefmt=None):
        if datefmt and "%f" in datefmt:
            from datetime import datetime, timedelta, timezone

            ct = self.converter(record.created)
            tz = timezone(timedelta(seconds=ct.tm_gmtoff), ct.tm_zone)
            dt = datetime(*ct[0:6], microsecond=int(record.msecs * 1000), tzinfo=tz)
            return dt.strftime(datefmt)
        return super().formatTime(record, datefmt)


class ColoredLevelFormatter(DatetimeFormatter):
    """With colours on, the ``%(levelname)s`` part in the level's colour."""

    # pytest's colours per level; its ERROR has red and bold as a set, so their order follows
    # the string hashes of the run: red first is one of the two orders it writes.
    LOGLEVEL_COLORS = {
        logging.CRITICAL: "\x1b[31m",
        logging.ERROR: "\x1b[31m\x1b[1m",
        logging.WARNING: "\x1b[33m",
        logging.INFO: "\x1b[32m",
        logging.DEBUG: "\x1b[35m",
        logging.NOTSET: "",
    }
    LEVELNAME_FMT_REGEX = re.compile(r"%\(levelname\)([+-.]?\d*(?:\.\d+)?s)")

    def __init__(self, fmt, datefmt):
        super().__init__(fmt, datefmt)
        self._original_fmt = self._style._fmt
        match = self.LEVELNAME_FMT_REGEX.search(self._fmt)
        self._level_to_fmt_mapping = {}
        for level, escape in self.LOGLEVEL_COLORS.items():
            levelname = match.group() % {"levelname": logging.getLevelName(level)}
            colored = escape + levelname + "\x1b[0m" if escape else levelname
            # A replacement function: the escapes and the level name are no template.
            self._level_to_fmt_mapping[level] = self.LEVELNAME_FMT_REGEX.sub(lambda _: colored, self._fmt)

    def format(self, record):
        self._style._fmt = self._level_to_fmt_mapping.get(record.levelno, self._original_fmt)
        return super().format(record)


def create_formatter(log_format, log_date_format, auto_indent, markup):
    """pytest's ``LoggingPlugin._create_formatter``; ``markup``: the terminal shows colours."""
    if markup and ColoredLevelFormatter.LEVELNAME_FMT_REGEX.search(log_format):
        formatter = ColoredLevelFormatter(log_format, log_date_format)
    else:
        formatter = DatetimeFormatter(log_format, log_date_format)
    formatter._style = PercentStyleMultiline(formatter._style._fmt, auto_indent)
    return formatter


def option_ini(config, *names):
    """pytest's ``get_option_ini``: the first of the options (else its ini value) that is set."""
    for name in names:
        value = config.getoption(name, None)
        if value is None:
            value = config.getini(name)
        if value:
            return value
    return None


# ``Logger.addHandler``'s and ``removeHandler``'s bodies under ``logging``'s module lock (a
# reentrant one), which they take in three calls: each phase of each test attaches and
# detaches a handler. Loggers of a class overriding either get theirs called.
_LOCK = logging._lock
_ADD_HANDLER = logging.Logger.addHandler
_REMOVE_HANDLER = logging.Logger.removeHandler


class Catching:
    """pytest's ``catching_logs``: the handler on the root logger and every logger that does
    not propagate to it, with the root logger lowered to the configured level if needed."""

    def __init__(self, handler, level):
        self.handler = handler
        self.level = level
        self.attached = []
        self.orig_level = None

    def attach(self):
        handler = self.handler
        if self.level is not None:
            handler.setLevel(self.level)
        attached = _catching_loggers()
        # Inline rather than in a helper: every phase of every test comes here.
        with _LOCK:
            for logger in attached:
                if type(logger).addHandler is not _ADD_HANDLER:
                    logger.addHandler(handler)
                elif handler not in logger.handlers:
                    logger.handlers.append(handler)
        self.attached = attached
        if self.level is not None:
            root = logging.root
            self.orig_level = root.level
            root.setLevel(min(self.orig_level, self.level))

    def detach(self):
        if self.level is not None:
            logging.root.setLevel(self.orig_level)
        handler = self.handler
        with _LOCK:
            for logger in self.attached:
                if type(logger).removeHandler is not _REMOVE_HANDLER:
                    logger.removeHandler(handler)
                elif handler in logger.handlers:
                    logger.handlers.remove(handler)
        self.attached = []

    def reattaching_changes_nothing(self):
        """Whether ``detach`` then ``attach`` would leave every logger as it is now: no level
        to set, the same loggers to catch, and on each the handler still last of its handlers
        (where ``attach`` appends it), added and removed by ``logging``'s own methods."""
        if self.level is not None:
            return False
        handler = self.handler
        attached = self.attached
        for logger in attached:
            cls = type(logger)
            handlers = logger.handlers
            if (not handlers or handlers[-1] is not handler or cls.addHandler is not _ADD_HANDLER
                    or cls.removeHandler is not _REMOVE_HANDLER):
                return False
        root = logging.root
        if not root.manager.loggerDict:
            # No logger but the root one, as often: ``_catching_loggers`` without a call.
            return len(attached) == 1 and attached[0] is root
        return _catching_loggers() == attached


def _catching_loggers():
    """The loggers a ``Catching`` puts its handler on: the root logger (what ``getLogger()``
    returns) and every logger that does not propagate to it."""
    root = logging.root
    loggers = [root]
    for logger in root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger) and not logger.propagate and logger is not root:
            loggers.append(logger)
    return loggers


class _FileHandler(logging.FileHandler):
    """The ``log_file`` handler."""

    def handleError(self, record):
        # Handled by LogCaptureHandler.
        pass


class _LiveLoggingStreamHandler(logging.StreamHandler):
    """pytest's ``_LiveLoggingStreamHandler``: writes a newline before the first record of a
    test, and a ``live log <when>`` rule before the first record of each stage or phase.
    ``terminal`` suspends capturing while it writes."""

    def __init__(self, terminal):
        super().__init__(stream=terminal)
        self.reset()
        self.set_when(None)
        self._test_outcome_written = False

    def reset(self):
        """Before each test."""
        self._first_record_emitted = False

    def set_when(self, when):
        self._when = when
        self._section_name_shown = False
        if when == "start":
            self._test_outcome_written = False

    def emit(self, record):
        with self.stream.capture_disabled():
            self._emit(record)

    def _emit(self, record):
        if not self._first_record_emitted:
            self.stream.write("\n")
            self._first_record_emitted = True
        elif self._when in ("teardown", "finish"):
            if not self._test_outcome_written:
                self._test_outcome_written = True
                self.stream.write("\n")
        if not self._section_name_shown and self._when:
            self.stream.section("live log " + self._when, sep="-", bold=True)
            self._section_name_shown = True
        super().emit(record)

    def handleError(self, record):
        # Handled by LogCaptureHandler.
        pass


class _LiveLoggingNullHandler(logging.NullHandler):
    """Stands for live logging when ``log_cli`` is off: its level still counts."""

    def reset(self):
        pass

    def set_when(self, when):
        pass

    def handleError(self, record):
        pass


class SessionHandlers:
    """pytest's ``LoggingPlugin.__init__``: the formatters and handlers the session uses, from
    the options and ini values; ``levels`` are the plugin's (see ``logplugin.Levels``),
    ``terminal`` where live logs go when ``live`` (``log_cli``) is on."""

    def __init__(self, config, levels, terminal, live):
        auto_indent = option_ini(config, "log_auto_indent")
        self.formatter = create_formatter(option_ini(config, "log_format"), option_ini(config, "log_date_format"),
                                          auto_indent, terminal.markup)
        self.log_level = levels.report
        self.report_handler = LogCaptureHandler()
        self.report_handler.setFormatter(self.formatter)
        self.file_handler = _file_handler(config)
        self.live = _LiveLoggingStreamHandler(terminal) if live else _LiveLoggingNullHandler()
        self.live.setFormatter(create_formatter(option_ini(config, "log_cli_format", "log_format"),
                                                option_ini(config, "log_cli_date_format", "log_date_format"),
                                                auto_indent, terminal.markup))
        # Outermost first, as pytest's plugin nests them.
        self.stage = (Catching(self.live, levels.cli), Catching(self.file_handler, levels.file))
        self.phase = Catching(self.report_handler, levels.report)
        # The last phase ended with its handler still attached (see ``detach_phase``).
        self._lingering = False
        for name in config.getoption("logger_disable", None) or ():
            logging.getLogger(name).disabled = True

    def attach_stage(self):
        for catching in self.stage:
            catching.attach()

    def detach_stage(self):
        for catching in reversed(self.stage):
            catching.detach()

    def attach_phase(self):
        # Nothing else holds the report handler's records or stream: after a phase that
        # logged nothing they are as a reset leaves them.
        if self.report_handler.records:
            self.report_handler.reset()
        if self._lingering:
            self._lingering = False
            if self.phase.reattaching_changes_nothing():
                return
            self.phase.detach()
        self.phase.attach()

    def detach_phase(self):
        """The phase's text for its "Captured log" section ("" when it logged nothing).

        The handler stays attached until the next phase or ``settle_phase``: until then
        only ferrotest's own code runs (the caller settles before anything else may), and
        the next phase keeps it where it is when re-attaching would change nothing, which
        spares each phase of each test a detach and an attach. (As with the phases the
        runner skips, only other threads could tell: what they log meanwhile reaches the
        handler, whose records the next phase drops.)"""
        self._lingering = True
        if not self.report_handler.records:
            return ""
        return self.report_handler.stream.getvalue().strip()

    def settle_phase(self):
        """Detach the handler the last phase left attached (see ``detach_phase``)."""
        if self._lingering:
            self._lingering = False
            self.phase.detach()

    def catch_apart(self):
        """A report handler of its own, attached until the returned ``Catching`` detaches."""
        handler = LogCaptureHandler()
        handler.setFormatter(self.formatter)
        catching = Catching(handler, self.log_level)
        catching.attach()
        return catching

    def close(self):
        self.file_handler.close()


def _file_handler(config):
    """The ``log_file`` handler; pytest's writes to ``os.devnull`` when there is no file."""
    log_file = option_ini(config, "log_file") or os.devnull
    if log_file != os.devnull:
        directory = os.path.dirname(os.path.abspath(log_file))
        if not os.path.isdir(directory):
            os.makedirs(directory)
    handler = _FileHandler(log_file, mode=option_ini(config, "log_file_mode") or "w", encoding="UTF-8")
    handler.setFormatter(DatetimeFormatter(option_ini(config, "log_file_format", "log_format"),
                                           datefmt=option_ini(config, "log_file_date_format", "log_date_format")))
    return handler
