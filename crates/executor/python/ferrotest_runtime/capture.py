"""pytest's global capture (``_pytest/capture.py``'s ``CaptureManager``) for ``--capture=fd``
(the default), ``sys``, ``tee-sys`` and ``no`` (``-s``).

The runner starts the capture with the test loop and reads what each phase wrote when the
phase ends. pytest suspends it between phases so that its terminal writer reaches the
terminal; ferrotest's reporter writes to a descriptor of its own (see the CLI's
``terminal::stdout``), so the capture stays on, and only ``capsys.disabled()`` and live
logging suspend it. Under ``fd`` one temporary file per stream serves the whole session: a
phase's output is read back from it and the file is emptied, so a phase costs one ``lseek``
per stream when it wrote nothing. ``sys.stdout``/``sys.stderr`` are swapped for text streams
writing to the same open file description as fd 1/2, so ``print``, ``os.write(1, ...)`` and
subprocesses interleave in the order they happened. ``sys`` replaces only
``sys.stdout``/``sys.stderr`` (``tee-sys`` also passes the output on). Except under
``tee-sys`` and ``no``, stdin is replaced for the session by one that refuses to be read, and
under ``fd`` fd 0 reads ``/dev/null``.
"""
import io
import os
import sys
from io import UnsupportedOperation

_STREAMS = (("stdout", 1), ("stderr", 2))
_STDIN_ERROR = "pytest: reading from stdin while output is captured!  Consider using `-s`."


def global_capture(method):
    """The session's capture for pytest's ``--capture`` method."""
    if method == "fd":
        return FDGlobalCapture()
    if method in ("sys", "tee-sys"):
        return SysGlobalCapture(tee=method == "tee-sys")
    return NoCapture()


class GlobalCapture:
    """What every method offers the runner: ``start`` capturing, ``read`` what was written
    since the last read, ``suspend`` and ``resume`` around output meant for the terminal,
    and ``stop``."""

    # The capture running now, which ``capsys.disabled()`` and live logging suspend.
    active = None
    # ``tee-sys``: what is captured reaches the terminal too.
    tee = False
    # ``fd``: writes to fds 1 and 2 are captured, a terminal writer's too.
    captures_fds = False

    def start(self):
        self.resume()

    def stop(self):
        self.suspend()

    def resume(self):
        pass

    def suspend(self):
        pass


class NoCapture(GlobalCapture):
    """``-s``: output goes straight to the terminal."""

    def read(self):
        # What the phase buffered comes before what the reporter writes after it.
        sys.stdout.flush()
        sys.stderr.flush()
        return "", ""


class _Stream:
    """fd 1 or 2, and its ``sys`` stream, redirected to a file of its own."""

    def __init__(self, name, targetfd):
        self.name = name
        self.targetfd = targetfd
        # O_TMPFILE would be nicer but is not portable; unlink right away instead.
        path = "/tmp/ferrotest-capture-%d-%s" % (os.getpid(), name)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.unlink(path)
        self.text = io.TextIOWrapper(
            io.FileIO(self.fd, "w", closefd=False),
            encoding="utf-8",
            errors="replace",
            write_through=True,
        )
        # The terminal's fd, kept for the whole session so a phase costs two dup2 calls.
        self.saved_fd = os.dup(targetfd)
        self.saved_sys = None

    def start(self):
        self.saved_sys = getattr(sys, self.name)
        self.resume()

    def resume(self):
        os.dup2(self.fd, self.targetfd)
        setattr(sys, self.name, self.text)

    def suspend(self):
        setattr(sys, self.name, self.saved_sys)
        os.dup2(self.saved_fd, self.targetfd)

    def close(self):
        """Release the file and the saved descriptor (``capfd`` makes one per test)."""
        self.text.close()
        os.close(self.fd)
        os.close(self.saved_fd)

    def take(self):
        """The bytes written since the file was last emptied; empties it again."""
        return self.cut(0)

    def position(self):
        """How many bytes were written since the file was last emptied."""
        return os.lseek(self.fd, 0, os.SEEK_CUR)

    def cut(self, start):
        """The bytes written after ``start`` (a :meth:`position`), removed from the file."""
        end = os.lseek(self.fd, 0, os.SEEK_CUR)
        if end <= start:
            return b""
        data = os.pread(self.fd, end - start, start)
        os.ftruncate(self.fd, start)
        os.lseek(self.fd, start, os.SEEK_SET)
        return data


