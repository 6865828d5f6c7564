//! pytest's command line, as far as ferrotest supports it.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{ArgAction, Parser};
use ferrotest_executor::CaptureMethod;
use ferrotest_scheduler::{CacheOptions, NoFailures, StepwiseOptions};

use crate::logging_args::{LoggingArgs, LOGGING_OPTIONS};

/// The options ferrotest accepts, spelled as pytest spells them.
#[derive(Debug, Parser)]
#[command(
    name = "ferrotest",
    version,
    about = "Runs pytest suites, exactly as pytest would, many times faster.",
    override_usage = "ferrotest [options] [file_or_dir] [file_or_dir] [...]",
    disable_version_flag = true,
    // argparse keeps the last of a repeated option (`addopts` come before what is typed).
    args_override_self = true
)]
pub struct Args {
    /// Files, directories or node IDs (`file.py::Class::test`) to collect.
    #[arg(value_name = "file_or_dir")]
    pub file_or_dir: Vec<String>,

    /// Increase verbosity.
    #[arg(short = 'v', long = "verbose", action = ArgAction::Count)]
    pub verbose: u8,

    /// Decrease verbosity.
    #[arg(short = 'q', long = "quiet", action = ArgAction::Count)]
    pub quiet: u8,

    /// Only run tests which match the given substring expression. An expression is a
    /// Python evaluable expression where all names are substring-matched against test
    /// names and their parent classes. Example: -k 'test_method or test_other' matches all
    /// test functions and classes whose name contains 'test_method' or 'test_other', while
    /// -k 'not test_method' matches those that don't contain 'test_method' in their names.
    /// -k 'not test_method and not test_other' will eliminate the matches. Additionally
    /// keywords are matched to classes and functions containing extra names in their
    /// 'extra_keyword_matches' set, as well as functions which have names assigned directly
    /// to them. The matching is case-insensitive.
    #[arg(short = 'k', value_name = "EXPRESSION")]
    pub keyword: Option<String>,

    /// Only run tests matching given mark expression. For example: -m 'mark1 and not mark2'.
    #[arg(short = 'm', value_name = "MARKEXPR")]
    pub markexpr: Option<String>,

    /// Deselect item (via node id prefix) during collection (multi-allowed).
    #[arg(long = "deselect", value_name = "nodeid_prefix", action = ArgAction::Append)]
    pub deselect: Vec<String>,

    /// Enables the strict_markers option.
    #[arg(long = "strict-markers")]
    pub strict_markers: bool,

    /// Enables the strict option.
    #[arg(long = "strict")]
    pub strict: bool,

    /// Report the results of xfail tests as if they were not marked.
    #[arg(long = "runxfail")]
    pub runxfail: bool,

    /// Set which warnings to report, see -W option of Python itself.
    #[arg(short = 'W', long = "pythonwarnings", value_name = "PYTHONWARNINGS", action = ArgAction::Append)]
    pub pythonwarnings: Vec<String>,

    /// Disable warnings summary.
    #[arg(long = "disable-warnings", visible_alias = "disable-pytest-warnings")]
    pub disable_warnings: bool,

    /// Disable header.
    #[arg(long = "no-header")]
    pub no_header: bool,

    /// Disable summary.
    #[arg(long = "no-summary")]
    pub no_summary: bool,

    /// Exit with error if all tests pass but the number of warnings exceeds this threshold.
    #[arg(long = "max-warnings", value_name = "num")]
    pub max_warnings: Option<usize>,

    /// Rerun only the tests that failed at the last run (or all if none failed).
    #[arg(long = "lf", visible_alias = "last-failed")]
    pub last_failed: bool,

    /// Run all tests, but run the last failures first. This may re-order tests and thus
    /// lead to repeated fixture setup/teardown.
    #[arg(long = "ff", visible_alias = "failed-first")]
    pub failed_first: bool,

    /// Run tests from new files first, then the rest of the tests sorted by file mtime.
    #[arg(long = "nf", visible_alias = "new-first")]
    pub new_first: bool,

    /// Remove all cache contents at start of test run.
    #[arg(long = "cache-clear")]
    pub cache_clear: bool,

