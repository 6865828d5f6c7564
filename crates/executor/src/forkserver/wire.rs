//! What client and server say to each other over the server's Unix socket.
//!
//! The client sends one [`Request`]: an 8-byte little-endian length, carrying its stdin, stdout
//! and stderr as `SCM_RIGHTS`, then that many bytes of JSON. The child serving it answers with
//! [`Reply`] lines: `pid N` once it has taken the request, `exit N` when the run ends. When the
//! child dies of a signal instead, the server itself sends `signal N`.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::net::UnixStream;

use serde::{Deserialize, Serialize};

/// The descriptors a client hands over, in this order.
const STANDARD_FDS: [RawFd; 3] = [0, 1, 2];

/// The process state of a client that a run can observe, but its descriptors.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) argv: Vec<Vec<u8>>,
    pub(crate) cwd: Vec<u8>,
    pub(crate) env: Vec<(Vec<u8>, Vec<u8>)>,
    pub(crate) umask: u32,
}

impl Request {
    /// This process's state, to run `argv`.
    pub(crate) fn of_this_process(argv: &[OsString]) -> io::Result<Request> {
        Ok(Request {
            argv: argv.iter().map(|arg| arg.as_bytes().to_vec()).collect(),
            cwd: std::env::current_dir()?.into_os_string().into_vec(),
            env: std::env::vars_os().map(|(name, value)| (name.into_vec(), value.into_vec())).collect(),
            umask: current_umask(),
        })
    }

    pub(crate) fn argv(&self) -> Vec<OsString> {
        self.argv.iter().map(|arg| OsString::from_vec(arg.clone())).collect()
    }
}

fn current_umask() -> u32 {
    // SAFETY: umask only swaps the process's mask; it is put back at once.
    unsafe {
        let mask = libc::umask(0o022);
        libc::umask(mask);
        mask as u32
    }
}

/// Sends `request` with this process's standard descriptors.
pub(crate) fn send_request(stream: &UnixStream, request: &Request) -> io::Result<()> {
    let payload = serde_json::to_vec(request)?;
    send_with_fds(stream.as_raw_fd(), &(payload.len() as u64).to_le_bytes(), &STANDARD_FDS)?;
    (&*stream).write_all(&payload)
}

/// Receives a request and the client's standard descriptors.
pub(crate) fn receive_request(stream: &UnixStream) -> io::Result<(Request, Vec<OwnedFd>)> {
    let mut length = [0u8; 8];
    let (received, fds) = receive_with_fds(stream.as_raw_fd(), &mut length)?;
    if received == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the client hung up"));
    }
    (&*stream).read_exact(&mut length[received..])?;
    if fds.len() != STANDARD_FDS.len() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "the request came without stdin, stdout and stderr"));
    }
    let mut payload = vec![0u8; u64::from_le_bytes(length) as usize];
    (&*stream).read_exact(&mut payload)?;
    Ok((serde_json::from_slice(&payload)?, fds))
}

fn send_with_fds(socket: RawFd, data: &[u8], fds: &[RawFd]) -> io::Result<()> {
    let fds_size = std::mem::size_of_val(fds) as u32;
    // SAFETY: CMSG_* compute sizes and offsets within `control`, which is large enough and
    // aligned for cmsghdr (u64 elements); every pointer in `message` outlives sendmsg.
    unsafe {
        let mut control = vec![0u64; (libc::CMSG_SPACE(fds_size) as usize).div_ceil(8)];
        let mut iov = libc::iovec { iov_base: data.as_ptr() as *mut libc::c_void, iov_len: data.len() };
        let mut message: libc::msghdr = std::mem::zeroed();
        message.msg_iov = &raw mut iov;
        message.msg_iovlen = 1;
        message.msg_control = control.as_mut_ptr().cast();
        message.msg_controllen = libc::CMSG_SPACE(fds_size) as _;
        let header = libc::CMSG_FIRSTHDR(&message);
        (*header).cmsg_level = libc::SOL_SOCKET;
        (*header).cmsg_type = libc::SCM_RIGHTS;
        (*header).cmsg_len = libc::CMSG_LEN(fds_size) as _;
        std::ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(header).cast::<RawFd>(), fds.len());
        let sent = libc::sendmsg(socket, &message, libc::MSG_NOSIGNAL);
        if sent < 0 {
            return Err(io::Error::last_os_error());
        }
        if sent as usize != data.len() {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "the request's header was cut short"));
        }
    }
    Ok(())
}

