//! `--sw` / `--sw-skip` / `--sw-reset` (`_pytest/stepwise.py`): stop at the first failure and
//! start from it next time, keeping the state in `cache/stepwise`.

use ferrotest_events::{Outcome, Phase};
use serde_json::Value;

use crate::cache::{python_json_object, CacheDir, CacheWarning, STEPWISE_KEY};

/// Why the session stops after a failure (pytest's `session.shouldstop`), shown as
/// `Interrupted: Test failed, continuing from this test next run.`
pub const STEPWISE_STOP: &str = "Test failed, continuing from this test next run.";

/// A local date and time, as Python's naive `datetime.now()`: the caller supplies "now"
/// (the plan stays a pure function of its inputs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub microsecond: u32,
}

impl LocalDateTime {
    /// `datetime.fromisoformat` for the forms `isoformat()` writes:
    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (also `HH:MM`, a space separator, or a date alone).
    pub fn parse(text: &str) -> Option<Self> {
        let (date, time) = match text.get(10..11) {
            Some("T") | Some(" ") => (&text[..10], &text[11..]),
            None if text.len() == 10 => (text, "00:00"),
            _ => return None,
        };
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
        };
        let mut date_parts = date.split('-');
        let (year, month, day) =
            (number(date_parts.next()?, 4)?, number(date_parts.next()?, 2)?, number(date_parts.next()?, 2)?);
        let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
        let mut clock_parts = clock.split(':');
        let hour = number(clock_parts.next()?, 2)?;
        let minute = number(clock_parts.next()?, 2)?;
        let second = clock_parts.next().map_or(Some(0), |s| number(s, 2))?;
        let microsecond = match fraction.len() {
            0 => 0,
            3 => number(fraction, 3)? * 1000,
            6 => number(fraction, 6)?,
            _ => return None,
        };
        let valid = date_parts.next().is_none()
            && clock_parts.next().is_none()
            && (1..=12).contains(&month)
            && (1..=days_in_month(year as i32, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(LocalDateTime { year: year as i32, month, day, hour, minute, second, microsecond })
    }

    /// `datetime.isoformat()`: the microseconds only when not zero.
    pub fn isoformat(&self) -> String {
        let base = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        match self.microsecond {
            0 => base,
            micros => format!("{base}.{micros:06}"),
        }
    }

    fn total_microseconds(&self) -> i128 {
        let days = days_from_civil(self.year, self.month, self.day) as i128;
        let seconds = days * 86_400 + (self.hour * 3600 + self.minute * 60 + self.second) as i128;
        seconds * 1_000_000 + self.microsecond as i128
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `str(timedelta(seconds=int((now - then).total_seconds())))`: `0:00:05`, `1 day, 2:03:04`,
/// `-1 day, 23:59:55`.
fn cache_age(now: &LocalDateTime, then: &LocalDateTime) -> String {
    // `int()` truncates towards zero.
    let seconds = ((now.total_microseconds() - then.total_microseconds()) / 1_000_000) as i64;
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let clock = format!("{}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    match days {
        0 => clock,
        1 | -1 => format!("{days} day, {clock}"),
        _ => format!("{days} days, {clock}"),
    }
}

/// Which stepwise options are on (`--sw-skip` and `--sw-reset` imply `--sw`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepwiseOptions {
    pub skip: bool,
    pub reset: bool,
}

/// The stepwise plugin's state for one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Stepwise {
    last_failed: Option<String>,
    last_test_count: Option<Value>,
    last_cache_date: String,
    skip: bool,
    reset: bool,
    /// The `stepwise: ...` header lines, without the prefix.
    status: Vec<String>,
}

impl Stepwise {
    /// Read `cache/stepwise`; a malformed entry is discarded with pytest's status line.
    pub fn load(cache: &CacheDir, options: StepwiseOptions, now: &LocalDateTime) -> Self {
        let mut stepwise = Stepwise {
            last_failed: None,
            last_test_count: None,
            last_cache_date: now.isoformat(),
            skip: options.skip,
            reset: options.reset,
            status: Vec::new(),
        };
        match cache.get(STEPWISE_KEY).filter(is_truthy).map(|value| read_cached(&value)) {
            Some(Ok((last_failed, last_test_count, date))) => {
                stepwise.last_failed = last_failed;
                stepwise.last_test_count = last_test_count;
                stepwise.last_cache_date = date;
            }
            Some(Err(error)) => stepwise.status.push(format!("error reading cache, discarding ({error})")),
            None => {}
        }
        stepwise
    }

