"""pytest's ``capsys``, ``capsysbinary``, ``capteesys``, ``capfd`` and ``capfdbinary``
(``_pytest/capture.py``'s ``CaptureFixture``).

A fixture captures inside the runner's global capture: it starts on top of it (swapping
``sys.stdout``/``sys.stderr``, or for ``capfd`` also taking over fds 1 and 2) and, as pytest's
capture manager does, stops at the end of every phase and starts again at the next one. On
stopping, output the test did not read is written on to the global capture, so it still shows
in the report's "Captured stdout" section of the phase that produced it.
"""
import os
from collections import namedtuple

# At the top, not where used: ``from . import`` in a function costs each call microseconds.
from . import builtins
from .capture import GlobalCapture, SysCapture, _Stream

# pytest's ``CaptureResult`` is a NamedTuple of the same name and fields.
CaptureResult = namedtuple("CaptureResult", ["out", "err"])

# The capture fixture of the running test: pytest allows one at a time.
_current = None


class FDCapture:
    """fd 1 or 2 (and the matching ``sys`` stream) redirected to a file of its own, as the
    global capture does: ``os.write`` and subprocesses are captured too."""

    def __init__(self, name, targetfd, binary):
        self.binary = binary
        self.stream = _Stream(name, targetfd)

    def start(self):
        self.stream.start()

    def suspend(self):
        self.stream.suspend()

    def resume(self):
        self.stream.resume()

    def snap(self):
        data = self.stream.take()
        return data if self.binary else data.decode("utf-8", "replace")

    def writeorg(self, data):
        os.write(self.stream.saved_fd, data if self.binary else data.encode("utf-8"))

    def done(self):
        self.stream.suspend()
        self.stream.close()


class _Captures:
    """pytest's ``MultiCapture`` for stdout and stderr."""

    def __init__(self, out, err):
        self.out = out
        self.err = err
        self.started = False

    def start(self):
        self.out.start()
        self.err.start()
        self.started = True

    def suspend(self):
        self.out.suspend()
        self.err.suspend()
        self.started = False

    def resume(self):
        self.out.resume()
        self.err.resume()
        self.started = True

    def readouterr(self):
        return self.out.snap(), self.err.snap()

    def done(self):
        self.out.done()
        self.err.done()


def _sys_captures(binary=False, tee=False):
    return _Captures(SysCapture("stdout", binary, tee), SysCapture("stderr", binary, tee))


def _fd_captures(binary=False):
    return _Captures(FDCapture("stdout", 1, binary), FDCapture("stderr", 2, binary))


class CaptureFixture:
    """What ``capsys`` and its siblings return: ``readouterr()`` and ``disabled()``."""

    # Shown in tracebacks' argument lists: the same text as pytest's.
    __module__ = "_pytest.capture"

    def __init__(self, make_captures, empty, tee, request):
        self.request = request
        self._make_captures = make_captures
        self._empty = empty
        self._tee = tee
        self._captures = None
        self._captured_out = empty
        self._captured_err = empty

    def _start(self):
        if self._captures is None:
            self._captures = self._make_captures()
            self._captures.start()

    def close(self):
        """Stop capturing. Unread output goes on to the streams underneath (which ``capteesys``
        already wrote to) and stays readable."""
        if self._captures is None:
            return
        out, err = self._captures.readouterr()
        if not self._tee:
            if out:
                self._captures.out.writeorg(out)
            if err:
                self._captures.err.writeorg(err)
        self._captured_out += out
        self._captured_err += err
        self._captures.done()
        self._captures = None

    def readouterr(self):
        """The output captured so far as ``(out, err)``; resets it."""
        out, err = self._captured_out, self._captured_err
        if self._captures is not None:
            new_out, new_err = self._captures.readouterr()
            out += new_out
            err += new_err
        self._captured_out = self._captured_err = self._empty
        return CaptureResult(out, err)

    def disabled(self):
        """A context manager letting output reach the terminal while inside it."""
        return _Disabled(self)

    # The runner's phases: pytest's ``activate_fixture``/``deactivate_fixture``.
    def begin_phase(self, when):
        self._start()

    def end_phase(self, when, outcome):
        self.close()


def global_and_fixture_disabled():
    """A context manager letting the running test's output (and live logs) reach the
    terminal while inside it."""
    return _Disabled(_current)


class _Disabled:
    """pytest's ``global_and_fixture_disabled``: the fixture (if any), then the global
    capture, step aside; they come back in the reverse order."""

    def __init__(self, fixture):
        self._fixture = fixture
        self._fixture_suspended = False
        self._global = None

    def __enter__(self):
        captures = self._fixture._captures if self._fixture is not None else None
        if captures is not None and captures.started:
            captures.suspend()
            self._fixture_suspended = True
        self._global = GlobalCapture.active
        if self._global is not None:
            self._global.suspend()

    def __exit__(self, *exc_info):
        if self._global is not None:
            self._global.resume()
        if self._fixture_suspended:
            self._fixture._captures.resume()


_KINDS = {
    "capsys": (lambda: _sys_captures(), "", False),
    "capsysbinary": (lambda: _sys_captures(binary=True), b"", False),
    "capteesys": (lambda: _sys_captures(tee=True), "", True),
    "capfd": (lambda: _fd_captures(), "", False),
    "capfdbinary": (lambda: _fd_captures(binary=True), b"", False),
}


def capture_fixture(request, kind):
    """The body of the ``kind`` fixture (``capsys``, ...): pytest's ``set_fixture``,
    ``_start``, then ``close`` and ``unset_fixture`` at teardown."""
    global _current
    if _current is not None:
        request.raiseerror("cannot use %s and %s at the same time"
                           % (request.fixturename, _current.request.fixturename))
    make_captures, empty, tee = _KINDS[kind]
    fixture = _current = CaptureFixture(make_captures, empty, tee, request)
    fixture._start()
    builtins.follow_phases(fixture)
    try:
        yield fixture
    finally:
        builtins.unfollow_phases(fixture)
        fixture.close()
        _current = None