    /// With ``--lf``, determines whether to execute tests when there are no previously
    /// (known) failures or when no cached ``lastfailed`` data was found. ``all`` (the
    /// default) runs the full test suite again. ``none`` just emits a message about no known
    /// failures and exits successfully.
    #[arg(
        long = "lfnf",
        visible_alias = "last-failed-no-failures",
        value_name = "{all,none}",
        value_parser = ["all", "none"],
        default_value = "all"
    )]
    pub last_failed_no_failures: String,

    /// Exit on test failure and continue from last failing test next time.
    #[arg(long = "sw", visible_alias = "stepwise")]
    pub stepwise: bool,

    /// Ignore the first failing test but stop on the next failing test. Implicitly enables
    /// --stepwise.
    #[arg(long = "sw-skip", visible_alias = "stepwise-skip")]
    pub stepwise_skip: bool,

    /// Resets stepwise state, restarting the stepwise workflow. Implicitly enables
    /// --stepwise.
    #[arg(long = "sw-reset", visible_alias = "stepwise-reset")]
    pub stepwise_reset: bool,

    /// Exit instantly on first error or failed test.
    #[arg(short = 'x', long = "exitfirst")]
    pub exitfirst: bool,

    /// Exit after first num failures or errors.
    #[arg(long = "maxfail", value_name = "num")]
    pub maxfail: Option<usize>,

    /// Show available fixtures, sorted by plugin appearance (fixtures with leading '_' are
    /// only shown with '-v').
    #[arg(long = "fixtures", visible_alias = "funcargs")]
    pub show_fixtures: bool,

    /// Only setup fixtures, do not execute tests.
    #[arg(long = "setup-only", visible_alias = "setuponly")]
    pub setup_only: bool,

    /// Show setup of fixtures while executing tests.
    #[arg(long = "setup-show", visible_alias = "setupshow")]
    pub setup_show: bool,

    /// Show what fixtures and tests would be executed but don't execute anything.
    #[arg(long = "setup-plan", visible_alias = "setupplan")]
    pub setup_plan: bool,

    /// Only collect tests, don't execute them.
    #[arg(long = "collect-only", visible_alias = "co")]
    pub collect_only: bool,

    /// Define root directory for tests.
    #[arg(long = "rootdir", value_name = "ROOTDIR")]
    pub rootdir: Option<PathBuf>,

    /// Load configuration from `FILE` instead of trying to locate one of the implicit
    /// configuration files.
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub inifile: Option<PathBuf>,

    /// Create junit-xml style report file at given path.
    #[arg(long = "junitxml", visible_alias = "junit-xml", value_name = "path")]
    pub junitxml: Option<PathBuf>,

    /// Early-load given plugin module name or entry point (multi-allowed). To avoid loading
    /// of plugins, use the `no:` prefix, e.g. `no:doctest`. See also
    /// --disable-plugin-autoload.
    #[arg(short = 'p', value_name = "name", action = ArgAction::Append)]
    pub plugins: Vec<String>,

    /// Disable plugin auto-loading through entry point packaging metadata. Only plugins
    /// explicitly specified in -p or env var PYTEST_PLUGINS will be loaded.
    #[arg(long = "disable-plugin-autoload")]
    pub disable_plugin_autoload: bool,

    /// Ignore path during collection (multi-allowed).
    #[arg(long = "ignore", value_name = "path", action = ArgAction::Append)]
    pub ignore: Vec<PathBuf>,

    /// Ignore path pattern during collection (multi-allowed).
    #[arg(long = "ignore-glob", value_name = "path", action = ArgAction::Append)]
    pub ignore_glob: Vec<String>,

    /// Run doctests in all .py modules.
    #[arg(long = "doctest-modules")]
    pub doctest_modules: bool,

    /// Choose another output format for diffs on doctest failure.
    #[arg(long = "doctest-report", value_name = "{none,cdiff,ndiff,udiff,only_first_failure}",
          default_value = "udiff", value_parser = ["none", "cdiff", "ndiff", "udiff", "only_first_failure"],
          ignore_case = true)]
    pub doctest_report: String,

    /// Doctests file matching pattern, default: test*.txt.
    #[arg(long = "doctest-glob", value_name = "pat", action = ArgAction::Append)]
    pub doctest_glob: Vec<String>,

    /// For a given doctest, continue to run after the first failure.
    #[arg(long = "doctest-continue-on-failure")]
    pub doctest_continue_on_failure: bool,

    /// pytest-asyncio's mode: 'auto' handles every async test and fixture, 'strict' only
    /// marked ones (used when pytest-asyncio is installed).
    #[arg(long = "asyncio-mode", value_name = "MODE")]
    pub asyncio_mode: Option<String>,

    /// pytest-asyncio's debug mode for its event loops.
    #[arg(long = "asyncio-debug")]
    pub asyncio_debug: bool,

    /// Show extra test summary info as specified by chars.
    #[arg(short = 'r', value_name = "chars")]
    pub report_chars: Option<String>,

    /// Per-test capturing method: one of fd|sys|no|tee-sys.
    #[arg(long = "capture", value_name = "method", default_value = "fd",
          value_parser = ["fd", "sys", "no", "tee-sys"], overrides_with = "no_capture")]
    pub capture: String,

    /// Shortcut for --capture=no.
    #[arg(short = 's', overrides_with = "capture")]
    pub no_capture: bool,

    /// Controls how captured stdout/stderr/log is shown on failed tests. Default: all.
    #[arg(long = "show-capture", value_name = "{no,stdout,stderr,log,all}", default_value = "all",
          value_parser = ["no", "stdout", "stderr", "log", "all"])]
    pub show_capture: String,

    #[command(flatten)]
    pub logging: LoggingArgs,

    /// Control assertion debugging tools: 'plain' performs no assertion debugging, 'rewrite'
    /// (the default) rewrites assert statements in test modules on import.
    #[arg(long = "assert", value_name = "MODE", default_value = "rewrite", value_parser = ["rewrite", "plain"])]
    pub assert_mode: String,

    /// Show locals in tracebacks (disabled by default).
    #[arg(short = 'l', long = "showlocals", overrides_with = "no_showlocals")]
    pub showlocals: bool,

    /// Hide locals in tracebacks (negate --showlocals passed through addopts).
    #[arg(long = "no-showlocals", overrides_with = "showlocals")]
    pub no_showlocals: bool,

    /// Traceback print mode (auto/long/short/line/native/no).
    #[arg(long = "tb", value_name = "style", default_value = "auto",
          value_parser = ["auto", "long", "short", "no", "line", "native"])]
    pub tbstyle: String,

    /// Don't cut any tracebacks (default is to cut).
    #[arg(long = "full-trace", visible_alias = "fulltrace")]
    pub fulltrace: bool,

    /// Show N slowest setup/test durations (N=0 for all).
    #[arg(long = "durations", value_name = "N")]
    pub durations: Option<usize>,

    /// Minimal duration in seconds for inclusion in slowest list. Default: 0.005 (or 0.0 if
    /// -vv is given).
    #[arg(long = "durations-min", value_name = "N")]
    pub durations_min: Option<f64>,

    /// Override configuration option with "option=value" style, e.g. `-o strict_xfail=True
    /// -o cache_dir=cache`.
    #[arg(short = 'o', long = "override-ini", value_name = "OVERRIDE_INI", action = ArgAction::Append)]
    pub override_ini: Vec<String>,

    /// Any warnings encountered while parsing the `pytest` section of the configuration file
    /// raise errors. (Accepted; ferrotest does not yet check the section's keys, since keys
    /// registered by plugins are unknown to it.)
    #[arg(long = "strict-config")]
    pub strict_config: bool,

    /// Base temporary directory for this test run.
    #[arg(long = "basetemp", value_name = "dir")]
    pub basetemp: Option<PathBuf>,

    /// Color terminal output (yes/no/auto).
    #[arg(long = "color", value_name = "color", default_value = "auto")]
    pub color: String,

    /// Display pytest version and information about plugins.
    #[arg(short = 'V', long = "version")]
    pub version: bool,

    /// Options no builtin plugin knows, each with the argument after it when that is no
    /// option: conftests may add them (`pytest_addoption`), so they are parsed once the
    /// initial conftests are imported.
    #[arg(skip)]
    pub unknown: Vec<(String, Option<String>)>,
}

