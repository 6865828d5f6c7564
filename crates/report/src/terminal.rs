//! pytest's terminal output (`_pytest/terminal.py`), driven by ferrotest events.
//!
//! The layout rules are pytest 9.2's, ported function by function so that the output matches
//! byte for byte for the same reports; the method names follow pytest's to keep them
//! comparable. Output is written as pytest writes it to a non-tty: no `collecting ...`
//! rewriting, no syntax highlighting of tracebacks (those arrive pre-rendered in the events).

mod durations;
mod setupshow;
mod showfixtures;
mod writer;

use std::io::{self, Write};
use std::sync::Arc;

use ferrotest_events::{
    CollectError, CollectSkip, CollectedItem, Event, ExitCode, Interruption, Location, LongRepr, Outcome, Phase,
    SessionInfo, TerminalSummary, TerminalWrite, TestReport, WarningReport,
};

use crate::summary::{
    color_for_key, expand_report_chars, folded_skips, format_session_duration, format_trimmed, main_color, nodeid_path,
    nodeid_rest, pluralize, raw_skip_reason, textwrap, ErrorReport, MainColor, Stats,
};
use crate::Reporter;
use durations::Durations;
pub use durations::DurationsOptions;
use rustc_hash::FxHashSet;
use writer::{Style, TermWriter};

/// pytest's `console_output_style` (plus `-s`, which turns progress off like `classic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressStyle {
    /// `[ 50%]` after each file and at the end.
    #[default]
    Progress,
    /// `[ 5/10]` instead of percentages.
    Count,
    /// No progress information.
    Classic,
}

/// pytest's `--tb`: how failures are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TracebackStyle {
    #[default]
    Auto,
    Long,
    Short,
    /// One `path:line: message` line after each failure's exception.
    Line,
    Native,
    /// No ERRORS, FAILURES or PASSES sections.
    No,
}

impl TracebackStyle {
    /// The style named by `--tb`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "auto" => TracebackStyle::Auto,
            "long" => TracebackStyle::Long,
            "short" => TracebackStyle::Short,
            "line" => TracebackStyle::Line,
            "native" => TracebackStyle::Native,
            "no" => TracebackStyle::No,
            _ => return None,
        })
    }
}

/// How the terminal report should look; the caller maps command-line flags onto these.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalOptions {
    /// `-v` = 1, `-vv` = 2, `-q` = -1, `-qq` = -2.
    pub verbosity: i32,
    /// The `-r` string as given (`"fE"` by default); expanded like pytest's `getreportopt`.
    pub report_chars: String,
    /// `--disable-warnings`: no warnings summary.
    pub disable_warnings: bool,
    /// `--max-warnings`: how many warnings passing tests may raise (the session ends with
    /// `ExitCode::MaxWarningsError` beyond it).
    pub max_warnings: Option<usize>,
    /// Emit ANSI colors (`--color=yes`, or auto-detected by the caller).
    pub color: bool,
    /// Terminal width in columns (pytest: `COLUMNS` or the terminal size, 80 otherwise).
    pub width: usize,
    /// `--collect-only`.
    pub collect_only: bool,
    /// The header's first line after the `test session starts` rule. `None` builds
    /// `platform {platform} -- Python {python_version}, ferrotest-{version}` from `SessionInfo`.
    pub version_line: Option<String>,
    /// `--no-header`: keep the `test session starts` rule, drop the lines below it.
    pub no_header: bool,
    /// `--no-summary`: no ERRORS/FAILURES/warnings/PASSES sections and no short summary.
    pub no_summary: bool,
    pub progress: ProgressStyle,
    /// Fold `-rs` skips by location (pytest's default; `--no-fold-skipped` turns it off).
    pub fold_skipped: bool,
    /// Print whole messages in the short summary instead of trimming them to the width;
    /// pytest does this on CI (`CI` or `BUILD_NUMBER` set) and at `-vv`.
    pub untrimmed_summary: bool,
    /// The `--junitxml` path, for the `generated xml file: ...` line.
    pub junitxml_path: Option<String>,
    /// The cache plugin's `cachedir: ...` header line (after the version line), which
    /// pytest shows at `-v` or for a non-default `cache_dir`.
    pub cachedir_line: Option<String>,
    /// `--setup-show` (implied by `--setup-only` and `--setup-plan`): print fixture setups and
    /// teardowns; pytest then shows no progress.
    pub setup_show: bool,
    /// `--setup-only` or `--setup-plan`: tests are not called.
    pub setup_only: bool,
    /// `--fixtures`: the session lists fixtures instead of running tests.
    pub show_fixtures: bool,
    /// `--show-capture`: which captured sections failure reports show (`no`, `stdout`,
    /// `stderr`, `log` or `all`).
    pub show_capture: String,
    /// `log_cli`: live logs show while tests run, which pytest makes verbose from then on.
    pub live_logging: bool,
    /// The `verbosity_subtests` ini option; `None` follows `verbosity` (pytest's `auto`).
    /// At 0 only failed subtests are reported.
    pub verbosity_subtests: Option<i32>,
    /// `--tb`.
    pub tbstyle: TracebackStyle,
    /// `--durations` and `--durations-min`: the slowest phases after the other summaries.
    pub durations: Option<DurationsOptions>,
}

impl Default for TerminalOptions {
    fn default() -> Self {
        TerminalOptions {
            verbosity: 0,
            report_chars: "fE".to_string(),
            disable_warnings: false,
            max_warnings: None,
            color: false,
            width: 80,
            collect_only: false,
            version_line: None,
            no_header: false,
            no_summary: false,
            progress: ProgressStyle::Progress,
            fold_skipped: true,
            untrimmed_summary: false,
            junitxml_path: None,
            cachedir_line: None,
            setup_show: false,
            setup_only: false,
            show_fixtures: false,
            show_capture: "all".to_string(),
            live_logging: false,
            verbosity_subtests: None,
            tbstyle: TracebackStyle::Auto,
            durations: None,
        }
    }
}

