//! Plugins installed in the environment, against pytest: a distribution with a `pytest11`
//! entry point (written by hand into a directory on `PYTHONPATH`), loaded or not by
//! `PYTEST_DISABLE_PLUGIN_AUTOLOAD`, `--disable-plugin-autoload` and `PYTEST_PLUGINS`, shown
//! in the session header's `plugins:` line (which the differential suite's normaliser drops,
//! since it depends on what is installed); and the errors of `-p` for plugins that do not
//! exist or fail to import, which pytest writes to stderr.
//!
//! Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2 (tests/README.md).

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{ferrotest_command, pytest_command, run_in};

const PLUGIN: &str = r#"import pytest


def pytest_report_header(config):
    return "ferro-demo: loaded"


@pytest.fixture
def demo_value():
    return 42
"#;

const TEST: &str = "def test_demo(demo_value):\n    assert demo_value == 42\n";

/// A project, and beside it a `site` directory holding an installed plugin distribution.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let info = root.join("site/pytest_ferro_demo-1.0.dist-info");
    fs::create_dir_all(&info).unwrap();
    fs::write(info.join("METADATA"), "Metadata-Version: 2.1\nName: pytest-ferro-demo\nVersion: 1.0\n").unwrap();
    fs::write(info.join("entry_points.txt"), "[pytest11]\nferro_demo = ferro_demo_plugin\n").unwrap();
    fs::write(root.join("site/ferro_demo_plugin.py"), PLUGIN).unwrap();
    fs::write(root.join("site/broken_plugin.py"), "raise RuntimeError('broken on import')\n").unwrap();
    fs::create_dir(root.join("project")).unwrap();
    fs::write(root.join("project/test_demo.py"), TEST).unwrap();
    dir
}

/// Run in `<dir>/project` with `<dir>/site` on `PYTHONPATH` and the environment `env`.
fn run(mut command: Command, dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    command.env("PYTHONPATH", dir.join("site")).env_remove("PYTEST_PLUGINS");
    command.env_remove("PYTEST_DISABLE_PLUGIN_AUTOLOAD");
    for (name, value) in env {
        command.env(name, value);
    }
    let args: Vec<&str> = ["-p", "no:cacheprovider"].iter().chain(args).copied().collect();
    run_in(command, &dir.join("project"), &args)
}

/// The header lines after the version line, the outcome line, and the exit code.
fn summary(output: &Output, dir: &Path) -> (Vec<String>, String, Option<i32>) {
    let stdout = String::from_utf8_lossy(&output.stdout).replace(&*dir.to_string_lossy(), "<DIR>");
    let header = stdout
        .lines()
        .skip_while(|line| !line.starts_with("platform "))
        .skip(1)
        .take_while(|line| !line.starts_with("collected"))
        .map(str::to_string)
        .collect();
    let last = stdout.lines().last().unwrap_or_default();
    let outcome = last.trim_matches('=').trim().split(" in ").next().unwrap_or_default().to_string();
    (header, outcome, output.status.code())
}

fn both(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> [(Vec<String>, String, Option<i32>); 2] {
    [pytest_command(), ferrotest_command()].map(|command| summary(&run(command, dir, env, args), dir))
}

#[test]
fn an_installed_plugin_loads_and_shows_in_the_header() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let [expected, actual] = both(&root, &[], &[]);
    assert_eq!(
        expected,
        (
            vec!["ferro-demo: loaded".into(), "rootdir: <DIR>/project".into(), "plugins: ferro-demo-1.0".into()],
            "1 passed".into(),
            Some(0)
        )
    );
    assert_eq!(actual, expected);
}

#[test]
fn autoload_can_be_disabled_and_plugins_named_in_the_environment() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let disabled = [("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")];
    let [expected, actual] = both(&root, &disabled, &[]);
    assert_eq!(expected.1, "1 error");
    assert_eq!(actual, expected);

    let [expected, actual] = both(&root, &[], &["--disable-plugin-autoload"]);
    assert_eq!(expected.1, "1 error");
    assert_eq!(actual, expected);

    let named = [("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1"), ("PYTEST_PLUGINS", "ferro_demo")];
    let [expected, actual] = both(&root, &named, &[]);
    assert_eq!(expected.1, "1 passed");
    assert!(expected.0.contains(&"plugins: ferro-demo-1.0".to_string()));
    assert_eq!(actual, expected);
}

#[test]
fn p_errors_are_pytests() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    for (args, code) in [(["-p", "ferro_nowhere"], 4), (["-p", "broken_plugin"], 3), (["-p", "no:runner"], 4)] {
        let [expected, actual] = [pytest_command(), ferrotest_command()].map(|command| run(command, &root, &[], &args));
        assert_eq!(expected.status.code(), Some(code), "{args:?}");
        assert_eq!(actual.status.code(), Some(code), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&actual.stderr), String::from_utf8_lossy(&expected.stderr), "{args:?}");
    }
}

#[test]
fn plugins_a_conftest_names_fail_as_pytests() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    for (plugins, code) in [("['ferro_nowhere']", 4), ("'broken_plugin'", 3), ("1", 4)] {
        fs::write(root.join("project/conftest.py"), format!("pytest_plugins = {plugins}\n")).unwrap();
        let disabled = [("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")];
        let [expected, actual] =
            [pytest_command(), ferrotest_command()].map(|command| run(command, &root, &disabled, &[]));
        assert_eq!(expected.status.code(), Some(code), "{plugins}");
        assert_eq!(actual.status.code(), Some(code), "{plugins}");
        assert_eq!(String::from_utf8_lossy(&actual.stderr), String::from_utf8_lossy(&expected.stderr), "{plugins}");
    }
}

#[test]
fn hooks_ferrotest_never_calls_are_reported() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    fs::write(root.join("site/protocol_plugin.py"), "def pytest_runtest_protocol(item, nextitem):\n    pass\n")
        .unwrap();
    let output = run(ferrotest_command(), &root, &[], &["-p", "protocol_plugin"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "ferrotest: warning: plugin 'protocol_plugin' implements hooks ferrotest does not call: \
         pytest_runtest_protocol; what they do under pytest is missing from this run\n"
    );
}

#[test]
fn a_conftests_hooks_ferrotest_never_calls_are_reported() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let conftest = root.join("project/conftest.py");
    let hooks = "def pytest_report_teststatus(report, config):\n    pass\n\n\
                 def pytest_runtest_makereport(item, call):\n    pass\n";
    fs::write(&conftest, hooks).unwrap();
    let output = run(ferrotest_command(), &root, &[], &[]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "ferrotest: warning: conftest '{}' implements hooks ferrotest does not call: \
             pytest_report_teststatus; what they do under pytest is missing from this run\n",
            conftest.display()
        )
    );
}

#[test]
fn required_plugins_must_be_loaded_entry_points() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let ini = "[pytest]\nrequired_plugins = pytest-ferro-demo>=1.0 pytest-ferro-demo<1.0 not-installed ==bad\n";
    fs::write(root.join("project/pytest.ini"), ini).unwrap();
    let [expected, actual] = [pytest_command(), ferrotest_command()].map(|command| run(command, &root, &[], &[]));
    assert_eq!(expected.status.code(), Some(4));
    assert_eq!(actual.status.code(), expected.status.code());
    assert_eq!(String::from_utf8_lossy(&actual.stderr), String::from_utf8_lossy(&expected.stderr));
}
