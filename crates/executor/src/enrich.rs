//! The collection step only the imported module can do (see `enrich.py`): marks,
//! `usefixtures`, and parametrization into one item per call spec with pytest's IDs.

use std::collections::{BTreeMap, HashMap};

use ferrotest_discovery::{CallSpec, CollectedModule, ModuleKind, ParamKey, TestItem};
use ferrotest_events::CollectError;
use ferrotest_scheduler::{ItemKeywords, Mark, MarkValue};
use pyo3::prelude::*;

/// A mark as `enrich.py` reports it: name, and keyword arguments as `(kind, text)`.
pub(crate) type RawMark = (String, Vec<(String, (String, String))>);

/// One variant of an item as `enrich.py` reports it: id, call index, direct arguments,
/// parameter keys, usefixtures names, keyword names, marks.
type RawVariant = (
    Option<String>,
    Option<usize>,
    Vec<String>,
    Vec<(String, usize, String, String)>,
    Vec<String>,
    Vec<String>,
    Vec<RawMark>,
);

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
    let mut errors = Vec::new();
    for module in modules.iter_mut().filter(|m| m.spec.kind == ModuleKind::Test && !m.items.is_empty()) {
        let items: Vec<_> =
            module.items.iter().map(|item| (&item.nodeid, &item.classes, &item.name, &item.argnames)).collect();
        let args = (&module.spec.import_name, &module.spec.nodeid, items, &options, want_keywords);
        match enrich.call_method1("enrich_module", args) {
            Ok(enriched) => {
                let (variants, failed): (Vec<Vec<RawVariant>>, Vec<(String, String)>) = enriched.extract()?;
                module.items = expand(std::mem::take(&mut module.items), variants, keywords);
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

fn expand(
    items: Vec<TestItem>,
    variants: Vec<Vec<RawVariant>>,
    keywords: &mut HashMap<String, ItemKeywords>,
) -> Vec<TestItem> {
    let mut expanded = Vec::with_capacity(items.len());
    for (item, item_variants) in items.into_iter().zip(variants) {
        for (id, index, direct, params, usefixtures, names, marks) in item_variants {
            let mut variant = item.clone();
            variant.usefixtures = usefixtures;
            if let Some(index) = index {
                if let Some(id) = &id {
                    variant.nodeid = format!("{}[{id}]", item.nodeid);
                }
                let params = params
                    .into_iter()
                    .map(|(argname, index, value, scope)| ParamKey { argname, index, value, scope })
                    .collect();
                variant.callspec = Some(CallSpec { id, index, direct, params });
            }
            if !names.is_empty() {
                keywords.insert(
                    variant.nodeid.clone(),
                    ItemKeywords { names, marks: marks.into_iter().map(mark).collect() },
                );
            }
            expanded.push(variant);
        }
    }
    expanded
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
