//! Differential end-to-end test: every project under `cases/` is run by pytest (the oracle)
//! and by ferrotest, and the two must agree on what a user can see (see README.md):
//! 1. a full run: the exit code, and the (classname, name, outcome) list of `--junitxml`;
//! 2. `--collect-only -q`: the exit code, and stdout byte for byte once normalised
//!    (timings and the project's tempdir path, see `ferrotest_e2e::normalise`);
//! 3. for each line of the case's `outputs.txt`, a run with those arguments: the exit code
//!    and the whole stdout, normalised the same way.
//!
//! Every runner invocation gets its own fresh copy of the case, so nothing is written to the
//! repository and no run sees another's caches.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs, io, thread};

use ferrotest_e2e::normalise;
use libtest_mimic::{Arguments, Failed, Trial};
use quick_xml::events::{BytesStart, Event};

/// A hung runner must fail its trial rather than stall the whole suite.
const TIMEOUT: Duration = Duration::from_secs(120);

/// One example project: `cases/<name>/`, run with the arguments listed in its `args.txt`.
/// Files named in its `compare_files.txt` (say, a log the fixtures append their setup and
/// teardown to) must come out of the full run identical under both runners. Each line of its
/// `outputs.txt` is one more invocation (whitespace-separated arguments, after `args.txt`'s)
/// whose whole stdout must be the same once normalised: golden output with pytest as the gold.
/// A `requirements.txt` (pinned plugins) runs both in that list's own venv (see `venv.sh`).
struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    compare_files: Vec<String>,
    outputs: Vec<Vec<String>>,
    venv: Option<PathBuf>,
}

impl Case {
    /// The runners in the case's own venv, when it has one: its python runs pytest, and
    /// ferrotest finds it through `VIRTUAL_ENV`.
    fn runners(&self, pytest: &Runner, ferrotest: &Runner) -> Result<(Runner, Runner), Failed> {
        let Some(venv) = &self.venv else { return Ok((pytest.clone(), ferrotest.clone())) };
        let python = venv.join("bin/python");
        if !python.is_file() {
            return Err(format!(
                "case {} needs the venv {} for its requirements.txt: make it with \
                 `source tests/venv.sh && setup_test_venv`",
                self.name,
                venv.display()
            )
            .into());
        }
        let in_venv = |runner: &Runner| Runner { virtual_env: Some(venv.clone()), ..runner.clone() };
        Ok((Runner { program: python.clone(), ..in_venv(pytest) }, in_venv(ferrotest)))
    }
}

/// How to start one runner: `program prefix... <harness args> <case args>`, with
/// `VIRTUAL_ENV` set to `virtual_env` when there is one, and `env` on top.
#[derive(Clone)]
struct Runner {
    name: &'static str,
    program: PathBuf,
    prefix: Vec<String>,
    virtual_env: Option<PathBuf>,
    env: Vec<(&'static str, PathBuf)>,
}

impl Runner {
    /// ferrotest running the session in its own process.
    fn in_process(&self) -> Runner {
        Runner { env: vec![("FERROTEST_SERVER", "off".into())], ..self.clone() }
    }

    /// ferrotest handing the session to a fork server (started on first use, one per venv,
    /// its socket beside the binary; it exits a minute after the suite's last run).
    fn served(&self) -> Runner {
        let servers = self.program.parent().unwrap_or(Path::new(".")).join("forkservers");
        Runner {
            name: "ferrotest-served",
            env: vec![
                ("FERROTEST_SERVER", "always".into()),
                ("FERROTEST_SERVER_DIR", servers),
                ("FERROTEST_SERVER_IDLE", "60".into()),
            ],
            ..self.clone()
        }
    }
}

/// What one invocation produced, and the project copy it ran in.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    root: PathBuf,
}

/// (classname, name, outcome) of one `<testcase>`; the outcome is `passed`, or the names of
/// its `failure` / `error` / `skipped` children joined by `+`.
type Outcome = (String, String, String);