impl Args {
    /// pytest's verbosity: `-v` adds one, `-q` takes one away.
    pub fn verbosity(&self) -> i32 {
        i32::from(self.verbose) - i32::from(self.quiet)
    }

    /// `-x` is `--maxfail=1`; `--maxfail=0` means no limit, as in pytest.
    pub fn maxfail(&self) -> Option<usize> {
        if self.exitfirst {
            Some(1)
        } else {
            self.maxfail.filter(|&n| n > 0)
        }
    }

    /// pytest's `--setup-plan` implies `--setup-only`, which implies `--setup-show`.
    pub fn setup_only_enabled(&self) -> bool {
        self.setup_only || self.setup_plan
    }

    pub fn setup_show_enabled(&self) -> bool {
        self.setup_show || self.setup_only_enabled()
    }

    /// `--capture`, where `-s` is `--capture=no`; the last one given wins, as in argparse.
    /// With pytest's capture plugin blocked (`-p no:capture`) nothing is captured.
    pub fn capture_method(&self) -> CaptureMethod {
        match self.capture.as_str() {
            _ if self.no_capture || self.blocks_plugin("capture") => CaptureMethod::No,
            "sys" => CaptureMethod::Sys,
            "tee-sys" => CaptureMethod::TeeSys,
            "no" => CaptureMethod::No,
            _ => CaptureMethod::Fd,
        }
    }

