//! pytest's `--junitxml` file (`_pytest/junitxml.py`, the default `xunit2` family,
//! `junit_logging = no`, `junit_duration_report = total`).
//!
//! The file is written in one go at `SessionFinish`, on one line after the XML declaration,
//! with ElementTree's escaping and its `" />"` empty elements, as pytest writes it.

use std::fs;
use std::io;
use std::path::PathBuf;

use ferrotest_events::{CollectError, CollectSkip, Event, LongRepr, Outcome, Phase, TestReport};
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event as XmlEvent};
use quick_xml::Writer;
use rustc_hash::FxHashMap;

use crate::Reporter;

/// pytest's `MESSAGE_ATTR_BUDGET`: the longest `message=` attribute, in characters.
const MESSAGE_ATTR_BUDGET: usize = 500;

/// Settings of the JUnit XML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JunitOptions {
    /// `junit_suite_name` (default `pytest`).
    pub suite_name: String,
    /// `--junitprefix`: prepended to every `classname`.
    pub prefix: Option<String>,
    /// The `hostname` attribute; `None` reads the machine's host name.
    pub hostname: Option<String>,
    /// The `timestamp` attribute; `None` uses the reporter's creation time in UTC
    /// (`2024-05-01T12:00:00.123456+00:00`).
    pub timestamp: Option<String>,
}

impl Default for JunitOptions {
    fn default() -> Self {
        JunitOptions { suite_name: "pytest".to_string(), prefix: None, hostname: None, timestamp: None }
    }
}

/// One `<testcase>`'s content, in the order pytest appends it. `XFailed` is the
/// `<skipped type="pytest.xfail" message=".." />` of an xfailed phase.
#[derive(Debug, Clone)]
enum Child {
    Failure {
        message: String,
        text: String,
    },
    Error {
        message: String,
        text: String,
    },
    Skipped {
        message: String,
        text: String,
    },
    XFailed {
        message: String,
    },
    /// A module skipped at collection: pytest writes its report's `longrepr` tuple.
    CollectSkipped {
        text: String,
    },
}

/// pytest's `_NodeReporter`: one `<testcase>` being assembled.
#[derive(Debug, Clone, Default)]
struct TestCase {
    /// `classname` and `name`, known once a report has been recorded for it.
    names: Option<(String, String)>,
    duration: f64,
    /// `user_properties` of the report the test case was finalized with.
    properties: Vec<(String, String)>,
    children: Vec<Child>,
}

#[derive(Debug, Default)]
struct Counts {
    errors: usize,
    failures: usize,
    skipped: usize,
    passed: usize,
}

/// Collects events and writes pytest's JUnit XML at the end of the session.
pub struct JunitXmlReporter {
    path: PathBuf,
    options: JunitOptions,
    timestamp: String,
    rootdir: Option<PathBuf>,
    cases: Vec<TestCase>,
    /// Test cases still accepting reports, by node ID (pytest's `node_reporters`); looked up
    /// for each report, hence `FxHash`.
    open: FxHashMap<String, usize>,
    /// Node IDs whose call failed and whose teardown is still to come (`open_reports`),
    /// with that call report's user properties.
    failed_calls: Vec<(String, Vec<(String, String)>)>,
    /// Passing calls with a failing teardown: one test case, counted once (pytest #3850).
    double_counted: usize,
    counts: Counts,
    /// `record_testsuite_property` values, written before the test cases.
    suite_properties: Vec<(String, String)>,
}

impl JunitXmlReporter {
    pub fn new(path: PathBuf, options: JunitOptions) -> Self {
        let timestamp = options.timestamp.clone().unwrap_or_else(local_timestamp_now);
        JunitXmlReporter {
            path,
            options,
            timestamp,
            rootdir: None,
            cases: Vec::new(),
            open: FxHashMap::default(),
            suite_properties: Vec::new(),
            failed_calls: Vec::new(),
            double_counted: 0,
            counts: Counts::default(),
        }
    }

