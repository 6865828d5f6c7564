"""Plugins from the command line and the environment, loaded as pytest's plugin manager
loads them at start-up (``Config.parse``), before any conftest:

1. the modules of distributions with ``pytest11`` entry points are marked for assertion
   rewriting, then the ``pythonpath`` ini option's directories join ``sys.path``;
2. ``-p NAME`` arguments in order: ``no:NAME`` blocks the plugin (and ``pytest_NAME``),
   anything else imports a module or loads the entry point of that name;
3. every ``pytest11`` entry point of the installed distributions, unless
   ``PYTEST_DISABLE_PLUGIN_AUTOLOAD`` or ``--disable-plugin-autoload``;
4. the comma-separated ``PYTEST_PLUGINS`` environment variable;

and then the ``required_plugins`` ini option must name loaded entry-point plugins.

Each plugin is registered with ``hooks`` (global, like a conftest's ``pytest_plugins``), so
ferrotest calls its hooks where it calls conftests' and registers its fixtures at the
session's node, after the builtins and before any conftest, as pytest's fixture manager does.

ferrotest calls only the hooks in ``hooks.CALLED_HOOKS``; a plugin implementing others (or
wrapping a hook) is loaded all the same, and a warning on stderr names the plugin and those
hooks: its behaviour under pytest may be missing from the run.

Entry points are read from the ``*.dist-info``/``*.egg-info`` directories on ``sys.path``
with ``os`` alone, in ``importlib.metadata.distributions()`` order: importing
``importlib.metadata`` would cost every run tens of milliseconds, and most environments have
no pytest plugin at all.
"""
import os
import sys

from . import config as config_module
from . import hooks

# pytest's ``essential_plugins``, ``default_plugins`` and other ``builtin_plugins``: ferrotest
# does their work itself, so ``-p NAME`` of a default one has nothing to load.
ESSENTIAL_PLUGINS = ("mark", "main", "runner", "fixtures", "helpconfig")
DEFAULT_PLUGINS = ESSENTIAL_PLUGINS + (
    "python", "terminal", "debugging", "unittest", "capture", "skipping", "legacypath", "tmpdir",
    "monkeypatch", "recwarn", "pastebin", "assertion", "junitxml", "doctest", "cacheprovider",
    "setuponly", "setupplan", "stepwise", "unraisableexception", "threadexception", "warnings",
    "logging", "reports", "faulthandler", "subtests",
)
BUILTIN_PLUGINS = DEFAULT_PLUGINS + ("pytester", "pytester_assertions", "terminalprogress")

ENTRY_POINT_GROUP = "pytest11"

# ``types.ModuleType``, without importing ``types`` on every run.
ModuleType = type(sys)


class PluginImportFailure(Exception):
    """A plugin was found but raised while importing: pytest's internal error (exit 3)."""

    def __init__(self, name, text):
        super().__init__(name)
        self.name = name
        self.text = text


