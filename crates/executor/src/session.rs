//! A session in the embedded interpreter: the collection phase (imports) and the run phase.

// Paths cross into Python as `OsStr` (a `str` there): pyo3 turns `Path` into `pathlib.Path`,
// and importing pathlib costs a run ~15 ms of start-up.
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use ferrotest_discovery::{CollectedModule, ItemKind, ModuleKind, ModuleSpec, TestItem};
use ferrotest_events::{
    CollectError, CollectSkip, Event, FixtureAction, Interruption, Location, LongRepr, Outcome, Phase, Subtest,
    TestReport, WarningReport,
};
use ferrotest_fixtures::{FixtureDef, ItemFixtures, Registry};
use ferrotest_scheduler::{ItemKeywords, Plan, PlannedItem};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::background_fs;
use crate::doctests;
use crate::enrich;
use crate::error::ExecutorError;
use crate::fixture_defs::{self, FixtureDescription};
use crate::hooks;
use crate::interpreter;
use crate::plugins::{self, PluginRequest};
use crate::python_env::PythonEnv;
use crate::settings::{self, SessionSettings};
use crate::warnings;

/// How to run a plan.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// pytest's `--capture` method.
    pub capture: CaptureMethod,
    /// `--setup-show`: report each fixture's setup and teardown, and each test's fixtures.
    pub setup_show: bool,
    /// `--setup-only`: set fixtures up and tear them down, never call the tests.
    pub setup_only: bool,
    /// `--setup-plan`: as `--setup-only`, without calling the fixtures either.
    pub setup_plan: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { capture: CaptureMethod::Fd, setup_show: false, setup_only: false, setup_plan: false }
    }
}

/// pytest's `--capture` methods: what of a test's output is captured, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaptureMethod {
    /// File descriptors 1 and 2 (so `os.write` and subprocesses too), pytest's default.
    #[default]
    Fd,
    /// `sys.stdout` and `sys.stderr` only.
    Sys,
    /// As `Sys`, and passed on to the terminal as well.
    TeeSys,
    /// Nothing (`-s`).
    No,
}

impl CaptureMethod {
    /// The method as `--capture` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureMethod::Fd => "fd",
            CaptureMethod::Sys => "sys",
            CaptureMethod::TeeSys => "tee-sys",
            CaptureMethod::No => "no",
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunSummary {
    /// Why the run stopped early, if it did.
    pub interruption: Option<Interruption>,
    /// A test called `pytest.exit(reason, returncode)`.
    pub exit: Option<PytestExit>,
    /// Seconds the run took.
    pub duration: f64,
}

/// `pytest.exit()` from a test: the run stops with this reason and exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PytestExit {
    pub reason: String,
    pub returncode: Option<i32>,
}

/// The `python_functions` / `python_classes` ini options, for modules collected by import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectPatterns {
    pub python_functions: Vec<String>,
    pub python_classes: Vec<String>,
}

impl Default for CollectPatterns {
    fn default() -> Self {
        CollectPatterns { python_functions: vec!["test".into()], python_classes: vec!["Test".into()] }
    }
}

/// The embedded interpreter, initialised once per process.
pub struct Session {
    rootdir: PathBuf,
    /// Where paths in tracebacks are relative to (pytest uses the invocation directory).
    cwd: PathBuf,
    python_version: String,
    platform: String,
    patterns: CollectPatterns,
    /// The Python `Runner`, created on the first run with that run's capture setting.
    runner: Option<Py<PyAny>>,
    /// Fixture definitions found while importing, indexed as the Python side indexes them.
    fixture_defs: Vec<FixtureDef>,
    /// What `-k` and `-m` match for each collected item, by node ID.
    item_keywords: HashMap<String, ItemKeywords>,
    /// Whether to gather `item_keywords` at all (only `-k`/`-m` need them).
    collect_keywords: bool,
    /// The `usefixtures` ini option, requested by every test.
    usefixtures: Vec<String>,
    /// Modules that skipped themselves while importing, in import order.
    collect_skips: Vec<CollectSkip>,
    /// Modules imported so far (the initial conftests come before the rest), by path and kind:
    /// a file's `DoctestModule` and its `Module` are collected separately.
    imported: HashSet<(PathBuf, ModuleKind)>,
    /// The code cache and builtin fixtures are in place.
    prepared: bool,
    /// The node IDs `pytest_collection_modifyitems` hooks left, in order.
    item_order: Option<Vec<String>>,
    /// Warnings raised outside tests (importing conftests and test modules), not yet taken.
    warnings: Vec<WarningReport>,
}