/// What pytest keeps in `currentfspath`: the file or `-v` prefix the current line started with.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CurrentLine {
    /// Nothing pending: the next output starts at a fresh line.
    Fresh,
    /// A default-verbosity line of letters for this file.
    File(String),
    /// A `-v` line that has its node ID but no word yet.
    Prefix(String),
    /// A `-v` line that is complete (pytest's `-2`): the next report starts a new line.
    Done,
}

/// Writes pytest's terminal report for a stream of events.
pub struct TerminalReporter<W: Write> {
    tw: TermWriter<W>,
    options: TerminalOptions,
    report_chars: String,
    current: CurrentLine,
    /// Items collected before deselection (`collected N items`).
    num_collected: usize,
    /// Items that will run (pytest's `session.testscollected`), the base of `[NN%]`.
    tests_collected: usize,
    /// The node IDs of the tests reported so far (pytest's `_progress_nodeids_reported`).
    /// Hashed with `FxHash`: one insertion a test, and node IDs are not attacker-chosen.
    progress_reported: FxHashSet<Arc<str>>,
    stats: Stats,
    /// What was written for the running test's `unittest` subtests while its output was
    /// captured, with the offset in its call's captured stdout, for its call and teardown
    /// reports (each carries the call's sections).
    captured_writes: Vec<(usize, String)>,
    /// Phase durations, recorded only for `--durations`.
    durations: Durations,
    /// What conftests' and plugins' `pytest_terminal_summary` hooks wrote.
    plugin_summary: TerminalSummary,
}

impl<W: Write> TerminalReporter<W> {
    pub fn new(out: W, options: TerminalOptions) -> Self {
        let report_chars = expand_report_chars(&options.report_chars, options.disable_warnings);
        let quiet_subtests = options.verbosity_subtests.unwrap_or(options.verbosity) == 0;
        // The short summary's `PASSED` lines and the PASSES section read passed reports.
        let keep_passed = report_chars.contains(['p', 'P']);
        TerminalReporter {
            tw: TermWriter::new(out, options.color, options.width),
            options,
            report_chars,
            current: CurrentLine::Fresh,
            num_collected: 0,
            tests_collected: 0,
            progress_reported: FxHashSet::default(),
            stats: Stats { quiet_subtests, keep_passed, ..Stats::default() },
            captured_writes: Vec::new(),
            durations: Durations::default(),
            plugin_summary: TerminalSummary::default(),
        }
    }

    fn verbosity(&self) -> i32 {
        self.options.verbosity
    }

    fn show_progress(&self) -> bool {
        self.options.progress != ProgressStyle::Classic && !self.options.setup_show
    }

    fn has_opt(&self, c: char) -> bool {
        self.report_chars.contains(c)
    }

    fn is_last_item(&self) -> bool {
        self.progress_reported.len() == self.tests_collected
    }

    fn main_color(&self) -> MainColor {
        main_color(&self.stats, self.is_last_item())
    }

    // ---- low-level writes, as TerminalReporter's helpers ----

    fn write_line(&mut self, line: &str, styles: &[Style]) -> io::Result<()> {
        self.ensure_newline()?;
        self.tw.line(line, styles)
    }

    fn ensure_newline(&mut self) -> io::Result<()> {
        if self.current != CurrentLine::Fresh {
            self.tw.line("", &[])?;
            self.current = CurrentLine::Fresh;
        }
        Ok(())
    }

    fn write_sep(&mut self, sepchar: char, title: &str, styles: &[Style]) -> io::Result<()> {
        self.ensure_newline()?;
        self.tw.sep(sepchar, Some(title), None, styles)
    }

    // ---- header and collection ----

    fn session_start(&mut self, info: &SessionInfo) -> io::Result<()> {
        self.write_header(info)?;
        // pytest writes this when collection starts, which in ferrotest follows the header
        // (`--fixtures` collects without pytest's collection hook, which writes it).
        if self.verbosity() >= 1 && !self.options.show_fixtures {
            self.tw.write("collecting ... ", &[Style::Bold])?;
        }
        // Live logs of the collection are written by the Python side, after this.
        self.tw.flush()
    }

    fn write_header(&mut self, info: &SessionInfo) -> io::Result<()> {
        if self.verbosity() < 0 {
            return Ok(());
        }
        self.write_sep('=', "test session starts", &[Style::Bold])?;
        if self.options.no_header {
            return Ok(());
        }
        let version_line = self.options.version_line.clone().unwrap_or_else(|| {
            format!(
                "platform {} -- Python {}, ferrotest-{}",
                info.platform,
                info.python_version,
                env!("CARGO_PKG_VERSION")
            )
        });
        self.write_line(&version_line, &[])?;
        if let Some(line) = self.options.cachedir_line.clone() {
            self.write_line(&line, &[])?;
        }
        // pytest prints the conftests' header lines between the cache's and its own.
        for line in &info.extra_lines {
            self.write_line(line, &[])?;
        }
        self.write_line(&format!("rootdir: {}", info.rootdir.display()), &[])?;
        if let Some(configfile) = &info.configfile {
            let relative = configfile.strip_prefix(&info.rootdir).unwrap_or(configfile);
            self.write_line(&format!("configfile: {}", relative.display()), &[])?;
        }
        if let Some(testpaths) = &info.testpaths {
            self.write_line(&format!("testpaths: {}", testpaths.join(", ")), &[])?;
        }
        if !info.plugins.is_empty() {
            self.write_line(&format!("plugins: {}", info.plugins.join(", ")), &[])?;
        }
        for line in &info.late_lines {
            self.write_line(line, &[])?;
        }
        Ok(())
    }

