//! The session's configuration as the Python side needs it: pytest's `Config` (`getini`,
//! `getoption`, `rootpath`) and the assertion-rewriting settings.

use std::path::PathBuf;

use ferrotest_discovery::{Config, IniValue};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::ExecutorError;

/// A command-line option's value, by pytest's destination name (`verbose`, `basetemp`).
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<String>),
}

/// What tests, fixtures and assertion rewriting see of the session's configuration.
#[derive(Debug, Clone, Default)]
pub struct SessionSettings {
    pub rootdir: PathBuf,
    pub inifile: Option<PathBuf>,
    pub ini: Vec<(String, IniValue)>,
    pub options: Vec<(String, OptionValue)>,
    /// The positional arguments (`config.args`).
    pub args: Vec<String>,
    /// `--assert=rewrite` (the default) or `plain`.
    pub rewrite_asserts: bool,
    /// Assertion verbosity: `verbosity_assertions`, else `-v` count minus `-q` count.
    pub assert_verbosity: i32,
    /// Whether `-k`/`-m` will select: only then is each item's keyword set gathered,
    /// which costs a few microseconds a test.
    pub collect_keywords: bool,
    /// The `usefixtures` ini option: fixtures every test requests.
    pub usefixtures: Vec<String>,
    /// pytest's warnings plugin records warnings for the summary (`-p no:warnings` turns it
    /// off, leaving warnings to Python).
    pub capture_warnings: bool,
    /// The `-W` / `--pythonwarnings` filters, in order.
    pub pythonwarnings: Vec<String>,
    /// The terminal's width and whether it shows colours, for what the Python side writes
    /// to it itself (live logs).
    pub terminal: TerminalSettings,
}

/// What the terminal reporter knows of the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalSettings {
    pub width: usize,
    pub markup: bool,
}

impl Default for TerminalSettings {
    fn default() -> Self {
        TerminalSettings { width: 80, markup: false }
    }
}

impl SessionSettings {
    /// The settings of `config` with pytest's defaults for everything else.
    pub fn from_config(config: &Config) -> Self {
        SessionSettings {
            rootdir: config.rootdir.clone(),
            inifile: config.inifile.clone(),
            ini: config.ini.values().iter().map(|(name, value)| (name.clone(), value.clone())).collect(),
            usefixtures: config.ini.usefixtures(),
            rewrite_asserts: true,
            capture_warnings: true,
            ..SessionSettings::default()
        }
    }
}

/// Install `settings` in the interpreter; must precede imports (the code cache keys on
/// whether assertions are rewritten, warning filters apply to imports).
pub(crate) fn apply(py: Python<'_>, settings: &SessionSettings) -> Result<(), ExecutorError> {
    apply_config(py, settings)?;
    configure_warnings(py, settings)
}

fn apply_config(py: Python<'_>, settings: &SessionSettings) -> PyResult<()> {
    let ini = PyDict::new(py);
    for (name, value) in &settings.ini {
        match value {
            IniValue::Text(text) => ini.set_item(name, text)?,
            IniValue::List(items) => ini.set_item(name, items)?,
        }
    }
    let options = PyDict::new(py);
    for (name, value) in &settings.options {
        match value {
            OptionValue::None => options.set_item(name, py.None())?,
            OptionValue::Bool(flag) => options.set_item(name, flag)?,
            OptionValue::Int(number) => options.set_item(name, number)?,
            OptionValue::Float(number) => options.set_item(name, number)?,
            OptionValue::Str(text) => options.set_item(name, text)?,
            OptionValue::List(items) => options.set_item(name, items)?,
        }
    }
    let inifile = settings.inifile.as_deref().map(|path| path.as_os_str());
    let terminal = (settings.terminal.width, settings.terminal.markup);
    let args = (settings.rootdir.as_os_str(), inifile, ini, options, &settings.args, terminal);
    py.import("ferrotest_runtime.config")?.call_method1("configure", args)?;
    let rewrite = py.import("ferrotest_runtime.rewrite")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("enabled", settings.rewrite_asserts)?;
    kwargs.set_item("verbosity", settings.assert_verbosity)?;
    rewrite.call_method("configure", (), Some(&kwargs))?;
    Ok(())
}

/// pytest's warning filters for the whole session; a filter pytest refuses is its usage error.
fn configure_warnings(py: Python<'_>, settings: &SessionSettings) -> Result<(), ExecutorError> {
    let warncapture = py.import("ferrotest_runtime.warncapture")?;
    match warncapture.call_method1("configure", (settings.capture_warnings, &settings.pythonwarnings)) {
        Ok(_) => Ok(()),
        Err(err) if err.is_instance(py, &warncapture.getattr("UsageError")?) => {
            Err(ExecutorError::WarningFilter(err.value(py).str()?.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}
