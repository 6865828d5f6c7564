"""ferrotest's Python side: importing, collecting and running tests with pytest's semantics.

The Rust executor creates this package from sources embedded in the binary and calls
``install`` with the submodules' sources; they are then imported on first use through a
meta-path finder, so a session only compiles what it needs (``tbformat`` only after a
failure, ``unittest_result`` only for ``unittest`` tests) and nothing is written to disk.
"""
import sys
from importlib.machinery import ModuleSpec


class _EmbeddedFinder:
    """Finds ``ferrotest_runtime.<name>`` in the sources the binary carries."""

    def __init__(self, sources):
        self.sources = sources

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in self.sources:
            return None
        return ModuleSpec(fullname, self, origin="<%s/%s.py>" % (package, name))

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__.rpartition(".")[2]
        code = compile(self.sources[name], module.__spec__.origin, "exec")
        exec(code, module.__dict__)


def install(sources):
    """Make the submodules in ``sources`` (name -> source text) importable."""
    sys.meta_path.append(_EmbeddedFinder(dict(sources)))