    fn collection_finish(
        &mut self,
        collected: usize,
        errors: &[CollectError],
        deselected: usize,
        items: &[CollectedItem],
        report_lines: &[String],
    ) -> io::Result<()> {
        self.num_collected = collected;
        self.tests_collected = collected.saturating_sub(deselected);
        // Sized once rather than grown (and rehashed) while the tests report.
        self.progress_reported.reserve(self.tests_collected);
        self.stats.deselected = deselected;
        self.stats.errors.extend(errors.iter().cloned().map(ErrorReport::Collect));
        self.report_collect()?;
        for line in report_lines {
            self.write_line(line, &[])?;
        }
        if self.options.collect_only && !items.is_empty() {
            if self.verbosity() > -1 {
                self.tw.line("", &[])?;
            }
            self.print_collected_items(items)?;
        }
        // pytest's logging plugin makes the test loop verbose so live logs read well.
        if self.options.live_logging && !self.options.collect_only && !self.options.show_fixtures {
            self.options.verbosity = self.options.verbosity.max(1);
        }
        Ok(())
    }

    /// `report_collect(final=True)`: `collected 3 items / 1 error / 1 deselected / 2 selected`.
    fn report_collect(&mut self) -> io::Result<()> {
        if self.verbosity() < 0 {
            return Ok(());
        }
        let n = self.num_collected;
        let mut line = format!("collected {n} item{}", if n == 1 { "" } else { "s" });
        let errors = self.stats.errors.len();
        if errors > 0 {
            line += &format!(" / {errors} error{}", if errors == 1 { "" } else { "s" });
        }
        if self.stats.deselected > 0 {
            line += &format!(" / {} deselected", self.stats.deselected);
        }
        // Only skipped modules are counted as skipped this early.
        if !self.stats.skipped.is_empty() {
            line += &format!(" / {} skipped", self.stats.skipped.len());
        }
        if n > self.tests_collected {
            line += &format!(" / {} selected", self.tests_collected);
        }
        self.write_line(&line, &[])
    }

    /// `_printcollecteditems`: the `<Dir>`/`<Module>` tree, node IDs (`-q`) or per-file counts
    /// (`-qq`), written at once: the terminal's writer flushes each line it is given alone.
    fn print_collected_items(&mut self, items: &[CollectedItem]) -> io::Result<()> {
        let text = if self.verbosity() < -1 {
            collected_counts(items)
        } else if self.verbosity() == -1 {
            let mut text = String::with_capacity(items.iter().map(|item| item.nodeid.len() + 1).sum());
            for item in items {
                text.push_str(&item.nodeid);
                text.push('\n');
            }
            text
        } else {
            collected_tree(items)
        };
        self.tw.write(&text, &[])
    }

    // ---- running tests ----

    fn location_line(&self, nodeid: &str, location: Option<&Location>) -> String {
        let Some(location) = location.filter(|l| !l.path.is_empty()) else {
            return "[location] ".to_string();
        };
        let mut line = nodeid.to_string();
        let domain = &location.domain;
        if !domain.is_empty() && line.ends_with(domain.as_str()) {
            line.truncate(line.len() - domain.len());
            // Dotted class paths become `::`, but not dots inside parameter IDs.
            let mut parts: Vec<String> = domain.split('[').map(str::to_string).collect();
            parts[0] = parts[0].replace('.', "::");
            line += &parts.join("[");
        }
        let fspath = location.path.replace('\\', "/");
        if self.verbosity() >= 2 && nodeid_path(nodeid) != fspath {
            line += &format!(" <- {}", location.path);
        }
        line + " "
    }

    fn test_start(&mut self, nodeid: &str, location: &Location) -> io::Result<()> {
        self.captured_writes.clear();
        if self.verbosity() > 0 {
            let line = self.location_line(nodeid, Some(location));
            self.write_ensure_prefix(&line, "", &[])?;
        } else if self.verbosity() == 0 {
            self.write_fspath_result(nodeid)?;
        }
        self.tw.flush()
    }

    /// Starts the `path/test_a.py ` line when the file changes, closing the previous one with
    /// its progress.
    fn write_fspath_result(&mut self, nodeid: &str) -> io::Result<()> {
        let fspath = nodeid_path(nodeid);
        if !matches!(&self.current, CurrentLine::File(current) if current == fspath) {
            if self.current != CurrentLine::Fresh && self.show_progress() {
                self.write_progress_filling_space()?;
            }
            self.tw.line("", &[])?;
            self.tw.write(&format!("{fspath} "), &[])?;
            self.current = CurrentLine::File(fspath.to_string());
        }
        Ok(())
    }

    fn write_ensure_prefix(&mut self, prefix: &str, extra: &str, styles: &[Style]) -> io::Result<()> {
        if !matches!(&self.current, CurrentLine::Prefix(current) if current == prefix) {
            self.tw.line("", &[])?;
            self.current = CurrentLine::Prefix(prefix.to_string());
            self.tw.write(prefix, &[])?;
        }
        if !extra.is_empty() {
            self.tw.write(extra, styles)?;
            self.current = CurrentLine::Done;
        }
        Ok(())
    }

    fn test_report(&mut self, report: &TestReport) -> io::Result<()> {
        let spliced;
        let report = if report.when != Phase::Setup && report.subtest.is_none() && !self.captured_writes.is_empty() {
            spliced = with_captured_writes(report, &self.captured_writes);
            &spliced
        } else {
            report
        };
        let category = self.stats.add(report);
        if self.options.durations.is_some() {
            self.durations.record(report.duration, report.when, &report.nodeid);
        }
        let Some((letter, word)) = category.letter_and_word(report) else {
            return Ok(());
        };
        let captured_at = report.subtest.as_ref().and_then(|subtest| subtest.captured_at);
        if captured_at.is_some() {
            self.tw.divert();
        }
        let written = self.write_test_status(report, letter, &word);
        if let Some(offset) = captured_at {
            self.captured_writes.push((offset, self.tw.take_diverted()));
        }
        written
    }

