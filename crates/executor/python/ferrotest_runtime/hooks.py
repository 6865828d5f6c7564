"""Conftest and plugin hooks, called as pytest's plugin manager (pluggy) calls them.

Plugins are those loaded at start-up (``-p``, entry points, see ``plugins``), the conftests
(registered as they are imported) and the modules their ``pytest_plugins`` name (registered
right after the conftest naming them). pluggy calls the implementations of a hook
last-registered first (``tryfirst`` ones before, ``trylast`` ones after the rest), each with
only the arguments it names; hook wrappers are never called. Session and config hooks reach
every plugin; hooks about a path or an item reach only the conftests of its directory and
above (pytest's ``gethookproxy``), plus the plugins that are not conftests.

``Parser`` is the ``parser`` of ``pytest_addoption``: conftests declare options the Rust
command line left unparsed, and ``parse_options`` then parses those against them.
"""
import os
import sys

from . import config as config_module
from . import logplugin

# ``(directory or None, module)`` in registration order; None: a plugin module, global.
_PLUGINS = []
# Plugin modules whose fixtures are not registered yet (see ``take_new_plugin_modules``).
_NEW_PLUGIN_MODULES = []
# ``pytest_configure`` has run: it is historic, plugins registered later get it at once.
CONFIGURED = False
# ``pytest_addoption`` has run (``parse_options``): historic too.
OPTIONS_ADDED = False
# How many plugins were registered once the ``pytest_configure`` of every plugin and conftest
# had run: pytest's terminal reporter and junitxml plugin register themselves in pytest's own
# ``pytest_configure``, which comes after those (see ``implementations_around_pytest``).
_CONFIGURED_PLUGINS = 0

# Every hook ferrotest calls (here, in ``metafunc`` and through ``rewrite``); a plugin that
# implements another one gets a warning (see ``plugins``).
CALLED_HOOKS = frozenset({
    "pytest_addoption", "pytest_configure", "pytest_sessionstart", "pytest_report_header",
    "pytest_ignore_collect", "pytest_generate_tests", "pytest_make_parametrize_id",
    "pytest_collection_modifyitems", "pytest_runtest_setup", "pytest_runtest_call",
    "pytest_runtest_teardown", "pytest_runtest_makereport", "pytest_runtest_logreport",
    "pytest_assertrepr_compare", "pytest_collection_finish", "pytest_sessionfinish",
    "pytest_terminal_summary", "pytest_unconfigure",
})
# The hooks whose wrappers (``wrapper=True``/``hookwrapper=True``) ferrotest calls too.
WRAPPED_HOOKS = frozenset({"pytest_runtest_makereport"})


class UsageError(Exception):
    """A command line argparse would refuse; the message is argparse's."""


# -- registration and calling -------------------------------------------------------------


def register_conftest(module, directory):
    """Register an imported conftest: its path hooks reach what ``directory`` holds."""
    _register(module, directory)
    from . import plugins

    plugins.warn_about_uncalled_hooks("conftest", module.__file__, module)


def register_plugin(plugin):
    """Register a plugin that is no conftest: its hooks are global, its fixtures (taken by
    ``take_new_plugin_modules``) for every test."""
    _register(plugin, None)
    _NEW_PLUGIN_MODULES.append(plugin)


def take_new_plugin_modules():
    """The plugin modules registered since the last call, whose fixtures (global, as for
    any plugin that is not a conftest) are to be registered now."""
    modules = list(_NEW_PLUGIN_MODULES)
    del _NEW_PLUGIN_MODULES[:]
    return modules


def _register(module, directory):
    _PLUGINS.append((directory, module))
    compare = getattr(module, "pytest_assertrepr_compare", None)
    if compare is not None:
        from . import rewrite

        rewrite.register_repr_compare_hook(compare)
    if OPTIONS_ADDED:
        _add_late_options(module)
    # ``pytest_configure`` is historic: a conftest met while collecting gets it at once
    # (its ``markers`` lines then count for the marks of the modules below it).
    configure = getattr(module, "pytest_configure", None)
    if configure is not None and SESSION is not None:
        invoke(configure, {"config": config_module.CONFIG})


