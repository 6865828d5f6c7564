//! One ferrotest session: parse → config → discovery → import → plan → run → report.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ferrotest_discovery::{
    collect, item_chain, load_config, CollectRequest, CollectedModule, Collection, CollectionArg, Config,
    ConfigRequest, IniValue, ModuleKind, ModuleSpec,
};
use ferrotest_events::{
    CollectError, CollectedItem, CollectorNode, Event, ExitCode, Interruption, Outcome, SessionInfo, WarningReport,
};
use ferrotest_executor::{
    forkserver, CaptureMethod, CollectPatterns, Configured, ExecutorError, PluginRequest, PythonEnv, RunOptions,
    Session,
};
use ferrotest_fixtures::Registry;
use ferrotest_report::{
    DurationsOptions, JunitOptions, JunitXmlReporter, ProgressStyle, Reporter, StatsRecorder, TerminalOptions,
    TerminalReporter, TracebackStyle,
};
use ferrotest_scheduler::{plan, plan_with_cache, CachedPlan, Plan, SelectError, SessionCache};

use crate::args::{self, Args, ParseOutcome};
use crate::{cache, selection, settings, showfixtures, terminal};

/// Runs the command line and returns pytest's exit code.
pub fn main(argv: Vec<OsString>) -> i32 {
    let invocation_dir = match std::env::current_dir() {
        Ok(dir) => dir,
        Err(error) => return fail(ExitCode::UsageError, &format!("cannot read the current directory: {error}")),
    };
    let typed = argv.clone();
    let argv = with_env_addopts(argv);
    let args = match parse_or_exit(&argv, &invocation_dir) {
        Ok(args) => args,
        Err(code) => return code,
    };
    if args.version {
        println!("ferrotest {}", env!("CARGO_PKG_VERSION"));
        return 0;
    }
    let mut config = match load_config(&config_request(&args, &invocation_dir)) {
        Ok(config) => config,
        Err(error) => return fail(ExitCode::UsageError, &error.to_string()),
    };
    // `-o` applies before `addopts` is read (it may override `addopts` itself) and again
    // with the options `addopts` brought, as pytest does.
    if let Err(error) = config.ini.override_values(&args.override_ini) {
        return fail(ExitCode::UsageError, &error.to_string());
    }
    let args = match with_ini_addopts(&config, &argv, &invocation_dir) {
        Ok(Some(args)) => args,
        Ok(None) => args,
        Err(code) => return code,
    };
    if let Err(error) = config.ini.override_values(&args.override_ini) {
        return fail(ExitCode::UsageError, &error.to_string());
    }
    let python = PythonEnv::discover(&config.rootdir);
    // A warm fork server runs the same command line from the start, in the client's state.
    if let Some(code) = python.as_ref().ok().and_then(|env| forkserver::delegate(env, &typed)) {
        return code;
    }
    let cache = match cache::load(&args, &config) {
        Ok(cache) => cache,
        Err(error) => return fail(ExitCode::InternalError, &format!("cannot clear the cache: {error}")),
    };
    Run::new(args, config, invocation_dir, cache).execute(python)
}

/// The process ends right after the session: what holds an item or more per test (the
/// collection, the plan) is left for the system to reclaim rather than freed string by
/// string, which takes milliseconds per 10000 tests.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// pytest reads `PYTEST_ADDOPTS` as if typed before the other arguments.
fn with_env_addopts(mut argv: Vec<OsString>) -> Vec<OsString> {
    let Some(extra) = std::env::var("PYTEST_ADDOPTS").ok().and_then(|s| shlex::split(&s)) else {
        return argv;
    };
    let program = argv.remove(0);
    std::iter::once(program).chain(extra.into_iter().map(OsString::from)).chain(argv).collect()
}

/// The ini's `addopts` go before everything typed; parsed again only when there are some.
fn with_ini_addopts(config: &Config, argv: &[OsString], invocation_dir: &Path) -> Result<Option<Args>, i32> {
    let addopts = config.ini.addopts();
    if addopts.is_empty() {
        return Ok(None);
    }
    let combined: Vec<OsString> = argv
        .iter()
        .take(1)
        .cloned()
        .chain(addopts.into_iter().map(OsString::from))
        .chain(argv.iter().skip(1).cloned())
        .collect();
    parse_or_exit(&combined, invocation_dir).map(Some)
}