    /// The document pytest would write for the events so far, given the session's duration.
    pub fn xml(&self, duration: f64) -> String {
        let mut writer = Writer::new(Vec::new());
        // Writing to a Vec cannot fail, and every element below is balanced.
        self.write_document(&mut writer, duration).expect("writing XML to memory");
        let body = String::from_utf8(writer.into_inner()).expect("XML built from strings is UTF-8");
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>{body}")
    }

    fn write_document(&self, writer: &mut Writer<Vec<u8>>, duration: f64) -> io::Result<()> {
        let tests = (self.counts.passed + self.counts.failures + self.counts.skipped + self.counts.errors)
            .saturating_sub(self.double_counted);
        start(writer, "testsuites", &[("name", "pytest tests")])?;
        let hostname = self.options.hostname.clone().unwrap_or_else(hostname);
        start(
            writer,
            "testsuite",
            &[
                ("name", &self.options.suite_name),
                ("errors", &self.counts.errors.to_string()),
                ("failures", &self.counts.failures.to_string()),
                ("skipped", &self.counts.skipped.to_string()),
                ("tests", &tests.to_string()),
                ("time", &format!("{duration:.3}")),
                ("timestamp", &self.timestamp),
                ("hostname", &hostname),
            ],
        )?;
        write_properties(writer, &self.suite_properties)?;
        for case in &self.cases {
            write_testcase(writer, case)?;
        }
        writer.write_event(XmlEvent::End(BytesEnd::new("testsuite")))?;
        writer.write_event(XmlEvent::End(BytesEnd::new("testsuites")))
    }

    fn node_reporter(&mut self, nodeid: &str) -> usize {
        if let Some(&index) = self.open.get(nodeid) {
            return index;
        }
        self.cases.push(TestCase::default());
        self.open.insert(nodeid.to_string(), self.cases.len() - 1);
        self.cases.len() - 1
    }

    /// `_opentestcase`: the node's test case, named after its node ID.
    fn open_testcase(&mut self, nodeid: &str) -> usize {
        let index = self.node_reporter(nodeid);
        let mut names = mangle_test_address(nodeid);
        let name = bin_xml_escape(&names.pop().unwrap_or_default());
        if let Some(prefix) = &self.options.prefix {
            names.insert(0, prefix.clone());
        }
        self.cases[index].names = Some((names.join("."), name));
        index
    }

    /// pytest's `LogXML.finalize`: the test case takes the report's user properties and
    /// accepts no more reports.
    fn finalize(&mut self, nodeid: &str, properties: &[(String, String)]) {
        if let Some(index) = self.open.remove(nodeid) {
            self.cases[index].properties =
                properties.iter().map(|(name, value)| (name.clone(), bin_xml_escape(value))).collect();
        }
    }

    fn collect_errors(&mut self, errors: &[CollectError]) {
        for error in errors {
            let index = self.open_testcase(&error.nodeid);
            let text = error.longrepr.trim().to_string();
            self.cases[index].children.push(Child::Error { message: "collection failure".to_string(), text });
            self.counts.errors += 1;
        }
    }

    /// pytest's `pytest_collectreport` for a skipped module: its `longrepr` is the tuple
    /// `(absolute path, line, message)`, written as Python shows it.
    fn collect_skip(&mut self, skip: &CollectSkip) {
        let path = match &self.rootdir {
            Some(rootdir) => rootdir.join(&skip.path).display().to_string(),
            None => skip.path.clone(),
        };
        let text = format!("({}, {}, {})", python_str_repr(&path), skip.lineno, python_str_repr(&skip.message));
        let index = self.open_testcase(&skip.nodeid);
        self.cases[index].children.push(Child::CollectSkipped { text });
        self.counts.skipped += 1;
    }

