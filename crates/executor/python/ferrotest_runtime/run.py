"""Running planned items with pytest's setup/call/teardown protocol.

``Runner.run_item`` is called once per item and returns its three phase reports as plain
tuples ``(when, outcome, longrepr, duration, sections)``; ``longrepr`` is None,
``("failure", text, message)`` or ``("skip", path, lineno, reason)``.

xunit-style hooks follow pytest's fixture semantics: module and class setups run before the
first item that needs them and their teardowns run in the teardown phase of the last item
that does (the caller says which item comes next); a failed module/class setup is reported
again for every item under it, as pytest re-raises a cached fixture error.
"""
import os
import sys
import time

from . import outcomes
from .capture import Capture, NoCapture

_perf = time.perf_counter
ASYNC_MESSAGE = (
    "async def functions are not natively supported.\n"
    "You need to install a suitable plugin for your async framework, for example:\n"
    "  - anyio\n"
    "  - pytest-asyncio\n"
    "  - pytest-tornasync\n"
    "  - pytest-trio\n"
    "  - pytest-twisted"
)


class Item:
    """What the Rust side knows about one planned item."""

    __slots__ = ("nodeid", "import_name", "classes", "name", "kind", "is_async", "path",
                 "relpath", "lineno", "setup_error")

    def __init__(self, nodeid, import_name, classes, name, kind, is_async, path, relpath,
                 lineno, setup_error):
        self.nodeid = nodeid
        self.import_name = import_name
        self.classes = tuple(classes)
        self.name = name
        self.kind = kind
        self.is_async = is_async
        self.path = os.fspath(path)
        self.relpath = relpath
        self.lineno = lineno
        self.setup_error = setup_error


class _Failure(Exception):
    """A phase failed with an already formatted report (e.g. the scheduler's fixture error)."""

    def __init__(self, longrepr):
        super().__init__(longrepr)
        self.longrepr = longrepr


class _Scope:
    """A module or class whose xunit setup ran: its teardown, or the error its setup raised."""

    __slots__ = ("key", "teardown", "error")

    def __init__(self, key):
        self.key = key
        self.teardown = None
        self.error = None


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


