"""What pytest's own plugins set on pytest's objects in their ``pytest_configure``, set on
the real pytest once the suite imports it (ferrotest never imports pytest itself):

- ``MARK_GEN._config`` (``_pytest/mark``): ``pytest.mark.NAME`` then warns about a NAME no
  ``markers`` line registers (``PytestUnknownMarkWarning``), or fails with strict markers;
- under ``--runxfail``, ``pytest.xfail`` does nothing (``_pytest/skipping.py``).
"""
import sys


def configure():
    """pytest's configure time: set pytest up now if it is imported, else right after."""
    module = sys.modules.get("pytest")
    if module is not None:
        _configure(module)
    elif not any(isinstance(finder, _ImportWatcher) for finder in sys.meta_path):
        sys.meta_path.insert(0, _ImportWatcher())


def _configure(pytest):
    from .config import CONFIG

    sys.modules["_pytest.mark.structures"].MARK_GEN._config = CONFIG
    if CONFIG.getoption("runxfail", False):
        pytest.xfail = _xfail_nop(pytest.xfail.Exception)


def _xfail_nop(exception):
    def nop(*args, **kwargs):
        pass

    nop.Exception = exception
    return nop


class _ImportWatcher:
    """A meta-path finder that only answers for ``pytest``, with the spec the other finders
    give, whose loader configures the module once it has run."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "pytest":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            spec = find_spec(fullname, path, target) if find_spec is not None else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _ConfiguringLoader(spec.loader)
                return spec
        return None


class _ConfiguringLoader:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        # The module keeps its own loader (``inspect``, ``linecache`` ask it for sources).
        module.__spec__.loader = module.__loader__ = self.loader
        self.loader.exec_module(module)
        _configure(module)

    def __getattr__(self, name):
        return getattr(self.loader, name)