    /// What `pytest_runtest_logreport` writes for a report: its letter, or at `-v` its line.
    fn write_test_status(&mut self, report: &TestReport, letter: &str, word: &str) -> io::Result<()> {
        let styles: &[Style] = match report.outcome {
            Outcome::Passed if report.wasxfail.is_none() => &[Style::Green],
            Outcome::Failed => &[Style::Red],
            Outcome::Passed | Outcome::Skipped => &[Style::Yellow],
        };
        self.progress_reported.insert(report.nodeid.clone());
        if self.verbosity() <= 0 {
            self.tw.write(letter, styles)?;
            if self.show_progress() && !self.is_last_item() {
                self.write_progress_if_past_edge()?;
            }
        } else {
            let line = self.location_line(&report.nodeid, report.location.as_deref());
            self.write_ensure_prefix(&line, word, styles)?;
            if report.outcome == Outcome::Skipped || report.wasxfail.is_some() {
                self.write_skip_reason(report)?;
            }
            if self.show_progress() {
                self.write_progress_filling_space()?;
            }
        }
        self.tw.flush()
    }

    /// The ` (reason)` after `SKIPPED` at `-v`, trimmed to leave room for the progress.
    fn write_skip_reason(&mut self, report: &TestReport) -> io::Result<()> {
        let reason = raw_skip_reason(report);
        if reason.is_empty() {
            return Ok(());
        }
        let formatted = if self.verbosity() < 2 {
            let available = self.tw.fullwidth() as i64 - self.tw.width_of_current_line() - " [100%]".len() as i64 - 1;
            format_trimmed(" ({})", &reason, available)
        } else {
            Some(format!(" ({reason})"))
        };
        match formatted {
            Some(formatted) => self.wrap_write(&formatted),
            None => Ok(()),
        }
    }

    /// `wrap_write`: wrap `content` as if it continued the current line, with an 8-column margin.
    fn wrap_write(&mut self, content: &str) -> io::Result<()> {
        let current = self.tw.width_of_current_line().max(0) as usize;
        let padded = format!("{}{content}", " ".repeat(current));
        let width = self.tw.fullwidth().saturating_sub(8);
        let wrapped = textwrap(&padded, width).join("\n");
        let rest: String = wrapped.chars().skip(current).collect();
        self.tw.write(&rest, &[])
    }

    fn progress_message(&self) -> String {
        let collected = self.tests_collected;
        let reported = self.progress_reported.len();
        match self.options.progress {
            ProgressStyle::Count if collected > 0 => {
                let digits = collected.to_string().len();
                format!(" [{reported:>digits$}/{collected}]")
            }
            ProgressStyle::Count => format!(" [ {collected} / {collected} ]"),
            _ if collected > 0 => format!(" [{:>3}%]", reported * 100 / collected),
            _ => " [100%]".to_string(),
        }
    }

    fn main_style(&self) -> Style {
        style_of(self.main_color())
    }

    fn write_progress_if_past_edge(&mut self) -> io::Result<()> {
        let progress_length = match self.options.progress {
            ProgressStyle::Count => format!(" [{0}/{0}]", self.tests_collected).len(),
            _ => " [100%]".len(),
        } as i64;
        if self.tw.width_of_current_line() + progress_length + 1 >= self.tw.fullwidth() as i64 {
            let msg = self.progress_message() + "\n";
            let style = self.main_style();
            self.tw.write(&msg, &[style])?;
        }
        Ok(())
    }

    fn write_progress_filling_space(&mut self) -> io::Result<()> {
        let style = self.main_style();
        let msg = self.progress_message();
        let fill = self.tw.fullwidth() as i64 - self.tw.width_of_current_line() - 1;
        let msg = format!("{msg:>width$}", width = fill.max(0) as usize);
        self.tw.write(&msg, &[style])
    }

    // ---- end of session ----

    fn session_finish(
        &mut self,
        exit_code: ExitCode,
        duration: f64,
        interruption: Option<&Interruption>,
    ) -> io::Result<()> {
        // pytest writes the final progress when the test loop completes, which an
        // interruption skips.
        if interruption.is_none() && self.verbosity() <= 0 && self.show_progress() && !self.progress_reported.is_empty()
        {
            self.write_progress_filling_space()?;
        }
        self.tw.line("", &[])?;
        if exit_code != ExitCode::InternalError {
            self.terminal_summary()?;
        }
        if let (ExitCode::MaxWarningsError, Some(max)) = (exit_code, self.options.max_warnings) {
            let count = self.stats.warnings.len();
            self.tw
                .line(&format!("Tests pass, but maximum allowed warnings exceeded: {count} > {max}"), &[Style::Red])?;
        }
        match interruption {
            Some(Interruption::MaxFail(n)) => {
                self.write_sep('!', &format!("stopping after {n} failures"), &[Style::Red])?;
            }
            Some(Interruption::CollectionErrors(n)) => {
                let plural = if *n == 1 { "" } else { "s" };
                self.write_sep('!', &format!("Interrupted: {n} error{plural} during collection"), &[])?;
            }
            Some(Interruption::KeyboardInterrupt { message, location }) => {
                self.write_sep('!', message, &[])?;
                if message.contains("KeyboardInterrupt") {
                    // pytest's `reprcrash.toterminal`: where it was raised, and the message's first line.
                    if let Some((path, lineno)) = location {
                        let first_line = message.lines().next().unwrap_or_default();
                        self.tw.write(path, &[Style::Bold, Style::Red])?;
                        self.tw.line(&format!(":{lineno}: {first_line}"), &[])?;
                    }
                    let hint = "(to show a full traceback on KeyboardInterrupt use --full-trace)";
                    self.tw.line(hint, &[Style::Yellow])?;
                }
            }
            // pytest's `session.Interrupted(reason)`, reported like a keyboard interrupt.
            Some(Interruption::Stopped(reason)) => {
                self.write_sep('!', &format!("Interrupted: {reason}"), &[])?;
            }
            Some(Interruption::MaxFailAndStopped(n, reason)) => {
                self.write_sep('!', &format!("stopping after {n} failures"), &[Style::Red])?;
                self.write_sep('!', reason, &[Style::Red])?;
            }
            // pytest reports the exit with the session's end only while its status is 2;
            // a test's own return code leaves it to `pytest_unconfigure`, after the counts.
            Some(Interruption::Exit { reason, returncode: None | Some(2) }) => {
                self.write_sep('!', &format!("_pytest.outcomes.Exit: {reason}"), &[])?;
            }
            Some(Interruption::Exit { .. }) | None => {}
        }
        self.summary_stats(duration)?;
        if let Some(Interruption::Exit { reason, returncode: Some(code) }) = interruption {
            if *code != 2 {
                self.write_sep('!', &format!("_pytest.outcomes.Exit: {reason}"), &[])?;
            }
        }
        self.tw.flush()
    }