def _add_late_options(module):
    """``pytest_addoption`` of a plugin registered once the command line was parsed (a
    conftest met while collecting): its ini options exist from now on, its command-line
    options keep their defaults."""
    addoption = getattr(module, "pytest_addoption", None)
    if addoption is None or is_wrapper(addoption):
        return
    from .plugins import MANAGER

    parser = Parser()
    invoke(addoption, {"parser": parser, "pluginmanager": MANAGER})
    for dest, default in parser.defaults().items():
        vars(config_module.CONFIG.option).setdefault(dest, default)


def implementations(name, scope=None):
    """The functions implementing hook ``name``, in pluggy's order; with ``scope`` (a path),
    only those of conftests whose directory holds it."""
    return [function for _, function in located_implementations(name, scope)]


def located_implementations(name, scope=None, wrappers=False):
    """``implementations`` with the directory of each one's conftest (None: a plugin); the
    hook wrappers only, with ``wrappers``."""
    first, middle, last = _ordered_implementations(name, scope, wrappers)
    return [(directory, function) for _, directory, function in first + middle + last]


def implementations_around_pytest(name):
    """``implementations(name)`` in three lists, split where pluggy calls pytest's own
    implementations: those of its terminal reporter and junitxml plugin (see
    ``_CONFIGURED_PLUGINS``) come after ``tryfirst`` ones and those of plugins registered
    later (conftests met while collecting); those of its builtin plugins, registered before
    any other, come after the rest but ``trylast`` ones."""
    first, middle, last = _ordered_implementations(name)
    late = [function for index, _, function in middle if index >= _CONFIGURED_PLUGINS]
    early = [function for index, _, function in middle if index < _CONFIGURED_PLUGINS]
    return [function for _, _, function in first] + late, early, [function for _, _, function in last]


def _ordered_implementations(name, scope=None, wrappers=False):
    """The ``tryfirst``, plain and ``trylast`` implementations, each in pluggy's order, as
    ``(registration index, directory, function)``."""
    first, middle, last = [], [], []
    for index in range(len(_PLUGINS) - 1, -1, -1):
        directory, module = _PLUGINS[index]
        if scope is not None and directory is not None and not _holds(directory, scope):
            continue
        function = getattr(module, name, None)
        if function is None:
            continue
        opts = _hookimpl_opts(function)
        if bool(opts.get("wrapper") or opts.get("hookwrapper")) != wrappers:
            continue
        entry = (index, directory, function)
        if opts.get("tryfirst"):
            first.append(entry)
        elif opts.get("trylast"):
            # pluggy runs these in registration order.
            last.insert(0, entry)
        else:
            middle.append(entry)
    return first, middle, last


def is_wrapper(function):
    """Whether ``function`` is a hook wrapper (``wrapper=True``/``hookwrapper=True``)."""
    opts = _hookimpl_opts(function)
    return bool(opts.get("wrapper") or opts.get("hookwrapper"))


def _hookimpl_opts(function):
    # What ``@pytest.hookimpl(...)`` stored on the function.
    opts = getattr(function, "pytest_impl", None)
    return opts if isinstance(opts, dict) else {}


def call(name, scope=None, **kwargs):
    """Every non-None result of hook ``name``."""
    results = (invoke(function, kwargs) for function in implementations(name, scope))
    return [result for result in results if result is not None]


def call_first(name, scope=None, **kwargs):
    """pluggy's ``firstresult``: the first non-None result, later implementations not called."""
    for function in implementations(name, scope):
        result = invoke(function, kwargs)
        if result is not None:
            return result
    return None


def invoke(function, available):
    """Call ``function`` with the arguments it names (pluggy's ``varnames``: positional
    parameters without defaults, minus ``self``)."""
    func = getattr(function, "__func__", function)
    code = func.__code__
    names = code.co_varnames[: code.co_argcount]
    if func.__defaults__:
        names = names[: -len(func.__defaults__)]
    if func is not function:
        names = names[1:]
    return function(**{name: available[name] for name in names})


def _holds(directory, path):
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


# -- pytest_addoption ---------------------------------------------------------------------


