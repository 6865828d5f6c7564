//! Golden tests of the terminal report. Each snapshot was compared line by line with pytest
//! 9.2's output for the equivalent project (see tests/common); keep them byte-identical.

mod common;

use common::*;
use ferrotest_events::{CollectorKind, Event, ExitCode, Interruption, Phase, SessionInfo, WarningReport};
use ferrotest_report::{DurationsOptions, ProgressStyle, TerminalOptions, TracebackStyle};

#[test]
fn default_run() {
    insta::assert_snapshot!(render(&p1_events(), options(0)));
}

#[test]
fn verbose_run() {
    insta::assert_snapshot!(render(&p1_events(), options(1)));
}

#[test]
fn very_verbose_run_prints_whole_messages() {
    insta::assert_snapshot!(render(&p1_events(), options(2)));
}

#[test]
fn quiet_run() {
    insta::assert_snapshot!(render(&p1_events(), options(-1)));
}

#[test]
fn very_quiet_run() {
    insta::assert_snapshot!(render(&p1_events(), options(-2)));
}

#[test]
fn report_all() {
    let options = TerminalOptions { report_chars: "A".to_string(), ..options(0) };
    insta::assert_snapshot!(render(&p1_events(), options));
}

#[test]
fn report_all_in_color() {
    let options = TerminalOptions { report_chars: "A".to_string(), color: true, ..options(0) };
    insta::assert_snapshot!(render(&p1_events(), options));
}

#[test]
fn junitxml_line_and_no_summary() {
    let with_xml = TerminalOptions { junitxml_path: Some("/tmp/oracle/p1.xml".to_string()), ..options(0) };
    insta::assert_snapshot!("junitxml_line", render(&p1_events(), with_xml));
    let no_summary = TerminalOptions { no_summary: true, no_header: true, ..options(0) };
    insta::assert_snapshot!("no_summary_no_header", render(&p1_events(), no_summary));
}

#[test]
fn deselected_run() {
    insta::assert_snapshot!(render(&p1_deselected_events(), options(1)));
}

#[test]
fn collect_only_tree() {
    let options = TerminalOptions { collect_only: true, ..options(0) };
    insta::assert_snapshot!(render(&p1_collect_only_events(&[]), options));
}

#[test]
fn collect_only_quiet_and_very_quiet() {
    let quiet = TerminalOptions { collect_only: true, ..options(-1) };
    insta::assert_snapshot!("collect_only_quiet", render(&p1_collect_only_events(&[]), quiet));
    let very_quiet = TerminalOptions { collect_only: true, ..options(-2) };
    insta::assert_snapshot!("collect_only_very_quiet", render(&p1_collect_only_events(&[]), very_quiet));
}

#[test]
fn collect_only_with_deselection() {
    let selected = ["tests/test_a.py::test_pass", "tests/test_b.py::test_one"];
    let tree = TerminalOptions { collect_only: true, ..options(0) };
    insta::assert_snapshot!("collect_only_deselected", render(&p1_collect_only_events(&selected), tree));
    let quiet = TerminalOptions { collect_only: true, ..options(-1) };
    insta::assert_snapshot!("collect_only_deselected_quiet", render(&p1_collect_only_events(&selected), quiet));
}

#[test]
fn collection_errors() {
    insta::assert_snapshot!("collection_errors", render(&p2_events(), options(0)));
    insta::assert_snapshot!("collection_errors_quiet", render(&p2_events(), options(-1)));
}

#[test]
fn collection_errors_collect_only() {
    let tree = TerminalOptions { collect_only: true, ..options(0) };
    insta::assert_snapshot!("collection_errors_co", render(&p2_events(), tree));
    let quiet = TerminalOptions { collect_only: true, ..options(-1) };
    insta::assert_snapshot!("collection_errors_co_quiet", render(&p2_events(), quiet));
    let very_quiet = TerminalOptions { collect_only: true, ..options(-2) };
    insta::assert_snapshot!("collection_errors_co_very_quiet", render(&p2_events(), very_quiet));
}

/// p3: `-x` on three tests whose first fails.
fn maxfail_events() -> Vec<Event> {
    let mut events = vec![
        session_start("/tmp/oracle/p3", None, None),
        Event::CollectionFinish {
            collected: 3,
            errors: vec![],
            deselected: 0,
            items: module_items("p3", "test_f.py", &["test_a", "test_b", "test_c"]),
            report_lines: vec![],
        },
    ];
    let text = "\n    def test_a():\n>       assert 0\nE       assert 0\n\ntest_f.py:2: AssertionError";
    events.extend(run_failing("test_f.py::test_a", 0, text, "assert 0"));
    events.push(finish(ExitCode::TestsFailed, 0.02, Some(Interruption::MaxFail(1))));
    events
}

