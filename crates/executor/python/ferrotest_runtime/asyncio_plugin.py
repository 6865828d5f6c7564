"""pytest-asyncio 1.x (the ``asyncio`` pytest11 entry point), run natively.

When the package is installed (and neither ``-p no:asyncio`` nor
``PYTEST_DISABLE_PLUGIN_AUTOLOAD`` keeps pytest from loading it), ferrotest does what its
plugin module does, reading its configuration (``asyncio_mode``, ``asyncio_debug``,
``asyncio_default_fixture_loop_scope``, ``asyncio_default_test_loop_scope``), its ``asyncio``
mark and what ``pytest_asyncio.fixture`` stores on a function (``_force_asyncio_fixture``,
``_loop_scope``), without importing it or pytest:

- its fixtures: one ``asyncio.Runner`` per loop scope (``_<scope>_scoped_runner``), the
  autouse ``event_loop_policy``, ``unused_tcp_port`` and friends;
- an asyncio test (marked, or any ``async def`` test in auto mode) requests the runner of
  its loop scope after its other fixtures and its coroutine runs in that runner;
- an async fixture it handles (made by ``pytest_asyncio.fixture``, or any async fixture in
  auto mode) runs in the runner of its loop scope, which finishes the fixture before it
  closes the loop.

The entry point's own module must therefore never be loaded as a plugin as well:
``ENTRY_POINT`` names what a plugin loader has to leave to this module.
"""
import importlib.util
import os
import sys

from . import outcomes

# The pytest11 entry point (name, module) this module stands for.
ENTRY_POINT = ("asyncio", "pytest_asyncio.plugin")

_SCOPES = ("function", "class", "module", "package", "session")
_MATCH_FIXTURE_SCOPE = "fixture-scope"
_CO_ASYNC = 0x80 | 0x200  # CO_COROUTINE | CO_ASYNC_GENERATOR

_ACTIVE = None  # None: not decided yet; then True or False


def active():
    """Whether pytest would load pytest-asyncio for this session."""
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = _loaded_by_pytest()
    return _ACTIVE


def _loaded_by_pytest():
    from .config import CONFIG

    plugins = CONFIG.getoption("plugins", None) or []
    name, module = ENTRY_POINT
    if "no:" + name in plugins or "no:" + module in plugins:
        return False
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD") and not {name, module, "pytest_asyncio"} & set(plugins):
        return False
    return importlib.util.find_spec("pytest_asyncio") is not None


# -- configuration ------------------------------------------------------------------------

def _mode():
    from .config import CONFIG

    return CONFIG.getoption("asyncio_mode", None) or CONFIG._ini.get("asyncio_mode") or "strict"


def _debug():
    from .config import CONFIG

    option = CONFIG.getoption("asyncio_debug", None)
    if option:
        return True
    value = CONFIG._ini.get("asyncio_debug", "false")
    return value is True or str(value).strip().lower() == "true"


def _default_fixture_loop_scope():
    from .config import CONFIG

    return CONFIG._ini.get("asyncio_default_fixture_loop_scope") or None


def _default_test_loop_scope():
    from .config import CONFIG

    return CONFIG._ini.get("asyncio_default_test_loop_scope") or "function"


# pytest-asyncio's ini options: ``(name, type, default)``.
_INI_OPTIONS = (
    ("asyncio_mode", None, "strict"),
    ("asyncio_debug", "bool", "false"),
    ("asyncio_default_fixture_loop_scope", "string", None),
    ("asyncio_default_test_loop_scope", "string", "function"),
)


def configure(config):
    """The plugin's ``pytest_configure`` (its mark) and ``pytest_report_header``: returns
    the header line, which pytest writes after its own since the hook is ``tryfirst``."""
    if not active():
        return []
    from .config import register_ini

    # The plugin's ``parser.addini`` options.
    for name, kind, default in _INI_OPTIONS:
        register_ini(name, kind, default)
    config.addinivalue_line("markers", "asyncio: mark the test as a coroutine, it will be run using an asyncio event loop")
    import enum

    # The plugin's own enum, formatted as the running Python formats it (``Mode.STRICT``).
    mode = enum.Enum("Mode", [("AUTO", "auto"), ("STRICT", "strict")], type=str)(_mode())
    return ["asyncio: mode=%s, debug=%s, asyncio_default_fixture_loop_scope=%s, asyncio_default_test_loop_scope=%s"
            % (mode, _debug(), _default_fixture_loop_scope(), _default_test_loop_scope())]


