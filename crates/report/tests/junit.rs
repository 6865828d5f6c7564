//! Golden tests of the JUnit XML file, compared with pytest 9.2's `--junitxml` output for the
//! same projects (timestamp, hostname, durations and addresses normalised).

mod common;

use common::*;
use ferrotest_events::{Event, ExitCode, Phase};
use ferrotest_report::{JunitOptions, JunitXmlReporter, Reporter};

fn junit_options() -> JunitOptions {
    JunitOptions {
        hostname: Some("vm".to_string()),
        timestamp: Some("2026-01-01T00:00:00.000000+00:00".to_string()),
        ..JunitOptions::default()
    }
}

/// The XML for all events but `SessionFinish`, as written at the end of the session.
fn xml(events: &[Event], options: JunitOptions) -> String {
    let mut reporter = JunitXmlReporter::new("unused.xml".into(), options);
    for event in events.iter().filter(|e| !matches!(e, Event::SessionFinish { .. })) {
        reporter.handle(event).expect("no file is written before SessionFinish");
    }
    reporter.xml(0.043)
}

#[test]
fn mixed_outcomes() {
    insta::assert_snapshot!(xml(&p1_events(), junit_options()));
}

#[test]
fn collection_errors() {
    insta::assert_snapshot!(xml(&p2_events(), junit_options()));
}

#[test]
fn prefix_and_suite_name() {
    let options = JunitOptions { prefix: Some("pre".to_string()), suite_name: "suite".to_string(), ..junit_options() };
    insta::assert_snapshot!(xml(&p1_deselected_events(), options));
}

/// A call failure followed by a teardown error gives two test cases, as in pytest.
#[test]
fn call_failure_then_teardown_error() {
    let id = "test_t.py::test_x";
    let events = run(
        id,
        0,
        vec![
            passed(id, 0, Phase::Setup),
            failed(id, 0, Phase::Call, "call text", "assert 0"),
            failed(id, 0, Phase::Teardown, "teardown text", "RuntimeError: <td> & \"x\"\tmore"),
        ],
    );
    insta::assert_snapshot!(xml(&events, junit_options()));
}

#[test]
fn file_is_written_at_session_finish() {
    let dir = std::env::temp_dir().join(format!("ferrotest-report-junit-{}", std::process::id()));
    let path = dir.join("nested").join("out.xml");
    let mut reporter = JunitXmlReporter::new(path.clone(), junit_options());
    for event in p1_deselected_events() {
        reporter.handle(&event).expect("writing the XML file");
    }
    let written = std::fs::read_to_string(&path).expect("the XML file exists");
    std::fs::remove_dir_all(&dir).expect("cleaning up");
    assert!(written.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites name=\"pytest tests\">"));
    assert!(written.contains("tests=\"2\" time=\"0.010\""), "{written}");
}

#[test]
fn stray_reports_do_not_panic() {
    let events = [
        Event::TestReport(failed("x.py::t", 0, Phase::Teardown, "", "")),
        Event::TestReport(skipped("y.py::t", 0, Phase::Call, 1, "Skipped")),
        Event::TestFinish { nodeid: "z".into() },
        finish(ExitCode::TestsFailed, 0.0, None),
    ];
    insta::assert_snapshot!(xml(&events, junit_options()));
}

fn with_properties(
    mut report: ferrotest_events::TestReport,
    properties: &[(&str, &str)],
) -> ferrotest_events::TestReport {
    report.user_properties = properties.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    report
}

/// `record_property` values become a `<properties>` element, first in the test case, from
/// the report the test case is finalized with (the teardown's), escaped as pytest does.
#[test]
fn user_properties_are_written_as_properties() {
    let id = "test_p.py::test_prop";
    let events = run(
        id,
        0,
        vec![
            passed(id, 0, Phase::Setup),
            with_properties(passed(id, 0, Phase::Call), &[("k", "1")]),
            with_properties(passed(id, 0, Phase::Teardown), &[("k", "1"), ("quote", "a\"<b>\u{1}")]),
        ],
    );
    let xml = xml(&events, junit_options());
    assert!(
        xml.contains(
            "<testcase classname=\"test_p\" name=\"test_prop\" time=\"0.000\"><properties>\
             <property name=\"k\" value=\"1\" /><property name=\"quote\" value=\"a&quot;&lt;b&gt;#x01\" />\
             </properties></testcase>"
        ),
        "{xml}"
    );
}

/// `record_testsuite_property` values are the suite's `<properties>`, before its test cases.
#[test]
fn testsuite_properties_come_before_the_test_cases() {
    let id = "test_p.py::test_prop";
    let mut events = run(id, 0, vec![passed(id, 0, Phase::Setup), passed(id, 0, Phase::Call)]);
    let properties = [("ARCH", "x86"), ("note", "a<b")].map(|(n, v)| (n.to_string(), v.to_string()));
    events.insert(events.len() - 1, Event::TestsuiteProperties(properties.to_vec()));
    let xml = xml(&events, junit_options());
    assert!(
        xml.contains(
            "hostname=\"vm\"><properties><property name=\"ARCH\" value=\"x86\" />\
             <property name=\"note\" value=\"a&lt;b\" /></properties><testcase "
        ),
        "{xml}"
    );
}

/// A failed call with a teardown error: pytest finalizes the first test case with the call
/// report's properties and the second with the teardown's.
#[test]
fn user_properties_follow_the_finalized_report() {
    let id = "test_p.py::test_x";
    let events = run(
        id,
        0,
        vec![
            passed(id, 0, Phase::Setup),
            with_properties(failed(id, 0, Phase::Call, "call text", "assert 0"), &[("a", "1")]),
            with_properties(failed(id, 0, Phase::Teardown, "td text", "boom"), &[("a", "1"), ("b", "2")]),
        ],
    );
    let xml = xml(&events, junit_options());
    assert!(xml.contains("<properties><property name=\"a\" value=\"1\" /></properties><failure"), "{xml}");
    assert!(
        xml.contains(
            "<properties><property name=\"a\" value=\"1\" /><property name=\"b\" value=\"2\" /></properties><error"
        ),
        "{xml}"
    );
}

/// xfailed phases are `pytest.xfail` skips without text; an xpass is a plain pass and a
/// strict xpass a failure whose message is its whole report.
#[test]
fn xfail_outcomes() {
    insta::assert_snapshot!(xml(&xfail_events(), junit_options()));
}