#[test]
fn stopping_after_max_failures() {
    insta::assert_snapshot!(render(&maxfail_events(), options(0)));
}

/// p4: the second of three tests raises KeyboardInterrupt.
fn keyboard_interrupt_events() -> Vec<Event> {
    use CollectorKind::*;
    let items = ["test_a", "test_k", "test_c"]
        .iter()
        .map(|f| item(&format!("test_k.py::{f}"), &[(Dir, "p4"), (Module, "test_k.py"), (Function, f)]))
        .collect();
    let mut events = vec![
        session_start("/tmp/oracle/p4", None, None),
        Event::CollectionFinish { collected: 3, errors: vec![], deselected: 0, items, report_lines: vec![] },
    ];
    events.extend(run_passing("test_k.py::test_a", 0));
    events.push(Event::TestStart { nodeid: "test_k.py::test_k".into(), location: location("test_k.py::test_k", 2) });
    let interrupt = Interruption::KeyboardInterrupt {
        message: "KeyboardInterrupt".to_string(),
        location: Some(("/work/test_k.py".to_string(), 3)),
    };
    events.push(finish(ExitCode::Interrupted, 0.30, Some(interrupt)));
    events
}

#[test]
fn keyboard_interrupt() {
    insta::assert_snapshot!(render(&keyboard_interrupt_events(), options(0)));
}

/// p5: skip marks and `pytest.skip()`, for `-rs` folding.
fn skips_events() -> Vec<Event> {
    use CollectorKind::*;
    let tests = [
        ("test_a", 2, Phase::Setup, 2, "Skipped: m1"),
        ("test_b", 5, Phase::Setup, 5, "Skipped: m1"),
        ("test_c", 7, Phase::Call, 9, "Skipped: in body"),
        ("test_d", 9, Phase::Setup, 10, "Skipped: unconditional skip"),
    ];
    let items = tests
        .iter()
        .map(|(f, ..)| item(&format!("test_s.py::{f}"), &[(Dir, "p5"), (Module, "test_s.py"), (Function, f)]))
        .collect();
    let mut events = vec![
        session_start("/tmp/oracle/p5", None, None),
        Event::CollectionFinish { collected: 4, errors: vec![], deselected: 0, items, report_lines: vec![] },
    ];
    for (f, lineno, when, at, reason) in tests {
        events.extend(run_skipped(&format!("test_s.py::{f}"), lineno, when, at, reason));
    }
    events.push(finish(ExitCode::Ok, 0.01, None));
    events
}

#[test]
fn skips_folded_and_unfolded() {
    let folded = TerminalOptions { report_chars: "s".to_string(), ..options(1) };
    insta::assert_snapshot!("skips_folded_verbose", render(&skips_events(), folded));
    let unfolded = TerminalOptions { report_chars: "s".to_string(), fold_skipped: false, ..options(-1) };
    insta::assert_snapshot!("skips_unfolded_quiet", render(&skips_events(), unfolded));
}

/// p6: 100 passing tests in one file, 12 of which warn the same way, and one long failure message.
fn many_tests_events() -> Vec<Event> {
    use CollectorKind::*;
    let ids: Vec<String> = (0..100).map(|i| format!("test_many.py::test_{i}")).collect();
    let items = ids
        .iter()
        .map(|id| item(id, &[(Dir, "p6"), (Module, "test_many.py"), (Function, id.split_once("::").unwrap().1)]))
        .collect();
    let mut events = vec![
        session_start("/tmp/oracle/p6", None, None),
        Event::CollectionFinish { collected: 101, errors: vec![], deselected: 0, items, report_lines: vec![] },
    ];
    for (i, id) in ids.iter().enumerate() {
        events.extend(run_passing(id, i as u32 * 3));
        if i < 12 {
            events.push(Event::Warning(WarningReport {
                location: Some(id.clone()),
                message: "/tmp/oracle/p6/test_many.py:3: UserWarning: w\n  warnings.warn(\"w\")\n".to_string(),
            }));
        }
    }
    let id = "test_z.py::test_long";
    let message = "AssertionError: this is a rather long assertion message that will not fit on one line";
    let text = format!("\n    def test_long():\n>       assert 0, \"{}\"\nE       {message}\nE       assert 0\n\ntest_z.py:2: AssertionError", &message[16..]);
    events.extend(run_failing(id, 0, &text, &format!("{message}\nassert 0")));
    events.push(finish(ExitCode::TestsFailed, 0.12, None));
    events
}