class _Option:
    """One ``addoption`` call with argparse's defaults for its action."""

    def __init__(self, names, attrs):
        self.names = names
        self.action = attrs.get("action", "store")
        self.dest = attrs.get("dest") or _dest(names)
        self.type = attrs.get("type")
        self.choices = attrs.get("choices")
        self.const = attrs.get("const")
        implied = {"store_true": False, "store_false": True}.get(self.action)
        self.default = attrs.get("default", implied)

    @property
    def takes_value(self):
        return self.action in ("store", "append")

    def apply(self, values, text):
        if self.action == "store_true":
            values[self.dest] = True
        elif self.action == "store_false":
            values[self.dest] = False
        elif self.action == "store_const":
            values[self.dest] = self.const
        elif self.action == "count":
            values[self.dest] = (values.get(self.dest) or 0) + 1
        elif self.action == "append":
            values[self.dest] = list(values.get(self.dest) or []) + [self._convert(text)]
        else:
            values[self.dest] = self._convert(text)

    def _convert(self, text):
        value = text
        if self.type is not None:
            try:
                value = self.type(text)
            except (TypeError, ValueError):
                type_name = getattr(self.type, "__name__", repr(self.type))
                raise UsageError("argument %s: invalid %s value: %r" % (self._shown, type_name, text)) from None
        if self.choices is not None and value not in self.choices:
            choices = ", ".join(repr(choice) for choice in self.choices)
            raise UsageError("argument %s: invalid choice: %r (choose from %s)" % (self._shown, value, choices))
        return value

    @property
    def _shown(self):
        return "/".join(self.names)


def _dest(names):
    """argparse's destination: the first long name, else the first name, without dashes."""
    long_names = [name for name in names if name.startswith("--")]
    return (long_names or list(names))[0].lstrip("-").replace("-", "_")


class OptionGroup:
    """``parser.getgroup(name)``: where conftests add their options."""

    def __init__(self, parser, name, description=""):
        self.parser = parser
        self.name = name
        self.description = description

    def addoption(self, *names, **attrs):
        self.parser.options.append(_Option(names, attrs))

    _addoption = addoption


class Parser:
    """The ``parser`` of ``pytest_addoption``."""

    def __init__(self):
        self.options = []
        self._groups = {}

    def getgroup(self, name, description="", after=None):
        if name not in self._groups:
            self._groups[name] = OptionGroup(self, name, description)
        return self._groups[name]

    def addoption(self, *names, **attrs):
        self.getgroup("custom options").addoption(*names, **attrs)

    def addini(self, name, help, type=None, default=config_module.NOTSET, *, aliases=()):
        config_module.register_ini(name, type, default, aliases)

    def defaults(self):
        return {option.dest: option.default for option in self.options}

    def parse(self, tokens):
        """Parse ``(token, follower)`` pairs: an unknown option as typed, and the argument
        after it when one followed. Returns ``(values, followers taken as values)``."""
        values = self.defaults()
        taken, unknown = [], []
        for token, follower in tokens:
            name, eq, text = token.partition("=")
            option = self._find(name)
            if option is None:
                unknown.append(token)
                continue
            if option.takes_value and not eq:
                if follower is None:
                    raise UsageError("argument %s: expected one argument" % option._shown)
                text = follower
                taken.append(follower)
            elif eq and not option.takes_value:
                raise UsageError("argument %s: ignored explicit argument %r" % (option._shown, text))
            option.apply(values, text)
        if unknown:
            raise UsageError("unrecognized arguments: " + " ".join(unknown))
        return values, taken

    def _find(self, name):
        return next((option for option in self.options if name in option.names), None)


def parse_options(tokens):
    """After the initial conftests: run their ``pytest_addoption`` and parse the arguments
    the command line did not know (``tokens``, see ``Parser.parse``) against what they added.
    Returns the followers taken as values; raises ``UsageError``."""
    global OPTIONS_ADDED
    from .plugins import MANAGER

    parser = Parser()
    call("pytest_addoption", parser=parser, pluginmanager=MANAGER)
    OPTIONS_ADDED = True
    values, taken = parser.parse(tokens)
    vars(config_module.CONFIG.option).update(values)
    return taken


# -- session hooks ------------------------------------------------------------------------


class Session:
    """The ``session`` session hooks see."""

    def __init__(self, config):
        self.config = config
        self.items = []
        self.testsfailed = 0
        self.testscollected = 0
        self.shouldstop = False
        self.shouldfail = False
        self.exitstatus = None

    @property
    def startpath(self):
        import pathlib

        return pathlib.Path(os.getcwd())


