//! What happened during a ferrotest session, as plain serde data.
//!
//! The executor produces these values, reporters consume them. They never hold live Python
//! objects, so the same stream can later cross a pipe from a worker process unchanged.
//! The shapes mirror pytest's own `CollectReport` / `TestReport`, which keeps every reporter
//! (terminal, JUnit XML, JSON) a straight translation of pytest's.
//!
//! ```
//! use ferrotest_events::{Outcome, Phase, TestReport};
//! let report = TestReport::passed("test_a.py::test_x", Phase::Call, 0.001);
//! assert_eq!(report.outcome, Outcome::Passed);
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The three phases pytest runs every test through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Setup,
    Call,
    Teardown,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Setup => "setup",
            Phase::Call => "call",
            Phase::Teardown => "teardown",
        }
    }
}

/// The outcome of one phase, as pytest records it on a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

/// Where a test lives, as pytest's `item.location`: path relative to rootdir, 0-based line,
/// and the dotted name inside the module (`TestX.test_y`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub lineno: Option<u32>,
    pub domain: String,
}

/// The long representation of a failure, error or skip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LongRepr {
    /// A formatted traceback (the body of a FAILURES / ERRORS section), plus the one-line
    /// message used by the short summary (`FAILED x - msg`) and JUnit's `message=`.
    Failure {
        text: String,
        message: String,
        /// pytest's `reprcrash` as `--tb=line` prints it, `/abs/test_a.py:12: ValueError: x`;
        /// `None` for a report without one (pytest then prints the report's start).
        #[serde(default)]
        crash_line: Option<String>,
    },
    /// A skip: where it was raised (path relative to rootdir, 1-based line) and the reason.
    Skip { path: String, lineno: u32, reason: String },
}

/// One phase of one test, like pytest's `TestReport`.
///
/// Its node ID and location are shared with the test's other events: every event of a test
/// carries them, and reporters keep reports, so a clone only counts a reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestReport {
    pub nodeid: Arc<str>,
    /// pytest's `report.location`, which reporters read from the report itself; the executor
    /// sets it on every report of a test.
    pub location: Option<Arc<Location>>,
    pub when: Phase,
    pub outcome: Outcome,
    pub longrepr: Option<LongRepr>,
    /// Seconds spent in this phase.
    pub duration: f64,
    /// Captured output, pytest's `(title, content)` pairs such as `("Captured stdout call", "...")`.
    pub sections: Vec<(String, String)>,
    /// What the test recorded with `record_property`, as `(name, str(value))`: pytest's
    /// `user_properties`, which the JUnit XML file writes as `<property>` elements.
    #[serde(default)]
    pub user_properties: Vec<(String, String)>,
    /// pytest's `wasxfail`: the xfail reason of a phase that failed as expected (outcome
    /// skipped, "xfailed") or passed unexpectedly without being strict (outcome passed,
    /// "xpassed"). pytest's `pytest.xfail("")` gives an empty reason, hence `Some("")`.
    #[serde(default)]
    pub wasxfail: Option<String>,
    /// Set on the report of one subtest (pytest's `SubtestReport`), which comes before its
    /// test's call report.
    #[serde(default)]
    pub subtest: Option<Subtest>,
}

/// What a subtest report adds to a call report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subtest {
    /// pytest's `_sub_test_description()`: `[msg] (i=1, j='x')`, or `(<subtest>)`.
    pub description: String,
    /// For a `unittest` subtest reported while the test's output was captured: the byte
    /// offset in the call's captured stdout at that moment. pytest's terminal reporter
    /// writes such reports into the capture, so what it writes for them shows there.
    pub captured_at: Option<usize>,
}

impl TestReport {
    pub fn passed(nodeid: impl Into<Arc<str>>, when: Phase, duration: f64) -> Self {
        TestReport {
            nodeid: nodeid.into(),
            location: None,
            when,
            outcome: Outcome::Passed,
            longrepr: None,
            duration,
            sections: Vec::new(),
            user_properties: Vec::new(),
            wasxfail: None,
            subtest: None,
        }
    }
}

/// A collector that failed (`ERROR collecting tests/test_bad.py`), like pytest's `CollectReport`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectError {
    /// The failing collector's node ID (`tests/test_bad.py`), or empty for the session.
    pub nodeid: String,
    /// The report body, exactly as pytest prints it under the `ERROR collecting` header.
    pub longrepr: String,
    /// The one-line reason for the short summary (`ERROR tests/test_bad.py - SyntaxError: ...`).
    pub message: String,
    /// What collecting it printed: `("Captured stdout", text)` and `("Captured stderr", text)`.
    #[serde(default)]
    pub sections: Vec<(String, String)>,
}

