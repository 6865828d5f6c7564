//! File-system chores of pytest's temporary directories that nobody waits for, done on a
//! thread of their own, in order: the `<prefix>current` link made beside every numbered
//! directory, removing the links that point nowhere at the session's end, and removing the
//! trees of sessions beyond the retention count. On a slow disk these cost more
//! than the tests that use `tmp_path` (a `symlink` can take half a millisecond, a previous
//! session's tree a thousand unlinks), so the tests run on while a second core does them.
//! The process waits for them before it ends (`finish_chores`), which a served run does
//! after its client has its exit status, so the directories a run leaves are pytest's.
//!
//! The same thread makes the spare directories that tests' `tmp_path` become (`spare_dirs`).
//!
//! The Python side sees this as the module `ferrotest_runtime.background_fs`.

mod spare_dirs;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Mutex;
use std::thread;

use pyo3::prelude::*;
use pyo3::types::PyModule;

enum Chore {
    /// pytest's `_force_symlink`: `link` now points at `target`, best effort.
    Symlink { link: PathBuf, target: PathBuf },
    /// pytest's `rm_rf`: remove a tree, making what refuses writable; best effort.
    RemoveTree(PathBuf),
    /// pytest's `cleanup_dead_symlinks`: remove the links in a directory whose target is gone.
    RemoveDeadLinks(PathBuf),
    /// Make and lock the directory of the spare directories, which are made from then on.
    OpenSpareDirs(PathBuf),
    /// Say so once the chores queued before this one are done.
    Report(Sender<()>),
}

/// Where to send chores for the thread doing them in this process (which runs until the
/// process ends, idle once they are done).
struct Worker {
    /// A forked child (a test that forks) inherits the handle but not the thread.
    pid: u32,
    chores: Sender<Chore>,
}

static WORKER: Mutex<Option<Worker>> = Mutex::new(None);

/// Queue `chore`, starting the thread on first use.
fn submit(chore: Chore) {
    let mut worker = WORKER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let worker = worker.get_or_insert_with(start);
    if worker.pid != std::process::id() {
        // A forked child, which may well `_exit` without waiting: done at once.
        return do_chore(chore);
    }
    if let Err(mpsc::SendError(chore)) = worker.chores.send(chore) {
        do_chore(chore);
    }
}

fn start() -> Worker {
    let (chores, queue) = mpsc::channel::<Chore>();
    thread::spawn(move || work(queue));
    Worker { pid: std::process::id(), chores }
}

fn work(queue: Receiver<Chore>) {
    loop {
        // A test may be about to ask for a spare directory; nobody waits for the other chores.
        let chore = if spare_dirs::make_one() {
            match queue.try_recv() {
                Ok(chore) => chore,
                Err(TryRecvError::Empty) => continue,
                Err(TryRecvError::Disconnected) => return,
            }
        } else {
            match queue.recv() {
                Ok(chore) => chore,
                Err(mpsc::RecvError) => return,
            }
        };
        do_chore(chore);
    }
}

/// The session's tests are expected to ask for `count` numbered directories (`tmp_path`).
pub(crate) fn expect_spare_dirs(count: usize) {
    spare_dirs::expect(count);
}

fn do_chore(chore: Chore) {
    match chore {
        Chore::Symlink { link, target } => force_symlink(&link, &target),
        Chore::RemoveTree(path) => remove_tree(&path),
        Chore::RemoveDeadLinks(dir) => remove_dead_links(&dir),
        Chore::OpenSpareDirs(dir) => spare_dirs::open(&dir),
        Chore::Report(done) => {
            let _ = done.send(());
        }
    }
}

fn force_symlink(link: &Path, target: &Path) {
    // Best effort as pytest's: a concurrent session may have replaced the link meanwhile.
    let _ = std::fs::remove_file(link);
    let _ = std::os::unix::fs::symlink(target, link);
}

fn remove_dead_links(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let is_link = entry.file_type().is_ok_and(|kind| kind.is_symlink());
        // `metadata` follows the link: it fails when the target does not exist.
        if is_link && std::fs::metadata(entry.path()).is_err() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn remove_tree(path: &Path) {
    if let Err(err) = std::fs::remove_dir_all(path) {
        // pytest's `rm_rf` makes read-only directories writable and tries again.
        if err.kind() == io::ErrorKind::PermissionDenied {
            make_directories_writable(path);
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

fn make_directories_writable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;

    let Ok(metadata) = std::fs::symlink_metadata(path) else { return };
    if !metadata.is_dir() {
        return;
    }
    let mode = metadata.permissions().mode();
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode | 0o700));
    for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
        make_directories_writable(&entry.path());
    }
}

