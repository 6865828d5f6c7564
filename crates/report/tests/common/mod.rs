//! Event streams equivalent to small pytest projects, whose real pytest 9.2 output the
//! snapshots were checked against (durations and object addresses normalised).
#![allow(dead_code)] // Each test binary uses a different subset of the fixtures.

use std::path::PathBuf;
use std::sync::Arc;

use ferrotest_events::{
    CollectError, CollectedItem, CollectorKind, CollectorNode, Event, ExitCode, Interruption, Location, LongRepr,
    Outcome, Phase, SessionInfo, TestReport, WarningReport,
};
use ferrotest_report::{Reporter, TerminalOptions, TerminalReporter};

pub const VERSION_LINE: &str = "platform linux -- Python 3.11.7, pytest-9.2.0, pluggy-1.7.0";

/// Feeds `events` to a terminal reporter and returns what it wrote, followed by `[EOF]`
/// because insta ignores trailing newlines, which are part of pytest's layout.
pub fn render(events: &[Event], options: TerminalOptions) -> String {
    let mut out = Vec::new();
    let mut reporter = TerminalReporter::new(&mut out, options);
    for event in events {
        reporter.handle(event).expect("writing to a Vec");
    }
    String::from_utf8(out).expect("UTF-8 output") + "[EOF]"
}

/// Options as pytest's command line would set them, with pytest's own version line
/// (which names the interpreter from `-v` on).
pub fn options(verbosity: i32) -> TerminalOptions {
    let version_line = match verbosity {
        v if v > 0 => format!("{VERSION_LINE} -- /tmp/pyref/bin/python3"),
        _ => VERSION_LINE.to_string(),
    };
    TerminalOptions { verbosity, version_line: Some(version_line), ..TerminalOptions::default() }
}

pub fn session_start(root: &str, configfile: Option<&str>, testpaths: Option<&[&str]>) -> Event {
    Event::SessionStart(SessionInfo {
        platform: "linux".to_string(),
        python_version: "3.11.7".to_string(),
        rootdir: PathBuf::from(root),
        configfile: configfile.map(|c| PathBuf::from(root).join(c)),
        testpaths: testpaths.map(|t| t.iter().map(|p| p.to_string()).collect()),
        extra_lines: Vec::new(),
        plugins: Vec::new(),
        late_lines: Vec::new(),
    })
}

pub fn finish(exit_code: ExitCode, duration: f64, interruption: Option<Interruption>) -> Event {
    Event::SessionFinish { exit_code, duration, interruption }
}

fn node(kind: CollectorKind, name: &str) -> CollectorNode {
    CollectorNode { kind, name: name.to_string() }
}

/// A collected item; `chain` lists the collectors as (kind, name), the item last.
pub fn item(nodeid: &str, chain: &[(CollectorKind, &str)]) -> CollectedItem {
    CollectedItem { nodeid: nodeid.to_string(), chain: chain.iter().map(|(k, n)| node(*k, n)).collect() }
}

/// The items of one module's test functions, in a rootdir named `dir`.
pub fn module_items(dir: &str, module: &str, functions: &[&str]) -> Vec<CollectedItem> {
    use CollectorKind::*;
    functions
        .iter()
        .map(|function| item(&format!("{module}::{function}"), &[(Dir, dir), (Module, module), (Function, function)]))
        .collect()
}

pub fn location(nodeid: &str, lineno: u32) -> Arc<Location> {
    let (path, rest) = nodeid.split_once("::").expect("a test node ID");
    Arc::new(Location { path: path.to_string(), lineno: Some(lineno), domain: rest.replace("::", ".") })
}

fn report(nodeid: &str, lineno: u32, when: Phase, outcome: Outcome, longrepr: Option<LongRepr>) -> TestReport {
    TestReport {
        nodeid: nodeid.into(),
        location: Some(location(nodeid, lineno)),
        when,
        outcome,
        longrepr,
        duration: 0.0001,
        sections: Vec::new(),
        user_properties: Vec::new(),
        wasxfail: None,
        subtest: None,
    }
}

pub fn passed(nodeid: &str, lineno: u32, when: Phase) -> TestReport {
    report(nodeid, lineno, when, Outcome::Passed, None)
}

pub fn failed(nodeid: &str, lineno: u32, when: Phase, text: &str, message: &str) -> TestReport {
    let longrepr = LongRepr::Failure { text: text.to_string(), message: message.to_string(), crash_line: None };
    report(nodeid, lineno, when, Outcome::Failed, Some(longrepr))
}