class PluginManager:
    """``config.pluginmanager`` (and ``pytest_addoption``'s ``pluginmanager``): the plugins
    loaded by name, the blocked names, and the distributions of entry-point plugins."""

    def __init__(self):
        self._plugins = {}
        self._blocked = set()
        # ``(plugin, Distribution)`` of each entry-point plugin, in load order.
        self.distributions = []

    def register(self, plugin, name=None):
        """Register ``plugin``: its hooks are called from now on, its fixtures registered
        globally; ``pytest_configure`` is historic, so a plugin registered once it ran gets
        it at once."""
        name = name or getattr(plugin, "__name__", None) or str(id(plugin))
        if self.is_blocked(name):
            return None
        if name in self._plugins:
            raise ValueError("Plugin name already registered: %s=%s" % (name, plugin))
        self._plugins[name] = plugin
        hooks.register_plugin(plugin)
        warn_about_uncalled_hooks("plugin", name, plugin)
        configure = getattr(plugin, "pytest_configure", None)
        if hooks.CONFIGURED and configure is not None and not hooks.is_wrapper(configure):
            hooks.invoke(configure, {"config": config_module.CONFIG})
        if isinstance(plugin, ModuleType):
            self.consider_module(plugin)
        return name

    def consider_module(self, module):
        """pytest's ``consider_module``: load the plugins ``module``'s ``pytest_plugins``
        names (a conftest's, or another plugin's), each as ``-p`` would."""
        for spec in _plugin_specs(getattr(module, "pytest_plugins", None)):
            self.import_plugin(spec, consider_entry_points=True)

    def get_plugin(self, name):
        return self._plugins.get(name)

    getplugin = get_plugin

    def has_plugin(self, name):
        """Whether ``name`` is loaded: a plugin registered here, or one of pytest's default
        plugins (which ferrotest stands in for) unless ``-p no:`` blocked it."""
        if name in self._plugins:
            return True
        return name in DEFAULT_PLUGINS and not self.is_blocked(name)

    hasplugin = has_plugin

    def is_registered(self, plugin):
        return any(plugin is registered for registered in self._plugins.values())

    def get_plugins(self):
        return set(self._plugins.values())

    def is_blocked(self, name):
        return name in self._blocked

    def set_blocked(self, name):
        self._blocked.add(name)

    def unblock(self, name):
        self._blocked.discard(name)

    def list_plugin_distinfo(self):
        return list(self.distributions)

    def consider_pluginarg(self, arg):
        """One ``-p`` argument."""
        if arg.startswith("no:"):
            name = arg[3:]
            if name in ESSENTIAL_PLUGINS:
                raise hooks.UsageError("plugin %s cannot be disabled" % name)
            if name.endswith("conftest.py"):
                raise hooks.UsageError(
                    "Blocking conftest files using -p is not supported: -p no:%s\n"
                    "conftest.py files are not plugins and cannot be disabled via -p.\n" % name)
            if name == "cacheprovider":
                self.set_blocked("stepwise")
                self.set_blocked("pytest_stepwise")
            self.set_blocked(name)
            if not name.startswith("pytest_"):
                self.set_blocked("pytest_" + name)
        else:
            self.unblock(arg)
            if not arg.startswith("pytest_"):
                self.unblock("pytest_" + arg)
            self.import_plugin(arg, consider_entry_points=True)

    def import_plugin(self, modname, consider_entry_points=False):
        """pytest's ``import_plugin``: the entry point named ``modname`` if there is one
        (and ``consider_entry_points``), else the module of that name."""
        if self.is_blocked(modname) or self.get_plugin(modname) is not None or modname in DEFAULT_PLUGINS:
            return
        importspec = "_pytest." + modname if modname in BUILTIN_PLUGINS else modname
        _mark_rewrite([importspec])
        if consider_entry_points and self.load_entry_points(name=modname):
            return
        try:
            __import__(importspec)
        except ModuleNotFoundError as exc:
            if _is_missing_module(exc, importspec):
                raise hooks.UsageError('Error importing plugin "%s": %s' % (modname, exc)) from exc
            raise _import_failure(modname, exc) from exc
        except Exception as exc:
            from . import outcomes

            if outcomes.is_skip(exc):
                sys.stderr.write("ferrotest: warning: skipped plugin %r: %s\n" % (modname, getattr(exc, "msg", "")))
                return
            raise _import_failure(modname, exc) from exc
        self.register(sys.modules[importspec], modname)

    def load_entry_points(self, name=None):
        """pluggy's ``load_setuptools_entrypoints("pytest11", name)``: the number loaded."""
        count = 0
        for dist in distributions():
            for ep_name, value in dist.entry_points():
                if (name is not None and ep_name != name) or ep_name in self._plugins or self.is_blocked(ep_name):
                    continue
                if _runs_natively(ep_name, value):
                    # Known by name (header, ``has_plugin``, ``required_plugins``), never imported.
                    self._plugins[ep_name] = sys.modules[__package__ + ".asyncio_plugin"]
                    self.distributions.append((self._plugins[ep_name], dist))
                    count += 1
                    continue
                try:
                    plugin = _load_entry_point(value)
                except Exception as exc:
                    raise _import_failure(name or ENTRY_POINT_GROUP, exc) from None
                self.register(plugin, ep_name)
                self.distributions.append((plugin, dist))
                count += 1
        return count

    def header_names(self):
        """pytest's ``plugins:`` header entries: ``name-version`` of each entry-point
        plugin's distribution, without a leading ``pytest-``, each once."""
        names = []
        for _, dist in self.distributions:
            name = "%s-%s" % (dist.project_name, dist.version)
            name = name[len("pytest-"):] if name.startswith("pytest-") else name
            if name not in names:
                names.append(name)
        return names


MANAGER = PluginManager()


def load(plugin_args, disable_autoload):
    """Load the session's plugins in pytest's order (see the module docstring). Returns the
    ``plugins:`` header entries; raises ``hooks.UsageError`` or ``PluginImportFailure``."""
    autoload = not disable_autoload and not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    if autoload:
        # Before ``pythonpath`` joins sys.path, as pytest marks them.
        for dist in distributions():
            if dist.entry_points():
                _mark_rewrite(dist.rewritable_modules())
    _configure_python_path()
    for arg in plugin_args:
        MANAGER.consider_pluginarg(arg.strip())
    if autoload:
        MANAGER.load_entry_points()
    specs = os.environ.get("PYTEST_PLUGINS")
    for spec in specs.split(",") if specs else ():
        MANAGER.import_plugin(spec, consider_entry_points=True)
    _check_required_plugins()
    return MANAGER.header_names()


