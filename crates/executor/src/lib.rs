//! Runs tests in an embedded CPython, with pytest's semantics.
//!
//! The interpreter is the user's: `VIRTUAL_ENV`, else `.venv` under the rootdir, else the
//! `python3` on PATH, initialised through `PyConfig` so that its `pyvenv.cfg`, `sys.prefix` and
//! site-packages are the user's. Modules are imported as pytest's default `prepend` import mode
//! imports them. The Python side (import helpers, outcome handling, capture) is real `.py` code
//! under `python/`, embedded at build time.
//!
//! ```no_run
//! use ferrotest_executor::{PythonEnv, Session};
//! let rootdir = std::env::current_dir().unwrap();
//! let env = PythonEnv::discover(&rootdir).unwrap();
//! let mut session = Session::start(&env, &rootdir).unwrap();
//! println!("Python {}", session.python_version());
//! ```

mod background_fs;
mod doctests;
mod enrich;
mod error;
mod fixture_defs;
pub mod forkserver;
mod hooks;
mod interpreter;
mod plugins;
mod python_env;
mod session;
mod settings;
mod warnings;

pub use background_fs::finish_chores;
pub use error::ExecutorError;
pub use fixture_defs::FixtureDescription;
pub use hooks::{finish_plugins, Configured, UnknownArg};
pub use plugins::PluginRequest;
pub use python_env::PythonEnv;
pub use session::{CaptureMethod, CollectPatterns, PytestExit, RunOptions, RunSummary, Session};
pub use settings::{OptionValue, SessionSettings, TerminalSettings};