    /// `-p no:NAME` blocks the plugin `NAME`.
    pub fn blocks_plugin(&self, name: &str) -> bool {
        self.plugins.iter().any(|plugin| plugin.strip_prefix("no:") == Some(name))
    }

    /// `-p no:warnings`: warnings are left to Python, never summarised.
    pub fn warnings_enabled(&self) -> bool {
        !self.blocks_plugin("warnings")
    }

    /// `-p no:cacheprovider` also blocks stepwise, as pytest does.
    pub fn cache_enabled(&self) -> bool {
        !self.blocks_plugin("cacheprovider")
    }

    /// The cache plugins' options; `--sw-skip` and `--sw-reset` imply `--sw`.
    pub fn cache_options(&self) -> CacheOptions {
        let stepwise_on = self.stepwise || self.stepwise_skip || self.stepwise_reset;
        CacheOptions {
            last_failed: self.last_failed,
            failed_first: self.failed_first,
            new_first: self.new_first,
            last_failed_no_failures: match self.last_failed_no_failures.as_str() {
                "none" => NoFailures::None,
                _ => NoFailures::All,
            },
            stepwise: stepwise_on.then_some(StepwiseOptions { skip: self.stepwise_skip, reset: self.stepwise_reset }),
            collect_only: self.collect_only,
        }
    }

    /// The options a blocked plugin would have added, as typed: pytest never registers them,
    /// so argparse reports them as unrecognized.
    fn options_of_blocked_plugins<'a>(&self, argv: &'a [OsString]) -> Vec<&'a str> {
        let mut blocked: Vec<&str> = Vec::new();
        if !self.cache_enabled() {
            blocked.extend(CACHEPROVIDER_OPTIONS);
        }
        if !self.cache_enabled() || self.blocks_plugin("stepwise") {
            blocked.extend(STEPWISE_OPTIONS);
        }
        if self.blocks_plugin("logging") {
            blocked.extend(LOGGING_OPTIONS);
        }
        argv.iter()
            .skip(1)
            .filter_map(|arg| arg.to_str())
            .filter(|arg| blocked.contains(&arg.split('=').next().unwrap_or_default()))
            .collect()
    }
}

/// The options `_pytest/cacheprovider.py` adds.
const CACHEPROVIDER_OPTIONS: [&str; 9] = [
    "--lf",
    "--last-failed",
    "--ff",
    "--failed-first",
    "--nf",
    "--new-first",
    "--cache-clear",
    "--lfnf",
    "--last-failed-no-failures",
];