impl Session {
    /// Initialise the interpreter of `env` and load ferrotest's Python side.
    pub fn start(env: &PythonEnv, rootdir: &Path) -> Result<Session, ExecutorError> {
        interpreter::initialize(env)?;
        let (python_version, platform) = Python::attach(|py| -> PyResult<(String, String)> {
            interpreter::install_runtime(py)?;
            let sys = py.import("sys")?;
            let version_info = sys.getattr("version_info")?;
            let (major, minor, micro): (u32, u32, u32) = (
                version_info.get_item(0)?.extract()?,
                version_info.get_item(1)?.extract()?,
                version_info.get_item(2)?.extract()?,
            );
            Ok((format!("{major}.{minor}.{micro}"), sys.getattr("platform")?.extract()?))
        })?;
        Ok(Session {
            rootdir: rootdir.to_path_buf(),
            cwd: std::env::current_dir().unwrap_or_else(|_| rootdir.to_path_buf()),
            python_version,
            platform,
            patterns: CollectPatterns::default(),
            runner: None,
            fixture_defs: Vec::new(),
            item_keywords: HashMap::new(),
            collect_keywords: true,
            collect_skips: Vec::new(),
            imported: HashSet::new(),
            prepared: false,
            item_order: None,
            usefixtures: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// `sys.version_info` as `3.11.7`.
    pub fn python_version(&self) -> &str {
        &self.python_version
    }

    /// `sys.platform`, e.g. `linux`.
    pub fn platform(&self) -> &str {
        &self.platform
    }

    /// What `-k` and `-m` match for each item the collection phase saw marks for; items
    /// of modules that never imported pytest have none (their names are static).
    pub fn item_keywords(&self) -> &HashMap<String, ItemKeywords> {
        &self.item_keywords
    }

    /// The modules that skipped themselves during [`Session::import_modules`] (pytest's
    /// skipped collect reports).
    pub fn collect_skips(&self) -> &[CollectSkip] {
        &self.collect_skips
    }

    /// Every fixture definition found so far, for resolving tests' fixtures.
    pub fn fixture_registry(&self) -> Registry {
        Registry::new(self.fixture_defs.clone()).with_usefixtures(self.usefixtures.clone())
    }

    /// For `--fixtures`: every definition found so far, with its docstring and module.
    pub fn describe_fixtures(&self) -> Result<Vec<FixtureDescription>, ExecutorError> {
        Python::attach(|py| fixture_defs::describe(py, &self.fixture_defs)).map_err(ExecutorError::from)
    }

    /// Hand the session's configuration to the Python side: `request.config`, `getini`,
    /// assertion rewriting, warning filters (one pytest refuses is
    /// [`ExecutorError::WarningFilter`]). Call it before [`Session::import_modules`].
    pub fn configure(&mut self, settings: &SessionSettings) -> Result<(), ExecutorError> {
        self.collect_keywords = settings.collect_keywords;
        self.usefixtures = settings.usefixtures.clone();
        Python::attach(|py| settings::apply(py, settings))
    }

    /// Use these patterns for modules collected by import (default `test` / `Test`).
    pub fn set_collect_patterns(&mut self, patterns: CollectPatterns) {
        self.patterns = patterns;
    }

    /// `str(eval(expression))` in the session's interpreter, for tests of the embedding.
    #[doc(hidden)]
    pub fn eval_for_tests(&self, expression: &str) -> Result<String, ExecutorError> {
        Python::attach(|py| {
            let globals = pyo3::types::PyDict::new(py);
            let value = py.import("builtins")?.call_method1("eval", (expression, globals))?;
            Ok(value.str()?.to_string())
        })
    }

    /// The collection phase: import every module in order, as pytest's `prepend` import mode,
    /// and collect the items of modules marked `needs_dynamic`.
    ///
    /// A module that fails to import loses its items and yields pytest's collection error. For a
    /// failing `conftest.py` the error's node ID is the conftest's directory, as pytest reports
    /// conftests it meets while collecting; pytest instead exits with a usage error for the
    /// conftests it loads at start-up, which the caller builds with
    /// [`ExecutorError::conftest_import`]. A module that calls
    /// `pytest.skip(allow_module_level=True)` loses its items and is recorded in
    /// [`Session::collect_skips`].
    pub fn import_modules(&mut self, modules: &mut [CollectedModule]) -> Vec<CollectError> {
        Python::attach(|py| {
            self.prepare(py, modules);
            log_stage(py, Some("collection"));
            let recording = self.start_recording(py);
            let mut errors = Vec::new();
            if let Err(err) = self.register_plugin_fixtures(py) {
                errors.push(internal_collect_error(py, String::new(), err));
            }
            // Directories whose conftest failed or skipped itself: their collector stops there,
            // so pytest never imports what they hold.
            let mut abandoned: Vec<PathBuf> = Vec::new();
            for module in modules.iter_mut() {
                if self.imported.contains(&(module.spec.path.clone(), module.spec.kind)) {
                    continue;
                }
                if self.is_ignored(py, &module.spec) || abandoned.iter().any(|dir| module.spec.path.starts_with(dir)) {
                    module.items.clear();
                    continue;
                }
                // pytest captures while it collects a test file, not a conftest's directory.
                let is_file = module.spec.kind != ModuleKind::Conftest;
                if is_file {
                    collect_capture(py, "resume_collecting", ());
                }
                let before = errors.len();
                match self.import_and_register(py, module, &mut errors) {
                    Ok(true) => {}
                    Ok(false) if module.spec.kind == ModuleKind::Conftest => {
                        abandoned.extend(module.spec.path.parent().map(Path::to_path_buf));
                    }
                    Ok(false) => {}
                    Err(failure) => {
                        // Only initial conftests load plugins (`import_initial_conftests`).
                        let message = failure.to_string();
                        errors.push(CollectError {
                            nodeid: collector_nodeid(&module.spec),
                            longrepr: message.clone(),
                            message,
                            sections: Vec::new(),
                        });
                    }
                }
                if is_file {
                    let sections = collected_sections(py);
                    errors[before..].iter_mut().for_each(|error| error.sections.clone_from(&sections));
                    collect_capture(py, "suspend_collecting", (false,));
                }
            }
            // Test modules' `pytest_plugins` load plugins as they are imported.
            if let Err(err) =
                fixture_defs::plugins_loaded_by_test_modules(py).and_then(|defs| self.push_fixture_defs(defs))
            {
                errors.push(internal_collect_error(py, String::new(), err));
            }
            // `pytest_generate_tests` hooks run while pytest collects a file: captured too.
            collect_capture(py, "resume_collecting", ());
            if pytest_loaded(py) || enrich::generate_hooks_exist(py, modules).unwrap_or(true) {
                errors.extend(self.enrich(py, modules));
            }
            collect_capture(py, "stop_collecting", ());
            match hooks::modify_items(py, modules, &mut self.item_keywords) {
                Ok(order) => self.item_order = order,
                Err(err) => errors.push(internal_collect_error(py, String::new(), err)),
            }
            self.finish_recording(py, recording);
            log_stage(py, None);
            errors
        })
    }

    /// pytest's start-up plugins (`-p`, entry points, `PYTEST_PLUGINS`), before any conftest:
    /// their fixtures register after the builtins. Returns the `plugins:` header entries.
    pub fn load_plugins(
        &mut self,
        modules: &[CollectedModule],
        request: &PluginRequest,
    ) -> Result<Vec<String>, ExecutorError> {
        Python::attach(|py| {
            self.prepare(py, modules);
            let names = plugins::load(py, request)?;
            self.register_plugin_fixtures(py)?;
            Ok(names)
        })
    }

    /// pytest's start-up: import the conftests `is_initial` names (those it loads before
    /// parsing the command line), in collection order, and the plugins their `pytest_plugins`
    /// name. Their errors are for the caller to report as usage errors; a plugin that cannot
    /// load stops the session ([`ExecutorError::PluginUsage`], [`ExecutorError::PluginImport`]).
    pub fn import_initial_conftests(
        &mut self,
        modules: &mut [CollectedModule],
        is_initial: impl Fn(&ModuleSpec) -> bool,
    ) -> Result<Vec<CollectError>, ExecutorError> {
        Python::attach(|py| {
            self.prepare(py, modules);
            let recording = self.start_recording(py);
            let mut errors = Vec::new();
            collect_capture(py, "resume_collecting", ());
            let imported = modules
                .iter_mut()
                .filter(|m| m.spec.kind == ModuleKind::Conftest && is_initial(&m.spec))
                .try_for_each(|module| self.import_and_register(py, module, &mut errors).map(drop));
            // Their output goes to the first test file's report, or to the terminal when loading failed.
            collect_capture(py, "suspend_collecting", (imported.is_err() || !errors.is_empty(),));
            self.finish_recording(py, recording);
            imported.map(|()| errors)
        })
    }

    /// pytest's check of the ini keys once collection is done (conftests met while collecting
    /// may register options): a `PytestConfigWarning` for each key no option registered (see
    /// [`Session::take_warnings`]), or under `strict_config` pytest's usage error for the
    /// first, [`ExecutorError::UnknownIniKey`].
    pub fn validate_ini_keys(&mut self) -> Result<(), ExecutorError> {
        Python::attach(|py| {
            let recording = self.start_recording(py);
            let checked = warnings::validate_ini_keys(py);
            self.finish_recording(py, recording);
            match checked? {
                Some(message) => Err(ExecutorError::UnknownIniKey(message)),
                None => Ok(()),
            }
        })
    }

    /// The warnings raised outside tests since the last call, in order (pytest's `collect`
    /// and `config` warnings, located by `path:line`).
    pub fn take_warnings(&mut self) -> Vec<WarningReport> {
        std::mem::take(&mut self.warnings)
    }

    fn start_recording<'py>(&self, py: Python<'py>) -> Option<warnings::Recording<'py>> {
        warnings::Recording::start(py).map_err(|err| err.print(py)).ok()
    }

    fn finish_recording(&mut self, py: Python<'_>, recording: Option<warnings::Recording<'_>>) {
        match recording.map(warnings::Recording::finish).transpose() {
            Ok(reports) => self.warnings.extend(reports.unwrap_or_default()),
            Err(err) => err.print(py),
        }
    }

    /// `pytest_addoption` of the imported conftests, and the arguments the command line did
    /// not know parsed against their options: the followers taken as option values, or
    /// argparse's usage message.
    pub fn parse_plugin_options(
        &self,
        unknown: &[hooks::UnknownArg],
    ) -> Result<Result<Vec<String>, String>, ExecutorError> {
        Python::attach(|py| hooks::parse_options(py, unknown)).map_err(ExecutorError::from)
    }

    /// `pytest_configure` (pytest's own plugins' first: see `pytestconfigure.py`) and
    /// `pytest_sessionstart`: the header lines of `pytest_report_header`
    /// (see [`hooks::Configured`]); [`ExecutorError::Usage`] for a setting pytest refuses.
    pub fn configure_plugins(&self) -> Result<hooks::Configured, ExecutorError> {
        Python::attach(|py| {
            py.import("ferrotest_runtime.pytestconfigure")?.call_method0("configure")?;
            hooks::configure(py)
        })
    }

    /// Every registered `markers` line, which `--strict-markers` accepts: the ini's, then
    /// those conftests added, including conftests met while collecting.
    pub fn marker_lines(&self) -> Result<Vec<String>, ExecutorError> {
        Python::attach(hooks::marker_lines).map_err(ExecutorError::from)
    }

    /// The node IDs the conftests' `pytest_collection_modifyitems` left, in their order
    /// (`None` when no conftest has the hook).
    pub fn item_order(&self) -> Option<&Vec<String>> {
        self.item_order.as_ref()
    }

    /// Whether a conftest or plugin registered so far implements hook `name`: callers keep
    /// what a hook would read (the reports `pytest_terminal_summary` reads) only then.
    pub fn implements_hook(&self, name: &str) -> bool {
        Python::attach(|py| {
            hooks::implements(py, name).unwrap_or_else(|err| {
                err.print(py);
                false
            })
        })
    }

    /// `pytest_collection_finish` with the plan's items: `before_terminal`, the
    /// implementations pytest calls before its terminal reporter writes `collected N items`,
    /// else the others. They print straight to the terminal; a failing one's traceback goes
    /// to stderr.
    pub fn collection_finish(&self, plan: &Plan, before_terminal: bool) {
        Python::attach(|py| {
            if let Err(err) = hooks::collection_finish(py, plan, before_terminal) {
                err.print(py);
            }
        });
    }

    fn prepare(&mut self, py: Python<'_>, modules: &[CollectedModule]) {
        if std::mem::replace(&mut self.prepared, true) {
            return;
        }
        if let Err(err) = install_code_cache(py, modules) {
            // Without the cache modules still import, only slower.
            err.print(py);
        }
        if let Err(err) = self.register_builtin_fixtures(py) {
            err.print(py);
        }
    }

    /// Whether a conftest's `pytest_ignore_collect` or `collect_ignore` excludes the module
    /// (a conftest by its directory): pytest never imports it then.
    fn is_ignored(&self, py: Python<'_>, spec: &ModuleSpec) -> bool {
        let path = match spec.kind {
            ModuleKind::Test | ModuleKind::Doctest | ModuleKind::DoctestText => spec.path.as_path(),
            ModuleKind::Conftest => spec.path.parent().unwrap_or(&spec.path),
        };
        hooks::is_ignored(py, path, &self.rootdir).unwrap_or_else(|err| {
            err.print(py);
            false
        })
    }

    /// Import `module` and register its fixtures: whether it imported (rather than failing or
    /// skipping itself). Its errors join `errors`, except a plugin its `pytest_plugins` names
    /// failing to load.
    fn import_and_register(
        &mut self,
        py: Python<'_>,
        module: &mut CollectedModule,
        errors: &mut Vec<CollectError>,
    ) -> Result<bool, ExecutorError> {
        self.imported.insert((module.spec.path.clone(), module.spec.kind));
        match self.import_module(py, module) {
            Imported::Module => {}
            Imported::Skipped(skip) => {
                module.items.clear();
                self.collect_skips.push(skip);
                return Ok(false);
            }
            Imported::Failed(error) => {
                module.items.clear();
                errors.push(error);
                return Ok(false);
            }
            Imported::PluginFailed(failure) => return Err(failure),
        }
        if let Err(err) = self.register_fixtures(py, module) {
            module.items.clear();
            errors.push(internal_collect_error(py, collector_nodeid(&module.spec), err));
        }
        for warning in &module.warnings {
            match warnings::raise_static(py, &module.spec.path, warning) {
                Ok(error) => errors.extend(error),
                Err(err) => errors.push(internal_collect_error(py, warning.nodeid.clone(), err)),
            }
        }
        Ok(true)
    }

    /// Marks and parametrization, which exist only where the suite imported pytest.
    fn enrich(&mut self, py: Python<'_>, modules: &mut [CollectedModule]) -> Vec<CollectError> {
        let enriched = fixture_defs::install_closure(py, self.fixture_registry())
            .and_then(|()| enrich::enrich_modules(py, modules, self.collect_keywords, &mut self.item_keywords));
        enriched.unwrap_or_else(|err| vec![internal_collect_error(py, String::new(), err)])
    }

    fn register_builtin_fixtures(&mut self, py: Python<'_>) -> PyResult<()> {
        if self.fixture_defs.is_empty() {
            self.push_fixture_defs(fixture_defs::builtins(py)?)?;
        }
        Ok(())
    }

    /// The fixtures of plugins registered since the last call (`config.pluginmanager.register`
    /// in a `pytest_configure` registers some late).
    fn register_plugin_fixtures(&mut self, py: Python<'_>) -> PyResult<()> {
        self.push_fixture_defs(fixture_defs::plugins(py)?)
    }

    fn register_fixtures(&mut self, py: Python<'_>, module: &CollectedModule) -> PyResult<()> {
        self.push_fixture_defs(fixture_defs::discover(py, module)?)
    }

    fn push_fixture_defs(&mut self, defs: Vec<(usize, FixtureDef)>) -> PyResult<()> {
        for (id, def) in defs {
            // Both sides index definitions by registration order; a gap would misplace them all.
            if id != self.fixture_defs.len() {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "fixture definition #{id} arrived as #{}",
                    self.fixture_defs.len()
                )));
            }
            self.fixture_defs.push(def);
        }
        Ok(())
    }

    fn import_module(&self, py: Python<'_>, module: &mut CollectedModule) -> Imported {
        let spec = &module.spec;
        let nodeid = collector_nodeid(spec);
        let outcome = (|| -> PyResult<Imported> {
            if spec.kind == ModuleKind::DoctestText {
                module.items = doctests::collect(py, spec)?;
                return Ok(Imported::Module);
            }
            let importing = py.import("ferrotest_runtime.importing")?;
            let imported = importing.call_method1(
                "import_module",
                (
                    &spec.import_name,
                    spec.path.as_os_str(),
                    spec.sys_path_entry.as_os_str(),
                    spec.kind == ModuleKind::Conftest,
                    self.cwd.as_os_str(),
                ),
            );
            let result = match imported {
                Ok(result) => result,
                Err(err) => return plugins::plugin_failure(py, err).map(Imported::PluginFailed),
            };
            if result.is_none() {
                if module.needs_dynamic && spec.kind == ModuleKind::Test {
                    module.items = self.collect_dynamic(py, spec)?;
                }
                if spec.kind == ModuleKind::Doctest {
                    module.items = doctests::collect(py, spec)?;
                }
                return Ok(Imported::Module);
            }
            let result = result.cast_into::<PyTuple>()?;
            if result.get_item(0)?.extract::<String>()? == "skip" {
                let path: PathBuf = result.get_item(1)?.extract()?;
                return Ok(Imported::Skipped(CollectSkip {
                    nodeid: nodeid.clone(),
                    path: path.strip_prefix(&self.rootdir).unwrap_or(&path).to_string_lossy().into_owned(),
                    lineno: result.get_item(2)?.extract()?,
                    message: result.get_item(3)?.extract()?,
                }));
            }
            Ok(Imported::Failed(CollectError {
                nodeid: nodeid.clone(),
                longrepr: result.get_item(1)?.extract()?,
                message: result.get_item(2)?.extract()?,
                sections: Vec::new(),
            }))
        })();
        outcome.unwrap_or_else(|err| Imported::Failed(internal_collect_error(py, nodeid, err)))
    }

    fn collect_dynamic(&self, py: Python<'_>, spec: &ModuleSpec) -> PyResult<Vec<Arc<TestItem>>> {
        let collect = py.import("ferrotest_runtime.collect")?;
        let patterns = collect
            .getattr("Patterns")?
            .call1((self.patterns.python_functions.clone(), self.patterns.python_classes.clone()))?;
        let items = collect.call_method1("collect_module", (&spec.import_name, &spec.nodeid, patterns))?;
        let mut result = Vec::new();
        for item in items.try_iter()? {
            type Raw = (String, String, Vec<String>, String, u32, Vec<String>, bool);
            let (nodeid, name, classes, kind, lineno, argnames, is_async): Raw = item?.extract()?;
            let kind = if kind == "unittest" { ItemKind::UnitTest } else { ItemKind::Function };
            let (name, classes, argnames) = (name.into(), classes.into(), argnames.into());
            result.push(Arc::new(TestItem {
                nodeid,
                name,
                classes,
                kind,
                lineno,
                argnames,
                is_async,
                ..TestItem::default()
            }));
        }
        Ok(result)
    }

    /// Run the plan's items in order, streaming each item's events to `on_event`.
    pub fn run(&mut self, plan: &Plan, options: &RunOptions, on_event: &mut dyn FnMut(Event)) -> RunSummary {
        let started = Instant::now();
        let maxfail = plan.maxfail.filter(|&n| n > 0);
        let tmp_paths =
            plan.items.iter().filter(|planned| planned.fixtures.closure.iter().any(|name| name == "tmp_path"));
        background_fs::expect_spare_dirs(tmp_paths.count());
        let mut summary = Python::attach(|py| {
            if let Err(err) = fixture_defs::install_resolver(py, self.fixture_registry()) {
                err.print(py);
            }
            // Looked up once: an import per item would cost more than a simple test.
            let classes = py.import("ferrotest_runtime.run").and_then(|run| {
                let plan_class = py.import("ferrotest_runtime.fixtures")?.getattr("Plan")?;
                Ok((run.getattr("Item")?, SharedClasses { function: run.getattr("Function")?, plan: plan_class }))
            });
            let (runner, (item_class, shared_classes)) =
                match self.runner(py, options).and_then(|runner| Ok((runner, classes?))) {
                    Ok(started) => started,
                    Err(err) => {
                        report_all_as_internal_errors(py, plan, &err, on_event);
                        return RunSummary::default();
                    }
                };
            let mut summary = RunSummary::default();
            let mut failures = 0;
            let show = options.setup_show;
            let mut shared = SharedObjects::new(plan, shared_classes, show);
            let mut python_item = |planned| python_item(&item_class, &mut shared, planned);
            let mut next_py = plan.items.first().map(&mut python_item);
            for (index, planned) in plan.items.iter().enumerate() {
                let current = next_py.take().expect("one Python item per planned item");
                next_py = plan.items.get(index + 1).map(&mut python_item);
                let next = next_py.as_ref().and_then(|next| next.as_ref().ok());
                let outcome = self.run_item(py, &runner, plan, planned, (current, next), options, on_event);
                failures += outcome.failures;
                if let Some(stop) = outcome.stop {
                    summary.interruption = stop.interruption;
                    summary.exit = stop.exit;
                    break;
                }
                if let Some(limit) = maxfail.filter(|&limit| failures >= limit) {
                    summary.interruption = Some(Interruption::MaxFail(limit));
                    break;
                }
            }
            // Module/class teardowns still pending after an early stop.
            match runner.call_method0(py, "finish").and_then(|shown| shown_actions(shown.bind(py))) {
                Ok(shown) => shown.into_iter().for_each(&mut *on_event),
                Err(err) => err.print(py),
            }
            match testsuite_properties(py) {
                Ok(properties) if properties.is_empty() => {}
                Ok(properties) => on_event(Event::TestsuiteProperties(properties)),
                Err(err) => err.print(py),
            }
            summary
        });
        summary.duration = started.elapsed().as_secs_f64();
        summary
    }

    fn runner(&mut self, py: Python<'_>, options: &RunOptions) -> PyResult<Py<PyAny>> {
        let runner = match &self.runner {
            Some(runner) => {
                runner.call_method1(py, "set_capture", (options.capture.as_str(),))?;
                runner.clone_ref(py)
            }
            None => {
                let run = py.import("ferrotest_runtime.run")?;
                let args = (self.rootdir.as_os_str(), self.cwd.as_os_str(), options.capture.as_str());
                let runner = run.getattr("Runner")?.call1(args)?.unbind();
                self.runner = Some(runner.clone_ref(py));
                runner
            }
        };
        // pytest's --setup-plan implies --setup-only, which implies --setup-show.
        let setup_only = options.setup_only || options.setup_plan;
        let show = (options.setup_show || setup_only, setup_only, options.setup_plan);
        runner.call_method1(py, "show_setup", show)?;
        Ok(runner)
    }

    /// Runs one item (`items` is its Python item and the next one's) and streams its events.
    #[allow(clippy::too_many_arguments)]
    fn run_item<'py>(
        &self,
        py: Python<'py>,
        runner: &Py<PyAny>,
        plan: &Plan,
        planned: &PlannedItem,
        items: (PyResult<Bound<'py, PyAny>>, Option<&Bound<'py, PyAny>>),
        options: &RunOptions,
        on_event: &mut dyn FnMut(Event),
    ) -> ItemOutcome {
        let (current, next) = items;
        let (nodeid, location) = event_identity(plan, planned);
        on_event(Event::TestStart { nodeid: Arc::clone(&nodeid), location: Arc::clone(&location) });
        let current = current.as_ref();
        let mut failures = 0;
        let mut on_report = |mut raw: RawReport| {
            if raw.outcome == Outcome::Failed {
                failures += 1;
            }
            if raw.live_logged {
                on_event(Event::LiveLogged);
            }
            // A phase's fixture lines come before its report, as pytest prints them.
            std::mem::take(&mut raw.shown).into_iter().for_each(&mut *on_event);
            let shows_item = options.setup_show && raw.when == Phase::Setup && raw.outcome == Outcome::Passed;
            on_event(Event::TestReport(raw.into_report(&nodeid, &location)));
            if let (true, Ok(current)) = (shows_item, current) {
                on_event(show_test_item(planned, &late_fixturenames(py, current)));
            }
        };
        let ran = match current {
            Ok(current) => call_run_item(py, runner, current, next, &mut on_report),
            Err(err) => Err(err.clone_ref(py)),
        };
        let (stop, warned) = ran.unwrap_or_else(|err| {
            on_report(internal_error_report(py, &err));
            (None, Vec::new())
        });
        if stop.is_none() {
            on_event(Event::TestFinish { nodeid });
        }
        warned.into_iter().map(Event::Warning).for_each(&mut *on_event);
        ItemOutcome { failures, stop }
    }
}

