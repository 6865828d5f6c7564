"""pytest's default fd-level capture of stdout and stderr.

One temporary file per stream serves the whole session: a test's output is read back from it
and the file is truncated, so capturing costs a few ``dup2`` calls per test and no file
creation. ``sys.stdout``/``sys.stderr`` are swapped for text streams writing to the same open
file description as fd 1/2, so ``print``, ``os.write(1, ...)`` and subprocesses interleave in
the order they happened.
"""
import io
import os
import sys

_STREAMS = (("stdout", 1), ("stderr", 2))


class _Stream:
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
        # The terminal's fd, kept for the whole session so a test costs two dup2 calls.
        self.saved_fd = os.dup(targetfd)
        self.saved_sys = None

    def start(self):
        self.saved_sys = getattr(sys, self.name)
        self.resume()

    def resume(self):
        os.dup2(self.fd, self.targetfd)
        setattr(sys, self.name, self.text)

    def stop(self):
        setattr(sys, self.name, self.saved_sys)
        os.dup2(self.saved_fd, self.targetfd)

    def close(self):
        """Release the file and the saved descriptor (``capfd`` makes one per test)."""
        self.text.close()
        os.close(self.fd)
        os.close(self.saved_fd)

    def take(self, size):
        """The bytes written since the file was last emptied; empties it again."""
        if not size:
            return b""
        data = os.pread(self.fd, size, 0)
        os.ftruncate(self.fd, 0)
        os.lseek(self.fd, 0, os.SEEK_SET)
        return data


class Capture:
    """Captures one test at a time; ``mark`` records where each phase's output ends."""

    # The capture of the running test, which ``capsys.disabled()`` suspends.
    active = None

    def __init__(self):
        self.streams = [_Stream(name, fd) for name, fd in _STREAMS]
        self._fds = tuple(stream.fd for stream in self.streams)

    def start(self):
        # Output the interpreter buffered before the test belongs to the terminal.
        sys.stdout.flush()
        sys.stderr.flush()
        for stream in self.streams:
            stream.start()
        Capture.active = self

    def suspend(self):
        """Let output through to the terminal until :meth:`resume` (``capsys.disabled()``)."""
        for stream in self.streams:
            stream.stop()

    def resume(self):
        for stream in self.streams:
            stream.resume()

    def mark(self):
        # Called three times per test: one lseek per stream, nothing else.
        out, err = self._fds
        return (os.lseek(out, 0, os.SEEK_CUR), os.lseek(err, 0, os.SEEK_CUR))

    def cut(self, since):
        """Remove what each stream received since ``since`` (a :meth:`mark`) and return it
        as text, ``(out, err)``: a subtest's output belongs to its own report."""
        texts = []
        for stream, start in zip(self.streams, since):
            end = os.lseek(stream.fd, 0, os.SEEK_CUR)
            data = os.pread(stream.fd, end - start, start) if end > start else b""
            os.ftruncate(stream.fd, start)
            os.lseek(stream.fd, start, os.SEEK_SET)
            texts.append(data.decode("utf-8", "replace"))
        return tuple(texts)

    def stop(self, marks):
        """Stop capturing; ``marks`` holds ``(when, self.mark())`` taken after each phase.

        Returns, per phase, pytest's sections ``[("Captured stdout call", text), ...]``.
        """
        Capture.active = None
        for stream in self.streams:
            stream.stop()
        sections_per_phase = [[] for _ in marks]
        for index, stream in enumerate(self.streams):
            data = stream.take(marks[-1][1][index])
            start = 0
            for phase_sections, (when, positions) in zip(sections_per_phase, marks):
                stop = positions[index]
                if stop > start:
                    text = data[start:stop].decode("utf-8", "replace")
                    phase_sections.append(("Captured %s %s" % (stream.name, when), text))
                start = stop
        return sections_per_phase


class NoCapture:
    """``-s``: output goes straight to the terminal."""

    def start(self):
        pass

    def mark(self):
        return None

    def stop(self, marks):
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        return [[] for _ in marks]