def _plugin_specs(specs):
    """pytest's ``_get_plugin_specs_as_list``: a ``pytest_plugins`` value as plugin names."""
    # A submodule that happens to be called ``pytest_plugins`` names nothing.
    if specs is None or isinstance(specs, ModuleType):
        return []
    if isinstance(specs, str):
        return specs.split(",") if specs else []
    import collections.abc

    if isinstance(specs, collections.abc.Sequence):
        return list(specs)
    raise hooks.UsageError(
        "Plugins may be specified as a sequence or a ','-separated string of plugin names. Got: %r" % (specs,))


def blocked_by_arguments():
    """The plugin names the ``-p`` arguments leave blocked (a later ``-p NAME`` unblocks
    ``no:NAME``), read from the command line: the builtin fixtures, some of which these
    blocks remove, register before ``load`` runs."""
    blocked = set()
    for arg in config_module.CONFIG.getoption("plugins", None) or ():
        arg = arg.strip()
        if arg.startswith("no:"):
            blocked.add(arg[3:])
        else:
            blocked.discard(arg)
    return blocked


def _runs_natively(name, value):
    """Whether the entry point is one ferrotest does itself (pytest-asyncio, see
    ``asyncio_plugin.py``): its module would wrap pytest internals ferrotest does not have."""
    from . import asyncio_plugin

    return (name, value.partition(":")[0].strip()) == asyncio_plugin.ENTRY_POINT


def _check_required_plugins():
    """pytest's ``_validate_plugins``: each ``required_plugins`` requirement must name an
    entry-point plugin's distribution, at a version it accepts."""
    required = sorted(config_module.CONFIG.getini("required_plugins"))
    if not required:
        return
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import Version

    installed = {dist.project_name: dist.version for _, dist in MANAGER.distributions}
    missing = []
    for spec in required:
        try:
            requirement = Requirement(spec)
        except InvalidRequirement:
            missing.append(spec)
            continue
        version = installed.get(requirement.name)
        if version is None or not requirement.specifier.contains(Version(version), prereleases=True):
            missing.append(spec)
    if missing:
        raise hooks.UsageError("Missing required plugins: " + ", ".join(missing))


def _configure_python_path():
    # ``pythonpath = a b`` puts a, then b, before the rest of sys.path.
    for path in reversed(config_module.CONFIG.getini("pythonpath")):
        sys.path.insert(0, str(path))


def _is_missing_module(exc, importspec):
    """Whether ``exc`` says ``importspec`` itself (or a package above it) does not exist,
    rather than something the plugin imports."""
    if exc.name is None:
        return False
    return exc.name == importspec or importspec.startswith(exc.name + ".")


def _import_failure(name, exc):
    from . import tbformat

    return PluginImportFailure(name, tbformat.format_exception(exc, "short", os.getcwd()))


def _load_entry_point(value):
    """``EntryPoint.load``: ``module`` or ``module:attr.attr``, extras ignored."""
    reference = value.partition("[")[0]
    module_name, _, attrs = reference.partition(":")
    module_name = module_name.strip()
    __import__(module_name)
    obj = sys.modules[module_name]
    for attr in filter(None, attrs.strip().split(".")):
        obj = getattr(obj, attr)
    return obj


def _mark_rewrite(names):
    from . import codecache

    codecache.mark_rewrite(names)


# -- uncalled hooks ---------------------------------------------------------------------------


def uncalled_hooks(plugin):
    """The hooks ``plugin`` implements that ferrotest never calls, in name order; a hook it
    wraps (``wrapper=True``/``hookwrapper=True``) counts, marked ``(wrapper)``."""
    found = []
    for name in dir(plugin):
        if not name.startswith("pytest_") or name == "pytest_plugins":
            continue
        function = getattr(plugin, name, None)
        if not callable(function):
            continue
        if hooks.is_wrapper(function):
            if name not in hooks.WRAPPED_HOOKS:
                found.append(name + " (wrapper)")
        elif name not in hooks.CALLED_HOOKS:
            found.append(name)
    return found


