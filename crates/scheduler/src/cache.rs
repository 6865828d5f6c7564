//! pytest's cache directory (`_pytest/cacheprovider.py`): `.pytest_cache/v/cache/*` values
//! written as `json.dumps(value, ensure_ascii=False, indent=2)`, plus the supporting files
//! pytest creates with the directory.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// The files pytest puts in a new cache directory (`CACHEDIR_FILES`).
pub const SUPPORTING_FILES: [(&str, &str); 3] = [
    (
        "README.md",
        "# pytest cache directory #\n\n\
This directory contains data from the pytest's cache plugin,\n\
which provides the `--lf` and `--ff` options, as well as the `cache` fixture.\n\n\
**Do not** commit this to version control.\n\n\
See [the docs](https://docs.pytest.org/en/stable/how-to/cache.html) for more information.\n",
    ),
    (".gitignore", "# Created by pytest automatically.\n*\n"),
    (
        "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by pytest.\n\
# For information about cache directory tags, see:\n\
#\thttps://bford.info/cachedir/spec.html\n",
    ),
];

/// The `lastfailed` key.
pub const LASTFAILED_KEY: &str = "cache/lastfailed";
/// The `nodeids` key (`--nf`).
pub const NODEIDS_KEY: &str = "cache/nodeids";
/// The `stepwise` key (`--sw`).
pub const STEPWISE_KEY: &str = "cache/stepwise";

/// A failure to write the cache: pytest turns it into a `PytestCacheWarning` with this text
/// and carries on.
#[derive(Debug, thiserror::Error)]
pub enum CacheWarning {
    #[error("could not create cache path {path}: {source}")]
    CreatePath { path: PathBuf, source: std::io::Error },
    #[error("cache could not write path {path}: {source}")]
    WritePath { path: PathBuf, source: std::io::Error },
}

/// A cache directory (`<rootdir>/.pytest_cache` unless the `cache_dir` ini option says
/// otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheDir {
    pub path: PathBuf,
}

impl CacheDir {
    /// pytest's `resolve_from_str(getini("cache_dir"), rootpath)`: `~` and `$VAR`/`${VAR}`
    /// expanded, then relative to the rootdir. `None` is the default `.pytest_cache`.
    pub fn from_ini(rootdir: &Path, cache_dir: Option<&str>) -> Self {
        let raw = cache_dir.unwrap_or(".pytest_cache");
        let expanded = expand_vars(&expand_user(raw));
        CacheDir { path: rootdir.join(expanded) }
    }

    /// `--cache-clear`: remove the `d` and `v` subdirectories (the supporting files stay).
    pub fn clear(&self) -> std::io::Result<()> {
        for prefix in ["d", "v"] {
            let dir = self.path.join(prefix);
            if dir.is_dir() {
                std::fs::remove_dir_all(&dir)?;
            }
        }
        Ok(())
    }

    fn value_path(&self, key: &str) -> PathBuf {
        self.path.join("v").join(key)
    }

