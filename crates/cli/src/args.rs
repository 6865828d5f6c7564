//! pytest's command line, as far as ferrotest supports it.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{ArgAction, Parser};

/// The options ferrotest accepts, spelled as pytest spells them.
#[derive(Debug, Parser)]
#[command(
    name = "ferrotest",
    version,
    about = "Runs pytest suites, exactly as pytest would, many times faster.",
    override_usage = "ferrotest [options] [file_or_dir] [file_or_dir] [...]",
    disable_version_flag = true
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

    /// Exit instantly on first error or failed test.
    #[arg(short = 'x', long = "exitfirst")]
    pub exitfirst: bool,

    /// Exit after first num failures or errors.
    #[arg(long = "maxfail", value_name = "num")]
    pub maxfail: Option<usize>,

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

    /// Early-load given plugin module name or entry point (accepted; plugins come later).
    #[arg(short = 'p', value_name = "name", action = ArgAction::Append)]
    pub plugins: Vec<String>,

    /// Ignore path during collection (multi-allowed).
    #[arg(long = "ignore", value_name = "path", action = ArgAction::Append)]
    pub ignore: Vec<PathBuf>,

    /// Ignore path pattern during collection (multi-allowed).
    #[arg(long = "ignore-glob", value_name = "path", action = ArgAction::Append)]
    pub ignore_glob: Vec<String>,

    /// Show extra test summary info as specified by chars.
    #[arg(short = 'r', value_name = "chars")]
    pub report_chars: Option<String>,

    /// Per-test capturing method: one of fd|sys|no|tee-sys.
    #[arg(long = "capture", value_name = "method", default_value = "fd")]
    pub capture: String,

    /// Shortcut for --capture=no.
    #[arg(short = 's')]
    pub no_capture: bool,

    /// Color terminal output (yes/no/auto).
    #[arg(long = "color", value_name = "color", default_value = "auto")]
    pub color: String,

    /// Display pytest version and information about plugins.
    #[arg(short = 'V', long = "version")]
    pub version: bool,
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

    pub fn capture_enabled(&self) -> bool {
        !self.no_capture && self.capture != "no"
    }
}

/// How parsing ended when it did not give `Args`.
pub enum ParseOutcome {
    Args(Box<Args>),
    /// `-h`: print this and exit 0.
    Help(String),
    /// pytest's `unrecognized arguments: ...` or another usage error message.
    Usage(String),
}

pub fn parse(argv: &[OsString]) -> ParseOutcome {
    match Args::try_parse_from(argv) {
        Ok(args) => ParseOutcome::Args(Box::new(args)),
        Err(error) if error.kind() == ErrorKind::DisplayHelp => ParseOutcome::Help(error.render().to_string()),
        Err(error) => ParseOutcome::Usage(usage_message(&error)),
    }
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
        let argv: Vec<OsString> = std::iter::once("ferrotest").chain(args.iter().copied()).map(OsString::from).collect();
        parse(&argv)
    }

    #[test]
    fn an_unknown_flag_is_named_as_pytest_names_it() {
        match parse_strs(&["--nope", "tests"]) {
            ParseOutcome::Usage(message) => assert_eq!(message, "unrecognized arguments: --nope"),
            _ => panic!("expected a usage error"),
        }
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
    fn node_ids_and_plugins_are_accepted() {
        let ParseOutcome::Args(args) = parse_strs(&["a.py::T::t", "-p", "no:cacheprovider", "--junit-xml=x.xml"]) else {
            panic!()
        };
        assert_eq!(args.file_or_dir, vec!["a.py::T::t"]);
        assert_eq!(args.plugins, vec!["no:cacheprovider"]);
        assert_eq!(args.junitxml, Some(PathBuf::from("x.xml")));
    }
}