    /// pytest's `LogXML.pytest_runtest_logreport`, including its handling of a call failure
    /// followed by a teardown error (two test cases) and of a passing call followed by a
    /// teardown error (one test case).
    fn test_report(&mut self, report: &TestReport) {
        let nodeid: &str = &report.nodeid;
        match report.outcome {
            Outcome::Passed if report.when == Phase::Call => {
                self.open_testcase(nodeid);
                self.counts.passed += 1;
            }
            Outcome::Passed => {}
            Outcome::Failed => self.failed_report(report),
            Outcome::Skipped => {
                let index = self.open_testcase(nodeid);
                let child = self.skipped_child(report);
                self.cases[index].children.push(child);
                self.counts.skipped += 1;
            }
        }
        let index = self.node_reporter(nodeid);
        self.cases[index].duration += report.duration;
        if report.when == Phase::Teardown {
            self.open_testcase(nodeid);
            self.finalize(nodeid, &report.user_properties);
            self.failed_calls.retain(|(n, _)| n != nodeid);
        }
    }

    fn failed_report(&mut self, report: &TestReport) {
        let nodeid: &str = &report.nodeid;
        if report.when == Phase::Teardown {
            let failed_call = self.failed_calls.iter().find(|(n, _)| n == nodeid).cloned();
            if let Some((_, properties)) = failed_call {
                self.finalize(nodeid, &properties);
            } else if self.open.contains_key(nodeid) {
                self.double_counted += 1;
            }
        }
        let index = self.open_testcase(nodeid);
        let (message, text) = match &report.longrepr {
            Some(LongRepr::Failure { text, message, .. }) => (message.clone(), text.trim().to_string()),
            Some(LongRepr::Skip { reason, .. }) => (reason.clone(), reason.clone()),
            None => (String::new(), String::new()),
        };
        let child = if report.when == Phase::Call {
            self.failed_calls.push((nodeid.to_string(), report.user_properties.clone()));
            self.counts.failures += 1;
            Child::Failure { message: bin_xml_escape(&shorten_message(&message)), text }
        } else {
            self.counts.errors += 1;
            let message = format!("failed on {} with \"{message}\"", report.when.as_str());
            Child::Error { message: bin_xml_escape(&shorten_message(&message)), text }
        };
        self.cases[index].children.push(child);
    }

    fn skipped_child(&self, report: &TestReport) -> Child {
        if let Some(reason) = &report.wasxfail {
            let reason = reason.strip_prefix("reason: ").unwrap_or(reason);
            return Child::XFailed { message: bin_xml_escape(reason) };
        }
        let (path, lineno, reason) = match &report.longrepr {
            Some(LongRepr::Skip { path, lineno, reason }) => (path.as_str(), *lineno, reason.as_str()),
            _ => ("", 0, ""),
        };
        let reason = reason.strip_prefix("Skipped: ").unwrap_or(reason);
        // pytest's skip locations are absolute; the event's are relative to the rootdir.
        let path = match &self.rootdir {
            Some(rootdir) => rootdir.join(path).display().to_string(),
            None => path.to_string(),
        };
        Child::Skipped { message: bin_xml_escape(reason), text: format!("{path}:{lineno}: {reason}") }
    }

    fn write_file(&self, duration: f64) -> io::Result<()> {
        if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        fs::write(&self.path, self.xml(duration))
    }
}

impl Reporter for JunitXmlReporter {
    fn handle(&mut self, event: &Event) -> io::Result<()> {
        match event {
            Event::SessionStart(info) => self.rootdir = Some(info.rootdir.clone()),
            Event::CollectSkip(skip) => self.collect_skip(skip),
            Event::CollectionFinish { errors, .. } => self.collect_errors(errors),
            Event::TestReport(report) => self.test_report(report),
            Event::TestsuiteProperties(properties) => self.suite_properties.extend(properties.iter().cloned()),
            Event::SessionFinish { duration, .. } => return self.write_file(*duration),
            Event::TestStart { .. }
            | Event::LiveLogged
            | Event::TestFinish { .. }
            | Event::Warning(_)
            | Event::FixtureSetup(_)
            | Event::FixtureTeardown(_)
            | Event::ShowTestItem { .. }
            | Event::AvailableFixtures(_)
            | Event::TerminalSummary(_) => {}
        }
        Ok(())
    }
}

