//! pytest's doctest collectors (see `doctests.py`): the items of a `DoctestModule` (an
//! imported module's docstrings) or a `DoctestTextfile`.

use std::sync::Arc;

use ferrotest_discovery::{ItemKind, ModuleKind, ModuleSpec, TestItem};
use pyo3::prelude::*;

/// The doctest items of `spec`, which must be imported first unless it is a text file.
pub(crate) fn collect(py: Python<'_>, spec: &ModuleSpec) -> PyResult<Vec<Arc<TestItem>>> {
    let doctests = py.import("ferrotest_runtime.doctests")?;
    let found = match spec.kind {
        ModuleKind::DoctestText => doctests.call_method1("collect_textfile", (spec.path.as_os_str(), &spec.nodeid))?,
        _ => doctests.call_method1("collect_module", (&spec.import_name, &spec.nodeid))?,
    };
    let mut items = Vec::new();
    for raw in found.try_iter()? {
        let (nodeid, name, lineno): (String, String, Option<u32>) = raw?.extract()?;
        // A doctest whose line the finder could not tell (`lineno` None) is located at the top.
        items.push(Arc::new(TestItem {
            nodeid,
            name: name.into(),
            kind: ItemKind::Doctest,
            lineno: lineno.unwrap_or(0),
            ..TestItem::default()
        }));
    }
    Ok(items)
}