    fn terminal_summary(&mut self) -> io::Result<()> {
        let show_summary = !self.options.no_summary;
        if show_summary {
            self.summary_errors()?;
            self.summary_failures()?;
            self.summary_warnings()?;
            self.summary_passes('P', "PASSES")?;
            self.summary_passes('X', "XPASSES")?;
        }
        // pytest's own sections above come before its hook's other implementations, the
        // summary below after them all (see `TerminalSummary`).
        let plugin_summary = std::mem::take(&mut self.plugin_summary);
        self.write_plugin_output(&plugin_summary.before_junitxml)?;
        if let Some(path) = self.options.junitxml_path.clone().filter(|_| self.verbosity() >= 0) {
            self.write_sep('-', &format!("generated xml file: {path}"), &[])?;
        }
        self.write_plugin_output(&plugin_summary.before_durations)?;
        self.summary_durations()?;
        self.write_plugin_output(&plugin_summary.after_durations)?;
        if show_summary {
            self.short_test_summary()?;
        }
        Ok(())
    }

    fn write_plugin_output(&mut self, writes: &[TerminalWrite]) -> io::Result<()> {
        for write in writes {
            match write {
                TerminalWrite::Text(text) => self.tw.write(text, &[])?,
                TerminalWrite::EnsureNewline => self.ensure_newline()?,
            }
        }
        Ok(())
    }

    fn summary_durations(&mut self) -> io::Result<()> {
        let Some(options) = self.options.durations else { return Ok(()) };
        let Some((title, lines)) = self.durations.section(options, self.verbosity()) else { return Ok(()) };
        self.write_sep('=', &title, &[])?;
        for line in lines {
            self.write_line(&line, &[])?;
        }
        Ok(())
    }

    /// pytest's `_getfailureheadline`: the test's dotted name (`TestX.test_y`), and a
    /// subtest's description after it.
    fn headline(&self, report: &TestReport) -> String {
        let head = self.test_headline(report);
        match &report.subtest {
            Some(subtest) => format!("{head} {}", subtest.description),
            None => head,
        }
    }

    fn test_headline(&self, report: &TestReport) -> String {
        match report.location.as_deref() {
            Some(location) if !location.domain.is_empty() => location.domain.clone(),
            _ => match nodeid_rest(&report.nodeid) {
                Some(rest) => rest.replace("::", "."),
                None => "test session".to_string(),
            },
        }
    }

    fn summary_errors(&mut self) -> io::Result<()> {
        if self.stats.errors.is_empty() || self.options.tbstyle == TracebackStyle::No {
            return Ok(());
        }
        self.write_sep('=', "ERRORS", &[])?;
        for error in self.stats.errors.clone() {
            match &error {
                ErrorReport::Collect(collect) => {
                    let path = nodeid_path(&collect.nodeid);
                    let head = if path.is_empty() { "test session" } else { path };
                    self.write_sep('_', &format!("ERROR collecting {head}"), &[Style::Red, Style::Bold])?;
                    self.tw.line(&collect.longrepr, &[])?;
                    for (name, content) in &collect.sections {
                        if self.shows_capture(name) {
                            self.write_section(name, content)?;
                        }
                    }
                }
                ErrorReport::Test(report) => {
                    let head = format!("ERROR at {} of {}", report.when.as_str(), self.headline(report));
                    self.write_sep('_', &head, &[Style::Red, Style::Bold])?;
                    self.outrep_summary(report)?;
                }
            }
        }
        Ok(())
    }

    fn summary_failures(&mut self) -> io::Result<()> {
        if self.stats.failed.is_empty() || self.options.tbstyle == TracebackStyle::No {
            return Ok(());
        }
        self.write_sep('=', "FAILURES", &[])?;
        if self.options.tbstyle == TracebackStyle::Line {
            for report in self.stats.failed.clone() {
                self.outrep_summary(&report)?;
                self.write_line(&crash_line(&report), &[])?;
            }
            return Ok(());
        }
        for report in self.stats.failed.clone() {
            let head = self.headline(&report);
            self.write_sep('_', &head, &[Style::Red, Style::Bold])?;
            self.outrep_summary(&report)?;
            self.teardown_sections(&report.nodeid)?;
        }
        Ok(())
    }

