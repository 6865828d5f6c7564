"""pytest's logging plugin (``_pytest/logging.py``'s ``LoggingPlugin``): the records of each
test phase become its report's "Captured log <when>" section; with ``log_cli`` they are also
shown live between the progress lines ("live log call"), and ``log_file`` gets them too.

pytest puts its handlers on the root logger for each stage of the session (``sessionstart``,
``collection``, the test loop, ``sessionfinish``) and for each test phase. ferrotest does the
same from the moment ``logging`` is imported: until then nothing can log, and a finder on
``sys.meta_path`` waits for that import to install the handlers right after it, so a suite
that never logs does not pay for importing ``logging``, and the phase that first imports it
still has its records captured. The handlers themselves live in ``loghandlers``.
"""
import sys

# The session's plugin; None before ``configure`` and with ``-p no:logging``.
PLUGIN = None


def configure(config, terminal):
    """pytest's ``pytest_configure`` of the plugin, after the conftests'. ``terminal``: how to
    write live logs to the terminal (see ``Terminal``)."""
    global PLUGIN
    if not blocked(config):
        PLUGIN = LoggingPlugin(config, terminal)


def blocked(config):
    """``-p no:logging``: no plugin, and no ``caplog``."""
    return "no:logging" in (config.getoption("plugins", None) or ())


def unconfigure():
    global PLUGIN
    if PLUGIN is not None:
        PLUGIN.close()
        PLUGIN = None


def enter_stage(name):
    """A stage of the session begins ("sessionstart", "collection", "runtestloop",
    "sessionfinish"): pytest's plugin catches logs around each (live logs show under its
    name, those of the test loop under the phases')."""
    if PLUGIN is not None:
        PLUGIN.enter_stage(name)


def exit_stage():
    if PLUGIN is not None:
        PLUGIN.exit_stage()


class stage:
    """``with stage("sessionstart"):`` — ``enter_stage`` and ``exit_stage`` around a block."""

    def __init__(self, name):
        self._name = name

    def __enter__(self):
        enter_stage(self._name)

    def __exit__(self, *exc_info):
        exit_stage()


def catch_subtest_logs():
    """pytest's ``capturing_logs`` for a ``subtests.test()`` block: a ``Catching`` whose
    handler catches the block's records until it detaches; None when nothing can log."""
    if PLUGIN is None or PLUGIN.handlers is None:
        return None
    return PLUGIN.handlers.catch_apart()


def phase_logs():
    """What the runner tells about phases, and with ``live_enabled`` about items: the
    plugin, or nothing to tell."""
    return PLUGIN if PLUGIN is not None else _DISABLED


