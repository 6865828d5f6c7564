//! `--lf` / `--ff` (pytest's `LFPlugin` and its collection wrappers).
//!
//! With `--lf`, pytest already narrows *collection*: directories holding last failures are
//! collected first, a file with failures keeps only those failures (plus class members and
//! everything in files named on the command line), and once one failure was collected, files
//! without failures are skipped (`skipped N files`). Items dropped there are neither
//! collected nor deselected; only the final `--lf` step deselects.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ferrotest_discovery::{CollectedModule, Collection};

use crate::cache::LastFailed;
use crate::filter::Candidate;

/// `--lfnf`: what `--lf`/`--ff` do when no failure is recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoFailures {
    /// Run everything (`--lfnf=all`, the default).
    #[default]
    All,
    /// Deselect everything (`--lfnf=none`).
    None,
}

/// The collection as `--lf` collects it, and how many files it skipped.
pub(crate) fn narrow_collection(
    rootdir: &Path,
    collection: &Collection,
    last_failed: &LastFailed,
) -> (Collection, usize) {
    let lf_paths = last_failed_paths(rootdir, last_failed);
    let failed = last_failed.nodeid_set();
    let mut narrowed = collection.clone();
    narrowed.args.sort_by_key(|arg| !lf_paths.contains(&arg.path));
    narrowed.modules = failures_first(&collection.modules, &lf_paths);
    let initial_paths: HashSet<&Path> = collection.args.iter().map(|arg| arg.path.as_path()).collect();
    let mut collected_a_failure = false;
    let mut skipped_files = 0;
    for index in traversal_order(&narrowed) {
        let module = &mut narrowed.modules[index];
        if !module.spec.kind.holds_items() {
            continue;
        }
        if lf_paths.contains(&module.spec.path) {
            // Until a failure was collected, a file whose top-level nodes have no failure is
            // kept whole (a failure inside a class does not count).
            if !collected_a_failure && !top_level_ids(module).iter().any(|id| failed.contains(id.as_str())) {
                continue;
            }
            collected_a_failure = true;
            let keep_all = initial_paths.contains(module.spec.path.as_path());
            module.items.retain(|item| keep_all || !item.classes.is_empty() || failed.contains(item.nodeid.as_str()));
        } else if collected_a_failure {
            skipped_files += 1;
            module.items.clear();
        }
    }
    (narrowed, skipped_files)
}

/// `get_last_failed_paths`: every failure's file and its parent directories that exist.
fn last_failed_paths(rootdir: &Path, last_failed: &LastFailed) -> HashSet<PathBuf> {
    let mut paths = HashSet::new();
    for nodeid in last_failed.nodeids() {
        let file = rootdir.join(nodeid.split("::").next().unwrap_or_default());
        paths.extend(file.ancestors().map(Path::to_path_buf));
    }
    paths.retain(|path| path.exists());
    paths
}

/// Modules reordered as pytest's stable sort of every directory's children (failure paths
/// first) leaves them: compare, at the first differing ancestor, whether it holds failures,
/// then where it came originally.
fn failures_first(modules: &[CollectedModule], lf_paths: &HashSet<PathBuf>) -> Vec<CollectedModule> {
    let mut first_index: HashMap<&Path, usize> = HashMap::new();
    for (index, module) in modules.iter().enumerate() {
        for ancestor in module.spec.path.ancestors() {
            first_index.entry(ancestor).or_insert(index);
        }
    }
    let key = |module: &CollectedModule| -> Vec<(bool, usize)> {
        let mut chain: Vec<&Path> = module.spec.path.ancestors().collect();
        chain.reverse();
        chain.into_iter().map(|path| (!lf_paths.contains(path), first_index[path])).collect()
    };
    let mut sorted = modules.to_vec();
    sorted.sort_by_cached_key(key);
    sorted
}

/// Module indices in the order collection visits them: argument by argument.
fn traversal_order(collection: &Collection) -> Vec<usize> {
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    for arg in &collection.args {
        for (index, module) in collection.modules.iter().enumerate() {
            if module.spec.path.starts_with(&arg.path) && seen.insert(index) {
                order.push(index);
            }
        }
    }
    order
}

/// The node IDs of a module's direct children: module-level functions and top-level classes.
fn top_level_ids(module: &CollectedModule) -> Vec<String> {
    module
        .items
        .iter()
        .map(|item| match item.classes.first() {
            Some(class) => format!("{}::{class}", module.spec.nodeid),
            None => item.nodeid.clone(),
        })
        .collect()
}

/// What the `--lf`/`--ff` step of `pytest_collection_modifyitems` did.
pub(crate) struct Reordered {
    pub deselected: usize,
    /// The text after `run-last-failure: `.
    pub status: String,
}

/// `LFPlugin.pytest_collection_modifyitems`, after every other selection.
pub(crate) fn reorder(
    candidates: &mut Vec<Candidate<'_>>,
    last_failed: &LastFailed,
    options: &crate::CacheOptions,
    skipped_files: usize,
) -> Reordered {
    if last_failed.is_empty() {
        let deselect_all = options.last_failed_no_failures == NoFailures::None;
        let deselected = if deselect_all { std::mem::take(candidates).len() } else { 0 };
        let action = if deselect_all { "deselecting all items." } else { "not deselecting items." };
        return Reordered { deselected, status: format!("no previously failed tests, {action}") };
    }
    let failed = last_failed.nodeid_set();
    let (previously_failed, previously_passed): (Vec<_>, Vec<_>) =
        candidates.drain(..).partition(|(_, item): &Candidate<'_>| failed.contains(item.nodeid.as_str()));
    let count = previously_failed.len();
    let mut deselected = 0;
    let mut status = if count == 0 {
        candidates.extend(previously_passed);
        format!("{} known failures not in selected tests", last_failed.len())
    } else {
        candidates.extend(previously_failed);
        if options.last_failed {
            deselected = previously_passed.len();
        } else {
            candidates.extend(previously_passed);
        }
        let noun = if count == 1 { "failure" } else { "failures" };
        let suffix = if options.failed_first { " first" } else { "" };
        format!("rerun previous {count} {noun}{suffix}")
    };
    if skipped_files > 0 {
        let noun = if skipped_files == 1 { "file" } else { "files" };
        status.push_str(&format!(" (skipped {skipped_files} {noun})"));
    }
    Reordered { deselected, status }
}