/// The options `_pytest/stepwise.py` adds.
const STEPWISE_OPTIONS: [&str; 6] =
    ["--sw", "--stepwise", "--sw-skip", "--stepwise-skip", "--sw-reset", "--stepwise-reset"];

/// How parsing ended when it did not give `Args`.
pub enum ParseOutcome {
    Args(Box<Args>),
    /// `-h`: print this and exit 0.
    Help(String),
    /// pytest's `unrecognized arguments: ...` or another usage error message.
    Usage(String),
}

pub fn parse(argv: &[OsString]) -> ParseOutcome {
    let (known, unknown) = split_unknown(argv);
    match Args::try_parse_from(&known) {
        Ok(args) => match args.options_of_blocked_plugins(argv).as_slice() {
            [] => ParseOutcome::Args(Box::new(Args { unknown, ..args })),
            unknown => ParseOutcome::Usage(format!("unrecognized arguments: {}", unknown.join(" "))),
        },
        Err(error) if error.kind() == ErrorKind::DisplayHelp => ParseOutcome::Help(error.render().to_string()),
        Err(error) => ParseOutcome::Usage(usage_message(&error)),
    }
}

/// pytest parses the command line only after the initial conftests added their options
/// (argparse's `parse_known_args` before that): `argv` without the options clap does not
/// know, and those, each with the argument after it when that one is no option.
fn split_unknown(argv: &[OsString]) -> (Vec<OsString>, Vec<(String, Option<String>)>) {
    let mut known = argv.to_vec();
    let mut unknown = Vec::new();
    while let Err(error) = Args::try_parse_from(&known) {
        let Some(index) = unknown_index(&error, &known) else { break };
        let token = known.remove(index).to_string_lossy().into_owned();
        let follower = known.get(index).and_then(|next| next.to_str()).filter(|next| !next.starts_with('-'));
        let follower = follower.filter(|_| !token.contains('=')).map(str::to_string);
        unknown.push((token, follower));
    }
    (known, unknown)
}

/// Where in `argv` the option clap reported as unknown is.
fn unknown_index(error: &clap::Error, argv: &[OsString]) -> Option<usize> {
    use clap::error::{ContextKind, ContextValue};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(invalid)) = error.get(ContextKind::InvalidArg) else { return None };
    let option = invalid.split('=').next().unwrap_or_default();
    argv.iter()
        .skip(1)
        .position(|arg| arg.to_str().and_then(|arg| arg.split('=').next()) == Some(option))
        .map(|i| i + 1)
}

