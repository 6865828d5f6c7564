//! Plugins from the command line and the environment (see `plugins.py`): `-p` arguments,
//! `pytest11` entry points and `PYTEST_PLUGINS`, loaded as pytest loads them at start-up.

use pyo3::prelude::*;

use crate::error::ExecutorError;

/// Which plugins to load besides the environment's entry points.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginRequest {
    /// The `-p` arguments in command-line order (`NAME` or `no:NAME`).
    pub args: Vec<String>,
    /// `--disable-plugin-autoload`: no entry points (as `PYTEST_DISABLE_PLUGIN_AUTOLOAD`).
    pub disable_autoload: bool,
}

/// Load the plugins: the `plugins:` header entries (`mock-3.14.0`) of those that came from
/// entry points. A plugin that cannot be found is [`ExecutorError::PluginUsage`], one that
/// raised while importing [`ExecutorError::PluginImport`].
pub(crate) fn load(py: Python<'_>, request: &PluginRequest) -> Result<Vec<String>, ExecutorError> {
    let plugins = py.import("ferrotest_runtime.plugins")?;
    match plugins.call_method1("load", (request.args.clone(), request.disable_autoload)) {
        Ok(names) => Ok(names.extract()?),
        Err(err) => Err(plugin_failure(py, err).unwrap_or_else(ExecutorError::from)),
    }
}

/// The plugin error an exception raised while loading plugins stands for:
/// [`ExecutorError::PluginImport`] for `plugins.PluginImportFailure`,
/// [`ExecutorError::PluginUsage`] for `hooks.UsageError`; any other exception back.
pub(crate) fn plugin_failure(py: Python<'_>, err: PyErr) -> Result<ExecutorError, PyErr> {
    let value = err.value(py);
    if err.is_instance(py, &py.import("ferrotest_runtime.plugins")?.getattr("PluginImportFailure")?) {
        let name = value.getattr("name")?.extract()?;
        let traceback = value.getattr("text")?.extract()?;
        return Ok(ExecutorError::PluginImport { name, traceback });
    }
    if err.is_instance(py, &py.import("ferrotest_runtime.hooks")?.getattr("UsageError")?) {
        return Ok(ExecutorError::PluginUsage(value.str()?.to_string()));
    }
    Err(err)
}
