"""Running planned items with pytest's setup/call/teardown protocol.

``Runner.run_item`` is called once per item and returns its three phase reports as plain
tuples ``(when, outcome, longrepr, duration, sections, wasxfail, user_properties, shown)``; ``longrepr`` is None,
``("failure", text, message, crash_line)`` (see ``tbformat.item_failure``) or ``("skip", path, lineno, reason)``; ``wasxfail`` is None
or the xfail reason of an xfailed or xpassed phase (see ``skipping.py``); ``shown`` is what
``--setup-show`` prints for the phase (see ``FixtureRunner.take_shown``). The reports of the
test's subtests come before its call report, with a ninth element (see ``subtests.py``),
which is None for the phases.

Setup runs the item's fixtures in the order the Rust side planned (xunit hooks are autouse
fixtures, see ``fixtures.py``); teardown finalizes every node the next item does not share,
as pytest's ``SetupState.teardown_exact`` does, so a module's fixtures end in the teardown of
its last item. A fixture whose setup failed is reported again for every item of its scope.
"""
import os
import sys
import time

from . import builtins, hooks, outcomes, skipping, subtests, warncapture
from .capture import Capture, NoCapture
from .fixtures import FixtureRunner, SetupState, node_keys

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

    __slots__ = ("nodeid", "import_name", "classes", "name", "kind", "is_async", "path", "relpath",
                 "lineno", "setup_error", "argnames", "setup_plan", "arguments", "packages",
                 "class_nodeids", "closure", "callspec", "late_fixturenames", "_node")

    def __init__(self, identity, location, fixtures, callspec_index=None):
        (self.nodeid, self.import_name, classes, self.name, self.kind, self.is_async) = identity
        (path, self.relpath, self.lineno, self.setup_error) = location
        # ``closure`` (pytest's fixturenames) only comes with --setup-show, which needs it.
        (self.argnames, self.setup_plan, self.arguments, self.packages, self.class_nodeids, self.closure) = fixtures
        self.classes = tuple(classes)
        self.path = os.fspath(path)
        self.callspec = self._callspec(callspec_index)
        # Fixtures a plugin adds to pytest's ``item.fixturenames`` at setup (pytest-asyncio's
        # event loop runner), which ``--setup-show`` lists with the others.
        self.late_fixturenames = ()
        self._node = None

    def _callspec(self, index):
        """This item's parametrization (values included), kept by ``enrich.py``."""
        if index is None:
            return None
        from .enrich import CALLSPECS

        base = "::".join((self.relpath,) + self.classes + (self.name,))
        return CALLSPECS[base][index]

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

        names = [REGISTRY[def_id].name for def_id, _ in self.setup_plan]
        return names + [name for name in self.argnames if name not in names]


# Stands for a failure's traceback until the report's outcome is known (see ``_run_phase``).
_TRACEBACK = ("traceback",)