/// Gives a failure pytest's `reprcrash` line (what `--tb=line` prints).
pub fn set_crash_line(report: &mut TestReport, line: &str) {
    if let Some(LongRepr::Failure { crash_line, .. }) = &mut report.longrepr {
        *crash_line = Some(line.to_string());
    }
}

pub fn skipped(nodeid: &str, lineno: u32, when: Phase, at: u32, reason: &str) -> TestReport {
    let path = nodeid.split_once("::").map_or(nodeid, |(p, _)| p).to_string();
    let longrepr = LongRepr::Skip { path, lineno: at, reason: reason.to_string() };
    report(nodeid, lineno, when, Outcome::Skipped, Some(longrepr))
}

/// An xfailed phase: pytest keeps the failure's longrepr and records the xfail reason.
pub fn xfailed(nodeid: &str, lineno: u32, when: Phase, reason: &str) -> TestReport {
    let mut report = failed(nodeid, lineno, when, "E   ValueError", "ValueError");
    report.outcome = Outcome::Skipped;
    report.wasxfail = Some(reason.to_string());
    report
}

/// A call that passed although marked xfail (not strict).
pub fn xpassed(nodeid: &str, lineno: u32, reason: &str) -> TestReport {
    let mut report = passed(nodeid, lineno, Phase::Call);
    report.wasxfail = Some(reason.to_string());
    report
}

/// The events of one test: start, its phase reports, finish.
pub fn run(nodeid: &str, lineno: u32, reports: Vec<TestReport>) -> Vec<Event> {
    let mut events = vec![Event::TestStart { nodeid: nodeid.into(), location: location(nodeid, lineno) }];
    events.extend(reports.into_iter().map(Event::TestReport));
    events.push(Event::TestFinish { nodeid: nodeid.into() });
    events
}

/// A test whose three phases pass.
pub fn run_passing(nodeid: &str, lineno: u32) -> Vec<Event> {
    run(
        nodeid,
        lineno,
        vec![
            passed(nodeid, lineno, Phase::Setup),
            passed(nodeid, lineno, Phase::Call),
            passed(nodeid, lineno, Phase::Teardown),
        ],
    )
}

/// A test whose call fails.
pub fn run_failing(nodeid: &str, lineno: u32, text: &str, message: &str) -> Vec<Event> {
    run(
        nodeid,
        lineno,
        vec![
            passed(nodeid, lineno, Phase::Setup),
            failed(nodeid, lineno, Phase::Call, text, message),
            passed(nodeid, lineno, Phase::Teardown),
        ],
    )
}

/// A test skipped in `when` (setup for a skip mark, call for `pytest.skip()`).
pub fn run_skipped(nodeid: &str, lineno: u32, when: Phase, at: u32, reason: &str) -> Vec<Event> {
    let mut reports = vec![];
    if when == Phase::Call {
        reports.push(passed(nodeid, lineno, Phase::Setup));
    }
    reports.push(skipped(nodeid, lineno, when, at, reason));
    reports.push(passed(nodeid, lineno, Phase::Teardown));
    run(nodeid, lineno, reports)
}

const P1_ROOT: &str = "/tmp/oracle/p1";

