//! pytest's cache plugins (`cacheprovider`, `stepwise`) around one session: where the cache
//! lives, feeding it the run's reports, and stepwise's stop.

use ferrotest_discovery::{Config, IniValue};
use ferrotest_events::{Interruption, Outcome, TestReport};
use ferrotest_scheduler::{CacheDir, LocalDateTime, SessionCache};

use crate::args::Args;

/// The session's cache, `None` with `-p no:cacheprovider` (nothing is read or written then).
pub fn load(args: &Args, config: &Config) -> std::io::Result<Option<SessionCache>> {
    if !args.cache_enabled() {
        return Ok(None);
    }
    let dir = CacheDir::from_ini(&config.rootdir, cache_dir_ini(config));
    SessionCache::load(dir, args.cache_options(), args.cache_clear, now()).map(Some)
}

/// The `cache_dir` ini value (a string option).
fn cache_dir_ini(config: &Config) -> Option<&str> {
    match config.ini.get("cache_dir") {
        Some(IniValue::Text(text)) => Some(text.as_str()),
        _ => None,
    }
}

/// `pytest_report_header`: `cachedir: <path relative to the rootdir>`, at `-v` or when
/// `cache_dir` is not the default.
pub fn header_line(args: &Args, config: &Config) -> Option<String> {
    let custom = cache_dir_ini(config).is_some_and(|dir| dir != ".pytest_cache");
    if !args.cache_enabled() || !(args.verbosity() > 0 || custom) {
        return None;
    }
    let dir = CacheDir::from_ini(&config.rootdir, cache_dir_ini(config)).path;
    let shown = dir.strip_prefix(&config.rootdir).unwrap_or(&dir);
    Some(format!("cachedir: {}", shown.display()))
}

/// Python's naive `datetime.now()` (local time), for stepwise's cache date and age.
fn now() -> LocalDateTime {
    let now = jiff::Zoned::now().datetime();
    LocalDateTime {
        year: i32::from(now.year()),
        month: now.month() as u32,
        day: now.day() as u32,
        hour: now.hour() as u32,
        minute: now.minute() as u32,
        second: now.second() as u32,
        microsecond: (now.subsec_nanosecond() / 1000) as u32,
    }
}

/// The `--maxfail` to hand the executor. pytest stops after the test during which stepwise
/// set `session.shouldstop`: the first failed report, the second with `--sw-skip` (its one
/// allowed failure). The executor stops only for `--maxfail`, which counts failed reports
/// the same way and stops after the same test, so the stop is expressed as one.
pub fn executor_maxfail(cache: Option<&SessionCache>, maxfail: Option<usize>) -> Option<usize> {
    let stepwise_limit = cache.and_then(|cache| cache.options.stepwise).map(|sw| if sw.skip { 2 } else { 1 });
    match (maxfail, stepwise_limit) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The run's reports as the cache plugins and `--maxfail` see them.
pub struct Recorder<'a> {
    cache: Option<&'a mut SessionCache>,
    /// Failed reports (pytest's `session.testsfailed` during the run).
    failures: usize,
    /// Stepwise's `session.shouldstop`.
    stop: Option<&'static str>,
}

impl<'a> Recorder<'a> {
    pub fn new(cache: Option<&'a mut SessionCache>) -> Self {
        Recorder { cache, failures: 0, stop: None }
    }

    pub fn record(&mut self, report: &TestReport) {
        if report.outcome == Outcome::Failed {
            self.failures += 1;
        }
        if let Some(cache) = self.cache.as_deref_mut() {
            self.stop = self.stop.or(cache.record_test(&report.nodeid, report.when, report.outcome));
        }
    }

    /// Why the run stopped, as pytest tells it: a `--maxfail` stop the executor made for
    /// stepwise (see [`executor_maxfail`]) is stepwise's `Interrupted: ...`, or both reasons
    /// when the user's `--maxfail` was reached too (pytest checks `shouldfail` first).
    pub fn interruption(&self, stopped: Option<Interruption>, maxfail: Option<usize>) -> Option<Interruption> {
        match (stopped, self.stop) {
            (Some(Interruption::MaxFail(_)), Some(reason)) if maxfail.is_some_and(|limit| self.failures >= limit) => {
                Some(Interruption::MaxFailAndStopped(self.failures, reason.to_string()))
            }
            (Some(Interruption::MaxFail(_)), Some(reason)) => Some(Interruption::Stopped(reason.to_string())),
            (stopped, _) => stopped,
        }
    }
}

/// A cache warning as pytest shows it in the warnings summary (without the location inside
/// pytest's own code that Python's warning machinery adds).
pub fn warning_message(warning: &ferrotest_scheduler::CacheWarning) -> String {
    format!("PytestCacheWarning: {warning}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepwise_lowers_maxfail_to_its_stop() {
        assert_eq!(executor_maxfail(None, Some(3)), Some(3));
        assert_eq!(executor_maxfail(None, None), None);
    }

    #[test]
    fn a_stepwise_stop_replaces_the_maxfail_it_was_expressed_as() {
        let mut recorder = Recorder::new(None);
        recorder.failures = 1;
        recorder.stop = Some("Test failed, continuing from this test next run.");
        let reason = "Test failed, continuing from this test next run.".to_string();
        assert_eq!(
            recorder.interruption(Some(Interruption::MaxFail(1)), None),
            Some(Interruption::Stopped(reason.clone()))
        );
        assert_eq!(
            recorder.interruption(Some(Interruption::MaxFail(1)), Some(1)),
            Some(Interruption::MaxFailAndStopped(1, reason))
        );
        assert_eq!(recorder.interruption(None, None), None);
    }
}
