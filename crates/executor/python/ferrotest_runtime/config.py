"""The session's configuration as pytest's ``Config`` exposes it to tests and fixtures
(``request.config``, ``pytestconfig``, callable fixture scopes).

The Rust side fills it once per session with plain values; nothing here imports pytest.
"""
import os


_NOTSET = object()


class _Namespace:
    """``config.option``: command-line options as attributes."""

    def __init__(self, values):
        self.__dict__.update(values)


class Config:
    def __init__(self, rootdir="", inifile=None, ini=None, options=None, args=()):
        self._rootdir = rootdir
        self._inifile = inifile
        self._ini = dict(ini or {})
        self.option = _Namespace(options or {})
        self.args = list(args)

    @property
    def rootpath(self):
        import pathlib

        return pathlib.Path(self._rootdir)

    @property
    def inipath(self):
        import pathlib

        return pathlib.Path(self._inifile) if self._inifile else None

    def getoption(self, name, default=_NOTSET, skip=False):
        """A command-line option by its destination name (``verbose``) or flag (``--verbose``)."""
        try:
            value = getattr(self.option, name.lstrip("-").replace("-", "_"))
        except AttributeError:
            if default is not _NOTSET:
                return default
            if skip:
                from . import outcomes

                outcomes.skip_now("no %r option found" % (name,))
            raise ValueError("no option named %r" % (name,)) from None
        if value is None and skip:
            from . import outcomes

            outcomes.skip_now("no %r value found" % (name,))
        return value

    def getini(self, name):
        return self._ini.get(name, "")


CONFIG = Config(rootdir=os.getcwd())


def configure(rootdir, inifile, ini, options, args):
    """Called by the Rust side at session start."""
    global CONFIG
    CONFIG = Config(rootdir, inifile, ini, options, args)
    return CONFIG
