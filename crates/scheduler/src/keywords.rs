//! What `-k` and `-m` match an item against (pytest's `KeywordMatcher` and `MarkMatcher`).

use std::collections::BTreeMap;

use ferrotest_discovery::{ModuleSpec, TestItem};
use serde::{Deserialize, Serialize};

use crate::expression::{Kwargs, MarkValue};

/// One mark applied to an item (`item.iter_markers()`): its name and keyword arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub name: String,
    pub kwargs: BTreeMap<String, MarkValue>,
}

impl Mark {
    pub fn new(name: &str) -> Self {
        Mark { name: name.to_string(), kwargs: BTreeMap::new() }
    }
}

/// The selection data of one item, filled by the executor from the live objects.
///
/// `names` is the set pytest's `KeywordMatcher.from_item` builds, in any order:
/// - the `name` of every node in `item.listchain()` except the `Session` and the rootdir's
///   `Dir`/`Package`: each directory below the rootdir, the module's file name
///   (`test_a.py`), each enclosing class, and the item's own name with its
///   parametrization id (`test_x[1-2]`);
/// - `item.listextrakeywords()` (plugins' `extra_keyword_matches` of the item and parents);
/// - the keys of `item.function.__dict__` that do not start with `_` and are not
///   `pytestmark` or `cache_parameters`;
/// - the name of every mark in `item.iter_markers()` (including `parametrize`,
///   `usefixtures`, class- and module-level marks).
///
/// `marks` is `item.iter_markers()` in order, with their keyword arguments (`-m` matches
/// mark names exactly and compares keyword arguments with `==`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemKeywords {
    pub names: Vec<String>,
    pub marks: Vec<Mark>,
}

/// `-k` with `name(arg=value)`: pytest's `KeywordMatcher` refuses call parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Keyword expressions do not support call parameters.")]
pub struct KeywordCallError;

impl ItemKeywords {
    /// The names known without running Python: the node names of the item's chain (no
    /// marks, function attributes or extra keywords). Used when the executor supplies none.
    pub fn from_static(module: &ModuleSpec, item: &TestItem) -> Self {
        let mut names: Vec<String> = module
            .nodeid
            .split('/')
            .filter(|part| !part.is_empty() && *part != "." && *part != "..")
            .map(str::to_string)
            .collect();
        names.extend(item.classes.iter().cloned());
        names.push(item_name(module, item).to_string());
        ItemKeywords { names, marks: Vec::new() }
    }

    /// pytest's `KeywordMatcher.__call__`: a case-insensitive substring of any name.
    pub fn matches_keyword(&self, subname: &str, kwargs: Option<&Kwargs>) -> Result<bool, KeywordCallError> {
        if kwargs.is_some() {
            return Err(KeywordCallError);
        }
        let subname = python_lower(subname);
        Ok(self.names.iter().any(|name| python_lower(name).contains(&subname)))
    }

    /// pytest's `MarkMatcher.__call__`: a mark with exactly this name whose keyword
    /// arguments include every given one with an equal value.
    pub fn matches_mark(&self, name: &str, kwargs: Option<&Kwargs>) -> bool {
        self.marks.iter().filter(|mark| mark.name == name).any(|mark| {
            kwargs
                .unwrap_or_default()
                .iter()
                .all(|(key, wanted)| mark.kwargs.get(key).is_some_and(|value| value.python_eq(wanted)))
        })
    }
}

/// The item's node name (with its parametrization id): its node ID after the module and
/// classes, which keeps a `::` inside the id intact.
fn item_name<'a>(module: &ModuleSpec, item: &'a TestItem) -> &'a str {
    let mut prefix = module.nodeid.clone();
    for class in item.classes.iter() {
        prefix.push_str("::");
        prefix.push_str(class);
    }
    prefix.push_str("::");
    item.nodeid.strip_prefix(prefix.as_str()).unwrap_or(&item.name)
}

/// Python's `str.lower()`; Rust's `to_lowercase` agrees except for the final-sigma rule,
/// which only matters for Greek words ending in `Σ`.
fn python_lower(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferrotest_discovery::{ItemKind, ModuleKind, Names};
    use std::path::PathBuf;

    fn module(nodeid: &str) -> ModuleSpec {
        ModuleSpec {
            path: PathBuf::from("/r").join(nodeid),
            nodeid: nodeid.to_string(),
            import_name: String::new(),
            sys_path_entry: PathBuf::from("/r"),
            kind: ModuleKind::Test,
        }
    }

    fn item(nodeid: &str, name: &str, classes: &[&str]) -> TestItem {
        TestItem {
            nodeid: nodeid.to_string(),
            name: name.into(),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            kind: ItemKind::Function,
            lineno: 0,
            argnames: Names::default(),
            is_async: false,
            ..TestItem::default()
        }
    }

    #[test]
    fn static_names_are_dirs_module_classes_and_item() {
        let module = module("tests/sub/test_x.py");
        let item = item("tests/sub/test_x.py::TestA::TestB::test_p[a::b]", "test_p", &["TestA", "TestB"]);
        let keywords = ItemKeywords::from_static(&module, &item);
        assert_eq!(keywords.names, ["tests", "sub", "test_x.py", "TestA", "TestB", "test_p[a::b]"]);
    }

    #[test]
    fn keyword_match_is_case_insensitive_substring() {
        let keywords = ItemKeywords { names: vec!["test_x.py".into(), "TestFoo".into()], marks: vec![] };
        assert_eq!(keywords.matches_keyword("testfoo", None), Ok(true));
        assert_eq!(keywords.matches_keyword("X.P", None), Ok(true));
        assert_eq!(keywords.matches_keyword("", None), Ok(true));
        assert_eq!(keywords.matches_keyword("bar", None), Ok(false));
        assert_eq!(keywords.matches_keyword("testfoo", Some(&[])), Err(KeywordCallError));
    }

    #[test]
    fn mark_match_is_exact_name_and_python_equal_kwargs() {
        let mut slow = Mark::new("slow");
        slow.kwargs.insert("level".into(), MarkValue::Int("1".into()));
        slow.kwargs.insert("why".into(), MarkValue::Str("io".into()));
        let keywords = ItemKeywords { names: vec![], marks: vec![Mark::new("fast"), slow] };
        assert!(keywords.matches_mark("slow", None));
        assert!(!keywords.matches_mark("Slow", None));
        assert!(!keywords.matches_mark("slo", None));
        let kw =
            |pairs: &[(&str, MarkValue)]| pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Vec<_>>();
        assert!(keywords.matches_mark("slow", Some(&kw(&[("level", MarkValue::Bool(true))]))));
        assert!(keywords.matches_mark(
            "slow",
            Some(&kw(&[("why", MarkValue::Str("io".into())), ("level", MarkValue::Int("1".into()))]))
        ));
        assert!(!keywords.matches_mark("slow", Some(&kw(&[("level", MarkValue::Str("1".into()))]))));
        assert!(!keywords.matches_mark("slow", Some(&kw(&[("other", MarkValue::None)]))));
        assert!(!keywords.matches_mark("fast", Some(&kw(&[("level", MarkValue::Int("1".into()))]))));
    }
}
