//! Reading fixture definitions out of imported modules (see `fixtures.py`), as plain data for
//! the fixtures crate.

use std::collections::HashSet;
use std::path::PathBuf;

use ferrotest_discovery::{CollectedModule, ModuleKind};
use ferrotest_fixtures::{FixtureDef, ItemRequest, Registry, Scope};
use pyo3::prelude::*;
use pyo3::types::PyCFunction;

/// The definitions `module` registers, in pytest's registration order: for a conftest, its
/// fixtures at its directory's node; for a test module, its xunit hooks and fixtures, then each
/// class's (outer classes first).
pub(crate) fn discover(py: Python<'_>, module: &CollectedModule) -> PyResult<Vec<(usize, FixtureDef)>> {
    let spec = &module.spec;
    let fixtures = py.import("ferrotest_runtime.fixtures")?;
    let found = match spec.kind {
        ModuleKind::Conftest => {
            let baseid = spec.nodeid.rsplit_once('/').map_or("", |(dir, _)| dir);
            fixtures.call_method1("discover_conftest", (&spec.import_name, baseid))?
        }
        ModuleKind::Test => {
            fixtures.call_method1("discover_module", (&spec.import_name, &spec.nodeid, class_paths(module)))?
        }
        ModuleKind::Doctest => fixtures.call_method1("discover_doctest_module", (&spec.import_name, &spec.nodeid))?,
        // A text file defines nothing.
        ModuleKind::DoctestText => return Ok(Vec::new()),
    };
    found.try_iter()?.map(|raw| definition(&raw?)).collect()
}

/// pytest's builtin fixtures (see `builtins.py`), registered before anything else.
pub(crate) fn builtins(py: Python<'_>) -> PyResult<Vec<(usize, FixtureDef)>> {
    registered_by(py, "register_builtins")
}

/// The fixtures of the plugins registered since the last call (`-p`, entry points), for
/// every test.
pub(crate) fn plugins(py: Python<'_>) -> PyResult<Vec<(usize, FixtureDef)>> {
    registered_by(py, "discover_plugins")
}

/// The fixtures of the plugins test modules' `pytest_plugins` loaded, for every test. pytest
/// registers them after the rootdir conftest's (they load while it collects), so they are
/// not [`FixtureDef::plugin`]: at the session's node the later registration wins.
pub(crate) fn plugins_loaded_by_test_modules(py: Python<'_>) -> PyResult<Vec<(usize, FixtureDef)>> {
    registered_by(py, "discover_plugins_loaded_late")
}

fn registered_by(py: Python<'_>, function: &str) -> PyResult<Vec<(usize, FixtureDef)>> {
    let found = py.import("ferrotest_runtime.fixtures")?.call_method0(function)?;
    found.try_iter()?.map(|raw| definition(&raw?)).collect()
}

/// Every class path that holds an item, each once, parents before their nested classes.
fn class_paths(module: &CollectedModule) -> Vec<Vec<String>> {
    let mut seen = HashSet::new();
    let mut paths = Vec::new();
    for item in &module.items {
        for depth in 1..=item.classes.len() {
            let path = item.classes[..depth].to_vec();
            if seen.insert(path.clone()) {
                paths.push(path);
            }
        }
    }
    paths
}

fn definition(raw: &Bound<'_, PyAny>) -> PyResult<(usize, FixtureDef)> {
    type Raw =
        (usize, String, Option<String>, String, bool, Vec<String>, Option<Vec<String>>, Option<String>, u32, String);
    let (id, name, baseid, scope, autouse, argnames, param_ids, path, lineno, signature): Raw = raw.extract()?;
    let scope = Scope::parse(&scope).unwrap_or(Scope::Function);
    let location = path.map(|path| (PathBuf::from(path), lineno));
    // A plugin's definitions have no node (pytest's `baseid=None`): they are for every test.
    let plugin = baseid.is_none();
    let baseid = baseid.unwrap_or_default();
    Ok((id, FixtureDef { name, baseid, scope, autouse, argnames, param_ids, location, signature, plugin }))
}

/// A definition as `--fixtures` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureDescription {
    pub def: FixtureDef,
    /// Its function's `__module__` (`conftest`, `test_a`); for ferrotest's stand-ins for
    /// pytest's fixtures, pytest's module (`_pytest.capture`).
    pub module: String,
    /// `inspect.getdoc` of its function.
    pub doc: Option<String>,
    /// For the stand-ins: where pytest defines the fixture, `_pytest/capture.py:1012`.
    pub pytest_location: Option<String>,
}

/// Every definition of `defs` (the session's, in registration order) described.
pub(crate) fn describe(py: Python<'_>, defs: &[FixtureDef]) -> PyResult<Vec<FixtureDescription>> {
    let described: Vec<(String, Option<String>, Option<String>)> =
        py.import("ferrotest_runtime.fixtures")?.call_method0("describe")?.extract()?;
    let described = defs.iter().cloned().zip(described);
    Ok(described
        .map(|(def, (module, doc, pytest_location))| FixtureDescription { def, module, doc, pytest_location })
        .collect())
}

/// Give the Python side `fixtures.RESOLVE(nodeid, name)`: the setup of one more fixture for a
/// running test (`request.getfixturevalue`), resolved by the same registry as the plan.
pub(crate) fn install_resolver(py: Python<'_>, registry: Registry) -> PyResult<()> {
    let resolve = PyCFunction::new_closure(py, Some(c"resolve"), None, move |args, _kwargs| -> PyResult<_> {
        let (nodeid, name): (String, String) = args.extract()?;
        let resolution = registry.resolve(&ItemRequest::new(&nodeid, vec![name]));
        let error = resolution.error.map(|error| (error.to_string(), error.summary_message()));
        Ok((resolution.fixtures.setup, resolution.fixtures.arguments, error))
    })?;
    py.import("ferrotest_runtime.fixtures")?.setattr("RESOLVE", resolve)
}

/// Give the Python side `enrich.CLOSURE(nodeid, argnames, usefixtures, direct)`: a test's
/// fixture closure with the definition each name resolves to, which parametrization needs
/// (fixtures with `params=` multiply the test).
pub(crate) fn install_closure(py: Python<'_>, registry: Registry) -> PyResult<()> {
    let closure = PyCFunction::new_closure(py, Some(c"closure"), None, move |args, _kwargs| -> PyResult<_> {
        let (nodeid, argnames, usefixtures, direct_params): (String, Vec<String>, Vec<String>, Vec<String>) =
            args.extract()?;
        let request = ItemRequest { nodeid: nodeid.clone(), argnames, usefixtures, direct_params, location: None };
        let names = registry.resolve(&request).fixtures.closure;
        let resolved: Vec<(String, Option<usize>)> = names
            .into_iter()
            .map(|name| {
                let id = if request.direct_params.contains(&name) {
                    None
                } else {
                    registry.visible(&name, &nodeid).last().copied()
                };
                (name, id)
            })
            .collect();
        Ok(resolved)
    })?;
    py.import("ferrotest_runtime.enrich")?.setattr("CLOSURE", closure)
}