/// The logging plugin's session stage begins (`Some(name)`) or ends (`None`); see `logplugin.py`.
fn log_stage(py: Python<'_>, name: Option<&str>) {
    let called = py.import("ferrotest_runtime.logplugin").and_then(|logplugin| match name {
        Some(name) => logplugin.call_method1("enter_stage", (name,)),
        None => logplugin.call_method0("exit_stage"),
    });
    if let Err(err) = called {
        // This only loses the stage's logs; the session goes on.
        err.print(py);
    }
}

fn pytest_loaded(py: Python<'_>) -> bool {
    py.import("sys")
        .and_then(|sys| sys.getattr("modules"))
        .and_then(|modules| modules.contains("_pytest.mark.structures"))
        .unwrap_or(false)
}

/// Compile the collected modules through ferrotest's code cache (see `codecache.py`).
fn install_code_cache(py: Python<'_>, modules: &[CollectedModule]) -> PyResult<()> {
    // pytest rewrites the asserts of test modules and conftests only, not of every module
    // `--doctest-modules` imports; a test module's own entry still lists its path.
    let paths: Vec<&OsStr> = modules
        .iter()
        .filter(|module| !module.spec.kind.is_doctest())
        .map(|module| module.spec.path.as_os_str())
        .collect();
    let directory = code_cache_dir();
    let directory = directory.as_deref().map(Path::as_os_str);
    let salt = concat!("ferrotest-", env!("CARGO_PKG_VERSION"));
    py.import("ferrotest_runtime.codecache")?.call_method1("install", (paths, directory, salt))?;
    Ok(())
}

