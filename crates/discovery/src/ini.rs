//! An ini parser with the semantics of Python's `iniconfig` (which pytest uses): `#`/`;`
//! comment lines, `key = value` or `key: value`, indented continuation lines, and no inline
//! comment stripping in values.

/// A parse failure at a 1-based line, with iniconfig's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniError {
    pub line: usize,
    pub message: String,
}

/// Sections in file order, each with its entries in file order.
pub(crate) type Sections = Vec<(String, Vec<(String, String)>)>;

enum Line<'a> {
    Blank,
    Section(&'a str),
    Entry(&'a str, &'a str),
    Continuation(&'a str),
}

pub(crate) fn parse(text: &str) -> Result<Sections, IniError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Sections = Vec::new();
    // Whether the last thing seen was an entry, which a continuation line extends.
    let mut last_was_entry = false;
    for (index, raw) in text.lines().enumerate() {
        let error = |message: String| IniError { line: index + 1, message };
        match classify(raw).map_err(error)? {
            Line::Blank => {}
            Line::Section(name) => {
                if name.is_empty() {
                    return Err(error("empty section name".to_string()));
                }
                if sections.iter().any(|(existing, _)| existing == name) {
                    return Err(error(format!("duplicate section {}", py_repr(name))));
                }
                sections.push((name.to_string(), Vec::new()));
                last_was_entry = false;
            }
            Line::Entry(key, value) => {
                let Some((_, entries)) = sections.last_mut() else {
                    return Err(error("no section header defined".to_string()));
                };
                if entries.iter().any(|(existing, _)| existing == key) {
                    return Err(error(format!("duplicate name {}", py_repr(key))));
                }
                entries.push((key.to_string(), value.to_string()));
                last_was_entry = true;
            }
            Line::Continuation(data) => {
                let entry = sections.last_mut().and_then(|(_, entries)| entries.last_mut());
                match entry {
                    Some((_, value)) if last_was_entry => {
                        // iniconfig joins the value's lines with "\n"; an empty first value
                        // contributes no line.
                        if !value.is_empty() {
                            value.push('\n');
                        }
                        value.push_str(data);
                    }
                    _ => return Err(error("unexpected value continuation".to_string())),
                }
            }
        }
    }
    Ok(sections)
}

fn classify(raw: &str) -> Result<Line<'_>, String> {
    if raw.trim_start().starts_with(['#', ';']) {
        return Ok(Line::Blank);
    }
    let line = raw.trim_end();
    if line.is_empty() {
        return Ok(Line::Blank);
    }
    if line.starts_with('[') {
        let head = line.split(['#', ';']).next().unwrap_or("").trim_end();
        return Ok(match head.strip_suffix(']') {
            Some(inner) => Line::Section(&inner[1..]),
            // A `[` line that is not a header is treated as a continuation by iniconfig.
            None => Line::Continuation(line.trim()),
        });
    }
    if line.starts_with(char::is_whitespace) {
        return Ok(Line::Continuation(line.trim()));
    }
    let split = match line.split_once('=') {
        Some((name, value)) if !name.contains(':') => Some((name, value)),
        _ => line.split_once(':'),
    };
    match split {
        Some((name, value)) => Ok(Line::Entry(name.trim(), value.trim())),
        None => Err(format!("unexpected line: {}", py_repr(line))),
    }
}

/// Python's `repr()` of a string, for iniconfig's messages.
pub(crate) fn py_repr(text: &str) -> String {
    if text.contains('\'') && !text.contains('"') {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_continuations_and_comments() {
        let sections = parse("# top\n[pytest]\naddopts = -q\n  -x\n; c\nmarkers:\n  slow\n  fast\nempty =\n").unwrap();
        assert_eq!(
            sections,
            vec![(
                "pytest".to_string(),
                vec![
                    ("addopts".to_string(), "-q\n-x".to_string()),
                    ("markers".to_string(), "slow\nfast".to_string()),
                    ("empty".to_string(), String::new()),
                ]
            )]
        );
    }

    #[test]
    fn errors_carry_one_based_lines() {
        assert_eq!(
            parse("[pytest]\nok = 1\nnot a pair\n").unwrap_err(),
            IniError { line: 3, message: "unexpected line: 'not a pair'".to_string() }
        );
        assert_eq!(parse("key = 1\n").unwrap_err().message, "no section header defined");
        assert_eq!(parse("  cont\n").unwrap_err().message, "unexpected value continuation");
        assert_eq!(parse("[a]\n[a]\n").unwrap_err().message, "duplicate section 'a'");
    }
}
