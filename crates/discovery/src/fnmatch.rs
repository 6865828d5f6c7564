//! Python's `fnmatch.fnmatch` on POSIX (case-sensitive): `*`, `?`, `[seq]` and `[!seq]`,
//! where `*` also matches `/`.

pub(crate) fn fnmatch(name: &str, pattern: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    matches(&name, &pattern)
}

/// Whether `pattern` contains glob magic (`glob.has_magic`).
pub(crate) fn has_magic(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

fn matches(name: &[char], pattern: &[char]) -> bool {
    // Iterative matching with a single backtrack point for the last `*`.
    let (mut n, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some('?') => {
                n += 1;
                p += 1;
                continue;
            }
            Some('[') => {
                if let Some((matched, next)) = bracket(&pattern[p..], name[n]) {
                    if matched {
                        n += 1;
                        p += next;
                        continue;
                    }
                } else if name[n] == '[' {
                    // An unclosed `[` is a literal, as in Python.
                    n += 1;
                    p += 1;
                    continue;
                }
            }
            Some(&c) if c == name[n] => {
                n += 1;
                p += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((star_p, star_n)) => {
                star = Some((star_p, star_n + 1));
                p = star_p + 1;
                n = star_n + 1;
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Match `c` against the bracket expression at the start of `pattern`; returns whether it
/// matched and the length of the expression, or `None` if the bracket is unclosed.
fn bracket(pattern: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pattern.get(i), Some('!'));
    if negate {
        i += 1;
    }
    // A `]` right after `[` or `[!` is a literal member.
    let start = i;
    let mut matched = false;
    loop {
        let &first = pattern.get(i)?;
        if first == ']' && i > start {
            return Some((matched != negate, i + 1));
        }
        if pattern.get(i + 1) == Some(&'-') && pattern.get(i + 2).is_some_and(|&last| last != ']') {
            let last = pattern[i + 2];
            matched |= first <= c && c <= last;
            i += 3;
        } else {
            matched |= first == c;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn python_semantics() {
        assert!(fnmatch("test_a.py", "test_*.py"));
        assert!(fnmatch("a/b/test_a.py", "*test_*.py"));
        assert!(!fnmatch("atest_a.py", "test_*.py"));
        assert!(fnmatch("x.egg", "*.egg"));
        assert!(fnmatch(".git", ".*"));
        assert!(fnmatch("{arch}", "{arch}"));
        assert!(fnmatch("b", "[abc]"));
        assert!(!fnmatch("b", "[!abc]"));
        assert!(fnmatch("m", "[a-z]"));
        assert!(fnmatch("[x", "[x"));
        assert!(fnmatch("test_a", "test_?"));
        assert!(!fnmatch("Test", "test"));
    }
}