    /// `Cache.get`: the parsed value, or `None` when missing or unreadable (pytest silently
    /// uses the default then).
    pub fn get(&self, key: &str) -> Option<Value> {
        let text = std::fs::read_to_string(self.value_path(key)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// `Cache.set` for already-formatted JSON text: creates the cache directory with its
    /// supporting files first.
    pub fn set_text(&self, key: &str, json: &str) -> Result<(), CacheWarning> {
        let path = self.value_path(key);
        let parent = path.parent().unwrap_or(&self.path).to_path_buf();
        self.ensure_dir()
            .and_then(|()| std::fs::create_dir_all(&parent))
            .map_err(|source| CacheWarning::CreatePath { path: path.clone(), source })?;
        std::fs::write(&path, json).map_err(|source| CacheWarning::WritePath { path, source })
    }

    /// `_make_cachedir`: fill a temporary sibling and rename it into place, so a concurrent
    /// run never sees a cache directory without its supporting files.
    fn ensure_dir(&self) -> std::io::Result<()> {
        if self.path.is_dir() {
            return Ok(());
        }
        let parent = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let staging = parent.join(format!("pytest-cache-files-{}", std::process::id()));
        std::fs::create_dir_all(&staging)?;
        let filled = SUPPORTING_FILES
            .iter()
            .try_for_each(|(name, content)| std::fs::write(staging.join(name), content))
            .and_then(|()| std::fs::rename(&staging, &self.path));
        // Losing the race to another run leaves its directory in place, which is fine.
        let _ = std::fs::remove_dir_all(&staging);
        match filled {
            Err(_) if self.path.is_dir() => Ok(()),
            other => other,
        }
    }
}

fn expand_user(path: &str) -> String {
    let home = std::env::var("HOME").ok();
    match (path.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => format!("{home}{rest}"),
        _ => path.to_string(),
    }
}

/// `os.path.expandvars`: `$NAME` and `${NAME}` of set variables; others stay as written.
fn expand_vars(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, consumed) = match after.strip_prefix('{') {
            Some(braced) => match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..len], len)
            }
        };
        match std::env::var(name) {
            Ok(value) if !name.is_empty() => out.push_str(&value),
            _ => out.push_str(&rest[dollar..dollar + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// Python's `json.dumps(value, ensure_ascii=False, indent=2)` for a JSON value.
pub fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0);
    out
}

fn write_json(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            write_container(out, depth, '[', ']', items.iter().map(|item| (None, item)));
        }
        Value::Object(map) if !map.is_empty() => {
            write_container(out, depth, '{', '}', map.iter().map(|(k, v)| (Some(k.as_str()), v)));
        }
        Value::String(text) => push_json_str(out, text),
        other => out.push_str(&other.to_string()),
    }
}

/// A JSON string as Python's `json.dumps(..., ensure_ascii=False)` writes it: quote, backslash
/// and control characters escaped (the usual short forms, else `\u00xx`), the rest as is.
fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    // Node IDs rarely hold anything to escape: one scan settles that. Without an early exit,
    // which is what lets the compiler make it a vector loop.
    let needs_escape = text.bytes().fold(false, |found, byte| found | (byte < 0x20) | (byte == b'"') | (byte == b'\\'));
    if !needs_escape {
        out.push_str(text);
        out.push('"');
        return;
    }
    // Escaped bytes are ASCII, so every slice boundary falls between characters.
    let mut clean_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0x00..=0x1f => None,
            _ => continue,
        };
        out.push_str(&text[clean_from..at]);
        clean_from = at + 1;
        match short {
            Some(short) => out.push_str(short),
            None => out.push_str(&format!("\\u{byte:04x}")),
        }
    }
    out.push_str(&text[clean_from..]);
    out.push('"');
}

/// `json.dumps` of a dict with these entries in this order (serde_json's map would sort them).
pub(crate) fn python_json_object<'a>(entries: impl Iterator<Item = (&'a str, &'a Value)>) -> String {
    let mut out = String::new();
    let mut entries = entries.peekable();
    if entries.peek().is_none() {
        out.push_str("{}");
    } else {
        write_container(&mut out, 0, '{', '}', entries.map(|(key, value)| (Some(key), value)));
    }
    out
}

fn write_container<'a>(
    out: &mut String,
    depth: usize,
    open: char,
    close: char,
    entries: impl Iterator<Item = (Option<&'a str>, &'a Value)>,
) {
    out.push(open);
    for (index, (key, value)) in entries.enumerate() {
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        push_indent(out, depth + 1);
        if let Some(key) = key {
            push_json_str(out, key);
            out.push_str(": ");
        }
        write_json(out, value, depth + 1);
    }
    out.push('\n');
    push_indent(out, depth);
    out.push(close);
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// `cache/lastfailed`: node ID -> value (always `true` when pytest wrote it), in insertion
/// order, which is the order pytest writes the keys in. Keyed, because a suite can hold tens
/// of thousands of failures and every report looks its test up.
#[derive(Debug, Clone, Default)]
pub struct LastFailed {
    /// FxHash: every test's report looks its node ID up.
    entries: FxHashMap<String, Entry>,
    /// The insertion rank the next new key gets.
    next_rank: u64,
}

/// One key's value and its insertion rank (a Python dict's order).
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    rank: u64,
    value: Value,
}

