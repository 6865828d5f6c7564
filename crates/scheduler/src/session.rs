//! The cache plugins' state for one session: loaded before planning, updated from the
//! run's reports, saved at the end.

use std::collections::{HashMap, HashSet};

use ferrotest_discovery::Collection;
use ferrotest_events::{Outcome, Phase};

use crate::cache::{CacheDir, CacheWarning, LastFailed, NodeIds};
use crate::lastfailed::NoFailures;
use crate::stepwise::{LocalDateTime, Stepwise, StepwiseOptions};

/// The cache-related command-line options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheOptions {
    /// `--lf`.
    pub last_failed: bool,
    /// `--ff`.
    pub failed_first: bool,
    /// `--nf`.
    pub new_first: bool,
    /// `--lfnf`.
    pub last_failed_no_failures: NoFailures,
    /// `--sw` (with `--sw-skip` / `--sw-reset`); `None` when stepwise is off.
    pub stepwise: Option<StepwiseOptions>,
    /// `--collect-only`: the session writes no `cache/nodeids`, so only `--nf` reads it.
    pub collect_only: bool,
}

impl CacheOptions {
    /// Whether the session reads and writes `cache/nodeids` (`NFPlugin`).
    pub(crate) fn uses_nodeids(&self) -> bool {
        self.new_first || !self.collect_only
    }
}

/// What pytest's `LFPlugin`, `NFPlugin` and `StepwisePlugin` keep during a session.
#[derive(Debug, Clone)]
pub struct SessionCache {
    pub dir: CacheDir,
    pub options: CacheOptions,
    pub last_failed: LastFailed,
    pub nodeids: NodeIds,
    pub stepwise: Option<Stepwise>,
    /// The session's start (local time), for the stepwise cache's age and date.
    pub now: LocalDateTime,
}

impl SessionCache {
    /// Read the cache, after clearing it for `--cache-clear` (pytest clears at configure
    /// time, before anything reads it).
    pub fn load(dir: CacheDir, options: CacheOptions, cache_clear: bool, now: LocalDateTime) -> std::io::Result<Self> {
        if cache_clear {
            dir.clear()?;
        }
        Ok(SessionCache {
            last_failed: LastFailed::load(&dir),
            // Thousands of node IDs to read for nothing otherwise.
            nodeids: if options.uses_nodeids() { NodeIds::load(&dir) } else { NodeIds::default() },
            stepwise: options.stepwise.map(|sw| Stepwise::load(&dir, sw, &now)),
            dir,
            options,
            now,
        })
    }

    /// Feed one phase report; returns the reason to stop the session (`--sw` after a failure).
    pub fn record_test(&mut self, nodeid: &str, when: Phase, outcome: Outcome) -> Option<&'static str> {
        self.last_failed.record_test(nodeid, when, outcome);
        self.stepwise.as_mut().and_then(|sw| sw.record_test(nodeid, when, outcome))
    }

    /// A collector that failed (a collection error's node ID).
    pub fn record_collect_error(&mut self, nodeid: &str) {
        self.last_failed.record_collect_error(nodeid);
    }

    /// The collect reports of everything that did collect: each directory, test module and
    /// class with its direct children, parents first. A collector that had failed before is
    /// replaced in `lastfailed` by its children. Pass the collection the run used.
    pub fn record_collection(&mut self, collection: &Collection) {
        if self.last_failed.is_empty() {
            return;
        }
        for (nodeid, children) in collector_children(collection) {
            self.last_failed.record_collected(&nodeid, children.iter().map(String::as_str));
        }
    }

    /// `pytest_sessionfinish` of the three plugins. `nodeids` is not written with
    /// `--collect-only`; `stepwise` only when it is on. Failures are pytest's cache warnings.
    pub fn save(&self) -> Vec<CacheWarning> {
        let mut warnings = Vec::new();
        warnings.extend(self.last_failed.save(&self.dir).err());
        if !self.options.collect_only {
            warnings.extend(self.nodeids.save(&self.dir).err());
        }
        if let Some(stepwise) = &self.stepwise {
            warnings.extend(stepwise.save(&self.dir, &self.now).err());
        }
        warnings
    }
}

/// Every collector below the rootdir with its direct children's node IDs, in collection
/// order (a parent before its children).
fn collector_children(collection: &Collection) -> Vec<(String, Vec<String>)> {
    let mut tree = Tree::default();
    for module in collection.modules.iter().filter(|m| m.spec.kind.holds_items()) {
        let parts: Vec<&str> = module.spec.nodeid.split('/').collect();
        for depth in 1..parts.len() {
            tree.add(&parts[..depth].join("/"), &parts[..=depth].join("/"));
        }
        tree.children_of(&module.spec.nodeid);
        for item in &module.items {
            let mut parent = module.spec.nodeid.clone();
            for class in item.classes.iter() {
                let class_id = format!("{parent}::{class}");
                tree.add(&parent, &class_id);
                parent = class_id;
            }
            tree.add(&parent, &item.nodeid);
        }
    }
    tree.order
        .into_iter()
        .map(|parent| {
            let kids = tree.children.remove(&parent).unwrap_or_default();
            (parent, kids)
        })
        .collect()
}

/// Collectors in first-seen order with their children.
#[derive(Default)]
struct Tree {
    order: Vec<String>,
    children: HashMap<String, Vec<String>>,
    /// Every child added so far: a node has one parent, so this is all `add` must check.
    added: HashSet<String>,
}

impl Tree {
    fn children_of(&mut self, parent: &str) -> &mut Vec<String> {
        if !self.children.contains_key(parent) {
            self.order.push(parent.to_string());
        }
        self.children.entry(parent.to_string()).or_default()
    }

    fn add(&mut self, parent: &str, child: &str) {
        if self.added.insert(child.to_string()) {
            self.children_of(parent).push(child.to_string());
        }
    }
}
