//! The conftests' hooks (see `hooks.py`): command-line options they add, the session hooks,
//! the items they reorder or mark, and the paths they keep from collection.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::Path;

use ferrotest_discovery::{CollectedModule, ModuleSpec, TestItem};
use ferrotest_events::{LongRepr, TerminalStats, TerminalSummary, TerminalWrite};
use ferrotest_scheduler::{ItemKeywords, Mark, Plan};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

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

/// `pytest_sessionfinish`, `pytest_terminal_summary` (reading `stats`) and
/// `pytest_unconfigure`: what the terminal summary hooks wrote, `None` without any.
pub(crate) fn finish(
    py: Python<'_>,
    exitstatus: i32,
    stats: Option<&TerminalStats>,
) -> PyResult<Option<TerminalSummary>> {
    let stats = stats.map(|stats| stats_data(py, stats)).transpose()?;
    let written = py.import("ferrotest_runtime.hooks")?.call_method1("finish", (exitstatus, stats))?;
    let parts: Option<[Vec<Option<String>>; 3]> = written.extract()?;
    Ok(parts.map(|[before_junitxml, before_durations, after_durations]| TerminalSummary {
        before_junitxml: terminal_writes(before_junitxml),
        before_durations: terminal_writes(before_durations),
        after_durations: terminal_writes(after_durations),
    }))
}

fn terminal_writes(writes: Vec<Option<String>>) -> Vec<TerminalWrite> {
    writes.into_iter().map(|write| write.map_or(TerminalWrite::EnsureNewline, TerminalWrite::Text)).collect()
}

/// `stats` as `terminalsummary.make_stats` reads it.
fn stats_data<'py>(py: Python<'py>, stats: &TerminalStats) -> PyResult<Bound<'py, PyTuple>> {
    let reports = stats
        .reports
        .iter()
        .map(|(category, report)| {
            let location = report.location.as_deref().map(|l| (l.path.as_str(), l.lineno, l.domain.as_str()));
            (
                category.as_str(),
                &*report.nodeid,
                location,
                report.when.as_str(),
                report.outcome.as_str(),
                report.longrepr.as_ref().map(|longrepr| longrepr_data(py, longrepr)).transpose()?,
                report.duration,
                report.sections.clone(),
                report.user_properties.clone(),
                report.wasxfail.as_deref(),
            )
                .into_pyobject(py)
        })
        .collect::<PyResult<Vec<_>>>()?;
    let collect_errors: Vec<_> =
        stats.collect_errors.iter().map(|e| (e.nodeid.as_str(), e.longrepr.as_str(), e.sections.clone())).collect();
    let collect_skips: Vec<_> = stats
        .collect_skips
        .iter()
        .map(|s| (s.nodeid.as_str(), s.path.as_str(), s.lineno, s.message.as_str()))
        .collect();
    let warnings: Vec<_> = stats.warnings.iter().map(|w| (w.location.as_deref(), w.message.as_str())).collect();
    (reports, collect_errors, collect_skips, warnings).into_pyobject(py)
}

/// A long report as `run.py` holds it: `("failure", text, message)` or `("skip", path,
/// lineno, reason)`.
fn longrepr_data<'py>(py: Python<'py>, longrepr: &LongRepr) -> PyResult<Bound<'py, PyAny>> {
    match longrepr {
        LongRepr::Failure { text, message, .. } => Ok(("failure", text, message).into_pyobject(py)?.into_any()),
        LongRepr::Skip { path, lineno, reason } => Ok(("skip", path, lineno, reason).into_pyobject(py)?.into_any()),
    }
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
    // Every module's items, doctests' too: the order the hook leaves is the whole session's.
    let items: Vec<_> =
        modules.iter().flat_map(|module| module.items.iter().map(|item| item_fields(&module.spec, item))).collect();
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

/// Whether a registered conftest or plugin implements hook `name`.
pub(crate) fn implements(py: Python<'_>, name: &str) -> PyResult<bool> {
    Ok(!py.import("ferrotest_runtime.hooks")?.call_method1("implementations", (name,))?.is_empty()?)
}

/// `pytest_collection_finish` with the plan's items as `session.items`: `before_terminal`,
/// the implementations pytest calls before its terminal reporter writes `collected N items`,
/// else the others. What they print goes straight to the terminal.
pub(crate) fn collection_finish(py: Python<'_>, plan: &Plan, before_terminal: bool) -> PyResult<()> {
    let hooks = py.import("ferrotest_runtime.hooks")?;
    if hooks.call_method1("collection_finish_implementations", (before_terminal,))?.is_empty()? {
        return Ok(());
    }
    let items: Vec<_> =
        plan.items.iter().map(|planned| item_fields(&plan.modules[planned.module], &planned.item)).collect();
    hooks.call_method1("collection_finish", (items, before_terminal))?;
    Ok(())
}

/// What `hooks.CollectedItem` is made of.
type ItemFields<'a> = (
    &'a str,
    &'a str,
    &'a [String],
    &'a str,
    &'a str,
    &'a OsStr,
    &'a str,
    u32,
    Vec<String>,
    Vec<String>,
    Option<usize>,
);

fn item_fields<'a>(spec: &'a ModuleSpec, item: &'a TestItem) -> ItemFields<'a> {
    (
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
        item.callspec.as_ref().map(|callspec| callspec.index),
    )
}

/// `pytest_sessionfinish`, `pytest_terminal_summary` and `pytest_unconfigure` with the
/// session's exit status (see [`finish`]); only once a [`crate::Session`] started the
/// interpreter. `stats`: what the session reported, when [`crate::Session::implements_hook`]
/// said a terminal summary hook would read it.
pub fn finish_plugins(exitstatus: i32, stats: Option<&TerminalStats>) -> Option<TerminalSummary> {
    Python::attach(|py| {
        finish(py, exitstatus, stats).unwrap_or_else(|err| {
            err.print(py);
            None
        })
    })
}
