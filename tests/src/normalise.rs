//! Makes a runner's terminal output comparable across runs, machines and runners by
//! replacing what legitimately varies: timings, the session header's environment lines,
//! temporary paths and the memory addresses in default reprs. Everything else is kept byte
//! for byte, line endings included.

use std::path::Path;

/// Applies every rule below. `root` is the project directory the runner was started in;
/// it becomes `<ROOT>`, so copies of one project in different tempdirs compare equal.
pub fn output(text: &str, root: &Path) -> String {
    let text = text.replace(&*root.to_string_lossy(), "<ROOT>");
    let text = pytest_tmp_paths(&text, &std::env::temp_dir().to_string_lossy());
    let text = collection_error_bodies(&text);
    let text = runner_frames(&text);
    text.split_inclusive('\n')
        .filter_map(|line| {
            let (body, end) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            header_line(body).map(|body| object_addresses(&phase_duration(&durations(&body))) + end)
        })
        .collect()
}

/// The session header's machine-specific lines: `platform ...` (Python, pytest and pluggy
/// versions) becomes `platform <PLATFORM>`; `plugins:` and `cachedir:` lines are dropped,
/// since they depend on what is installed and on the cache plugin, not on the project.
pub fn header_line(line: &str) -> Option<String> {
    if line.starts_with("platform ") {
        Some("platform <PLATFORM>".to_owned())
    } else if line.starts_with("plugins: ") || line.starts_with("cachedir: ") {
        None
    } else {
        Some(line.to_owned())
    }
}

/// Keeps only the header and the `E   ` lines of each `ERROR collecting` block. Above those
/// lines pytest shows frames of its own import machinery (`_pytest/python.py`, importlib
/// internals), which another runner has no reason to reproduce; the exception is what the
/// user needs, and it must match.
pub fn collection_error_bodies(text: &str) -> String {
    let mut in_block = false;
    text.split_inclusive('\n')
        .filter(|line| {
            if line.starts_with('_') && line.contains(" ERROR collecting ") {
                in_block = true;
                return true;
            }
            if in_block && (line.starts_with('_') || line.starts_with('=')) {
                in_block = false;
            }
            !in_block || line.starts_with("E ")
        })
        .collect()
}

/// pytest's traceback entry separator at 80 columns.
const ENTRY_SEPARATOR: &str = "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ";

/// Drops the frames of pytest's own runner (`_pytest/`, `pluggy/`) from tracebacks, which
/// `--tb=native` and `--full-trace` show and another runner has no reason to reproduce:
/// native `File "..."` lines with the source lines below them, and long entries (up to their
/// `_ _ _` separator) whose location line names such a file.
pub fn runner_frames(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut native_frame_depth = None;
    for line in text.split_inclusive('\n') {
        let depth = line.len() - line.trim_start_matches([' ', '|']).len();
        if native_frame_depth.is_some_and(|frame_depth| depth > frame_depth && !is_native_frame(line)) {
            continue;
        }
        native_frame_depth = None;
        if is_native_frame(line) && is_runner_path(line) {
            native_frame_depth = Some(depth);
        } else if line.trim_end_matches('\n') == ENTRY_SEPARATOR && long_entry_is_runner(&kept) {
            let start = kept.iter().rposition(|line| is_entry_boundary(line)).map_or(0, |at| at + 1);
            kept.truncate(start);
        } else {
            kept.push(line);
        }
    }
    kept.concat()
}

fn is_native_frame(line: &str) -> bool {
    line.trim_start_matches([' ', '|']).starts_with("File \"")
}

fn is_runner_path(line: &str) -> bool {
    line.contains("/_pytest/") || line.contains("/pluggy/")
}

/// Whether the long entry ending at the end of `lines` is located (`path:line: ...`) in a
/// runner file.
fn long_entry_is_runner(lines: &[&str]) -> bool {
    let location = lines.iter().rev().find(|line| !line.trim().is_empty());
    location.is_some_and(|line| !line.starts_with(' ') && line.contains(".py:") && is_runner_path(line))
}

