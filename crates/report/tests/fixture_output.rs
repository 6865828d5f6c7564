//! Golden tests of `--setup-show` / `--setup-only` and `--fixtures` output. Each snapshot was
//! compared with pytest 9.2's output for the project in the comment above its events
//! (durations normalised); keep them byte-identical.

mod common;

use common::*;
use ferrotest_events::{AvailableFixture, CollectError, Event, ExitCode, FixtureAction, Phase};
use ferrotest_report::TerminalOptions;

// test_g.py:
//
//     import pytest
//
//     @pytest.fixture(scope="session")
//     def database():
//         yield 1
//
//     @pytest.fixture(scope="module", params=[1, "two"])
//     def flavour(request):
//         return request.param
//
//     @pytest.fixture
//     def user(database):
//         return 2
//
//     def test_x(user, request):
//         pass
//
//     def test_y(flavour):
//         pass

fn action(scope: &str, name: &str, deps: &[&str], param: Option<&str>) -> FixtureAction {
    FixtureAction {
        scope: scope.to_string(),
        name: name.to_string(),
        deps: deps.iter().map(|d| d.to_string()).collect(),
        param: param.map(str::to_string),
    }
}

/// One test as the executor reports it under `--setup-show`: the setup phase's fixture
/// events, its report, the test line, the call (unless `--setup-only`), then teardown's.
fn shown_test(
    nodeid: &str,
    lineno: u32,
    setup: Vec<Event>,
    fixturenames: &[&str],
    teardown: Vec<Event>,
    call: bool,
) -> Vec<Event> {
    let mut events = vec![Event::TestStart { nodeid: nodeid.into(), location: location(nodeid, lineno) }];
    events.extend(setup);
    events.push(Event::TestReport(passed(nodeid, lineno, Phase::Setup)));
    events.push(Event::ShowTestItem {
        nodeid: nodeid.to_string(),
        fixturenames: fixturenames.iter().map(|n| n.to_string()).collect(),
    });
    if call {
        events.push(Event::TestReport(passed(nodeid, lineno, Phase::Call)));
    }
    events.extend(teardown);
    events.push(Event::TestReport(passed(nodeid, lineno, Phase::Teardown)));
    events.push(Event::TestFinish { nodeid: nodeid.into() });
    events
}

fn setup_show_events(call: bool) -> Vec<Event> {
    let mut events = vec![
        session_start("/tmp/gold", None, None),
        Event::CollectionFinish {
            collected: 3,
            errors: Vec::<CollectError>::new(),
            deselected: 0,
            items: vec![],
            report_lines: vec![],
        },
    ];
    events.extend(shown_test(
        "test_g.py::test_x",
        15,
        vec![
            Event::FixtureSetup(action("session", "database", &[], None)),
            Event::FixtureSetup(action("function", "user", &["database"], None)),
        ],
        &["database", "request", "user"],
        vec![Event::FixtureTeardown(action("function", "user", &[], None))],
        call,
    ));
    events.extend(shown_test(
        "test_g.py::test_y[1]",
        18,
        vec![Event::FixtureSetup(action("module", "flavour", &[], Some("1")))],
        &["flavour", "request"],
        vec![],
        call,
    ));
    events.extend(shown_test(
        "test_g.py::test_y[two]",
        18,
        vec![
            Event::FixtureTeardown(action("module", "flavour", &[], Some("1"))),
            Event::FixtureSetup(action("module", "flavour", &[], Some("'two'"))),
        ],
        &["flavour", "request"],
        vec![
            Event::FixtureTeardown(action("module", "flavour", &[], Some("'two'"))),
            Event::FixtureTeardown(action("session", "database", &[], None)),
        ],
        call,
    ));
    events.push(finish(ExitCode::Ok, 0.01, None));
    events
}

fn setup_show_options(verbosity: i32, setup_only: bool) -> TerminalOptions {
    TerminalOptions { setup_show: true, setup_only, ..options(verbosity) }
}

#[test]
fn setup_show() {
    insta::assert_snapshot!(render(&setup_show_events(true), setup_show_options(0, false)));
}

#[test]
fn setup_show_verbose() {
    insta::assert_snapshot!(render(&setup_show_events(true), setup_show_options(1, false)));
}

#[test]
fn setup_only_quiet() {
    insta::assert_snapshot!(render(&setup_show_events(false), setup_show_options(-1, true)));
}

// tests/conftest.py (and one builtin, to show that pytest's modules get no rule):
//
//     import pytest
//
//     @pytest.fixture(scope="session")
//     def database():
//         """A database.
//
//         Shown with -v."""
//
//     @pytest.fixture
//     def _private():
//         pass
//
// tests/test_h.py:
//
//     import pytest
//
//     @pytest.fixture
//     def token():
//         pass
//
//     def test_h(token):
//         pass

fn available(
    name: &str,
    baseid: &str,
    scope: &str,
    module: &str,
    location: &str,
    doc: Option<&str>,
) -> AvailableFixture {
    AvailableFixture {
        name: name.to_string(),
        baseid: baseid.to_string(),
        scope: scope.to_string(),
        module: module.to_string(),
        location: location.to_string(),
        doc: doc.map(str::to_string),
    }
}

fn listing_events() -> Vec<Event> {
    vec![
        session_start("/tmp/gold2", None, None),
        Event::CollectionFinish { collected: 1, errors: vec![], deselected: 0, items: vec![], report_lines: vec![] },
        Event::AvailableFixtures(vec![
            available(
                "tmp_path_factory",
                "",
                "session",
                "_pytest.tmpdir",
                ".../_pytest/tmpdir.py:313",
                Some("Return a :class:`pytest.TempPathFactory` instance for the test session."),
            ),
            available(
                "database",
                "tests",
                "session",
                "conftest",
                "tests/conftest.py:3",
                Some("A database.\n\nShown with -v."),
            ),
            available("_private", "tests", "function", "conftest", "tests/conftest.py:9", None),
            available("token", "tests/test_h.py", "function", "test_h", "tests/test_h.py:3", None),
        ]),
        finish(ExitCode::Ok, 0.01, None),
    ]
}

fn listing_options(verbosity: i32) -> TerminalOptions {
    TerminalOptions { show_fixtures: true, ..options(verbosity) }
}

#[test]
fn fixtures_listing() {
    insta::assert_snapshot!(render(&listing_events(), listing_options(0)));
}

#[test]
fn fixtures_listing_verbose() {
    insta::assert_snapshot!(render(&listing_events(), listing_options(1)));
}
