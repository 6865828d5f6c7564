//! `--lf`, `--ff` and `--sw` against pytest: the differential suite runs each case once, but
//! these options are about the *next* run. Each scenario runs pytest twice in one copy of a
//! small project and ferrotest twice in another, and compares the cache files after each run
//! and what the second run reports.
//!
//! Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2, as the differential suite does
//! (see tests/README.md).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ferrotest_command, pytest_command, run_in};

/// Two failures in two files; `test_fixed` passes once the file `fixed` exists, which the
/// scenarios create between the runs so that the second run sees a test recover.
const PROJECT: [(&str, &str); 2] = [
    (
        "test_a.py",
        "import os\n\n\ndef test_first():\n    pass\n\n\ndef test_fixed():\n    assert os.path.exists(\"fixed\")\n\n\ndef test_last():\n    pass\n",
    ),
    ("test_b.py", "def test_b():\n    pass\n\n\nclass TestC:\n    def test_c(self):\n        assert 0\n"),
];

/// What a user sees of one run, independent of timings and paths: the exit code, the
/// cache plugins' header lines, each test's outcome in order (`-v`), and `!!!` stop lines.
/// How to start a runner (see `common`).
type Runner = fn() -> Command;

fn run(runner: Runner, project: &Path, args: &[&str]) -> Vec<String> {
    let mut command = runner();
    command.arg("-v");
    let output = run_in(command, project, args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut seen = vec![format!("exit {:?}", output.status.code())];
    for line in stdout.lines() {
        let outcome = line.split_once(" [").map_or(line, |(head, _)| head).trim_end();
        let is_result = line.contains("::") && line.ends_with(']');
        let is_plugin = line.starts_with("run-last-failure:") || line.starts_with("stepwise:") || line.starts_with('!');
        if is_result {
            seen.push(outcome.to_string());
        } else if is_plugin {
            seen.push(without_cache_age(line));
        }
    }
    seen
}

/// `cache from 0:00:01 ago` depends on how long the first run took.
fn without_cache_age(line: &str) -> String {
    match (line.find("cache from "), line.find(" ago")) {
        (Some(start), Some(end)) if start < end => format!("{}<AGE>{}", &line[..start + 11], &line[end..]),
        _ => line.to_string(),
    }
}

/// The cache's value files, with stepwise's timestamp blanked.
fn cache_files(project: &Path) -> Vec<(String, String)> {
    let dir = project.join(".pytest_cache/v/cache");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable cache file");
            let text = text.lines().filter(|l| !l.contains("last_cache_date_str")).collect::<Vec<_>>().join("\n");
            (path.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    files.sort();
    files
}

fn project(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, content) in PROJECT {
        std::fs::write(dir.join(file), content).unwrap();
    }
    dir
}

/// Run `first`, fix `test_fixed`, run `second`, under both runners; they must agree.
fn scenario(first: &[&str], second: &[&str]) {
    let work = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    let runners: [(&str, Runner); 2] = [("pytest", pytest_command), ("ferrotest", ferrotest_command)];
    for (name, runner) in runners {
        let dir = project(work.path(), name);
        let first_run = run(runner, &dir, first);
        let after_first = cache_files(&dir);
        std::fs::write(dir.join("fixed"), "").unwrap();
        let second_run = run(runner, &dir, second);
        results.push((first_run, after_first, second_run, cache_files(&dir)));
    }
    let (expected, actual) = (&results[0], &results[1]);
    assert_eq!(actual.0, expected.0, "first run {first:?} (left ferrotest, right pytest)");
    assert_eq!(actual.1, expected.1, "cache after the first run {first:?}");
    assert_eq!(actual.2, expected.2, "second run {second:?}");
    assert_eq!(actual.3, expected.3, "cache after the second run {second:?}");
}

#[test]
fn last_failed_reruns_the_failures() {
    scenario(&[], &["--lf"]);
}

#[test]
fn failed_first_runs_the_failures_before_the_rest() {
    scenario(&[], &["--ff"]);
}

#[test]
fn stepwise_continues_from_the_failure() {
    scenario(&["--sw"], &["--sw"]);
}

#[test]
fn stepwise_skip_lets_one_failure_through() {
    scenario(&["--sw-skip"], &["--sw-skip"]);
}