fn main() {
    let args = Arguments::from_args();
    // A missing runner fails every trial with the same clear message, while `--list` still works.
    let runners = locate_pytest().and_then(|pytest| Ok((pytest, locate_ferrotest()?)));
    let trials = cases()
        .into_iter()
        .map(|case| {
            let runners = runners.clone();
            Trial::test(case.name.clone(), move || {
                let (pytest, ferrotest) = runners?;
                check(&case, &pytest, &ferrotest)
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn locate_pytest() -> Result<Runner, String> {
    let venv = env::var_os("VIRTUAL_ENV").ok_or(
        "VIRTUAL_ENV is not set, so there is no pytest to compare with: run `bash tests/run.sh` \
         (it creates target/test-venv with pytest and runs everything), or point VIRTUAL_ENV at \
         a venv that has pytest, e.g. VIRTUAL_ENV=$PWD/target/test-venv after one tests/run.sh",
    )?;
    let python = Path::new(&venv).join("bin/python");
    let version = Command::new(&python).args(["-m", "pytest", "--version"]).output();
    if !version.is_ok_and(|out| out.status.success()) {
        return Err(format!(
            "`{} -m pytest --version` failed: install pytest in $VIRTUAL_ENV (bash tests/run.sh does)",
            python.display()
        ));
    }
    Ok(Runner {
        name: "pytest",
        program: python,
        prefix: vec!["-m".into(), "pytest".into()],
        virtual_env: None,
        env: Vec::new(),
    })
}

fn locate_ferrotest() -> Result<Runner, String> {
    let program = match env::var_os("FERROTEST_BIN") {
        Some(path) => PathBuf::from(path),
        // This test runs as target/<profile>/deps/differential-<hash>; the binary is target/<profile>/ferrotest.
        None => {
            let exe = env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
            exe.parent().and_then(Path::parent).unwrap_or(Path::new(".")).join("ferrotest")
        }
    };
    if !program.is_file() {
        return Err(format!(
            "no ferrotest binary at {}: build it first: cargo build -p ferrotest-cli \
             (or point FERROTEST_BIN at one)",
            program.display()
        ));
    }
    Ok(Runner { name: "ferrotest", program, prefix: Vec::new(), virtual_env: None, env: Vec::new() })
}

/// Every directory under `cases/`, in name order.
fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut cases: Vec<Case> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|entry| entry.expect("readable cases/ entry").path())
        .filter(|dir| dir.is_dir())
        .map(|dir| Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            args: lines_of(&dir.join("args.txt")),
            compare_files: lines_of(&dir.join("compare_files.txt")),
            outputs: lines_of(&dir.join("outputs.txt"))
                .iter()
                .map(|line| line.split_whitespace().map(str::to_owned).collect())
                .collect(),
            venv: case_venv(&dir.join("requirements.txt")),
            dir,
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The venv of a case's `requirements.txt`, if it has one: `target/test-venvs/<key>`, the key
/// being its pins without comments and blanks, sorted and joined by `+` (as `venv.sh` names it).
fn case_venv(requirements: &Path) -> Option<PathBuf> {
    let text = fs::read_to_string(requirements).ok()?;
    let mut pins: Vec<String> = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().split_whitespace().collect::<String>())
        .filter(|pin| !pin.is_empty())
        .collect();
    pins.sort();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-venvs");
    Some(target.join(pins.join("+")))
}

/// The non-empty lines of an optional list file.
fn lines_of(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines().filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

/// Each of the case's `compare_files` as both runners left it in their copies.
fn compare_written_files(case: &Case, expected: &Run, actual: &Run, problems: &mut Labelled) {
    for file in &case.compare_files {
        let read = |run: &Run| fs::read_to_string(run.root.join(file)).unwrap_or_else(|e| format!("<unreadable: {e}>"));
        let (expected_text, actual_text) = (read(expected), read(actual));
        if expected_text != actual_text {
            problems.push(compare(&format!("{file} written by the run"), &expected_text, &actual_text));
        }
    }
}

fn check(case: &Case, pytest: &Runner, ferrotest: &Runner) -> Result<(), Failed> {
    let (pytest, ferrotest) = case.runners(pytest, ferrotest)?;
    // Every invocation twice: in-process, and forked from a warm server (see `served`).
    let ferrotests = [ferrotest.in_process(), ferrotest.served()];
    let tmp = tempfile::Builder::new().prefix("ferrotest-e2e-").tempdir()?;
    // Canonical, so the path the runners report is the one the normaliser replaces.
    let work = tmp.path().canonicalize()?;
    let mut problems = Vec::new();

    let report = |runner: &Runner| work.join(format!("{}-report.xml", runner.name));
    let full_run = |runner: &Runner| {
        let junit = format!("--junitxml={}", report(runner).display());
        run_runner(runner, case, &work, "run", &[junit])
    };
    let expected = full_run(&pytest)?;
    let expected_outcomes = read_junit(&report(&pytest))
        .map_err(|e| format!("pytest wrote no usable JUnit XML ({e}); its output:\n{}", both_streams(&expected)))?;
    for ferrotest in &ferrotests {
        let actual = full_run(ferrotest)?;
        let mut problems = Labelled { runner: ferrotest.name, problems: &mut problems };
        compare_status("full run", &expected, &actual, &mut problems);
        compare_written_files(case, &expected, &actual, &mut problems);
        match read_junit(&report(ferrotest)) {
            Ok(outcomes) if outcomes == expected_outcomes => {}
            Ok(outcomes) => problems.push(compare(
                "JUnit XML (classname, name, outcome)",
                &outcome_lines(&expected_outcomes),
                &outcome_lines(&outcomes),
            )),
            Err(e) => problems.push(format!(
                "no usable JUnit XML at {}: {e}\n{}",
                report(ferrotest).display(),
                both_streams(&actual)
            )),
        }
    }

    let collect_only = ["--collect-only".to_string(), "-q".to_string()];
    let invocations = std::iter::once(("collect".to_string(), &collect_only[..]))
        .chain(case.outputs.iter().enumerate().map(|(index, args)| (format!("output{index}"), &args[..])));
    for (step, args) in invocations {
        let expected = run_runner(&pytest, case, &work, &step, args)?;
        for ferrotest in &ferrotests {
            let actual = run_runner(ferrotest, case, &work, &step, args)?;
            let mut problems = Labelled { runner: ferrotest.name, problems: &mut problems };
            let what = format!("`{}`", args.join(" "));
            compare_status(&what, &expected, &actual, &mut problems);
            let (expected_out, actual_out) =
                (normalise::output(&expected.stdout, &expected.root), normalise::output(&actual.stdout, &actual.root));
            if expected_out != actual_out {
                problems.push(compare(&format!("{what}: stdout (normalised)"), &expected_out, &actual_out));
            }
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("case {} (args: {:?}) disagrees with pytest:\n\n{}", case.name, case.args, problems.join("\n\n"))
            .into())
    }
}

/// Problems found with one runner, each named after it.
struct Labelled<'a> {
    runner: &'static str,
    problems: &'a mut Vec<String>,
}

impl Labelled<'_> {
    fn push(&mut self, problem: String) {
        self.problems.push(format!("[{}] {problem}", self.runner));
    }
}

/// Runs `runner` with `args` and then the case's own arguments, in a fresh copy of the case
/// at `<work>/<step>-<runner>`.
fn run_runner(runner: &Runner, case: &Case, work: &Path, step: &str, args: &[String]) -> Result<Run, Failed> {
    let root = work.join(format!("{step}-{}", runner.name));
    copy_dir(&case.dir, &root)?;
    let mut command = Command::new(&runner.program);
    if let Some(venv) = &runner.virtual_env {
        command.env("VIRTUAL_ENV", venv);
    }
    let mut child = command
        .args(&runner.prefix)
        .args(args)
        .args(&case.args)
        .current_dir(&root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("COLUMNS", "80")
        .env_remove("PYTEST_ADDOPTS")
        .envs(runner.env.iter().cloned())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", runner.program.display()))?;
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            child.kill()?;
            child.wait()?;
            return Err(format!("{} ({step}) did not finish within {TIMEOUT:?}", runner.name).into());
        }
        thread::sleep(Duration::from_millis(20));
    };
    let stdout = stdout.join().expect("stdout reader")?;
    let stderr = stderr.join().expect("stderr reader")?;
    Ok(Run { status, stdout, stderr, root })
}

/// Reads a pipe to its end on a thread, so a chatty runner cannot block on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<io::Result<String>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    })
}

/// Copies a case, leaving out caches a developer's own pytest run may have left in it.
fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "__pycache__" || name == ".pytest_cache" {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &to.join(name))?;
        } else {
            fs::copy(entry.path(), to.join(name))?;
        }
    }
    Ok(())
}

