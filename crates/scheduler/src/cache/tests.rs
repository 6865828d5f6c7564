use super::*;
use ferrotest_events::{Outcome, Phase};

fn cache() -> (tempfile::TempDir, CacheDir) {
    let dir = tempfile::tempdir().unwrap();
    let cache = CacheDir::from_ini(dir.path(), None);
    (dir, cache)
}

#[test]
fn default_and_configured_locations() {
    let root = Path::new("/r");
    assert_eq!(CacheDir::from_ini(root, None).path, Path::new("/r/.pytest_cache"));
    assert_eq!(CacheDir::from_ini(root, Some("build/cache")).path, Path::new("/r/build/cache"));
    assert_eq!(CacheDir::from_ini(root, Some("/abs")).path, Path::new("/abs"));
    assert_eq!(expand_vars("$FERROTEST_UNSET_VAR/x"), "$FERROTEST_UNSET_VAR/x");
}

/// Byte for byte what pytest 9.2 writes after `3 failed, 5 passed`.
#[test]
fn lastfailed_and_nodeids_files_match_pytest() {
    let (_dir, cache) = cache();
    let mut last_failed = LastFailed::default();
    for id in ["test_a.py::test_2", "test_a.py::test_4", "test_a.py::TestC::test_n"] {
        last_failed.record_test(id, Phase::Call, Outcome::Failed);
    }
    last_failed.save(&cache).unwrap();
    let written = std::fs::read_to_string(cache.path.join("v/cache/lastfailed")).unwrap();
    assert_eq!(
        written,
        "{\n  \"test_a.py::test_2\": true,\n  \"test_a.py::test_4\": true,\n  \"test_a.py::TestC::test_n\": true\n}"
    );
    assert_eq!(LastFailed::load(&cache), last_failed);

    let nodeids = NodeIds { known: ["b", "a::x", "A"].into_iter().map(String::from).collect() };
    nodeids.save(&cache).unwrap();
    let written = std::fs::read_to_string(cache.path.join("v/cache/nodeids")).unwrap();
    assert_eq!(written, "[\n  \"A\",\n  \"a::x\",\n  \"b\"\n]");
    assert_eq!(NodeIds::load(&cache), nodeids);
}