const TEST_FAIL_TEXT: &str = "
    def test_fail():
        print(\"hello out\")
>       assert 1 == 2
E       assert 1 == 2

tests/test_a.py:17: AssertionError";

const TEST_Y_TEXT: &str = "
self = <test_a.TestX object at 0xADDR>

    def test_y(self):
>       assert 0, \"boom\"
E       AssertionError: boom
E       assert 0

tests/test_a.py:33: AssertionError";

const SETUP_ERR_TEXT: &str = "
    @pytest.fixture
    def bad_setup():
>       raise RuntimeError(\"setup boom\")
E       RuntimeError: setup boom

tests/test_a.py:5: RuntimeError";

const TEARDOWN_ERR_TEXT: &str = "
    @pytest.fixture
    def bad_teardown():
        yield
>       raise RuntimeError(\"teardown boom\")
E       RuntimeError: teardown boom

tests/test_a.py:10: RuntimeError";

/// The node IDs and 0-based lines of project p1, in collection order.
pub const P1_TESTS: [(&str, u32); 10] = [
    ("tests/test_a.py::test_pass", 11),
    ("tests/test_a.py::test_fail", 14),
    ("tests/test_a.py::test_skip", 18),
    ("tests/test_a.py::test_setup_err", 21),
    ("tests/test_a.py::test_teardown_err", 24),
    ("tests/test_a.py::test_warn", 27),
    ("tests/test_a.py::TestX::test_y", 31),
    ("tests/test_a.py::TestX::test_z", 33),
    ("tests/test_b.py::test_one", 1),
    ("tests/test_b.py::test_two", 3),
];

fn p1_items(selected: &[&str]) -> Vec<CollectedItem> {
    use CollectorKind::*;
    P1_TESTS
        .iter()
        .filter(|(id, _)| selected.is_empty() || selected.contains(id))
        .map(|(id, _)| {
            let (file, rest) = id.split_once("::").expect("a test node ID");
            let module = file.trim_start_matches("tests/");
            let mut chain = vec![(Dir, "p1"), (Dir, "tests"), (Module, module)];
            let mut names: Vec<&str> = rest.split("::").collect();
            let function = names.pop().expect("a function name");
            chain.extend(names.into_iter().map(|class| (Class, class)));
            chain.push((Function, function));
            item(id, &chain)
        })
        .collect()
}

/// Project p1 (a pass, a failure with output, skips, setup and teardown errors, a warning,
/// a class), as pytest runs it from its rootdir with `testpaths = tests`.
pub fn p1_events() -> Vec<Event> {
    let mut events = vec![
        session_start(P1_ROOT, Some("pytest.ini"), Some(&["tests"])),
        Event::CollectionFinish {
            collected: 10,
            errors: vec![],
            deselected: 0,
            items: p1_items(&[]),
            report_lines: vec![],
        },
    ];
    let mut fail = failed("tests/test_a.py::test_fail", 14, Phase::Call, TEST_FAIL_TEXT, "assert 1 == 2");
    fail.sections.push(("Captured stdout call".to_string(), "hello out\n".to_string()));
    events.extend(run_passing("tests/test_a.py::test_pass", 11));
    events.extend(run(
        "tests/test_a.py::test_fail",
        14,
        vec![
            passed("tests/test_a.py::test_fail", 14, Phase::Setup),
            fail,
            passed("tests/test_a.py::test_fail", 14, Phase::Teardown),
        ],
    ));
    events.extend(run_skipped("tests/test_a.py::test_skip", 18, Phase::Call, 20, "Skipped: not now"));
    let id = "tests/test_a.py::test_setup_err";
    events.extend(run(
        id,
        21,
        vec![failed(id, 21, Phase::Setup, SETUP_ERR_TEXT, "RuntimeError: setup boom"), passed(id, 21, Phase::Teardown)],
    ));
    let id = "tests/test_a.py::test_teardown_err";
    events.extend(run(
        id,
        24,
        vec![
            passed(id, 24, Phase::Setup),
            passed(id, 24, Phase::Call),
            failed(id, 24, Phase::Teardown, TEARDOWN_ERR_TEXT, "RuntimeError: teardown boom"),
        ],
    ));
    let id = "tests/test_a.py::test_warn";
    events.push(Event::TestStart { nodeid: id.into(), location: location(id, 27) });
    events.push(Event::TestReport(passed(id, 27, Phase::Setup)));
    events.push(Event::TestReport(passed(id, 27, Phase::Call)));
    events.push(Event::Warning(WarningReport {
        location: Some(id.to_string()),
        message: "/tmp/oracle/p1/tests/test_a.py:29: UserWarning: careful\n  warnings.warn(UserWarning(\"careful\"))\n"
            .to_string(),
    }));
    events.push(Event::TestReport(passed(id, 27, Phase::Teardown)));
    events.push(Event::TestFinish { nodeid: id.into() });
    events.extend(run_failing("tests/test_a.py::TestX::test_y", 31, TEST_Y_TEXT, "AssertionError: boom\nassert 0"));
    events.extend(run_skipped("tests/test_a.py::TestX::test_z", 33, Phase::Setup, 34, "Skipped: marked"));
    events.extend(run_passing("tests/test_b.py::test_one", 1));
    events.extend(run_skipped("tests/test_b.py::test_two", 3, Phase::Call, 5, "Skipped: not now"));
    events.push(finish(ExitCode::TestsFailed, 0.04, None));
    events
}

/// p1 as `--collect-only` sees it: collection, then the end of the session.
pub fn p1_collect_only_events(selected: &[&str]) -> Vec<Event> {
    let deselected = if selected.is_empty() { 0 } else { 10 - selected.len() };
    vec![
        session_start(P1_ROOT, Some("pytest.ini"), Some(&["tests"])),
        Event::CollectionFinish {
            collected: 10,
            errors: vec![],
            deselected,
            items: p1_items(selected),
            report_lines: vec![],
        },
        finish(ExitCode::Ok, 0.01, None),
    ]
}

/// p1 with `-k "one or pass"`.
pub fn p1_deselected_events() -> Vec<Event> {
    let selected = ["tests/test_a.py::test_pass", "tests/test_b.py::test_one"];
    let mut events = vec![
        session_start(P1_ROOT, Some("pytest.ini"), Some(&["tests"])),
        Event::CollectionFinish {
            collected: 10,
            errors: vec![],
            deselected: 8,
            items: p1_items(&selected),
            report_lines: vec![],
        },
    ];
    events.extend(run_passing(selected[0], 11));
    events.extend(run_passing(selected[1], 1));
    events.push(finish(ExitCode::Ok, 0.01, None));
    events
}

pub const BAD_IMPORT_TEXT: &str = "ImportError while importing test module '/tmp/oracle/p2/test_bad.py'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
/root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
test_bad.py:1: in <module>
    import nonexistent_mod
E   ModuleNotFoundError: No module named 'nonexistent_mod'";

pub const VALUE_ERROR_TEXT: &str = "test_v.py:1: in <module>
    raise ValueError(\"bad value\")
E   ValueError: bad value";

/// Project p2: one good module and two that fail to import, one with a crash message (pytest stops before running).
pub fn p2_events() -> Vec<Event> {
    use CollectorKind::*;
    let errors = vec![
        CollectError {
            nodeid: "test_bad.py".to_string(),
            longrepr: BAD_IMPORT_TEXT.to_string(),
            message: String::new(),
            sections: vec![("Captured stdout".to_string(), "printed while importing\n".to_string())],
        },
        CollectError {
            nodeid: "test_v.py".to_string(),
            longrepr: VALUE_ERROR_TEXT.to_string(),
            message: "ValueError: bad value".to_string(),
            sections: Vec::new(),
        },
    ];
    let items = vec![item("test_ok.py::test_ok", &[(Dir, "p2"), (Module, "test_ok.py"), (Function, "test_ok")])];
    vec![
        session_start("/tmp/oracle/p2", None, None),
        Event::CollectionFinish { collected: 1, errors, deselected: 0, items, report_lines: vec![] },
        finish(ExitCode::Interrupted, 0.18, Some(Interruption::CollectionErrors(2))),
    ]
}

const XFAIL_ROOT: &str = "/tmp/oracle/xfail";

const WRONG_RAISES_TEXT: &str = "
    @pytest.mark.xfail(raises=TypeError)
    def test_wrong_raises():
>       raise ValueError(\"nope\")
E       ValueError: nope

test_x.py:24: ValueError";

/// p7: xfail marks (failing, passing, strict, run=False, wrong `raises=`, failing setup)
/// and `pytest.xfail()`.
pub fn xfail_events() -> Vec<Event> {
    use CollectorKind::*;
    let tests = [
        ("test_xfail_fails", 3),
        ("test_xpass", 7),
        ("test_xpass_strict", 11),
        ("test_notrun", 15),
        ("test_imperative", 18),
        ("test_wrong_raises", 22),
        ("test_setup_err", 30),
    ];
    let id = |name: &str| format!("test_x.py::{name}");
    let items =
        tests.iter().map(|(f, _)| item(&id(f), &[(Dir, "xfail"), (Module, "test_x.py"), (Function, f)])).collect();
    let mut events = vec![
        session_start(XFAIL_ROOT, None, None),
        Event::CollectionFinish { collected: 7, errors: vec![], deselected: 0, items, report_lines: vec![] },
    ];
    let strict = "[XPASS(strict)] must fail";
    let called = |name: &str, lineno: u32, call: TestReport| {
        let nodeid = id(name);
        run(
            &nodeid,
            lineno,
            vec![passed(&nodeid, lineno, Phase::Setup), call, passed(&nodeid, lineno, Phase::Teardown)],
        )
    };
    let not_called = |name: &str, lineno: u32, reason: &str| {
        let nodeid = id(name);
        run(
            &nodeid,
            lineno,
            vec![xfailed(&nodeid, lineno, Phase::Setup, reason), passed(&nodeid, lineno, Phase::Teardown)],
        )
    };
    events.extend(called("test_xfail_fails", 3, xfailed(&id("test_xfail_fails"), 3, Phase::Call, "known bug")));
    events.extend(called("test_xpass", 7, xpassed(&id("test_xpass"), 7, "fixed?")));
    events.extend(called("test_xpass_strict", 11, failed(&id("test_xpass_strict"), 11, Phase::Call, strict, strict)));
    events.extend(not_called("test_notrun", 15, "[NOTRUN] crashes"));
    events.extend(called("test_imperative", 18, xfailed(&id("test_imperative"), 18, Phase::Call, "not today")));
    events.extend(run_failing(&id("test_wrong_raises"), 22, WRONG_RAISES_TEXT, "ValueError: nope"));
    events.extend(not_called("test_setup_err", 30, ""));
    events.push(finish(ExitCode::TestsFailed, 0.07, None));
    events
}