class Runner:
    """Runs items one at a time. Paths in tracebacks are relative to ``cwd`` (pytest's
    invocation directory), skip locations relative to ``rootdir``."""

    def __init__(self, rootdir, cwd, capture):
        self.rootdir = os.fspath(rootdir)
        self.cwd = os.fspath(cwd)
        self.capture = Capture() if capture else NoCapture()
        # Stack of active scopes: the module first, then enclosing classes outermost first.
        self.scopes = []

    def set_capture(self, enabled):
        """Switch capturing for the next items, keeping the capture files when it stays on."""
        if enabled != isinstance(self.capture, Capture):
            self.capture = Capture() if enabled else NoCapture()

    # -- the protocol ---------------------------------------------------------------------

    def run_item(self, item, next_key):
        """Run ``item``'s three phases. ``next_key`` is ``(import_name, classes)`` of the
        next item, or None after the last one. Returns ``(reports, stop)``: ``stop`` is None or
        what ``outcomes.stop_detail`` describes."""
        capture = self.capture
        marks = []
        reports = []
        state = {}
        capture.start()
        try:
            setup = self._phase("setup", self._setup, item, state)
            reports.append(setup)
            marks.append(("setup", capture.mark()))
            if setup[1] == "passed":
                reports.append(self._phase("call", self._call, item, state))
                marks.append(("call", capture.mark()))
            reports.append(self._phase("teardown", self._teardown, item, state, next_key))
            marks.append(("teardown", capture.mark()))
        except outcomes.Stop as stop:
            marks.append((("setup", "call", "teardown")[len(reports)], capture.mark()))
            sections = capture.stop(marks)
            self._teardown_quietly(state)
            return _with_sections(reports, sections), stop.detail
        sections = capture.stop(marks)
        return _with_sections(reports, sections), None

    def finish(self):
        """Tear down every scope still active (after the last item, or when stopping early)."""
        while self.scopes:
            scope = self.scopes.pop()
            if scope.teardown is not None:
                try:
                    scope.teardown()
                except Exception:
                    pass

    def _phase(self, when, func, item, *args):
        start = _perf()
        try:
            func(item, *args)
        except _Failure as failure:
            return (when, "failed", failure.longrepr, _perf() - start)
        except BaseException as exc:
            detail = outcomes.stop_detail(exc)
            if detail is not None:
                raise outcomes.Stop(detail) from None
            return (when,) + self._failure(item, exc) + (_perf() - start,)
        return (when, "passed", None, _perf() - start)

    def _failure(self, item, exc):
        """``(outcome, longrepr)`` for an exception raised by a phase."""
        if outcomes.is_skip(exc) or isinstance(exc, outcomes.ItemSkip):
            return "skipped", self._skip_repr(item, exc)
        from . import tbformat

        if outcomes.is_fail(exc) and not getattr(exc, "pytrace", True):
            return "failed", ("failure", str(exc), tbformat.crash_message(exc))
        firstlineno = item.lineno + 1 if item.kind == "function" else None
        text = tbformat.format_exception(exc, "long", self.cwd, path=item.path, firstlineno=firstlineno)
        return "failed", ("failure", text, tbformat.crash_message(exc))

    def _skip_repr(self, item, exc):
        reason = str(getattr(exc, "msg", "") or "")
        if getattr(exc, "_use_item_location", False) or isinstance(exc, outcomes.ItemSkip):
            return ("skip", item.relpath, item.lineno + 1, reason)
        path, lineno = item.path, item.lineno + 1
        tb = exc.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if not frame.f_locals.get("__tracebackhide__", frame.f_globals.get("__tracebackhide__", False)):
                path, lineno = frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
        try:
            rel = os.path.relpath(path, self.rootdir)
        except ValueError:
            rel = path
        return ("skip", rel, lineno, reason)

    # -- setup ----------------------------------------------------------------------------

    def _setup(self, item, state):
        if item.setup_error is not None:
            raise _Failure(("failure", item.setup_error, ""))
        module = sys.modules[item.import_name]
        self._enter_scopes(item, module)
        owner = module
        for name in item.classes:
            owner = getattr(owner, name)
        if item.kind == "unittest":
            state["testcase"] = owner(item.name)
            return
        if item.classes:
            instance = owner()
            state["function"] = getattr(instance, item.name)
            self._setup_method(instance, state)
        else:
            state["function"] = getattr(module, item.name)
            self._setup_function(module, state)

    def _enter_scopes(self, item, module):
        keys = [(item.import_name,)]
        for depth in range(1, len(item.classes) + 1):
            keys.append((item.import_name,) + item.classes[:depth])
        # Leftover scopes (the previous item was interrupted or ran elsewhere) end here.
        while self.scopes and (len(self.scopes) > len(keys) or self.scopes[-1].key != keys[len(self.scopes) - 1]):
            scope = self.scopes.pop()
            if scope.teardown is not None:
                scope.teardown()
        owner = module
        for depth, key in enumerate(keys):
            if depth > 0:
                owner = getattr(owner, key[-1])
            if depth < len(self.scopes):
                scope = self.scopes[depth]
            else:
                scope = _Scope(key)
                self.scopes.append(scope)
                try:
                    self._setup_scope(scope, owner, depth == 0)
                except BaseException as exc:
                    if outcomes.stop_detail(exc) is not None:
                        raise
                    scope.error = exc
            if scope.error is not None:
                raise scope.error

    def _setup_scope(self, scope, owner, is_module):
        if is_module:
            setup = _first_plain(owner, ("setUpModule", "setup_module"))
            teardown = _first_plain(owner, ("tearDownModule", "teardown_module"))
            if setup is not None:
                _call_optional(setup, owner)
            if teardown is not None:
                scope.teardown = lambda: _call_optional(teardown, owner)
            return
        unittest = sys.modules.get("unittest")
        if unittest is not None and isinstance(owner, type) and issubclass(owner, unittest.TestCase):
            self._setup_unittest_class(scope, owner)
            return
        setup = _first_plain(owner, ("setup_class",))
        teardown = getattr(owner, "teardown_class", None)
        if setup is not None:
            _call_optional(getattr(setup, "__func__", setup), owner)
        if teardown is not None:
            scope.teardown = lambda: _call_optional(getattr(teardown, "__func__", teardown), owner)

    def _setup_unittest_class(self, scope, cls):
        if getattr(cls, "__unittest_skip__", False):
            raise outcomes.ItemSkip(getattr(cls, "__unittest_skip_why__", ""))
        cls.setUpClass()

        def teardown():
            try:
                cls.tearDownClass()
            finally:
                cls.doClassCleanups()

        scope.teardown = teardown

    def _setup_method(self, instance, state):
        setup = _first_plain(instance, ("setup_method",))
        teardown = _first_plain(instance, ("teardown_method",))
        method = state["function"]
        if setup is not None:
            _call_optional(setup, method)
        if teardown is not None:
            state["teardown"] = lambda: _call_optional(teardown, method)

    def _setup_function(self, module, state):
        setup = _first_plain(module, ("setup_function",))
        teardown = _first_plain(module, ("teardown_function",))
        function = state["function"]
        if setup is not None:
            _call_optional(setup, function)
        if teardown is not None:
            state["teardown"] = lambda: _call_optional(teardown, function)

    # -- call -----------------------------------------------------------------------------

    def _call(self, item, state):
        if item.kind == "unittest":
            self._call_unittest(item, state)
            return
        function = state["function"]
        if item.is_async:
            _fail_async()
        result = function()
        if hasattr(result, "__await__") or hasattr(result, "__aiter__"):
            _close_coroutine(result)
            _fail_async()

    def _call_unittest(self, item, state):
        from .unittest_result import Result

        result = Result()
        state["testcase"](result=result)
        outcome = result.outcome()
        if outcome is not None:
            if isinstance(outcome, tuple):
                raise _Failure(outcome)
            raise outcome

    # -- teardown -------------------------------------------------------------------------

    def _teardown(self, item, state, next_key):
        errors = []
        teardown = state.pop("teardown", None)
        if teardown is not None:
            _collect_errors(errors, teardown)
        keep = self._shared_depth(next_key)
        while len(self.scopes) > keep:
            scope = self.scopes.pop()
            if scope.teardown is not None:
                _collect_errors(errors, scope.teardown)
        if errors:
            raise errors[0]

    def _shared_depth(self, next_key):
        """How many active scopes the next item still needs."""
        if next_key is None:
            return 0
        import_name, classes = next_key
        keys = [(import_name,)] + [(import_name,) + tuple(classes[:d]) for d in range(1, len(classes) + 1)]
        depth = 0
        while depth < len(self.scopes) and depth < len(keys) and self.scopes[depth].key == keys[depth]:
            depth += 1
        return depth

    def _teardown_quietly(self, state):
        teardown = state.pop("teardown", None)
        if teardown is not None:
            try:
                teardown()
            except Exception:
                pass


def _collect_errors(errors, func):
    try:
        func()
    except BaseException as exc:
        if outcomes.stop_detail(exc) is not None:
            raise
        errors.append(exc)


def _fail_async():
    # pytest's ``fail(msg, pytrace=False)``: the message is the whole report.
    raise _Failure(("failure", ASYNC_MESSAGE, "Failed: " + ASYNC_MESSAGE))


def _close_coroutine(result):
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _with_sections(reports, sections):
    return [report + (phase_sections,) for report, phase_sections in zip(reports, sections)]
