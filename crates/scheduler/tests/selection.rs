//! Selection and cache-driven ordering over small projects, with the counts and header lines
//! real pytest 9.2 prints for the same projects.

use std::path::Path;

use ferrotest_discovery::{CollectedModule, Collection, CollectionArg, ModuleKind, ModuleSpec, TestItem};
use ferrotest_events::{Outcome, Phase};
use ferrotest_fixtures::Registry;
use ferrotest_scheduler::{
    plan, plan_with_cache, CacheDir, CacheOptions, ItemKeywords, LocalDateTime, Mark, MarkValue, NoFailures, Plan,
    PlanOptions, SessionCache, StepwiseOptions,
};

fn item(file: &str, classes: &[&str], name: &str) -> TestItem {
    TestItem::function(file, classes, name)
}

fn module(root: &Path, file: &str, items: Vec<TestItem>) -> CollectedModule {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "").unwrap();
    CollectedModule {
        spec: ModuleSpec {
            path,
            nodeid: file.to_string(),
            import_name: file.trim_end_matches(".py").replace('/', "."),
            sys_path_entry: root.to_path_buf(),
            kind: ModuleKind::Test,
        },
        items: items.into_iter().map(Into::into).collect(),
        needs_dynamic: false,
        warnings: Vec::new(),
    }
}

/// The project pytest was run on: `test_a.py` (3 failures) and `test_b.py`.
fn project(root: &Path) -> Collection {
    let a = ["test_1", "test_2", "test_3", "test_4"].iter().map(|n| item("test_a.py", &[], n));
    let a = a.chain(["test_m", "test_n"].iter().map(|n| item("test_a.py", &["TestC"], n))).collect();
    let b = vec![item("test_b.py", &[], "test_b1"), item("test_b.py", &[], "test_b2")];
    Collection {
        args: vec![arg(root, "")],
        modules: vec![module(root, "test_a.py", a), module(root, "test_b.py", b)],
        ..Collection::default()
    }
}

fn arg(root: &Path, relative: &str) -> CollectionArg {
    CollectionArg { raw: relative.to_string(), path: root.join(relative), parts: vec![] }
}

fn ids(plan: &Plan) -> Vec<&str> {
    plan.items.iter().map(|planned| planned.item.nodeid.as_str()).collect()
}

fn now() -> LocalDateTime {
    LocalDateTime::parse("2026-01-01T00:00:00").unwrap()
}

fn session_cache(root: &Path, options: CacheOptions) -> SessionCache {
    SessionCache::load(CacheDir::from_ini(root, None), options, false, now()).unwrap()
}

/// Run the first session: test_2, test_4 and TestC::test_n fail.
fn record_first_run(root: &Path, collection: &Collection) {
    let mut cache = session_cache(root, CacheOptions::default());
    let planned = plan_with_cache(root, collection, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    for id in ids(&planned.plan) {
        let failed = ["test_a.py::test_2", "test_a.py::test_4", "test_a.py::TestC::test_n"].contains(&id);
        cache.record_test(id, Phase::Call, if failed { Outcome::Failed } else { Outcome::Passed });
    }
    assert!(cache.save().is_empty());
}

fn options(keyword: Option<&str>, markexpr: Option<&str>) -> PlanOptions {
    PlanOptions { keyword: keyword.map(String::from), markexpr: markexpr.map(String::from), ..PlanOptions::default() }
}

#[test]
fn keyword_selection_counts_deselected() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let plan = plan(dir.path(), &collection, &Registry::default(), &options(Some("testc or B1"), None)).unwrap();
    assert_eq!(ids(&plan), ["test_a.py::TestC::test_m", "test_a.py::TestC::test_n", "test_b.py::test_b1"]);
    assert_eq!(plan.deselected, 5);
    let plan = plan_blank(dir.path(), &collection, "  ");
    assert_eq!((plan.items.len(), plan.deselected), (8, 0), "a blank -k selects nothing out");
}

fn plan_blank(root: &Path, collection: &Collection, keyword: &str) -> Plan {
    plan(root, collection, &Registry::default(), &options(Some(keyword), None)).unwrap()
}

