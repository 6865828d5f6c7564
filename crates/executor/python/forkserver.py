"""The Python half of ferrotest's fork server (``src/forkserver``): what the server imports
before any run, what tells it that site-packages changed, and how a forked child takes on the
process state of the client it serves.

Not part of ``ferrotest_runtime``: the server loads it on its own, once.
"""
import os
import sys
from importlib.machinery import ModuleSpec

# What a run would otherwise import itself: ferrotest's runtime modules every session imports
# (their state is what an import leaves; sessions configure them after the fork), then pytest,
# which nearly every suite imports and which costs more than CPython's own start-up.
RUNTIME = tuple(
    "ferrotest_runtime." + name
    for name in (
        "asyncio_plugin", "awaitimport", "builtins", "capture", "codecache", "config", "enrich",
        "fixtures", "hooks", "importing", "logplugin", "marks", "metafunc", "outcomes", "params",
        "plugins", "pytestconfigure", "request", "rewrite", "rewrite_ast", "run", "skipping",
        "subtests", "warncapture",
    )
)
HIDDEN_UNTIL_IMPORTED = ("pytest",)


def preload(runtime=RUNTIME, hidden=HIDDEN_UNTIL_IMPORTED):
    """Import ``runtime``, then ``hidden``, which stays out of ``sys.modules`` with every module
    its import brought until a run imports one of them (see ``Preloaded``)."""
    _import_all(runtime)
    before = set(sys.modules)
    _import_all(hidden)
    brought = {name: sys.modules.pop(name) for name in set(sys.modules) - before}
    if brought:
        sys.meta_path.insert(0, Preloaded(brought))


def _import_all(names):
    """Import ``names``; one that fails to import is removed again with everything its import
    left behind, so the runs meet the failure themselves, as they would without a server."""
    for name in names:
        before = set(sys.modules)
        try:
            __import__(name)
        except BaseException:
            for partial in set(sys.modules) - before:
                del sys.modules[partial]


class Preloaded:
    """First on ``sys.meta_path``: modules imported ahead of the runs but hidden from them, so
    a suite that never imports pytest sees no pytest (nor ``logging``, ...), as in-process,
    where ferrotest then skips the work pytest's presence calls for. The first import of any
    of them puts them all back into ``sys.modules`` at once (they refer to one another) and
    returns that module as it was loaded, without running it again."""

    def __init__(self, modules):
        self.modules = modules
        # ``module_from_spec`` gives a module this finder's spec; it gets its own back.
        self.origins = {name: (getattr(m, "__spec__", None), getattr(m, "__loader__", None)) for name, m in modules.items()}

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.modules:
            return None
        original = self.origins[fullname][0]
        return ModuleSpec(fullname, self, origin=getattr(original, "origin", None))

    def create_module(self, spec):
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        sys.modules.update(self.modules)
        return self.modules[spec.name]

    def exec_module(self, module):
        module.__spec__, module.__loader__ = self.origins[module.__name__]


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