fn write_testcase(writer: &mut Writer<Vec<u8>>, case: &TestCase) -> io::Result<()> {
    let time = format!("{:.3}", case.duration);
    // A test case no report named (a test `pytest.exit()` stopped in its call) has only a time.
    let attrs: Vec<(&str, &str)> = match &case.names {
        Some((classname, name)) => vec![("classname", classname), ("name", name), ("time", &time)],
        None => vec![("time", &time)],
    };
    if case.children.is_empty() && case.properties.is_empty() {
        return empty(writer, "testcase", &attrs);
    }
    start(writer, "testcase", &attrs)?;
    write_properties(writer, &case.properties)?;
    for child in &case.children {
        match child {
            Child::Failure { message, text } => text_element(writer, "failure", &[("message", message)], text)?,
            Child::Error { message, text } => text_element(writer, "error", &[("message", message)], text)?,
            Child::Skipped { message, text } => {
                text_element(writer, "skipped", &[("type", "pytest.skip"), ("message", message)], text)?
            }
            Child::CollectSkipped { text } => {
                text_element(writer, "skipped", &[("message", "collection skipped")], text)?
            }
            Child::XFailed { message } => empty(writer, "skipped", &[("type", "pytest.xfail"), ("message", message)])?,
        }
    }
    writer.write_event(XmlEvent::End(BytesEnd::new("testcase")))
}

/// `<properties><property name=".." value=".." />...</properties>`, nothing when empty.
fn write_properties(writer: &mut Writer<Vec<u8>>, properties: &[(String, String)]) -> io::Result<()> {
    if properties.is_empty() {
        return Ok(());
    }
    start(writer, "properties", &[])?;
    for (name, value) in properties {
        empty(writer, "property", &[("name", name), ("value", value)])?;
    }
    writer.write_event(XmlEvent::End(BytesEnd::new("properties")))
}

fn text_element(writer: &mut Writer<Vec<u8>>, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
    if text.is_empty() {
        return empty(writer, name, attrs);
    }
    start(writer, name, attrs)?;
    let escaped = escape_text(&bin_xml_escape(text));
    writer.write_event(XmlEvent::Text(BytesText::from_escaped(escaped)))?;
    writer.write_event(XmlEvent::End(BytesEnd::new(name)))
}

/// The tag's content, attributes escaped as ElementTree does (quick-xml would also escape `'`).
fn tag_content(name: &str, attrs: &[(&str, &str)]) -> String {
    let mut content = name.to_string();
    for (key, value) in attrs {
        content += &format!(" {key}=\"{}\"", escape_attribute(value));
    }
    content
}

fn start(writer: &mut Writer<Vec<u8>>, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    writer.write_event(XmlEvent::Start(BytesStart::from_content(tag_content(name, attrs), name.len())))
}

/// ElementTree writes empty elements as `<tag a="b" />`, with a space before the slash.
fn empty(writer: &mut Writer<Vec<u8>>, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    let content = tag_content(name, attrs) + " ";
    writer.write_event(XmlEvent::Empty(BytesStart::from_content(content, name.len())))
}

/// ElementTree's `_escape_cdata`.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// ElementTree's `_escape_attrib`, which also keeps newlines and tabs as character references.
fn escape_attribute(value: &str) -> String {
    escape_text(value).replace('"', "&quot;").replace('\r', "&#13;").replace('\n', "&#10;").replace('\t', "&#09;")
}

/// `bin_xml_escape`: characters XML cannot hold become a visible `#xNN`.
fn bin_xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        let o = c as u32;
        let legal = matches!(o, 0x9 | 0xA | 0xD | 0x20..=0x7E | 0x80..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
        if legal {
            escaped.push(c);
        } else if o <= 0xFF {
            escaped += &format!("#x{o:02X}");
        } else {
            escaped += &format!("#x{o:04X}");
        }
    }
    escaped
}

