//! Where the server for an interpreter and environment listens.
//!
//! One server serves every run whose interpreter the server's would be identical to: the same
//! ferrotest binary, the same Python environment, and the same values of the environment
//! variables CPython and the preloaded modules read while starting (`PYTHON*`, the locale,
//! `HOME` for the user site, `TZ`, the temp dir). Everything else a run reads (other variables,
//! the working directory, argv) the child takes from its client.

use std::collections::hash_map::DefaultHasher;
use std::ffi::OsStr;
use std::hash::{Hash, Hasher};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::python_env::PythonEnv;

/// `sun_path` holds 108 bytes on Linux, the terminating NUL included.
const MAX_SOCKET_PATH: usize = 107;

/// A server's socket and the lock its one live instance holds.
#[derive(Debug, Clone)]
pub(crate) struct Address {
    pub(crate) socket: PathBuf,
    pub(crate) lock: PathBuf,
    /// Where the server writes what it prints (start-up failures).
    pub(crate) log: PathBuf,
}

impl Address {
    pub(crate) fn for_env(env: &PythonEnv) -> io::Result<Address> {
        let dir = server_dir()?;
        let key = format!("{:016x}", key(env, std::env::vars_os())?);
        let address = Address {
            socket: dir.join(format!("{key}.sock")),
            lock: dir.join(format!("{key}.lock")),
            log: dir.join(format!("{key}.log")),
        };
        if address.socket.as_os_str().len() > MAX_SOCKET_PATH {
            let message = format!("{} is too long for a socket path", address.socket.display());
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        Ok(address)
    }
}

/// `FERROTEST_SERVER_DIR`, else `$XDG_RUNTIME_DIR/ferrotest`, else `<tmp>/ferrotest-<uid>`:
/// a directory nobody else can write to, since a socket someone else put there would receive
/// this user's environment (the sockets themselves are theirs alone, see `server::listen`).
fn server_dir() -> io::Result<PathBuf> {
    let uid = current_uid();
    let dir = match (std::env::var_os("FERROTEST_SERVER_DIR"), std::env::var_os("XDG_RUNTIME_DIR")) {
        (Some(dir), _) if !dir.is_empty() => PathBuf::from(dir),
        (_, Some(runtime)) if !runtime.is_empty() => Path::new(&runtime).join("ferrotest"),
        _ => std::env::temp_dir().join(format!("ferrotest-{uid}")),
    };
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir)?;
    let metadata = std::fs::metadata(&dir)?;
    if metadata.uid() != uid || metadata.mode() & 0o022 != 0 {
        let message = format!("{} must belong to uid {uid} and be writable by it alone", dir.display());
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, message));
    }
    Ok(dir)
}

fn current_uid() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory.
    unsafe { libc::getuid() }
}

/// A hash of everything that shapes a server's interpreter before its first run.
fn key(env: &PythonEnv, vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>) -> io::Result<u64> {
    let exe = std::env::current_exe()?;
    let metadata = std::fs::metadata(&exe)?;
    let mut hasher = DefaultHasher::new();
    (exe, metadata.len(), metadata.modified()?).hash(&mut hasher);
    (&env.executable, &env.venv, &env.version).hash(&mut hasher);
    let mut shaping: Vec<_> = vars.filter(|(name, _)| shapes_interpreter(name)).collect();
    shaping.sort();
    shaping.hash(&mut hasher);
    Ok(hasher.finish())
}

/// Variables CPython's start-up (and pytest's import) reads: its own, the locale (stdio
/// encodings), `HOME` (the user site directory), `TZ` (`time.tzname`) and the temp dir.
fn shapes_interpreter(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with("PYTHON")
        || name.starts_with("LC_")
        || matches!(&*name, "LANG" | "LANGUAGE" | "HOME" | "TZ" | "TMPDIR" | "TEMP" | "TMP" | "VIRTUAL_ENV")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env() -> PythonEnv {
        PythonEnv { executable: "/v/bin/python".into(), version: "3.11.7".into(), venv: Some("/v".into()) }
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Iterator<Item = (OsString, OsString)> {
        pairs.iter().map(|(k, v)| (OsString::from(k), OsString::from(v))).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn variables_that_shape_the_interpreter_change_the_key_and_others_do_not() {
        let base = key(&env(), vars(&[("PYTHONPATH", "a"), ("LANG", "C"), ("PWD", "/x")])).unwrap();
        let other_cwd = key(&env(), vars(&[("PWD", "/y"), ("LANG", "C"), ("PYTHONPATH", "a")])).unwrap();
        assert_eq!(base, other_cwd, "order and unrelated variables must not matter");
        let other_path = key(&env(), vars(&[("PYTHONPATH", "b"), ("LANG", "C"), ("PWD", "/x")])).unwrap();
        assert_ne!(base, other_path);
        let other_locale = key(&env(), vars(&[("PYTHONPATH", "a"), ("LC_ALL", "C"), ("LANG", "C")])).unwrap();
        assert_ne!(base, other_locale);
    }

    #[test]
    fn another_interpreter_has_another_key() {
        let other = PythonEnv { executable: "/w/bin/python".into(), venv: Some("/w".into()), ..env() };
        assert_ne!(key(&env(), vars(&[])).unwrap(), key(&other, vars(&[])).unwrap());
    }
}