/// Where compiled test modules are cached: `$FERROTEST_CACHE_DIR`, else the user's cache
/// directory (`$XDG_CACHE_HOME`, else `~/.cache`) under `ferrotest/code`. Outside the
/// project, so it survives fresh checkouts and never shows up in the user's tree.
pub(crate) fn code_cache_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("FERROTEST_CACHE_DIR") {
        Some(dir) => return Some(PathBuf::from(dir).join("code")),
        None => std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?,
    };
    Some(base.join("ferrotest").join("code"))
}

/// The node ID a module's collection error is reported under: a conftest's directory.
fn collector_nodeid(spec: &ModuleSpec) -> String {
    match spec.kind {
        ModuleKind::Test | ModuleKind::Doctest | ModuleKind::DoctestText => spec.nodeid.clone(),
        ModuleKind::Conftest => spec.nodeid.rsplit_once('/').map(|(dir, _)| dir.to_string()).unwrap_or_default(),
    }
}

/// The node ID and location every event of a planned item carries, made once for the item
/// and shared by its events.
fn event_identity(plan: &Plan, planned: &PlannedItem) -> (Arc<str>, Arc<Location>) {
    let item = &planned.item;
    let location = Location {
        path: plan.modules.get(planned.module).map(|s| s.nodeid.clone()).unwrap_or_default(),
        lineno: Some(item.lineno),
        domain: domain(item),
    };
    (Arc::from(item.nodeid.as_str()), Arc::new(location))
}