SESSION = None


def configure():
    """``pytest_configure`` then ``pytest_sessionstart``. Returns ``pytest_report_header``'s
    lines in the order pytest prints them, and the header lines of ``tryfirst`` hooks, which
    pytest prints after its own ``rootdir`` lines."""
    global SESSION, CONFIGURED, _CONFIGURED_PLUGINS
    from . import asyncio_plugin

    config = config_module.CONFIG
    CONFIGURED = True
    call("pytest_configure", config=config)
    _CONFIGURED_PLUGINS = len(_PLUGINS)
    late_lines = asyncio_plugin.configure(config)
    # pytest registers its logging plugin after the other plugins' pytest_configure.
    logplugin.configure(config, logplugin.Terminal(*config_module.TERMINAL))
    SESSION = Session(config)
    with logplugin.stage("sessionstart"):
        call("pytest_sessionstart", session=SESSION)
    return _header_lines(config), late_lines


def _header_lines(config):
    if not implementations("pytest_report_header"):
        return []
    import pathlib

    lines = []
    # pytest's terminal writes the results last-returned first.
    for result in reversed(call("pytest_report_header", config=config, start_path=pathlib.Path(os.getcwd()),
                                startdir=None)):
        lines.extend([result] if isinstance(result, str) else result)
    return lines


def finish(exitstatus, stats_data=None):
    """``pytest_sessionfinish``, ``pytest_terminal_summary`` (with ``stats_data``, see
    ``terminalsummary``) then ``pytest_unconfigure``. Returns what the terminal summary hooks
    wrote (see ``terminalsummary.call``)."""
    if SESSION is None:
        return None
    SESSION.exitstatus = exitstatus
    with logplugin.stage("sessionfinish"):
        call("pytest_sessionfinish", session=SESSION, exitstatus=exitstatus)
    summary = None
    try:
        if implementations("pytest_terminal_summary"):
            from . import terminalsummary

            summary = terminalsummary.call(exitstatus, stats_data)
    finally:
        call("pytest_unconfigure", config=SESSION.config)
        logplugin.unconfigure()
        SESSION.config.run_cleanups()
    return summary


# -- collection ---------------------------------------------------------------------------


def is_ignored(path, rootdir):
    """Whether pytest would not collect ``path`` (a module, or a conftest's directory):
    ``pytest_ignore_collect`` or a conftest's ``collect_ignore``/``collect_ignore_glob`` said
    so for it or a directory above it below ``rootdir``."""
    if not any(map(_may_ignore, _PLUGINS)):
        # Most suites ignore nothing: no paths to work out for each module then.
        return False
    return any(_ignores(candidate) for candidate in _candidates(path, rootdir))


def _may_ignore(plugin):
    """Whether a plugin or conftest can make pytest ignore a path."""
    module = plugin[1]
    return (hasattr(module, "pytest_ignore_collect") or hasattr(module, "collect_ignore")
            or hasattr(module, "collect_ignore_glob"))


def _candidates(path, rootdir):
    """``path`` and the directories between ``rootdir`` and it, outermost first."""
    relative = os.path.relpath(path, rootdir)
    if relative.startswith(os.pardir):
        return [path]
    parts = relative.split(os.sep)
    return [os.path.join(rootdir, *parts[: depth + 1]) for depth in range(len(parts))]


def _ignores(path):
    scope = os.path.dirname(path)
    # Most suites define no such hook: building a pathlib.Path for each module would cost
    # more than the check (pathlib alone takes ~10 ms to import).
    if implementations("pytest_ignore_collect", scope):
        import pathlib

        answer = call_first("pytest_ignore_collect", scope,
                            collection_path=pathlib.Path(path), config=config_module.CONFIG, path=None)
        if answer is not None:
            return answer
    return _listed_ignore(path)


def _listed_ignore(path):
    """pytest's builtin ``pytest_ignore_collect``: the ``collect_ignore`` paths and
    ``collect_ignore_glob`` patterns of the conftests above ``path``, relative to each."""
    for directory, module in _PLUGINS:
        if directory is None or not _holds(directory, os.path.dirname(path)):
            continue
        listed = [os.path.join(directory, entry) for entry in getattr(module, "collect_ignore", ())]
        if path in listed:
            return True
        patterns = [os.path.join(directory, entry) for entry in getattr(module, "collect_ignore_glob", ())]
        if patterns:
            import fnmatch

            if any(fnmatch.fnmatch(path, pattern) for pattern in patterns):
                return True
    return False


