"""pytest's ``Metafunc`` and the ``pytest_generate_tests`` hooks that receive it.

pytest calls the hook once per test function (``PyCollector._genfunctions``) through pluggy,
whose order decides how the calls nest and in which order ids join: the class's hook, then
the module's (both added with ``call_extra``, which runs them first), then the conftests
registered after the fixture manager (those met while collecting), deepest first, then the
fixture manager's (fixtures with ``params=``), then the conftests loaded at start-up and the
plugins, last registered first, and last the ``python`` plugin's, which applies the
``parametrize`` marks.
"""
import os

from . import config, hooks, params

HOOK = "pytest_generate_tests"


class HookError(Exception):
    """A hook raised: pytest fails the module's collection with this text."""

    def __init__(self, longrepr, message):
        super().__init__(longrepr)
        self.longrepr = longrepr
        self.message = message


class Definition:
    """pytest's ``FunctionDefinition`` as hooks read it."""

    def __init__(self, nodeid, name, function, marks):
        self.nodeid = nodeid
        self.name = name
        self.obj = function
        self._marks = marks

    def iter_markers(self, name=None):
        return (mark for mark in self._marks if name is None or mark.name == name)

    def get_closest_marker(self, name, default=None):
        return next(self.iter_markers(name), default)


class Metafunc:
    """What a ``pytest_generate_tests`` hook sees of a test; ``parametrize`` multiplies it."""

    def __init__(self, definition, fixturenames, cls, module, expander):
        self.definition = definition
        self.fixturenames = fixturenames
        self.function = definition.obj
        self.cls = cls
        self.module = module
        self.config = config.CONFIG
        self._expander = expander

    def parametrize(self, argnames, argvalues, indirect=False, ids=None, scope=None):
        self._expander.add(_Call(argnames, argvalues, indirect, ids, scope))


class _Call:
    """One ``Metafunc.parametrize`` call, shaped like the parametrize mark ``params`` takes."""

    name = "parametrize"

    def __init__(self, argnames, argvalues, indirect, ids, scope):
        self.args = (argnames, argvalues)
        self.kwargs = {"indirect": indirect, "ids": ids, "scope": scope}


class Hooks:
    """A test's hook implementations, split where the fixture manager's runs."""

    def __init__(self, before_fixtures, after_fixtures):
        self.before_fixtures = before_fixtures
        self.after_fixtures = after_fixtures


def call(hooks, metafunc, module_path):
    """Call ``hooks`` in order; one that raises fails the collection of the module at
    ``module_path`` (``parametrize``'s own errors already carry pytest's text)."""
    for hook in hooks:
        try:
            hook(metafunc)
        except params.ParametrizeError:
            raise
        except Exception as exc:
            raise _hook_error(exc, module_path) from None


class ModuleHooks:
    """The hooks that apply to the tests of one module: its own, and its conftests' and
    plugins' (``initial`` and ``later``, see ``_conftest_hooks``)."""

    def __init__(self, own, initial, later):
        self.own = own
        self.initial = initial
        self.later = later
        self.any = bool(own or initial or later)

    def for_class(self, cls):
        """The ``Hooks`` of a test in ``cls`` (None: the module's own tests)."""
        own = list(self.own)
        if class_has_hook(cls):
            # pytest calls the hook of a fresh instance, once per test function.
            own.insert(0, getattr(cls(), HOOK))
        return Hooks(own + self.later, self.initial)


def module_hooks(module):
    """The ``ModuleHooks`` of ``module``."""
    own = [getattr(module, HOOK)] if hasattr(module, HOOK) else []
    initial, later = _conftest_hooks(os.path.dirname(module.__file__))
    return ModuleHooks(own, initial, later)


def class_has_hook(cls):
    """Whether tests in ``cls`` (None: the module's own) get its own hook."""
    return cls is not None and hasattr(cls, HOOK)


def _conftest_hooks(directory):
    """``(initial, later)`` plugin and conftest hooks for a module in ``directory``, in
    pluggy's order: plugins and the conftests pytest loads at start-up register before its
    fixture manager, the conftests it meets while collecting after it."""
    initial, later = [], []
    for conftest_dir, function in hooks.located_implementations(HOOK, directory):
        is_initial = conftest_dir is None or conftest_dir in _initial_conftest_dirs()
        (initial if is_initial else later).append(function)
    return initial, later


def _ancestors(directory):
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


# ``(config, directories)``: ``_initial_conftest_dirs`` for the session's configuration.
_INITIAL_DIRS = (None, None)


def _initial_conftest_dirs():
    global _INITIAL_DIRS
    if _INITIAL_DIRS[0] is not config.CONFIG:
        _INITIAL_DIRS = (config.CONFIG, _find_initial_conftest_dirs())
    return _INITIAL_DIRS[1]


def _find_initial_conftest_dirs():
    """The directories of the conftests pytest loads at start-up (``_set_initial_conftests``):
    those of each argument (or ``testpaths``, or the invocation directory) and above, and
    of the ``test*`` directories right below an argument that is a directory."""
    cwd = os.getcwd()
    dirs = set()
    for anchor in _anchors(cwd):
        directory = anchor if os.path.isdir(anchor) else os.path.dirname(anchor)
        dirs.update(_ancestors(directory))
        if os.path.isdir(anchor):
            import glob  # only where conftest hooks exist: it costs ~10 ms to import

            dirs.update(path for path in glob.glob(os.path.join(glob.escape(anchor), "test*")) if os.path.isdir(path))
    return dirs


def _anchors(cwd):
    """pytest's ``_decide_args``: the arguments, else ``testpaths`` (from the rootdir only),
    else the invocation directory; node IDs count by their path."""
    args = [arg.split("::")[0] for arg in config.CONFIG.args]
    if not args and os.path.samefile(cwd, config.CONFIG.rootpath):
        import glob

        args = [path for pattern in config.CONFIG.getini("testpaths") for path in sorted(glob.glob(pattern, recursive=True))]
    anchors = [os.path.abspath(os.path.join(cwd, arg)) for arg in args]
    anchors = [anchor for anchor in anchors if os.path.exists(anchor)]
    return anchors or [cwd]


def _hook_error(exc, module_path):
    """pytest's collection error for a hook that raised: ``fail()`` shows its message alone,
    anything else its traceback from the test module on."""
    from . import outcomes, tbformat

    if outcomes.is_fail(exc) and not getattr(exc, "pytrace", True):
        return HookError(str(exc), tbformat.crash_message(exc))
    text = tbformat.format_node_failure(exc, tbformat.collector_style(), os.getcwd(), module_path)
    return HookError(text, tbformat.crash_message(exc))
