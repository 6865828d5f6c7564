"""Fixture definitions read from the real ``@pytest.fixture`` objects, and their execution.

Which definition a test gets, and in which order fixtures are set up, is decided on the Rust
side (``crates/fixtures``) from the plain data :func:`discover` returns; this module owns the
callables, calls them, caches their values for their scope and finalizes them when the scope
ends, as pytest's ``FixtureDef.execute`` and ``SetupState`` do.

xunit-style hooks (``setup_module``, ``setup_class``, ``setup_method``, ``setup_function``)
and unittest's ``setUpClass`` become autouse fixtures here, registered exactly where pytest
registers them, so their order against other fixtures is pytest's.
"""
import sys

from . import outcomes
from .request import FixtureRequest

# Every definition, indexed by the id the Rust registry uses (registration order).
REGISTRY = []

# ``RESOLVE(nodeid, name) -> (setup, arguments, error)``: the Rust registry's resolution of one
# fixture for a running test, installed by the Rust side before a run.
RESOLVE = None

_SCOPES = ("function", "class", "module", "package", "session")
_CO_ASYNC = 0x80 | 0x200  # CO_COROUTINE | CO_ASYNC_GENERATOR
_CO_GENERATOR = 0x20
_FUNCTION = type(lambda: None)


class FixtureFunction:
    """One definition: the callable and what pytest's marker says about it."""

    __slots__ = ("name", "func", "scope", "params", "ids", "autouse", "baseid", "is_method", "argnames",
                 "path", "lineno", "maybe_async", "is_generator", "direct")

    def __init__(self, name, func, scope, params, ids, autouse, baseid, is_method):
        self.name = name
        self.func = func
        self.scope = scope
        self.params = params
        self.ids = ids
        self.autouse = autouse
        self.baseid = baseid
        self.is_method = is_method
        self.argnames = _argnames(func, is_method)
        code = getattr(func, "__code__", None)
        self.path = code.co_filename if code is not None else None
        self.lineno = code.co_firstlineno - 1 if code is not None else 0
        # An ``async def`` (which pytest refuses unless a plugin runs it), or a function
        # ``pytest_asyncio.fixture`` marked: see ``asyncio_plugin.py``.
        self.maybe_async = bool(code is not None and code.co_flags & _CO_ASYNC) or hasattr(func, "_force_asyncio_fixture")
        # A ``yield`` fixture: pytest tells by the function, not by what a call returns.
        self.is_generator = _is_generator_function(func)
        # Called as it is: neither bound to the test's instance nor possibly ``async``.
        self.direct = not is_method and not self.maybe_async

    def as_data(self):
        """What the Rust registry needs: plain values only."""
        return (self.name, self.baseid, self.scope, self.autouse, list(self.argnames), None, self.path,
                self.lineno, "def %s(%s)" % (getattr(self.func, "__name__", self.name), ", ".join(self.argnames)))


def _is_generator_function(func):
    """``inspect.isgeneratorfunction``, without importing ``inspect`` for plain functions."""
    if type(func) is _FUNCTION:
        return bool(func.__code__.co_flags & _CO_GENERATOR)
    import inspect

    return inspect.isgeneratorfunction(func)


def _argnames(func, is_method):
    """pytest's ``getfuncargnames``: parameters without defaults, minus a bound ``self``."""
    if getattr(func, "__wrapped__", None) is not None or not hasattr(func, "__code__"):
        return _argnames_from_signature(func, is_method)
    code = func.__code__
    positional = list(code.co_varnames[:code.co_argcount])
    defaults = len(func.__defaults__ or ())
    if defaults:
        positional = positional[:-defaults]
    if is_method and positional:
        positional = positional[1:]
    # Positional-only parameters are never fixtures.
    positional = positional[max(code.co_posonlyargcount - is_method, 0):]
    kwdefaults = func.__kwdefaults__ or {}
    keyword = code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]
    return tuple(positional) + tuple(name for name in keyword if name not in kwdefaults)


def _argnames_from_signature(func, is_method):
    # Decorated with functools.wraps, or not a plain function: only inspect knows.
    import inspect

    parameters = inspect.signature(func).parameters.values()
    names = [p.name for p in parameters
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.default is p.empty]
    if is_method and names and not inspect.ismethod(func):
        names = names[1:]
    return tuple(names)


# -- discovery --------------------------------------------------------------------------------