fn read_junit(path: &Path) -> Result<Vec<Outcome>, String> {
    parse_junit(&fs::read_to_string(path).map_err(|e| e.to_string())?)
}

/// The `<testcase>` elements of a JUnit XML report, in document order. Each test case's
/// `<property>` children join its outcome as `[name=value]`; the suite's own properties
/// (`record_testsuite_property`) come first, as a `<testsuite> :: properties` entry.
fn parse_junit(xml: &str) -> Result<Vec<Outcome>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut outcomes = Vec::new();
    let mut suite_properties = Vec::new();
    let mut open: Option<(String, String, Vec<String>)> = None;
    loop {
        let event = reader.read_event().map_err(|e| format!("invalid XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) if e.name().as_ref() == b"testcase" => {
                open = Some((attr(&e, "classname")?, attr(&e, "name")?, Vec::new()))
            }
            Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                outcomes.push((attr(&e, "classname")?, attr(&e, "name")?, "passed".to_owned()))
            }
            Event::Start(e) | Event::Empty(e) if matches!(e.name().as_ref(), b"failure" | b"error" | b"skipped") => {
                if let Some((_, _, kinds)) = &mut open {
                    kinds.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                }
            }
            Event::Empty(e) if e.name().as_ref() == b"property" => {
                let property = format!("[{}={}]", attr(&e, "name")?, attr(&e, "value")?);
                match &mut open {
                    Some((_, _, parts)) => parts.push(property),
                    None => suite_properties.push(property),
                }
            }
            Event::End(e) if e.name().as_ref() == b"testcase" => {
                let (classname, name, parts) = open.take().ok_or("</testcase> without <testcase>")?;
                let (properties, kinds): (Vec<String>, Vec<String>) =
                    parts.into_iter().partition(|part| part.starts_with('['));
                let outcome = if kinds.is_empty() { "passed".to_owned() } else { kinds.join("+") };
                outcomes.push((classname, name, [outcome].into_iter().chain(properties).collect::<Vec<_>>().join(" ")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !suite_properties.is_empty() {
        outcomes.insert(0, ("<testsuite>".to_owned(), "properties".to_owned(), suite_properties.join(" ")));
    }
    Ok(outcomes)
}

/// An attribute of a `<testcase>`, empty when missing: pytest names no test case for a test
/// whose call `pytest.exit()` ended (it only has a `time`).
fn attr(element: &BytesStart, name: &str) -> Result<String, String> {
    let attribute = element.try_get_attribute(name).map_err(|e| e.to_string())?;
    let Some(attribute) = attribute else { return Ok(String::new()) };
    Ok(attribute.unescape_value().map_err(|e| e.to_string())?.into_owned())
}

fn outcome_lines(outcomes: &[Outcome]) -> String {
    outcomes.iter().map(|(classname, name, outcome)| format!("{classname} :: {name} -> {outcome}\n")).collect()
}

fn compare_status(step: &str, expected: &Run, actual: &Run, problems: &mut Labelled) {
    if expected.status.code() != actual.status.code() {
        problems.push(format!(
            "{step}: pytest {}, ferrotest {}\n--- pytest output\n{}\n--- ferrotest output\n{}",
            expected.status,
            actual.status,
            both_streams(expected),
            both_streams(actual)
        ));
    }
}

fn both_streams(run: &Run) -> String {
    format!("[stdout]\n{}[stderr]\n{}", run.stdout, run.stderr)
}

/// A unified diff of pytest's text (`-`) against ferrotest's (`+`), titled `what`.
fn compare(what: &str, expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    format!("{what} differs:\n{}", diff.unified_diff().context_radius(5).header("pytest", "ferrotest"))
}
