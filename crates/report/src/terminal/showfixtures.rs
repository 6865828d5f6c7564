//! `--fixtures`: pytest's `_showfixtures_main` listing of every fixture definition.

use std::io::{self, Write};

use ferrotest_events::AvailableFixture;

use super::writer::Style;
use super::TerminalReporter;

impl<W: Write> TerminalReporter<W> {
    /// Sorted as pytest sorts `(len(baseid), module, location, name)`, so builtins come first,
    /// then conftests, then test modules. A `fixtures defined from <module>` rule starts each
    /// module outside `_pytest`; pytest's own modules get none (and do not count as the
    /// current module, as in pytest). Names starting with `_` need `-v`.
    pub(super) fn show_fixtures(&mut self, fixtures: &[AvailableFixture]) -> io::Result<()> {
        let mut sorted: Vec<&AvailableFixture> = fixtures.iter().collect();
        sorted.sort_by(|a, b| {
            (a.baseid.len(), &a.module, &a.location, &a.name).cmp(&(b.baseid.len(), &b.module, &b.location, &b.name))
        });
        let mut current_module: Option<&str> = None;
        for fixture in sorted {
            if current_module != Some(fixture.module.as_str()) && !fixture.module.starts_with("_pytest.") {
                self.tw.line("", &[])?;
                self.tw.sep('-', Some(&format!("fixtures defined from {}", fixture.module)), None, &[])?;
                current_module = Some(&fixture.module);
            }
            if self.verbosity() <= 0 && fixture.name.starts_with('_') {
                continue;
            }
            self.write_available_fixture(fixture)?;
        }
        self.tw.flush()
    }

    /// `name [scope scope] -- location`, then the docstring indented (its first paragraph
    /// unless `-v`).
    fn write_available_fixture(&mut self, fixture: &AvailableFixture) -> io::Result<()> {
        self.tw.write(&fixture.name, &[Style::Green])?;
        if fixture.scope != "function" {
            self.tw.write(&format!(" [{} scope]", fixture.scope), &[Style::Cyan])?;
        }
        self.tw.write(&format!(" -- {}", fixture.location), &[Style::Yellow])?;
        self.tw.write("\n", &[])?;
        match fixture.doc.as_deref().filter(|doc| !doc.is_empty()) {
            Some(doc) => {
                let shown = if self.verbosity() <= 0 { doc.split("\n\n").next().unwrap_or(doc) } else { doc };
                for line in shown.split('\n') {
                    self.tw.line(&format!("    {line}"), &[])?;
                }
            }
            None => self.tw.line("    no docstring available", &[Style::Red])?,
        }
        self.tw.line("", &[])
    }
}