# -- fixtures -------------------------------------------------------------------------------

def fixture_loop_scope(func, scope):
    """The loop scope an async fixture runs in, None for a fixture pytest-asyncio leaves to
    pytest (the plugin's ``pytest_fixture_setup``)."""
    raw = getattr(func, "__func__", func)
    if not getattr(raw, "_force_asyncio_fixture", False):
        if not is_async_function(func) or _mode() != "auto":
            return None
    default = _default_fixture_loop_scope()
    if default == _MATCH_FIXTURE_SCOPE:
        default = scope
    return getattr(raw, "_loop_scope", None) or default or scope


def is_async_function(func):
    """``inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)``."""
    code = getattr(getattr(func, "__func__", func), "__code__", None)
    if code is not None:
        return bool(code.co_flags & _CO_ASYNC)
    import inspect

    return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)


def call_fixture(func, kwargs, loop_scope, request, finish_with_runner):
    """Set up an async fixture in the runner of ``loop_scope``, as the plugin's synchronizers
    do; ``finish_with_runner(name)`` makes the fixture finish before that runner closes."""
    name = _runner_name(loop_scope)
    if _SCOPES.index(loop_scope) < _SCOPES.index(request.scope):
        _fail_scope_mismatch(loop_scope, request)
    runner = request.getfixturevalue(name)
    finish_with_runner(name)
    import inspect

    raw = getattr(func, "__func__", func)
    if inspect.isasyncgenfunction(raw):
        return _asyncgen_fixture(func, kwargs, runner, request)
    if inspect.iscoroutinefunction(raw):
        return _coroutine_fixture(func, kwargs, runner, request)
    # A synchronous function made by pytest_asyncio.fixture sees the runner's loop as the
    # current event loop.
    if inspect.isgeneratorfunction(raw):
        return _sync_generator_fixture(func, kwargs, runner, request)
    with _temporary_event_loop(runner.get_loop()):
        return func(**kwargs)


def _fail_scope_mismatch(loop_scope, request):
    """pytest's error for a fixture whose loop is narrower than itself: its request may not
    reach the runner fixture of that loop scope."""
    import inspect

    fixture = request._fixture
    path = os.path.relpath(fixture.path, os.getcwd())
    requesting = "%s:%d:  def %s%s" % (path, fixture.lineno + 1, fixture.func.__name__, inspect.signature(fixture.func))
    outcomes.fail_no_trace(
        "ScopeMismatch: You tried to access the %s scoped fixture %s with a %s scoped request object. "
        "Requesting fixture stack:\n%s\nRequested fixture:\n%s"
        % (loop_scope, _runner_name(loop_scope), request.scope, requesting, _runner_definition(request)))


def _runner_definition(request):
    """Where the plugin defines its runner fixtures, as pytest names a fixture."""
    path = os.path.join(os.path.dirname(importlib.util.find_spec("pytest_asyncio").origin), "plugin.py")
    with open(path, encoding="utf-8") as source:
        lines = source.read().splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith("def _create_scoped_runner_fixture")), 0)
    lineno = next((n for n in range(start, len(lines)) if "@pytest.fixture" in lines[n]), start) + 1
    return "%s:%d:  def _scoped_runner(event_loop_policy, _asyncio_loop_factory, request: 'FixtureRequest') -> " \
           "'Iterator[Runner]'" % (os.path.relpath(path, os.getcwd()), lineno)


def _coroutine_fixture(func, kwargs, runner, request):
    import contextvars

    async def setup():
        return await func(**kwargs)

    context = contextvars.copy_context()
    result = runner.run(setup(), context=context)
    reset = _apply_contextvar_changes(context)
    if reset is not None:
        request.addfinalizer(reset)
    return result