def modify_items(items):
    """``pytest_collection_modifyitems`` over the collected items ``(nodeid, fields)`` (see
    ``CollectedItem``). Returns the node IDs left, in their new order, and the marks the
    hooks added to each as ``(nodeid, [(name, kwargs data)])`` for ``-m``, or None when no
    conftest has the hook."""
    if not implementations("pytest_collection_modifyitems"):
        return None
    from .enrich import MARK_NAMES, marks_data
    from .nodes import ADDED_MARKS, ItemNode

    nodes = [ItemNode(CollectedItem(*fields)) for fields in items]
    session = SESSION or Session(config_module.CONFIG)
    session.items = nodes
    call("pytest_collection_modifyitems", session=session, config=session.config, items=nodes)
    for node in nodes:
        if node._added:
            ADDED_MARKS[node.nodeid] = list(node._added)
            # The runner's fast path must see them (skip/xfail marks added here apply).
            MARK_NAMES[node.nodeid] = MARK_NAMES.get(node.nodeid, frozenset()) | {m.name for m in node._added}
    added = [(nodeid, marks_data(marks)) for nodeid, marks in ADDED_MARKS.items()]
    return [node.nodeid for node in nodes], added


def collection_finish_implementations(before_terminal):
    """The ``pytest_collection_finish`` implementations pluggy calls before pytest's terminal
    reporter's, which writes ``collected N items`` (``before_terminal``), or the others."""
    first, middle, last = implementations_around_pytest("pytest_collection_finish")
    return first if before_terminal else middle + last


def collection_finish(items, before_terminal):
    """``pytest_collection_finish`` of the implementations ``before_terminal`` chooses (see
    ``collection_finish_implementations``), with the session's items, ``CollectedItem``
    fields in run order, as ``session.items``. What they print goes straight to stdout."""
    from .nodes import ItemNode

    session = SESSION or Session(config_module.CONFIG)
    session.items = [ItemNode(CollectedItem(*fields)) for fields in items]
    session.testscollected = len(session.items)
    for function in collection_finish_implementations(before_terminal):
        invoke(function, {"session": session})
    # Before the Rust reporter writes again.
    sys.stdout.flush()


class CollectedItem:
    """What ``nodes.ItemNode`` reads of an item before the plan exists."""

    def __init__(self, nodeid, import_name, classes, name, kind, path, relpath, lineno, packages, class_nodeids,
                 callspec_index):
        self.nodeid = nodeid
        self.import_name = import_name
        self.kind = kind
        self.classes = tuple(classes)
        self.name = name
        self.path = path
        self.relpath = relpath
        self.lineno = lineno
        self.packages = packages
        self.class_nodeids = class_nodeids
        self.callspec = None
        if callspec_index is not None:
            from .enrich import CALLSPECS

            base = "::".join((relpath,) + self.classes + (name,))
            self.callspec = CALLSPECS[base][callspec_index]


def make_parametrize_id_hook():
    """``pytest_make_parametrize_id`` as ``params.Options.id_hook``, or None without one."""
    if not implementations("pytest_make_parametrize_id"):
        return None

    def id_hook(val, argname):
        return call_first("pytest_make_parametrize_id", config=config_module.CONFIG, val=val, argname=argname)

    return id_hook


# -- runtest hooks ------------------------------------------------------------------------


# ``(phase, path) -> implementations`` of ``runtest_implementations``, ``path ->`` whether any
# phase has some (``runtest_hooked``), and how many plugins were registered when they were
# looked up.
_RUNTEST = {}
_HOOKED = {}
_RUNTEST_PLUGINS = 0


