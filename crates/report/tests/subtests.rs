//! Golden tests of subtest reports (pytest 9's `SubtestReport`), checked against pytest 9.2's
//! output for `tests/cases/unittest_subtests`-like projects.

mod common;

use common::*;
use ferrotest_events::{Event, ExitCode, Phase, Subtest, TestReport};
use ferrotest_report::TerminalOptions;

const EVEN: &str = "test_sub.py::TestNumbers::test_even";

fn subtest(mut report: TestReport, description: &str, captured_at: Option<usize>) -> TestReport {
    report.subtest = Some(Subtest { description: description.to_string(), captured_at });
    report
}

/// A unittest test whose subtests i=0..3 check evenness (i=1 and i=3 fail), reported while its
/// output ("checking\n") was captured, and a plain passing test.
fn unittest_events() -> Vec<Event> {
    let text = "    def test_even(self):\n>       self.assertEqual(i % 2, 0)\nE       AssertionError: 1 != 0";
    let mut call = passed(EVEN, 5, Phase::Call);
    call.sections = vec![("Captured stdout call".to_string(), "checking\n".to_string())];
    let mut events = vec![session_start("/tmp/oracle/ut", None, None), collection_finish(2)];
    events.extend(run(
        EVEN,
        5,
        vec![
            passed(EVEN, 5, Phase::Setup),
            subtest(passed(EVEN, 5, Phase::Call), "(i=0)", Some(9)),
            subtest(failed(EVEN, 5, Phase::Call, text, "AssertionError: 1 != 0"), "(i=1)", Some(9)),
            subtest(passed(EVEN, 5, Phase::Call), "(i=2)", Some(9)),
            subtest(failed(EVEN, 5, Phase::Call, text, "AssertionError: 1 != 0"), "(i=3)", Some(9)),
            call,
            passed(EVEN, 5, Phase::Teardown),
        ],
    ));
    events.extend(run_passing("test_sub.py::TestNumbers::test_plain", 12));
    events.push(finish(ExitCode::TestsFailed, 0.01, None));
    events
}

fn collection_finish(collected: usize) -> Event {
    Event::CollectionFinish {
        collected,
        errors: Vec::new(),
        deselected: 0,
        items: Vec::new(),
        report_lines: Vec::new(),
    }
}

#[test]
fn unittest_subtests_write_into_the_captured_output() {
    let options = TerminalOptions { report_chars: "A".to_string(), ..options(0) };
    insta::assert_snapshot!(render(&unittest_events(), options));
}

#[test]
fn unittest_subtests_verbose() {
    let options = TerminalOptions { report_chars: "A".to_string(), ..options(1) };
    insta::assert_snapshot!(render(&unittest_events(), options));
}

#[test]
fn quiet_subtests_verbosity_hides_passing_subtests() {
    let options = TerminalOptions { verbosity_subtests: Some(0), ..options(1) };
    insta::assert_snapshot!(render(&unittest_events(), options));
}
