//! The server's side: start once per address, preload, then fork a child per run.

use std::collections::HashMap;
use std::ffi::{CString, OsStr, OsString};
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use serde::{Deserialize, Serialize};

use super::address::Address;
use super::wire::{self, Reply};
use crate::interpreter;
use crate::python_env::PythonEnv;

/// The first argument of a server's own command line (what [`spawn`] starts).
const SERVE_FLAG: &str = "--ferrotest-fork-server";
const FORKSERVER_PY: &str = include_str!("../../python/forkserver.py");
const DEFAULT_IDLE: Duration = Duration::from_secs(900);
/// How long a new server waits for the lock of one that is exiting.
const LOCK_WAIT: Duration = Duration::from_secs(2);
/// How often an idle server looks at whether it is stale.
const CHECK_EVERY: Duration = Duration::from_secs(60);

/// A server's command line: `ferrotest --ferrotest-fork-server <json>`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ServeArgs {
    socket: PathBuf,
    lock: PathBuf,
    env: PythonEnv,
}

impl ServeArgs {
    /// The server's arguments, when `argv` is a server's command line.
    pub fn from_argv(argv: &[OsString]) -> Option<ServeArgs> {
        match argv {
            [_, flag, json] if flag == SERVE_FLAG => serde_json::from_slice(json.as_bytes()).ok(),
            _ => None,
        }
    }

    /// Serves runs until idle or stale and returns the server's exit code; in each forked
    /// child, runs `run` on the client's argv and exits with its code instead of returning.
    pub fn serve(self, run: fn(Vec<OsString>) -> i32) -> i32 {
        match Server::start(&self) {
            Ok(Some(server)) => server.serve(run),
            Ok(None) => 0,
            Err(error) => {
                eprintln!("ferrotest fork server: {error}");
                1
            }
        }
    }
}

/// Starts a server for `env` at `address` in the background; its output goes to the log.
pub(crate) fn spawn(address: &Address, env: &PythonEnv) -> io::Result<()> {
    let args = ServeArgs { socket: address.socket.clone(), lock: address.lock.clone(), env: env.clone() };
    Command::new(std::env::current_exe()?)
        .arg(SERVE_FLAG)
        .arg(serde_json::to_string(&args)?)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(&address.log)?)
        .spawn()?;
    Ok(())
}

/// Whether a server for `address` was started (its log made) less than `window` ago.
pub(crate) fn started_within(address: &Address, window: Duration) -> bool {
    let started = std::fs::metadata(&address.log).and_then(|m| m.modified());
    started.is_ok_and(|at| at.elapsed().is_ok_and(|age| age < window))
}

struct Server {
    listener: UnixListener,
    socket: PathBuf,
    /// The socket file's (device, inode): another server that replaced it takes over.
    socket_id: (u64, u64),
    /// Held while this server lives, so at most one serves an address.
    _lock: File,
    forkserver: Py<PyModule>,
    /// Files whose change makes the server stale, with their modification times at start.
    watched: Vec<(PathBuf, Option<SystemTime>)>,
    idle: Duration,
}

impl Server {
    /// `None` when another server holds the address's lock.
    fn start(args: &ServeArgs) -> io::Result<Option<Server>> {
        let lock = File::options().create(true).truncate(false).write(true).open(&args.lock)?;
        if !lock_soon(&lock)? {
            return Ok(None);
        }
        // Its own session: the terminal's Ctrl-C and hang-up are for the client.
        // SAFETY: setsid has no memory effects; failing (already a leader) is harmless.
        unsafe { libc::setsid() };
        interpreter::initialize_for_server(&args.env).map_err(io::Error::other)?;
        args.env.serve();
        let (forkserver, dirs) = Python::attach(preload).map_err(io::Error::other)?;
        let mut watched: Vec<(PathBuf, Option<SystemTime>)> = Vec::new();
        for path in dirs.into_iter().chain([std::env::current_exe()?]) {
            let mtime = modified(&path);
            watched.push((path, mtime));
        }
        // Not pinning the directory it was started from.
        std::env::set_current_dir("/")?;
        let (listener, socket_id) = listen(&args.socket)?;
        Ok(Some(Server {
            listener,
            socket: args.socket.clone(),
            socket_id,
            _lock: lock,
            forkserver,
            watched,
            idle: idle_timeout(),
        }))
    }