def runtest_implementations(phase, path):
    """The ``pytest_runtest_<phase>`` implementations for an item of module ``path``, looked
    up once per module while no plugin registers (pluggy, too, reads a plugin's hooks when it
    registers): every test's three phases ask, and the run loop skips what none would see."""
    global _RUNTEST_PLUGINS
    if _RUNTEST_PLUGINS != len(_PLUGINS):
        _RUNTEST.clear()
        _HOOKED.clear()
        _RUNTEST_PLUGINS = len(_PLUGINS)
    key = (phase, path)
    functions = _RUNTEST.get(key)
    if functions is None:
        functions = _RUNTEST[key] = _runtest_lookup(phase, path) if _PLUGINS else []
    return functions


def _runtest_lookup(phase, path):
    name = "pytest_runtest_" + phase
    if phase != "makereport":
        return implementations(name, path)
    # ``(function, is_wrapper)``: wrappers, then plain implementations, as pluggy calls them.
    # A ``trylast`` plain one would come after pytest's own, which always makes a report.
    wrappers = [(function, True) for _, function in located_implementations(name, path, wrappers=True)]
    plain = [(function, False) for _, function in located_implementations(name, path)
             if not _hookimpl_opts(function).get("trylast")]
    return wrappers + plain


def runtest_hooked(path):
    """Whether a ``pytest_runtest_setup``, ``_call``, ``_teardown``, ``_makereport`` or
    ``_logreport`` implementation applies to an item of module ``path`` (one question per
    test for the run loop: without them, phases where no user code runs go without protocol)."""
    hooked = _HOOKED.get(path) if _RUNTEST_PLUGINS == len(_PLUGINS) else None
    if hooked is None:
        phases = ("setup", "call", "teardown", "makereport", "logreport")
        hooked = _HOOKED[path] = any(runtest_implementations(phase, path) for phase in phases)
    return hooked


def logreport(item, report):
    """``pytest_runtest_logreport`` of the conftests and plugins that apply to ``item``, with
    pytest's ``TestReport`` for ``report`` (a ``run.py`` report tuple, or the ``TestReport``
    ``makereport`` returned)."""
    functions = runtest_implementations("logreport", item.path)
    if not functions:
        return
    test_report = report if type(report) is not tuple else _test_report(item, report)
    for function in functions:
        invoke(function, {"report": test_report})


def makereport(item, report, error):
    """``pytest_runtest_makereport`` of the conftests and plugins that apply to ``item``, for
    the phase that made ``report`` (a ``run.py`` report tuple) and raised ``error`` (or None).
    pytest's own implementation (whose report ``report`` already is) is the innermost; the
    others may wrap it, change its report or make another. Returns ``(report tuple,
    TestReport)``, the tuple ``report`` itself if the outcome stayed; ``(report, None)`` when
    no implementation applies."""
    functions = runtest_implementations("makereport", item.path)
    if not functions:
        return report, None
    import time

    from _pytest._code import ExceptionInfo
    from _pytest.runner import CallInfo

    from . import outcomes

    test_report = _test_report(item, report)
    if isinstance(error, outcomes.ItemSkip):
        # pytest's skip marks raise its own exception, at the item's location.
        from _pytest.outcomes import Skipped

        try:
            raise Skipped(error.msg, _use_item_location=True) from None
        except Skipped as skipped:  # raised for the traceback an ExceptionInfo needs
            error = skipped
    excinfo = ExceptionInfo.from_exception(error) if error is not None else None
    stop = time.time()
    call = CallInfo(None, excinfo, stop - test_report.duration, stop, test_report.duration, test_report.when,
                    _ispytest=True)
    longrepr = test_report.longrepr
    made = _call_with_wrappers(functions, {"item": item.node(), "call": call}, lambda: test_report)
    return _report_tuple(report, (test_report, longrepr), made), made


def _call_with_wrappers(functions, kwargs, innermost):
    """pluggy's ``_multicall`` for a ``firstresult`` hook: each wrapper runs to its ``yield``
    (outermost first), then plain implementations until one returns a result, ``innermost``
    if none does; the wrappers then get the result, innermost first: from ``yield`` (and
    return it, ``wrapper=True``) or as a ``pluggy.Result`` (``hookwrapper=True``)."""
    teardowns = []
    result = exception = None
    try:
        for function, is_wrapper in functions:
            if is_wrapper:
                wrapper = invoke(function, kwargs)
                next(wrapper)
                teardowns.append((wrapper, bool(_hookimpl_opts(function).get("hookwrapper"))))
                continue
            result = invoke(function, kwargs)
            if result is not None:
                break
        else:
            result = innermost()
    except BaseException as exc:
        exception = exc
    for wrapper, old_style in reversed(teardowns):
        result, exception = (_finish_old_wrapper if old_style else _finish_wrapper)(wrapper, result, exception)
    if exception is not None:
        raise exception
    return result


