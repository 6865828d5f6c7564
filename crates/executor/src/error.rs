//! Why the executor could not start or continue.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ExecutorError {
    /// No interpreter could be found where pytest would look for one.
    #[error("no Python interpreter found: {0}")]
    PythonNotFound(String),
    /// The user's interpreter is another minor version than the libpython ferrotest embeds.
    #[error(
        "ferrotest was built against Python {built}, but the environment's interpreter {executable} is Python {found}.\n\
         Rebuild ferrotest for it: PYO3_PYTHON={executable} cargo install --path crates/cli --force",
        executable = executable.display()
    )]
    VersionMismatch { built: String, found: String, executable: PathBuf },
    /// The embedded interpreter refused its configuration.
    #[error("could not initialise Python: {0}")]
    Init(String),
    /// A Python exception where ferrotest itself was running Python code (not a test's).
    #[error("internal Python error: {0}")]
    Python(String),
    /// pytest's usage error (exit 4) for a conftest that fails while pytest loads its initial
    /// conftests (those beside the rootdir/arguments and in their `test*` directories).
    #[error("ImportError while loading conftest '{}'.\n{traceback}", path.display())]
    ConftestImport { path: PathBuf, traceback: String },
    /// pytest's usage error (exit 4) for a setting it refuses while configuring.
    #[error("{0}")]
    Usage(String),
    /// pytest's usage error (exit 4) for a `-p` argument: a plugin that does not exist, or
    /// one that cannot be blocked.
    #[error("{0}")]
    PluginUsage(String),
    /// A plugin raised while importing: pytest's internal error (exit 3).
    #[error("Error while loading plugin \"{name}\".\n{traceback}")]
    PluginImport { name: String, traceback: String },
    /// pytest's usage error (exit 4) for a warning filter (`-W`, `filterwarnings`) it
    /// refuses; the text is pytest's.
    #[error("{0}")]
    WarningFilter(String),
    /// pytest's usage error (exit 4) under `strict_config` for an ini key no option
    /// registered; the text is pytest's.
    #[error("{0}")]
    UnknownIniKey(String),
}

impl ExecutorError {
    /// The usage error pytest gives instead of a collection error when the failing conftest is
    /// one it loads at start-up; `error` is what [`crate::Session::import_modules`] returned for it.
    pub fn conftest_import(conftest: &ferrotest_discovery::ModuleSpec, error: &ferrotest_events::CollectError) -> Self {
        ExecutorError::ConftestImport { path: conftest.path.clone(), traceback: error.longrepr.clone() }
    }
}

impl From<pyo3::PyErr> for ExecutorError {
    fn from(err: pyo3::PyErr) -> Self {
        ExecutorError::Python(err.to_string())
    }
}
