//! Empty directories made ahead of the tests whose `tmp_path` they become. Making a directory
//! allocates an inode, which on some disks costs as much as a whole test: ext4 without a
//! journal steps over every inode freed in the last half minute, one by one, and the previous
//! session's tree was just freed. The chores thread makes them on a second core; a test's
//! `tmp_path` is then one `rename` of a spare into its numbered place, which allocates nothing.
//!
//! The spares live in `<pytest-of-user>/garbage-ferrotest-<pid>`, locked with a `.lock` as
//! pytest locks a session's directory, so that no concurrent session removes it while this
//! one runs, and any session removes it as garbage should this one die before removing it.

use std::io::{self, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How many numbered directories the session's tests are expected to ask for.
static EXPECTED: AtomicUsize = AtomicUsize::new(0);

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

struct Pool {
    /// A forked child inherits the pool but not the thread that fills it.
    pid: u32,
    dir: PathBuf,
    /// Set once the chores thread has made (and locked) `dir`.
    open: bool,
    /// Made and not yet taken.
    ready: Vec<PathBuf>,
    /// How many more the session is expected to take: the pool never holds more.
    wanted: usize,
    /// Names the next spare.
    made: usize,
}

/// The session's tests are expected to ask for `count` numbered directories.
pub fn expect(count: usize) {
    EXPECTED.store(count, Ordering::Relaxed);
}

fn lock_pool() -> std::sync::MutexGuard<'static, Option<Pool>> {
    POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What taking a spare did.
#[derive(Debug, PartialEq)]
pub enum Taken {
    /// A spare is now `target`.
    Moved,
    /// None ready: the caller makes `target` itself.
    NoneReady,
    /// `target` exists (as `mkdir` would say).
    TargetExists,
}

/// Moves a spare into `target`. The first call of a session that expects numbered
/// directories returns [`Taken::NoneReady`] and has `submit` open a pool in `spares_parent`.
pub fn take(target: &Path, spares_parent: &Path, submit: impl FnOnce(PathBuf)) -> io::Result<Taken> {
    let mut pool = lock_pool();
    match &mut *pool {
        Some(pool) if pool.pid == std::process::id() => Ok(pool.take(target)),
        Some(_) => Ok(Taken::NoneReady),
        None => {
            let expected = EXPECTED.swap(0, Ordering::Relaxed);
            if expected > 1 && cfg!(all(target_os = "linux", target_env = "gnu")) {
                let dir = spares_parent.join(format!("garbage-ferrotest-{}", std::process::id()));
                *pool = Some(Pool::new(dir.clone(), expected - 1));
                // Unlocked first: a forked child does the chore at once, which locks.
                drop(pool);
                submit(dir);
            }
            Ok(Taken::NoneReady)
        }
    }
}

impl Pool {
    fn new(dir: PathBuf, wanted: usize) -> Pool {
        Pool { pid: std::process::id(), dir, open: false, ready: Vec::new(), wanted, made: 0 }
    }

    fn take(&mut self, target: &Path) -> Taken {
        let Some(spare) = self.ready.pop() else {
            self.wanted = self.wanted.saturating_sub(1);
            return Taken::NoneReady;
        };
        match rename_noreplace(&spare, target) {
            Ok(()) => {
                self.wanted = self.wanted.saturating_sub(1);
                Taken::Moved
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                self.ready.push(spare);
                Taken::TargetExists
            }
            // Another session removed our garbage after all, or the file system cannot rename
            // without replacing: from here on the caller makes its directories.
            Err(_) => {
                self.ready.clear();
                self.wanted = 0;
                Taken::NoneReady
            }
        }
    }
}

/// Makes and locks the pool's directory (on the chores thread).
pub fn open(dir: &Path) {
    let opened = make_dir(dir).and_then(|()| {
        spread_subdirectories(dir);
        write_lock(dir)
    });
    if let Some(pool) = lock_pool().as_mut().filter(|pool| pool.dir == dir) {
        pool.opened(opened);
    }
}

/// Tells ext2/3/4 that the spares are unrelated (the `T` attribute, `chattr +T`): its
/// allocator then places each in a block group of its own choosing rather than beside the
/// pool, where earlier sessions' trees were made and just freed. What a test then creates in
/// its directory is allocated there too, without stepping over those freed inodes. A hint:
/// other file systems refuse it, and nothing changes.
fn spread_subdirectories(dir: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // `FS_TOPDIR_FL` of linux/fs.h.
        const TOPDIR: libc::c_int = 0x0002_0000;
        let Ok(file) = std::fs::File::open(dir) else { return };
        let mut flags: libc::c_int = 0;
        // SAFETY: the flag ioctls read or write one int through the pointer, which lives
        // across each call; `file` is an open descriptor.
        unsafe {
            if libc::ioctl(file.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) == 0 {
                flags |= TOPDIR;
                libc::ioctl(file.as_raw_fd(), libc::FS_IOC_SETFLAGS, &flags);
            }
        }
    }
}

