//! Turns a collection into a run plan: which items run, in which order.
//!
//! The plan is plain serde data (never live Python objects), so it can be handed to an
//! in-process executor today and serialized to worker processes later.
//!
//! ```
//! use ferrotest_discovery::Collection;
//! use ferrotest_scheduler::{plan, PlanOptions};
//! let collection = Collection::default();
//! let plan = plan(std::path::Path::new("/project"), &collection, &PlanOptions::default()).unwrap();
//! assert!(plan.items.is_empty());
//! ```

mod select;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ferrotest_discovery::{Collection, ModuleSpec, TestItem};
use serde::{Deserialize, Serialize};

pub use select::SelectError;

/// Options that shape the plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Stop after this many failed or erroring tests (`-x` is 1).
    pub maxfail: Option<usize>,
}

/// Everything an executor needs to run a session's tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub rootdir: PathBuf,
    /// The modules the items live in (already imported during collection).
    pub modules: Vec<ModuleSpec>,
    /// The items to run, in order.
    pub items: Vec<PlannedItem>,
    /// How many collected items selection left out (for the `deselected` count).
    pub deselected: usize,
    pub maxfail: Option<usize>,
}

/// One test to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedItem {
    /// Index into [`Plan::modules`].
    pub module: usize,
    pub item: TestItem,
    /// The setup error to report instead of running the test, e.g. pytest's
    /// `fixture 'x' not found` block.
    pub setup_error: Option<String>,
}

/// Select the items named by the collection's arguments and order them for the run.
pub fn plan(rootdir: &Path, collection: &Collection, options: &PlanOptions) -> Result<Plan, SelectError> {
    let selected = select::by_arguments(collection)?;
    let mut modules: Vec<ModuleSpec> = Vec::new();
    let mut module_index: HashMap<&Path, usize> = HashMap::new();
    let mut items = Vec::with_capacity(selected.len());
    for (module, item) in selected {
        let index = *module_index.entry(module.spec.path.as_path()).or_insert_with(|| {
            modules.push(module.spec.clone());
            modules.len() - 1
        });
        items.push(PlannedItem {
            module: index,
            setup_error: ferrotest_fixtures::missing_fixture_error(&module.spec, item),
            item: item.clone(),
        });
    }
    Ok(Plan {
        rootdir: rootdir.to_path_buf(),
        modules,
        // `file.py::test` arguments narrow what is collected, as in pytest; only selection
        // options (`-k`, `-m`, `--deselect`) deselect, and they are not supported yet.
        deselected: 0,
        items,
        maxfail: options.maxfail,
    })
}
