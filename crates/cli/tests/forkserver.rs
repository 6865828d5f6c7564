//! The warm fork server, against ferrotest's own in-process runs: a served run sees the
//! client's environment, working directory, umask and argv in the user's interpreter; Ctrl-C
//! reaches it; a crash kills the client with the same signal, and a killed client its run; a
//! server whose `sys.path` changed gives way to a new one; `auto` starts one for the next
//! run; `off` starts none. (The differential suite runs every case through a server as well.)
//!
//! Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2 (tests/README.md).

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Writes what a run can observe of its process, and the pid of the server that forked it.
const STATE_TEST: &str = r#"import json, os, pathlib, sys

def test_state():
    state = {
        "cwd": os.getcwd(), "umask": os.umask(0o022), "argv": sys.argv[1:], "env": os.environ.get("CLIENT_VAR"),
        "version": sys.version, "prefix": sys.prefix, "path": sys.path, "executable": sys.executable,
    }
    with open("state.json", "w") as f:
        json.dump(state, f)
    parent = os.getppid()
    served = b"--ferrotest-fork-server" in pathlib.Path(f"/proc/{parent}/cmdline").read_bytes()
    pathlib.Path("server.pid").write_text(str(parent) if served else "")
"#;

const SIGNAL_TEST: &str = r#"import ctypes, os, pathlib, time

def test_waits():
    # Renamed into place: the test reads the pid as soon as the file exists.
    pathlib.Path("started.tmp").write_text(str(os.getpid()))
    os.replace("started.tmp", "started")
    time.sleep(60)

def test_crashes():
    ctypes.string_at(0)
"#;

/// A project holding `test_file`, with its own server directory and a `site` directory on
/// `PYTHONPATH`, so its server is its own (the key includes `PYTHONPATH`).
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(test_file: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["project", "site", "servers"] {
            fs::create_dir(dir.path().join(sub)).unwrap();
        }
        fs::write(dir.path().join("project/test_it.py"), test_file).unwrap();
        Project { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn command(&self, mode: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ferrotest"));
        command
            .args(["-q", "-p", "no:cacheprovider"])
            .args(args)
            .current_dir(self.root())
            .env("FERROTEST_SERVER", mode)
            .env("FERROTEST_SERVER_DIR", self.dir.path().join("servers"))
            .env("FERROTEST_SERVER_IDLE", "20")
            .env("PYTHONPATH", self.dir.path().join("site"))
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env_remove("PYTEST_ADDOPTS");
        command
    }

    fn run(&self, mode: &str, args: &[&str]) -> Output {
        self.command(mode, args).output().expect("ferrotest starts")
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.root().join(name)).unwrap()
    }

    fn sockets(&self) -> usize {
        let entries = fs::read_dir(self.dir.path().join("servers")).unwrap();
        entries.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "sock")).count()
    }
}

