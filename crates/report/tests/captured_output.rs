//! Golden tests of captured output in the terminal report: `--show-capture`, and the run's
//! layout when live logging writes between the reporter's lines. The differential cases
//! tests/cases/captured_sections, log_sections and log_cli compare the same layouts with
//! pytest 9.2's own output.

mod common;

use common::*;
use ferrotest_events::{Event, ExitCode, Phase, TestReport};
use ferrotest_report::TerminalOptions;

const FAIL_TEXT: &str =
    "\n    def test_fail():\n>       assert False\nE       assert False\n\ntest_c.py:2: AssertionError";

fn sections(names: &[&str]) -> Vec<(String, String)> {
    names.iter().map(|name| (name.to_string(), format!("{} text\n", name.to_lowercase()))).collect()
}

/// A failing test and a passing one, each with stdout, stderr and log output in every phase;
/// each report carries the sections of its phase and of the phases before it, as pytest's.
fn events() -> Vec<Event> {
    let mut events = vec![
        session_start("/tmp/oracle/c", None, None),
        Event::CollectionFinish { collected: 2, errors: vec![], deselected: 0, items: vec![], report_lines: vec![] },
    ];
    let setup = ["Captured stdout setup", "Captured log setup"];
    let call = ["Captured stdout setup", "Captured log setup", "Captured stderr call", "Captured log call"];
    let teardown = [&call[..], &["Captured stdout teardown", "Captured log teardown"]].concat();
    for (nodeid, call_report) in [
        ("test_c.py::test_fail", failed("test_c.py::test_fail", 0, Phase::Call, FAIL_TEXT, "assert False")),
        ("test_c.py::test_pass", passed("test_c.py::test_pass", 3, Phase::Call)),
    ] {
        let with = |report: TestReport, names: &[&str]| TestReport { sections: sections(names), ..report };
        events.extend(run(
            nodeid,
            0,
            vec![
                with(passed(nodeid, 0, Phase::Setup), &setup),
                with(call_report, &call),
                with(passed(nodeid, 0, Phase::Teardown), &teardown),
            ],
        ));
    }
    events.push(finish(ExitCode::TestsFailed, 0.01, None));
    events
}

#[test]
fn show_capture_picks_the_sections_of_failures_and_passes() {
    for show in ["all", "stderr", "log", "no"] {
        let options = TerminalOptions { report_chars: "A".to_string(), show_capture: show.to_string(), ..options(0) };
        insta::assert_snapshot!(format!("show_capture_{show}"), render(&events(), options));
    }
}

#[test]
fn live_logs_make_the_test_loop_verbose_and_end_lines_behind_the_reporter() {
    let nodeid = "test_c.py::test_pass";
    let mut events = vec![
        session_start("/tmp/oracle/c", None, None),
        Event::CollectionFinish { collected: 1, errors: vec![], deselected: 0, items: vec![], report_lines: vec![] },
        Event::TestStart { nodeid: nodeid.into(), location: location(nodeid, 0) },
        Event::TestReport(passed(nodeid, 0, Phase::Setup)),
        // The Python side wrote the call's live logs after `test_c.py::test_pass `, ending
        // with a newline: the reporter's `PASSED` starts a line, its progress fills that one.
        Event::LiveLogged,
        Event::TestReport(passed(nodeid, 0, Phase::Call)),
        Event::TestReport(passed(nodeid, 0, Phase::Teardown)),
        Event::TestFinish { nodeid: nodeid.into() },
    ];
    events.push(finish(ExitCode::Ok, 0.01, None));
    let options = TerminalOptions { live_logging: true, ..options(-1) };
    insta::assert_snapshot!(render(&events, options));
}