def discover(holder, baseid, is_class):
    """Register the fixtures defined in ``holder`` (a module or class) at node ``baseid``
    (None for a plugin's, which are for every test), as pytest's ``parsefactories`` does
    (attributes in ``dir()`` order). Returns their data."""
    definition_type = _definition_type()
    found = []
    if definition_type is None:
        return found
    for name in dir(holder):
        try:
            obj = getattr(holder, name)
        except Exception:
            continue
        if type(obj) is not definition_type:
            continue
        raw = (holder.__dict__ if is_class else {}).get(name)
        if type(raw) is classmethod:
            continue
        marker = obj._fixture_function_marker
        func = obj._get_wrapped_function()
        scope = marker.scope if isinstance(marker.scope, str) else _dynamic_scope(marker, name)
        found.append(_register(FixtureFunction(
            marker.name or name, func, scope, marker.params, marker.ids, marker.autouse, baseid,
            is_class and not isinstance(raw, staticmethod))))
    return found


def _definition_type():
    # Fixtures exist only where pytest was imported: never import it ourselves.
    fixtures = sys.modules.get("_pytest.fixtures")
    return getattr(fixtures, "FixtureFunctionDefinition", None)


def _dynamic_scope(marker, name):
    from .config import CONFIG

    scope = marker.scope(fixture_name=name, config=CONFIG)
    if scope not in _SCOPES:
        raise ValueError("Fixture '%s' from %r got an unexpected scope value %r" % (name, marker, scope))
    return scope


def _register(fixture):
    REGISTRY.append(fixture)
    return (len(REGISTRY) - 1,) + fixture.as_data()


def register_builtins():
    """pytest's builtin fixtures (``tmp_path``, ``capsys``, ...), registered first, at the
    session's node, so every conftest can override them."""
    from .asyncio_plugin import fixtures as asyncio_fixtures
    from .builtins import BUILTINS, defining_plugins
    from .plugins import blocked_by_arguments

    # ``-p no:cacheprovider`` & co. unregister the plugins that define these fixtures.
    blocked = blocked_by_arguments()
    found = [_register(FixtureFunction(name, func, scope, None, None, False, None, False))
             for name, func, scope in BUILTINS if not defining_plugins(name) & blocked]
    return found + [_register(FixtureFunction(name, func, scope, None, None, autouse, None, False))
                    for name, func, scope, autouse in asyncio_fixtures()]


def discover_conftest(import_name, baseid):
    """The fixtures of an imported ``conftest.py``, registered at its directory's node, then
    those of the modules its ``pytest_plugins`` named, for every test."""
    return discover(sys.modules[import_name], baseid, False) + discover_plugins()


def discover_plugins():
    """The fixtures of the plugins registered since the last call (``pytest_plugins``
    modules, ``-p`` and entry-point plugins), for every test: pytest registers those of every
    plugin that is no conftest without a node, ahead of the rootdir conftest's."""
    return _discover_new_plugins(None)


def discover_plugins_loaded_late():
    """The fixtures of the plugins test modules' ``pytest_plugins`` loaded: for every test,
    registered at the session's node after the rootdir conftest's."""
    return _discover_new_plugins("")


def _discover_new_plugins(baseid):
    from . import hooks

    found = []
    for plugin in hooks.take_new_plugin_modules():
        found += discover(plugin, baseid, False)
    return found


def discover_doctest_module(import_name, nodeid):
    """A ``DoctestModule``'s definitions: pytest parses the module's fixtures again for it, so
    that its doctests can use them (``getfixture``, autouse)."""
    return discover(sys.modules[import_name], nodeid, False)


def discover_module(import_name, nodeid, class_paths):
    """A test module's definitions in pytest's order: its xunit fixtures, its own fixtures,
    then for each class (outer first) the class's xunit fixtures and fixtures."""
    module = sys.modules[import_name]
    found = discover_module_xunit(module, nodeid) + discover(module, nodeid, False)
    for path in class_paths:
        cls = module
        for name in path:
            cls = getattr(cls, name)
        class_nodeid = nodeid + "::" + "::".join(path)
        found += discover_class_xunit(cls, class_nodeid) + discover(cls, class_nodeid, True)
    return found


def discover_module_xunit(module, nodeid):
    """``setup_module``/``teardown_module`` and ``setup_function``/``teardown_function`` as the
    autouse fixtures pytest's ``Module`` registers before the module's own fixtures."""
    return _module_fixture(module, nodeid) + _function_fixture(module, nodeid)