    /// `summary_passes_combined`: the output of passed (`-rP`) or xpassed (`-rX`) tests.
    fn summary_passes(&mut self, opt: char, title: &str) -> io::Result<()> {
        let reports = if opt == 'X' { &self.stats.xpassed } else { &self.stats.passed };
        if !self.has_opt(opt) || reports.is_empty() || self.options.tbstyle == TracebackStyle::No {
            return Ok(());
        }
        let reports = reports.clone();
        self.write_sep('=', title, &[])?;
        for report in reports {
            if !report.sections.is_empty() {
                let head = self.headline(&report);
                self.write_sep('_', &head, &[Style::Green, Style::Bold])?;
                self.outrep_summary(&report)?;
            }
            self.teardown_sections(&report.nodeid)?;
        }
        Ok(())
    }

    /// `_outrep_summary`: the long representation, then each captured-output section.
    fn outrep_summary(&mut self, report: &TestReport) -> io::Result<()> {
        match &report.longrepr {
            Some(LongRepr::Failure { text, .. }) => self.tw.line(text, &[])?,
            Some(LongRepr::Skip { path, lineno, reason }) => {
                self.tw.line(&format!("('{path}', {lineno}, '{reason}')"), &[])?
            }
            None => {}
        }
        for (name, content) in &report.sections {
            if self.shows_capture(name) {
                self.write_section(name, content)?;
            }
        }
        Ok(())
    }

    /// `--show-capture`: whether failure reports show the captured section `name`.
    fn shows_capture(&self, name: &str) -> bool {
        match self.options.show_capture.as_str() {
            "all" => true,
            "no" => false,
            shown => name.contains(shown),
        }
    }

    fn write_section(&mut self, name: &str, content: &str) -> io::Result<()> {
        self.tw.sep('-', Some(name), None, &[])?;
        self.tw.line(content.strip_suffix('\n').unwrap_or(content), &[])
    }

    /// Teardown output of a passing teardown follows the test's failure or pass section.
    fn teardown_sections(&mut self, nodeid: &str) -> io::Result<()> {
        let sections: Vec<(String, String)> = self
            .stats
            .teardown_reports(nodeid)
            .flat_map(|r| r.sections.iter().filter(|(name, _)| self.shows_capture(name) && name.contains("teardown")))
            .cloned()
            .collect();
        for (name, content) in sections {
            self.write_section(&name, &content)?;
        }
        Ok(())
    }

    fn summary_warnings(&mut self) -> io::Result<()> {
        if !self.has_opt('w') || self.stats.warnings.is_empty() {
            return Ok(());
        }
        let mut grouped: Vec<(String, Vec<&WarningReport>)> = Vec::new();
        for warning in &self.stats.warnings {
            match grouped.iter_mut().find(|(message, _)| *message == warning.message) {
                Some((_, reports)) => reports.push(warning),
                None => grouped.push((warning.message.clone(), vec![warning])),
            }
        }
        let blocks: Vec<(String, String)> =
            grouped.into_iter().map(|(message, reports)| (collapsed_locations(&reports), message)).collect();
        self.write_sep('=', "warnings summary", &[Style::Yellow])?;
        for (locations, message) in blocks {
            if locations.is_empty() {
                self.tw.line(message.trim_end(), &[])?;
            } else {
                self.tw.line(&locations, &[])?;
                let indented: Vec<String> = message.lines().map(|l| format!("  {l}")).collect();
                self.tw.line(indented.join("\n").trim_end(), &[])?;
            }
            self.tw.line("", &[])?;
        }
        self.tw.line("-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html", &[])
    }

    fn short_test_summary(&mut self) -> io::Result<()> {
        let mut lines = Vec::new();
        for c in self.report_chars.clone().chars() {
            match c {
                'f' => lines.extend(
                    self.stats
                        .failed
                        .iter()
                        .map(|r| self.simple_line(&verbose_word(r, "FAILED"), "failed", &r.nodeid, failure_message(r))),
                ),
                'p' => lines
                    .extend(self.stats.passed.iter().map(|r| self.simple_line("PASSED", "passed", &r.nodeid, None))),
                'E' => lines.extend(self.stats.errors.iter().map(|e| self.error_line(e))),
                's' => lines.extend(self.skipped_lines()),
                'x' => lines.extend(self.stats.xfailed.iter().map(|r| self.xfail_line(&verbose_word(r, "XFAIL"), r))),
                'X' => lines.extend(self.stats.xpassed.iter().map(|r| self.xfail_line("XPASS", r))),
                _ => {}
            }
        }
        if lines.is_empty() {
            return Ok(());
        }
        self.write_sep('=', "short test summary info", &[Style::Cyan, Style::Bold])?;
        for line in lines {
            self.write_line(&line, &[])?;
        }
        Ok(())
    }

    fn error_line(&self, error: &ErrorReport) -> String {
        match error {
            ErrorReport::Test(report) => self.simple_line("ERROR", "error", &report.nodeid, failure_message(report)),
            ErrorReport::Collect(collect) => {
                let message = Some(collect.message.as_str()).filter(|m| !m.is_empty());
                self.simple_line("ERROR", "error", &collect.nodeid, message)
            }
        }
    }

    /// `_get_line_with_reprcrash_message`: `WORD nodeid - message`, trimmed to the width.
    fn simple_line(&self, word: &str, key: &str, nodeid: &str, message: Option<&str>) -> String {
        let word = self.tw.markup(word, &[style_of(color_for_key(key))]);
        let mut line = format!("{word} {}", self.nodeid_with_markup(nodeid));
        let Some(message) = message else {
            return line;
        };
        let suffix = if self.options.untrimmed_summary || self.verbosity() >= 2 {
            Some(format!(" - {message}"))
        } else {
            let available = self.tw.fullwidth() as i64 - crate::summary::wcswidth(&line);
            format_trimmed(" - {}", message, available)
        };
        if let Some(suffix) = suffix {
            line += &suffix;
        }
        line
    }