/// `shorten_message`: keep whole lines within the budget and point to the element text.
fn shorten_message(msg: &str) -> String {
    let lines: Vec<&str> = if msg.is_empty() { vec![""] } else { msg.lines().collect() };
    let mut kept: Vec<&str> = Vec::new();
    let mut size = 0;
    for line in &lines {
        let len = line.chars().count();
        if !kept.is_empty() && size + len + 1 > MESSAGE_ATTR_BUDGET {
            break;
        }
        kept.push(line);
        size += len + 1;
    }
    let mut shortened = kept.join("\n");
    let first_line_cut = shortened.chars().count() > MESSAGE_ATTR_BUDGET;
    if first_line_cut {
        shortened = shortened.chars().take(MESSAGE_ATTR_BUDGET).collect::<String>() + "...";
    }
    let remaining = lines.len() - kept.len();
    let note = if remaining > 0 {
        format!("+{remaining} more line{}", if remaining > 1 { "s" } else { "" })
    } else if first_line_cut {
        "truncated".to_string()
    } else {
        return msg.to_string();
    };
    format!("{shortened}\n[{note}; full report in element text]")
}

/// `mangle_test_address`: `tests/test_a.py::TestX::test_y[1]` → `["tests.test_a", "TestX", "test_y[1]"]`.
fn mangle_test_address(nodeid: &str) -> Vec<String> {
    let (path, rest) = nodeid.split_once("::").unwrap_or((nodeid, ""));
    let dotted = path.replace('/', ".");
    let mut names = vec![dotted.strip_suffix(".py").unwrap_or(&dotted).to_string()];
    if rest.is_empty() {
        return names;
    }
    // Parameter IDs may hold `::`, so split only the part before the brackets.
    let (plain, params) = rest.split_at(rest.find('[').unwrap_or(rest.len()));
    names.extend(plain.split("::").map(str::to_string));
    if let Some(last) = names.last_mut() {
        last.push_str(params);
    }
    names
}

/// `platform.node()`, read from the kernel or the environment.
fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default()
}

/// pytest's `datetime.now(timezone.utc).astimezone().isoformat()`: local time with its
/// offset, `2024-05-01T14:00:00.123456+02:00`.
fn local_timestamp_now() -> String {
    let now = jiff::Zoned::now();
    let offset = now.offset().seconds();
    format_timestamp(&now.datetime(), offset)
}

fn format_timestamp(time: &jiff::civil::DateTime, offset_seconds: i32) -> String {
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let offset = offset_seconds.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}{sign}{:02}:{:02}",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.subsec_nanosecond() / 1000,
        offset / 3600,
        offset % 3600 / 60
    )
}

/// Python's `repr` of a str: single quotes unless only double quotes avoid escaping.
fn python_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut repr = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => repr.push_str("\\\\"),
            '\n' => repr.push_str("\\n"),
            '\r' => repr.push_str("\\r"),
            '\t' => repr.push_str("\\t"),
            c if c == quote => {
                repr.push('\\');
                repr.push(c);
            }
            c => repr.push(c),
        }
    }
    repr.push(quote);
    repr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_mangle_like_pytest() {
        assert_eq!(mangle_test_address("tests/test_a.py::TestX::test_y"), ["tests.test_a", "TestX", "test_y"]);
        assert_eq!(mangle_test_address("test_p.py::test_x[a::b]"), ["test_p", "test_x[a::b]"]);
        assert_eq!(mangle_test_address("test_bad.py"), ["test_bad"]);
    }

    #[test]
    fn long_messages_are_shortened() {
        let many: String = (0..200).map(|i| format!("line {i}\n")).collect();
        let short = shorten_message(many.trim_end());
        assert!(short.ends_with("\n[+137 more lines; full report in element text]"), "{short}");
        let long = "x".repeat(600);
        assert!(shorten_message(&long).ends_with("...\n[truncated; full report in element text]"));
        assert_eq!(shorten_message("a\nb"), "a\nb");
    }

    #[test]
    fn illegal_characters_are_made_visible() {
        assert_eq!(bin_xml_escape("a\x07b\u{FFFE}"), "a#x07b#xFFFE");
    }

    #[test]
    fn timestamps_are_isoformat_with_the_offset() {
        let time = jiff::civil::date(2024, 5, 1).at(12, 0, 0, 123_456_000);
        assert_eq!(format_timestamp(&time, 0), "2024-05-01T12:00:00.123456+00:00");
        assert_eq!(format_timestamp(&time, -5 * 3600 - 30 * 60), "2024-05-01T12:00:00.123456-05:30");
    }
}