fn parse_or_exit(argv: &[OsString], invocation_dir: &Path) -> Result<Args, i32> {
    match args::parse(argv) {
        ParseOutcome::Args(args) => Ok(*args),
        ParseOutcome::Help(text) => {
            print!("{text}");
            Err(0)
        }
        ParseOutcome::Usage(message) => Err(usage_error(&message, invocation_dir)),
    }
}

/// pytest's usage error: the argparse message followed by the inifile and rootdir in use.
fn usage_error(message: &str, invocation_dir: &Path) -> i32 {
    let config = load_config(&ConfigRequest::new(invocation_dir, &[])).ok();
    let inifile = config
        .as_ref()
        .and_then(|c| c.inifile.as_ref())
        .map_or_else(|| "None".to_string(), |p| p.display().to_string());
    let rootdir = config.as_ref().map_or(invocation_dir, |c| c.rootdir.as_path()).display().to_string();
    eprintln!(
        "ERROR: usage: ferrotest [options] [file_or_dir] [file_or_dir] [...]\nferrotest: error: {message}\n  inifile: {inifile}\n  rootdir: {rootdir}\n"
    );
    ExitCode::UsageError.code()
}

fn fail(code: ExitCode, message: &str) -> i32 {
    eprintln!("ERROR: {message}\n");
    code.code()
}

fn config_request(args: &Args, invocation_dir: &Path) -> ConfigRequest {
    ConfigRequest {
        invocation_dir: invocation_dir.to_path_buf(),
        args: args.file_or_dir.clone(),
        inifile: args.inifile.clone(),
        rootdir: args.rootdir.clone(),
    }
}

/// A session's state as it moves through the stages.
struct Run {
    args: Args,
    config: Config,
    invocation_dir: PathBuf,
    reporters: Vec<Box<dyn Reporter>>,
    /// The cache plugins' state; `None` with `-p no:cacheprovider`.
    cache: Option<SessionCache>,
    started: Instant,
    /// The return code a test gave `pytest.exit()`, which becomes the process's.
    exit_returncode: Option<i32>,
    /// The `pytest_report_header` lines of conftests and plugins.
    header: Configured,
    /// The `plugins:` header entries of the entry-point plugins.
    plugin_names: Vec<String>,
    /// The conftests' `pytest_configure` ran: their `pytest_sessionfinish` is due.
    plugins_configured: bool,
    /// How many warnings the reporters were given, for `--max-warnings`.
    warning_count: usize,
    /// The reports kept for `pytest_terminal_summary` hooks, when some conftest or plugin
    /// implements one.
    stats: Option<StatsRecorder>,
}

impl Run {
    fn new(args: Args, config: Config, invocation_dir: PathBuf, cache: Option<SessionCache>) -> Self {
        let reporters = reporters(&args, &config, &invocation_dir);
        Run {
            args,
            config,
            invocation_dir,
            reporters,
            cache,
            started: Instant::now(),
            exit_returncode: None,
            header: Configured::default(),
            plugin_names: Vec::new(),
            plugins_configured: false,
            warning_count: 0,
            stats: None,
        }
    }

    /// The session's exit status.
    fn execute(mut self, python: Result<PythonEnv, ExecutorError>) -> i32 {
        let code = self.run_stages(python);
        // Like the plan, the cache holds every test's node ID (it is saved by now, or not at all).
        leave_to_exit(self.cache.take());
        self.exit_returncode.unwrap_or(code.code())
    }

