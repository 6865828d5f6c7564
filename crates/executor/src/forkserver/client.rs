//! The client's side: hand the run over, forward signals, and exit as the run did.

use std::ffi::OsString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use super::address::Address;
use super::wire::{self, Reply, Request};

/// The signals a terminal or a supervisor sends to the process it started, which is this one,
/// while the run happens in the server's child.
const FORWARDED: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// How long `always` waits for a server it started.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The last forwarded signal received and not yet passed on (0: none).
static PENDING_SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Runs `argv` in the server at `address`: `Ok(None)` when no server is there to take it.
pub(crate) fn run_through(address: &Address, argv: &[OsString]) -> io::Result<Option<i32>> {
    let stream = match UnixStream::connect(&address.socket) {
        Ok(stream) => stream,
        Err(error) if no_server(&error) => return Ok(None),
        Err(error) => return Err(error),
    };
    let forwarding = ForwardedSignals::catch();
    let outcome = match wire::send_request(&stream, &Request::of_this_process(argv)?) {
        Ok(()) => follow(&stream),
        Err(error) if hung_up(&error) => Ok(None),
        Err(error) => Err(error),
    };
    // A run left to this process gets the signals' usual meaning back.
    drop(forwarding);
    outcome
}

/// Runs `argv` in the server at `address`, which is starting: waits for it to listen.
pub(crate) fn run_when_ready(address: &Address, argv: &[OsString]) -> io::Result<i32> {
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if let Some(code) = run_through(address, argv)? {
            return Ok(code);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let message = format!(
        "no server listened at {} within {START_TIMEOUT:?} (see {})",
        address.socket.display(),
        address.log.display()
    );
    Err(io::Error::new(io::ErrorKind::TimedOut, message))
}

/// No socket, or a socket nobody listens on any more: a server that exited.
fn no_server(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused)
}

/// The server closed the connection without taking the request (it found itself stale).
fn hung_up(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset)
}

/// Reads the replies until the run's end. A server that hangs up before a child took the
/// request (it found itself stale) leaves the run to this process: `Ok(None)`.
fn follow(stream: &UnixStream) -> io::Result<Option<i32>> {
    let mut child = None;
    let mut pending = Vec::new();
    let mut buf = [0u8; 64];
    loop {
        let received = match read_interruptibly(stream, &mut buf) {
            Ok(0) if child.is_none() => return Ok(None),
            Err(error) if child.is_none() && hung_up(&error) => return Ok(None),
            Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the run ended without an exit status")),
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {
                pass_on_signal(child);
                continue;
            }
            Err(error) => return Err(error),
        };
        pending.extend_from_slice(&buf[..received]);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            match Reply::parse(&line) {
                Some(Reply::Pid(pid)) => {
                    child = Some(pid);
                    pass_on_signal(child);
                }
                Some(Reply::Exit(code)) => return Ok(Some(code)),
                Some(Reply::Signal(signal)) => return Ok(Some(die_of(signal))),
                None => {
                    let text = String::from_utf8_lossy(&line).into_owned();
                    return Err(io::Error::new(io::ErrorKind::InvalidData, format!("unexpected reply {text:?}")));
                }
            }
        }
    }
}

/// One `read(2)` that returns `Interrupted` when a signal arrives (std's would retry).
fn read_interruptibly(stream: &UnixStream, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: reads at most buf.len() bytes into buf from a descriptor the stream owns.
    let read = unsafe { libc::read(stream.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
    if read < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(read as usize)
}

extern "C" fn remember_signal(signal: libc::c_int) {
    PENDING_SIGNAL.store(signal, Ordering::SeqCst);
}

/// The forwarded signals caught while a server runs the session, without `SA_RESTART` so
/// that a blocked read returns to pass them on; the previous handlers come back on drop.
struct ForwardedSignals {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl ForwardedSignals {
    fn catch() -> ForwardedSignals {
        // SAFETY: the handler only stores into an atomic, which is async-signal-safe; each
        // previous action is written by sigaction before it is kept.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = remember_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            let previous = FORWARDED
                .iter()
                .map(|&signal| {
                    let mut old: libc::sigaction = std::mem::zeroed();
                    libc::sigaction(signal, &action, &mut old);
                    (signal, old)
                })
                .collect();
            ForwardedSignals { previous }
        }
    }
}

impl Drop for ForwardedSignals {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: reinstates an action sigaction itself returned.
            unsafe { libc::sigaction(*signal, old, std::ptr::null_mut()) };
        }
    }
}

/// Sends a signal received so far to the child, once there is one.
fn pass_on_signal(child: Option<i32>) {
    let Some(pid) = child else { return };
    let signal = PENDING_SIGNAL.swap(0, Ordering::SeqCst);
    if signal != 0 {
        // SAFETY: kill has no memory effects; a child that already exited makes it fail harmlessly.
        unsafe { libc::kill(pid, signal) };
    }
}

/// Ends this process the way the run's process ended: by `signal`, as the shell expects.
fn die_of(signal: i32) -> i32 {
    // SAFETY: restoring the default disposition and raising the signal end the process (or,
    // for a signal whose default is to continue, return).
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
    128 + signal
}