#[test]
fn long_progress_lines_wrap_and_warnings_collapse() {
    insta::assert_snapshot!(render(&many_tests_events(), options(0)));
}

#[test]
fn too_many_warnings_end_a_passing_session() {
    use CollectorKind::*;
    let id = "test_w.py::test_warns";
    let warning = WarningReport {
        location: Some(id.to_string()),
        message: "/tmp/oracle/p7/test_w.py:2: UserWarning: w\n  warnings.warn(\"w\")\n".to_string(),
    };
    let items = vec![item(id, &[(Dir, "p7"), (Module, "test_w.py"), (Function, "test_warns")])];
    let mut events = vec![
        session_start("/tmp/oracle/p7", None, None),
        Event::CollectionFinish { collected: 1, errors: vec![], deselected: 0, items, report_lines: vec![] },
    ];
    events.extend(run_passing(id, 0));
    events.extend([Event::Warning(warning.clone()), Event::Warning(warning)]);
    events.push(finish(ExitCode::MaxWarningsError, 0.12, None));
    let options = TerminalOptions { max_warnings: Some(1), ..options(0) };
    insta::assert_snapshot!(render(&events, options));
}

#[test]
fn count_progress_style() {
    let options = TerminalOptions { progress: ProgressStyle::Count, ..options(0) };
    insta::assert_snapshot!(render(&many_tests_events(), options));
}

#[test]
fn nothing_collected() {
    let events = [
        session_start("/tmp/oracle/empty", None, None),
        Event::CollectionFinish { collected: 0, errors: vec![], deselected: 0, items: vec![], report_lines: vec![] },
        finish(ExitCode::NoTestsCollected, 0.01, None),
    ];
    insta::assert_snapshot!(render(&events, options(0)));
}

#[test]
fn odd_events_do_not_panic() {
    let stray = common::failed("nowhere.py::test_x", 0, Phase::Teardown, "boom", "E boom");
    let events = [
        Event::TestReport(stray),
        Event::TestFinish { nodeid: "unknown".into() },
        Event::Warning(WarningReport { location: None, message: "loose warning".to_string() }),
        finish(ExitCode::TestsFailed, 0.5, None),
    ];
    for verbosity in -2..=2 {
        let options = TerminalOptions { collect_only: verbosity == 0, ..options(verbosity) };
        render(&events, options);
    }
    insta::assert_snapshot!(render(&events, options(1)));
}

#[test]
fn xfail_default_run() {
    insta::assert_snapshot!(render(&xfail_events(), options(0)));
}

#[test]
fn xfail_verbose_report_all() {
    let options = TerminalOptions { report_chars: "A".to_string(), ..options(1) };
    insta::assert_snapshot!(render(&xfail_events(), options));
}

#[test]
fn xfail_summary_in_color() {
    let options = TerminalOptions { report_chars: "xX".to_string(), color: true, ..options(0) };
    insta::assert_snapshot!(render(&xfail_events(), options));
}

#[test]
fn entry_point_plugins_close_the_header() {
    let Event::SessionStart(info) = session_start("/tmp/oracle/p7", Some("pytest.ini"), Some(&["tests"])) else {
        unreachable!()
    };
    let info = SessionInfo { plugins: vec!["mock-3.17.0".into(), "ferro-demo-1.0".into()], ..info };
    let events = [Event::SessionStart(info), finish(ExitCode::NoTestsCollected, 0.01, None)];
    let text = render(&events, options(0));
    let header: Vec<&str> = text.lines().skip(2).take(4).collect();
    assert_eq!(
        header,
        [
            "rootdir: /tmp/oracle/p7",
            "configfile: pytest.ini",
            "testpaths: tests",
            "plugins: mock-3.17.0, ferro-demo-1.0"
        ]
    );
}