    fn run_stages(&mut self, python: Result<PythonEnv, ExecutorError>) -> ExitCode {
        let mut collection = collect(&self.config, &self.collect_request());
        let env = match python {
            Ok(env) => env,
            Err(error) => return self.abort(ExitCode::UsageError, &error.to_string()),
        };
        let mut session = match Session::start(&env, &self.config.rootdir) {
            Ok(session) => session,
            Err(error) => return self.abort(ExitCode::InternalError, &error.to_string()),
        };
        match session.configure(&settings::session_settings(&self.args, &self.config, &self.invocation_dir)) {
            Ok(()) => {}
            Err(error @ ExecutorError::WarningFilter(_)) => {
                return self.abort(ExitCode::UsageError, &error.to_string())
            }
            Err(error) => return self.abort(ExitCode::InternalError, &error.to_string()),
        }
        session.set_collect_patterns(CollectPatterns {
            python_functions: self.config.ini.python_functions(),
            python_classes: self.config.ini.python_classes(),
        });
        if let Err(code) = self.start_plugins(&mut session, &mut collection) {
            return code;
        }
        // pytest's clock starts with the session, after its own start-up.
        self.started = Instant::now();
        self.emit(&Event::SessionStart(self.session_info(&session, &collection)));
        if let Some(error) = collection.arg_errors.first() {
            let message = error.message.clone();
            return self.finish_with_usage_error(Vec::new(), &message);
        }
        let start_up_warnings = session.take_warnings();
        let errors = session.import_modules(&mut collection.modules);
        // Every conftest is registered by now.
        if session.implements_hook("pytest_terminal_summary") {
            let quiet_subtests =
                settings::verbosity_ini(&self.config, "verbosity_subtests").unwrap_or(self.args.verbosity()) == 0;
            self.stats = Some(StatsRecorder::new(quiet_subtests));
        }
        let collection_warnings = session.take_warnings();
        // `--fixtures` collects without pytest's `pytest_collection` hook, which checks them.
        let ini_checked = if self.args.show_fixtures { Ok(()) } else { session.validate_ini_keys() };
        // pytest's collection warnings are reported as collection ends, after the ini check's.
        let warnings = start_up_warnings.into_iter().chain(session.take_warnings()).chain(collection_warnings);
        for warning in warnings {
            self.emit(&Event::Warning(warning));
        }
        self.record_collection(&collection, &errors);
        for skip in session.collect_skips() {
            self.emit(&Event::CollectSkip(skip.clone()));
        }
        let fixtures = session.fixture_registry();
        // Read after collection: conftests met while collecting may have registered some.
        let marker_lines = match session.marker_lines() {
            Ok(lines) => lines,
            Err(error) => return self.abort(ExitCode::InternalError, &error.to_string()),
        };
        let CachedPlan { plan, report_lines } = match self.make_plan(&collection, &fixtures, &session, marker_lines) {
            Ok(planned) => planned,
            Err(error) => {
                // pytest's terminal reports (and `--co` lists) what was collected before
                // selection refused it; an argument naming nothing stops collection first.
                let items = match error {
                    SelectError::NotFound(_) => Vec::new(),
                    _ => all_collected_items(&self.config.rootdir, &collection),
                };
                return self.finish_with_usage_error(items, &error.to_string());
            }
        };
        let collected = plan.items.len() + plan.deselected + plan.removed;
        let error_count = errors.len();
        // Only `--collect-only` prints the items, and only its tree (not `-q`'s node IDs)
        // their collector chains, which cost per item.
        let items = if self.args.collect_only {
            collected_items(&self.config.rootdir, &collection, &plan, self.args.verbosity() >= 0)
        } else {
            Vec::new()
        };
        // pytest's cache plugins add their lines only at verbosity 0 and above.
        let report_lines = if self.args.verbosity() >= 0 { report_lines } else { Vec::new() };
        let finished = Event::CollectionFinish { collected, errors, deselected: plan.deselected, items, report_lines };
        session.collection_finish(&plan, true);
        self.emit(&finished);
        session.collection_finish(&plan, false);
        // `--collect-only`'s items: one node ID per test.
        leave_to_exit(finished);
        if self.args.show_fixtures {
            return self.show_fixtures(&session);
        }
        match ini_checked {
            Ok(()) => {}
            Err(ExecutorError::UnknownIniKey(message)) => {
                // pytest raises it as its collection ends: what was collected is shown.
                self.finish(ExitCode::UsageError, None);
                return self.abort(ExitCode::UsageError, &message);
            }
            Err(error) => return self.abort(ExitCode::InternalError, &error.to_string()),
        }
        if error_count > 0 {
            return self.finish(ExitCode::Interrupted, Some(Interruption::CollectionErrors(error_count)));
        }
        if self.args.collect_only {
            let code = if plan.items.is_empty() { ExitCode::NoTestsCollected } else { ExitCode::Ok };
            leave_to_exit(plan);
            leave_to_exit(collection);
            return self.finish(code, None);
        }
        let code = self.run_plan(&mut session, plan);
        leave_to_exit(collection);
        code
    }