/// Waits until every chore queued so far is done.
pub fn finish_chores() {
    let (done, finished) = mpsc::channel();
    let sent = match &*WORKER.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) {
        Some(worker) if worker.pid == std::process::id() => worker.chores.send(Chore::Report(done)).is_ok(),
        _ => false,
    };
    if sent {
        let _ = finished.recv();
    }
}

/// Point `link` at `target` (pytest's `_force_symlink`), soon.
#[pyfunction]
fn force_symlink_soon(link: PathBuf, target: PathBuf) {
    submit(Chore::Symlink { link, target });
}

/// Remove the tree `path`, soon.
#[pyfunction]
fn remove_tree_soon(path: PathBuf) {
    submit(Chore::RemoveTree(path));
}

/// Remove the links in `dir` that point nowhere, once the chores before are done.
#[pyfunction]
fn remove_dead_links_soon(dir: PathBuf) {
    submit(Chore::RemoveDeadLinks(dir));
}

/// Move a spare directory into `target` and say so, or say that none is ready (the caller
/// makes `target`); `FileExistsError` if it exists. The first call opens the session's spares
/// in `spares_parent`.
#[pyfunction]
fn take_spare_dir(target: PathBuf, spares_parent: PathBuf) -> PyResult<bool> {
    let submit_open = |dir| submit(Chore::OpenSpareDirs(dir));
    match spare_dirs::take(&target, &spares_parent, submit_open)? {
        spare_dirs::Taken::Moved => Ok(true),
        spare_dirs::Taken::NoneReady => Ok(false),
        spare_dirs::Taken::TargetExists => {
            Err(pyo3::exceptions::PyFileExistsError::new_err(format!("File exists: '{}'", target.display())))
        }
    }
}

/// No more spare directories: the ones left go, soon.
#[pyfunction]
fn close_spare_dirs() {
    if let Some(dir) = spare_dirs::close() {
        submit(Chore::RemoveTree(dir));
    }
}

/// Wait for the chores queued so far.
#[pyfunction]
fn wait(py: Python<'_>) {
    py.detach(finish_chores)
}

/// Register the module `ferrotest_runtime.background_fs`.
pub(crate) fn install(py: Python<'_>, package: &Bound<'_, PyModule>) -> PyResult<()> {
    let module = PyModule::new(py, "ferrotest_runtime.background_fs")?;
    module.add_function(wrap_pyfunction!(force_symlink_soon, &module)?)?;
    module.add_function(wrap_pyfunction!(remove_tree_soon, &module)?)?;
    module.add_function(wrap_pyfunction!(remove_dead_links_soon, &module)?)?;
    module.add_function(wrap_pyfunction!(take_spare_dir, &module)?)?;
    module.add_function(wrap_pyfunction!(close_spare_dirs, &module)?)?;
    module.add_function(wrap_pyfunction!(wait, &module)?)?;
    py.import("sys")?.getattr("modules")?.set_item("ferrotest_runtime.background_fs", &module)?;
    package.setattr("background_fs", module)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn chores_are_done_in_order_by_the_time_they_are_finished() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("pytest-0");
        std::fs::create_dir_all(old.join("test_a0")).unwrap();
        std::fs::write(old.join("test_a0/f.txt"), "x").unwrap();
        let link = dir.path().join("test_acurrent");
        for number in 0..3 {
            let target = dir.path().join(format!("test_a{number}"));
            submit(Chore::Symlink { link: link.clone(), target });
        }
        submit(Chore::RemoveTree(old.clone()));
        submit(Chore::RemoveTree(dir.path().join("never-there")));
        finish_chores();
        assert_eq!(std::fs::read_link(&link).unwrap(), dir.path().join("test_a2"));
        assert!(!old.exists());

        // The link points at a directory never made, and goes with the dead ones; a live
        // link stays.
        let live = dir.path().join("livecurrent");
        std::os::unix::fs::symlink(dir.path(), &live).unwrap();
        submit(Chore::RemoveDeadLinks(dir.path().to_path_buf()));
        finish_chores();
        assert!(std::fs::symlink_metadata(&link).is_err());
        assert!(std::fs::symlink_metadata(&live).is_ok());
    }

    #[test]
    fn read_only_directories_are_made_writable_for_removal() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("test_b0/inner");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join("f.txt"), "x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        for locked in [&inner, &dir.path().join("test_b0")] {
            std::fs::set_permissions(locked, std::fs::Permissions::from_mode(0o500)).unwrap();
        }
        make_directories_writable(&dir.path().join("test_b0"));
        assert_eq!((mode(&dir.path().join("test_b0")), mode(&inner)), (0o700, 0o700));
        assert_eq!(mode(&inner.join("f.txt")), 0o644, "files keep their mode");
    }
}