def _module_fixture(module, nodeid):
    setup = _first_plain(module, ("setUpModule", "setup_module"))
    teardown = _first_plain(module, ("tearDownModule", "teardown_module"))
    if setup is None and teardown is None:
        return []

    def xunit_setup_module_fixture(request):
        if setup is not None:
            _call_optional(setup, request.module)
        yield
        if teardown is not None:
            _call_optional(teardown, request.module)

    return [_register_generated("_xunit_setup_module_fixture_" + module.__name__,
                                xunit_setup_module_fixture, "module", nodeid)]


def _function_fixture(module, nodeid):
    setup = _first_plain(module, ("setup_function",))
    teardown = _first_plain(module, ("teardown_function",))
    if setup is None and teardown is None:
        return []

    def set_up(request):
        # Methods use setup_method instead.
        if request.instance is None and setup is not None:
            _call_optional(setup, request.function)

    def xunit_setup_function_fixture(request):
        set_up(request)
        yield
        if request.instance is None:
            _call_optional(teardown, request.function)

    return [_register_generated("_xunit_setup_function_fixture_" + module.__name__,
                                _without_teardown(set_up, xunit_setup_function_fixture, teardown),
                                "function", nodeid)]


def discover_class_xunit(cls, nodeid):
    """``setup_class``/``teardown_class`` and ``setup_method``/``teardown_method`` (and
    unittest's ``setUpClass``) as the autouse fixtures pytest's ``Class`` registers."""
    unittest = sys.modules.get("unittest")
    if unittest is not None and issubclass(cls, unittest.TestCase):
        return _discover_unittest_class(cls, nodeid)
    return _class_fixture(cls, nodeid) + _method_fixture(cls, nodeid, "_xunit_setup_method_fixture_")


def _class_fixture(cls, nodeid):
    setup = _first_plain(cls, ("setup_class",))
    teardown = getattr(cls, "teardown_class", None)
    if setup is None and teardown is None:
        return []

    def xunit_setup_class_fixture(request):
        if setup is not None:
            _call_optional(getattr(setup, "__func__", setup), request.cls)
        yield
        if teardown is not None:
            _call_optional(getattr(teardown, "__func__", teardown), request.cls)

    return [_register_generated("_xunit_setup_class_fixture_" + cls.__qualname__,
                                xunit_setup_class_fixture, "class", nodeid)]


def _method_fixture(cls, nodeid, prefix):
    setup = _first_plain(cls, ("setup_method",))
    teardown = _first_plain(cls, ("teardown_method",))
    if setup is None and teardown is None:
        return []

    def set_up(request):
        instance = request.instance
        method = getattr(instance, request.function.__name__)
        if setup is not None:
            _call_optional(getattr(instance, setup.__name__), method)
        return instance, method

    def xunit_setup_method_fixture(request):
        instance, method = set_up(request)
        yield
        _call_optional(getattr(instance, teardown.__name__), method)

    return [_register_generated(prefix + cls.__qualname__,
                                _without_teardown(set_up, xunit_setup_method_fixture, teardown),
                                "function", nodeid)]


def _without_teardown(set_up, fixture, teardown):
    """A function-scoped xunit fixture: ``fixture`` (a generator that sets up, yields and tears
    down), or without a teardown hook ``set_up`` alone: it returns None as the fixture's value
    does, and leaves nothing to finalize, so the test's teardown runs no user code (see
    ``FixtureRunner.teardown_quietly``)."""
    if teardown is not None:
        return fixture

    def xunit_fixture(request):
        set_up(request)

    # Messages that quote a fixture's ``def`` line name the function pytest names.
    xunit_fixture.__name__ = xunit_fixture.__qualname__ = fixture.__name__
    return xunit_fixture


def _discover_unittest_class(cls, nodeid):
    found = []

    def unittest_setUpClass_fixture(request):
        if getattr(cls, "__unittest_skip__", False):
            raise outcomes.ItemSkip(getattr(cls, "__unittest_skip_why__", ""))
        cls.setUpClass()
        yield
        try:
            cls.tearDownClass()
        finally:
            cls.doClassCleanups()

    found.append(_register_generated("_unittest_setUpClass_fixture_" + cls.__qualname__,
                                     unittest_setUpClass_fixture, "class", nodeid))
    found.extend(_method_fixture(cls, nodeid, "_unittest_setup_method_fixture_"))
    return found