/// What comes before a failure's first long entry: the section's headline, a separator, a
/// chained exception's sentence.
fn is_entry_boundary(line: &str) -> bool {
    let line = line.trim_end_matches('\n');
    line == ENTRY_SEPARATOR
        || line.starts_with("___")
        || line.starts_with("The above exception was the direct cause")
        || line.starts_with("During handling of the above exception")
}

/// Replaces every ` in 0.12s` (and pytest's long form ` in 61.23s (0:01:01)`) with
/// ` in <DURATION>`.
pub fn durations(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(" in ") {
        let after = &rest[at + 4..];
        match duration_len(after) {
            Some(len) => {
                out.push_str(&rest[..at]);
                out.push_str(" in <DURATION>");
                rest = &after[len..];
            }
            None => {
                out.push_str(&rest[..at + 4]);
                rest = after;
            }
        }
    }
    out + rest
}

/// `--durations` lines, `0.31s call     test_a.py::test_x`: the time becomes `<DURATION>`.
pub fn phase_duration(line: &str) -> String {
    let Some((time, rest)) = line.split_once("s ") else { return line.to_string() };
    let is_phase = ["setup    ", "call     ", "teardown "].iter().any(|when| rest.starts_with(when));
    match time.split_once('.') {
        Some((whole, fraction))
            if is_phase
                && !whole.is_empty()
                && fraction.len() == 2
                && (whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit()) =>
        {
            format!("<DURATION> {rest}")
        }
        _ => line.to_string(),
    }
}

/// Replaces the address in Python's default repr (`<x.Y object at 0x7f3a...>`), which
/// tracebacks show for arguments, with `0x<ADDRESS>`.
pub fn object_addresses(line: &str) -> String {
    const MARKER: &str = " object at 0x";
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(MARKER) {
        let after = &rest[at + MARKER.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(&rest[..at + MARKER.len()]);
        if digits > 0 {
            out.push_str("<ADDRESS>");
        }
        rest = &after[digits..];
    }
    out + rest
}

/// The length of a duration such as `0.12s` or `61.23s (0:01:01)` at the start of `s`.
fn duration_len(s: &str) -> Option<usize> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let whole = digits(s);
    let fraction = digits(s.get(whole + 1..)?);
    if whole == 0 || fraction == 0 || !s[whole..].starts_with('.') {
        return None;
    }
    let mut len = whole + 1 + fraction;
    if !s[len..].starts_with('s') {
        return None;
    }
    len += 1;
    if let Some(clock) = s[len..].strip_prefix(" (") {
        if let Some(close) = clock.find(')') {
            if close > 0 && clock[..close].bytes().all(|b| b.is_ascii_digit() || b == b':') {
                len += 2 + close + 1;
            }
        }
    }
    Some(len)
}