/// A module that skipped itself while being imported (`pytest.skip(allow_module_level=True)`,
/// `pytest.importorskip`), like pytest's skipped `CollectReport`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectSkip {
    /// The module's node ID (`tests/test_x.py`).
    pub nodeid: String,
    /// Where the skip was raised: path relative to rootdir and 1-based line.
    pub path: String,
    pub lineno: u32,
    /// pytest's crash message, `Skipped: <reason>`.
    pub message: String,
}

/// A warning to show in the "warnings summary" block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningReport {
    /// Where pytest groups it: the node ID of the test that raised it, else `path:line`
    /// (pytest's `WarningReport.get_location`).
    pub location: Option<String>,
    /// The warning as `warnings.formatwarning` writes it:
    /// `/abs/test_a.py:3: PytestCollectionWarning: cannot collect ...\n  class TestX:`.
    pub message: String,
}

/// Facts for the session header, gathered before collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub platform: String,
    pub python_version: String,
    pub rootdir: PathBuf,
    pub configfile: Option<PathBuf>,
    /// Paths given by the `testpaths` ini option, when they were used.
    pub testpaths: Option<Vec<String>>,
    /// Lines conftests' `pytest_report_header` hooks add, in pytest's order.
    #[serde(default)]
    pub extra_lines: Vec<String>,
    /// `name-version` of the distributions whose entry-point plugins loaded, as pytest's
    /// `plugins:` line shows them (`mock-3.14.0`).
    #[serde(default)]
    pub plugins: Vec<String>,
    /// Lines of `tryfirst` `pytest_report_header` hooks (pytest-asyncio's), which pytest
    /// writes after its own `rootdir`/`configfile`/`testpaths` lines.
    #[serde(default)]
    pub late_lines: Vec<String>,
}

/// Why a session stopped before running everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Interruption {
    /// `Interrupted: N errors during collection`.
    CollectionErrors(usize),
    /// `-x` / `--maxfail` reached: `stopping after N failures`.
    MaxFail(usize),
    /// Ctrl-C or `KeyboardInterrupt` raised by a test: its message (`KeyboardInterrupt`) and
    /// where it was raised, `(path, lineno)` of its last frame that does not hide itself.
    KeyboardInterrupt { message: String, location: Option<(String, u32)> },
    /// A plugin stopped the session (pytest's `session.shouldstop`, e.g. `--sw` after a
    /// failure): `Interrupted: <reason>`, exit code 2.
    Stopped(String),
    /// `--maxfail` was reached by the same test a plugin stopped at: pytest reports both
    /// reasons and exits as for `--maxfail` (1).
    MaxFailAndStopped(usize, String),
    /// A test called `pytest.exit(reason, returncode)`: `!!! _pytest.outcomes.Exit: <reason> !!!`,
    /// which pytest writes before the final counts when the session's status stays 2
    /// (no `returncode`, or 2) and after them otherwise.
    Exit { reason: String, returncode: Option<i32> },
}

/// One event of a session, in the order a reporter receives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    SessionStart(SessionInfo),
    /// Collection is over: how many items were collected (before deselection) and which
    /// collectors failed.
    CollectionFinish {
        collected: usize,
        errors: Vec<CollectError>,
        deselected: usize,
        /// The selected items with their collector chains (for `--collect-only`).
        items: Vec<CollectedItem>,
        /// Lines plugins add after `collected N items` (pytest's
        /// `pytest_report_collectionfinish`), e.g. `run-last-failure: ...`.
        report_lines: Vec<String>,
    },
    /// A module skipped while collecting; these come before `CollectionFinish`.
    CollectSkip(CollectSkip),
    /// A test is about to run (for `-v`, which prints the node ID first).
    TestStart {
        nodeid: Arc<str>,
        location: Arc<Location>,
    },
    TestReport(TestReport),
    /// Live logging (`log_cli`) wrote lines to the terminal itself while the phase reported
    /// next ran: the terminal's current line is empty again.
    LiveLogged,
    /// All phases of a test are reported.
    TestFinish {
        nodeid: Arc<str>,
    },
    Warning(WarningReport),
    /// `record_testsuite_property` calls of the run, in order: `(name, value)` for the JUnit
    /// file's `<testsuite>` `<properties>`. Comes after the last test, only when there are some.
    TestsuiteProperties(Vec<(String, String)>),
    /// `--setup-show`: a fixture was set up (pytest's `SETUP    S name` line).
    FixtureSetup(FixtureAction),
    /// `--setup-show`: a fixture was finalized (`TEARDOWN S name`).
    FixtureTeardown(FixtureAction),
    /// `--setup-show`: a test's setup passed; pytest's `show_test_item` line names it with
    /// every fixture it uses, sorted.
    ShowTestItem {
        nodeid: String,
        fixturenames: Vec<String>,
    },
    /// `--fixtures`: the fixtures available after collection, in registration order.
    AvailableFixtures(Vec<AvailableFixture>),
    /// What conftests' and plugins' `pytest_terminal_summary` hooks wrote; comes right before
    /// `SessionFinish`, whose summary sections it goes among.
    TerminalSummary(TerminalSummary),
    SessionFinish {
        exit_code: ExitCode,
        duration: f64,
        interruption: Option<Interruption>,
    },
}

