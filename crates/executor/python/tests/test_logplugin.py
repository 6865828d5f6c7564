"""Tests of the logging plugin (``logplugin.py``, ``loghandlers.py``): the stages and phases
pytest catches logs around, live logging's layout and levels.
Expected texts were taken from pytest 9.2.
"""
import logging

import pytest

from ferrotest_runtime import logplugin
from ferrotest_runtime.config import Config
from ferrotest_runtime.hooks import UsageError


class FakeTerminal(logplugin.Terminal):
    """The terminal, writing to a list and with no capture to suspend."""

    def __init__(self, width=40):
        super().__init__(width, False)
        self.out = []

    def capture_disabled(self):
        return _Nothing()

    def write(self, text):
        self.out.append(text)
        self.written = True


class _Nothing:
    def __enter__(self):
        pass

    def __exit__(self, *exc_info):
        pass


@pytest.fixture
def plugin():
    """Makes the session's plugin from ini values; unconfigures it afterwards."""
    def make(terminal=None, **ini):
        logplugin.configure(Config(ini=ini), terminal or FakeTerminal())
        return logplugin.PLUGIN

    yield make
    logplugin.unconfigure()


def _phase(plugin, when, emit):
    plugin.begin_phase(when)
    emit()
    return plugin.end_phase()


def test_a_phase_reports_its_records_formatted_and_stripped(plugin):
    log_plugin = plugin(log_format="%(levelname)s %(name)s %(message)s")
    logger = logging.getLogger("ferrotest.plugin")
    text, live = _phase(log_plugin, "call", lambda: (logger.warning("one"), logger.error("two")))
    assert (text, live) == ("WARNING ferrotest.plugin one\nERROR ferrotest.plugin two", False)
    assert _phase(log_plugin, "teardown", lambda: None) == ("", False)
    log_plugin.settle_phase()
    assert log_plugin.handlers.report_handler not in logging.getLogger().handlers


def test_a_phase_handler_stays_where_reattaching_would_put_it(plugin):
    log_plugin = plugin(log_format="%(message)s")
    handler = log_plugin.handlers.report_handler
    root = logging.getLogger()
    other = logging.NullHandler()
    _phase(log_plugin, "setup", lambda: root.addHandler(other))
    # Kept between phases, but no longer last: the next phase attaches it again, last.
    assert root.handlers[-2:] == [handler, other]
    quiet = logging.getLogger("ferrotest.quiet")

    def stop_propagating():
        root.removeHandler(other)
        quiet.propagate = False

    _phase(log_plugin, "call", stop_propagating)
    assert root.handlers[-1] is handler and handler not in quiet.handlers
    # A logger that stopped propagating gets the handler at the next phase.
    assert _phase(log_plugin, "teardown", lambda: quiet.warning("alone")) == ("alone", False)
    log_plugin.settle_phase()
    assert handler not in root.handlers and handler not in quiet.handlers
    quiet.propagate = True


def test_live_logs_show_a_rule_per_phase_and_a_newline_before_the_first(plugin):
    terminal = FakeTerminal(width=40)
    log_plugin = plugin(terminal, log_cli="true", log_cli_format="%(message)s")
    logger = logging.getLogger("ferrotest.live")
    log_plugin.enter_stage("runtestloop")
    log_plugin.begin_item()
    assert _phase(log_plugin, "setup", lambda: logger.warning("set up"))[1]
    assert not _phase(log_plugin, "call", lambda: None)[1]
    assert _phase(log_plugin, "teardown", lambda: logger.warning("torn down"))[1]
    log_plugin.end_item()
    log_plugin.exit_stage()
    # What pytest's terminal writer shows 40 columns wide.
    assert "".join(terminal.out) == (
        "\n"
        "------------ live log setup ------------\n"
        "set up\n"
        "\n"
        "---------- live log teardown -----------\n"
        "torn down\n"
    )


def test_levels_follow_their_fallbacks_and_refuse_unknown_names():
    levels = logplugin.Levels(Config(ini={"log_level": "info", "log_file_level": "15"}))
    assert (levels.report, levels.cli, levels.file) == (20, 20, 15)
    with pytest.raises(UsageError, match="^'LOUD' is not recognized as a logging level name for 'log_cli_level'"):
        logplugin.Levels(Config(options={"log_cli_level": "loud"}))


def test_blocked_plugin_is_not_configured():
    logplugin.configure(Config(options={"plugins": ["no:logging"]}), FakeTerminal())
    assert logplugin.PLUGIN is None
    assert logplugin.phase_logs().end_phase() == ("", False)
