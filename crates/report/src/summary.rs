//! What a reporter remembers about a session (pytest's `TerminalReporter.stats`) and the pure
//! formatting helpers of pytest's `terminal.py` that the summaries are built from.

use std::borrow::Cow;

use ferrotest_events::{CollectError, LongRepr, Outcome, Phase, Subtest, TestReport, WarningReport};

/// pytest's `pytest_report_teststatus` category for a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    Passed,
    Failed,
    Skipped,
    Error,
    /// A phase that failed as expected (pytest's `xfailed`, any phase).
    XFailed,
    /// A call that passed although marked xfail, not strictly (`xpassed`).
    XPassed,
    /// A passing subtest, when subtests are reported (`subtests passed`).
    SubtestsPassed,
    /// A passing setup or teardown, or a quiet subtest: pytest files these under `""` and
    /// prints nothing for them.
    Quiet,
}

impl Category {
    /// `quiet_subtests`: the subtests' verbosity is 0, so only failed subtests show.
    pub(crate) fn of(report: &TestReport, quiet_subtests: bool) -> Category {
        if report.subtest.is_some() {
            // subtests.py's `pytest_report_teststatus` comes first of all.
            if let Some(category) = Category::of_subtest(report, quiet_subtests) {
                return category;
            }
        }
        // skipping.py's `pytest_report_teststatus` comes before the default one.
        if report.wasxfail.is_some() {
            match report.outcome {
                Outcome::Skipped => return Category::XFailed,
                Outcome::Passed => return Category::XPassed,
                Outcome::Failed => {}
            }
        }
        match (report.outcome, report.when) {
            (Outcome::Failed, Phase::Call) => Category::Failed,
            (Outcome::Failed, _) => Category::Error,
            (Outcome::Skipped, _) => Category::Skipped,
            (Outcome::Passed, Phase::Call) => Category::Passed,
            (Outcome::Passed, _) => Category::Quiet,
        }
    }

    fn of_subtest(report: &TestReport, quiet: bool) -> Option<Category> {
        if report.wasxfail.is_some() {
            return match report.outcome {
                _ if quiet => Some(Category::Quiet),
                Outcome::Skipped => Some(Category::XFailed),
                // pytest leaves an xpassed subtest to the other hooks.
                _ => None,
            };
        }
        Some(match report.outcome {
            Outcome::Failed => Category::Failed,
            _ if quiet => Category::Quiet,
            Outcome::Passed => Category::SubtestsPassed,
            Outcome::Skipped => Category::Skipped,
        })
    }

    /// pytest's name for the category, the key of `TerminalReporter.stats`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Category::Passed => "passed",
            Category::Failed => "failed",
            Category::Skipped => "skipped",
            Category::Error => "error",
            Category::XFailed => "xfailed",
            Category::XPassed => "xpassed",
            Category::SubtestsPassed => "subtests passed",
            Category::Quiet => "",
        }
    }

    /// The progress letter and the `-v` word, or `None` for quiet reports. A subtest's word
    /// names it: `SUBFAILED[msg] (i=1)`.
    pub(crate) fn letter_and_word(self, report: &TestReport) -> Option<(&'static str, Cow<'static, str>)> {
        let subtest_word = |word: &str, subtest: &Subtest| Cow::Owned(format!("{word}{}", subtest.description));
        let (letter, word) = match (self, &report.subtest) {
            (Category::Failed, Some(subtest)) => ("u", subtest_word("SUBFAILED", subtest)),
            (Category::SubtestsPassed, Some(subtest)) => ("u", subtest_word("SUBPASSED", subtest)),
            (Category::Skipped, Some(subtest)) => ("-", subtest_word("SUBSKIPPED", subtest)),
            (Category::XFailed, Some(subtest)) => ("y", subtest_word("SUBXFAIL", subtest)),
            (Category::Passed | Category::SubtestsPassed, _) => (".", Cow::Borrowed("PASSED")),
            (Category::Failed, None) => ("F", Cow::Borrowed("FAILED")),
            (Category::Skipped, None) => ("s", Cow::Borrowed("SKIPPED")),
            (Category::Error, _) => ("E", Cow::Borrowed("ERROR")),
            (Category::XFailed, None) => ("x", Cow::Borrowed("XFAIL")),
            (Category::XPassed, _) => ("X", Cow::Borrowed("XPASS")),
            (Category::Quiet, _) => return None,
        };
        Some((letter, word))
    }
}