def _register_generated(name, func, scope, baseid):
    return _register(FixtureFunction(name, func, scope, None, None, True, baseid, False))


def _first_plain(obj, names):
    """pytest's ``_get_first_non_fixture_func``: the first of ``names`` that is not a fixture."""
    for name in names:
        meth = getattr(obj, name, None)
        if meth is not None and getattr(meth, "_fixture_function_marker", None) is None:
            return meth
    return None


def _call_optional(func, arg):
    """pytest's ``_call_with_optional_argument``: pass ``arg`` only if ``func`` takes one."""
    code = getattr(func, "__code__", None)
    count = code.co_argcount if code is not None else 0
    if hasattr(func, "__self__"):
        count -= 1
    if count > 0:
        func(arg)
    else:
        func()


# -- --fixtures ------------------------------------------------------------------------------

# Where pytest 9.2.0 defines the fixtures it generates for xunit hooks and unittest classes
# (file under ``_pytest/`` and line), by name prefix: ``--fixtures -v`` names those.
_GENERATED_LOCATIONS = (
    ("_xunit_setup_module_fixture_", "python.py:606"),
    ("_xunit_setup_function_fixture_", "python.py:637"),
    ("_xunit_setup_class_fixture_", "python.py:820"),
    ("_xunit_setup_method_fixture_", "python.py:853"),
    ("_unittest_setUpClass_fixture_", "unittest.py:148"),
    ("_unittest_setup_method_fixture_", "unittest.py:205"),
)


def describe():
    """For ``--fixtures``: ``(module, doc, pytest_location)`` of every definition, by id.
    ferrotest's stand-ins for pytest's own fixtures answer with pytest's module and location
    (``_pytest/capture.py:1012``), so the listing groups and sorts them as pytest does; the
    location is None for the user's fixtures, whose place the Rust side already knows."""
    import inspect

    return [_describe(fixture, inspect.getdoc(fixture.func)) for fixture in REGISTRY]


def _describe(fixture, doc):
    location = _pytest_location(fixture)
    if location is None:
        return (getattr(fixture.func, "__module__", None) or "", doc, None)
    module = "_pytest." + location.split(".py:")[0]
    return (module, doc, "_pytest/" + location)


def _pytest_location(fixture):
    module = getattr(fixture.func, "__module__", None)
    if module == __name__:
        return next((location for prefix, location in _GENERATED_LOCATIONS if fixture.name.startswith(prefix)), None)
    if module == "ferrotest_runtime.builtins":
        from .builtins import PYTEST_LOCATIONS

        return PYTEST_LOCATIONS.get(fixture.name)
    return None


# -- execution --------------------------------------------------------------------------------

class FixtureValue:
    """A set-up fixture: its value (or the exception its setup raised), the parameter it
    was set up with, and its finalizers. Calling it finishes it (``FixtureRunner._finish``):
    it is the finalizer its node runs, a class rather than a closure so that
    ``FixtureRunner.teardown_quietly`` can tell it from user finalizers."""

    __slots__ = ("runner", "def_id", "value", "error", "param_index", "finalizers", "shown_param")

    def __init__(self, runner, def_id, param_index):
        self.runner = runner
        self.def_id = def_id
        self.value = None
        self.error = None
        self.param_index = param_index
        self.finalizers = []
        # What --setup-show printed after the name, kept for the TEARDOWN line.
        self.shown_param = None

    def __call__(self):
        self.runner._finish(self.def_id, self)


class SetupState:
    """pytest's ``SetupState``: the stack of active nodes (session, packages, module, classes,
    the item), each with the finalizers of what was set up for it."""

    def __init__(self):
        self.stack = []  # [(key, [finalizer, ...])]

    def enter(self, keys):
        """Make ``keys`` (the item's node chain) the stack; nodes not on it were torn down,
        so the stack is a prefix of it."""
        stack = self.stack
        for key in keys[len(stack):]:
            stack.append((key, []))

    def add_finalizer(self, key, finalizer):
        for node_key, finalizers in reversed(self.stack):
            if node_key == key:
                finalizers.append(finalizer)
                return
        raise RuntimeError("no active node %r" % (key,))

    def teardown_to(self, keys):
        """Tear down every node not in ``keys`` (the next item's chain; empty at the end).
        Returns the exceptions raised, in order."""
        errors = []
        while self.stack and (len(self.stack) > len(keys) or self.stack[-1][0] != keys[len(self.stack) - 1]):
            _, finalizers = self.stack.pop()
            while finalizers:
                try:
                    finalizers.pop()()
                except BaseException as exc:
                    if outcomes.stop_detail(exc) is not None:
                        raise
                    errors.append(exc)
        return errors