def _asyncgen_fixture(func, kwargs, runner, request):
    import contextvars

    generator = func(**kwargs)

    async def setup():
        return await generator.__anext__()

    context = contextvars.copy_context()
    result = runner.run(setup(), context=context)
    reset = _apply_contextvar_changes(context)

    def finalizer():
        async def finish():
            try:
                await generator.__anext__()
            except StopAsyncIteration:
                pass
            else:
                raise ValueError("Async generator fixture didn't stop.Yield only once.")

        runner.run(finish(), context=context)
        if reset is not None:
            reset()

    request.addfinalizer(finalizer)
    return result


def _sync_generator_fixture(func, kwargs, runner, request):
    generator = func(**kwargs)
    with _temporary_event_loop(runner.get_loop()):
        value = next(generator)

    def finalizer():
        with _temporary_event_loop(runner.get_loop()):
            next(generator, None)

    request.addfinalizer(finalizer)
    return value


def _apply_contextvar_changes(context):
    """Copy what the fixture changed in ``context`` into the current context; returns a
    finalizer restoring the old values, or None when nothing changed."""
    tokens = []
    for var in context:
        try:
            if var.get() is context.get(var):
                continue
        except LookupError:
            pass
        tokens.append((var, var.set(context.get(var))))
    if not tokens:
        return None

    def restore():
        while tokens:
            var, token = tokens.pop()
            var.reset(token)

    return restore


def _runner_name(scope):
    return "_%s_scoped_runner" % scope


def _event_loop_policy():
    """Return an instance of the policy used to create asyncio event loops."""
    import asyncio
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return asyncio.get_event_loop_policy()


def _asyncio_loop_factory(request):
    return getattr(request, "param", None)


def _scoped_runner(event_loop_policy, _asyncio_loop_factory):
    import warnings

    if sys.version_info >= (3, 11):
        from asyncio import Runner
    else:
        from backports.asyncio.runner import Runner

    old_policy = _event_loop_policy()
    _set_event_loop_policy(event_loop_policy)
    try:
        runner = Runner(debug=_debug(), loop_factory=_asyncio_loop_factory).__enter__()
        try:
            yield runner
        except Exception as exc:
            runner.__exit__(type(exc), exc, exc.__traceback__)
        else:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", ".*BaseEventLoop.shutdown_asyncgens.*", RuntimeWarning)
                try:
                    runner.__exit__(None, None, None)
                except RuntimeError:
                    import traceback

                    warnings.warn(_RUNNER_TEARDOWN_WARNING % traceback.format_exc(), RuntimeWarning)
    finally:
        _set_event_loop_policy(old_policy)


_RUNNER_TEARDOWN_WARNING = (
    "An exception occurred during teardown of an asyncio.Runner. The reason is likely that you closed the "
    "underlying event loop in a test, which prevents the cleanup of asynchronous generators by the runner.\n"
    "This warning will become an error in future versions of pytest-asyncio. Please ensure that your tests "
    "don't close the event loop. Here is the traceback of the exception triggered during teardown:\n%s\n"
)


def _set_event_loop_policy(policy):
    import asyncio
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(policy)


class _temporary_event_loop:
    """The plugin's ``_temporary_event_loop``: ``loop`` is the current event loop inside."""

    def __init__(self, loop):
        self.loop = loop
        self.old = None

    def __enter__(self):
        import asyncio
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                self.old = asyncio.get_event_loop()
            except RuntimeError:
                self.old = None
            if self.old is not self.loop:
                asyncio.set_event_loop(self.loop)

    def __exit__(self, *exc_info):
        if self.old is self.loop:
            return
        import asyncio
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            asyncio.set_event_loop(self.old)