/// An entry of the "error" category: a failed setup/teardown or a failed collector.
#[derive(Debug, Clone)]
pub(crate) enum ErrorReport {
    Test(Box<TestReport>),
    Collect(CollectError),
}

/// The reports pytest keeps per category, in arrival order.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    /// The subtests' verbosity is 0: passing subtests are not reported.
    pub(crate) quiet_subtests: bool,
    pub(crate) subtests_passed: usize,
    /// How many calls passed.
    pub(crate) passed_count: usize,
    /// Their reports, kept only with `keep_passed`: most sessions pass most of their tests
    /// and only `-rp` and `-rP` list them.
    pub(crate) passed: Vec<TestReport>,
    pub(crate) keep_passed: bool,
    pub(crate) failed: Vec<TestReport>,
    pub(crate) skipped: Vec<TestReport>,
    pub(crate) errors: Vec<ErrorReport>,
    pub(crate) xfailed: Vec<TestReport>,
    pub(crate) xpassed: Vec<TestReport>,
    /// The passing teardowns with output of their own, which follows their test's failure or
    /// pass section. Other quiet reports (passing setups, quiet subtests) never show, so they
    /// are not kept.
    pub(crate) teardown_output: Vec<TestReport>,
    pub(crate) warnings: Vec<WarningReport>,
    pub(crate) deselected: usize,
}

impl Stats {
    pub(crate) fn add(&mut self, report: &TestReport) -> Category {
        let category = Category::of(report, self.quiet_subtests);
        let list = match category {
            Category::SubtestsPassed => {
                self.subtests_passed += 1;
                return category;
            }
            Category::Passed => {
                self.passed_count += 1;
                if !self.keep_passed {
                    return category;
                }
                &mut self.passed
            }
            Category::Failed => &mut self.failed,
            Category::Skipped => &mut self.skipped,
            Category::XFailed => &mut self.xfailed,
            Category::XPassed => &mut self.xpassed,
            Category::Quiet => {
                if shows_teardown_output(report) {
                    self.teardown_output.push(report.clone());
                }
                return category;
            }
            Category::Error => {
                self.errors.push(ErrorReport::Test(Box::new(report.clone())));
                return category;
            }
        };
        list.push(report.clone());
        category
    }