/// pytest's `location[2]`: the dotted name inside the module with the parametrization,
/// `TestX.test_y[1]`, or a doctest's `[doctest] mod.func`.
fn domain(item: &TestItem) -> String {
    if item.kind == ItemKind::Doctest {
        return format!("[doctest] {}", item.name);
    }
    // One allocation, where `format!` and `join` cost more per test than the rest of making
    // its events; the node ID (`path::classes::name[id]`) is longer than the domain.
    let mut domain = String::with_capacity(item.nodeid.len());
    for class in item.classes.iter() {
        domain.push_str(class);
        domain.push('.');
    }
    item.push_display_name(&mut domain);
    domain
}

/// pytest's `show_test_item`: the test with every fixture name of its closure and those a
/// plugin added at setup (`late`), sorted.
/// The fixtures a plugin added to the item at setup (see `run.py`'s `Item`).
fn late_fixturenames(py: Python<'_>, item: &Bound<'_, PyAny>) -> Vec<String> {
    item.getattr("late_fixturenames").and_then(|names| names.extract()).unwrap_or_else(|err| {
        // Only `--setup-show`'s list misses them; the test goes on.
        err.print(py);
        Vec::new()
    })
}

fn show_test_item(planned: &PlannedItem, late: &[String]) -> Event {
    let mut fixturenames = planned.fixtures.closure.clone();
    fixturenames.extend(late.iter().filter(|name| !planned.fixtures.closure.contains(name)).cloned());
    fixturenames.sort();
    Event::ShowTestItem { nodeid: planned.item.nodeid.clone(), fixturenames }
}

