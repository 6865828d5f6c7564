//! A warm fork server: a process that has initialised the user's CPython and imported pytest,
//! and forks once per run, so a run skips both (~0.15 s, more than the whole of a small run).
//!
//! A run (`delegate`) computes the address of the server for its interpreter and environment
//! ([`address`]), connects, and hands over its argv, working directory, environment, umask and
//! standard descriptors. The server forks; the child takes on that state, runs the same `main`
//! an in-process run would, and reports the exit status, which the client exits with. Signals
//! the client receives meanwhile (Ctrl-C) are forwarded to the child; a child killed by a
//! signal is reported by the server, and the client dies of the same signal; a client that
//! dies (say, killed by a harness's timeout) takes its child with it.
//!
//! `FERROTEST_SERVER` chooses: `auto` (the default, except under `CI`) uses a running server,
//! and otherwise runs in-process and starts one in the background for the next run; `off`
//! (the default when `CI` is set, where a run rarely repeats) never does either; `always`
//! starts a server and waits for it, so every run is served (the differential tests use it).
//! A server exits after `FERROTEST_SERVER_IDLE` seconds without a run (default 900), and as
//! soon as the ferrotest binary or a directory of its `sys.path` changes.

mod address;
mod client;
mod server;
mod wire;

use std::ffi::OsString;
use std::time::Duration;

use crate::interpreter;
use crate::python_env::PythonEnv;

pub use server::ServeArgs;

/// How long `auto` leaves a server it started to come up before starting another.
const RESPAWN_AFTER: Duration = Duration::from_secs(10);

/// How runs use fork servers (`FERROTEST_SERVER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Off,
    Auto,
    Always,
}

impl Mode {
    fn from_env() -> Mode {
        match std::env::var("FERROTEST_SERVER").as_deref() {
            Ok("off") => Mode::Off,
            Ok("auto") => Mode::Auto,
            Ok("always") => Mode::Always,
            Ok(other) if !other.is_empty() => {
                eprintln!("ferrotest: FERROTEST_SERVER={other} is not off, auto or always; using auto");
                Mode::Auto
            }
            _ if std::env::var_os("CI").is_some_and(|ci| !ci.is_empty()) => Mode::Off,
            _ => Mode::Auto,
        }
    }
}

/// Runs `argv` in a fork server for `env` when one serves it, returning the run's exit code;
/// `None` means run in-process (no server, or `FERROTEST_SERVER=off`). Never delegates from a
/// run that is itself being served.
pub fn delegate(env: &PythonEnv, argv: &[OsString]) -> Option<i32> {
    let mode = Mode::from_env();
    if mode == Mode::Off || interpreter::served() {
        return None;
    }
    let address = match address::Address::for_env(env) {
        Ok(address) => address,
        Err(error) => return unavailable(mode, &format!("no place for its socket: {error}")),
    };
    match client::run_through(&address, argv) {
        Ok(Some(code)) => return Some(code),
        Ok(None) => {}
        Err(error) => return unavailable(mode, &error.to_string()),
    }
    // A server started moments ago is still starting (or failed: see its log); starting
    // another on every run would cost each run a background interpreter start.
    if mode == Mode::Auto && server::started_within(&address, RESPAWN_AFTER) {
        return None;
    }
    if let Err(error) = server::spawn(&address, env) {
        return unavailable(mode, &format!("cannot start it: {error}"));
    }
    if mode == Mode::Auto {
        return None;
    }
    match client::run_when_ready(&address, argv) {
        Ok(code) => Some(code),
        Err(error) => unavailable(mode, &error.to_string()),
    }
}

/// Without a server a run goes on in-process, except where one was required.
fn unavailable(mode: Mode, why: &str) -> Option<i32> {
    if mode != Mode::Always {
        return None;
    }
    eprintln!("ERROR: FERROTEST_SERVER=always, but no fork server could run this: {why}\n");
    Some(3)
}
