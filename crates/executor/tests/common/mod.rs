//! Helpers for the integration tests: a Python environment, tiny projects in a tempdir, and
//! running them through a session.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use ferrotest_discovery::{CollectedModule, Collection, CollectionArg, ModuleKind, ModuleSpec, TestItem};
use ferrotest_events::{Event, TestReport};
use ferrotest_executor::{PythonEnv, RunOptions, RunSummary, Session};
use ferrotest_scheduler::{Plan, PlanOptions};

/// The venv CI provides (with pytest), else the interpreter ferrotest was built with.
pub fn python_env() -> PythonEnv {
    match std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        Some(venv) => PythonEnv::discover(Path::new(&venv)).expect("VIRTUAL_ENV is usable"),
        None => PythonEnv {
            executable: PathBuf::from(env!("FERROTEST_BUILD_PYTHON")),
            version: env!("FERROTEST_BUILD_PYTHON_VERSION").to_string(),
            venv: None,
        },
    }
}

pub fn write(dir: &Path, name: &str, source: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, source).unwrap();
    path
}

/// A test module at the top of `rootdir`, imported as `stem`.
pub fn module(rootdir: &Path, file: &str, items: Vec<TestItem>, needs_dynamic: bool) -> CollectedModule {
    let stem = file.trim_end_matches(".py");
    CollectedModule {
        spec: ModuleSpec {
            path: rootdir.join(file),
            nodeid: file.to_string(),
            import_name: stem.replace('/', "."),
            sys_path_entry: rootdir.to_path_buf(),
            kind: if file.ends_with("conftest.py") { ModuleKind::Conftest } else { ModuleKind::Test },
        },
        items: items.into_iter().map(Into::into).collect(),
        needs_dynamic,
        warnings: Vec::new(),
    }
}

pub fn item(file: &str, classes: &[&str], name: &str, lineno: u32) -> TestItem {
    TestItem { lineno, ..TestItem::function(file, classes, name) }
}

/// The plan the scheduler makes for every item of `modules`, with the session's fixtures.
pub fn plan(session: &Session, rootdir: &Path, modules: &[CollectedModule]) -> Plan {
    let collection = Collection {
        args: vec![CollectionArg { raw: ".".into(), path: rootdir.to_path_buf(), parts: vec![] }],
        modules: modules.to_vec(),
        ..Collection::default()
    };
    ferrotest_scheduler::plan(rootdir, &collection, &session.fixture_registry(), &PlanOptions::default()).unwrap()
}

pub fn run(session: &mut Session, plan: &Plan, options: &RunOptions) -> (Vec<Event>, RunSummary) {
    let mut events = Vec::new();
    let summary = session.run(plan, options, &mut |event| events.push(event));
    (events, summary)
}

pub fn reports(events: &[Event]) -> Vec<&TestReport> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::TestReport(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// The report of `nodeid`'s phase `when` ("setup", "call", "teardown").
pub fn report<'a>(events: &'a [Event], nodeid: &str, when: &str) -> &'a TestReport {
    reports(events)
        .into_iter()
        .find(|r| *r.nodeid == *nodeid && r.when.as_str() == when)
        .unwrap_or_else(|| panic!("no {when} report for {nodeid}"))
}