    /// `pytest_collection_modifyitems`: how many leading items to deselect (those before the
    /// test that failed last time), given every item's node ID.
    pub fn select(&mut self, nodeids: &[&str], now: &LocalDateTime) -> usize {
        let previous_count = self.last_test_count.replace(Value::from(nodeids.len()));
        if self.reset {
            self.status.push("resetting state, not skipping.".to_string());
            self.last_failed = None;
            return 0;
        }
        let Some(last_failed) = self.last_failed.as_deref().filter(|id| !id.is_empty()) else {
            self.status.push("no previously failed tests, not skipping.".to_string());
            return 0;
        };
        if let Some(previous) = previous_count.filter(|v| !v.is_null() && v.as_u64() != Some(nodeids.len() as u64)) {
            self.status.push(format!(
                "test count changed, not skipping (now {} tests, previously {previous}).",
                nodeids.len()
            ));
            self.last_failed = None;
            return 0;
        }
        let Some(index) = nodeids.iter().position(|id| *id == last_failed) else {
            self.status.push("previously failed test not found, not skipping.".to_string());
            return 0;
        };
        let age = match LocalDateTime::parse(&self.last_cache_date) {
            Some(then) => cache_age(now, &then),
            None => "an unknown time".to_string(),
        };
        self.status
            .push(format!("skipping {index} already passed items (cache from {age} ago, use --sw-reset to discard)."));
        index
    }

    /// `pytest_runtest_logreport`: returns [`STEPWISE_STOP`] when the session must stop.
    pub fn record_test(&mut self, nodeid: &str, when: Phase, outcome: Outcome) -> Option<&'static str> {
        let is_last_failed = self.last_failed.as_deref() == Some(nodeid);
        match outcome {
            Outcome::Failed if self.skip => {
                // `--sw-skip` lets one failure through, then behaves as `--sw`.
                if is_last_failed {
                    self.last_failed = None;
                }
                self.skip = false;
                None
            }
            Outcome::Failed => {
                self.last_failed = Some(nodeid.to_string());
                Some(STEPWISE_STOP)
            }
            _ => {
                if when == Phase::Call && is_last_failed {
                    self.last_failed = None;
                }
                None
            }
        }
    }

    /// The `stepwise: ...` lines for the header after collection.
    pub fn report_lines(&self) -> Vec<String> {
        self.status.iter().map(|line| format!("stepwise: {line}")).collect()
    }

    /// The content pytest writes at session finish, dated `now`.
    pub fn to_json(&self, now: &LocalDateTime) -> String {
        let last_failed = self.last_failed.as_deref().map_or(Value::Null, Value::from);
        let count = self.last_test_count.clone().unwrap_or(Value::Null);
        let date = Value::from(now.isoformat());
        python_json_object(
            [("last_failed", &last_failed), ("last_test_count", &count), ("last_cache_date_str", &date)].into_iter(),
        )
    }

    pub fn save(&self, cache: &CacheDir, now: &LocalDateTime) -> Result<(), CacheWarning> {
        cache.set_text(STEPWISE_KEY, &self.to_json(now))
    }
}

/// Python's truthiness, for `if cached_dict:`.
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

type CachedInfo = (Option<String>, Option<Value>, String);

/// The three fields, or the `KeyError`/`TypeError` text pytest shows when they are missing.
fn read_cached(value: &Value) -> Result<CachedInfo, String> {
    let Value::Object(map) = value else {
        return Err(match value {
            Value::Array(_) => "TypeError: list indices must be integers or slices, not str".to_string(),
            Value::String(_) => "TypeError: string indices must be integers, not 'str'".to_string(),
            Value::Bool(_) => "TypeError: 'bool' object is not subscriptable".to_string(),
            Value::Number(n) if n.is_f64() => "TypeError: 'float' object is not subscriptable".to_string(),
            _ => "TypeError: 'int' object is not subscriptable".to_string(),
        });
    };
    let field = |key: &str| map.get(key).ok_or_else(|| format!("KeyError: '{key}'"));
    let last_failed = field("last_failed")?;
    let last_test_count = field("last_test_count")?;
    let date = field("last_cache_date_str")?;
    let last_failed = match last_failed {
        Value::Null => None,
        Value::String(id) => Some(id.clone()),
        other => return Err(format!("TypeError: invalid last_failed {other}")),
    };
    let date =
        date.as_str().map(str::to_string).ok_or_else(|| format!("TypeError: invalid last_cache_date_str {date}"))?;
    Ok((last_failed, Some(last_test_count.clone()), date))
}

#[cfg(test)]
mod tests;