def chain_keys(packages, module_nodeid, class_nodeids):
    """The node chain above an item as pytest's ``listchain``: session, packages, module,
    classes (the item's own key follows them)."""
    keys = [("session", "")]
    if packages:
        keys += [("package", package) for package in packages]
    keys.append(("module", module_nodeid))
    if class_nodeids:
        keys += [("class", cls) for cls in class_nodeids]
    return keys


def scope_key(scope, item):
    """The node a fixture of ``scope`` is cached on for ``item``."""
    if scope == "function":
        return ("function", item.nodeid)
    if scope == "class":
        # pytest falls back to the item itself when it is not in a class.
        return ("class", item.class_nodeids[-1]) if item.class_nodeids else ("function", item.nodeid)
    if scope == "module":
        return ("module", item.module_nodeid)
    if scope == "package":
        return ("package", item.packages[-1]) if item.packages else ("session", "")
    return ("session", "")


class Plan:
    """The fixtures planned for the items that make the same request, made once for them
    all (``crates/fixtures``' ``ItemFixtures``): ``setup`` the definitions in setup order, as
    ``(def_id, bindings)`` with ``bindings`` what each argument of the definition resolved to,
    ``(argname, def_id)``; ``arguments`` what each of the test's own arguments resolved to,
    ``(argname, def_id)``; ``closure`` pytest's ``fixturenames``, only with ``--setup-show``
    (which needs them; None without)."""

    __slots__ = ("setup", "arguments", "closure", "needs_request")

    def __init__(self, setup, arguments, closure):
        self.setup = setup
        self.arguments = arguments
        self.closure = closure
        # Whether a planned fixture takes ``request`` or is called through it (bound to the
        # test's instance, or maybe ``async``); if not, only the test may ask for one.
        self.needs_request = any(not REGISTRY[def_id].direct or "request" in REGISTRY[def_id].argnames
                                 for def_id, _ in setup)