class Terminal:
    """Where live logs go: pytest's terminal writer on the process's stdout, with the
    width and markup of the Rust reporter. ``written`` tells the runner that a phase's live
    logs ended the terminal's line behind the reporter's back."""

    def __init__(self, width, markup):
        self.width = width or 80
        self.markup = markup
        self._file = sys.stdout
        self.written = False

    def capture_disabled(self):
        """pytest's ``global_and_fixture_disabled``: what the running test's capture lets
        through while live logging writes."""
        from .capfixtures import global_and_fixture_disabled

        return global_and_fixture_disabled()

    def write(self, text):
        self._file.write(text)
        self._file.flush()
        self.written = True

    def flush(self):
        pass

    def section(self, title, sep="=", bold=False):
        """pytest's ``TerminalWriter.sep`` with a title."""
        fill = sep * max((self.width - len(title) - 2) // (2 * len(sep)), 1)
        line = "%s %s %s" % (fill, title, fill)
        if len(line) + len(sep.rstrip()) <= self.width:
            line += sep.rstrip()
        if bold and self.markup:
            line = "\x1b[1m" + line + "\x1b[0m"
        self.write(line + "\n")


class LoggingPlugin:
    """The plugin's state across the session; its handlers exist once ``logging`` does."""

    def __init__(self, config, terminal):
        self._config = config
        self.terminal = terminal
        self.live_enabled = bool(config.getoption("log_cli_level", None) is not None or config.getini("log_cli"))
        self.levels = Levels(config)
        self._stage = None
        self._phase = None
        self.handlers = None
        # Live logs and a log file are asked for: logging is the point, import it now.
        log_file = config.getoption("log_file", None) or config.getini("log_file")
        self._awaiting = None
        if "logging" in sys.modules or self.live_enabled or log_file:
            self._activate()
        else:
            from .awaitimport import AwaitImport

            self._awaiting = AwaitImport("logging", lambda logging: self._activate())
            sys.meta_path.insert(0, self._awaiting)

    def _activate(self):
        """Set the handlers up, and catch logs already if a stage or a phase is running."""
        from .loghandlers import SessionHandlers

        self.handlers = SessionHandlers(self._config, self.levels, self.terminal, self.live_enabled)
        if self._stage is not None:
            self._enter_stage(self._stage)
        if self._phase is not None:
            self.handlers.live.set_when(self._phase)
            self.handlers.attach_phase()

    def close(self):
        if self._awaiting in sys.meta_path:
            sys.meta_path.remove(self._awaiting)
        if self.handlers is not None:
            self.handlers.settle_phase()
            self.handlers.close()

    # -- session stages -------------------------------------------------------------------

    def enter_stage(self, name):
        # pytest's --fixtures collects without the collection hook the plugin wraps.
        if name == "collection" and self._config.getoption("showfixtures", False):
            return
        self._stage = name
        if self.handlers is not None:
            self._enter_stage(name)

    def _enter_stage(self, name):
        # The test loop's records show under the names of the phases.
        if name != "runtestloop":
            self.handlers.live.set_when(name)
        self.handlers.attach_stage()

    def exit_stage(self):
        self.settle_phase()
        if self._stage is None:
            return
        self._stage = None
        if self.handlers is not None:
            self.handlers.detach_stage()

    # -- test items and phases --------------------------------------------------------------

    # Without live logging the live handler is a ``logging.NullHandler``, which needs no news:
    # the runner tells about items only with ``live_enabled``, which makes the handlers at once.

    def begin_item(self):
        self.handlers.live.reset()
        self.handlers.live.set_when("start")

    def end_item(self):
        self.handlers.live.set_when("finish")

    def begin_phase(self, when):
        self._phase = when
        if self.handlers is not None:
            self.terminal.written = False
            if self.live_enabled:
                self.handlers.live.set_when(when)
            self.handlers.attach_phase()

    def end_phase(self):
        """The phase's text for its "Captured log" section ("" when it logged nothing), and
        whether live logging wrote to the terminal while it ran."""
        self._phase = None
        if self.handlers is None:
            return "", False
        terminal = self.terminal
        written, terminal.written = terminal.written, False
        return self.handlers.detach_phase(), written

    def settle_phase(self):
        """Code other than the next phase's may run: the last phase's handler goes (see
        ``SessionHandlers.detach_phase``)."""
        if self.handlers is not None:
            self.handlers.settle_phase()


class Levels:
    """The plugin's levels, checked when it is configured (a bad one is a usage error) though
    ``logging`` may come much later: the report handler's, the live logs' and the log file's;
    None where unset."""

    # ``logging``'s level names, which pytest looks up as attributes of the module.
    _NAMES = {"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARN": 30, "WARNING": 30, "INFO": 20, "DEBUG": 10,
              "NOTSET": 0}

    def __init__(self, config):
        self.report = self._level(config, "log_level")
        self.cli = self._level(config, "log_cli_level", "log_level")
        self.file = self._level(config, "log_file_level", "log_level")

    @classmethod
    def _level(cls, config, *setting_names):
        """pytest's ``get_log_level_for_setting``: the level of the first setting set."""
        for setting_name in setting_names:
            level = config.getoption(setting_name, None)
            if level is None:
                level = config.getini(setting_name)
            # An int 0 (NOTSET) is a valid level, only None and "" mean unset.
            if level is not None and level != "":
                break
        else:
            return None
        if isinstance(level, int):
            return level
        level = level.upper()
        try:
            return int(cls._NAMES.get(level, level))
        except ValueError:
            from .hooks import UsageError

            raise UsageError("'%s' is not recognized as a logging level name for '%s'. Please consider passing "
                             "the logging level num instead." % (level, setting_name)) from None


class _Disabled:
    """The logging plugin's part in a test when ``-p no:logging`` blocks it."""

    live_enabled = False

    def begin_phase(self, when):
        pass

    def end_phase(self):
        return "", False

    def settle_phase(self):
        pass


_DISABLED = _Disabled()
