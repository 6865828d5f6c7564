//! `--setup-show`, `--setup-plan` and `--fixtures` against pytest: the differential suite
//! compares outcomes and exit codes only, so these run both on one small project and compare
//! what they print about fixtures, line by line.
//!
//! Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2, as the differential suite does
//! (see tests/README.md).

mod common;

use std::path::Path;
use std::process::Command;

use common::{ferrotest_command, pytest_command, run_in};

const PROJECT: [(&str, &str); 2] = [
    (
        "tests/conftest.py",
        r#"import pytest


@pytest.fixture(scope="session")
def database():
    """The session's database.

    Shared by every test."""
    yield {"users": []}


@pytest.fixture(scope="module", params=[1, "two"])
def flavour(request):
    return request.param
"#,
    ),
    (
        "tests/test_app.py",
        r#"import pytest


@pytest.fixture
def user(database):
    """A user in the database."""
    database["users"].append("u")
    yield "u"
    database["users"].remove("u")


@pytest.fixture(params=[1, 2], ids=["one", "two"])
def num(request):
    return request.param


@pytest.fixture(scope="class")
def shelf():
    return []


@pytest.fixture
def _helper():
    pass


def setup_module(module):
    pass


def test_user(user, request):
    assert user == "u"


def test_flavour(num, flavour):
    pass


@pytest.mark.parametrize("value", [3, "x" * 60])
def test_direct(value, database):
    pass


class TestShelf:
    def test_empty(self, shelf, _helper):
        assert shelf == []
"#,
    ),
];

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in PROJECT {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// The exit code and stdout of one run in `project`.
fn run(mut command: Command, project: &Path, args: &[&str]) -> (Option<i32>, String) {
    command.args(["-p", "no:cacheprovider"]);
    let output = run_in(command, project, args);
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The lines from the first that `start` matches to the end, the final summary's duration
/// (` in 0.01s`, the only part that may differ) cut off.
fn section(stdout: &str, start: impl Fn(&str) -> bool) -> Vec<String> {
    let lines: Vec<&str> = stdout.lines().collect();
    let first = lines.iter().position(|line| start(line)).unwrap_or(lines.len());
    let mut section: Vec<String> = lines[first..].iter().map(|line| line.to_string()).collect();
    if let Some(summary) = section.last_mut() {
        if let Some((head, _)) = summary.rsplit_once(" in ") {
            *summary = head.to_string();
        }
    }
    section
}

fn assert_same(args: &[&str], start: impl Fn(&str) -> bool + Copy) {
    let (pytest_dir, ferrotest_dir) = (project(), project());
    let (pytest_code, pytest_out) = run(pytest_command(), pytest_dir.path(), args);
    let (ferrotest_code, ferrotest_out) = run(ferrotest_command(), ferrotest_dir.path(), args);
    assert_eq!(
        section(&ferrotest_out, start),
        section(&pytest_out, start),
        "pytest printed:\n{pytest_out}\nferrotest printed:\n{ferrotest_out}"
    );
    assert_eq!(ferrotest_code, pytest_code);
}

fn after_collection(line: &str) -> bool {
    line.starts_with("collected ") || line.starts_with("collecting ... ")
}

#[test]
fn setup_show_matches_pytest() {
    assert_same(&["--setup-show"], after_collection);
}

#[test]
fn setup_show_verbose_matches_pytest() {
    assert_same(&["--setup-show", "-v"], after_collection);
}

#[test]
fn setup_plan_matches_pytest() {
    assert_same(&["--setup-plan"], after_collection);
}

#[test]
fn setup_only_quiet_matches_pytest() {
    assert_same(&["--setup-only", "-q"], |_| true);
}

/// The user's fixtures; the builtins above them stand in for pytest's (see builtins.py).
#[test]
fn fixtures_listing_matches_pytest() {
    assert_same(&["--fixtures"], |line| line.contains("fixtures defined from"));
}

#[test]
fn fixtures_listing_verbose_matches_pytest() {
    assert_same(&["--fixtures", "-v"], |line| line.contains("fixtures defined from"));
}
