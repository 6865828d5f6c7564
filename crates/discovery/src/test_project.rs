//! A throwaway project directory for this crate's tests.

use std::fs;
use std::path::PathBuf;

/// Files written under a temporary directory, removed when dropped.
pub(crate) struct Project(tempfile::TempDir);

impl Project {
    pub(crate) fn new(files: &[(&str, &str)]) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = tmp.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Project(tmp)
    }

    /// The directory, canonical (as the walk reports paths).
    pub(crate) fn root(&self) -> PathBuf {
        fs::canonicalize(self.0.path()).unwrap()
    }
}
