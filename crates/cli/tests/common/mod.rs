//! How these tests start pytest and ferrotest: both in the same fixed environment, so that
//! only the runner differs. Needs `VIRTUAL_ENV` pointing at a venv with pytest 9.2, as the
//! differential suite does (tests/README.md).

use std::path::Path;
use std::process::{Command, Output};

/// `$VIRTUAL_ENV/bin/python -m pytest`.
pub fn pytest_command() -> Command {
    let venv = std::env::var_os("VIRTUAL_ENV").expect(
        "VIRTUAL_ENV is not set: point it at a venv with pytest 9.2, e.g. VIRTUAL_ENV=$PWD/target/test-venv (tests/README.md)",
    );
    let mut command = Command::new(Path::new(&venv).join("bin/python"));
    command.args(["-m", "pytest"]);
    command
}

/// The `ferrotest` binary this package builds, running sessions in-process (the fork
/// server has its own tests, and leaves no server behind from these).
pub fn ferrotest_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ferrotest"));
    command.env("FERROTEST_SERVER", "off");
    command
}

/// Run `command` with `args` in `project`: no bytecode written, 80 columns, no
/// `PYTEST_ADDOPTS` from the caller's environment.
pub fn run_in(mut command: Command, project: &Path, args: &[&str]) -> Output {
    command
        .args(args)
        .current_dir(project)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("COLUMNS", "80")
        .env_remove("PYTEST_ADDOPTS")
        .output()
        .expect("runner starts")
}