class Runner:
    """Runs items one at a time. Paths in tracebacks are relative to ``cwd`` (pytest's
    invocation directory), skip locations relative to ``rootdir``."""

    def __init__(self, rootdir, cwd, capture):
        self.rootdir = os.fspath(rootdir)
        self.cwd = os.fspath(cwd)
        self.capture = Capture() if capture else NoCapture()
        self.state = SetupState()
        self.fixtures = FixtureRunner(self.state)
        # The running item and its state, for its subtests' reports.
        self._current = None
        subtests.RUNNER = self
        # --setup-only: no call phase.
        self.setup_only = False

    def set_capture(self, enabled):
        """Switch capturing for the next items, keeping the capture files when it stays on."""
        if enabled != isinstance(self.capture, Capture):
            self.capture = Capture() if enabled else NoCapture()

    def show_setup(self, show, setup_only, plan_only):
        """``--setup-show``, ``--setup-only`` and ``--setup-plan`` for the next items."""
        self.fixtures.show_setup(show, plan_only)
        self.setup_only = setup_only

    # -- the protocol ---------------------------------------------------------------------

    def run_item(self, item, next_item):
        """Run ``item``'s three phases; ``next_item`` is the item after it, or None after the
        last one. Returns ``(reports, stop, warned)``: ``stop`` is None or what
        ``outcomes.stop_detail`` describes, ``warned`` what ``warncapture.end`` returns."""
        recording = warncapture.begin(item)
        try:
            reports, stop = self._run_phases(item, next_item)
        finally:
            warned = warncapture.end(recording)
        return reports, stop, warned

    def _run_phases(self, item, next_item):
        capture = self.capture
        marks = []
        reports = []
        state = {}
        self._current = (item, state)
        capture.start()
        try:
            setup = self._phase("setup", self._setup, item, state)
            reports.append(setup)
            marks.append(("setup", capture.mark()))
            if setup[1] == "passed" and not self.setup_only:
                reports.append(self._phase("call", self._call, item, state))
                marks.append(("call", capture.mark()))
            reports.append(self._phase("teardown", self._teardown, item, state, next_item))
            marks.append(("teardown", capture.mark()))
        except outcomes.Stop as stop:
            marks.append((("setup", "call", "teardown")[len(reports)], capture.mark()))
            sections = capture.stop(marks)
            builtins.take_user_properties(item.nodeid)
            return _with_subtests(_with_sections(reports, sections), state, marks), stop.detail
        sections = capture.stop(marks)
        builtins.take_user_properties(item.nodeid)
        return _with_subtests(_with_sections(reports, sections), state, marks), None

    def finish(self):
        """Tear down every node still active (when the run stopped early); returns what
        ``--setup-show`` prints for it."""
        self.state.teardown_to([])
        return self.fixtures.take_shown()

    def _phase(self, when, func, item, state, *args):
        builtins.begin_phase(when)
        report = None
        try:
            report = self._run_phase(when, func, item, state, *args)
        finally:
            # Before the phase's capture ends: capture fixtures hand unread output back.
            builtins.end_phase(when, report[1] if report is not None else "failed")
        # pytest copies the item's user properties into each report as it is made.
        return report + (builtins.string_properties(item.nodeid), self.fixtures.take_shown(), None)

    def _run_phase(self, when, func, item, state, *args):
        start = _perf()
        error = None
        try:
            func(item, state, *args)
        except outcomes.ReportedFailure as failure:
            error, outcome, longrepr = failure, "failed", ("failure", failure.text, failure.message)
        except BaseException as exc:
            detail = outcomes.stop_detail(exc)
            if detail is not None:
                raise outcomes.Stop(detail) from None
            error = exc
            outcome, longrepr = self._failure(item, exc)
        else:
            outcome, longrepr = "passed", None
        # xfail marks and pytest.xfail() turn the outcome into xfailed/xpassed.
        outcome, longrepr, wasxfail = skipping.make_report(when, state, error, outcome, longrepr)
        failed_subtests = state.get("failed_subtests") if when == "call" else None
        if failed_subtests and outcome == "passed":
            message = subtests.failed_message(failed_subtests)
            outcome, longrepr = "failed", ("failure", message, message)
        if longrepr is _TRACEBACK:
            # Formatted only for a failure that stays one: nothing shows an xfailed
            # test's traceback, and formatting is most of what a failing test costs.
            longrepr = self._traceback(item, error) if outcome == "failed" else None
        return (when, outcome, longrepr, _perf() - start, wasxfail)

    def subtest_report(self, exc, duration, sections, description, counts=False, captured_at=None):
        """Record the report of a subtest of the running test that ended with ``exc`` (or
        None); ``counts``: a failure fails the test too (the ``subtests`` fixture's)."""
        item, state = self._current
        outcome, longrepr = ("passed", None) if exc is None else self._failure(item, exc)
        outcome, longrepr, wasxfail = skipping.make_report("call", state, exc, outcome, longrepr)
        if longrepr is _TRACEBACK:
            longrepr = self._traceback(item, exc) if outcome == "failed" else None
        if outcome == "failed" and counts:
            state["failed_subtests"] = state.get("failed_subtests", 0) + 1
        report = ("call", outcome, longrepr, duration, sections, wasxfail, builtins.string_properties(item.nodeid),
                  (), (description, captured_at))
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

    def _setup(self, item, state):
        skipping.setup(item, state)
        hooks.runtest("setup", item)
        self.state.enter(node_keys(item))
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

    def _call(self, item, state):
        skipping.before_call(item, state)
        try:
            hooks.runtest("call", item)
            self._call_test(item, state)
        finally:
            skipping.after_call(item, state)

    def _call_test(self, item, state):
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
        if "asyncio" in _mark_names(item):
            from . import asyncio_plugin

            asyncio_plugin.warn_sync_test_marked(item)
        result = function(**state["kwargs"])
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
                raise outcomes.ReportedFailure(outcome[1], outcome[2])
            raise outcome

    # -- teardown -------------------------------------------------------------------------

    def _teardown(self, item, state, next_item):
        try:
            hooks.runtest("teardown", item, next_item)
        finally:
            self._teardown_nodes(next_item)

    def _teardown_nodes(self, next_item):
        errors = self.state.teardown_to(node_keys(next_item) if next_item is not None else [])
        if errors:
            raise errors[0]


def _mark_names(item):
    enrich = sys.modules.get("ferrotest_runtime.enrich")
    return (enrich.MARK_NAMES.get(item.nodeid) or ()) if enrich is not None else ()


def _fail_async():
    # pytest's ``fail(msg, pytrace=False)``: the message is the whole report.
    outcomes.fail_no_trace(ASYNC_MESSAGE)


def _close_coroutine(result):
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _with_sections(reports, sections):
    return [report[:4] + (phase_sections,) + report[4:] for report, phase_sections in zip(reports, sections)]


def _with_subtests(reports, state, marks):
    """The subtests' reports inserted before the call's, with their stdout positions made
    relative to the call's output (which starts where the setup's ended)."""
    recorded = state.get("subtests")
    if not recorded:
        return reports
    call_start = marks[0][1][0] if marks and marks[0][1] is not None else 0
    for index, report in enumerate(recorded):
        description, captured_at = report[8]
        if captured_at is not None:
            recorded[index] = report[:8] + ((description, captured_at - call_start),)
    at = next((index for index, report in enumerate(reports) if report[0] != "setup"), len(reports))
    return reports[:at] + recorded + reports[at:]
