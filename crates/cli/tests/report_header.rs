//! A conftest's `pytest_report_header` lines, where pytest prints them in the session
//! header: compared with pytest's header on the same project (the differential suite runs
//! with `-q`, which has no header).
//!
//! Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2 (tests/README.md).

mod common;

use std::path::Path;
use std::process::Command;

use common::{ferrotest_command, pytest_command, run_in};

const CONFTEST: &str = "def pytest_report_header(config):\n    return [\"project: demo\", \"second line\"]\n";

/// The header lines after the version line and before `collected ...`.
fn header(command: Command, project: &Path) -> Vec<String> {
    let output = run_in(command, project, &["-p", "no:cacheprovider"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .skip_while(|line| !line.starts_with("platform "))
        .skip(1)
        .take_while(|line| !line.starts_with("collected"))
        .map(|line| line.replace(&*project.to_string_lossy(), "<ROOT>"))
        .collect()
}

#[test]
fn conftest_header_lines_sit_between_the_version_and_rootdir_lines() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    std::fs::write(root.join("conftest.py"), CONFTEST).unwrap();
    std::fs::write(root.join("pytest.ini"), "[pytest]\n").unwrap();
    std::fs::write(root.join("test_a.py"), "def test_a():\n    pass\n").unwrap();

    let expected = header(pytest_command(), &root);
    assert_eq!(expected, ["project: demo", "second line", "rootdir: <ROOT>", "configfile: pytest.ini"]);
    assert_eq!(header(ferrotest_command(), &root), expected);
}