    fn nodeid_with_markup(&self, nodeid: &str) -> String {
        match nodeid_rest(nodeid) {
            Some(rest) => format!("{}::{}", nodeid_path(nodeid), self.tw.markup(rest, &[Style::Bold])),
            None => nodeid.to_string(),
        }
    }

    /// `show_xfailed`/`show_xpassed`: `XFAIL nodeid - reason`, untrimmed; an xfail outside
    /// the call says where (`XFAIL at setup of nodeid`).
    fn xfail_line(&self, word: &str, report: &TestReport) -> String {
        let word = self.tw.markup(word, &[Style::Yellow]);
        let nodeid = self.nodeid_with_markup(&report.nodeid);
        let mut line = match report.when {
            Phase::Call => format!("{word} {nodeid}"),
            when => format!("{word} at {} of {nodeid}", when.as_str()),
        };
        if let Some(reason) = report.wasxfail.as_deref().filter(|r| !r.is_empty()) {
            line += &format!(" - {reason}");
        }
        line
    }

    fn skipped_lines(&self) -> Vec<String> {
        if !self.options.fold_skipped {
            return self
                .stats
                .skipped
                .iter()
                .map(|r| {
                    let reason = match &r.longrepr {
                        Some(LongRepr::Skip { reason, .. }) if !reason.is_empty() => {
                            format!(" - {reason}")
                        }
                        _ => String::new(),
                    };
                    let word = self.tw.markup(&verbose_word(r, "SKIPPED"), &[Style::Yellow]);
                    format!("{word} {}{reason}", self.nodeid_with_markup(&r.nodeid))
                })
                .collect();
        }
        // pytest names every folded line with the first skip's word.
        let first = self.stats.skipped.first().map_or_else(|| "SKIPPED".to_string(), |r| verbose_word(r, "SKIPPED"));
        let word = self.tw.markup(&first, &[Style::Yellow]);
        folded_skips(&self.stats.skipped)
            .into_iter()
            .map(|f| {
                let reason = f.reason.strip_prefix("Skipped: ").unwrap_or(&f.reason);
                match f.lineno {
                    Some(lineno) => format!("{word} [{}] {}:{lineno}: {reason}", f.count, f.path),
                    None => format!("{word} [{}] {}: {reason}", f.count, f.path),
                }
            })
            .collect()
    }

    /// The final `=== 1 failed, 2 passed in 0.12s ===` line.
    fn summary_stats(&mut self, duration: f64) -> io::Result<()> {
        if self.verbosity() < -1 {
            return Ok(());
        }
        let (parts, color) =
            if self.options.collect_only { self.collect_only_stats_parts() } else { self.normal_stats_parts() };
        let main = style_of(color);
        let display_sep = self.verbosity() >= 0;
        // The rule is measured without escapes, so widen it by the escapes' length.
        let mut fullwidth = self.tw.fullwidth();
        let mut marked_parts = Vec::new();
        for (text, styles) in &parts {
            let marked = self.tw.markup(text, styles);
            fullwidth += marked.len() - text.len();
            marked_parts.push(marked);
        }
        let mut msg = marked_parts.join(", ");
        let duration = format!(" in {}", format_session_duration(duration));
        let marked_duration = self.tw.markup(&duration, &[main]);
        fullwidth += marked_duration.len() - duration.len();
        msg += &marked_duration;
        if display_sep {
            let end_markup = self.tw.markup("", &[main]);
            let end_markup = end_markup.strip_suffix("\x1b[0m").unwrap_or(&end_markup).to_string();
            fullwidth += end_markup.len();
            msg += &end_markup;
            self.ensure_newline()?;
            self.tw.sep('=', Some(&msg), Some(fullwidth), &[main])
        } else {
            self.write_line(&msg, &[main])
        }
    }

    fn normal_stats_parts(&self) -> (Vec<(String, Vec<Style>)>, MainColor) {
        let color = self.main_color();
        let mut parts: Vec<(String, Vec<Style>)> = Vec::new();
        for (count, key) in self.stats.counts() {
            if count == 0 {
                continue;
            }
            let key_color = color_for_key(key);
            let mut styles = vec![style_of(key_color)];
            if key_color == color {
                styles.push(Style::Bold);
            }
            parts.push((pluralize(count, key), styles));
        }
        if parts.is_empty() {
            parts.push(("no tests ran".to_string(), vec![Style::Yellow]));
        }
        (parts, color)
    }

    fn collect_only_stats_parts(&self) -> (Vec<(String, Vec<Style>)>, MainColor) {
        let deselected = self.stats.deselected;
        let collected = self.num_collected;
        let (text, mut color) = if collected == 0 {
            ("no tests collected".to_string(), MainColor::Yellow)
        } else if deselected == 0 {
            (format!("{} collected", pluralize(collected, "test")), MainColor::Green)
        } else if collected == deselected {
            (format!("no tests collected ({deselected} deselected)"), MainColor::Yellow)
        } else {
            let selected = collected - deselected;
            (format!("{selected}/{collected} tests collected ({deselected} deselected)"), MainColor::Green)
        };
        let mut parts = vec![(text, vec![style_of(color)])];
        let errors = self.stats.errors.len();
        if errors > 0 {
            color = MainColor::Red;
            parts.push((pluralize(errors, "error"), vec![Style::Red]));
        }
        (parts, color)
    }
}

fn style_of(color: MainColor) -> Style {
    match color {
        MainColor::Red => Style::Red,
        MainColor::Yellow => Style::Yellow,
        MainColor::Green => Style::Green,
    }
}

/// `_get_verbose_word_with_markup`'s word for a report of a summary list: a subtest's own
/// (`SUBFAILED[msg] (i=1)`), else the list's.
fn verbose_word(report: &TestReport, word: &str) -> String {
    match &report.subtest {
        Some(subtest) => format!("SUB{word}{}", subtest.description),
        None => word.to_string(),
    }
}