impl Drop for Project {
    /// Servers the test started stop with it rather than idling on.
    fn drop(&mut self) {
        match fs::read_to_string(self.root().join("server.pid")) {
            Ok(pid) if !pid.is_empty() => drop(Command::new("kill").arg(pid).status()),
            _ => {}
        }
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_served_run_has_the_clients_state_in_the_users_interpreter() {
    let project = Project::new(STATE_TEST);
    let in_umask = |mode: &str| {
        let command = project.command(mode, &["test_it.py"]);
        let line = format!("umask 027 && exec {:?} \"$@\"", command.get_program());
        let mut shell = Command::new("sh");
        shell.args(["-c", &line, "sh"]).args(command.get_args()).current_dir(project.root());
        for (name, value) in command.get_envs() {
            match value {
                Some(value) => shell.env(name, value),
                None => shell.env_remove(name),
            };
        }
        let output = shell.env("CLIENT_VAR", format!("from {mode}")).output().unwrap();
        assert!(output.status.success(), "{}", stdout(&output));
        project.read("state.json").replace(&format!("from {mode}"), "from client")
    };
    let in_process = in_umask("off");
    let served = in_umask("always");
    assert_eq!(served, in_process);
    assert!(served.contains(r#""umask": 23"#), "{served}");
    assert!(served.contains(r#""argv": ["-q", "-p", "no:cacheprovider", "test_it.py"]"#), "{served}");
    let venv = std::env::var("VIRTUAL_ENV").expect("VIRTUAL_ENV names the venv with pytest (tests/README.md)");
    assert!(served.contains(&format!(r#""prefix": "{venv}""#)), "{served}");
}

#[test]
fn without_a_venv_only_the_client_asks_python3_which_interpreter() {
    let project = Project::new(STATE_TEST);
    // `python3` on PATH logs each call, then is the venv's interpreter (as a pyenv shim
    // would be a Python's: slow, so a served run must not ask it twice).
    let venv = std::env::var("VIRTUAL_ENV").expect("VIRTUAL_ENV names the venv with pytest (tests/README.md)");
    let bin = project.dir.path().join("bin");
    let calls = project.dir.path().join("python3-calls");
    fs::create_dir(&bin).unwrap();
    let script = format!("#!/bin/sh\necho called >> {calls:?}\nexec {venv:?}/bin/python \"$@\"\n");
    fs::write(bin.join("python3"), script).unwrap();
    fs::set_permissions(bin.join("python3"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path =
        std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())));
    let run = || {
        let mut command = project.command("always", &["test_it.py"]);
        let output = command.env_remove("VIRTUAL_ENV").env("PATH", path.as_ref().unwrap()).output().unwrap();
        assert!(output.status.success(), "{}", stdout(&output));
        fs::read_to_string(&calls).unwrap().lines().count()
    };
    let first = run();
    assert!(!project.read("server.pid").is_empty(), "the run was not served");
    assert_eq!(run() - first, 1, "python3 was asked again by the served run");
}

#[test]
fn ctrl_c_reaches_a_served_run_as_it_reaches_an_in_process_one() {
    let project = Project::new(SIGNAL_TEST);
    project.run("always", &["--collect-only"]);
    let interrupted = |mode: &str| {
        let _ = fs::remove_file(project.root().join("started"));
        let child = project.command(mode, &["-k", "waits"]).stdout(Stdio::piped()).spawn().unwrap();
        wait_for(&project.root().join("started"));
        Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        let output = child.wait_with_output().unwrap();
        let text = stdout(&output);
        assert!(text.contains("KeyboardInterrupt"), "{text}");
        (output.status.code(), text.lines().filter(|l| !l.contains(" in ")).map(str::to_owned).collect::<Vec<_>>())
    };
    let in_process = interrupted("off");
    assert_eq!(in_process.0, Some(2));
    assert_eq!(interrupted("always"), in_process);
}

#[test]
fn auto_runs_in_process_and_starts_a_server_for_the_next_run() {
    let project = Project::new(STATE_TEST);
    assert!(project.run("auto", &[]).status.success());
    assert_eq!(project.read("server.pid"), "", "the first run was served");
    let deadline = Instant::now() + Duration::from_secs(30);
    while project.sockets() == 0 {
        assert!(Instant::now() < deadline, "auto started no server");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(project.run("auto", &[]).status.success());
    assert_ne!(project.read("server.pid"), "", "the run after was not served");
}

#[test]
fn a_served_run_dies_with_its_client() {
    let project = Project::new(SIGNAL_TEST);
    let mut client = project.command("always", &["-k", "waits"]).stdout(Stdio::null()).spawn().unwrap();
    wait_for(&project.root().join("started"));
    let run = project.read("started");
    client.kill().unwrap();
    client.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Path::new(&format!("/proc/{run}")).exists() {
        assert!(Instant::now() < deadline, "the served run {run} outlived its killed client");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_crash_in_a_served_run_ends_the_client_by_the_same_signal() {
    let project = Project::new(SIGNAL_TEST);
    for mode in ["off", "always"] {
        let output = project.run(mode, &["-k", "crashes"]);
        assert_eq!(output.status.signal(), Some(11), "{mode}: {:?}", output.status);
    }
}

#[test]
fn a_server_whose_sys_path_changed_gives_way_and_off_starts_none() {
    let project = Project::new(STATE_TEST);
    project.run("off", &[]);
    assert_eq!(project.sockets(), 0, "FERROTEST_SERVER=off started a server");
    let server_of_a_run = || {
        let output = project.run("always", &[]);
        assert!(output.status.success(), "{}{}", stdout(&output), String::from_utf8_lossy(&output.stderr));
        let pid = project.read("server.pid");
        assert!(!pid.is_empty(), "the run was not served");
        pid
    };
    let first = server_of_a_run();
    assert_eq!(server_of_a_run(), first, "a second run is served by the same server");
    // A distribution installed into a directory of sys.path changes its modification time.
    fs::write(project.dir.path().join("site/new_module.py"), "").unwrap();
    let later = fs::File::open(project.dir.path().join("site")).unwrap();
    later.set_modified(std::time::SystemTime::now() + Duration::from_secs(5)).unwrap();
    let second = server_of_a_run();
    assert_ne!(second, first, "a stale server served the run");
    let _ = Command::new("kill").arg(&first).status();
    assert_eq!(project.sockets(), 1);
}

#[test]
fn old_temporary_directories_are_removed_in_process_and_after_a_served_run() {
    // Several tests, so that spare directories are made for them (and must not be left).
    let test = |name| format!("def test_{name}(tmp_path):\n    (tmp_path / 'f.txt').write_text('x')\n");
    let project = Project::new(&["a", "b", "c"].map(test).concat());
    let temproot = project.dir.path().join("temproot");
    fs::create_dir(&temproot).unwrap();
    let run = |mode: &str| {
        let mut command = project.command(mode, &["-o", "tmp_path_retention_count=1"]);
        let output = command.env("PYTEST_DEBUG_TEMPROOT", &temproot).output().unwrap();
        assert!(output.status.success(), "{}", stdout(&output));
    };
    let user_dir = || fs::read_dir(&temproot).unwrap().next().unwrap().unwrap().path();
    let entries = || sorted_names(&user_dir());
    run("off");
    run("off");
    assert_eq!(entries(), ["pytest-1", "pytest-current"]);
    let session = sorted_names(&user_dir().join("pytest-1"));
    assert_eq!(session, ["test_a0", "test_acurrent", "test_b0", "test_bcurrent", "test_c0", "test_ccurrent"]);
    // A served run's child removes them once its client has the exit code: a tree that
    // takes a while, which the server must not cut short when the client goes.
    let old = user_dir().join("pytest-1");
    for file in 0..5000 {
        fs::write(old.join(format!("f{file}")), "").unwrap();
    }
    run("always");
    let deadline = Instant::now() + Duration::from_secs(10);
    while entries() != ["pytest-2", "pytest-current"] {
        assert!(Instant::now() < deadline, "left behind: {:?}", entries());
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn sorted_names(dir: &Path) -> Vec<String> {
    let entries = fs::read_dir(dir).unwrap();
    let mut names: Vec<String> =
        entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}