def warn_about_uncalled_hooks(kind, name, plugin):
    """Tell (on stderr) which hooks of ``plugin``, a ``kind`` named ``name``, this run
    leaves out: the suite may depend on them."""
    uncalled = uncalled_hooks(plugin)
    if uncalled:
        from .capture import write_uncaptured

        write_uncaptured(
            "ferrotest: warning: %s %r implements hooks ferrotest does not call: %s; what they do "
            "under pytest is missing from this run\n" % (kind, name, ", ".join(uncalled)))


# -- distributions ----------------------------------------------------------------------------


class Distribution:
    """An installed distribution's metadata directory (``*.dist-info``/``*.egg-info``), read
    as ``importlib.metadata`` reads it, as far as plugins need."""

    def __init__(self, path):
        self.path = path
        self._entry_points = None
        self._metadata = None

    def _read(self, name):
        try:
            with open(os.path.join(self.path, name), encoding="utf-8") as file:
                return file.read()
        except (OSError, UnicodeDecodeError):
            return None

    def entry_points(self):
        """``(name, value)`` of its ``pytest11`` entry points, in file order."""
        if self._entry_points is None:
            self._entry_points = _parse_entry_points(self._read("entry_points.txt") or "", ENTRY_POINT_GROUP)
        return self._entry_points

    def _header(self, name):
        if self._metadata is None:
            self._metadata = _parse_metadata(self._read("METADATA") or self._read("PKG-INFO") or "")
        return self._metadata.get(name.lower())

    @property
    def project_name(self):
        return self._header("Name")

    @property
    def version(self):
        return self._header("Version")

    def rewritable_modules(self):
        """pytest's ``_mark_plugins_for_rewrite``: the top-level modules and packages its
        ``RECORD`` lists; without one (an editable or egg install), the entry points'
        top-level packages."""
        names = _rewritable_modules(_record_files(self._read("RECORD") or ""))
        if not names:
            names = [value.partition(":")[0].strip().partition(".")[0] for _, value in self.entry_points()]
        return names


# ``(sys.path as a tuple, its distributions)``: start-up asks several times, sys.path the same.
_SCANNED = (None, [])


def distributions():
    """The distributions on ``sys.path`` in ``importlib.metadata.distributions()`` order:
    per path entry, its metadata directories grouped by normalised project name in
    directory order, then an ``.egg`` entry's ``EGG-INFO``. Zipped entries are skipped."""
    global _SCANNED
    path = tuple(sys.path)
    if _SCANNED[0] != path:
        _SCANNED = (path, _scan(path))
    return _SCANNED[1]


def _scan(path):
    found = []
    for entry in path:
        try:
            children = os.listdir(entry or ".")
        except OSError:
            continue
        groups = {}
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")):
                name = _normalize(low.rpartition(".")[0].partition("-")[0])
                groups.setdefault(name, []).append(os.path.join(entry, child))
        for paths in groups.values():
            found.extend(Distribution(path) for path in paths)
        if entry.lower().endswith(".egg") and "EGG-INFO" in children:
            found.append(Distribution(os.path.join(entry, "EGG-INFO")))
    return found


def _normalize(name):
    """``importlib.metadata.Prepared.normalize``: runs of ``-_.`` become one ``_``."""
    out = []
    for char in name:
        if char in "-_.":
            if not out or out[-1] != "_":
                out.append("_")
        else:
            out.append(char)
    return "".join(out)


def _parse_entry_points(text, group):
    """The ``name = value`` lines of section ``[group]`` of an ``entry_points.txt``."""
    found = []
    section = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == group:
            name, _, value = line.partition("=")
            found.append((name.strip(), value.strip()))
    return found


def _parse_metadata(text):
    """The headers of a ``METADATA``/``PKG-INFO`` file (lower-cased names), first value
    of each, up to the blank line before the description."""
    headers = {}
    for line in text.splitlines():
        if not line:
            break
        if line[0] in " \t":
            continue
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return headers


def _record_files(text):
    """The paths of a ``RECORD`` (``path,hash,size`` lines)."""
    if not text:
        return []
    import csv

    return [row[0] for row in csv.reader(text.splitlines()) if row]


def _rewritable_modules(files):
    """pytest's ``_iter_rewritable_modules``: ``x.py`` at the top is module ``x``,
    ``x/__init__.py`` package ``x``; without either, the same one directory down (``src/``)."""
    names = []
    for path in files:
        if "/" not in path and path.endswith(".py"):
            module = path[:-3]
            if module != "setup" and not module.startswith("__editable__"):
                names.append(module)
        elif path.count("/") == 1 and path.endswith("__init__.py"):
            names.append(path.partition("/")[0])
    if names:
        return names
    deeper = [path.partition("/")[2] for path in files if "/" in path]
    deeper = [path for path in deeper if path]
    return _rewritable_modules(deeper) if deeper else []