/// The reason after `FAILED x - `; pytest shows none when a report has no crash message
/// (a missing fixture, say).
fn failure_message(report: &TestReport) -> Option<&str> {
    match &report.longrepr {
        Some(LongRepr::Failure { message, .. }) if !message.is_empty() => Some(message),
        _ => None,
    }
}

/// `_getcrashline`: where the failure happened, else the report's first 50 characters.
fn crash_line(report: &TestReport) -> String {
    match &report.longrepr {
        Some(LongRepr::Failure { crash_line: Some(line), .. }) => line.clone(),
        Some(LongRepr::Failure { text, .. }) => text.trim().chars().take(50).collect(),
        _ => String::new(),
    }
}

/// `collapsed_location_report`: the node IDs a warning came from, or per-file counts from
/// ten locations on.
fn collapsed_locations(reports: &[&WarningReport]) -> String {
    let locations: Vec<&str> = reports.iter().filter_map(|w| w.location.as_deref()).filter(|n| !n.is_empty()).collect();
    if locations.len() < 10 {
        return locations.join("\n");
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for location in locations {
        let file = nodeid_path(location);
        match counts.iter_mut().find(|(f, _)| *f == file) {
            Some((_, count)) => *count += 1,
            None => counts.push((file, 1)),
        }
    }
    counts
        .iter()
        .map(|(file, count)| format!("{file}: {count} warning{}", if *count > 1 { "s" } else { "" }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The call or teardown report with what pytest's reporter wrote for the test's `unittest`
/// subtests while its output was captured inserted into its captured stdout of the call,
/// where pytest wrote it.
fn with_captured_writes(report: &TestReport, writes: &[(usize, String)]) -> TestReport {
    const STDOUT: &str = "Captured stdout call";
    let mut report = report.clone();
    let index = match report.sections.iter().position(|(name, _)| name == STDOUT) {
        Some(index) => index,
        None => {
            // After the setup's sections, before the call's stderr and log sections.
            let at =
                report.sections.iter().position(|(name, _)| !name.ends_with(" setup")).unwrap_or(report.sections.len());
            report.sections.insert(at, (STDOUT.to_string(), String::new()));
            at
        }
    };
    let content = &mut report.sections[index].1;
    // Last first, so that the earlier offsets still hold.
    for (offset, text) in writes.iter().rev() {
        let mut at = (*offset).min(content.len());
        while !content.is_char_boundary(at) {
            at -= 1;
        }
        content.insert_str(at, text);
    }
    report
}

/// A skipped module as the skip summary and the final counts take it: like pytest's
/// skipped `CollectReport`, a skip at the place the module raised it.
fn collect_skip_report(skip: &CollectSkip) -> TestReport {
    TestReport {
        outcome: Outcome::Skipped,
        longrepr: Some(LongRepr::Skip { path: skip.path.clone(), lineno: skip.lineno, reason: skip.message.clone() }),
        ..TestReport::passed(skip.nodeid.clone(), Phase::Setup, 0.0)
    }
}

impl<W: Write> Reporter for TerminalReporter<W> {
    fn handle(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::SessionStart(info) => self.session_start(info),
            Event::CollectionFinish { collected, errors, deselected, items, report_lines } => {
                self.collection_finish(*collected, errors, *deselected, items, report_lines)
            }
            Event::CollectSkip(skip) => {
                self.stats.skipped.push(collect_skip_report(skip));
                Ok(())
            }
            Event::TestStart { nodeid, location } => self.test_start(nodeid, location),
            Event::TestReport(report) => self.test_report(report),
            Event::LiveLogged => {
                self.tw.line_ended_elsewhere();
                Ok(())
            }
            Event::TestFinish { .. } | Event::TestsuiteProperties(_) => Ok(()),
            Event::FixtureSetup(fixture) => self.show_fixture_action("SETUP", fixture),
            Event::FixtureTeardown(fixture) => self.show_fixture_action("TEARDOWN", fixture),
            Event::ShowTestItem { nodeid, fixturenames } => self.show_test_item(nodeid, fixturenames),
            Event::AvailableFixtures(fixtures) => self.show_fixtures(fixtures),
            Event::TerminalSummary(summary) => {
                self.plugin_summary = summary.clone();
                Ok(())
            }
            Event::Warning(warning) => {
                self.stats.warnings.push(warning.clone());
                Ok(())
            }
            Event::SessionFinish { exit_code, duration, interruption } => {
                self.session_finish(*exit_code, *duration, interruption.as_ref())
            }
        }
    }
}

/// `-qq`'s `path: count` lines, by path.
fn collected_counts(items: &[CollectedItem]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for item in items {
        let path = nodeid_path(&item.nodeid);
        match counts.iter_mut().find(|(p, _)| *p == path) {
            Some((_, count)) => *count += 1,
            None => counts.push((path, 1)),
        }
    }
    counts.sort();
    counts.into_iter().map(|(path, count)| format!("{path}: {count}\n")).collect()
}

/// The `<Kind name>` tree, each collector once, indented by depth.
fn collected_tree(items: &[CollectedItem]) -> String {
    let mut text = String::new();
    let mut stack: Vec<&ferrotest_events::CollectorNode> = Vec::new();
    for item in items {
        let needed = &item.chain;
        while !stack.is_empty() && !needed.iter().take(stack.len()).eq(stack.iter().copied()) {
            stack.pop();
        }
        if stack.len() > needed.len() {
            stack.truncate(needed.len());
        }
        for node in &needed[stack.len()..] {
            stack.push(node);
            let indent = "  ".repeat(stack.len() - 1);
            text.push_str(&format!("{indent}<{} {}>\n", node.kind.as_str(), node.name));
        }
    }
    text
}