/// What `pytest_terminal_summary` implementations wrote, in the three places pytest's own
/// implementations leave them: before the junitxml plugin's `generated xml file` line (the
/// implementations pluggy calls first: `tryfirst` ones, and plugins registered after pytest's
/// `pytest_configure`, which registers the junitxml plugin), between it and the `--durations`
/// section (the others), and after that section (`trylast` ones). All of them come after
/// pytest's failures, warnings and passes sections and before its short test summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalSummary {
    pub before_junitxml: Vec<TerminalWrite>,
    pub before_durations: Vec<TerminalWrite>,
    pub after_durations: Vec<TerminalWrite>,
}

/// One write to pytest's terminal reporter from a hook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TerminalWrite {
    /// Text as written, markup included.
    Text(String),
    /// The reporter's `ensure_newline()` (`write_line` and `write_sep` start with it): it ends
    /// the line the reporter's own output left open, which only the reporter knows about.
    EnsureNewline,
}

/// pytest's `TerminalReporter.stats` for `pytest_terminal_summary` hooks: what the session
/// reported, in arrival order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TerminalStats {
    /// Every test report with its `pytest_report_teststatus` category (`passed`, `failed`,
    /// `error`, `skipped`, `xfailed`, `xpassed`, `subtests passed`, or `""` for a passing
    /// setup or teardown).
    pub reports: Vec<(String, TestReport)>,
    pub collect_errors: Vec<CollectError>,
    pub collect_skips: Vec<CollectSkip>,
    pub warnings: Vec<WarningReport>,
}

/// A fixture's setup or teardown, as `--setup-show` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixtureAction {
    /// pytest's scope name: `session`, `package`, `module`, `class` or `function`.
    pub scope: String,
    pub name: String,
    /// The fixtures it requests (without `request`), sorted; empty for a teardown.
    pub deps: Vec<String>,
    /// The parameter's id or value, already `saferepr`'d, for a parametrized fixture.
    pub param: Option<String>,
}

/// One fixture definition as `--fixtures` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableFixture {
    pub name: String,
    /// The node it is registered at (pytest sorts by this ID's length first).
    pub baseid: String,
    pub scope: String,
    /// The `__module__` of its function (`conftest`, `_pytest.capture`): pytest groups by it
    /// and writes a `fixtures defined from` rule for every module outside `_pytest`.
    pub module: String,
    /// `path:line` as pytest prints it after ` -- `.
    pub location: String,
    /// `inspect.getdoc` of its function.
    pub doc: Option<String>,
}

/// A collected item with the chain of collectors above it, for `--collect-only`'s tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectedItem {
    pub nodeid: String,
    /// From the rootdir's `Dir` down to the item itself.
    pub chain: Vec<CollectorNode>,
}

/// One node of pytest's collection tree, printed as `<Kind name>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectorNode {
    pub kind: CollectorKind,
    pub name: String,
}

/// pytest's collector and item classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectorKind {
    Dir,
    Package,
    Module,
    Class,
    UnitTestCase,
    Function,
    TestCaseFunction,
    DoctestModule,
    DoctestTextfile,
    DoctestItem,
}

impl CollectorKind {
    /// The class name pytest prints: `Dir`, `Package`, `Module`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            CollectorKind::Dir => "Dir",
            CollectorKind::Package => "Package",
            CollectorKind::Module => "Module",
            CollectorKind::Class => "Class",
            CollectorKind::UnitTestCase => "UnitTestCase",
            CollectorKind::Function => "Function",
            CollectorKind::TestCaseFunction => "TestCaseFunction",
            CollectorKind::DoctestModule => "DoctestModule",
            CollectorKind::DoctestTextfile => "DoctestTextfile",
            CollectorKind::DoctestItem => "DoctestItem",
        }
    }
}

/// pytest's exit codes (`pytest.ExitCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitCode {
    Ok = 0,
    TestsFailed = 1,
    Interrupted = 2,
    InternalError = 3,
    UsageError = 4,
    NoTestsCollected = 5,
    /// `--max-warnings` (or the `max_warnings` ini option): the tests passed with more
    /// warnings than allowed.
    MaxWarningsError = 6,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        self as i32
    }
}