/// pytest's `create_cleanup_lock`: our pid in `.lock`, made exclusively.
fn write_lock(dir: &Path) -> io::Result<()> {
    let mut lock = std::fs::OpenOptions::new().write(true).create_new(true).open(dir.join(".lock"))?;
    lock.write_all(std::process::id().to_string().as_bytes())
}

fn make_dir(path: &Path) -> io::Result<()> {
    // pytest's mode for numbered directories; the umask applies as to its `mkdir`.
    std::fs::DirBuilder::new().mode(0o700).create(path)
}

/// Makes one spare if the pool wants one (on the chores thread, the pool unlocked meanwhile);
/// says whether it wants more after it.
pub fn make_one() -> bool {
    let Some(path) = lock_pool().as_mut().and_then(Pool::next_spare) else {
        return false;
    };
    let made = make_dir(&path);
    match lock_pool().as_mut().filter(|pool| path.starts_with(&pool.dir)) {
        Some(pool) => pool.add(path, made),
        // Closed meanwhile; the removal of its directory comes after this.
        None => false,
    }
}

impl Pool {
    fn opened(&mut self, opened: io::Result<()>) {
        self.open = opened.is_ok();
        if !self.open {
            self.wanted = 0;
        }
    }

    /// Where the next spare goes, if one is wanted.
    fn next_spare(&mut self) -> Option<PathBuf> {
        if !self.open || self.ready.len() >= self.wanted {
            return None;
        }
        self.made += 1;
        Some(self.dir.join(self.made.to_string()))
    }

    /// `made` tells whether `path` was made; says whether more are wanted.
    fn add(&mut self, path: PathBuf, made: io::Result<()>) -> bool {
        match made {
            Ok(()) => self.ready.push(path),
            Err(_) => self.wanted = 0,
        }
        self.ready.len() < self.wanted
    }
}

/// Stops the pool; returns its directory, for removal.
pub fn close() -> Option<PathBuf> {
    let mut pool = lock_pool();
    if pool.as_ref().is_some_and(|pool| pool.pid != std::process::id()) {
        return None;
    }
    pool.take().map(|pool| pool.dir)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let from = CString::new(from.as_os_str().as_bytes())?;
    let to = CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: both are NUL-terminated paths that outlive the call.
    let status =
        unsafe { libc::renameat2(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), libc::RENAME_NOREPLACE) };
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn rename_noreplace(_from: &Path, _to: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool of two spares in `dir`, made as the chores thread makes them.
    fn filled_pool(dir: &Path) -> Pool {
        let mut pool = Pool::new(dir.join("garbage-ferrotest-1"), 2);
        assert_eq!(pool.next_spare(), None, "nothing is made before the directory is");
        pool.opened(make_dir(&pool.dir).and_then(|()| write_lock(&pool.dir)));
        let mut wants_more = true;
        while let Some(spare) = pool.next_spare() {
            assert!(wants_more);
            let made = make_dir(&spare);
            wants_more = pool.add(spare, made);
        }
        assert!(!wants_more);
        pool
    }

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn spares_become_targets_and_never_replace_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut pool = filled_pool(dir.path());
        let basetemp = dir.path().join("pytest-0");
        std::fs::create_dir(&basetemp).unwrap();
        std::fs::create_dir(basetemp.join("test_a0")).unwrap();

        assert_eq!(pool.take(&basetemp.join("test_a0")), Taken::TargetExists);
        assert!(std::fs::read_dir(basetemp.join("test_a0")).unwrap().next().is_none());
        assert_eq!(pool.take(&basetemp.join("test_a1")), Taken::Moved);
        assert_eq!(pool.take(&basetemp.join("test_b0")), Taken::Moved);
        assert_eq!(pool.take(&basetemp.join("test_c0")), Taken::NoneReady, "two were expected");
        assert!(basetemp.join("test_a1").is_dir() && basetemp.join("test_b0").is_dir());
        let left: Vec<_> = std::fs::read_dir(&pool.dir).unwrap().map(|entry| entry.unwrap().file_name()).collect();
        assert_eq!(left, [".lock"]);
        let lock = std::fs::read_to_string(pool.dir.join(".lock")).unwrap();
        assert_eq!(lock, std::process::id().to_string());
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_pool_directory_asks_ext4_to_spread_the_spares() {
        use std::os::fd::AsRawFd;

        let dir = tempfile::tempdir().unwrap();
        spread_subdirectories(dir.path());
        let file = std::fs::File::open(dir.path()).unwrap();
        let mut flags: libc::c_int = 0;
        // SAFETY: as in `spread_subdirectories`.
        if unsafe { libc::ioctl(file.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) } != 0 {
            return; // A file system without these flags (tmpfs): nothing to ask.
        }
        assert_ne!(flags & 0x0002_0000, 0, "no T attribute: {flags:#x}");
    }

    #[test]
    fn a_pool_whose_spares_vanish_stops_offering_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut pool = filled_pool(dir.path());
        std::fs::remove_dir_all(&pool.dir).unwrap();
        assert_eq!(pool.take(&dir.path().join("test_a0")), Taken::NoneReady);
        assert_eq!((pool.ready.len(), pool.wanted), (0, 0));
        assert_eq!(pool.next_spare(), None);
    }
}