/// How importing one module went.
enum Imported {
    Module,
    /// It skipped itself (`pytest.skip(allow_module_level=True)`, `pytest.importorskip`).
    Skipped(CollectSkip),
    Failed(CollectError),
    /// A plugin its `pytest_plugins` names is missing or raised: pytest stops at start-up.
    PluginFailed(ExecutorError),
}

struct ItemOutcome {
    failures: usize,
    stop: Option<Stop>,
}

struct Stop {
    interruption: Option<Interruption>,
    exit: Option<PytestExit>,
}

/// One phase as the Python runner reports it.
struct RawReport {
    when: Phase,
    outcome: Outcome,
    longrepr: Option<LongRepr>,
    duration: f64,
    sections: Vec<(String, String)>,
    wasxfail: Option<String>,
    user_properties: Vec<(String, String)>,
    /// `--setup-show`'s fixture events of this phase, in order.
    shown: Vec<Event>,
    /// Live logging wrote to the terminal while the phase ran.
    live_logged: bool,
    subtest: Option<Subtest>,
}

impl RawReport {
    fn into_report(self, nodeid: &Arc<str>, location: &Arc<Location>) -> TestReport {
        TestReport {
            nodeid: Arc::clone(nodeid),
            location: Some(Arc::clone(location)),
            when: self.when,
            outcome: self.outcome,
            longrepr: self.longrepr,
            duration: self.duration,
            sections: self.sections,
            user_properties: self.user_properties,
            wasxfail: self.wasxfail,
            subtest: self.subtest,
        }
    }
}

/// Runs `item`, handing each report (a phase's or a subtest's) to `on_report` as soon as it
/// is made (the terminal must show it before the next phase writes); returns why the run must
/// stop after it, if it must, and its warnings.
fn call_run_item(
    py: Python<'_>,
    runner: &Py<PyAny>,
    item: &Bound<'_, PyAny>,
    next: Option<&Bound<'_, PyAny>>,
    on_report: &mut dyn FnMut(RawReport),
) -> PyResult<(Option<Stop>, Vec<WarningReport>)> {
    // Names interned once: made afresh, each would be a string per test.
    let reports = runner.call_method1(py, pyo3::intern!(py, "run_item"), (item, next))?;
    for report in reports.bind(py).try_iter()? {
        on_report(raw_report(&report?.cast_into::<PyTuple>()?)?);
    }
    let runner = runner.bind(py);
    let stop: Option<Bound<'_, PyTuple>> = runner.getattr(pyo3::intern!(py, "stop"))?.extract()?;
    let stop = stop.map(|detail| parse_stop(&detail)).transpose()?;
    Ok((stop, warnings::reports(&runner.getattr(pyo3::intern!(py, "warned"))?)?))
}

