//! Turns a collection into a run plan: which items run, in which order.
//!
//! The plan is plain serde data (never live Python objects), so it can be handed to an
//! in-process executor today and serialized to worker processes later.
//!
//! ```
//! use ferrotest_discovery::Collection;
//! use ferrotest_scheduler::{plan, PlanOptions};
//! let collection = Collection::default();
//! let fixtures = ferrotest_fixtures::Registry::default();
//! let plan = plan(std::path::Path::new("/project"), &collection, &fixtures, &PlanOptions::default()).unwrap();
//! assert!(plan.items.is_empty());
//! ```

pub mod cache;
pub mod expression;
mod filter;
mod keywords;
mod lastfailed;
mod reorder;
mod select;
mod session;
pub mod stepwise;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use ferrotest_discovery::{CollectedModule, Collection, ModuleKind, ModuleSpec, TestItem};
use ferrotest_fixtures::{ItemFixtures, ItemRequest, Registry, RequestKey, Resolutions};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub use cache::{CacheDir, CacheWarning, LastFailed, NodeIds};
pub use expression::{Expression, ExpressionError, Kwargs, MarkValue};
pub use keywords::{ItemKeywords, KeywordCallError, Mark};
pub use lastfailed::NoFailures;
pub use select::{NotFound, SelectError};
pub use session::{CacheOptions, SessionCache};
pub use stepwise::{LocalDateTime, Stepwise, StepwiseOptions, STEPWISE_STOP};

use filter::Candidate;

/// Options that shape the plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Stop after this many failed or erroring tests (`-x` is 1).
    pub maxfail: Option<usize>,
    /// `-k EXPRESSION`.
    pub keyword: Option<String>,
    /// `-m MARKEXPR`.
    pub markexpr: Option<String>,
    /// `--deselect PREFIX`, repeatable.
    pub deselect: Vec<String>,
    /// The registered marker names when `--strict-markers` (or the `strict_markers` /
    /// `strict` ini option) is on: `-m` may then only name these.
    pub strict_markers: Option<BTreeSet<String>>,
    /// What `-k`/`-m` match, by node ID, from the live items (see [`ItemKeywords`]). An item
    /// without an entry matches its static names only ([`ItemKeywords::from_static`]).
    pub item_keywords: HashMap<String, ItemKeywords>,
    /// The items `pytest_collection_modifyitems` hooks left, in their order, by node ID;
    /// `None` when no hook ran. Items it dropped are neither run nor deselected.
    pub item_order: Option<Vec<String>>,
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
    /// How many items `pytest_collection_modifyitems` hooks dropped: collected, yet
    /// neither run nor deselected.
    #[serde(default)]
    pub removed: usize,
    pub maxfail: Option<usize>,
}

/// One test to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedItem {
    /// Index into [`Plan::modules`].
    pub module: usize,
    /// Shared with the collection.
    pub item: Arc<TestItem>,
    /// Its fixtures, in setup order (up to the failing one when `setup_error` is set); items
    /// with the same request share them.
    pub fixtures: Arc<ItemFixtures>,
    /// The error its setup ends with after `fixtures` are set up, e.g. pytest's
    /// `fixture 'x' not found` block. Boxed: most items have none, and each item would
    /// carry its room.
    pub setup_error: Option<Box<SetupError>>,
}

/// A setup error known before the test runs: the report text and the short-summary reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupError {
    pub text: String,
    pub message: String,
}

fn fixture_request(module: &CollectedModule, item: &TestItem) -> ItemRequest {
    ItemRequest {
        nodeid: item.nodeid.clone(),
        argnames: item.argnames.to_vec(),
        usefixtures: item.usefixtures.to_vec(),
        direct_params: item.callspec.as_ref().map(|callspec| callspec.direct.to_vec()).unwrap_or_default(),
        location: Some((module.spec.path.clone(), item.lineno)),
    }
}

/// A plan made with the cache plugins, plus the lines they add to the header.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPlan {
    pub plan: Plan,
    /// `run-last-failure: ...` then `stepwise: ...` lines, printed after `collected N items`
    /// (pytest omits them with `-q`).
    pub report_lines: Vec<String>,
}

/// Select the items named by the collection's arguments, deselect by `--deselect`, `-k` and
/// `-m`, and order them for the run.
pub fn plan(
    rootdir: &Path,
    collection: &Collection,
    fixtures: &Registry,
    options: &PlanOptions,
) -> Result<Plan, SelectError> {
    let mut candidates = reorder::reorder(select::by_arguments(collection)?, |&(module, item)| (module, &**item));
    let removed = apply_item_order(&mut candidates, options);
    let deselected = filter::deselect(&mut candidates, options)?;
    Ok(Plan { removed, ..build_plan(rootdir, candidates, deselected, fixtures, options) })
}