/// p9: a setup error, a failure with output, a strict xpass and a pass with output, as
/// pytest reports them with `--tb=line` (the longreprs are that style's).
fn failure_styles_events() -> Vec<Event> {
    let mut events = vec![
        session_start("/tmp/oracle/p9", None, None),
        Event::CollectionFinish {
            collected: 4,
            errors: vec![],
            deselected: 0,
            items: module_items("p9", "test_s.py", &["test_err", "test_fail", "test_xpass_strict", "test_pass"]),
            report_lines: vec![],
        },
    ];
    let id = "test_s.py::test_err";
    let mut error = failed(id, 8, Phase::Setup, "E   RuntimeError: setup boom", "RuntimeError: setup boom");
    set_crash_line(&mut error, "/tmp/oracle/p9/test_s.py:6: RuntimeError: setup boom");
    events.extend(run(id, 8, vec![error, passed(id, 8, Phase::Teardown)]));
    let id = "test_s.py::test_fail";
    let mut fail = failed(id, 12, Phase::Call, "E   assert 1 == 2", "assert 1 == 2");
    set_crash_line(&mut fail, "/tmp/oracle/p9/test_s.py:15: assert 1 == 2");
    fail.sections.push(("Captured stdout call".to_string(), "out\n".to_string()));
    events.extend(run(id, 12, vec![passed(id, 12, Phase::Setup), fail, passed(id, 12, Phase::Teardown)]));
    // A strict xpass has no crash location: pytest's line is the report's start.
    let text = "[XPASS(strict)] known";
    events.extend(run_failing("test_s.py::test_xpass_strict", 17, text, text));
    let id = "test_s.py::test_pass";
    let mut pass = passed(id, 22, Phase::Call);
    pass.sections.push(("Captured stdout call".to_string(), "passing\n".to_string()));
    events.extend(run(id, 22, vec![passed(id, 22, Phase::Setup), pass, passed(id, 22, Phase::Teardown)]));
    events.push(finish(ExitCode::TestsFailed, 0.03, None));
    events
}

#[test]
fn tb_line_prints_crash_lines() {
    let options = TerminalOptions { report_chars: "A".to_string(), tbstyle: TracebackStyle::Line, ..options(0) };
    insta::assert_snapshot!(render(&failure_styles_events(), options));
}

#[test]
fn tb_no_leaves_out_errors_failures_and_passes() {
    let options = TerminalOptions { report_chars: "A".to_string(), tbstyle: TracebackStyle::No, ..options(0) };
    insta::assert_snapshot!(render(&failure_styles_events(), options));
}

#[test]
fn slowest_durations_after_the_junitxml_line() {
    let mut events = p1_events();
    for event in &mut events {
        if let Event::TestReport(report) = event {
            report.duration = match (&*report.nodeid, report.when) {
                ("tests/test_a.py::test_fail", Phase::Call) => 1.234,
                ("tests/test_a.py::test_setup_err", Phase::Setup) => 0.25,
                ("tests/test_b.py::test_one", Phase::Teardown) => 0.0071,
                _ => report.duration,
            };
        }
    }
    let durations = Some(DurationsOptions { count: 5, min: None });
    let options = TerminalOptions { durations, junitxml_path: Some("/tmp/oracle/p1.xml".to_string()), ..options(0) };
    insta::assert_snapshot!(render(&events, options));
}

/// What the `pytest_terminal_summary` hooks of a conftest met while collecting (before the
/// junitxml line), of the rootdir's conftest (before `--durations`) and of a `trylast`
/// plugin (after it) wrote: pytest's own line in between, and its `ensure_newline` ends the
/// progress line a passing session leaves open just once.
#[test]
fn plugin_summaries_around_junitxml_and_durations() {
    use ferrotest_events::{TerminalSummary, TerminalWrite::*};

    let text = |text: &str| Text(text.to_string());
    let mut events: Vec<Event> = [session_start("/tmp/oracle", None, None)].into_iter().collect();
    events.push(Event::CollectionFinish {
        collected: 1,
        errors: vec![],
        deselected: 0,
        items: vec![],
        report_lines: vec![],
    });
    events.extend(run_passing("test_a.py::test_one", 0));
    events.push(Event::TerminalSummary(TerminalSummary {
        before_junitxml: vec![EnsureNewline, text("================ late ================\n")],
        before_durations: vec![text("status "), EnsureNewline, text("0\n"), EnsureNewline, text("done\n")],
        after_durations: vec![EnsureNewline, text("--- last ---\n")],
    }));
    events.push(finish(ExitCode::Ok, 0.01, None));
    let durations = Some(DurationsOptions { count: 1, min: Some(100.0) });
    let options = TerminalOptions { durations, junitxml_path: Some("/tmp/oracle/a.xml".to_string()), ..options(0) };
    insta::assert_snapshot!(render(&events, options));
}