/// The Python objects planned items share (they are immutable), made on first use: per
/// module its import name, path, node ID and package node IDs; per test function a
/// `run.Function`, which every call of a parametrized test shares; per fixture plan a
/// `fixtures.Plan`, which the items that make the same request share.
struct SharedObjects<'a, 'py> {
    plan: &'a Plan,
    classes: SharedClasses<'py>,
    /// `--setup-show` is on, which needs each plan's closure on the Python side.
    show: bool,
    modules: HashMap<usize, [Bound<'py, PyAny>; 4]>,
    functions: HashMap<FunctionKey<'a>, Bound<'py, PyAny>>,
    /// Keyed by the address of the plan's `ItemFixtures`, which items with the same request
    /// share (the plan keeps each alive, so no address is reused).
    fixture_plans: HashMap<*const ItemFixtures, Bound<'py, PyAny>>,
}

/// `run.Function` and `fixtures.Plan`.
struct SharedClasses<'py> {
    function: Bound<'py, PyAny>,
    plan: Bound<'py, PyAny>,
}

/// A test function: its module's index in the plan, classes, name and line.
type FunctionKey<'a> = (usize, &'a [String], &'a str, u32);

impl<'a, 'py> SharedObjects<'a, 'py> {
    fn new(plan: &'a Plan, classes: SharedClasses<'py>, show: bool) -> Self {
        SharedObjects {
            plan,
            classes,
            show,
            modules: HashMap::new(),
            functions: HashMap::new(),
            fixture_plans: HashMap::new(),
        }
    }

    /// The `run.Function` of `planned`'s test function.
    fn function(&mut self, planned: &'a PlannedItem) -> PyResult<Bound<'py, PyAny>> {
        let item = &planned.item;
        let key = (planned.module, &*item.classes, &*item.name, item.lineno);
        if let Some(function) = self.functions.get(&key) {
            return Ok(function.clone());
        }
        let (spec, objects) = self.module(planned.module, &item.nodeid)?;
        let [import_name, path, module_nodeid, packages] = objects.clone();
        let classes = PyTuple::new(self.classes.function.py(), item.classes.iter())?;
        let function = self.classes.function.call1((
            (import_name, classes, &*item.name, item_kind_name(item.kind), item.is_async),
            (path, module_nodeid, item.lineno),
            &*item.argnames,
            packages,
            class_nodeids(spec, item),
        ))?;
        self.functions.insert(key, function.clone());
        Ok(function)
    }

    /// The `fixtures.Plan` of `planned`'s fixtures.
    fn fixture_plan(&mut self, planned: &PlannedItem) -> PyResult<Bound<'py, PyAny>> {
        let fixtures = &planned.fixtures;
        let key = Arc::as_ptr(fixtures);
        if let Some(plan) = self.fixture_plans.get(&key) {
            return Ok(plan.clone());
        }
        let closure = self.show.then_some(&fixtures.closure);
        let plan = self.classes.plan.call1((&fixtures.setup, &fixtures.arguments, closure))?;
        self.fixture_plans.insert(key, plan.clone());
        Ok(plan)
    }

    /// The module's spec and its objects, `[import_name, path, nodeid, packages]`.
    fn module(&mut self, index: usize, nodeid: &str) -> PyResult<(&'a ModuleSpec, &[Bound<'py, PyAny>; 4])> {
        let spec = self.plan.modules.get(index).ok_or_else(|| {
            pyo3::exceptions::PyIndexError::new_err(format!(
                "plan item {nodeid} names module #{index} which the plan does not have"
            ))
        })?;
        let py = self.classes.function.py();
        let objects = match self.modules.entry(index) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => entry.insert([
                spec.import_name.as_str().into_pyobject(py)?.into_any(),
                // A str, not a pathlib.Path: building Path objects would cost more than the test.
                spec.path.to_string_lossy().into_pyobject(py)?.into_any(),
                spec.nodeid.as_str().into_pyobject(py)?.into_any(),
                PyTuple::new(py, package_nodeids(spec))?.into_any(),
            ]),
        };
        Ok((spec, objects))
    }
}

/// The Python `Item` for a planned item: what the runner needs to set it up and call it.
/// `item_class` is `run.Item`.
fn python_item<'a, 'py>(
    item_class: &Bound<'py, PyAny>,
    shared: &mut SharedObjects<'a, 'py>,
    planned: &'a PlannedItem,
) -> PyResult<Bound<'py, PyAny>> {
    let function = shared.function(planned)?;
    let fixture_plan = shared.fixture_plan(planned)?;
    let setup_error = planned.setup_error.as_ref().map(|error| (&error.text, &error.message));
    let fields = (
        function,
        &planned.item.nodeid,
        setup_error,
        fixture_plan,
        planned.item.callspec.as_ref().map(|callspec| callspec.index),
    );
    item_class.call1(fields)
}

/// The node IDs of the classes holding `item`, outermost first.
pub(crate) fn class_nodeids(spec: &ModuleSpec, item: &TestItem) -> Vec<String> {
    (1..=item.classes.len()).map(|depth| format!("{}::{}", spec.nodeid, item.classes[..depth].join("::"))).collect()
}

/// How the Python side names an item's kind (`run.Item.kind`).
pub(crate) fn item_kind_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Function => "function",
        ItemKind::UnitTest => "unittest",
        ItemKind::Doctest => "doctest",
    }
}

/// The node IDs of the packages (directories with `__init__.py`) above a module, outermost
/// first: the directories between its `sys.path` entry (the first directory up without
/// `__init__.py`) and it, one per dotted prefix of its import name. A doctest text file,
/// which has no import name, has its packages found the same way.
pub(crate) fn package_nodeids(spec: &ModuleSpec) -> Vec<String> {
    let depth = spec
        .path
        .parent()
        .and_then(|dir| dir.strip_prefix(&spec.sys_path_entry).ok())
        .map_or(0, |inside| inside.components().count());
    let dirs: Vec<&str> = spec.nodeid.match_indices('/').map(|(index, _)| &spec.nodeid[..index]).collect();
    dirs[dirs.len().saturating_sub(depth)..].iter().map(|dir| dir.to_string()).collect()
}

