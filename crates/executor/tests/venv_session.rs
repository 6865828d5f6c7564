//! The embedded interpreter is the venv's: its prefix, its site-packages, its version.

mod common;

use std::process::Command;

use ferrotest_executor::{PythonEnv, Session};

#[test]
fn a_session_runs_in_the_projects_venv() {
    let root = tempfile::tempdir().unwrap();
    let rootdir = root.path().canonicalize().unwrap();
    let venv = rootdir.join(".venv");
    let status =
        Command::new(env!("FERROTEST_BUILD_PYTHON")).args(["-m", "venv", "--without-pip"]).arg(&venv).status().unwrap();
    assert!(status.success());
    // The project's .venv is used only when no venv is active.
    // SAFETY: this test binary has a single test; no other thread reads the environment.
    unsafe { std::env::remove_var("VIRTUAL_ENV") };

    let env = PythonEnv::discover(&rootdir).unwrap();
    assert_eq!(env.executable, venv.join("bin/python"));
    let session = Session::start(&env, &rootdir).unwrap();

    assert!(session.eval_for_tests("__import__('sys').version").unwrap().starts_with(&env.version));
    assert_eq!(session.python_version(), env.version);
    assert_eq!(session.platform(), std::env::consts::OS);
    assert_eq!(session.eval_for_tests("__import__('sys').prefix").unwrap(), venv.display().to_string());
    let site_packages = session.eval_for_tests("__import__('site').getsitepackages()[0]").unwrap();
    assert!(site_packages.starts_with(&venv.display().to_string()), "{site_packages}");
    let in_path = format!("{site_packages:?} in __import__('sys').path").replace('"', "'");
    assert_eq!(session.eval_for_tests(&in_path).unwrap(), "True");
    // Neither the cwd nor a script directory is prepended to sys.path.
    assert_eq!(session.eval_for_tests("'' in __import__('sys').path").unwrap(), "False");
    let cwd = std::env::current_dir().unwrap().display().to_string();
    assert_eq!(session.eval_for_tests(&format!("{cwd:?} in __import__('sys').path")).unwrap(), "False");
}