impl LastFailed {
    /// Read from the cache; a missing or corrupt file (or a value that is not an object)
    /// reads as empty, as pytest's `cache.get(..., {})` does.
    pub fn load(cache: &CacheDir) -> Self {
        std::fs::read_to_string(cache.value_path(LASTFAILED_KEY))
            .ok()
            .and_then(|text| serde_json::from_str::<LastFailed>(&text).ok())
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn contains(&self, nodeid: &str) -> bool {
        self.entries.contains_key(nodeid)
    }

    /// The node IDs in insertion order.
    pub fn nodeids(&self) -> impl Iterator<Item = &str> {
        self.ordered().into_iter().map(|(key, _)| key)
    }

    /// The set of node IDs, for repeated look-ups.
    pub fn nodeid_set(&self) -> HashSet<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// `dict[nodeid] = True`: a new key goes last, an existing one keeps its place.
    pub fn insert(&mut self, nodeid: &str) {
        self.set(nodeid.to_string(), Value::Bool(true));
    }

    fn set(&mut self, nodeid: String, value: Value) {
        match self.entries.get_mut(&nodeid) {
            Some(entry) => entry.value = value,
            None => {
                self.entries.insert(nodeid, Entry { rank: self.next_rank, value });
                self.next_rank += 1;
            }
        }
    }

    pub fn remove(&mut self, nodeid: &str) -> bool {
        self.entries.remove(nodeid).is_some()
    }

    /// `LFPlugin.pytest_runtest_logreport`: a passed call or any skip forgets the test, any
    /// failed phase records it; a passed setup or teardown changes nothing.
    pub fn record_test(&mut self, nodeid: &str, when: ferrotest_events::Phase, outcome: ferrotest_events::Outcome) {
        use ferrotest_events::{Outcome, Phase};
        match (when, outcome) {
            (Phase::Call, Outcome::Passed) | (_, Outcome::Skipped) => {
                self.remove(nodeid);
            }
            (_, Outcome::Failed) => self.insert(nodeid),
            (_, Outcome::Passed) => {}
        }
    }

    /// `LFPlugin.pytest_collectreport` for a collector that failed to collect.
    pub fn record_collect_error(&mut self, nodeid: &str) {
        self.insert(nodeid);
    }

    /// `LFPlugin.pytest_collectreport` for a collector that collected: if it had failed
    /// before, it is replaced by its direct children (which then count as failed until run).
    pub fn record_collected<'a>(&mut self, nodeid: &str, children: impl IntoIterator<Item = &'a str>) {
        if self.remove(nodeid) {
            for child in children {
                self.insert(child);
            }
        }
    }

    /// The file content pytest writes.
    pub fn to_json(&self) -> String {
        python_json_object(self.ordered().into_iter())
    }

    /// `LFPlugin.pytest_sessionfinish`: write only when the content changed.
    pub fn save(&self, cache: &CacheDir) -> Result<(), CacheWarning> {
        if LastFailed::load(cache) == *self {
            return Ok(());
        }
        cache.set_text(LASTFAILED_KEY, &self.to_json())
    }

    fn ordered(&self) -> Vec<(&str, &Value)> {
        let mut entries: Vec<(&String, &Entry)> = self.entries.iter().collect();
        entries.sort_unstable_by_key(|(_, entry)| entry.rank);
        entries.into_iter().map(|(key, entry)| (key.as_str(), &entry.value)).collect()
    }
}

/// Python dict equality, which ignores order.
impl PartialEq for LastFailed {
    fn eq(&self, other: &LastFailed) -> bool {
        self.entries.len() == other.entries.len()
            && self.entries.iter().all(|(key, entry)| other.entries.get(key).is_some_and(|o| o.value == entry.value))
    }
}

