"""Running planned items with pytest's setup/call/teardown protocol.

``Runner.run_item`` is called once per item and yields its reports as plain tuples, each as
soon as it is made (the Rust side reads them in ``session.rs``'s ``raw_report``)::

    (when, outcome, longrepr, duration, sections, wasxfail, user_properties, shown,
     live_logged, subtest)

or, for a passed phase that ran no user code and carries no user properties (most setups
and teardowns), ``(when, duration, sections)``.

``longrepr`` is None, ``("failure", text, message, crash_line)`` (see
``tbformat.item_failure``; ``crash_line`` may be missing) or ``("skip", path, lineno,
reason)``; ``sections`` are the captured output and logs of the item's phases so far,
pytest's ``[("Captured stdout setup", text), ...]``; ``wasxfail`` is None or the xfail reason
of an xfailed or xpassed phase (see ``skipping.py``); ``shown`` is what ``--setup-show``
prints for the phase (see ``FixtureRunner.take_shown``); ``live_logged``: live logging wrote
to the terminal during the phase (see ``logplugin``); ``subtest`` is None for a phase's report
and ``(description, captured_at)`` for a subtest's (see ``subtests.py``). The reports of a
phase's subtests come before the phase's own. After the last report, ``Runner.stop`` and
``Runner.warned`` tell why the run must stop and what the item warned.

Setup runs the item's fixtures in the order the Rust side planned (xunit hooks are autouse
fixtures, see ``fixtures.py``); teardown finalizes every node the next item does not share,
as pytest's ``SetupState.teardown_exact`` does, so a module's fixtures end in the teardown of
its last item. A fixture whose setup failed is reported again for every item of its scope.
"""
import os
import sys
import time

from . import builtins, hooks, logplugin, outcomes, skipping, subtests, warncapture
from .capture import global_capture
from .fixtures import FixtureRunner, SetupState, chain_keys

_perf = time.perf_counter
_MODULE = type(sys)
ASYNC_MESSAGE = (
    "async def functions are not natively supported.\n"
    "You need to install a suitable plugin for your async framework, for example:\n"
    "  - anyio\n"
    "  - pytest-asyncio\n"
    "  - pytest-tornasync\n"
    "  - pytest-trio\n"
    "  - pytest-twisted"
)


class Function:
    """What the items of one test function share (each call of a parametrized one is an
    item): made once per function by the Rust side, whose ``python_item`` passes it on."""

    __slots__ = ("import_name", "classes", "name", "kind", "is_async", "path", "relpath", "lineno",
                 "argnames", "packages", "class_nodeids", "base", "keys_above", "plain", "calls")

    def __init__(self, identity, location, argnames, packages, class_nodeids):
        """``identity``: ``(import_name, classes, name, kind, is_async)`` with ``classes`` a
        tuple; ``location``: ``(path, relpath, lineno)`` with ``path`` a str."""
        (self.import_name, classes, name, kind, is_async) = identity
        (self.path, relpath, self.lineno) = location
        self.classes, self.name, self.kind, self.is_async, self.relpath = classes, name, kind, is_async, relpath
        self.argnames = argnames
        self.packages = packages
        self.class_nodeids = class_nodeids
        # The node ID without a call's ``[id]``.
        self.base = "::".join((relpath, *classes, name))
        # pytest's ``listchain`` down to the item's parent.
        self.keys_above = chain_keys(packages, relpath, class_nodeids)
        # A module-level function that needs nothing but its direct parameters.
        self.plain = kind == "function" and not is_async and not classes and "request" not in argnames
        # Its calls (``params.Calls``) when it is parametrized; only enrichment parametrizes.
        enrich = sys.modules.get("ferrotest_runtime.enrich")
        self.calls = enrich.CALLSPECS.get(self.base) if enrich is not None else None


