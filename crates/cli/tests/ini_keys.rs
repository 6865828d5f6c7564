//! Ini keys no option registered, against pytest: under `strict_config` the usage error for
//! the first, which pytest writes to stderr (the differential suite compares stdout only).
//!
//! Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2 (tests/README.md).

mod common;

use std::fs;

use common::{ferrotest_command, pytest_command, run_in};

#[test]
fn strict_config_refuses_the_first_unknown_key_as_pytest_does() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("pytest.ini"), "[pytest]\nzeta_key = 1\nalpha_key = 2\n").unwrap();
    fs::write(root.join("test_a.py"), "def test_a():\n    pass\n").unwrap();
    for args in [&["--strict-config"][..], &["-o", "strict=true"], &["--co", "-q", "--strict-config"]] {
        let args: Vec<&str> = ["-p", "no:cacheprovider"].iter().chain(args).copied().collect();
        let [expected, actual] = [pytest_command(), ferrotest_command()].map(|command| run_in(command, root, &args));
        assert_eq!(expected.status.code(), Some(4), "{args:?}");
        assert_eq!(actual.status.code(), Some(4), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&actual.stderr), String::from_utf8_lossy(&expected.stderr), "{args:?}");
    }
}
