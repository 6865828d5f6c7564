//! `--setup-show`'s lines (`_pytest/setuponly.py` and `runner.show_test_item`). pytest writes
//! them straight to the terminal, around its reporter: each starts a line of its own and
//! leaves it open, and the reporter's idea of the current line is not touched, so a `-v`
//! word or a progress letter lands after them.

use std::io::{self, Write};

use ferrotest_events::FixtureAction;

use super::TerminalReporter;

/// pytest's scopes, widest first: the indent is two spaces per step below `session`.
const SCOPES: [&str; 5] = ["session", "package", "module", "class", "function"];

impl<W: Write> TerminalReporter<W> {
    /// `_show_fixture_action`: `SETUP    S name (fixtures used: a, b)[param]`, indented by
    /// scope; a teardown never lists what the fixture used.
    pub(super) fn show_fixture_action(&mut self, msg: &str, fixture: &FixtureAction) -> io::Result<()> {
        if !self.options.setup_show {
            return Ok(());
        }
        let indent = SCOPES.iter().position(|scope| *scope == fixture.scope).unwrap_or(SCOPES.len() - 1);
        let letter = fixture.scope.chars().next().unwrap_or('F').to_ascii_uppercase();
        let mut text = format!("{}{msg:<8} {letter} {}", "  ".repeat(indent), fixture.name);
        if msg == "SETUP" && !fixture.deps.is_empty() {
            text += &format!(" (fixtures used: {})", fixture.deps.join(", "));
        }
        if let Some(param) = &fixture.param {
            text += &format!("[{param}]");
        }
        self.write_own_line(&text)
    }

    /// `show_test_item`: the test and its fixtures; the space leaves room for the outcome,
    /// which `--setup-only` never prints.
    pub(super) fn show_test_item(&mut self, nodeid: &str, fixturenames: &[String]) -> io::Result<()> {
        if !self.options.setup_show {
            return Ok(());
        }
        let mut text = format!("        {nodeid}");
        if !fixturenames.is_empty() {
            text += &format!(" (fixtures used: {})", fixturenames.join(", "));
        }
        if !self.options.setup_only {
            text.push(' ');
        }
        self.write_own_line(&text)
    }

    fn write_own_line(&mut self, text: &str) -> io::Result<()> {
        self.tw.line("", &[])?;
        self.tw.write(text, &[])?;
        self.tw.flush()
    }
}