/// [`plan`] with pytest's cache plugins, in pytest's hook order: `--lf` narrows collection,
/// then stepwise skips passed items, then `--deselect`/`-k`/`-m`, then `--lf`/`--ff`, then
/// `--nf`. Updates `cache` (known node IDs, stepwise count) for saving after the run.
pub fn plan_with_cache(
    rootdir: &Path,
    collection: &Collection,
    fixtures: &Registry,
    options: &PlanOptions,
    cache: &mut SessionCache,
) -> Result<CachedPlan, SelectError> {
    let narrowed =
        cache.options.last_failed.then(|| lastfailed::narrow_collection(rootdir, collection, &cache.last_failed));
    let (collection, skipped_files) = match &narrowed {
        Some((narrowed, skipped_files)) => (narrowed, *skipped_files),
        None => (collection, 0),
    };
    // Fixture-parameter grouping comes before the cache plugins reorder (their hooks wrap it).
    let mut candidates = reorder::reorder(select::by_arguments(collection)?, |&(module, item)| (module, &**item));
    let removed = apply_item_order(&mut candidates, options);
    let mut deselected = 0;
    if let Some(stepwise) = cache.stepwise.as_mut() {
        let nodeids: Vec<&str> = candidates.iter().map(|(_, item)| item.nodeid.as_str()).collect();
        let skip = stepwise.select(&nodeids, &cache.now);
        candidates.drain(..skip);
        deselected += skip;
    }
    deselected += filter::deselect(&mut candidates, options)?;
    let mut report_lines = Vec::new();
    if cache.options.last_failed || cache.options.failed_first {
        let reordered = lastfailed::reorder(&mut candidates, &cache.last_failed, &cache.options, skipped_files);
        deselected += reordered.deselected;
        report_lines.push(format!("run-last-failure: {}", reordered.status));
    }
    if cache.options.uses_nodeids() {
        order_new_first(&mut candidates, &mut cache.nodeids, cache.options.new_first);
    }
    report_lines.extend(cache.stepwise.iter().flat_map(Stepwise::report_lines));
    let plan = Plan { removed, ..build_plan(rootdir, candidates, deselected, fixtures, options) };
    Ok(CachedPlan { plan, report_lines })
}

/// The conftests' `pytest_collection_modifyitems` order. pytest calls the hooks of the
/// conftests it loads at start-up after the fixture manager's reordering and before
/// deselection (pluggy calls later registrations first, and both run before `-k`/`-m`).
/// Returns how many items the hooks dropped.
fn apply_item_order(candidates: &mut Vec<Candidate<'_>>, options: &PlanOptions) -> usize {
    let Some(order) = &options.item_order else { return 0 };
    let mut by_nodeid: FxHashMap<&str, Candidate<'_>> =
        candidates.drain(..).map(|(module, item)| (item.nodeid.as_str(), (module, item))).collect();
    candidates.extend(order.iter().filter_map(|nodeid| by_nodeid.remove(nodeid.as_str())));
    by_nodeid.len()
}

/// `NFPlugin`: with `--nf`, items new to `nodeids` first, each group by file modification
/// time, newest first; either way the items become known.
fn order_new_first(candidates: &mut Vec<Candidate<'_>>, nodeids: &mut NodeIds, new_first: bool) {
    if new_first {
        let (mut new, mut known): (Vec<_>, Vec<_>) =
            candidates.drain(..).partition(|(_, item)| !nodeids.known.contains(&item.nodeid));
        newest_first(&mut new);
        newest_first(&mut known);
        candidates.extend(new);
        candidates.extend(known);
    }
    for (_, item) in candidates.iter() {
        // A suite run again knows every node ID: no copy of each to make then.
        if !nodeids.known.contains(&item.nodeid) {
            nodeids.known.insert(item.nodeid.clone());
        }
    }
}

/// A stable sort by the module file's mtime, descending (Python's `sorted(reverse=True)`
/// keeps equal items in order).
fn newest_first(candidates: &mut [Candidate<'_>]) {
    let mut mtimes: HashMap<&Path, SystemTime> = HashMap::new();
    for (module, _) in candidates.iter() {
        let path = module.spec.path.as_path();
        mtimes
            .entry(path)
            .or_insert_with(|| std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH));
    }
    candidates.sort_by(|(a, _), (b, _)| mtimes[b.spec.path.as_path()].cmp(&mtimes[a.spec.path.as_path()]));
}

fn build_plan(
    rootdir: &Path,
    selected: Vec<Candidate<'_>>,
    deselected: usize,
    fixtures: &Registry,
    options: &PlanOptions,
) -> Plan {
    let mut modules: Vec<ModuleSpec> = Vec::new();
    // By kind too: a test module's `DoctestModule` has the same path.
    let mut module_index: HashMap<(&Path, ModuleKind), usize> = HashMap::new();
    let mut items = Vec::with_capacity(selected.len());
    let mut resolutions = Resolutions::new(fixtures);
    // A module's items mostly come one after another: no lookup for the next one then.
    let mut last: Option<(&CollectedModule, usize)> = None;
    for (module, item) in selected {
        let index = match last {
            Some((previous, index)) if std::ptr::eq(previous, module) => index,
            _ => {
                let index = *module_index.entry((module.spec.path.as_path(), module.spec.kind)).or_insert_with(|| {
                    modules.push(module.spec.clone());
                    modules.len() - 1
                });
                last = Some((module, index));
                index
            }
        };
        let key = RequestKey {
            nodeid: &item.nodeid,
            argnames: &item.argnames,
            usefixtures: &item.usefixtures,
            direct_params: item.callspec.as_ref().map_or(&[], |callspec| &*callspec.direct),
        };
        let resolution = resolutions.resolve(key, || fixture_request(module, item));
        items.push(PlannedItem {
            module: index,
            item: item.clone(),
            fixtures: resolution.fixtures,
            setup_error: resolution
                .error
                .map(|error| Box::new(SetupError { message: error.summary_message(), text: error.to_string() })),
        });
    }
    // `file.py::test` arguments narrow what is collected, as in pytest, so they never count
    // as deselected; `--lf` dropping whole files or passed items at collection neither.
    Plan { rootdir: rootdir.to_path_buf(), modules, deselected, removed: 0, items, maxfail: options.maxfail }
}