/// Reads into `buf`, returning how many bytes came and the descriptors that came with them
/// (close-on-exec, owned by the caller).
fn receive_with_fds(socket: RawFd, buf: &mut [u8]) -> io::Result<(usize, Vec<OwnedFd>)> {
    let room = std::mem::size_of_val(&STANDARD_FDS) as u32;
    let mut fds = Vec::new();
    // SAFETY: as in send_with_fds; the kernel fills `control` with at most its length, and
    // each SCM_RIGHTS descriptor it delivered is owned by nobody else.
    unsafe {
        let mut control = vec![0u64; (libc::CMSG_SPACE(room) as usize).div_ceil(8)];
        let mut iov = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: buf.len() };
        let mut message: libc::msghdr = std::mem::zeroed();
        message.msg_iov = &raw mut iov;
        message.msg_iovlen = 1;
        message.msg_control = control.as_mut_ptr().cast();
        message.msg_controllen = libc::CMSG_SPACE(room) as _;
        let received = libc::recvmsg(socket, &mut message, libc::MSG_CMSG_CLOEXEC);
        if received < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut header = libc::CMSG_FIRSTHDR(&message);
        while !header.is_null() {
            if (*header).cmsg_level == libc::SOL_SOCKET && (*header).cmsg_type == libc::SCM_RIGHTS {
                let count = ((*header).cmsg_len as usize - libc::CMSG_LEN(0) as usize) / size_of::<RawFd>();
                let data = libc::CMSG_DATA(header).cast::<RawFd>();
                fds.extend((0..count).map(|i| OwnedFd::from_raw_fd(data.add(i).read_unaligned())));
            }
            header = libc::CMSG_NXTHDR(&message, header);
        }
        if message.msg_flags & libc::MSG_CTRUNC != 0 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "more descriptors than stdin, stdout and stderr"));
        }
        Ok((received as usize, fds))
    }
}

/// One line from the server's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// The child took the request; signals for the run go to this process.
    Pid(i32),
    /// The run ended with this exit code.
    Exit(i32),
    /// The child died of this signal.
    Signal(i32),
}

impl Reply {
    pub(crate) fn line(self) -> String {
        match self {
            Reply::Pid(pid) => format!("pid {pid}\n"),
            Reply::Exit(code) => format!("exit {code}\n"),
            Reply::Signal(signal) => format!("signal {signal}\n"),
        }
    }

    pub(crate) fn parse(line: &[u8]) -> Option<Reply> {
        let (word, number) = std::str::from_utf8(line).ok()?.trim_end().split_once(' ')?;
        let number = number.parse().ok()?;
        match word {
            "pid" => Some(Reply::Pid(number)),
            "exit" => Some(Reply::Exit(number)),
            "signal" => Some(Reply::Signal(number)),
            _ => None,
        }
    }

    pub(crate) fn send(self, mut stream: &UnixStream) -> io::Result<()> {
        stream.write_all(self.line().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_read_back_as_written() {
        for reply in [Reply::Pid(42), Reply::Exit(0), Reply::Exit(-1), Reply::Signal(11)] {
            assert_eq!(Reply::parse(reply.line().as_bytes()), Some(reply));
        }
        assert_eq!(Reply::parse(b"exit"), None);
        assert_eq!(Reply::parse(b"bye 1\n"), None);
    }

    #[test]
    fn a_request_travels_with_the_standard_descriptors() {
        let (client, server) = UnixStream::pair().unwrap();
        let request = Request {
            argv: vec![b"ferrotest".to_vec(), b"-q".to_vec()],
            cwd: b"/tmp".to_vec(),
            env: vec![(b"A".to_vec(), b"\xff".to_vec())],
            umask: 0o027,
        };
        send_request(&client, &request).unwrap();
        let (received, fds) = receive_request(&server).unwrap();
        assert_eq!(received, request);
        assert_eq!(fds.len(), 3);
        assert!(fds.iter().all(|fd| fd.as_raw_fd() > 2), "received descriptors are new ones");
    }

    #[test]
    fn a_client_that_hangs_up_is_an_error_not_a_request() {
        let (client, server) = UnixStream::pair().unwrap();
        drop(client);
        assert_eq!(receive_request(&server).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