class Item:
    """What the Rust side knows about one planned item."""

    __slots__ = ("nodeid", "import_name", "classes", "name", "kind", "is_async", "path", "relpath",
                 "lineno", "setup_error", "argnames", "plan", "packages", "class_nodeids", "_calls",
                 "_call_index", "late_fixturenames", "_node", "keys", "plain_setup", "mark_names", "may_skip")

    def __init__(self, function, nodeid, setup_error, plan, callspec_index=None):
        self.nodeid = nodeid
        # The function's fields are copied, not looked up through it: the runtime reads them
        # for every phase of every test.
        self.import_name = function.import_name
        self.classes = function.classes
        self.name = function.name
        self.kind = function.kind
        self.is_async = function.is_async
        self.path = function.path
        self.relpath = function.relpath
        self.lineno = function.lineno
        self.argnames = function.argnames
        self.packages = function.packages
        self.class_nodeids = function.class_nodeids
        self.setup_error = setup_error
        # A ``fixtures.Plan``, which the items that make the same request share.
        self.plan = plan
        enrich = sys.modules.get("ferrotest_runtime.enrich")
        self._call_index = callspec_index
        if callspec_index is None:
            self._calls = None
            # Marks exist only where enrichment ran (the suite imported pytest).
            self.mark_names = enrich.MARK_NAMES.get(nodeid) if enrich is not None else None
        else:
            # Enrichment ran, since the item has a parametrization: its values are kept there.
            self._calls = function.calls
            self.mark_names = enrich.MARK_NAMES.of_call(nodeid, function.base)
        # Whether a skip, skipif or xfail mark was found on it (see ``skipping.may_evaluate``).
        self.may_skip = self.mark_names is not None and not skipping.EVALUATED.isdisjoint(self.mark_names)
        # Fixtures a plugin adds to pytest's ``item.fixturenames`` at setup (pytest-asyncio's
        # event loop runner), which ``--setup-show`` lists with the others.
        self.late_fixturenames = ()
        self._node = None
        # pytest's ``listchain``, which its setup enters and the item before it tears down to.
        self.keys = function.keys_above + [("function", nodeid)]
        # Setting it up only finds a module-level function and its direct parameters: it
        # has no fixture (not even ``request``) and no error to raise (see ``Runner._plain_function``).
        self.plain_setup = function.plain and setup_error is None and not plan.setup and not plan.arguments

    @property
    def callspec(self):
        """pytest's ``item.callspec`` (None without parametrization), made on first use: a
        test that needs nothing else only needs its values (see ``_direct_params``)."""
        calls = self._calls
        return None if calls is None else calls[self._call_index]

    @property
    def module_nodeid(self):
        return self.relpath

    def node(self):
        """pytest's ``Item`` for this test (``request.node``), made on first use."""
        if self._node is None:
            from .nodes import ItemNode

            self._node = ItemNode(self)
        return self._node

    def node_for_scope(self, scope):
        """The node a fixture of ``scope`` belongs to, as ``SubRequest.node``."""
        return self.node().scope_node(scope)

    def fixturenames(self):
        from .fixtures import REGISTRY

        names = [REGISTRY[def_id].name for def_id, _ in self.plan.setup]
        return names + [name for name in self.argnames if name not in names]


# Stands for a failure's traceback until the report's outcome is known (see ``_run_phase``).
_TRACEBACK = ("traceback",)