class _StreamsCapture(GlobalCapture):
    """A capture of stdout and stderr by a pair of ``streams`` that resume and suspend."""

    def resume(self):
        # Output the interpreter buffered before belongs to the terminal.
        sys.stdout.flush()
        sys.stderr.flush()
        for stream in self.streams:
            stream.resume()
        GlobalCapture.active = self

    def suspend(self):
        GlobalCapture.active = None
        for stream in self.streams:
            stream.suspend()

    def read(self):
        """What was written since the last read. pytest gives ``sys.stdout``/``sys.stderr``
        back after each phase and takes them again for the next, so a test that replaced
        one does not keep it for the next phase: neither here."""
        out, err = self._take()
        for stream in self.streams:
            stream.reinstall()
        return out, err

    def mark(self):
        """Where each stream's output stands since the last :meth:`read`, ``(out, err)``."""
        return tuple(stream.position() for stream in self.streams)

    def cut(self, since):
        """Remove what each stream received since ``since`` (a :meth:`mark`) and return it
        as text, ``(out, err)``: a subtest's output belongs to its own report."""
        return tuple(_text(stream.cut(start)) for stream, start in zip(self.streams, since))


class FDGlobalCapture(_StreamsCapture):
    """``--capture=fd``."""

    captures_fds = True

    def __init__(self):
        self.streams = [_Stream(name, fd) for name, fd in _STREAMS]
        self._stdin = _Stdin(replace_fd=True)

    def start(self):
        self._stdin.replace()
        for stream in self.streams:
            stream.saved_sys = getattr(sys, stream.name)
        self.resume()

    def stop(self):
        self.suspend()
        self._stdin.restore()
        for stream in self.streams:
            stream.close()

    def read(self):
        # ``_StreamsCapture.read`` for the two file streams, in one call: every phase reads.
        out, err = self.streams
        # One ``lseek`` each when nothing was written, as after most phases.
        taken = (_text(out.cut(0)) if os.lseek(out.fd, 0, os.SEEK_CUR) else "",
                 _text(err.cut(0)) if os.lseek(err.fd, 0, os.SEEK_CUR) else "")
        sys.stdout = out.text
        sys.stderr = err.text
        return taken


class CaptureIO(io.TextIOWrapper):
    """An in-memory ``sys.stdout``: UTF-8 bytes underneath, for ``.buffer``."""

    def __init__(self):
        super().__init__(io.BytesIO(), encoding="UTF-8", newline="", write_through=True)

    def getvalue(self):
        return self.buffer.getvalue().decode("UTF-8")


class TeeCaptureIO(CaptureIO):
    """Captured and passed on to the stream it replaced."""

    def __init__(self, other):
        self._other = other
        super().__init__()

    def write(self, s):
        super().write(s)
        return self._other.write(s)


class SysCapture:
    """One of ``sys.stdout``/``sys.stderr`` replaced by an in-memory stream (pytest's
    ``SysCapture``, for the global capture and for ``capsys``)."""

    def __init__(self, name, binary=False, tee=False):
        self.name = name
        self.binary = binary
        self._old = getattr(sys, name)
        self.tmpfile = TeeCaptureIO(self._old) if tee else CaptureIO()

    def start(self):
        setattr(sys, self.name, self.tmpfile)

    def suspend(self):
        setattr(sys, self.name, self._old)

    resume = reinstall = start

    def snap(self):
        data = self.tmpfile.buffer.getvalue()
        if not data:
            return data if self.binary else ""
        self.tmpfile.seek(0)
        self.tmpfile.truncate()
        return data if self.binary else data.decode("UTF-8")

    def position(self):
        """How many bytes were written since the last :meth:`snap`."""
        return self.tmpfile.buffer.tell()

    def cut(self, start):
        """The bytes written after ``start`` (a :meth:`position`), removed from the buffer."""
        buffer = self.tmpfile.buffer
        if buffer.tell() <= start:
            return b""
        data = buffer.getvalue()[start:]
        buffer.seek(start)
        buffer.truncate()
        return data

    def flush_old(self):
        self._old.flush()

    def writeorg(self, data):
        if self.binary:
            self._old.flush()
            self._old.buffer.write(data)
            self._old.buffer.flush()
        else:
            self._old.write(data)
            self._old.flush()

    def done(self):
        setattr(sys, self.name, self._old)
        self.tmpfile.close()


class SysGlobalCapture(_StreamsCapture):
    """``--capture=sys`` and ``--capture=tee-sys``: writes to fd 1 and 2 (``os.write``,
    subprocesses) are not captured."""

    def __init__(self, tee):
        self.tee = tee
        self.streams = [SysCapture(name, tee=tee) for name, _ in _STREAMS]
        # pytest's tee-sys leaves stdin alone.
        self._stdin = None if tee else _Stdin(replace_fd=False)

    def start(self):
        if self._stdin is not None:
            self._stdin.replace()
        self.resume()

    def stop(self):
        self.suspend()
        if self._stdin is not None:
            self._stdin.restore()
        for stream in self.streams:
            stream.done()

    def _take(self):
        out, err = self.streams
        if self.tee:
            # What was passed on comes before what the reporter writes after the phase.
            out.flush_old()
            err.flush_old()
        return out.snap(), err.snap()


