"""The Python half of ferrotest's fork server (``src/forkserver``): what the server imports
before any run, what tells it that site-packages changed, and how a forked child takes on the
process state of the client it serves.

Not part of ``ferrotest_runtime``: the server loads it before any run installs the runtime.
"""
import os
import sys

# What a run would otherwise import itself: pytest, which nearly every suite imports and which
# costs more than CPython's own start-up (pytest imports it first thing in every session too),
# then the parts of ferrotest's runtime every session imports. Their module state is what an
# import leaves, as in an in-process run: sessions configure them after the fork.
PRELOAD = ("pytest",) + tuple(
    "ferrotest_runtime." + name
    for name in (
        "asyncio_plugin", "awaitimport", "builtins", "capture", "codecache", "config", "enrich",
        "fixtures", "hooks", "importing", "logplugin", "marks", "metafunc", "outcomes", "params",
        "plugins", "pytestconfigure", "request", "rewrite", "rewrite_ast", "run", "skipping",
        "subtests", "warncapture",
    )
)


def preload(names=PRELOAD):
    """Import ``names``; one that fails to import is removed again with everything its import
    left behind, so the runs meet the failure themselves, as they would without a server."""
    for name in names:
        before = set(sys.modules)
        try:
            __import__(name)
        except BaseException:
            for partial in set(sys.modules) - before:
                del sys.modules[partial]


def watched_dirs():
    """The directories of ``sys.path``: installing or removing a distribution changes one of
    their modification times, which tells the server its preloaded modules may be stale."""
    return [entry for entry in sys.path if entry and os.path.isdir(entry)]


def adopt(argv, environ):
    """Become the client's process: its environment (``os.environ`` and the C environment
    alike), its ``sys.argv``, and standard streams buffered as CPython buffers them for the
    client's descriptors (the server started with /dev/null, the client may have a tty)."""
    os.environb.clear()
    os.environb.update(environ)
    sys.argv = [os.fsdecode(arg) for arg in argv]
    sys.orig_argv = list(sys.argv)
    _rebuffer(sys.stdout, 1)


def _rebuffer(stream, fd):
    """CPython line-buffers stdout when it is a terminal (stderr always is); ``-u`` and
    ``PYTHONUNBUFFERED`` are the same for server and client, so write-through stays."""
    if stream is None or stream.write_through:
        return
    stream.reconfigure(line_buffering=os.isatty(fd))


def flush_streams():
    """What the process printed reaches the client's descriptors before it reports its exit."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
