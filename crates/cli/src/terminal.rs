//! What pytest asks of the terminal: its width and whether to use colour, and where the
//! terminal reporter writes.

use std::fs::File;
use std::io::{IsTerminal, LineWriter, Write};
use std::os::fd::AsFd;

/// The terminal reporter's own descriptor for the process's stdout, as pytest's terminal
/// writer keeps the stream it started with: the Python side can then keep fd 1 on its capture
/// file through a whole run of tests instead of giving it back around every report.
pub fn stdout() -> Box<dyn Write> {
    match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(LineWriter::new(File::from(fd))),
        Err(_) => Box::new(std::io::stdout()),
    }
}

/// pytest's width: `COLUMNS` when set (shutil.get_terminal_size), else the terminal's, else 80.
pub fn width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<usize>().ok()).filter(|&c| c > 0) {
        return columns;
    }
    match terminal_size::terminal_size() {
        Some((terminal_size::Width(w), _)) if w > 0 => usize::from(w),
        _ => 80,
    }
}

/// pytest's `--color` with its environment overrides (`PY_COLORS`, `NO_COLOR`, `FORCE_COLOR`).
pub fn use_color(option: &str) -> bool {
    match option {
        "yes" => return true,
        "no" => return false,
        _ => {}
    }
    match std::env::var("PY_COLORS").as_deref() {
        Ok("1") => return true,
        Ok("0") => return false,
        _ => {}
    }
    if std::env::var_os("NO_COLOR").is_some() {
        return false;
    }
    if std::env::var_os("FORCE_COLOR").is_some() {
        return true;
    }
    std::io::stdout().is_terminal() && std::env::var("TERM").as_deref() != Ok("dumb")
}

/// pytest's `running_on_ci()`: on CI, short-summary lines are not cut to the terminal width.
pub fn running_on_ci() -> bool {
    ["CI", "BUILD_NUMBER"].iter().any(|name| std::env::var_os(name).is_some())
}