    /// The plan, with the cache plugins' selection and order unless they are disabled.
    fn make_plan(
        &mut self,
        collection: &Collection,
        fixtures: &Registry,
        session: &Session,
        marker_lines: Vec<String>,
    ) -> Result<CachedPlan, SelectError> {
        let collected = selection::Collected {
            item_keywords: session.item_keywords().clone(),
            marker_lines,
            item_order: session.item_order().cloned(),
        };
        let options = selection::plan_options(&self.args, &self.config, collected);
        let rootdir = &self.config.rootdir;
        match self.cache.as_mut() {
            Some(cache) => plan_with_cache(rootdir, collection, fixtures, &options, cache),
            None => {
                plan(rootdir, collection, fixtures, &options).map(|plan| CachedPlan { plan, report_lines: Vec::new() })
            }
        }
    }

    /// pytest's start-up: the initial conftests, the command line parsed against the options
    /// they add, then their `pytest_configure` and `pytest_sessionstart`. `Err`: the exit
    /// code of a usage error, already reported.
    fn start_plugins(&mut self, session: &mut Session, collection: &mut Collection) -> Result<(), ExitCode> {
        let request =
            PluginRequest { args: self.args.plugins.clone(), disable_autoload: self.args.disable_plugin_autoload };
        self.plugin_names = session.load_plugins(&collection.modules, &request).map_err(|e| self.plugin_failure(e))?;
        let args = collection.args.clone();
        let errors = session
            .import_initial_conftests(&mut collection.modules, |spec| is_initial_conftest(spec, &args))
            .map_err(|e| self.plugin_failure(e))?;
        if let Some((conftest, error)) = initial_conftest_failure(collection, &errors) {
            eprintln!("{}", ExecutorError::conftest_import(conftest, error));
            return Err(ExitCode::UsageError);
        }
        let taken = match session.parse_plugin_options(&self.args.unknown) {
            Ok(Ok(taken)) => taken,
            Ok(Err(message)) => {
                usage_error(&message, &self.invocation_dir);
                return Err(ExitCode::UsageError);
            }
            Err(error) => return Err(self.abort(ExitCode::InternalError, &error.to_string())),
        };
        if !taken.is_empty() {
            // The early parse took the values of conftest options for paths.
            for value in &taken {
                if let Some(index) = self.args.file_or_dir.iter().position(|arg| arg == value) {
                    self.args.file_or_dir.remove(index);
                }
            }
            *collection = collect(&self.config, &self.collect_request());
        }
        match session.configure_plugins() {
            Ok(configured) => self.header = configured,
            Err(ExecutorError::Usage(message)) => return Err(self.abort(ExitCode::UsageError, &message)),
            Err(error) => return Err(self.abort(ExitCode::InternalError, &error.to_string())),
        }
        self.plugins_configured = true;
        Ok(())
    }

    /// A plugin that could not load: pytest's usage error for one it cannot find, else its
    /// internal error.
    fn plugin_failure(&mut self, error: ExecutorError) -> ExitCode {
        match error {
            ExecutorError::PluginUsage(message) => self.abort(ExitCode::UsageError, &message),
            error => {
                eprintln!("{error}");
                ExitCode::InternalError
            }
        }
    }

    /// pytest's collect reports reach `--lf`'s bookkeeping before the items are selected.
    fn record_collection(&mut self, collection: &Collection, errors: &[CollectError]) {
        if let Some(cache) = self.cache.as_mut() {
            cache.record_collection(collection);
            for error in errors {
                cache.record_collect_error(&error.nodeid);
            }
        }
    }