class Runner:
    """Runs items one at a time. Paths in tracebacks are relative to ``cwd`` (pytest's
    invocation directory), skip locations relative to ``rootdir``."""

    def __init__(self, rootdir, cwd, capture):
        self.rootdir = os.fspath(rootdir)
        self.cwd = os.fspath(cwd)
        # pytest's --capture method: "fd", "sys", "tee-sys" or "no".
        self.capture_method = capture
        self.capture = None
        # The logging plugin's part in each item (see ``logplugin.phase_logs``).
        self._logs = None
        self.state = SetupState()
        self.fixtures = FixtureRunner(self.state)
        # The running item, its state and its sections so far, for its subtests' reports.
        self._current = None
        subtests.RUNNER = self
        # --setup-only: no call phase.
        self.setup_only = False
        # Why the run must stop after the item that ran last, and what it warned (see
        # ``run_item``).
        self.stop = None
        self.warned = None

    def set_capture(self, method):
        """The capture method of the next run."""
        self.capture_method = method

    def show_setup(self, show, setup_only, plan_only):
        """``--setup-show``, ``--setup-only`` and ``--setup-plan`` for the next items."""
        self.fixtures.show_setup(show, plan_only)
        self.setup_only = setup_only

    # -- the protocol ---------------------------------------------------------------------

    def run_item(self, item, next_item):
        """Run ``item``'s three phases; ``next_item`` is the item after it, or None after the
        last one. Yields each report as soon as it is made, so that the terminal shows it
        before the next phase writes anything. Then ``self.stop`` is None or, when the run must
        stop, what ``outcomes.stop_detail`` describes, and ``self.warned`` what
        ``warncapture.end`` returns for the whole item."""
        if self.capture is None:
            self._start_loop()
        logs = self._logs
        self.stop = self.warned = None
        # pytest's ``item._report_sections``: each report carries the sections of the
        # item's phases so far.
        sections = []
        state = {}
        self._current = (item, state, sections)
        recording = warncapture.begin(item)
        if logs.live_enabled:
            logs.begin_item()
        try:
            # Without runtest hooks, phases where no user code runs can go without protocol.
            hooked = hooks.runtest_hooked(item.path)
            function = None if hooked else self._plain_function(item)
            if function is None:
                # Setup and call under pytest's whole protocol.
                setup = self._phase(logs, "setup", self._setup, item, state, sections, hooked)
                # The reports of a phase's subtests come before its own.
                yield from state.pop("subtests", ())
                if hooked:
                    setup = _report_hooks(logs, item, setup, state)
                yield setup
                if (len(setup) == 3 or setup[1] == "passed") and not self.setup_only:
                    call = self._phase(logs, "call", self._call_protocol(item, hooked), item, state, sections)
                    yield from state.pop("subtests", ())
                    if hooked:
                        call = _report_hooks(logs, item, call, state)
                    yield call
            else:
                start = _perf()
                self.state.enter(item.keys)
                kwargs = _direct_params(item)
                yield _quiet_report("setup", _perf() - start, [], item)
                # --setup-only shows fixtures, so its items never have a quiet setup.
                yield self._plain_call(logs, item, state, sections, function, kwargs)
            teardown = None if hooked else self._quiet_teardown(item, sections, next_item)
            if teardown is None:
                teardown = self._phase(logs, "teardown", self._teardown, item, state, sections, next_item)
                yield from state.pop("subtests", ())
            if hooked:
                teardown = _report_hooks(logs, item, teardown, state)
            yield teardown
        except outcomes.Stop as stop:
            self.stop = stop.detail
            yield from state.pop("subtests", ())
        finally:
            if logs.live_enabled:
                logs.end_item()
            if builtins.USER_PROPERTIES:
                builtins.forget_user_properties(item.nodeid)
            self.warned = warncapture.end(recording)

    def _start_loop(self):
        """pytest's test loop begins: the global capture and the logging plugin's handlers."""
        self.capture = global_capture(self.capture_method)
        self.capture.start()
        # The plugin is configured before the loop: asking once per item would cost each test.
        self._logs = logplugin.phase_logs()
        logplugin.enter_stage("runtestloop")

    def finish(self):
        """Tear down every node still active (when the run stopped early); returns what
        ``--setup-show`` prints for it."""
        if self.capture is not None:
            logplugin.exit_stage()
            self.capture.stop()
            self.capture = None
        self.state.teardown_to([])
        return self.fixtures.take_shown()

    # -- phases where no user code can run ---------------------------------------------------
    #
    # pytest's protocol around a phase (log handlers on the root logger, warnings caught,
    # output captured and read, skip/xfail marks and conftest hooks consulted) only matters
    # to code that runs during it. A phase where none can run (an item's setup with nothing
    # to set up, a teardown with nothing to finalize) gets the report pytest would make for
    # it: passed, no new sections, its wasxfail None. Only other threads could tell: what
    # they log meanwhile is not caught, and what they print belongs to the next phase.

    def _plain_function(self, item):
        """The test's function when setting ``item`` up runs no user code, else None. User
        code could run in a conftest's or plugin's runtest hooks (checked by the caller),
        skip/xfail marks (their conditions), fixtures (autouse ones and xunit methods
        included), the test's class (instantiated), a module's attribute access, or a fixture
        that follows phases; --setup-show shows the direct parameters. Without fixtures,
        ``request`` included, nothing can add marks later."""
        if not item.plain_setup or self.fixtures.shown is not None or builtins.FOLLOWERS:
            return None
        if skipping.may_evaluate(item):
            return None
        # A plain lookup: a module of another class (its attribute access may be user code)
        # is left to the full setup, as is a missing function.
        module = sys.modules.get(item.import_name)
        if type(module) is not _MODULE:
            return None
        return module.__dict__.get(item.name)

    def _quiet_teardown(self, item, sections, next_item):
        """The report of ``item``'s teardown (done) when it runs no user code, else None
        (nothing done): no runtest hooks (checked by the caller), no fixture that follows
        phases, and only finalizers that forget fixture values (see
        ``FixtureRunner.teardown_quietly``)."""
        if builtins.FOLLOWERS:
            return None
        start = _perf()
        if not self.fixtures.teardown_quietly(next_item.keys if next_item is not None else ()):
            return None
        return _quiet_report("teardown", _perf() - start, list(sections), item)

    # -- a phase --------------------------------------------------------------------------

    def _phase(self, logs, when, func, item, state, sections, *args):
        """Run ``func(item, state, *args)`` as the phase ``when``, with pytest's protocol
        around it; returns the phase's report."""
        logs.begin_phase(when)
        if builtins.FOLLOWERS:
            builtins.begin_phase(when)
        else:
            builtins.PHASE = when
        outcome = None
        try:
            start = _perf()
            try:
                func(item, state, *args)
            except BaseException as exc:
                # For ``pytest_runtest_makereport``'s ``call.excinfo``.
                state["error"] = exc
                outcome, longrepr, wasxfail = self._raised(when, item, state, exc)
            else:
                outcome = "passed"
                longrepr = wasxfail = None
                if skipping.XFAILED in state:
                    # xfail marks turn the outcome into xpassed.
                    outcome, longrepr, wasxfail = skipping.make_report(when, state, None, outcome, None)
                if outcome == "passed" and when == "call" and "failed_subtests" in state:
                    message = subtests.failed_message(state["failed_subtests"])
                    outcome, longrepr = "failed", ("failure", message, message)
            duration = _perf() - start
        finally:
            if builtins.FOLLOWERS:
                # Before the phase's output is read: capture fixtures hand unread output back.
                builtins.end_phase(when, outcome or "failed")
            out, err = self.capture.read()
            log, live_logged = logs.end_phase()
        if out or err or log:
            _add_sections(sections, when, out, err, log)
        # pytest copies the item's user properties into each report as it is made.
        properties = builtins.string_properties(item.nodeid) if builtins.USER_PROPERTIES else ()
        shown = () if self.fixtures.shown is None else self.fixtures.take_shown()
        if outcome == "passed" and wasxfail is None and not properties and not shown and not live_logged:
            # The short report, which costs the Rust side less to read.
            return (when, duration, list(sections))
        return (when, outcome, longrepr, duration, list(sections), wasxfail, properties, shown, live_logged, None)

    def _plain_call(self, logs, item, state, sections, function, kwargs):
        """``_phase`` of the call after a quiet setup, in fewer steps (for a simple test they
        cost more than the test). Without fixtures nothing follows phases, so ``builtins``
        only needs to know the phase; no subtest can report (they need the ``subtests``
        fixture or a TestCase); and without an xfail mark (nothing evaluated one) a call
        that raised nothing passed."""
        logs.begin_phase("call")
        builtins.PHASE = "call"
        start = _perf()
        try:
            try:
                _call_function(item, function, kwargs)
            except BaseException as exc:
                outcome, longrepr, wasxfail = self._raised("call", item, state, exc)
            else:
                outcome = "passed"
                longrepr = wasxfail = None
            duration = _perf() - start
        finally:
            out, err = self.capture.read()
            log, live_logged = logs.end_phase()
        if out or err or log:
            _add_sections(sections, "call", out, err, log)
        properties = builtins.string_properties(item.nodeid) if builtins.USER_PROPERTIES else ()
        return ("call", outcome, longrepr, duration, list(sections), wasxfail, properties, (), live_logged, None)

    def _raised(self, when, item, state, exc):
        """``(outcome, longrepr, wasxfail)`` of the phase ``when``, which raised ``exc``;
        raises ``outcomes.Stop`` when ``exc`` stops the run."""
        if isinstance(exc, outcomes.ReportedFailure):
            outcome, longrepr = "failed", ("failure", exc.text, exc.message)
        else:
            detail = outcomes.stop_detail(exc)
            if detail is not None:
                raise outcomes.Stop(detail) from None
            outcome, longrepr = self._failure(item, exc)
        # xfail marks and pytest.xfail() turn the outcome into xfailed.
        outcome, longrepr, wasxfail = skipping.make_report(when, state, exc, outcome, longrepr)
        if longrepr is _TRACEBACK:
            # Formatted only for a failure that stays one: nothing shows an xfailed
            # test's traceback, and formatting is most of what a failing test costs.
            longrepr = self._traceback(item, exc) if outcome == "failed" else None
        return outcome, longrepr, wasxfail

    def subtest_report(self, exc, duration, sections, description, counts=False, captured_at=None):
        """Record the report of a subtest of the running test that ended with ``exc`` (or
        None); ``counts``: a failure fails the test too (the ``subtests`` fixture's)."""
        item, state, item_sections = self._current
        outcome, longrepr = ("passed", None) if exc is None else self._failure(item, exc)
        outcome, longrepr, wasxfail = skipping.make_report("call", state, exc, outcome, longrepr)
        if longrepr is _TRACEBACK:
            longrepr = self._traceback(item, exc) if outcome == "failed" else None
        if outcome == "failed" and counts:
            state["failed_subtests"] = state.get("failed_subtests", 0) + 1
        # Like pytest's, it has the sections of the phases before, then its own.
        report = ("call", outcome, longrepr, duration, item_sections + sections, wasxfail,
                  builtins.string_properties(item.nodeid), (), False, (description, captured_at))
        state.setdefault("subtests", []).append(report)

    def _failure(self, item, exc):
        """``(outcome, longrepr)`` for an exception raised by a phase."""
        if outcomes.is_skip(exc) or isinstance(exc, outcomes.ItemSkip):
            return "skipped", self._skip_repr(item, exc)
        return "failed", _TRACEBACK

    def _traceback(self, item, exc):
        """The long report of a failure in the session's ``--tb`` style."""
        from . import tbformat

        firstlineno = item.lineno + 1 if item.kind == "function" else None
        pytrace = not outcomes.is_fail(exc) or getattr(exc, "pytrace", True)
        return tbformat.item_failure(exc, self.cwd, item.path, firstlineno, pytrace)

    def _skip_repr(self, item, exc):
        reason = str(getattr(exc, "msg", "") or "")
        if getattr(exc, "_use_item_location", False) or isinstance(exc, outcomes.ItemSkip):
            return ("skip", item.relpath, item.lineno + 1, reason)
        path, lineno = outcomes.skip_location(exc, item.path, item.lineno + 1)
        try:
            rel = os.path.relpath(path, self.rootdir)
        except ValueError:
            rel = path
        return ("skip", rel, lineno, reason)

    # -- setup ----------------------------------------------------------------------------

    def _setup(self, item, state, hooked):
        if item.may_skip or item._node is not None:
            skipping.setup(item, state)
        if hooked:
            hooks.runtest("setup", item)
        self.state.enter(item.keys)
        if item.kind == "function" and not item.classes:
            # ``_bind``'s common case, without a call more.
            instance = None
            state["function"] = getattr(sys.modules[item.import_name], item.name)
        else:
            instance = None if item.kind == "doctest" else self._bind(item, state)
        if item.is_async:
            from . import asyncio_plugin

            asyncio_plugin.refuse_async_generator(item, state.get("function"))
        state["kwargs"], request = self.fixtures.setup(item, instance)
        if item.is_async:
            from . import asyncio_plugin

            state["asyncio_runner"] = asyncio_plugin.test_runner(item, request)
        if item.kind == "doctest":
            # Imported only for doctests: it needs ``re``, ~10 ms at start-up.
            from . import doctests

            doctests.setup(item, request)
        if item.setup_error is not None:
            # Raised where pytest meets it: after the fixtures planned before it.
            raise outcomes.ReportedFailure(*item.setup_error)

    def _bind(self, item, state):
        """Find the test's callable (or TestCase) in its module; returns its instance."""
        module = sys.modules[item.import_name]
        owner = module
        for name in item.classes:
            owner = getattr(owner, name)
        if item.kind == "unittest":
            instance = state["testcase"] = owner(item.name)
        elif item.classes:
            instance = owner()
            state["function"] = getattr(instance, item.name)
        else:
            instance = None
            state["function"] = getattr(module, item.name)
        return instance

    # -- call -----------------------------------------------------------------------------

    def _call_protocol(self, item, hooked):
        """What the call phase runs after a full setup: the test and the marks it may add
        when no runtest hook or skip/xfail mark applies as it starts; else pytest's whole
        protocol around it."""
        if hooked or ((item.may_skip or item._node is not None) and skipping.may_evaluate(item)):
            return self._call
        return self._call_adding_marks

    def _call_adding_marks(self, item, state):
        # Marks only come through the item's node, which exists once something asked for it.
        try:
            if item.kind == "function" and not item.is_async:
                # ``_call_test``'s common case, without a call more.
                _call_function(item, state["function"], state["kwargs"])
            else:
                self._call_test(item, state)
        finally:
            if item._node is not None:
                skipping.after_call(item, state)

    def _call(self, item, state):
        skipping.before_call(item, state)
        try:
            hooks.runtest("call", item)
            self._call_test(item, state)
        finally:
            skipping.after_call(item, state)

    def _call_test(self, item, state):
        """The test itself (``_call`` is the phase's protocol around it)."""
        if item.kind == "doctest":
            from . import doctests

            doctests.run(item)
            return
        if item.kind == "unittest":
            self._call_unittest(item, state)
            return
        function = state["function"]
        if item.is_async:
            runner = state.get("asyncio_runner")
            if runner is None:
                _fail_async()
            from . import asyncio_plugin

            asyncio_plugin.run_test(runner, function, state["kwargs"])
            return
        _call_function(item, function, state["kwargs"])

    def _call_unittest(self, item, state):
        from .unittest_result import Result

        result = Result()
        state["testcase"](result=result)
        outcome = result.outcome()
        if outcome is not None:
            if isinstance(outcome, tuple):
                raise outcomes.ReportedFailure(outcome[1], outcome[2])
            raise outcome

    # -- teardown -------------------------------------------------------------------------

    def _teardown(self, item, state, next_item):
        try:
            hooks.runtest("teardown", item, next_item)
        finally:
            self._teardown_nodes(next_item)

    def _teardown_nodes(self, next_item):
        errors = self.state.teardown_to(next_item.keys if next_item is not None else [])
        if errors:
            raise errors[0]