/// A report tuple as `run.py`'s docstring defines it: in full, or `(when, duration,
/// sections)` for a passed phase that ran no user code.
fn raw_report(report: &Bound<'_, PyTuple>) -> PyResult<RawReport> {
    let when = phase(&report.get_item(0)?)?;
    if report.len() == 3 {
        return Ok(RawReport {
            when,
            outcome: Outcome::Passed,
            longrepr: None,
            duration: report.get_item(1)?.extract()?,
            sections: pairs(&report.get_item(2)?)?,
            wasxfail: None,
            user_properties: Vec::new(),
            shown: Vec::new(),
            live_logged: false,
            subtest: None,
        });
    }
    let outcome = report.get_item(1)?;
    let outcome = match outcome.cast::<PyString>()?.to_str()? {
        "passed" => Outcome::Passed,
        "skipped" => Outcome::Skipped,
        _ => Outcome::Failed,
    };
    let longrepr = report.get_item(2)?;
    let longrepr = if longrepr.is_none() { None } else { Some(parse_longrepr(&longrepr.cast_into::<PyTuple>()?)?) };
    Ok(RawReport {
        when,
        outcome,
        longrepr,
        duration: report.get_item(3)?.extract()?,
        sections: pairs(&report.get_item(4)?)?,
        wasxfail: report.get_item(5)?.extract()?,
        user_properties: pairs(&report.get_item(6)?)?,
        shown: shown_actions(&report.get_item(7)?)?,
        live_logged: report.get_item(8)?.extract()?,
        subtest: report
            .get_item(9)?
            .extract::<Option<(String, Option<usize>)>>()?
            .map(|(description, captured_at)| Subtest { description, captured_at }),
    })
}

/// A report's sections or user properties: `(name, text)` pairs, most often none.
fn pairs(sequence: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    // Asked first: extracting an empty sequence costs a test more than its length does.
    if sequence.len()? == 0 {
        return Ok(Vec::new());
    }
    sequence.extract()
}

fn phase(when: &Bound<'_, PyAny>) -> PyResult<Phase> {
    // Compared in place: three reports a test, each String would be an allocation.
    Ok(match when.cast::<PyString>()?.to_str()? {
        "setup" => Phase::Setup,
        "call" => Phase::Call,
        _ => Phase::Teardown,
    })
}

/// What `record_testsuite_property` recorded during the run.
fn testsuite_properties(py: Python<'_>) -> PyResult<Vec<(String, String)>> {
    py.import("ferrotest_runtime.builtins")?.getattr("TESTSUITE_PROPERTIES")?.extract()
}

/// The runner's `(action, scope, name, deps, param)` tuples as events.
fn shown_actions(shown: &Bound<'_, PyAny>) -> PyResult<Vec<Event>> {
    let mut events = Vec::new();
    for raw in shown.try_iter()? {
        let (action, scope, name, deps, param): (String, String, String, Vec<String>, Option<String>) =
            raw?.extract()?;
        let fixture = FixtureAction { scope, name, deps, param };
        events.push(if action == "SETUP" { Event::FixtureSetup(fixture) } else { Event::FixtureTeardown(fixture) });
    }
    Ok(events)
}

fn parse_longrepr(longrepr: &Bound<'_, PyTuple>) -> PyResult<LongRepr> {
    if longrepr.get_item(0)?.extract::<String>()? == "skip" {
        return Ok(LongRepr::Skip {
            path: longrepr.get_item(1)?.extract()?,
            lineno: longrepr.get_item(2)?.extract()?,
            reason: longrepr.get_item(3)?.extract()?,
        });
    }
    // A traceback's report carries its crash line too (see `tbformat.item_failure`).
    let crash_line = if longrepr.len() > 3 { longrepr.get_item(3)?.extract()? } else { None };
    Ok(LongRepr::Failure {
        text: longrepr.get_item(1)?.extract()?,
        message: longrepr.get_item(2)?.extract()?,
        crash_line,
    })
}

fn parse_stop(detail: &Bound<'_, PyTuple>) -> PyResult<Stop> {
    if detail.get_item(0)?.extract::<String>()? == "exit" {
        return Ok(Stop {
            interruption: None,
            exit: Some(PytestExit {
                reason: detail.get_item(1)?.extract()?,
                returncode: detail.get_item(2)?.extract()?,
            }),
        });
    }
    let interrupt = Interruption::KeyboardInterrupt {
        message: detail.get_item(1)?.extract()?,
        location: detail.get_item(2)?.extract()?,
    };
    Ok(Stop { interruption: Some(interrupt), exit: None })
}

/// A failure of ferrotest's own Python code, shown where pytest shows an INTERNALERROR.
fn internal_error_text(py: Python<'_>, err: &PyErr) -> String {
    let traceback = err.traceback(py).and_then(|tb| tb.format().ok()).unwrap_or_default();
    format!("INTERNALERROR> {traceback}{err}")
}

fn internal_error_report(py: Python<'_>, err: &PyErr) -> RawReport {
    RawReport {
        when: Phase::Setup,
        outcome: Outcome::Failed,
        longrepr: Some(LongRepr::Failure {
            text: internal_error_text(py, err),
            message: err.to_string(),
            crash_line: None,
        }),
        duration: 0.0,
        sections: Vec::new(),
        wasxfail: None,
        user_properties: Vec::new(),
        shown: Vec::new(),
        live_logged: false,
        subtest: None,
    }
}

fn internal_collect_error(py: Python<'_>, nodeid: String, err: PyErr) -> CollectError {
    CollectError { nodeid, longrepr: internal_error_text(py, &err), message: err.to_string(), sections: Vec::new() }
}

/// Calls `capture.<function>` of the capture while collecting (see `capture.py`). Failing
/// to capture must not fail collection: the error is printed and output goes through.
fn collect_capture<'py>(py: Python<'py>, function: &str, args: impl pyo3::call::PyCallArgs<'py>) {
    let called = py.import("ferrotest_runtime.capture").and_then(|capture| capture.call_method1(function, args));
    if let Err(err) = called {
        err.print(py);
    }
}

/// What the test file just collected printed, as its collect report's sections.
fn collected_sections(py: Python<'_>) -> Vec<(String, String)> {
    let read = py.import("ferrotest_runtime.capture").and_then(|capture| capture.call_method0("collected_sections"));
    read.and_then(|sections| sections.extract()).unwrap_or_else(|err| {
        err.print(py);
        Vec::new()
    })
}

fn report_all_as_internal_errors(py: Python<'_>, plan: &Plan, err: &PyErr, on_event: &mut dyn FnMut(Event)) {
    for planned in &plan.items {
        let (nodeid, location) = event_identity(plan, planned);
        on_event(Event::TestStart { nodeid: Arc::clone(&nodeid), location: Arc::clone(&location) });
        on_event(Event::TestReport(internal_error_report(py, err).into_report(&nodeid, &location)));
        on_event(Event::TestFinish { nodeid });
    }
}
