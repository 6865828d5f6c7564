//! What the Python side sees of this session's configuration: `config.getoption(...)`
//! by pytest's destination names, the ini values, and the assertion settings.

use std::path::Path;

use ferrotest_discovery::{Config, IniValue};
use ferrotest_executor::{OptionValue, SessionSettings, TerminalSettings};

use crate::args::Args;
use crate::terminal;

pub fn session_settings(args: &Args, config: &Config, invocation_dir: &Path) -> SessionSettings {
    SessionSettings {
        options: options(args, invocation_dir),
        args: args.file_or_dir.clone(),
        rewrite_asserts: args.assert_mode != "plain",
        assert_verbosity: assert_verbosity(args, config),
        collect_keywords: args.keyword.is_some() || args.markexpr.is_some(),
        terminal: TerminalSettings { width: terminal::width(), markup: terminal::use_color(&args.color) },
        capture_warnings: args.warnings_enabled(),
        pythonwarnings: args.pythonwarnings.clone(),
        ..with_flag_overrides(SessionSettings::from_config(config), args)
    }
}

/// `--strict-markers`, `--strict-config` and `--strict` set their ini options (pytest's
/// `OverrideIniAction`), which is where pytest reads them.
fn with_flag_overrides(mut settings: SessionSettings, args: &Args) -> SessionSettings {
    let flags =
        [("strict_markers", args.strict_markers), ("strict_config", args.strict_config), ("strict", args.strict)];
    for (name, set) in flags {
        if set {
            settings.ini.retain(|(key, _)| key != name);
            settings.ini.push((name.to_string(), IniValue::Text("true".to_string())));
        }
    }
    settings
}

/// The options tests and plugins read through `config.getoption`, under pytest's names.
fn options(args: &Args, invocation_dir: &Path) -> Vec<(String, OptionValue)> {
    let text = |value: &Option<String>| value.clone().map_or(OptionValue::None, OptionValue::Str);
    let basetemp = args.basetemp.as_ref().map(|dir| invocation_dir.join(dir).display().to_string());
    vec![
        ("verbose".into(), OptionValue::Int(args.verbosity().into())),
        ("capture".into(), OptionValue::Str(args.capture_method().as_str().into())),
        ("showcapture".into(), OptionValue::Str(args.show_capture.clone())),
        ("basetemp".into(), text(&basetemp)),
        ("maxfail".into(), OptionValue::Int(args.maxfail().map_or(0, |n| n as i64))),
        ("exitfirst".into(), OptionValue::Bool(args.exitfirst)),
        ("keyword".into(), OptionValue::Str(args.keyword.clone().unwrap_or_default())),
        ("markexpr".into(), OptionValue::Str(args.markexpr.clone().unwrap_or_default())),
        ("collectonly".into(), OptionValue::Bool(args.collect_only)),
        ("showfixtures".into(), OptionValue::Bool(args.show_fixtures)),
        ("setuponly".into(), OptionValue::Bool(args.setup_only_enabled())),
        ("setupshow".into(), OptionValue::Bool(args.setup_show_enabled())),
        ("setupplan".into(), OptionValue::Bool(args.setup_plan)),
        ("assertmode".into(), OptionValue::Str(args.assert_mode.clone())),
        ("xmlpath".into(), text(&args.junitxml.as_ref().map(|p| p.display().to_string()))),
        ("color".into(), OptionValue::Str(args.color.clone())),
        ("showlocals".into(), OptionValue::Bool(args.showlocals)),
        ("tbstyle".into(), OptionValue::Str(args.tbstyle.clone())),
        ("fulltrace".into(), OptionValue::Bool(args.fulltrace)),
        ("durations".into(), args.durations.map_or(OptionValue::None, |n| OptionValue::Int(n as i64))),
        ("durations_min".into(), args.durations_min.map_or(OptionValue::None, OptionValue::Float)),
        ("override_ini".into(), optional_list(&args.override_ini)),
        ("strict_config".into(), OptionValue::Bool(args.strict_config)),
        ("runxfail".into(), OptionValue::Bool(args.runxfail)),
        ("disable_warnings".into(), OptionValue::Bool(args.disable_warnings)),
        ("pythonwarnings".into(), optional_list(&args.pythonwarnings)),
        ("max_warnings".into(), args.max_warnings.map_or(OptionValue::None, |n| OptionValue::Int(n as i64))),
        ("plugins".into(), OptionValue::List(args.plugins.clone())),
        ("doctestmodules".into(), OptionValue::Bool(args.doctest_modules)),
        ("doctestreport".into(), OptionValue::Str(args.doctest_report.to_lowercase())),
        ("doctestglob".into(), OptionValue::List(args.doctest_glob.clone())),
        ("doctest_continue_on_failure".into(), OptionValue::Bool(args.doctest_continue_on_failure)),
        ("asyncio_mode".into(), text(&args.asyncio_mode)),
        ("asyncio_debug".into(), OptionValue::Bool(args.asyncio_debug)),
    ]
    .into_iter()
    .chain(args.logging.options())
    .collect()
}

/// An `append` option: None until given, as argparse leaves it.
fn optional_list(values: &[String]) -> OptionValue {
    if values.is_empty() {
        OptionValue::None
    } else {
        OptionValue::List(values.to_vec())
    }
}

/// pytest's `get_verbosity(VERBOSITY_ASSERTIONS)`: the ini's `verbosity_assertions` when set,
/// else the `-v`/`-q` count.
fn assert_verbosity(args: &Args, config: &Config) -> i32 {
    verbosity_ini(config, "verbosity_assertions").unwrap_or_else(|| args.verbosity())
}

/// One of pytest's fine-grained verbosity ini options (`verbosity_subtests`), or `None` for
/// pytest's `auto` (the `-v`/`-q` count).
pub(crate) fn verbosity_ini(config: &Config, name: &str) -> Option<i32> {
    match config.ini.get(name) {
        Some(IniValue::Text(text)) => text.trim().parse().ok(),
        _ => None,
    }
}
