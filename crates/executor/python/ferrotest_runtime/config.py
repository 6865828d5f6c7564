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
        canonical = _INI_ALIASES.get(name, name)
        kind, default = _INI_TYPES.get(canonical, (None, NOTSET))
        if default is NOTSET:
            raise ValueError("unknown configuration value: %r" % (name,))
        spelling = self._spelling(canonical)
        if spelling is None:
            return list(default) if isinstance(default, list) else default
        if kind in ("paths", "pathlist"):
            return self._paths(self._ini[spelling])
        return _convert(self._ini[spelling], kind)

    def _spelling(self, canonical):
        """Which of an option's names to read when several are set: pytest prefers a ``-o``
        value to the file's, then the canonical name to an alias. None when none is set."""
        names = [canonical] + [alias for alias, target in _INI_ALIASES.items() if target == canonical]
        present = [name for name in names if name in self._ini]
        if len(present) < 2:
            return present[0] if present else None
        overridden = {item.partition("=")[0] for item in self.getoption("override_ini", None) or ()}
        return max(present, key=lambda name: (name in overridden, name == canonical))

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


# pytest 9.2's ini options (``parser.addini``) with their types and defaults: a type is one
# of ``addini``'s names, or a tuple of them for a union (the first that converts wins);
# ``Literal`` choices are kept as ``string``.
_INI_TYPES = {
    "addopts": ("args", []),
    "assertion_text_diff_style": ("string", "ndiff"),
    "cache_dir": ("string", ".pytest_cache"),
    "collect_imported_tests": ("bool", True),
    "consider_namespace_packages": ("bool", False),
    "console_output_style": ("string", "progress"),
    "disable_test_id_escaping_and_forfeit_all_rights_to_community_support": ("bool", False),
    "doctest_encoding": ("string", "utf-8"),
    "doctest_optionflags": ("args", ["ELLIPSIS"]),
    "empty_parameter_set_mark": ("string", "skip"),
    "enable_assertion_pass_hook": ("bool", False),
    "faulthandler_exit_on_timeout": ("bool", False),
    "faulthandler_timeout": (("float", "string"), 0.0),
    "filterwarnings": ("linelist", []),
    "junit_duration_report": ("string", "total"),
    "junit_family": ("string", "xunit2"),
    "junit_log_passing_tests": ("bool", True),
    "junit_logging": ("string", "no"),
    "junit_suite_name": ("string", "pytest"),
    "log_auto_indent": (("int", "bool", "string"), None),
    "log_cli": ("bool", False),
    "log_cli_date_format": ("string", None),
    "log_cli_format": ("string", None),
    "log_cli_level": (("int", "string"), None),
    "log_date_format": ("string", "%H:%M:%S"),
    "log_file": ("string", None),
    "log_file_date_format": ("string", None),
    "log_file_format": ("string", None),
    "log_file_level": (("int", "string"), None),
    "log_file_mode": ("string", "w"),
    "log_format": ("string", "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s"),
    "log_level": (("int", "string"), None),
    "markers": ("linelist", []),
    "max_warnings": (("int", "string"), None),
    "minversion": ("string", ""),
    "norecursedirs": ("args", ["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"]),
    "parametrize_long_str_id_strategy": ("string", "short"),
    "python_classes": ("args", ["Test"]),
    "python_files": ("args", ["test_*.py", "*_test.py"]),
    "python_functions": ("args", ["test"]),
    "pythonpath": ("paths", []),
    "required_plugins": ("args", []),
    "strict": ("bool", False),
    # None: follow ``strict``.
    "strict_config": ("bool", None),
    "strict_markers": ("bool", None),
    "strict_parametrization_ids": ("bool", None),
    "strict_xfail": ("bool", None),
    "testpaths": ("args", []),
    "tmp_path_retention_count": (("int", "string"), 3),
    "tmp_path_retention_policy": ("string", "all"),
    "truncation_limit_chars": (("int", "string"), None),
    "truncation_limit_lines": (("int", "string"), None),
    "usefixtures": ("args", []),
    "verbosity_assertions": (("int", "string"), "auto"),
    "verbosity_subtests": (("int", "string"), "auto"),
    "verbosity_test_cases": (("int", "string"), "auto"),
}