    fn run_plan(&mut self, session: &mut Session, mut plan: Plan) -> ExitCode {
        let options = RunOptions {
            capture: self.args.capture_method(),
            setup_show: self.args.setup_show_enabled(),
            setup_only: self.args.setup_only_enabled(),
            setup_plan: self.args.setup_plan,
        };
        let maxfail = self.args.maxfail();
        plan.maxfail = cache::executor_maxfail(self.cache.as_ref(), maxfail);
        let reporters = &mut self.reporters;
        let mut stats = self.stats.as_mut();
        let mut recorder = cache::Recorder::new(self.cache.as_mut());
        let mut any_failed = false;
        let mut warning_count = 0;
        let summary = session.run(&plan, &options, &mut |event| {
            if let Event::TestReport(report) = &event {
                recorder.record(report);
                any_failed |= report.outcome == Outcome::Failed;
            }
            if let Event::Warning(_) = &event {
                warning_count += 1;
            }
            if let Some(stats) = stats.as_mut() {
                let _ = stats.handle(&event);
            }
            for reporter in reporters.iter_mut() {
                // A reporter that cannot write (a closed pipe) must not stop the run.
                let _ = reporter.handle(&event);
            }
        });
        self.warning_count += warning_count;
        let mut interruption = recorder.interruption(summary.interruption, maxfail);
        if let Some(exit) = summary.exit {
            // The session's status is 2 (what reporters see) unless the test gave its own.
            self.exit_returncode = exit.returncode;
            interruption = Some(Interruption::Exit { reason: exit.reason, returncode: exit.returncode });
        }
        let interrupted = matches!(
            interruption,
            Some(Interruption::KeyboardInterrupt { .. } | Interruption::Stopped(_) | Interruption::Exit { .. })
        );
        let code = if interrupted {
            ExitCode::Interrupted
        } else if any_failed {
            ExitCode::TestsFailed
        } else if plan.items.is_empty() {
            ExitCode::NoTestsCollected
        } else {
            ExitCode::Ok
        };
        leave_to_exit(plan);
        self.finish(code, interruption)
    }

    fn collect_request(&self) -> CollectRequest {
        CollectRequest {
            invocation_dir: self.invocation_dir.clone(),
            args: self.args.file_or_dir.clone(),
            ignore: self.args.ignore.clone(),
            ignore_glob: self.args.ignore_glob.clone(),
            doctest_modules: self.args.doctest_modules,
            doctest_glob: self.args.doctest_glob.clone(),
        }
    }

    fn session_info(&self, session: &Session, collection: &Collection) -> SessionInfo {
        let testpaths =
            self.args.file_or_dir.is_empty() && !self.config.ini.testpaths().is_empty() && !collection.args.is_empty();
        SessionInfo {
            platform: session.platform().to_string(),
            python_version: session.python_version().to_string(),
            rootdir: self.config.rootdir.clone(),
            configfile: self.config.inifile.clone(),
            testpaths: testpaths.then(|| self.config.ini.testpaths()),
            extra_lines: self.header.header_lines.clone(),
            late_lines: self.header.late_header_lines.clone(),
            plugins: self.plugin_names.clone(),
        }
    }

    fn emit(&mut self, event: &Event) {
        if let Event::Warning(_) = event {
            self.warning_count += 1;
        }
        if let Some(stats) = &mut self.stats {
            let _ = stats.handle(event);
        }
        for reporter in &mut self.reporters {
            let _ = reporter.handle(event);
        }
    }

    /// pytest reports argument errors after an empty session: the header, `no tests ran`,
    /// then the error on stderr.
    fn finish_with_usage_error(&mut self, items: Vec<CollectedItem>, message: &str) -> ExitCode {
        let collected = items.len();
        self.emit(&Event::CollectionFinish { collected, errors: vec![], deselected: 0, items, report_lines: vec![] });
        self.finish(ExitCode::UsageError, None);
        fail(ExitCode::UsageError, message);
        ExitCode::UsageError
    }