/// Read as Python's `json.load` reads an object: key order kept, and a repeated key keeps
/// its first place and its last value.
impl<'de> Deserialize<'de> for LastFailed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = LastFailed;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LastFailed, A::Error> {
                let mut last_failed = LastFailed::default();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    last_failed.set(key, value);
                }
                Ok(last_failed)
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// `cache/nodeids` (`NFPlugin`): every node ID seen in earlier runs, written sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeIds {
    /// FxHash: one look-up per planned test, and node IDs are not attacker-chosen keys.
    pub known: FxHashSet<String>,
}

impl NodeIds {
    /// A missing or corrupt file, or one that is not a list, reads as empty; non-string
    /// entries are skipped.
    pub fn load(cache: &CacheDir) -> Self {
        let known = std::fs::read_to_string(cache.value_path(NODEIDS_KEY))
            .ok()
            .and_then(|text| serde_json::from_str::<StringEntries>(&text).ok())
            .map_or_else(FxHashSet::default, |entries| entries.0);
        NodeIds { known }
    }

    /// `json.dumps(sorted(nodeids), indent=2)`, written straight from the sorted node IDs
    /// (no JSON value built per ID): the file holds every test of the suite.
    pub fn to_json(&self) -> String {
        let mut sorted: Vec<&str> = self.known.iter().map(String::as_str).collect();
        // Byte order of UTF-8 is code point order, which is how Python sorts `str`.
        sorted.sort_unstable();
        if sorted.is_empty() {
            return "[]".to_string();
        }
        // Each ID with its quotes, indent, comma and newline; escapes are rare.
        let size = sorted.iter().map(|nodeid| nodeid.len() + 6).sum::<usize>() + 2;
        let mut out = String::with_capacity(size);
        out.push('[');
        for (index, nodeid) in sorted.into_iter().enumerate() {
            out.push_str(if index == 0 { "\n  " } else { ",\n  " });
            push_json_str(&mut out, nodeid);
        }
        out.push_str("\n]");
        out
    }

    /// `NFPlugin.pytest_sessionfinish` writes every time (not with `--collect-only`).
    pub fn save(&self, cache: &CacheDir) -> Result<(), CacheWarning> {
        cache.set_text(NODEIDS_KEY, &self.to_json())
    }
}

/// The strings of a JSON list, read without building a JSON value for each; entries that
/// are not strings are skipped. Anything but a list at the top is an error, which
/// [`NodeIds::load`] reads as empty, as it does a corrupt file.
struct StringEntries(FxHashSet<String>);

impl<'de> Deserialize<'de> for StringEntries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = StringEntries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringEntries, A::Error> {
                let mut strings = FxHashSet::default();
                while let Some(StringEntry(entry)) = seq.next_element()? {
                    strings.extend(entry);
                }
                Ok(StringEntries(strings))
            }
        }
        deserializer.deserialize_seq(ListVisitor)
    }
}

/// One list entry: its text when it is a string, `None` for any other JSON value.
struct StringEntry(Option<String>);

impl<'de> Deserialize<'de> for StringEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = StringEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, text: &str) -> Result<StringEntry, E> {
                Ok(StringEntry(Some(text.to_string())))
            }
            fn visit_string<E>(self, text: String) -> Result<StringEntry, E> {
                Ok(StringEntry(Some(text)))
            }
            // Every other kind of JSON value, consumed and dropped.
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<StringEntry, A::Error> {
                IgnoredAny.visit_seq(seq).map(|_| StringEntry(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StringEntry, A::Error> {
                IgnoredAny.visit_map(map).map(|_| StringEntry(None))
            }
            fn visit_unit<E>(self) -> Result<StringEntry, E> {
                Ok(StringEntry(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<StringEntry, E> {
                Ok(StringEntry(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<StringEntry, E> {
                Ok(StringEntry(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<StringEntry, E> {
                Ok(StringEntry(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<StringEntry, E> {
                Ok(StringEntry(None))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

#[cfg(test)]
mod tests;