def _unused_port(socket_type):
    import contextlib
    import socket

    with contextlib.closing(socket.socket(type=socket_type)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_factory(socket_type):
    produced = set()

    def factory():
        """Return an unused port."""
        port = _unused_port(socket_type)
        while port in produced:
            port = _unused_port(socket_type)
        produced.add(port)
        return port

    return factory


def unused_tcp_port():
    import socket

    return _unused_port(socket.SOCK_STREAM)


def unused_udp_port():
    import socket

    return _unused_port(socket.SOCK_DGRAM)


def unused_tcp_port_factory():
    """A factory function, producing different unused TCP ports."""
    import socket

    return _port_factory(socket.SOCK_STREAM)


def unused_udp_port_factory():
    """A factory function, producing different unused UDP ports."""
    import socket

    return _port_factory(socket.SOCK_DGRAM)


def fixtures():
    """The plugin's fixtures as ``(name, function, scope, autouse)``, registered right after
    pytest's own so that conftests can override them (``event_loop_policy`` often is)."""
    if not active():
        return []
    runners = [(_runner_name(scope), _scoped_runner, scope, False) for scope in _SCOPES]
    return runners + [
        ("_asyncio_loop_factory", _asyncio_loop_factory, "session", False),
        ("event_loop_policy", _event_loop_policy, "session", True),
        ("unused_tcp_port", unused_tcp_port, "function", False),
        ("unused_udp_port", unused_udp_port, "function", False),
        ("unused_tcp_port_factory", unused_tcp_port_factory, "session", False),
        ("unused_udp_port_factory", unused_udp_port_factory, "session", False),
    ]


# -- tests ----------------------------------------------------------------------------------

def test_runner(item, request):
    """For an asyncio test, the runner of its loop scope, set up after its other fixtures as
    the plugin's item does; None for any other test."""
    if not _may_be_asyncio_test(item):
        return None
    marker = _asyncio_marker(item)
    if marker is None:
        return None
    scope = marker.kwargs.get("loop_scope") or marker.kwargs.get("scope") or _default_test_loop_scope()
    name = _runner_name(scope)
    item.late_fixturenames = (name,)
    return request.getfixturevalue(name)


def refuse_async_generator(item, function):
    """The plugin marks an async generator test ``xfail(run=False)``: it fails as expected
    at setup, before any fixture."""
    if not _may_be_asyncio_test(item) or _asyncio_marker(item) is None:
        return
    if getattr(getattr(function, "__code__", None), "co_flags", 0) & 0x200:  # CO_ASYNC_GENERATOR
        from .skipping import NotRun

        raise NotRun("Tests based on asynchronous generators are not supported. %s will be ignored."
                     % item.nodeid.rsplit("::", 1)[-1])


def _may_be_asyncio_test(item):
    # unittest runs its own async tests (IsolatedAsyncioTestCase): the plugin leaves them.
    return active() and item.is_async and item.kind == "function"


def _asyncio_marker(item):
    """The closest ``asyncio`` mark; in auto mode every async test carries one."""
    marker = None
    if "_pytest.mark.structures" in sys.modules:
        marker = item.node().get_closest_marker("asyncio")
    if marker is None and _mode() == "auto":
        return _AutoMark()
    return marker


class _AutoMark:
    """The bare ``asyncio`` mark auto mode adds."""

    kwargs = {}


def run_test(runner, function, kwargs):
    """The plugin's synchronized test: the coroutine runs in ``runner`` in a copy of the
    current context (which async fixtures' contextvar changes reached)."""
    import contextvars

    runner.run(function(**kwargs), context=contextvars.copy_context())


def warn_sync_test_marked(item):
    """The plugin warns about an ``asyncio`` mark on a test that is not async."""
    if not active() or item.is_async or "_pytest.mark.structures" not in sys.modules:
        return
    if item.node().get_closest_marker("asyncio") is None:
        return
    import warnings

    warning = sys.modules["pytest"].PytestWarning(
        "The test <Function %s> is marked with '@pytest.mark.asyncio' but it is not an async function. "
        "Please remove the asyncio mark. If the test is not marked explicitly, check for global marks "
        "applied via 'pytestmark'." % (item.node().name,))
    warnings.warn_explicit(warning, category=None, filename=item.path, lineno=item.lineno + 1)


def fail_unhandled_async_fixture(request, fixture):
    """pytest's error for an async fixture no plugin handled."""
    autouse = " with autouse=True" if fixture.autouse else ""
    outcomes.fail_no_trace(
        "%r requested an async fixture %r%s, with no plugin or hook that handled it. This is an error, as "
        "pytest does not natively support it.\n"
        "See: https://docs.pytest.org/en/stable/deprecations.html#sync-test-depending-on-async-fixture"
        % (request.node.name, fixture.name, autouse))