#[test]
fn expression_errors_are_pytest_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let error = |o: PlanOptions| plan(dir.path(), &collection, &Registry::default(), &o).unwrap_err().to_string();
    assert_eq!(
        error(options(Some("  a and"), None)),
        "Wrong expression passed to '-k': a and: at column 6: expected not OR left parenthesis OR identifier; got end of input"
    );
    assert_eq!(
        error(options(None, Some("(x"))),
        "Wrong expression passed to '-m': (x: at column 3: expected right parenthesis; got end of input"
    );
    assert_eq!(error(options(Some("test_1 or a(x=1)"), None)), "Keyword expressions do not support call parameters.");
    let strict =
        PlanOptions { strict_markers: Some(["slow".to_string()].into()), ..options(None, Some("slow or zz or aa")) };
    assert_eq!(
        error(strict),
        "Unknown marker(s) in '-m' expression: aa, zz. Use 'pytest --markers' to see available markers."
    );
}

#[test]
fn mark_selection_uses_live_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let mut slow = Mark::new("slow");
    slow.kwargs.insert("level".into(), MarkValue::Int("2".into()));
    let live = ItemKeywords { names: vec!["test_4".into(), "test_a.py".into(), "slow".into()], marks: vec![slow] };
    let mut o = options(None, Some("slow(level=2)"));
    o.item_keywords.insert("test_a.py::test_4".into(), live);
    let planned = plan(dir.path(), &collection, &Registry::default(), &o).unwrap();
    assert_eq!((ids(&planned), planned.deselected), (vec!["test_a.py::test_4"], 7));
    o.markexpr = None;
    o.keyword = Some("SLOW".into());
    let planned = plan(dir.path(), &collection, &Registry::default(), &o).unwrap();
    assert_eq!(ids(&planned), ["test_a.py::test_4"], "-k matches mark names too");
    let blank_mark = plan(dir.path(), &collection, &Registry::default(), &options(None, Some(" "))).unwrap();
    assert_eq!((blank_mark.items.len(), blank_mark.deselected), (0, 8), "-m ' ' is false for every item");
}

#[test]
fn deselect_by_node_id_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let o = PlanOptions { deselect: vec!["test_a.py::TestC".into(), "test_b".into()], ..PlanOptions::default() };
    let planned = plan(dir.path(), &collection, &Registry::default(), &o).unwrap();
    assert_eq!(planned.deselected, 4);
    assert_eq!(planned.items.len(), 4);
}