    fn serve(self, run: fn(Vec<OsString>) -> i32) -> i32 {
        interrupt_on_child_exit();
        let mut children = Children::new();
        let mut last_activity = Instant::now();
        while self.is_current() {
            if children.reap() {
                last_activity = Instant::now();
            }
            let left = self.idle.saturating_sub(last_activity.elapsed());
            if children.is_empty() && left.is_zero() {
                break;
            }
            match children.wait(&self.listener, left.min(CHECK_EVERY)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
            let Ok((connection, _)) = self.listener.accept() else { continue };
            if !self.is_current() {
                break;
            }
            let Ok((finished, finishing)) = io::pipe() else { continue };
            match fork() {
                Ok(0) => {
                    children.forget();
                    drop(finished);
                    self.child(connection, finishing, run)
                }
                Ok(pid) => {
                    children.insert(pid, Child { connection, finished, orphaned: false });
                    last_activity = Instant::now();
                }
                Err(error) => eprintln!("ferrotest fork server: cannot fork: {error}"),
            }
        }
        self.remove_socket();
        0
    }

    /// Whether this server still answers at its address with what it preloaded.
    fn is_current(&self) -> bool {
        let socket_is_ours = std::fs::metadata(&self.socket).is_ok_and(|m| (m.dev(), m.ino()) == self.socket_id);
        socket_is_ours && self.watched.iter().all(|(path, mtime)| modified(path) == *mtime)
    }

    fn remove_socket(&self) {
        if std::fs::metadata(&self.socket).is_ok_and(|m| (m.dev(), m.ino()) == self.socket_id) {
            let _ = std::fs::remove_file(&self.socket);
        }
    }

    /// A forked child: take on the client's state, run, report the exit code, exit.
    /// `finishing` tells the server the run is over before the client can hang up.
    fn child(self, connection: UnixStream, mut finishing: io::PipeWriter, run: fn(Vec<OsString>) -> i32) -> ! {
        // SAFETY: restores the default disposition the server changed.
        unsafe { libc::signal(libc::SIGCHLD, libc::SIG_DFL) };
        let Server { listener, forkserver, .. } = self;
        drop(listener);
        let argv = match adopt(&connection, &forkserver) {
            Ok(argv) => argv,
            // The client, seeing no `pid` reply, runs the session itself.
            // SAFETY: ends this process only.
            Err(_) => unsafe { libc::_exit(1) },
        };
        let code = match Reply::Pid(std::process::id() as i32).send(&connection) {
            Ok(()) => run(argv),
            Err(_) => 1,
        };
        let _ = io::stdout().flush();
        let _ = io::stderr().flush();
        let _ = Python::attach(|py| forkserver.call_method0(py, "flush_streams").map(drop));
        let _ = finishing.write_all(b"finished");
        let _ = Reply::Exit(code).send(&connection);
        // The client is gone: let whoever reads its output see the end of it, then finish
        // what the run left to the background (removing old temporary directories).
        release_client_streams();
        crate::background_fs::finish_chores();
        // SAFETY: ends this process only; what the run wrote is flushed.
        unsafe { libc::_exit(code) }
    }
}

/// Loads the Python half of the server, imports what it preloads, and returns it with the
/// directories whose change makes the server stale.
fn preload(py: Python<'_>) -> PyResult<(Py<PyModule>, Vec<PathBuf>)> {
    interpreter::install_runtime(py)?;
    let code = CString::new(FORKSERVER_PY).expect("forkserver.py has no NUL byte");
    let module = PyModule::from_code(py, &code, c"<ferrotest forkserver.py>", c"ferrotest_forkserver")?;
    // Loaded for the server, not for the runs: not left where a suite's code could see it.
    py.import("sys")?.getattr("modules")?.del_item("ferrotest_forkserver")?;
    module.call_method0("preload")?;
    let dirs: Vec<PathBuf> = module.call_method0("watched_dirs")?.extract()?;
    Ok((module.unbind(), dirs))
}

/// Receives the client's request and becomes its process: descriptors, umask, working
/// directory, then (in Python) environment, argv and stdio buffering. Returns its argv.
fn adopt(connection: &UnixStream, forkserver: &Py<PyModule>) -> io::Result<Vec<OsString>> {
    let (request, fds) = wire::receive_request(connection)?;
    install_standard_fds(&fds)?;
    drop(fds);
    // SAFETY: umask only sets the process's mask.
    unsafe { libc::umask(request.umask as libc::mode_t) };
    std::env::set_current_dir(OsStr::from_bytes(&request.cwd))?;
    Python::attach(|py| -> PyResult<()> {
        let argv = PyList::new(py, request.argv.iter().map(|arg| PyBytes::new(py, arg)))?;
        let environ = PyDict::new(py);
        for (name, value) in &request.env {
            environ.set_item(PyBytes::new(py, name), PyBytes::new(py, value))?;
        }
        forkserver.call_method1(py, "adopt", (argv, environ)).map(drop)
    })
    .map_err(io::Error::other)?;
    Ok(request.argv())
}

fn install_standard_fds(fds: &[OwnedFd]) -> io::Result<()> {
    for (target, fd) in (0 as RawFd..).zip(fds) {
        // SAFETY: dup2 onto the standard descriptors, which this process owns.
        if unsafe { libc::dup2(fd.as_raw_fd(), target) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Points the standard descriptors at `/dev/null`, dropping this process's hold on the
/// client's terminal or pipes.
fn release_client_streams() {
    let Ok(null) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null") else { return };
    for target in 0..3 {
        // SAFETY: dup2 onto the standard descriptors, which this process owns.
        unsafe { libc::dup2(null.as_raw_fd(), target) };
    }
}

/// Forks through Python's `os.fork`, which runs CPython's fork handling (the import lock,
/// `os.register_at_fork` hooks such as `random`'s reseeding) on both sides.
fn fork() -> io::Result<libc::pid_t> {
    Python::attach(|py| py.import("os")?.call_method0("fork")?.extract()).map_err(io::Error::other)
}

/// The children serving runs, by pid.
struct Children(HashMap<libc::pid_t, Child>);

struct Child {
    /// The connection to the child's client.
    connection: UnixStream,
    /// Readable once the child's run is over (it may go on with background chores).
    finished: io::PipeReader,
    /// Its client is gone; if the run was not over, the child was killed, as the client's
    /// death would have killed an in-process run (a harness killing a hung run must not
    /// leave it running).
    orphaned: bool,
}

impl Children {
    fn new() -> Children {
        Children(HashMap::new())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn insert(&mut self, pid: libc::pid_t, child: Child) {
        self.0.insert(pid, child);
    }

    /// In a forked child: closes the connections to the other children's clients.
    fn forget(&mut self) {
        self.0.clear();
    }

    /// Reaps finished children; a child killed by a signal cannot say so, so the server
    /// tells its client. Whether any finished.
    fn reap(&mut self) -> bool {
        let mut any = false;
        loop {
            let mut status = 0;
            // SAFETY: waitpid writes the status into a local.
            let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
            if pid <= 0 {
                return any;
            }
            any = true;
            if let Some(child) = self.0.remove(&pid) {
                if libc::WIFSIGNALED(status) {
                    let _ = Reply::Signal(libc::WTERMSIG(status)).send(&child.connection);
                }
            }
        }
    }

    /// Waits until `listener` has a connection (`true`) or `timeout` passed (`false`),
    /// killing meanwhile each child whose client hung up.
    fn wait(&mut self, listener: &UnixListener, timeout: Duration) -> io::Result<bool> {
        let watched: Vec<libc::pid_t> = self.0.iter().filter(|(_, c)| !c.orphaned).map(|(&pid, _)| pid).collect();
        let mut polls = vec![libc::pollfd { fd: listener.as_raw_fd(), events: libc::POLLIN, revents: 0 }];
        polls.extend(watched.iter().map(|pid| libc::pollfd {
            fd: self.0[pid].connection.as_raw_fd(),
            events: PEER_CLOSED,
            revents: 0,
        }));
        let millis = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
        // SAFETY: poll reads and writes the pollfds of the vector it is given.
        if unsafe { libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, millis) } < 0 {
            return Err(io::Error::last_os_error());
        }
        for (pid, poll) in watched.iter().zip(&polls[1..]) {
            if poll.revents & (PEER_CLOSED | libc::POLLHUP | libc::POLLERR) != 0 {
                let child = self.0.get_mut(pid).expect("watched child");
                if !is_readable(&child.finished) {
                    // SAFETY: kill has no memory effects; the pid is an unreaped child of ours.
                    unsafe { libc::kill(*pid, libc::SIGKILL) };
                }
                child.orphaned = true;
            }
        }
        Ok(polls[0].revents & libc::POLLIN != 0)
    }
}

fn is_readable(fd: &impl AsRawFd) -> bool {
    let mut poll = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    // SAFETY: poll reads and writes the one pollfd it is given; a zero timeout never blocks.
    unsafe { libc::poll(&mut poll, 1, 0) == 1 }
}

/// The poll event of a peer that closed its end (Linux); elsewhere only a full hang-up shows.
#[cfg(target_os = "linux")]
const PEER_CLOSED: libc::c_short = libc::POLLRDHUP;
#[cfg(not(target_os = "linux"))]
const PEER_CLOSED: libc::c_short = 0;

extern "C" fn ignore_signal(_: libc::c_int) {}

/// A handler for `SIGCHLD` without `SA_RESTART`: a finished child interrupts the wait for
/// connections, so its client hears at once if it died of a signal.
fn interrupt_on_child_exit() {
    // SAFETY: the handler does nothing, which is async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGCHLD, &action, std::ptr::null_mut());
    }
}

/// Takes the address's lock, waiting a moment for a server that found itself stale to exit;
/// `false` when a live server keeps it.
fn lock_soon(file: &File) -> io::Result<bool> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        // SAFETY: flock on a descriptor the file owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(true);
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::WouldBlock {
            return Err(error);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Binds under a temporary name and renames into place, so clients never meet a socket
/// that does not listen yet, and a stale one is replaced at once. Only this user may connect:
/// a connection runs code as them.
fn listen(socket: &Path) -> io::Result<(UnixListener, (u64, u64))> {
    let mut temporary = socket.as_os_str().to_owned();
    temporary.push(format!(".{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    let listener = UnixListener::bind(&temporary)?;
    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))?;
    std::fs::rename(&temporary, socket)?;
    let metadata = std::fs::metadata(socket)?;
    Ok((listener, (metadata.dev(), metadata.ino())))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `FERROTEST_SERVER_IDLE` seconds, else 15 minutes.
fn idle_timeout() -> Duration {
    std::env::var("FERROTEST_SERVER_IDLE").ok().and_then(|s| s.parse().ok()).map_or(DEFAULT_IDLE, Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_counts_as_starting_only_while_its_log_is_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let in_dir = |name: &str| dir.path().join(name);
        let address = Address { socket: in_dir("k.sock"), lock: in_dir("k.lock"), log: in_dir("k.log") };
        let window = Duration::from_secs(10);
        assert!(!started_within(&address, window), "never started");
        let log = File::create(&address.log).unwrap();
        assert!(started_within(&address, window));
        log.set_modified(SystemTime::now() - Duration::from_secs(60)).unwrap();
        assert!(!started_within(&address, window), "started a minute ago");
    }
}
