"""The handler each phase catches logs with, seen from tests that change the loggers: what a
phase leaves behind must not change where the next phase's handler goes."""
import logging

import pytest

root = logging.getLogger()
late = logging.getLogger("late")


class CountingLogger(logging.Logger):
    """A logger whose own ``addHandler`` the phases' handlers go through."""

    calls = 0

    def addHandler(self, handler):
        CountingLogger.calls += 1
        super().addHandler(handler)


logging.setLoggerClass(CountingLogger)
counting = logging.getLogger("counting")
logging.setLoggerClass(logging.Logger)
counting.propagate = False


def observe(text):
    with open("observed.txt", "a") as file:
        file.write(text + "\n")


def capture_handler_positions():
    return [i for i, handler in enumerate(root.handlers) if type(handler).__name__ == "LogCaptureHandler"]


@pytest.fixture
def extra_handler():
    handler = logging.NullHandler()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def test_handler_added_in_setup_comes_before_the_calls_handlers(extra_handler):
    observe("extra handler first: %s" % (root.handlers.index(extra_handler) < min(capture_handler_positions())))
    logging.warning("caught in the call")
    assert False


@pytest.fixture
def stops_propagating():
    late.propagate = False
    yield
    late.propagate = True


def test_logger_that_stops_propagating_in_setup_is_caught(stops_propagating):
    late.warning("caught although it does not propagate")
    assert False


def test_logger_that_propagates_again_is_caught_once():
    late.warning("caught once")
    assert False


@pytest.fixture
def add_handler_calls():
    return CountingLogger.calls


def test_overridden_add_handler_is_called_for_each_phase(add_handler_calls):
    observe("addHandler called again for the call: %s" % (CountingLogger.calls > add_handler_calls))
    counting.warning("from a logger with its own addHandler")
    assert False


def test_passes_quietly():
    logging.warning("not shown")