def _text(data):
    return data.decode("utf-8", "replace")


class _Stdin:
    """``sys.stdin`` (and under fd capture fd 0, on ``/dev/null``) for the whole session."""

    def __init__(self, replace_fd):
        self._replace_fd = replace_fd
        self._saved_sys = None
        self._saved_fd = None

    def replace(self):
        self._saved_sys = sys.stdin
        sys.stdin = DontReadFromInput()
        if self._replace_fd:
            try:
                self._saved_fd = os.dup(0)
            except OSError:
                self._saved_fd = None
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.close(devnull)

    def restore(self):
        sys.stdin = self._saved_sys
        if self._saved_fd is not None:
            os.dup2(self._saved_fd, 0)
            os.close(self._saved_fd)
            self._saved_fd = None


class DontReadFromInput:
    """pytest's stand-in for ``sys.stdin``: reading it is an error."""

    # Tracebacks show the class as pytest's.
    __module__ = "_pytest.capture"

    @property
    def encoding(self):
        return sys.__stdin__.encoding

    def read(self, size=-1):
        raise OSError(_STDIN_ERROR)

    readline = read

    def __next__(self):
        return self.readline()

    def readlines(self, hint=-1):
        raise OSError(_STDIN_ERROR)

    def __iter__(self):
        return self

    def fileno(self):
        raise UnsupportedOperation("redirected stdin is pseudofile, has no fileno()")

    def flush(self):
        raise UnsupportedOperation("redirected stdin is pseudofile, has no flush()")

    def isatty(self):
        return False

    def close(self):
        pass

    def readable(self):
        return False

    def seek(self, offset, whence=0):
        raise UnsupportedOperation("redirected stdin is pseudofile, has no seek(int)")

    def seekable(self):
        return False

    def tell(self):
        raise UnsupportedOperation("redirected stdin is pseudofile, has no tell()")

    def truncate(self, size=None):
        raise UnsupportedOperation("cannot truncate stdin")

    def write(self, data):
        raise UnsupportedOperation("cannot write to stdin")

    def writelines(self, lines):
        raise UnsupportedOperation("Cannot write to stdin")

    def writable(self):
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass

    @property
    def buffer(self):
        return self


# -- while collecting -----------------------------------------------------------------------
# pytest's capture is on while the initial conftests load, then only while each test file is
# collected (``pytest_make_collect_report`` of a ``File``), and read after each: what a file's
# import printed (with what the initial conftests printed, for the first file) belongs to its
# collect report, shown only when collecting it failed. Other conftests, ``pytest_configure``
# and the collection hooks print straight to the terminal.

_COLLECTING = None
# Whether ``_COLLECTING`` captures right now.
_COLLECTING_ON = False


def resume_collecting():
    """Capture from now on, with the session's ``--capture`` method."""
    global _COLLECTING, _COLLECTING_ON
    if _COLLECTING is None:
        from .config import CONFIG

        _COLLECTING = global_capture(CONFIG.getoption("capture", "fd"))
        _COLLECTING.start()
    else:
        _COLLECTING.resume()
    _COLLECTING_ON = True


def write_uncaptured(text):
    """Write ``text`` to stderr now, even while collecting captures: ferrotest's own word
    to the user, which belongs to no collector's output."""
    capturing = _COLLECTING_ON
    if capturing:
        _COLLECTING.suspend()
    sys.stderr.write(text)
    sys.stderr.flush()
    if capturing:
        _COLLECTING.resume()


def collected_sections():
    """What was printed since the last read, as a collect report's sections; the capture
    must be on."""
    out, err = _COLLECTING.read()
    return [(name, text) for name, text in (("Captured stdout", out), ("Captured stderr", err)) if text]


def suspend_collecting(to_terminal=False):
    """Let output through again; ``to_terminal``: what was captured and not yet read goes to
    the terminal (pytest's way when loading the initial conftests failed)."""
    global _COLLECTING_ON
    if to_terminal:
        out, err = _COLLECTING.read()
    _COLLECTING.suspend()
    _COLLECTING_ON = False
    if to_terminal:
        sys.stdout.write(out)
        sys.stderr.write(err)


def stop_collecting():
    """The end of collection: the runner captures tests with a capture of its own."""
    global _COLLECTING, _COLLECTING_ON
    if _COLLECTING is not None:
        _COLLECTING.stop()
        _COLLECTING = None
    _COLLECTING_ON = False
