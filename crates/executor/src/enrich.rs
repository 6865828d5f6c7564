//! The collection step only the imported module can do (see `enrich.py`): marks,
//! `usefixtures`, and parametrization into one item per call spec with pytest's IDs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use ferrotest_discovery::{CallSpec, CollectedModule, ModuleKind, Names, ParamKey, TestItem};
use ferrotest_events::CollectError;
use ferrotest_scheduler::{ItemKeywords, Mark, MarkValue};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

/// A mark as `enrich.py` reports it: name, and keyword arguments as `(kind, text)`.
pub(crate) type RawMark = (String, Vec<(String, (String, String))>);

/// An item's `-k`/`-m` keywords as `enrich.py` reports them: keyword names, marks.
type RawKeywords = (Vec<String>, Vec<RawMark>);

/// A call's parameter as `enrich.py` reports it: argname, index, value key, scope.
type RawParamKey = (String, usize, String, String);

/// Replace each test module's items by their variants, and when `want_keywords` gather
/// their keywords for `-k` and `-m`. A module whose parametrization pytest would reject becomes a collection error.
pub(crate) fn enrich_modules(
    py: Python<'_>,
    modules: &mut [CollectedModule],
    want_keywords: bool,
    keywords: &mut HashMap<String, ItemKeywords>,
) -> PyResult<Vec<CollectError>> {
    let enrich = py.import("ferrotest_runtime.enrich")?;
    let config = py.import("ferrotest_runtime.config")?.getattr("CONFIG")?;
    let options = py.import("ferrotest_runtime.params")?.call_method1("options_from_config", (config,))?;
    let enrichment = enrich.getattr("Enrichment")?.call1((options, want_keywords))?;
    let mut errors = Vec::new();
    for module in modules.iter_mut().filter(|m| m.spec.kind == ModuleKind::Test && !m.items.is_empty()) {
        let items: Vec<_> =
            module.items.iter().map(|item| (&item.nodeid, &*item.classes, &*item.name, &*item.argnames)).collect();
        let args = (&module.spec.import_name, &module.spec.nodeid, items);
        match enrichment.call_method1("module", args) {
            Ok(enriched) => {
                let (enriched, failed): (Bound<'_, PyList>, Vec<(String, String)>) = enriched.extract()?;
                module.items = expand(std::mem::take(&mut module.items), &enriched, keywords)?;
                for (collector, message) in failed {
                    let held = format!("{collector}::");
                    module.items.retain(|item| !item.nodeid.starts_with(&held));
                    errors.push(CollectError {
                        nodeid: collector,
                        longrepr: format!("E   {message}"),
                        message,
                        sections: Vec::new(),
                    });
                }
            }
            Err(err) if is_error_of(py, &err, "params", "ParametrizeError") => {
                module.items.clear();
                errors.push(parametrize_error(py, &module.spec.nodeid, &err)?);
            }
            Err(err) if is_error_of(py, &err, "metafunc", "HookError") => {
                module.items.clear();
                errors.push(hook_error(py, &module.spec.nodeid, &err)?);
            }
            Err(err) => return Err(err),
        }
    }
    Ok(errors)
}

/// The items with what `enrich_module` says of each (see there): unchanged, with their
/// `usefixtures` (and keywords), or one item per call of their parametrization.
fn expand(
    items: Vec<Arc<TestItem>>,
    enriched: &Bound<'_, PyList>,
    keywords: &mut HashMap<String, ItemKeywords>,
) -> PyResult<Vec<Arc<TestItem>>> {
    let mut expanded = Vec::with_capacity(items.len().max(enriched.len()));
    for (mut item, entry) in items.into_iter().zip(enriched.iter()) {
        if entry.is_none() {
            expanded.push(item);
            continue;
        }
        let entry = entry.cast_into::<PyTuple>()?;
        // Not shared yet: changed in place.
        Arc::make_mut(&mut item).usefixtures = entry.get_item(0)?.extract::<Vec<String>>()?.into();
        let ids = entry.get_item(1)?;
        if ids.is_none() {
            if let Some(raw) = entry.get_item(2)?.extract::<Option<RawKeywords>>()? {
                add_keywords(keywords, item.nodeid.clone(), raw);
            }
            expanded.push(item);
            continue;
        }
        let calls = Calls {
            ids: ids.cast_into::<PyList>()?,
            keywords: entry.get_item(2)?.extract()?,
            direct: entry.get_item(3)?.extract::<Vec<String>>()?.into(),
            param_keys: entry.get_item(4)?.extract()?,
        };
        calls.expand(&item, &mut expanded, keywords)?;
    }
    Ok(expanded)
}

/// A parametrized item's calls as `enrich_module` reports them.
struct Calls<'py> {
    /// Each call's ID (`None` where every parameter is hidden).
    ids: Bound<'py, PyList>,
    keywords: Option<Vec<RawKeywords>>,
    direct: Names,
    /// Each call's parameters wider than function-scoped; `None` when no call has any.
    param_keys: Option<Vec<Vec<RawParamKey>>>,
}

