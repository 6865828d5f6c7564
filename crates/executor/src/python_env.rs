//! Finding the user's interpreter the way pytest users run it: the active virtualenv, the
//! project's `.venv`, else `python3` from PATH.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::ExecutorError;

/// The interpreter whose environment (prefix, site-packages) the tests run in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonEnv {
    /// The `python` executable; CPython derives `sys.prefix` and the venv from it.
    pub executable: PathBuf,
    /// The full version, e.g. `3.11.7`.
    pub version: String,
    /// The virtualenv directory, when the interpreter is a venv's.
    pub venv: Option<PathBuf>,
}

/// The build interpreter's `major.minor`, which the embedded libpython has.
const BUILD_VERSION: &str = env!("FERROTEST_BUILD_PYTHON_VERSION");

/// A fork server's interpreter, which its forked runs inherit: their client discovered it
/// before choosing the server, so they need not ask `python3` again.
static SERVED: OnceLock<PythonEnv> = OnceLock::new();

impl PythonEnv {
    /// Find the interpreter for `rootdir` and check it matches the embedded libpython.
    pub fn discover(rootdir: &Path) -> Result<PythonEnv, ExecutorError> {
        if let Some(served) = SERVED.get() {
            return Ok(served.clone());
        }
        let env = match venv_dir(rootdir) {
            Some(venv) => from_venv(&venv)?,
            None => from_path_python()?,
        };
        env.check_version()?;
        Ok(env)
    }

    /// This process is a fork server for this interpreter: what its runs discover.
    pub(crate) fn serve(&self) {
        let _ = SERVED.set(self.clone());
    }

    fn check_version(&self) -> Result<(), ExecutorError> {
        if major_minor(&self.version) == BUILD_VERSION {
            return Ok(());
        }
        Err(ExecutorError::VersionMismatch {
            built: BUILD_VERSION.to_string(),
            found: self.version.clone(),
            executable: self.executable.clone(),
        })
    }
}

fn venv_dir(rootdir: &Path) -> Option<PathBuf> {
    if let Some(active) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(active));
    }
    let local = rootdir.join(".venv");
    local.join("bin/python").exists().then_some(local)
}

/// A venv's version comes from its `pyvenv.cfg`, so no process is spawned.
fn from_venv(venv: &Path) -> Result<PythonEnv, ExecutorError> {
    let executable = venv.join("bin/python");
    if !executable.exists() {
        return Err(ExecutorError::PythonNotFound(format!("{} does not exist", executable.display())));
    }
    let cfg_path = venv.join("pyvenv.cfg");
    let cfg = std::fs::read_to_string(&cfg_path)
        .map_err(|e| ExecutorError::PythonNotFound(format!("cannot read {}: {e}", cfg_path.display())))?;
    let version = pyvenv_version(&cfg)
        .ok_or_else(|| ExecutorError::PythonNotFound(format!("{} names no version", cfg_path.display())))?;
    Ok(PythonEnv { executable, version, venv: Some(venv.to_path_buf()) })
}

/// The `version` (or `version_info`, written by virtualenv) key of a `pyvenv.cfg`.
fn pyvenv_version(cfg: &str) -> Option<String> {
    cfg.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        matches!(key.trim(), "version" | "version_info").then(|| value.trim().to_string())
    })
}

fn from_path_python() -> Result<PythonEnv, ExecutorError> {
    // `-S`: neither answer depends on `site`, whose `.pth` files can take most of an
    // interpreter's start (50 of 65 ms with this machine's pyenv Python).
    let output = Command::new("python3")
        .args(["-S", "-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"])
        .output()
        .map_err(|e| ExecutorError::PythonNotFound(format!("cannot run python3: {e}")))?;
    if !output.status.success() {
        return Err(ExecutorError::PythonNotFound(format!(
            "python3 failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    match (lines.next(), lines.next()) {
        (Some(executable), Some(version)) if !executable.is_empty() => {
            Ok(PythonEnv { executable: PathBuf::from(executable), version: version.trim().to_string(), venv: None })
        }
        _ => Err(ExecutorError::PythonNotFound("python3 did not report its executable".into())),
    }
}

fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_of_venv_and_virtualenv_configs() {
        let venv = "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n";
        assert_eq!(pyvenv_version(venv).as_deref(), Some("3.11.7"));
        let virtualenv = "home = /usr/bin\nimplementation = CPython\nversion_info = 3.12.1.final.0\n";
        assert_eq!(pyvenv_version(virtualenv).as_deref(), Some("3.12.1.final.0"));
        assert_eq!(major_minor("3.12.1.final.0"), "3.12");
    }

    #[test]
    fn a_mismatch_names_both_versions_the_executable_and_the_fix() {
        let env = PythonEnv { executable: "/v/bin/python".into(), version: "2.7.18".into(), venv: None };
        let message = env.check_version().unwrap_err().to_string();
        assert!(message.contains(BUILD_VERSION) && message.contains("2.7.18"), "{message}");
        assert!(message.contains("PYO3_PYTHON=/v/bin/python cargo install --path crates/cli --force"), "{message}");
    }

    #[test]
    fn a_missing_venv_python_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(from_venv(dir.path()), Err(ExecutorError::PythonNotFound(_))));
    }
}
