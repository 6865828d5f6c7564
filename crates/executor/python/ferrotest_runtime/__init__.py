"""ferrotest's Python side: importing, collecting and running tests with pytest's semantics.

The Rust executor creates this package from sources embedded in the binary and calls
``install`` with the submodules' sources; they are then imported on first use through a
meta-path finder, so a session only compiles what it needs (``tbformat`` only after a
failure, ``unittest_result`` only for ``unittest`` tests) and nothing is written to disk.
"""
import sys
from importlib.machinery import ModuleSpec


class _EmbeddedFinder:
    """Finds ``ferrotest_runtime.<name>`` in the sources the binary carries; their code
    objects come from ferrotest's code cache when it has them (compiling them costs a
    session ~20 ms)."""

    def __init__(self, sources, cache):
        self.sources = sources
        self.cache = cache

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in self.sources:
            return None
        return ModuleSpec(fullname, self, origin="<%s/%s.py>" % (package, name))

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__.rpartition(".")[2]
        exec(self._code(name, module.__spec__.origin), module.__dict__)

    def _code(self, name, origin):
        source = self.sources[name]
        if self.cache is None:
            return compile(source, origin, "exec")
        key = self.cache.key(origin, source.encode())
        code = self.cache.load(key)
        if code is None:
            code = compile(source, origin, "exec")
            self.cache.store(key, code)
        return code


# The package's finder, made by ``install``.
_FINDER = None


def install(sources, cache_dir, salt):
    """Make the submodules in ``sources`` (name -> source text) importable, cached under
    ``cache_dir`` (``None``: compiled every time)."""
    global _FINDER
    _FINDER = _EmbeddedFinder(dict(sources), None)
    sys.meta_path.append(_FINDER)
    use_cache(cache_dir, salt)


def use_cache(cache_dir, salt):
    """Cache the submodules still to be imported under ``cache_dir`` from now on (a fork
    server's child takes its client's cache, the server having installed the package)."""
    if cache_dir is None:
        _FINDER.cache = None
        return
    from .codecache import CodeCache

    _FINDER.cache = CodeCache(cache_dir, salt)
