//! The "slowest durations" section of `--durations` (`pytest_terminal_summary` in pytest's
//! `runner.py`).

use std::sync::Arc;

use ferrotest_events::Phase;

/// `--durations=N` (0: every phase) and `--durations-min=S`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationsOptions {
    pub count: usize,
    /// Phases faster than this are not listed; pytest's default is 0.005s, or 0 from `-vv` on.
    pub min: Option<f64>,
}

/// Every phase report's duration, in arrival order.
#[derive(Debug, Default)]
pub(super) struct Durations {
    phases: Vec<(f64, Phase, Arc<str>)>,
}

impl Durations {
    pub(super) fn record(&mut self, duration: f64, when: Phase, nodeid: &Arc<str>) {
        self.phases.push((duration, when, Arc::clone(nodeid)));
    }

    /// The section's title and lines, or `None` when no test reported.
    pub(super) fn section(&self, options: DurationsOptions, verbosity: i32) -> Option<(String, Vec<String>)> {
        if self.phases.is_empty() {
            return None;
        }
        let min = options.min.unwrap_or(if verbosity < 2 { 0.005 } else { 0.0 });
        let mut slowest: Vec<&(f64, Phase, Arc<str>)> = self.phases.iter().collect();
        // Stable, as Python's sort: equal durations keep their arrival order.
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        let title = if options.count == 0 {
            "slowest durations".to_string()
        } else {
            slowest.truncate(options.count);
            format!("slowest {} durations", options.count)
        };
        let mut lines = Vec::new();
        for (index, (duration, when, nodeid)) in slowest.iter().enumerate() {
            if *duration < min {
                let hint = if options.min.is_none() { "  Use -vv to show these durations." } else { "" };
                lines.push(String::new());
                lines.push(format!("({} durations < {}s hidden.{hint})", slowest.len() - index, format_g(min)));
                break;
            }
            lines.push(format!("{duration:.2}s {:<8} {nodeid}", when.as_str()));
        }
        Some((title, lines))
    }
}

/// Python's `format(value, "g")`: six significant digits, trailing zeros dropped, exponent
/// notation below 1e-4 and from 1e6 on.
fn format_g(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{value:.5e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) {
        let decimals = (5 - exponent) as usize;
        trim_fraction(&format!("{value:.decimals$}")).to_string()
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_fraction(mantissa), exponent.abs())
    }
}

fn trim_fraction(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn durations(phases: &[(f64, Phase, &str)]) -> Durations {
        let mut durations = Durations::default();
        for (duration, when, nodeid) in phases {
            durations.record(*duration, *when, &Arc::from(*nodeid));
        }
        durations
    }

    #[test]
    fn slowest_first_with_a_count_of_what_is_hidden() {
        let recorded = durations(&[
            (0.001, Phase::Setup, "t.py::a"),
            (0.3, Phase::Call, "t.py::a"),
            (0.0001, Phase::Teardown, "t.py::a"),
            (1.5, Phase::Call, "t.py::b"),
        ]);
        let (title, lines) = recorded.section(DurationsOptions { count: 0, min: None }, 0).unwrap();
        assert_eq!(title, "slowest durations");
        assert_eq!(
            lines,
            [
                "1.50s call     t.py::b",
                "0.30s call     t.py::a",
                "",
                "(2 durations < 0.005s hidden.  Use -vv to show these durations.)"
            ]
        );
    }

    #[test]
    fn a_count_limits_the_list_and_an_explicit_minimum_drops_the_hint() {
        let recorded =
            durations(&[(0.2, Phase::Setup, "t.py::a"), (0.1, Phase::Call, "t.py::a"), (0.01, Phase::Call, "t.py::b")]);
        let (title, lines) = recorded.section(DurationsOptions { count: 2, min: Some(0.15) }, 0).unwrap();
        assert_eq!(title, "slowest 2 durations");
        assert_eq!(lines, ["0.20s setup    t.py::a", "", "(1 durations < 0.15s hidden.)"]);
    }

    #[test]
    fn very_verbose_shows_every_phase() {
        let recorded = durations(&[(0.0, Phase::Setup, "t.py::a")]);
        let (_, lines) = recorded.section(DurationsOptions { count: 0, min: None }, 2).unwrap();
        assert_eq!(lines, ["0.00s setup    t.py::a"]);
        assert!(Durations::default().section(DurationsOptions { count: 0, min: None }, 2).is_none());
    }

    #[test]
    fn minimums_print_as_python_g() {
        let cases =
            [(0.005, "0.005"), (1.0, "1"), (0.1, "0.1"), (1e-5, "1e-05"), (2.5e7, "2.5e+07"), (123456.0, "123456")];
        for (value, expected) in cases {
            assert_eq!(format_g(value), expected);
        }
    }
}
