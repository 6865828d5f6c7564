//! pytest's warnings plugin around the collection phase (see `warncapture.py`): what the
//! imports warn about, under the session's filters, as `WarningReport`s.

use std::path::Path;

use ferrotest_discovery::CollectWarning;
use ferrotest_events::{CollectError, WarningReport};
use pyo3::prelude::*;

/// Records warnings until [`Recording::finish`], outside any test (pytest's `collect` and
/// `config` catches: locations are `path:line`).
pub(crate) struct Recording<'py> {
    token: Bound<'py, PyAny>,
}

impl<'py> Recording<'py> {
    pub(crate) fn start(py: Python<'py>) -> PyResult<Self> {
        Ok(Recording { token: warncapture(py)?.call_method0("begin")? })
    }

    /// The warnings recorded since [`Recording::start`], in order.
    pub(crate) fn finish(self) -> PyResult<Vec<WarningReport>> {
        let py = self.token.py();
        reports(&warncapture(py)?.call_method1("end", (self.token,))?)
    }
}

/// `warncapture.end`'s records (None or a list of `(location, text)`) as reports.
pub(crate) fn reports(records: &Bound<'_, PyAny>) -> PyResult<Vec<WarningReport>> {
    let records: Option<Vec<(String, String)>> = records.extract()?;
    Ok(records
        .unwrap_or_default()
        .into_iter()
        .map(|(location, message)| WarningReport { location: Some(location), message })
        .collect())
}

/// Raise a warning static collection found in the module at `path` as pytest raises it; a
/// filter that makes it an error makes it a collection error of its node, as in pytest.
pub(crate) fn raise_static(py: Python<'_>, path: &Path, warning: &CollectWarning) -> PyResult<Option<CollectError>> {
    let args = (&warning.category, &warning.message, path.as_os_str(), warning.lineno);
    let error: Option<String> = warncapture(py)?.call_method1("warn_static", args)?.extract()?;
    Ok(error.map(|message| CollectError {
        nodeid: warning.nodeid.clone(),
        longrepr: format!("E   {message}"),
        message,
        sections: Vec::new(),
    }))
}

/// pytest's check of the ini keys (`warncapture.validate_ini_keys`): their warnings go to the
/// current recording; `Some` is the usage error `strict_config` makes of the first.
pub(crate) fn validate_ini_keys(py: Python<'_>) -> PyResult<Option<String>> {
    let warncapture = warncapture(py)?;
    match warncapture.call_method0("validate_ini_keys") {
        Ok(_) => Ok(None),
        Err(err) if err.is_instance(py, &warncapture.getattr("UsageError")?) => {
            Ok(Some(err.value(py).str()?.to_string()))
        }
        Err(err) => Err(err),
    }
}

fn warncapture(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("ferrotest_runtime.warncapture")
}