    /// `--fixtures`: list the definitions collection registered instead of running tests;
    /// pytest exits 0 whatever the collection found.
    fn show_fixtures(&mut self, session: &Session) -> ExitCode {
        match showfixtures::available(session, &self.invocation_dir) {
            Ok(fixtures) => self.emit(&Event::AvailableFixtures(fixtures)),
            Err(error) => return self.abort(ExitCode::InternalError, &error.to_string()),
        }
        self.finish(ExitCode::Ok, None)
    }

    fn abort(&mut self, code: ExitCode, message: &str) -> ExitCode {
        fail(code, message);
        code
    }

    /// The session's end: the cache is saved first (pytest's plugins write it in
    /// `pytest_sessionfinish` before the terminal's summary, which shows their warnings).
    fn finish(&mut self, exit_code: ExitCode, interruption: Option<Interruption>) -> ExitCode {
        self.save_cache();
        if self.plugins_configured {
            let stats = self.stats.as_ref().map(StatsRecorder::stats);
            let exitstatus = self.exit_returncode.unwrap_or(exit_code.code());
            if let Some(summary) = ferrotest_executor::finish_plugins(exitstatus, stats) {
                self.emit(&Event::TerminalSummary(summary));
            }
        }
        // Only the terminal's own end of session sees the limit (plugins were told `exit_code`).
        let exit_code = match max_warnings(&self.args, &self.config) {
            Some(max) if exit_code == ExitCode::Ok && self.warning_count > max => ExitCode::MaxWarningsError,
            _ => exit_code,
        };
        let duration = self.started.elapsed().as_secs_f64();
        self.emit(&Event::SessionFinish { exit_code, duration, interruption });
        exit_code
    }

    fn save_cache(&mut self) {
        let Some(cache) = &self.cache else { return };
        for warning in cache.save() {
            self.emit(&Event::Warning(WarningReport { location: None, message: cache::warning_message(&warning) }));
        }
    }
}

fn reporters(args: &Args, config: &Config, invocation_dir: &Path) -> Vec<Box<dyn Reporter>> {
    let options = TerminalOptions {
        verbosity: args.verbosity(),
        report_chars: args.report_chars.clone().unwrap_or_else(|| "fE".to_string()),
        color: terminal::use_color(&args.color),
        width: terminal::width(),
        collect_only: args.collect_only,
        setup_show: args.setup_show_enabled(),
        setup_only: args.setup_only_enabled(),
        show_fixtures: args.show_fixtures,
        junitxml_path: args.junitxml.as_ref().map(|p| invocation_dir.join(p).display().to_string()),
        disable_warnings: args.disable_warnings,
        max_warnings: max_warnings(args, config),
        cachedir_line: cache::header_line(args, config),
        untrimmed_summary: terminal::running_on_ci(),
        show_capture: args.show_capture.clone(),
        live_logging: live_logging(args, config),
        verbosity_subtests: settings::verbosity_ini(config, "verbosity_subtests"),
        tbstyle: TracebackStyle::parse(&args.tbstyle).unwrap_or_default(),
        durations: args.durations.map(|count| DurationsOptions { count, min: args.durations_min }),
        progress: progress_style(args, config),
        no_header: args.no_header,
        no_summary: args.no_summary,
        ..TerminalOptions::default()
    };
    let mut reporters: Vec<Box<dyn Reporter>> = vec![Box::new(TerminalReporter::new(terminal::stdout(), options))];
    if let Some(path) = &args.junitxml {
        reporters.push(Box::new(JunitXmlReporter::new(invocation_dir.join(path), JunitOptions::default())));
    }
    reporters
}

/// The logging plugin's `log_cli`: live logs, by `--log-cli-level` or the ini option.
fn live_logging(args: &Args, config: &Config) -> bool {
    let enabled =
        args.logging.log_cli_level.is_some() || config.ini.get("log_cli").and_then(selection::ini_bool) == Some(true);
    enabled && !args.blocks_plugin("logging")
}