/// pytest: `collected 4 items / 1 deselected / 3 selected`,
/// `run-last-failure: rerun previous 3 failures (skipped 1 file)`.
#[test]
fn last_failed_narrows_collection_like_pytest() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    record_first_run(dir.path(), &collection);
    let mut cache = session_cache(dir.path(), CacheOptions { last_failed: true, ..CacheOptions::default() });
    let planned =
        plan_with_cache(dir.path(), &collection, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(ids(&planned.plan), ["test_a.py::test_2", "test_a.py::test_4", "test_a.py::TestC::test_n"]);
    assert_eq!(planned.plan.items.len() + planned.plan.deselected, 4);
    assert_eq!(planned.report_lines, ["run-last-failure: rerun previous 3 failures (skipped 1 file)"]);

    // Naming the file keeps all its items collected: `collected 6 items / 3 deselected`.
    let mut named = collection.clone();
    named.args = vec![arg(dir.path(), "test_a.py")];
    named.modules.truncate(1);
    let planned =
        plan_with_cache(dir.path(), &named, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!((planned.plan.items.len(), planned.plan.deselected), (3, 3));
    assert_eq!(planned.report_lines, ["run-last-failure: rerun previous 3 failures"]);
}

#[test]
fn failed_first_and_no_failures() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let ff = CacheOptions { failed_first: true, ..CacheOptions::default() };
    let mut cache = session_cache(dir.path(), ff);
    let planned =
        plan_with_cache(dir.path(), &collection, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(planned.report_lines, ["run-last-failure: no previously failed tests, not deselecting items."]);
    assert_eq!(planned.plan.items.len(), 8);

    let none = CacheOptions { last_failed: true, last_failed_no_failures: NoFailures::None, ..CacheOptions::default() };
    let mut cache = session_cache(dir.path(), none);
    let planned =
        plan_with_cache(dir.path(), &collection, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(planned.report_lines, ["run-last-failure: no previously failed tests, deselecting all items."]);
    assert_eq!((planned.plan.items.len(), planned.plan.deselected), (0, 8));

    record_first_run(dir.path(), &collection);
    let mut cache = session_cache(dir.path(), ff);
    let planned =
        plan_with_cache(dir.path(), &collection, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(planned.report_lines, ["run-last-failure: rerun previous 3 failures first"]);
    assert_eq!(
        &ids(&planned.plan)[..4],
        ["test_a.py::test_2", "test_a.py::test_4", "test_a.py::TestC::test_n", "test_a.py::test_1"]
    );
    assert_eq!(planned.plan.deselected, 0);

    let mut cache = session_cache(dir.path(), ff);
    let only_b = options(Some("test_b"), None);
    let planned = plan_with_cache(dir.path(), &collection, &Registry::default(), &only_b, &mut cache).unwrap();
    assert_eq!(planned.report_lines, ["run-last-failure: 3 known failures not in selected tests"]);
}

#[test]
fn new_first_puts_unknown_items_first_and_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    record_first_run(dir.path(), &collection);
    let written = std::fs::read_to_string(dir.path().join(".pytest_cache/v/cache/nodeids")).unwrap();
    assert!(written.starts_with("[\n  \"test_a.py::TestC::test_m\",\n"));
    let mut grown = collection.clone();
    grown.modules[1].items.push(item("test_b.py", &[], "test_new").into());
    let mut cache = session_cache(dir.path(), CacheOptions { new_first: true, ..CacheOptions::default() });
    let planned =
        plan_with_cache(dir.path(), &grown, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(ids(&planned.plan)[0], "test_b.py::test_new");
    assert!(cache.nodeids.known.contains("test_b.py::test_new"));
}

#[test]
fn collect_only_leaves_the_node_ids_alone_unless_new_first_orders_by_them() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    record_first_run(dir.path(), &collection);
    let path = dir.path().join(".pytest_cache/v/cache/nodeids");
    let written = std::fs::read_to_string(&path).unwrap();
    let mut grown = collection.clone();
    grown.modules[1].items.push(item("test_b.py", &[], "test_new").into());
    let collect_only = CacheOptions { collect_only: true, ..CacheOptions::default() };
    let mut cache = session_cache(dir.path(), collect_only);
    plan_with_cache(dir.path(), &grown, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert!(cache.save().is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    let mut cache = session_cache(dir.path(), CacheOptions { new_first: true, ..collect_only });
    let planned =
        plan_with_cache(dir.path(), &grown, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(ids(&planned.plan)[0], "test_b.py::test_new");
}

/// pytest runs stepwise before `-k`: `collected 8 items / 4 deselected / 4 selected`.
#[test]
fn stepwise_skips_before_keyword_selection() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let sw = CacheOptions { stepwise: Some(StepwiseOptions::default()), ..CacheOptions::default() };
    let mut cache = session_cache(dir.path(), sw);
    let planned =
        plan_with_cache(dir.path(), &collection, &Registry::default(), &PlanOptions::default(), &mut cache).unwrap();
    assert_eq!(planned.report_lines, ["stepwise: no previously failed tests, not skipping."]);
    cache.record_test("test_a.py::test_1", Phase::Call, Outcome::Passed);
    assert!(cache.record_test("test_a.py::test_2", Phase::Call, Outcome::Failed).is_some());
    assert!(cache.save().is_empty());

    let mut cache = session_cache(dir.path(), sw);
    let k = options(Some("test_2 or test_3 or test_b"), None);
    let planned = plan_with_cache(dir.path(), &collection, &Registry::default(), &k, &mut cache).unwrap();
    assert_eq!((planned.plan.items.len(), planned.plan.deselected), (4, 4));
    assert_eq!(
        planned.report_lines,
        ["stepwise: skipping 1 already passed items (cache from 0:00:00 ago, use --sw-reset to discard)."]
    );
}

#[test]
fn fixed_collection_error_is_replaced_by_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let collection = project(dir.path());
    let mut cache = session_cache(dir.path(), CacheOptions::default());
    cache.record_collect_error("test_b.py");
    cache.record_collection(&collection);
    assert_eq!(cache.last_failed.nodeids().collect::<Vec<_>>(), ["test_b.py::test_b1", "test_b.py::test_b2"]);
}