/// Replaces pytest's per-session base temp dir (`<tmp>/pytest-of-<user>/pytest-<N>`, where
/// `tmp_path` lives) with `<PYTEST_TMP>`; `tmp` is the system temp dir.
pub fn pytest_tmp_paths(text: &str, tmp: &str) -> String {
    let marker = format!("{}/pytest-of-", tmp.trim_end_matches('/'));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&marker) {
        let after = &rest[at + marker.len()..];
        let user_len = after.find('/').unwrap_or(after.len());
        let session = &after[user_len..];
        let numbered = session
            .strip_prefix("/pytest-")
            .map(|n| n.bytes().take_while(u8::is_ascii_digit).count())
            .filter(|&n| n > 0);
        match numbered {
            Some(n) => {
                out.push_str(&rest[..at]);
                out.push_str("<PYTEST_TMP>");
                rest = &session["/pytest-".len() + n..];
            }
            None => {
                out.push_str(&rest[..at + marker.len()]);
                rest = after;
            }
        }
    }
    out + rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_errors_keep_header_and_exception_lines() {
        let text = "== ERRORS ==\n\
                    ___ ERROR collecting test_a.py ___\n\
                    /venv/_pytest/python.py:528: in importtestmodule\n\
                    \x20   mod = import_path(\n\
                    E     File \"test_a.py\", line 1\n\
                    E   SyntaxError: invalid syntax\n\
                    == short test summary info ==\n\
                    ERROR test_a.py\n";
        assert_eq!(
            collection_error_bodies(text),
            "== ERRORS ==\n___ ERROR collecting test_a.py ___\nE     File \"test_a.py\", line 1\n\
             E   SyntaxError: invalid syntax\n== short test summary info ==\nERROR test_a.py\n"
        );
    }

    #[test]
    fn durations_short_and_long() {
        assert_eq!(
            durations("===== 1 failed, 2 passed in 0.12s ====="),
            "===== 1 failed, 2 passed in <DURATION> ====="
        );
        assert_eq!(durations("3 tests collected in 61.23s (0:01:01)"), "3 tests collected in <DURATION>");
        assert_eq!(durations("assert x in 5s"), "assert x in 5s");
        assert_eq!(durations("no tests ran in 1.5"), "no tests ran in 1.5");
    }

    #[test]
    fn phase_durations_keep_phase_and_node_id() {
        assert_eq!(phase_duration("0.31s call     test_a.py::test_x"), "<DURATION> call     test_a.py::test_x");
        assert_eq!(phase_duration("12.05s teardown test_a.py::test_x"), "<DURATION> teardown test_a.py::test_x");
        assert_eq!(phase_duration("(3 durations < 0.005s hidden.)"), "(3 durations < 0.005s hidden.)");
        assert_eq!(phase_duration("0.3s call x"), "0.3s call x");
    }

    #[test]
    fn runner_frames_of_native_and_long_tracebacks_are_dropped() {
        let native = "Traceback (most recent call last):\n\
                      \x20 File \"/venv/_pytest/runner.py\", line 3, in from_call\n\
                      \x20   result = func()\n\
                      \x20            ^^^^^^\n\
                      \x20 File \"/p/test_a.py\", line 2, in test_x\n\
                      \x20   raise ValueError\n\
                      ValueError\n";
        assert_eq!(
            runner_frames(native),
            "Traceback (most recent call last):\n  File \"/p/test_a.py\", line 2, in test_x\n    raise ValueError\nValueError\n"
        );
        let long = format!(
            "___ test_x ___\n\nself = <x>\n\n>   func()\n\n/venv/pluggy/_hooks.py:9: \n{ENTRY_SEPARATOR}\n\n\
             >   raise ValueError\nE   ValueError\n\ntest_a.py:2: ValueError\n"
        );
        assert_eq!(
            runner_frames(&long),
            "___ test_x ___\n\n>   raise ValueError\nE   ValueError\n\ntest_a.py:2: ValueError\n"
        );
    }

    #[test]
    fn header_root_and_tmp_paths() {
        let text = "platform linux -- Python 3.11.7, pytest-9.2.0, pluggy-1.6.0\n\
                    cachedir: .pytest_cache\n\
                    rootdir: /tmp/e2e-x/pytest\n\
                    plugins: xdist-3.0\n\
                    /tmp/e2e-x/pytest/test_a.py:1: warning\n\
                    1 passed in 0.01s";
        assert_eq!(
            output(text, Path::new("/tmp/e2e-x/pytest")),
            "platform <PLATFORM>\nrootdir: <ROOT>\n<ROOT>/test_a.py:1: warning\n1 passed in <DURATION>"
        );
    }

    #[test]
    fn object_addresses_are_masked() {
        assert_eq!(
            object_addresses("subtests = <_pytest.subtests.Subtests object at 0x7f6f6ad457d0>"),
            "subtests = <_pytest.subtests.Subtests object at 0x<ADDRESS>>"
        );
        assert_eq!(object_addresses("an object at 0xzz"), "an object at 0xzz");
    }

    #[test]
    fn pytest_tmp_path() {
        assert_eq!(
            pytest_tmp_paths("E  /tmp/pytest-of-root/pytest-12/test_x0/f.txt", "/tmp/"),
            "E  <PYTEST_TMP>/test_x0/f.txt"
        );
        assert_eq!(pytest_tmp_paths("/tmp/pytest-of-root/other", "/tmp"), "/tmp/pytest-of-root/other");
    }
}
