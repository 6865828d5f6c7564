"""Doing something right after a module is first imported, without importing it: the
logging plugin waits for ``logging``, pytest's configure-time settings wait for ``pytest``."""
import sys


def after_import(name, on_import):
    """Call ``on_import(module)`` once module ``name`` has run, unless someone waits already."""
    if not any(isinstance(finder, AwaitImport) and finder.name == name for finder in sys.meta_path):
        sys.meta_path.insert(0, AwaitImport(name, on_import))


class AwaitImport:
    """First on ``sys.meta_path`` until module ``name`` is imported; then it answers with the
    spec the other finders give, whose loader calls ``on_import(module)`` right after the
    module ran, and leaves."""

    def __init__(self, name, on_import):
        self.name = name
        self._on_import = on_import

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            spec = find_spec(fullname, path, target) if find_spec is not None else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _ThenNotify(spec.loader, self._on_import)
                return spec
        return None


class _ThenNotify:
    """A module's loader, with a call after the module ran."""

    def __init__(self, loader, on_import):
        self._loader = loader
        self._on_import = on_import

    def create_module(self, spec):
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module):
        # The module keeps its own loader (``inspect``, ``linecache`` ask it for sources).
        module.__loader__ = module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        self._on_import(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)