/// pytest's wording for a bad command line: `unrecognized arguments: --foo` for unknown
/// flags, argparse's `argument X: ...` for the rest.
fn usage_message(error: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let invalid = error.get(ContextKind::InvalidArg).and_then(|value| match value {
        ContextValue::String(s) => Some(s.clone()),
        _ => None,
    });
    match (error.kind(), invalid) {
        (ErrorKind::UnknownArgument, Some(arg)) => format!("unrecognized arguments: {arg}"),
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.trim_start_matches("error: ").to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> ParseOutcome {
        let argv: Vec<OsString> =
            std::iter::once("ferrotest").chain(args.iter().copied()).map(OsString::from).collect();
        parse(&argv)
    }

    #[test]
    fn unknown_options_wait_for_the_conftests_with_the_argument_after_them() {
        let ParseOutcome::Args(args) = parse_strs(&["--nope", "tests", "-q", "--level=3", "--flag"]) else { panic!() };
        assert_eq!(args.file_or_dir, ["tests"]);
        assert_eq!(args.quiet, 1);
        let expected = [("--nope", Some("tests")), ("--level=3", None), ("--flag", None)];
        let expected: Vec<(String, Option<String>)> =
            expected.iter().map(|(token, next)| (token.to_string(), next.map(str::to_string))).collect();
        assert_eq!(args.unknown, expected);
    }

    #[test]
    fn verbosity_counts_v_up_and_q_down() {
        let ParseOutcome::Args(args) = parse_strs(&["-vv", "-q", "--co", "-x"]) else { panic!() };
        assert_eq!(args.verbosity(), 1);
        assert!(args.collect_only);
        assert_eq!(args.maxfail(), Some(1));
    }

    #[test]
    fn maxfail_zero_means_no_limit() {
        let ParseOutcome::Args(args) = parse_strs(&["--maxfail", "0"]) else { panic!() };
        assert_eq!(args.maxfail(), None);
    }

    #[test]
    fn warning_filters_append_in_order_and_warning_flags_take_either_spelling() {
        let argv = ["-W", "error", "--pythonwarnings=ignore::DeprecationWarning", "--disable-pytest-warnings"];
        let ParseOutcome::Args(args) = parse_strs(&[&argv[..], &["--max-warnings", "3", "-p", "no:warnings"]].concat())
        else {
            panic!()
        };
        assert_eq!(args.pythonwarnings, ["error", "ignore::DeprecationWarning"]);
        assert!(args.disable_warnings && !args.warnings_enabled());
        assert_eq!(args.max_warnings, Some(3));
    }

    #[test]
    fn node_ids_and_plugins_are_accepted() {
        let argv = ["a.py::T::t", "-p", "no:cacheprovider", "--junit-xml=x.xml", "-pmock", "--disable-plugin-autoload"];
        let ParseOutcome::Args(args) = parse_strs(&argv) else { panic!() };
        assert_eq!(args.file_or_dir, vec!["a.py::T::t"]);
        assert_eq!(args.plugins, vec!["no:cacheprovider", "mock"]);
        assert!(args.disable_plugin_autoload);
        assert_eq!(args.junitxml, Some(PathBuf::from("x.xml")));
    }

    #[test]
    fn cache_flags_take_either_spelling_and_stepwise_variants_imply_stepwise() {
        let ParseOutcome::Args(args) = parse_strs(&["--last-failed", "--ff", "--lfnf=none", "--stepwise-skip"]) else {
            panic!()
        };
        let options = args.cache_options();
        assert!(options.last_failed && options.failed_first && !options.new_first);
        assert_eq!(options.last_failed_no_failures, NoFailures::None);
        assert_eq!(options.stepwise, Some(StepwiseOptions { skip: true, reset: false }));
    }

    #[test]
    fn a_repeated_option_keeps_its_last_value_as_argparse_does() {
        let ParseOutcome::Args(args) = parse_strs(&["-k", "a", "-k", "b", "--deselect", "x", "--deselect", "y"]) else {
            panic!()
        };
        assert_eq!(args.keyword.as_deref(), Some("b"));
        assert_eq!(args.deselect, ["x", "y"]);
    }

    #[test]
    fn the_last_of_capture_and_s_wins() {
        let method = |args: &[&str]| match parse_strs(args) {
            ParseOutcome::Args(args) => args.capture_method(),
            _ => panic!("expected arguments"),
        };
        assert_eq!(method(&[]), CaptureMethod::Fd);
        assert_eq!(method(&["-s", "--capture=tee-sys"]), CaptureMethod::TeeSys);
        assert_eq!(method(&["--capture=sys", "-s"]), CaptureMethod::No);
        assert!(matches!(parse_strs(&["--capture=file"]), ParseOutcome::Usage(_)));
    }

    #[test]
    fn options_of_a_blocked_plugin_are_unrecognized() {
        match parse_strs(&["-p", "no:cacheprovider", "--lf", "--sw-skip", "--lfnf=all"]) {
            ParseOutcome::Usage(message) => assert_eq!(message, "unrecognized arguments: --lf --sw-skip --lfnf=all"),
            _ => panic!("expected a usage error"),
        }
        match parse_strs(&["-p", "no:stepwise", "--ff", "--sw"]) {
            ParseOutcome::Usage(message) => assert_eq!(message, "unrecognized arguments: --sw"),
            _ => panic!("expected a usage error"),
        }
        match parse_strs(&["-p", "no:logging", "--log-level=INFO", "--log-cli-level", "DEBUG"]) {
            ParseOutcome::Usage(message) => {
                assert_eq!(message, "unrecognized arguments: --log-level=INFO --log-cli-level")
            }
            _ => panic!("expected a usage error"),
        }
    }
}