def _finish_old_wrapper(wrapper, result, exception):
    import pluggy

    outcome = pluggy.Result(result, exception)
    try:
        wrapper.send(outcome)
    except StopIteration:
        pass
    else:
        raise RuntimeError("hook wrapper %r yielded more than once" % wrapper)
    if outcome.exception is not None:
        return None, outcome.exception
    return outcome.get_result(), None


def _finish_wrapper(wrapper, result, exception):
    try:
        if exception is not None:
            wrapper.throw(exception)
        else:
            wrapper.send(result)
    except StopIteration as stop:
        return stop.value, None
    except BaseException as exc:
        return None, exc
    raise RuntimeError("hook wrapper %r yielded more than once" % wrapper)


def _test_report(item, report):
    """pytest's ``TestReport`` for a ``run.py`` report tuple."""
    when, outcome, longrepr, duration, sections, wasxfail, properties = _full_report(report)[:7]
    node = item.node()
    return pytest_report(item.nodeid, node.location, node.keywords, when, outcome, longrepr, duration, sections,
                         properties, wasxfail)


def pytest_report(nodeid, location, keywords, when, outcome, longrepr, duration, sections, properties, wasxfail):
    """pytest's ``TestReport`` of a phase whose long report is ``longrepr`` as ``run.py``
    holds it."""
    from _pytest.reports import TestReport

    report = TestReport(nodeid, location, keywords, outcome, _report_longrepr(longrepr), when, sections, duration,
                        user_properties=list(properties))
    if wasxfail is not None:
        report.wasxfail = wasxfail
    return report


def _full_report(report):
    """A ``run.py`` report tuple in its long form (a quiet phase's is ``(when, duration,
    sections)``)."""
    if len(report) == 3:
        return (report[0], "passed", None, report[1], report[2], None, (), (), False, None)
    return report


def _report_tuple(report, made_from, made):
    """``report`` with the outcome, long report and ``wasxfail`` of ``made``, the report the
    makereport hooks settled on; ``made_from`` is the ``TestReport`` made of ``report`` and
    the long report it had then."""
    wasxfail = getattr(made, "wasxfail", None)
    report = _full_report(report)
    when, outcome, longrepr, duration, sections, old_wasxfail = report[:6]
    longrepr_kept = made is made_from[0] and made.longrepr is made_from[1]
    if longrepr_kept and made.outcome == outcome and wasxfail == old_wasxfail:
        return report
    if not longrepr_kept:
        longrepr = _run_longrepr(made.longrepr)
    return (when, made.outcome, longrepr, duration, sections, wasxfail) + tuple(report[6:])


def _run_longrepr(longrepr):
    """A pytest report's ``longrepr`` as ``run.py`` holds it (``_report_longrepr`` reversed)."""
    if longrepr is None:
        return None
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, lineno, reason = longrepr
        path = os.path.relpath(path, config_module.CONFIG.rootpath) if os.path.isabs(path) else str(path)
        return ("skip", path, lineno, reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason)
    text = str(longrepr)
    crash = getattr(longrepr, "reprcrash", None)
    return ("failure", text, crash.message if crash is not None else "")


def _report_longrepr(longrepr):
    """A ``run.py`` longrepr as a pytest report holds it: a failure's text, a skip's
    ``(path, lineno, "Skipped: reason")``."""
    if longrepr is None:
        return None
    if longrepr[0] == "skip":
        _, path, lineno, reason = longrepr
        return (path, lineno, "Skipped: " + reason)
    return longrepr[1]


def runtest(phase, item, nextitem=None):
    """``pytest_runtest_<phase>`` for ``item`` (a ``run.Item``; ``nextitem`` for teardown);
    a hook that raises fails (or skips) the phase."""
    functions = runtest_implementations(phase, item.path)
    if functions:
        kwargs = {"item": item.node(), "nextitem": nextitem.node() if nextitem is not None else None}
        for function in functions:
            invoke(function, kwargs)
