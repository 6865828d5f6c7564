//! pytest's `TerminalReporter.stats` as plain data, for the `pytest_terminal_summary` hooks of
//! conftests and plugins, which read the reports the session made.

use ferrotest_events::{Event, TerminalStats};

use crate::summary::Category;
use crate::Reporter;

/// Keeps every report a session's events carry, by pytest's category. Unlike the terminal
/// reporter, which keeps only what its summaries show, it keeps them all: it is only wanted
/// when a hook will read them.
#[derive(Debug, Default)]
pub struct StatsRecorder {
    stats: TerminalStats,
    /// The subtests' verbosity is 0: pytest files passing subtests under `""`.
    quiet_subtests: bool,
}

impl StatsRecorder {
    pub fn new(quiet_subtests: bool) -> Self {
        StatsRecorder { stats: TerminalStats::default(), quiet_subtests }
    }

    pub fn stats(&self) -> &TerminalStats {
        &self.stats
    }
}

impl Reporter for StatsRecorder {
    fn handle(&mut self, event: &Event) -> std::io::Result<()> {
        let stats = &mut self.stats;
        match event {
            Event::TestReport(report) => {
                let category = Category::of(report, self.quiet_subtests).name();
                stats.reports.push((category.to_string(), report.clone()));
            }
            Event::CollectionFinish { errors, .. } => stats.collect_errors.extend(errors.iter().cloned()),
            Event::CollectSkip(skip) => stats.collect_skips.push(skip.clone()),
            Event::Warning(warning) => stats.warnings.push(warning.clone()),
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use ferrotest_events::{Outcome, Phase, TestReport};

    use super::*;

    fn categories(reports: &[TestReport]) -> Vec<String> {
        let mut recorder = StatsRecorder::new(true);
        for report in reports {
            recorder.handle(&Event::TestReport(report.clone())).unwrap();
        }
        recorder.stats().reports.iter().map(|(category, _)| category.clone()).collect()
    }

    #[test]
    fn reports_are_kept_under_pytests_categories() {
        let failed_setup = TestReport { outcome: Outcome::Failed, ..TestReport::passed("t.py::b", Phase::Setup, 0.0) };
        let xfailed = TestReport {
            outcome: Outcome::Skipped,
            wasxfail: Some("known".into()),
            ..TestReport::passed("t.py::c", Phase::Call, 0.0)
        };
        let reports = [
            TestReport::passed("t.py::a", Phase::Setup, 0.0),
            TestReport::passed("t.py::a", Phase::Call, 0.0),
            failed_setup,
            xfailed,
        ];
        assert_eq!(categories(&reports), ["", "passed", "error", "xfailed"]);
    }
}