impl Calls<'_> {
    /// One item per call, after `expanded`'s.
    fn expand(
        self,
        item: &TestItem,
        expanded: &mut Vec<Arc<TestItem>>,
        keywords: &mut HashMap<String, ItemKeywords>,
    ) -> PyResult<()> {
        let mut param_keys = self.param_keys.map(Vec::into_iter);
        let mut call_keywords = self.keywords.map(Vec::into_iter);
        // Room for every call at once: grown call by call, the items are copied as it doubles.
        expanded.reserve(self.ids.len());
        for (index, id) in self.ids.iter().enumerate() {
            // Read in place: the id is kept in the node ID only.
            let id = if id.is_none() { None } else { Some(id.cast_into::<PyString>()?) };
            let (nodeid, id_len) = match &id {
                Some(id) => {
                    let id = id.to_str()?;
                    (call_nodeid(&item.nodeid, id), Some(id.len()))
                }
                None => (item.nodeid.clone(), None),
            };
            let params = param_keys.as_mut().and_then(Iterator::next).unwrap_or_default();
            let params = params
                .into_iter()
                .map(|(argname, index, value, scope)| ParamKey { argname, index, value, scope })
                .collect();
            if let Some(raw) = call_keywords.as_mut().and_then(Iterator::next) {
                add_keywords(keywords, nodeid.clone(), raw);
            }
            expanded.push(Arc::new(TestItem {
                nodeid,
                name: item.name.clone(),
                classes: item.classes.clone(),
                kind: item.kind,
                lineno: item.lineno,
                argnames: item.argnames.clone(),
                is_async: item.is_async,
                usefixtures: item.usefixtures.clone(),
                callspec: Some(CallSpec { id_len, index, direct: self.direct.clone(), params }),
            }));
        }
        Ok(())
    }
}

/// `base[id]`.
fn call_nodeid(base: &str, id: &str) -> String {
    let mut nodeid = String::with_capacity(base.len() + id.len() + 2);
    nodeid.push_str(base);
    nodeid.push('[');
    nodeid.push_str(id);
    nodeid.push(']');
    nodeid
}

/// Keywords matter only where they name something (an item without gets its static ones).
fn add_keywords(keywords: &mut HashMap<String, ItemKeywords>, nodeid: String, (names, marks): RawKeywords) {
    if !names.is_empty() {
        keywords.insert(nodeid, ItemKeywords { names, marks: marks.into_iter().map(mark).collect() });
    }
}

pub(crate) fn mark((name, kwargs): RawMark) -> Mark {
    let kwargs: BTreeMap<String, MarkValue> = kwargs.into_iter().map(|(key, value)| (key, mark_value(value))).collect();
    Mark { name, kwargs }
}

fn mark_value((kind, text): (String, String)) -> MarkValue {
    match (kind.as_str(), text.as_str()) {
        ("const", "None") => MarkValue::None,
        ("const", "True") => MarkValue::Bool(true),
        ("const", "False") => MarkValue::Bool(false),
        ("int", _) => MarkValue::Int(text),
        ("float", _) => text.parse().map(MarkValue::Float).unwrap_or(MarkValue::Other(text)),
        ("str", _) => MarkValue::Str(text),
        _ => MarkValue::Other(text),
    }
}

/// Whether `err` is the exception class `ferrotest_runtime.<module>.<class>`.
fn is_error_of(py: Python<'_>, err: &PyErr, module: &str, class: &str) -> bool {
    py.import(format!("ferrotest_runtime.{module}"))
        .and_then(|module| module.getattr(class))
        .map(|class| err.get_type(py).is_subclass(&class).unwrap_or(false))
        .unwrap_or(false)
}

/// pytest reports a rejected parametrization as the module's collection error: the message
/// alone, `Failed: `-prefixed in the short summary (it is a `pytest.fail`).
fn parametrize_error(py: Python<'_>, nodeid: &str, err: &PyErr) -> PyResult<CollectError> {
    let text: String = err.value(py).getattr("message")?.extract()?;
    Ok(CollectError {
        nodeid: nodeid.to_string(),
        message: format!("Failed: {text}"),
        longrepr: text,
        sections: Vec::new(),
    })
}

/// A `pytest_generate_tests` hook that raised: the module's collection error, as pytest shows it.
fn hook_error(py: Python<'_>, nodeid: &str, err: &PyErr) -> PyResult<CollectError> {
    let value = err.value(py);
    Ok(CollectError {
        nodeid: nodeid.to_string(),
        longrepr: value.getattr("longrepr")?.extract()?,
        message: value.getattr("message")?.extract()?,
        sections: Vec::new(),
    })
}

/// Whether a `pytest_generate_tests` hook may apply to `modules`, which enrichment must then
/// run for even where pytest was never imported.
pub(crate) fn generate_hooks_exist(py: Python<'_>, modules: &[CollectedModule]) -> PyResult<bool> {
    let names: Vec<&String> = modules
        .iter()
        .filter(|m| m.spec.kind == ModuleKind::Test && !m.items.is_empty())
        .map(|m| &m.spec.import_name)
        .collect();
    py.import("ferrotest_runtime.enrich")?.call_method1("generate_hooks_exist", (names,))?.extract()
}