class FixtureRunner:
    """Sets up an item's fixtures in the order the Rust side planned, reusing cached values."""

    def __init__(self, state):
        self.state = state
        self.active = {}  # def id -> FixtureValue
        # --setup-show: the SETUP/TEARDOWN actions since the last ``take_shown``; None when off.
        self.shown = None
        # --setup-plan: fixtures are "set up" without calling their functions.
        self.plan_only = False

    def teardown_quietly(self, keys):
        """``state.teardown_to(keys)`` when that runs no user code and shows nothing: every
        finalizer it would run only forgets a fixture value that has no finalizers of its own,
        and ``--setup-show`` is off. Whether it did; when it could not, nothing is torn down."""
        stack = self.state.stack
        depth = len(stack)
        if depth > 1 and depth == len(keys) and stack[-2][0] == keys[-2] and stack[-1][0] != keys[-1]:
            # Most often only the item's own node goes (as below, a node shared means the
            # nodes above it are: a key names the node's parents).
            depth -= 1
        else:
            while depth and (depth > len(keys) or stack[depth - 1][0] != keys[depth - 1]):
                depth -= 1
        ending = stack[depth:]
        for _, values in ending:
            if values:
                if self.shown is not None:
                    return False
                for value in values:
                    if type(value) is not FixtureValue or value.finalizers:
                        return False
        active = self.active
        for _, values in ending:
            for value in values:
                # ``_finish`` of a value with no finalizers, with nothing to show.
                if active.get(value.def_id) is value:
                    del active[value.def_id]
        del stack[depth:]
        return True

    def show_setup(self, show, plan_only):
        self.shown = [] if show else None
        self.plan_only = plan_only

    def take_shown(self):
        """The actions recorded since the last call, as
        ``(action, scope, name, deps, param)`` tuples."""
        if self.shown is None:
            return ()
        shown, self.shown = self.shown, []
        return shown

    def setup(self, item, instance):
        """Set up every planned fixture of ``item``; returns the test function's arguments
        and its request (None when nothing needs one)."""
        plan = item.plan
        request = None
        if plan.needs_request or item.is_async or item.kind == "doctest" or "request" in item.argnames:
            request = FixtureRequest(self, item, instance)
        active = self.active
        if self.shown is None and item._calls is None:
            # No parameter can replace a cached value: one still active is the item's.
            for def_id, bindings in plan.setup:
                cached = active.get(def_id)
                if cached is None:
                    self._set_up(def_id, bindings, item, request, None)
                elif cached.error is not None or cached.param_index is not None:
                    self.execute(def_id, bindings, item, request)
        else:
            for step in plan.setup if self.shown is None else _with_direct_params(item):
                if type(step) is str:
                    self._show_direct_param(item, step)
                else:
                    self.execute(step[0], step[1], item, request)
        kwargs = {}
        for name, def_id in plan.arguments:
            kwargs[name] = active[def_id].value
        if item._calls is not None:
            # Direct parametrize values; fixture parameters reached their fixtures above.
            params = item.callspec.params
            for name in item.argnames:
                if name not in kwargs and name in params:
                    kwargs[name] = params[name]
        if "request" in item.argnames:
            kwargs["request"] = request
        return kwargs, request

    def value_of(self, item, name, request):
        """``request.getfixturevalue(name)``: a planned fixture's value, or one more fixture
        set up now with what it needs."""
        for planned_name, def_id in item.plan.arguments:
            if planned_name == name and def_id in self.active:
                return self.active[def_id].value
        setup, arguments, error = RESOLVE(item.nodeid, name)
        for def_id, bindings in setup:
            self.execute(def_id, bindings, item, request)
        if error is not None:
            raise outcomes.ReportedFailure(*error)
        return self.active[arguments[0][1]].value

    def execute(self, def_id, bindings, item, request):
        """The value of the fixture ``def_id`` for ``item``: the cached one, or set up now."""
        param_index = None if item._calls is None else _param_index(item, REGISTRY[def_id].name)
        cached = self.active.get(def_id)
        if cached is not None and cached.param_index != param_index:
            # Another parameter of a wider-scoped fixture: pytest finishes the old value first.
            self._finish(def_id, cached)
            cached = None
        if cached is None:
            return self._set_up(def_id, bindings, item, request, param_index)
        if cached.error is not None:
            raise cached.error[0].with_traceback(cached.error[1])
        return cached.value

    def _set_up(self, def_id, bindings, item, request, param_index):
        """Call the fixture ``def_id`` (its dependencies ``bindings`` are active) and cache
        its value on its scope's node; returns the value."""
        fixture = REGISTRY[def_id]
        entry = self.active[def_id] = FixtureValue(self, def_id, param_index)
        node = self.state.stack[-1]
        if fixture.scope == "function" and node[0] is item.keys[-1]:
            # The item's own node, entered last (the common case, without a search).
            node[1].append(entry)
        else:
            self.state.add_finalizer(scope_key(fixture.scope, item), entry)
        kwargs = {}
        for name, dep in bindings:
            kwargs[name] = self.active[dep].value
        if "request" in fixture.argnames:
            kwargs["request"] = request.sub(fixture, entry)
        try:
            if not self.plan_only:
                if not fixture.direct:
                    entry.value = self._call_indirectly(fixture, kwargs, request, def_id, entry)
                elif fixture.is_generator:
                    entry.value = _first_yield(fixture.func(**kwargs), fixture, entry)
                else:
                    entry.value = fixture.func(**kwargs)
        except BaseException as exc:
            if outcomes.stop_detail(exc) is not None:
                raise
            entry.error = (exc, exc.__traceback__)
            raise
        finally:
            # pytest shows the setup whether or not it raised.
            if self.shown is not None:
                self._show_setup(fixture, item, entry)
        return entry.value

    def _show_setup(self, fixture, item, entry):
        if entry.param_index is not None:
            entry.shown_param = _shown_param(fixture, item, entry.param_index)
        deps = sorted(name for name in fixture.argnames if name != "request")
        self.shown.append(("SETUP", fixture.scope, fixture.name, deps, entry.shown_param))

    def _show_direct_param(self, item, name):
        """pytest sets a direct parametrize argument up as a function-scoped pseudo-fixture,
        which --setup-show lists like a fixture (with its value, never an id)."""
        from .tbformat import saferepr

        param = saferepr(item.callspec.params[name], maxsize=42)
        self.shown.append(("SETUP", "function", name, [], param))
        teardown = ("TEARDOWN", "function", name, [], param)
        self.state.add_finalizer(("function", item.nodeid), lambda: self.shown.append(teardown))

    def _call_indirectly(self, fixture, kwargs, request, def_id, entry):
        """Call a fixture that is a method (bound to the test's instance) or may be
        ``async``; returns its value."""
        func = fixture.func
        if fixture.is_method and request.instance is not None:
            func = func.__get__(request.instance)
        if fixture.maybe_async:
            from . import asyncio_plugin

            loop_scope = asyncio_plugin.fixture_loop_scope(func, fixture.scope) if asyncio_plugin.active() else None
            if loop_scope is not None:
                return asyncio_plugin.call_fixture(
                    func, kwargs, loop_scope, request.sub(fixture, entry),
                    lambda runner_name: self._finish_before(runner_name, def_id, entry))
            if asyncio_plugin.is_async_function(func):
                asyncio_plugin.fail_unhandled_async_fixture(request.sub(fixture, entry), fixture)
        result = func(**kwargs)
        return _first_yield(result, fixture, entry) if fixture.is_generator else result

    def _finish_before(self, name, def_id, entry):
        """Finish the fixture ``def_id`` before the active fixture ``name`` ends (pytest-asyncio
        keeps an event loop open until the fixtures that ran in it are finished)."""
        for active_id, active in self.active.items():
            if REGISTRY[active_id].name == name:
                active.finalizers.append(lambda: self._finish(def_id, entry))
                return

    def _finish(self, def_id, entry):
        # A value finished early (another parameter replaced it) is finished again, with no
        # finalizers left, when its node ends.
        was_active = self.active.get(def_id) is entry
        if was_active:
            del self.active[def_id]
        errors = []
        while entry.finalizers:
            try:
                entry.finalizers.pop()()
            except BaseException as exc:
                if outcomes.stop_detail(exc) is not None:
                    raise
                errors.append(exc)
        # pytest shows the teardown once the finalizers ran, even when one raised, and only
        # for a value it still held.
        if self.shown is not None and was_active:
            fixture = REGISTRY[def_id]
            self.shown.append(("TEARDOWN", fixture.scope, fixture.name, [], entry.shown_param))
        if errors:
            raise errors[0]


