//! The selection options (`-k`, `-m`, `--deselect`, strict markers) as the scheduler takes
//! them.
//!
//! The ini readers here (`strict_markers`, `strict`, `markers`) belong with the other typed
//! ini accessors in `ferrotest_discovery::Ini`; they live here until that crate grows them.

use std::collections::{BTreeSet, HashMap};

use ferrotest_discovery::{Config, IniValue};
use ferrotest_scheduler::{ItemKeywords, PlanOptions};

use crate::args::Args;

/// The markers pytest's own plugins register (`pytest --markers` in an empty project).
const BUILTIN_MARKERS: [&str; 8] =
    ["filterwarnings", "skip", "skipif", "xfail", "parametrize", "usefixtures", "tryfirst", "trylast"];

/// What the collection phase found that shapes the plan.
pub struct Collected {
    /// What `-k`/`-m` match per item (items without an entry fall back to their static names).
    pub item_keywords: HashMap<String, ItemKeywords>,
    /// Every `markers` line: the ini's and those conftests added in `pytest_configure`.
    pub marker_lines: Vec<String>,
    /// The item order `pytest_collection_modifyitems` hooks left, if any ran.
    pub item_order: Option<Vec<String>>,
}

/// Everything that shapes the plan, from the command line, the ini file and the collection.
pub fn plan_options(args: &Args, config: &Config, collected: Collected) -> PlanOptions {
    PlanOptions {
        maxfail: args.maxfail(),
        keyword: args.keyword.clone(),
        markexpr: args.markexpr.clone(),
        deselect: args.deselect.clone(),
        strict_markers: strict_markers(args, config).then(|| registered_markers(&collected.marker_lines)),
        item_keywords: collected.item_keywords,
        item_order: collected.item_order,
    }
}

/// `--strict-markers` and `--strict` override their ini options; an unset `strict_markers`
/// falls back to `strict` (pytest 9's `_validate_marker_names`).
fn strict_markers(args: &Args, config: &Config) -> bool {
    let ini_flag = |name: &str| config.ini.get(name).and_then(ini_bool);
    let strict_markers = if args.strict_markers { Some(true) } else { ini_flag("strict_markers") };
    strict_markers.unwrap_or_else(|| args.strict || ini_flag("strict").unwrap_or(false))
}

/// pytest's `_strtobool` for a `bool` ini value; `None` for a value pytest would refuse
/// (reported by pytest as a config error, which the config loader is the place for).
pub(crate) fn ini_bool(value: &IniValue) -> Option<bool> {
    let IniValue::Text(text) = value else { return None };
    match text.trim().to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// `config._iter_registered_markers()`: the builtin markers plus the `markers` lines,
/// each named by what precedes its `:` and `(`.
fn registered_markers(lines: &[String]) -> BTreeSet<String> {
    let declared = lines.iter().map(|line| line.trim()).filter(|line| !line.is_empty()).map(|line| {
        let name = line.split(':').next().unwrap_or_default();
        name.split('(').next().unwrap_or_default().trim().to_string()
    });
    BUILTIN_MARKERS.iter().map(|name| name.to_string()).chain(declared).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn ini(pairs: &[(&str, &str)]) -> ferrotest_discovery::Ini {
        let values: BTreeMap<String, IniValue> =
            pairs.iter().map(|(k, v)| (k.to_string(), IniValue::Text(v.to_string()))).collect();
        ferrotest_discovery::Ini::from_values(values)
    }

    fn config(pairs: &[(&str, &str)]) -> Config {
        Config { rootdir: std::path::PathBuf::from("/r"), inifile: None, ini: ini(pairs) }
    }

    fn args(argv: &[&str]) -> Args {
        use clap::Parser;
        Args::parse_from(std::iter::once("ferrotest").chain(argv.iter().copied()))
    }

    #[test]
    fn strict_markers_falls_back_to_strict_only_when_unset() {
        assert!(!strict_markers(&args(&[]), &config(&[])));
        assert!(strict_markers(&args(&["--strict"]), &config(&[])));
        assert!(strict_markers(&args(&[]), &config(&[("strict", "true")])));
        assert!(!strict_markers(&args(&["--strict"]), &config(&[("strict_markers", "false")])));
        assert!(strict_markers(&args(&["--strict-markers"]), &config(&[("strict_markers", "no")])));
    }

    #[test]
    fn registered_markers_are_builtins_and_ini_names() {
        let lines = ["slow: slow tests".to_string(), "serial(reason)".to_string()];
        let registered = registered_markers(&lines);
        assert!(registered.contains("slow") && registered.contains("serial") && registered.contains("xfail"));
        assert!(!registered.contains("slow tests"));
    }
}