# The options above that belong to a plugin ``-p no:NAME`` can block: blocked, they are
# unknown ini keys.
_PLUGIN_INI = {
    "assertion": ("assertion_text_diff_style", "enable_assertion_pass_hook", "truncation_limit_chars",
                  "truncation_limit_lines", "verbosity_assertions"),
    "cacheprovider": ("cache_dir",),
    "doctest": ("doctest_encoding", "doctest_optionflags"),
    "faulthandler": ("faulthandler_exit_on_timeout", "faulthandler_timeout"),
    "junitxml": ("junit_duration_report", "junit_family", "junit_log_passing_tests", "junit_logging",
                 "junit_suite_name"),
    "logging": ("log_auto_indent", "log_cli", "log_cli_date_format", "log_cli_format", "log_cli_level",
                "log_date_format", "log_file", "log_file_date_format", "log_file_format", "log_file_level",
                "log_file_mode", "log_format", "log_level"),
    "python": ("disable_test_id_escaping_and_forfeit_all_rights_to_community_support",
               "parametrize_long_str_id_strategy", "python_classes", "python_files", "python_functions",
               "strict_parametrization_ids"),
    "skipping": ("strict_xfail",),
    "subtests": ("verbosity_subtests",),
    "tmpdir": ("tmp_path_retention_count", "tmp_path_retention_policy"),
}

# Alias -> the option it spells (``addini(..., aliases=[...])``).
_INI_ALIASES = {"xfail_strict": "strict_xfail"}


# pytest's default for an ``addini`` option without one, by its type.
_TYPE_DEFAULTS = {"args": [], "linelist": [], "paths": [], "pathlist": [], "bool": False, "int": 0, "float": 0.0}


def register_ini(name, kind, default, aliases=()):
    """A conftest's or plugin's ``parser.addini``: ``getini`` then knows its type, default
    and other spellings."""
    kind = kind or "string"
    if default is NOTSET:
        default = _TYPE_DEFAULTS.get(kind, "")
    _INI_TYPES[name] = (kind, default)
    for alias in aliases:
        _INI_ALIASES[alias] = name


def unknown_ini_keys(blocked):
    """pytest's ``_get_unknown_ini_keys``: the keys set (in the file or with ``-o``) that no
    option or alias names, the options of the ``blocked`` plugins not counting; sorted."""
    unregistered = {name for plugin in blocked for name in _PLUGIN_INI.get(plugin, ())}
    known = set(_INI_TYPES) - unregistered
    known.update(alias for alias, target in _INI_ALIASES.items() if target in known)
    return sorted(set(CONFIG._ini) - known)


def _convert(value, kind):
    """pytest's conversion of a raw ini value (text, or a TOML list) to its type."""
    if isinstance(kind, tuple):
        return _convert_union(value, kind)
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


def _convert_union(value, kinds):
    """A union type: the first member that takes the value (pytest raises when none does;
    the text is kept then)."""
    for kind in kinds:
        try:
            if kind == "int":
                return int(value)
            if kind == "float":
                return float(value)
            if kind == "bool":
                return _strtobool(value.strip())
        except (TypeError, ValueError, AttributeError):
            continue
        return value
    return value


def _strtobool(text):
    """pytest's ``_strtobool``: ValueError for anything but its spellings of true and false."""
    lowered = text.lower()
    if lowered in ("y", "yes", "t", "true", "on", "1"):
        return True
    if lowered in ("n", "no", "f", "false", "off", "0"):
        return False
    raise ValueError("invalid truth value %r" % (text,))


CONFIG = Config(rootdir=os.getcwd())
# The terminal's width and whether it shows colours, as the Rust reporter writes to it.
TERMINAL = (80, False)


def configure(rootdir, inifile, ini, options, args, terminal=TERMINAL):
    """Called by the Rust side at session start, before anything is imported."""
    global CONFIG, TERMINAL
    CONFIG = Config(rootdir, inifile, ini, options, args)
    TERMINAL = terminal
    return CONFIG