def _param_index(item, name):
    """Which parameter of fixture ``name`` the item uses (None when not parametrized)."""
    callspec = item.callspec
    if callspec is None or name not in callspec.params:
        return None
    return callspec.indices.get(name)


def _shown_param(fixture, item, param_index):
    """What --setup-show prints in brackets: the fixture's id for the parameter when it has
    ``ids``, else the parameter itself, as pytest's ``saferepr(..., maxsize=42)``."""
    from .tbformat import saferepr

    param = item.callspec.params[fixture.name]
    ids = fixture.ids
    if ids:
        param = ids(param) if callable(ids) else ids[param_index]
    return saferepr(param, maxsize=42)


def _with_direct_params(item):
    """``item.plan.setup`` with the name of each direct parametrize argument inserted where
    pytest's closure sets its pseudo-fixture up (before the fixtures of later names)."""
    callspec = item.callspec
    plan = item.plan
    planned = {REGISTRY[def_id].name for def_id, _ in plan.setup}
    direct = set() if callspec is None else {name for name in callspec.params if name not in planned}
    if not direct:
        return plan.setup
    steps = []
    rest = list(plan.setup)
    for name in plan.closure:
        if name in direct:
            steps.append(name)
            continue
        for index, (def_id, _) in enumerate(rest):
            if REGISTRY[def_id].name == name:
                steps.extend(rest[:index + 1])
                del rest[:index + 1]
                break
    return steps + rest


def _first_yield(generator, fixture, entry):
    """The value a ``yield`` fixture yields; its rest runs when ``entry`` finishes."""
    try:
        value = next(generator)
    except StopIteration:
        raise ValueError("%s did not yield a value" % fixture.name) from None
    entry.finalizers.append(lambda: _finish_generator(generator, fixture))
    return value


def _finish_generator(generator, fixture):
    try:
        next(generator)
    except StopIteration:
        return
    outcomes.fail_no_trace("fixture function has more than one 'yield':\n\n" + _source_of(fixture))


def _source_of(fixture):
    import linecache

    lines = []
    for offset in range(200):
        line = linecache.getline(fixture.path or "", fixture.lineno + 1 + offset)
        if not line:
            break
        lines.append("    " + line.rstrip())
    return "\n".join(lines)
