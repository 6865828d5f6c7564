//! The conftests' hooks (see `hooks.py`): command-line options they add, the session hooks,
//! the items they reorder or mark, and the paths they keep from collection.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::Path;

use ferrotest_discovery::CollectedModule;
use ferrotest_scheduler::{ItemKeywords, Mark};
use pyo3::prelude::*;

use crate::enrich::{self, RawMark};
use crate::error::ExecutorError;
use crate::session;

/// An argument the command line did not know, and the one after it when that one was no
/// option (it becomes the option's value if a conftest's option takes one).
pub type UnknownArg = (String, Option<String>);

/// `pytest_addoption` of the initial conftests, then the `unknown` arguments parsed against
/// the options they added: `Ok` with the followers taken as values, `Err` with argparse's
/// usage message.
pub(crate) fn parse_options(py: Python<'_>, unknown: &[UnknownArg]) -> PyResult<Result<Vec<String>, String>> {
    let hooks = py.import("ferrotest_runtime.hooks")?;
    match hooks.call_method1("parse_options", (unknown.to_vec(),)) {
        Ok(taken) => Ok(Ok(taken.extract()?)),
        Err(err) if err.get_type(py).is_subclass(&hooks.getattr("UsageError")?)? => {
            Ok(Err(err.value(py).str()?.to_string()))
        }
        Err(err) => Err(err),
    }
}

/// What `pytest_configure` and `pytest_sessionstart` left for the session's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Configured {
    /// The lines `pytest_report_header` adds before pytest's own `rootdir` line.
    pub header_lines: Vec<String>,
    /// The lines of `tryfirst` header hooks (pytest-asyncio's), which come after pytest's own.
    pub late_header_lines: Vec<String>,
}

/// `pytest_configure`, `pytest_sessionstart`: see [`Configured`]; or pytest's usage error
/// for a setting it refuses while configuring (a logging level it does not know).
pub(crate) fn configure(py: Python<'_>) -> Result<Configured, ExecutorError> {
    let hooks = py.import("ferrotest_runtime.hooks")?;
    match hooks.call_method0("configure") {
        Ok(lines) => {
            let (header_lines, late_header_lines) = lines.extract()?;
            Ok(Configured { header_lines, late_header_lines })
        }
        Err(err) if err.get_type(py).is_subclass(&hooks.getattr("UsageError")?)? => {
            Err(ExecutorError::Usage(err.value(py).str()?.to_string()))
        }
        Err(err) => Err(err.into()),
    }
}

/// Every `markers` line: the ini's, then those conftests' `pytest_configure` added.
pub(crate) fn marker_lines(py: Python<'_>) -> PyResult<Vec<String>> {
    py.import("ferrotest_runtime.config")?.getattr("CONFIG")?.call_method1("getini", ("markers",))?.extract()
}

/// `pytest_sessionfinish` and `pytest_unconfigure`.
pub(crate) fn finish(py: Python<'_>, exitstatus: i32) -> PyResult<()> {
    py.import("ferrotest_runtime.hooks")?.call_method1("finish", (exitstatus,))?;
    Ok(())
}

pub(crate) fn is_ignored(py: Python<'_>, path: &Path, rootdir: &Path) -> PyResult<bool> {
    let args = (path.as_os_str(), rootdir.as_os_str());
    py.import("ferrotest_runtime.hooks")?.call_method1("is_ignored", args)?.extract()
}

/// `pytest_collection_modifyitems` over every collected item: the node IDs left in order
/// (`None` without the hook); marks the hooks added join the items' `-m` keywords.
pub(crate) fn modify_items(
    py: Python<'_>,
    modules: &[CollectedModule],
    keywords: &mut HashMap<String, ItemKeywords>,
) -> PyResult<Option<Vec<String>>> {
    let hooks = py.import("ferrotest_runtime.hooks")?;
    // Building every item's fields costs more than the rest of a plain collection.
    if hooks.call_method1("implementations", ("pytest_collection_modifyitems",))?.is_empty()? {
        return Ok(None);
    }
    type Fields<'a> =
        (&'a str, &'a str, &'a [String], &'a str, &'a str, &'a OsStr, &'a str, u32, Vec<String>, Vec<String>);
    let mut items: Vec<(Fields<'_>, Option<usize>)> = Vec::new();
    // Every module's items, doctests' too: the order the hook leaves is the whole session's.
    for module in modules {
        let spec = &module.spec;
        for item in &module.items {
            let fields = (
                item.nodeid.as_str(),
                spec.import_name.as_str(),
                &*item.classes,
                &*item.name,
                session::item_kind_name(item.kind),
                spec.path.as_os_str(),
                spec.nodeid.as_str(),
                item.lineno,
                session::package_nodeids(spec),
                session::class_nodeids(spec, item),
            );
            items.push((fields, item.callspec.as_ref().map(|callspec| callspec.index)));
        }
    }
    let items: Vec<_> =
        items.into_iter().map(|((a, b, c, d, e, f, g, h, i, j), k)| (a, b, c, d, e, f, g, h, i, j, k)).collect();
    let result = hooks.call_method1("modify_items", (items,))?;
    if result.is_none() {
        return Ok(None);
    }
    let (order, added): (Vec<String>, Vec<(String, Vec<RawMark>)>) = result.extract()?;
    for (nodeid, marks) in added {
        if let Some(entry) = keywords.get_mut(&nodeid) {
            let marks: Vec<Mark> = marks.into_iter().map(enrich::mark).collect();
            entry.names.extend(marks.iter().map(|mark| mark.name.clone()));
            entry.marks.extend(marks);
        }
    }
    Ok(Some(order))
}

/// `pytest_sessionfinish` and `pytest_unconfigure` with the session's exit status; only
/// once a [`crate::Session`] started the interpreter.
pub fn finish_plugins(exitstatus: i32) {
    Python::attach(|py| {
        if let Err(err) = finish(py, exitstatus) {
            err.print(py);
        }
    });
}