#[test]
fn new_cache_dir_has_pytest_supporting_files() {
    let (_dir, cache) = cache();
    cache.set_text("cache/x", "1").unwrap();
    let read = |name: &str| std::fs::read_to_string(cache.path.join(name)).unwrap();
    assert_eq!(read(".gitignore"), "# Created by pytest automatically.\n*\n");
    assert!(read("CACHEDIR.TAG").starts_with("Signature: 8a477f597d28d172789f06886806bc55\n"));
    assert!(read("CACHEDIR.TAG").ends_with("#\thttps://bford.info/cachedir/spec.html\n"));
    assert!(read("README.md").starts_with("# pytest cache directory #\n\nThis directory"));
    let leftovers: Vec<_> = std::fs::read_dir(cache.path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("pytest-cache-files-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn clear_removes_values_only() {
    let (_dir, cache) = cache();
    cache.set_text("cache/lastfailed", "{}").unwrap();
    std::fs::create_dir_all(cache.path.join("d/x")).unwrap();
    cache.clear().unwrap();
    assert!(!cache.path.join("v").exists());
    assert!(!cache.path.join("d").exists());
    assert!(cache.path.join("README.md").exists());
}

#[test]
fn corrupt_or_odd_files_read_as_empty() {
    let (_dir, cache) = cache();
    for content in ["{not json", "[1, 2]", "\u{feff}{}", ""] {
        cache.set_text(LASTFAILED_KEY, content).unwrap();
        cache.set_text(NODEIDS_KEY, content).unwrap();
        assert!(LastFailed::load(&cache).is_empty(), "{content}");
        assert!(NodeIds::load(&cache).known.is_empty() || content == "[1, 2]");
    }
}

/// What Python 3.11's `json.dumps(sorted(ids), ensure_ascii=False, indent=2)` prints.
#[test]
fn nodeids_are_escaped_and_sorted_as_python_does() {
    let ids = ["b\"q", "a\\x", "c\u{1}\u{1f}\u{7f}\u{8}\u{c}\n\r\t", "\u{2028}", "é€😀"];
    let nodeids = NodeIds { known: ids.into_iter().map(String::from).collect() };
    let expected =
        "[\n  \"a\\\\x\",\n  \"b\\\"q\",\n  \"c\\u0001\\u001f\u{7f}\\b\\f\\n\\r\\t\",\n  \"é€😀\",\n  \"\u{2028}\"\n]";
    assert_eq!(nodeids.to_json(), expected);
    assert_eq!(NodeIds::default().to_json(), "[]");
    let (_dir, cache) = cache();
    nodeids.save(&cache).unwrap();
    assert_eq!(NodeIds::load(&cache), nodeids);
}

#[test]
fn nodeids_keep_only_the_strings_of_a_list() {
    let (_dir, cache) = cache();
    cache.set_text(NODEIDS_KEY, r#"["b", 1, ["x"], {"k": "v"}, null, true, 2.5, "a", "b"]"#).unwrap();
    let mut loaded: Vec<String> = NodeIds::load(&cache).known.into_iter().collect();
    loaded.sort();
    assert_eq!(loaded, ["a", "b"]);
    for content in [r#"{"a": "b"}"#, r#""a""#, "null", r#"["a"] ["b"]"#] {
        cache.set_text(NODEIDS_KEY, content).unwrap();
        assert!(NodeIds::load(&cache).known.is_empty(), "{content}");
    }
}

#[test]
fn key_order_and_values_round_trip() {
    let (_dir, cache) = cache();
    cache.set_text(LASTFAILED_KEY, r#"{"z": true, "a": false, "z": 1}"#).unwrap();
    let loaded = LastFailed::load(&cache);
    assert_eq!(loaded.nodeids().collect::<Vec<_>>(), ["z", "a"]);
    assert_eq!(loaded.to_json(), "{\n  \"z\": 1,\n  \"a\": false\n}");
}

#[test]
fn unchanged_lastfailed_is_not_rewritten() {
    let (_dir, cache) = cache();
    LastFailed::default().save(&cache).unwrap();
    assert!(!cache.path.exists(), "an empty, absent lastfailed is not written");
    cache.set_text(LASTFAILED_KEY, "{\"b\": true, \"a\": true}").unwrap();
    let mut reordered = LastFailed::default();
    reordered.insert("a");
    reordered.insert("b");
    reordered.save(&cache).unwrap();
    let written = std::fs::read_to_string(cache.path.join("v/cache/lastfailed")).unwrap();
    assert_eq!(written, "{\"b\": true, \"a\": true}", "dict equality ignores order");
}

#[test]
fn report_semantics_follow_lfplugin() {
    let mut lf = LastFailed::default();
    lf.record_test("t", Phase::Setup, Outcome::Failed);
    lf.record_test("t", Phase::Setup, Outcome::Passed);
    assert!(lf.contains("t"), "a passed setup does not clear");
    lf.record_test("t", Phase::Call, Outcome::Passed);
    assert!(!lf.contains("t"));
    lf.record_test("t", Phase::Teardown, Outcome::Failed);
    lf.record_test("t", Phase::Setup, Outcome::Skipped);
    assert!(lf.is_empty(), "a skip clears");
    lf.record_collect_error("test_bad.py");
    lf.record_collected("test_bad.py", ["test_bad.py::test_a", "test_bad.py::TestX"]);
    assert_eq!(lf.nodeids().collect::<Vec<_>>(), ["test_bad.py::test_a", "test_bad.py::TestX"]);
    lf.record_collected("test_other.py", ["test_other.py::test_b"]);
    assert!(!lf.contains("test_other.py::test_b"), "only a collector that failed is replaced");
}

#[test]
fn python_json_formatting() {
    let value = serde_json::json!({"a": [1, {"b": null}], "c": {}, "d": [], "e": "é\n\"x\""});
    assert_eq!(
        python_json(&value),
        "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": \"é\\n\\\"x\\\"\"\n}"
    );
}