def _call_function(item, function, kwargs):
    """A test function that is not ``async def`` (one returning an awaitable fails)."""
    if item.mark_names is not None and "asyncio" in item.mark_names:
        from . import asyncio_plugin

        asyncio_plugin.warn_sync_test_marked(item)
    result = function(**kwargs)
    if result is not None and (hasattr(result, "__await__") or hasattr(result, "__aiter__")):
        _close_coroutine(result)
        _fail_async()


def _fail_async():
    # pytest's ``fail(msg, pytrace=False)``: the message is the whole report.
    outcomes.fail_no_trace(ASYNC_MESSAGE)


def _close_coroutine(result):
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _report_hooks(logs, item, report, state):
    """pytest's ``call_and_report`` once a phase made ``report``: its
    ``pytest_runtest_makereport`` implementations (which may change the report), then
    ``pytest_runtest_logreport`` with the result. Returns the phase's report."""
    # The hooks run after the phase's log handler went.
    logs.settle_phase()
    report, test_report = hooks.makereport(item, report, state.pop("error", None))
    hooks.logreport(item, report if test_report is None else test_report)
    return report


def _quiet_report(when, duration, sections, item):
    """The report of a passed phase that ran no user code: short unless the item has user
    properties (which a hook may have recorded before it ran)."""
    if builtins.USER_PROPERTIES:
        return (when, "passed", None, duration, sections, None, builtins.string_properties(item.nodeid), (), False,
                None)
    return (when, duration, sections)


def _add_sections(sections, when, out, err, log):
    """A phase's captured output and logs, as the sections of its report."""
    if out:
        sections.append(("Captured stdout " + when, out))
    if err:
        sections.append(("Captured stderr " + when, err))
    if log:
        sections.append(("Captured log " + when, log))


def _direct_params(item):
    """The test's arguments when it has no fixture: its direct parametrization's values."""
    calls = item._calls
    if calls is None:
        return {}
    params = calls.params(item._call_index)
    if len(params) == len(item.argnames):
        # Each argument is parametrized (pytest refuses a parameter the function does not
        # take), so the values are the arguments.
        return params
    return {name: params[name] for name in item.argnames if name in params}