/// pytest's `_determine_show_progress_info`: the `console_output_style` ini option, but no
/// progress while output is not captured (it would break into the test's own output) unless
/// the style is `progress-even-when-capture-no`. (`times` is shown as `progress`.)
fn progress_style(args: &Args, config: &Config) -> ProgressStyle {
    let style = match config.ini.get("console_output_style") {
        Some(IniValue::Text(text)) => text.trim(),
        _ => "progress",
    };
    if args.capture_method() == CaptureMethod::No && style != "progress-even-when-capture-no" {
        return ProgressStyle::Classic;
    }
    match style {
        "classic" => ProgressStyle::Classic,
        "count" => ProgressStyle::Count,
        _ => ProgressStyle::Progress,
    }
}

/// `--max-warnings`, else the `max_warnings` ini option.
fn max_warnings(args: &Args, config: &Config) -> Option<usize> {
    args.max_warnings.or_else(|| match config.ini.get("max_warnings") {
        Some(IniValue::Text(text)) => text.trim().parse().ok(),
        _ => None,
    })
}

/// Every item the test modules hold, in collection order, before any selection.
fn all_collected_items(rootdir: &Path, collection: &Collection) -> Vec<CollectedItem> {
    collection
        .modules
        .iter()
        .filter(|module| module.spec.kind.holds_items())
        .flat_map(|module| {
            let module_chain = module.module_chain(rootdir);
            let items = module.items.iter();
            items.map(move |item| CollectedItem { nodeid: item.nodeid.clone(), chain: item_chain(&module_chain, item) })
        })
        .collect()
}

/// The selected items, in run order, with their collector chains (for `--collect-only`).
/// The planned items for `--collect-only`; `with_chains`: with the collectors above each
/// (empty otherwise).
fn collected_items(rootdir: &Path, collection: &Collection, plan: &Plan, with_chains: bool) -> Vec<CollectedItem> {
    if !with_chains {
        return plan
            .items
            .iter()
            .map(|planned| CollectedItem { nodeid: planned.item.nodeid.clone(), chain: Vec::new() })
            .collect();
    }
    // By kind too: a test module's `DoctestModule` has the same path.
    let modules: std::collections::HashMap<(&Path, ModuleKind), &CollectedModule> =
        collection.modules.iter().map(|module| ((module.spec.path.as_path(), module.spec.kind), module)).collect();
    let mut module_chains: std::collections::HashMap<usize, Vec<CollectorNode>> = std::collections::HashMap::new();
    plan.items
        .iter()
        .filter_map(|planned| {
            let spec = &plan.modules[planned.module];
            let module = modules.get(&(spec.path.as_path(), spec.kind))?;
            let module_chain = module_chains.entry(planned.module).or_insert_with(|| module.module_chain(rootdir));
            Some(CollectedItem { nodeid: planned.item.nodeid.clone(), chain: item_chain(module_chain, &planned.item) })
        })
        .collect()
}

/// A failing conftest that pytest loads at start-up rather than while collecting: those in the
/// arguments' directories and above them, and in `test*` directories directly below them.
/// pytest gives a usage error (exit 4) for these instead of a collection error.
fn initial_conftest_failure<'a>(
    collection: &'a Collection,
    errors: &'a [CollectError],
) -> Option<(&'a ModuleSpec, &'a CollectError)> {
    collection
        .modules
        .iter()
        .filter(|module| module.spec.kind == ModuleKind::Conftest)
        .filter(|module| is_initial_conftest(&module.spec, &collection.args))
        .find_map(|module| {
            let dir_nodeid = module.spec.nodeid.rsplit_once('/').map_or("", |(dir, _)| dir);
            errors.iter().find(|error| error.nodeid == dir_nodeid).map(|error| (&module.spec, error))
        })
}

fn is_initial_conftest(conftest: &ModuleSpec, args: &[CollectionArg]) -> bool {
    let Some(dir) = conftest.path.parent() else { return false };
    args.iter().any(|arg| {
        let anchor = if arg.path.is_dir() { arg.path.as_path() } else { arg.path.parent().unwrap_or(&arg.path) };
        let in_test_subdir = dir.parent() == Some(anchor)
            && dir.file_name().is_some_and(|name| name.to_string_lossy().starts_with("test"));
        anchor.starts_with(dir) || in_test_subdir
    })
}
