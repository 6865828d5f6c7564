//! pytest's reports, as consumers of [`ferrotest_events::Event`]s.
//!
//! [`TerminalReporter`] writes what pytest writes to the terminal (header, progress lines with
//! `[ NN%]`, `-v` lines, FAILURES/ERRORS sections, the short test summary and the final line);
//! [`JunitXmlReporter`] writes pytest's `--junitxml` file. Both only read events, so they work
//! the same whether tests ran in-process or in workers.
//!
//! ```
//! use ferrotest_events::{Event, ExitCode};
//! use ferrotest_report::{Reporter, TerminalOptions, TerminalReporter};
//! let mut out = Vec::new();
//! let mut reporter = TerminalReporter::new(&mut out, TerminalOptions::default());
//! reporter
//!     .handle(&Event::SessionFinish { exit_code: ExitCode::NoTestsCollected, duration: 0.01, interruption: None })
//!     .unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("no tests ran in 0.01s"));
//! ```

mod junit;
mod stats;
mod summary;
mod terminal;

use ferrotest_events::Event;

pub use junit::{JunitOptions, JunitXmlReporter};
pub use stats::StatsRecorder;
pub use terminal::{DurationsOptions, ProgressStyle, TerminalOptions, TerminalReporter, TracebackStyle};

/// Anything that consumes a session's events.
pub trait Reporter {
    fn handle(&mut self, event: &Event) -> std::io::Result<()>;
}
