"""The session's configuration as pytest's ``Config`` exposes it to tests and fixtures
(``request.config``, ``pytestconfig``, callable fixture scopes).

The Rust side fills it once per session with plain values; nothing here imports pytest.
"""
import os


NOTSET = object()


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
        self._cleanups = []

    @property
    def pluginmanager(self):
        from .plugins import MANAGER

        return MANAGER

    def add_cleanup(self, func):
        """Call ``func`` when the session ends, after ``pytest_unconfigure``."""
        self._cleanups.append(func)

    def run_cleanups(self):
        """The ``add_cleanup`` functions, last added first."""
        while self._cleanups:
            self._cleanups.pop()()

    @property
    def rootpath(self):
        import pathlib

        return pathlib.Path(self._rootdir)

    @property
    def inipath(self):
        import pathlib

        return pathlib.Path(self._inifile) if self._inifile else None

    def getoption(self, name, default=NOTSET, skip=False):
        """A command-line option by its destination name (``verbose``) or flag (``--verbose``)."""
        try:
            value = getattr(self.option, name.lstrip("-").replace("-", "_"))
        except AttributeError:
            if default is not NOTSET:
                return default
            if skip:
                from . import outcomes

                outcomes.skip_now("no %r option found" % (name,))
            raise ValueError("no option named %r" % (name,)) from None
        if value is None and skip:
            from . import outcomes

            outcomes.skip_now("no %r value found" % (name,))
        return value

    def getvalue(self, name, path=None):
        """pytest's old spelling of ``getoption``, still used by plugins."""
        return self.getoption(name)

    def getini(self, name):
        """An ini value converted by its pytest type, or pytest's default when unset."""
        kind, default = _INI_TYPES.get(name, (None, NOTSET))
        if name not in self._ini:
            if default is NOTSET:
                raise ValueError("unknown configuration value: %r" % (name,))
            return list(default) if isinstance(default, list) else default
        if kind in ("paths", "pathlist"):
            return self._paths(self._ini[name])
        return _convert(self._ini[name], kind)

    def _paths(self, value):
        """A ``paths`` ini value: each relative to the ini file's directory."""
        import pathlib

        base = pathlib.Path(self._inifile).parent if self._inifile else self.rootpath
        return [base / path for path in _convert(value, "args")]

    def addinivalue_line(self, name, line):
        """Append ``line`` to the list ini value ``name`` (``markers`` lines register marks)."""
        self._ini[name] = self.getini(name) + [line]

    def _iter_registered_markers(self):
        """pytest's: the markers pytest's plugins register, then each ``markers`` line's
        (named by what precedes its ``:`` and ``(``); pytest's ``MARK_GEN`` reads these."""
        for name in _BUILTIN_MARKERS:
            yield _RegisteredMarker(name)
        for line in self.getini("markers"):
            yield _RegisteredMarker(line.split(":", 1)[0].split("(")[0].strip())


class _RegisteredMarker:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


# The markers pytest's own plugins register (``pytest --markers`` in an empty project).
_BUILTIN_MARKERS = ("filterwarnings", "skip", "skipif", "xfail", "parametrize", "usefixtures", "tryfirst", "trylast")


# pytest's types and defaults for the ini options ferrotest knows (``parser.addini``).
_INI_TYPES = {
    "addopts": ("args", []),
    "testpaths": ("args", []),
    "python_files": ("args", ["test_*.py", "*_test.py"]),
    "python_classes": ("args", ["Test"]),
    "python_functions": ("args", ["test"]),
    "norecursedirs": ("args", ["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"]),
    "usefixtures": ("args", []),
    "markers": ("linelist", []),
    "filterwarnings": ("linelist", []),
    "xfail_strict": ("bool", False),
    # None: follow ``strict``.
    "strict_markers": ("bool", None),
    "empty_parameter_set_mark": ("string", "skip"),
    "disable_test_id_escaping_and_forfeit_all_rights_to_community_support": ("bool", False),
    # None: follow ``strict``.
    "strict_parametrization_ids": ("bool", None),
    "parametrize_long_str_id_strategy": ("string", "short"),
    "cache_dir": ("string", ".pytest_cache"),
    "console_output_style": ("string", "progress"),
    "junit_family": ("string", "xunit2"),
    "junit_suite_name": ("string", "pytest"),
    "log_level": ("string", None),
    "log_format": ("string", "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s"),
    "log_date_format": ("string", "%H:%M:%S"),
    "log_cli": ("bool", False),
    "log_cli_level": ("string", None),
    "log_cli_format": ("string", None),
    "log_cli_date_format": ("string", None),
    "log_file": ("string", None),
    "log_file_level": ("string", None),
    "log_file_format": ("string", None),
    "log_file_date_format": ("string", None),
    "log_file_mode": ("string", "w"),
    "log_auto_indent": ("string", None),
    "strict_xfail": ("bool", False),
    "strict": ("bool", False),
    "verbosity_assertions": ("string", None),
    "verbosity_test_cases": ("string", None),
    "tmp_path_retention_count": ("string", "3"),
    "tmp_path_retention_policy": ("string", "all"),
    "doctest_optionflags": ("args", ["ELLIPSIS"]),
    "doctest_encoding": ("string", "utf-8"),
    "minversion": ("string", None),
    "required_plugins": ("args", []),
    "pythonpath": ("paths", []),
}


# pytest's default for an ``addini`` option without one, by its type.
_TYPE_DEFAULTS = {"args": [], "linelist": [], "paths": [], "pathlist": [], "bool": False, "int": 0, "float": 0.0}


def register_ini(name, kind, default):
    """A conftest's ``parser.addini``: ``getini`` then knows its type and default."""
    kind = kind or "string"
    if default is NOTSET:
        default = _TYPE_DEFAULTS.get(kind, "")
    _INI_TYPES[name] = (kind, default)


def _convert(value, kind):
    """pytest's conversion of a raw ini value (text, or a TOML list) to its type."""
    if kind in ("args", "linelist"):
        if isinstance(value, list):
            return value
        if kind == "linelist":
            return [line.strip() for line in value.split("\n") if line.strip()]
        import shlex

        return shlex.split(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return value.strip().lower() in ("1", "yes", "true", "on", "y", "t")
    if kind in ("int", "float") and isinstance(value, str):
        return int(value) if kind == "int" else float(value)
    return value


CONFIG = Config(rootdir=os.getcwd())
# The terminal's width and whether it shows colours, as the Rust reporter writes to it.
TERMINAL = (80, False)


def configure(rootdir, inifile, ini, options, args, terminal=TERMINAL):
    """Called by the Rust side at session start, before anything is imported."""
    global CONFIG, TERMINAL
    CONFIG = Config(rootdir, inifile, ini, options, args)
    TERMINAL = terminal
    return CONFIG
