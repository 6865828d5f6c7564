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
        ..SessionSettings::from_config(config)
    }
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
        ("strict_config".into(), OptionValue::Bool(args.strict_config)),
        ("plugins".into(), OptionValue::List(args.plugins.clone())),
        ("doctestmodules".into(), OptionValue::Bool(args.doctest_modules)),
        ("doctestreport".into(), OptionValue::Str(args.doctest_report.to_lowercase())),
        ("doctestglob".into(), OptionValue::List(args.doctest_glob.clone())),
        ("doctest_continue_on_failure".into(), OptionValue::Bool(args.doctest_continue_on_failure)),
    ]
    .into_iter()
    .chain(args.logging.options())
    .collect()
}

/// pytest's `get_verbosity(VERBOSITY_ASSERTIONS)`: the ini's `verbosity_assertions` when set,
/// else the `-v`/`-q` count.
fn assert_verbosity(args: &Args, config: &Config) -> i32 {
    match config.ini.get("verbosity_assertions") {
        Some(IniValue::Text(text)) => text.trim().parse().unwrap_or_else(|_| args.verbosity()),
        _ => args.verbosity(),
    }
}