    /// `(count, key)` for the final line, in pytest's `KNOWN_TYPES` order, then the
    /// categories it does not know (`subtests passed`).
    pub(crate) fn counts(&self) -> [(usize, &'static str); 9] {
        [
            (self.failed.len(), "failed"),
            (self.passed_count, "passed"),
            (self.skipped.len(), "skipped"),
            (self.deselected, "deselected"),
            (self.xfailed.len(), "xfailed"),
            (self.xpassed.len(), "xpassed"),
            (self.warnings.len(), "warnings"),
            (self.errors.len(), "error"),
            (self.subtests_passed, "subtests passed"),
        ]
    }

    /// The passing teardown reports of a node, whose captured output follows its failure.
    pub(crate) fn teardown_reports<'a>(&'a self, nodeid: &'a str) -> impl Iterator<Item = &'a TestReport> {
        self.teardown_output.iter().filter(move |r| *r.nodeid == *nodeid)
    }
}

/// A passing teardown whose captured output a failure or pass section shows: the sections
/// it captured itself (`Captured stdout teardown`), not those it repeats from earlier phases.
fn shows_teardown_output(report: &TestReport) -> bool {
    report.when == Phase::Teardown && report.sections.iter().any(|(name, _)| name.contains("teardown"))
}

/// pytest's `_determine_main_color`, by name: "red", "yellow" or "green".
pub(crate) fn main_color(stats: &Stats, is_last_item: bool) -> MainColor {
    if !stats.failed.is_empty() || !stats.errors.is_empty() {
        MainColor::Red
    } else if !stats.warnings.is_empty() || !stats.xpassed.is_empty() || stats.subtests_passed > 0 {
        MainColor::Yellow
    } else if stats.passed_count > 0 || !is_last_item {
        MainColor::Green
    } else {
        MainColor::Yellow
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MainColor {
    Red,
    Yellow,
    Green,
}

/// `_color_for_type`: the color of one category in the final line and the short summary.
pub(crate) fn color_for_key(key: &str) -> MainColor {
    match key {
        "failed" | "error" => MainColor::Red,
        "passed" => MainColor::Green,
        _ => MainColor::Yellow,
    }
}

/// `pluralize`: only "error", "warnings" and "test" change with the count.
pub(crate) fn pluralize(count: usize, noun: &str) -> String {
    let noun = match noun {
        "error" | "test" | "warnings" => {
            let singular = noun.replace("warnings", "warning");
            if count == 1 {
                singular
            } else {
                singular + "s"
            }
        }
        _ => noun.to_string(),
    };
    format!("{count} {noun}")
}

/// `format_session_duration`: `0.12s`, or `75.00s (0:01:15)` from a minute on.
pub(crate) fn format_session_duration(seconds: f64) -> String {
    if seconds < 60.0 {
        return format!("{seconds:.2}s");
    }
    format!("{seconds:.2}s ({})", format_timedelta(seconds as u64))
}

/// Python's `str(timedelta(seconds=n))`: `H:MM:SS`, with `N day(s), ` in front past a day.
fn format_timedelta(total: u64) -> String {
    let (days, rest) = (total / 86_400, total % 86_400);
    let hms = format!("{}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    match days {
        0 => hms,
        1 => format!("1 day, {hms}"),
        n => format!("{n} days, {hms}"),
    }
}

/// pytest's `wcswidth`: terminal columns of `s`, or -1 when it holds a control character
/// (which is what an ANSI escape makes it; pytest's trimming arithmetic relies on that).
pub(crate) fn wcswidth(s: &str) -> i64 {
    let mut width = 0;
    for c in s.chars() {
        match wcwidth(c) {
            -1 => return -1,
            w => width += w,
        }
    }
    width
}

fn wcwidth(c: char) -> i64 {
    let o = c as u32;
    if (0x20..0x7f).contains(&o) {
        return 1;
    }
    if o == 0 || (0x200b..=0x200f).contains(&o) || (0x2028..=0x202e).contains(&o) || (0x2060..=0x2063).contains(&o) {
        return 0;
    }
    if o < 0x20 || (0x7f..0xa0).contains(&o) {
        return -1;
    }
    if (0x300..0x370).contains(&o) {
        return 0;
    }
    // The common East Asian wide/fullwidth blocks and emoji; an approximation of
    // unicodedata.east_asian_width, which Rust's std does not carry.
    const WIDE: [(u32, u32); 9] = [
        (0x1100, 0x115f),
        (0x2e80, 0xa4cf),
        (0xac00, 0xd7a3),
        (0xf900, 0xfaff),
        (0xfe30, 0xfe4f),
        (0xff00, 0xff60),
        (0xffe0, 0xffe6),
        (0x1f300, 0x1faff),
        (0x20000, 0x3fffd),
    ];
    if WIDE.iter().any(|&(lo, hi)| (lo..=hi).contains(&o)) {
        2
    } else {
        1
    }
}

/// `_format_trimmed`: `format` with `msg`'s first line, ellipsized to `available` columns,
/// or `None` when not even the ellipsis fits. `format` holds one `{}`.
pub(crate) fn format_trimmed(format: &str, msg: &str, available: i64) -> Option<String> {
    let msg = msg.split('\n').next().unwrap_or("");
    let ellipsis = "...";
    let format_width = wcswidth(&format.replace("{}", ""));
    if format_width + ellipsis.len() as i64 > available {
        return None;
    }
    let mut msg = msg.to_string();
    if format_width + wcswidth(&msg) > available {
        let available = available - ellipsis.len() as i64;
        msg = msg.chars().take(available.max(0) as usize).collect();
        while format_width + wcswidth(&msg) > available && msg.pop().is_some() {}
        msg.push_str(ellipsis);
    }
    Some(format.replace("{}", &msg))
}

/// `getreportopt`: expand `-r` chars (`a`, `A`, `N`, old aliases `F`/`S`) and add `w` unless
/// warnings are disabled.
pub(crate) fn expand_report_chars(chars: &str, disable_warnings: bool) -> String {
    let mut opts = String::new();
    for c in chars.chars() {
        let c = match c {
            'F' | 'S' => c.to_ascii_lowercase(),
            other => other,
        };
        match c {
            'a' => opts = "sxXEf".to_string(),
            'A' => opts = "PpsxXEf".to_string(),
            'N' => opts.clear(),
            c if !opts.contains(c) => opts.push(c),
            _ => {}
        }
    }
    if !disable_warnings && !opts.contains('w') {
        opts.insert(0, 'w');
    } else if disable_warnings {
        opts.retain(|c| c != 'w');
    }
    opts
}

/// A node ID's file part (`tests/test_a.py` of `tests/test_a.py::TestX::test_y`).
pub(crate) fn nodeid_path(nodeid: &str) -> &str {
    nodeid.split_once("::").map_or(nodeid, |(path, _)| path)
}

/// A node ID's part after the file, if any (`TestX::test_y`).
pub(crate) fn nodeid_rest(nodeid: &str) -> Option<&str> {
    nodeid.split_once("::").map(|(_, rest)| rest)
}

/// `_get_raw_skip_reason`: the user's part of a skip or xfail reason.
pub(crate) fn raw_skip_reason(report: &TestReport) -> String {
    if let Some(reason) = &report.wasxfail {
        return reason.strip_prefix("reason: ").unwrap_or(reason).to_string();
    }
    match &report.longrepr {
        Some(LongRepr::Skip { reason, .. }) if reason == "Skipped" => String::new(),
        Some(LongRepr::Skip { reason, .. }) => reason.strip_prefix("Skipped: ").unwrap_or(reason).to_string(),
        _ => String::new(),
    }
}

/// One folded line of `-rs`: how many skips share a location and reason.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FoldedSkip {
    pub(crate) count: usize,
    pub(crate) path: String,
    pub(crate) lineno: Option<u32>,
    pub(crate) reason: String,
}

/// `_folded_skips`: group skips by (path, line, reason), keeping first-seen order.
pub(crate) fn folded_skips(skipped: &[TestReport]) -> Vec<FoldedSkip> {
    let mut folded: Vec<FoldedSkip> = Vec::new();
    for report in skipped {
        let (path, lineno, reason) = match &report.longrepr {
            Some(LongRepr::Skip { path, lineno, reason }) => (path.clone(), Some(*lineno), reason.clone()),
            // A skip without a location still deserves a line; pytest would assert here.
            _ => (nodeid_path(&report.nodeid).to_string(), None, String::new()),
        };
        match folded.iter_mut().find(|f| f.path == path && f.lineno == lineno && f.reason == reason) {
            Some(existing) => existing.count += 1,
            None => folded.push(FoldedSkip { count: 1, path, lineno, reason }),
        }
    }
    folded
}

/// A minimal `textwrap.wrap(text, width, drop_whitespace=True, replace_whitespace=False)`,
/// without hyphen splitting, as pytest's `wrap_write` uses it for `-v` skip reasons.
pub(crate) fn textwrap(text: &str, width: usize) -> Vec<String> {
    let text = text.replace('\t', "        ");
    let mut chunks: Vec<String> = split_whitespace_runs(&text);
    chunks.reverse();
    let mut lines: Vec<String> = Vec::new();
    let width = width.max(1);
    while !chunks.is_empty() {
        let mut line: Vec<String> = Vec::new();
        let mut len = 0;
        if chunks.last().is_some_and(|c| c.trim().is_empty()) && !lines.is_empty() {
            chunks.pop();
        }
        while let Some(chunk) = chunks.last() {
            let chunk_len = chunk.chars().count();
            if len + chunk_len <= width {
                len += chunk_len;
                line.push(chunks.pop().unwrap_or_default());
            } else {
                break;
            }
        }
        if let Some(chunk) = chunks.last_mut() {
            // Like textwrap's break_long_words: cut a word longer than a whole line.
            if chunk.chars().count() > width {
                let room = width.saturating_sub(len);
                let head: String = chunk.chars().take(room).collect();
                *chunk = chunk.chars().skip(room).collect();
                line.push(head);
            }
        }
        if line.last().is_some_and(|c| c.trim().is_empty()) {
            line.pop();
        }
        if !line.is_empty() {
            lines.push(line.concat());
        }
    }
    lines
}

fn split_whitespace_runs(text: &str) -> Vec<String> {
    let mut chunks: Vec<String> = Vec::new();
    for c in text.chars() {
        match chunks.last_mut() {
            Some(last) if last.chars().last().is_some_and(|l| l.is_whitespace()) == c.is_whitespace() => last.push(c),
            _ => chunks.push(c.to_string()),
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(when: Phase, outcome: Outcome, sections: &[&str]) -> TestReport {
        let sections = sections.iter().map(|name| (name.to_string(), "out\n".to_string())).collect();
        TestReport { outcome, sections, ..TestReport::passed("t.py::a", when, 0.0) }
    }

    #[test]
    fn passed_reports_are_counted_and_kept_only_when_listed() {
        let mut counted = Stats::default();
        let mut kept = Stats { keep_passed: true, ..Stats::default() };
        for stats in [&mut counted, &mut kept] {
            stats.add(&report(Phase::Call, Outcome::Passed, &[]));
            stats.add(&report(Phase::Call, Outcome::Passed, &[]));
        }
        assert_eq!((counted.counts()[1], counted.passed.len()), ((2, "passed"), 0));
        assert_eq!((kept.counts()[1], kept.passed.len()), ((2, "passed"), 2));
        assert_eq!(main_color(&counted, true), MainColor::Green);
    }

    #[test]
    fn only_teardowns_with_their_own_output_are_kept_of_the_quiet_reports() {
        let mut stats = Stats::default();
        stats.add(&report(Phase::Setup, Outcome::Passed, &["Captured stdout setup"]));
        stats.add(&report(Phase::Teardown, Outcome::Passed, &["Captured stdout call"]));
        stats.add(&report(Phase::Teardown, Outcome::Passed, &["Captured stdout call", "Captured log teardown"]));
        assert_eq!(stats.teardown_reports("t.py::a").count(), 1);
        assert_eq!(stats.teardown_reports("t.py::b").count(), 0);
    }

    #[test]
    fn report_chars_expand_like_getreportopt() {
        assert_eq!(expand_report_chars("fE", false), "wfE");
        assert_eq!(expand_report_chars("A", false), "wPpsxXEf");
        assert_eq!(expand_report_chars("a", true), "sxXEf");
        assert_eq!(expand_report_chars("fN", false), "w");
        assert_eq!(expand_report_chars("Fw", true), "f");
    }

    #[test]
    fn durations_format_like_pytest() {
        assert_eq!(format_session_duration(0.0123), "0.01s");
        assert_eq!(format_session_duration(75.0), "75.00s (0:01:15)");
        assert_eq!(format_session_duration(90_061.5), "90061.50s (1 day, 1:01:01)");
    }

    #[test]
    fn plurals_follow_pytest() {
        assert_eq!(pluralize(1, "error"), "1 error");
        assert_eq!(pluralize(2, "error"), "2 errors");
        assert_eq!(pluralize(1, "warnings"), "1 warning");
        assert_eq!(pluralize(3, "warnings"), "3 warnings");
        assert_eq!(pluralize(2, "passed"), "2 passed");
    }

    #[test]
    fn trimming_ellipsizes_to_the_available_width() {
        assert_eq!(format_trimmed(" - {}", "short", 20).as_deref(), Some(" - short"));
        assert_eq!(format_trimmed(" - {}", "a long message here", 12).as_deref(), Some(" - a long..."));
        assert_eq!(format_trimmed(" - {}", "x", 5), None);
        assert_eq!(format_trimmed(" ({})", "one\ntwo", 40).as_deref(), Some(" (one)"));
    }

    #[test]
    fn control_characters_have_no_width() {
        assert_eq!(wcswidth("abc"), 3);
        assert_eq!(wcswidth("\x1b[1mabc"), -1);
        assert_eq!(wcswidth("日本"), 4);
    }

    #[test]
    fn textwrap_breaks_on_whitespace() {
        assert_eq!(textwrap("   (a b)  ", 20), vec!["   (a b)"]);
        assert_eq!(textwrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(textwrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
