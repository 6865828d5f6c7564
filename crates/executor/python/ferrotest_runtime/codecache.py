"""Compiled code of test modules and conftests, cached by source contents.

Compiling is most of the cost of importing a test module. pytest compiles (and rewrites)
every test module again on each run when ``PYTHONDONTWRITEBYTECODE=1`` is set; ferrotest
keeps the code objects in a cache of its own instead, keyed by ferrotest's version, the
interpreter's bytecode magic, whether asserts are rewritten (``rewrite.cache_marker``), the
file's path (code objects embed it) and its source bytes. Nothing is written next to the
user's files, so their ``__pycache__`` setting still holds.
"""
import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER
from importlib.machinery import PathFinder, SourceFileLoader

from _blake2 import blake2b

from . import rewrite


class CodeCache:
    """Reads and writes code objects under ``directory``; ``None`` turns caching off."""

    def __init__(self, directory, salt):
        self.directory = directory
        self.salt = salt.encode() + MAGIC_NUMBER
        self._made_directory = False

    def key(self, path, source):
        digest = blake2b(self.salt, digest_size=20)
        digest.update(rewrite.cache_marker())
        digest.update(b"\0")
        digest.update(os.fsencode(path))
        digest.update(b"\0")
        digest.update(source)
        return digest.hexdigest()

    def load(self, key):
        if self.directory is None:
            return None
        try:
            with open(os.path.join(self.directory, key), "rb") as file:
                # One read, then loads: marshal.load(file) reads in many small chunks.
                return marshal.loads(file.read())
        except (OSError, EOFError, ValueError, TypeError):
            # Missing, unreadable or truncated: compile again.
            return None

    def store(self, key, code):
        if self.directory is None:
            return
        try:
            if not self._made_directory:
                os.makedirs(self.directory, exist_ok=True)
                self._made_directory = True
            target = os.path.join(self.directory, key)
            # Written aside and renamed, so a concurrent run never reads half a file.
            partial = "%s.%d.tmp" % (target, os.getpid())
            with open(partial, "wb") as file:
                file.write(marshal.dumps(code))
            os.replace(partial, target)
        except OSError:
            # A read-only or full cache only costs speed.
            pass


class CachingLoader(SourceFileLoader):
    """A source loader whose compiled code comes from a :class:`CodeCache`, with asserts
    rewritten as pytest does unless ``rewrite.configure(enabled=False)``."""

    cache = None

    def source_to_code(self, data, path, *, _optimize=-1):
        return rewrite.compile_module(data, path)

    def get_code(self, fullname):
        path = self.get_filename(fullname)
        source = self.get_data(path)
        key = self.cache.key(path, source)
        code = self.cache.load(key)
        if code is None:
            code = self.source_to_code(source, path)
            self.cache.store(key, code)
        return code


class CollectedModuleFinder:
    """Serves the files ferrotest collects (test modules and conftests), and the modules
    marked for rewriting (plugins, see :func:`mark_rewrite`), with a :class:`CachingLoader`;
    everything else is imported as usual.

    It asks the regular path finder first, so which file a name resolves to is exactly what
    plain Python (and so pytest) would pick; only how that file is compiled changes.
    """

    def __init__(self, paths):
        self.paths = {os.fspath(path) for path in paths}
        # Dotted names whose modules, and all below them, are rewritten.
        self.marked = set()

    def find_spec(self, fullname, path=None, target=None):
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None:
            return None
        if spec.origin not in self.paths and not self._is_marked(fullname, spec):
            return None
        spec.loader = CachingLoader(fullname, spec.origin)
        return spec

    def _is_marked(self, fullname, spec):
        # pytest's ``_is_marked_for_rewrite``: the name or a package above it was marked
        # (and it is Python source, not an extension module).
        if not self.marked or not isinstance(spec.loader, SourceFileLoader):
            return False
        return any(fullname == name or fullname.startswith(name + ".") for name in self.marked)


_FINDER = None


def install(paths, directory, salt):
    """Compile the modules at ``paths`` through a cache in ``directory`` (``None``: no cache)."""
    global _FINDER
    CachingLoader.cache = CodeCache(None if directory is None else os.fspath(directory), salt)
    _FINDER = CollectedModuleFinder(paths)
    sys.meta_path.insert(0, _FINDER)


def mark_rewrite(names):
    """Rewrite the modules ``names`` (dotted), and those below them, when they are imported
    from now on, as pytest's ``mark_rewrite`` does for plugins. Without :func:`install`
    (the cache could not be set up) nothing is rewritten."""
    if _FINDER is not None:
        _FINDER.marked.update(names)
