//! Walk cases, each checked against `pytest --collect-only -q` (9.2.0).

use super::*;
use crate::{load_config, ConfigRequest};

const TEST: &str = "def test_t(): pass\n";

use crate::test_project::Project;

impl Project {
    fn request(&self, cwd: &str, args: &[&str]) -> CollectRequest {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        CollectRequest::new(&self.root().join(cwd), &args)
    }

    fn collect(&self, request: &CollectRequest) -> Collection {
        let config = load_config(&ConfigRequest::new(&request.invocation_dir, &request.args)).unwrap();
        collect(&config, request)
    }

    fn nodeids(&self, cwd: &str, args: &[&str]) -> Vec<String> {
        self.collect(&self.request(cwd, args)).items().map(|i| i.nodeid.clone()).collect()
    }
}

fn layout() -> Project {
    Project::new(&[
        ("pytest.ini", "[pytest]\n"),
        ("conftest.py", ""),
        ("a_test.py", TEST),
        ("b/test_b.py", TEST),
        ("b/conftest.py", ""),
        ("b/zz/test_z.py", TEST),
        ("build/test_build.py", TEST),
        (".hidden/test_h.py", TEST),
        ("venvx/pyvenv.cfg", ""),
        ("venvx/test_v.py", TEST),
        ("pkg/__init__.py", ""),
        ("pkg/test_p.py", TEST),
        ("pkg/conftest.py", ""),
        ("pkg/sub/test_ps.py", TEST),
        ("test_c.py", TEST),
        ("tests/conftest.py", ""),
        ("tests/test_t.py", TEST),
        ("skipme/test_s.py", TEST),
        ("globbed/test_g.py", TEST),
        ("helper.py", TEST),
        ("__pycache__/test_cache.py", TEST),
        ("other_test.py", TEST),
    ])
}

#[test]
fn walk_order_and_skipped_directories() {
    let p = layout();
    let mut request = p.request("", &[]);
    request.ignore = vec![PathBuf::from("skipme")];
    request.ignore_glob = vec!["glob*".to_string(), "other_*".to_string()];
    let collection = p.collect(&request);
    let ids: Vec<&str> = collection.items().map(|i| i.nodeid.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "a_test.py::test_t",
            "b/test_b.py::test_t",
            "b/zz/test_z.py::test_t",
            "pkg/sub/test_ps.py::test_t",
            "pkg/test_p.py::test_t",
            "test_c.py::test_t",
            "tests/test_t.py::test_t",
        ]
    );
    // Initial conftests (the invocation dir and its test* subdirs) first, then as walked.
    let conftests: Vec<&str> = collection
        .modules
        .iter()
        .filter(|m| m.spec.kind == ModuleKind::Conftest)
        .map(|m| m.spec.nodeid.as_str())
        .collect();
    assert_eq!(conftests, vec!["conftest.py", "tests/conftest.py", "b/conftest.py", "pkg/conftest.py"]);
    let position = |id: &str| collection.modules.iter().position(|m| m.spec.nodeid == id).unwrap();
    assert!(position("b/conftest.py") < position("b/test_b.py"));
    assert!(position("pkg/conftest.py") < position("pkg/sub/test_ps.py"));
    let pkg = &collection.modules[position("pkg/sub/test_ps.py")].spec;
    assert_eq!((pkg.import_name.as_str(), &pkg.sys_path_entry), ("test_ps", &p.root().join("pkg/sub")));
    let pkg_conftest = &collection.modules[position("pkg/conftest.py")].spec;
    assert_eq!(pkg_conftest.import_name, "pkg.conftest");
}

#[test]
fn explicit_arguments_bypass_ignores() {
    let p = layout();
    assert_eq!(
        p.nodeids("", &["build/test_build.py", "venvx", "b/zz", "helper.py"]),
        vec!["build/test_build.py::test_t", "venvx/test_v.py::test_t", "b/zz/test_z.py::test_t", "helper.py::test_t"]
    );
}

#[test]
fn arguments_are_normalized_and_errors_reported() {
    let p = layout();
    let collection = p.collect(&p.request("", &["b", "b/test_b.py::test_t", "nope.py", "b/zz::x", "test_c.py[1]"]));
    let messages: Vec<&str> = collection.arg_errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "file or directory not found: nope.py",
            "directory argument cannot contain :: selection parts: b/zz::x",
            "path cannot contain [] parametrization: test_c.py[1]",
        ]
    );
    assert_eq!(collection.args.len(), 1);
    assert_eq!(collection.args[0].path, p.root().join("b"));
}

#[test]
fn parametrized_parts_keep_their_colons() {
    let p = layout();
    let collection = p.collect(&p.request("", &["test_c.py::test_t[a::b]"]));
    assert_eq!(collection.args[0].parts, vec!["test_t[a::b]"]);
    assert_eq!(collection.args[0].path, p.root().join("test_c.py"));
}

#[test]
fn testpaths_apply_only_from_the_rootdir() {
    let p = Project::new(&[
        ("pytest.ini", "[pytest]\ntestpaths = unit* missing\n"),
        ("unit_b/test_1.py", TEST),
        ("unit_a/test_2.py", TEST),
        ("other/test_3.py", TEST),
    ]);
    assert_eq!(p.nodeids("", &[]), vec!["unit_a/test_2.py::test_t", "unit_b/test_1.py::test_t"]);
    let collection = p.collect(&p.request("", &[]));
    let raws: Vec<&str> = collection.args.iter().map(|a| a.raw.as_str()).collect();
    assert_eq!(raws, vec!["unit_a", "unit_b"]);
    assert_eq!(p.nodeids("other", &[]), vec!["other/test_3.py::test_t"]);
}

#[test]
fn recursive_testpaths_glob() {
    let p = Project::new(&[
        ("pytest.ini", "[pytest]\ntestpaths = src/**/tests\n"),
        ("src/tests/test_1.py", TEST),
        ("src/a/tests/test_2.py", TEST),
        ("src/a/test_3.py", TEST),
    ]);
    assert_eq!(p.nodeids("", &[]), vec!["src/a/tests/test_2.py::test_t", "src/tests/test_1.py::test_t"]);
}

#[test]
fn python_files_with_a_slash_match_the_path() {
    let p = Project::new(&[
        ("pytest.ini", "[pytest]\npython_files = checks/*.py\n"),
        ("checks/one.py", TEST),
        ("other/two.py", TEST),
    ]);
    assert_eq!(p.nodeids("", &[]), vec!["checks/one.py::test_t"]);
}

#[test]
fn files_outside_the_rootdir_are_relative_to_their_argument() {
    let p = Project::new(&[("root/pytest.ini", "[pytest]\n"), ("other/sub/test_x.py", TEST)]);
    let request = p.request("root", &["../other"]);
    let mut config = load_config(&ConfigRequest::new(&request.invocation_dir, &request.args)).unwrap();
    config.rootdir = p.root().join("root");
    let ids: Vec<String> = collect(&config, &request).items().map(|i| i.nodeid.clone()).collect();
    assert_eq!(ids, vec!["sub/test_x.py::test_t"]);
}

#[test]
fn bad_inputs_do_not_panic() {
    let p = Project::new(&[("pytest.ini", "[pytest]\n"), ("loop/test_l.py", TEST), ("test_bin.py", "")]);
    fs::write(p.root().join("test_bin.py"), b"def test_a(): pass\n\xff\xfe\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(p.root().join("loop"), p.root().join("loop/again")).unwrap();
        std::os::unix::fs::symlink(p.root().join("missing"), p.root().join("dangling")).unwrap();
    }
    let collection = p.collect(&p.request("", &[]));
    let binary = collection.modules.iter().find(|m| m.spec.nodeid == "test_bin.py").unwrap();
    assert!(binary.needs_dynamic && binary.items.is_empty());
    let loops: Vec<&str> = collection.items().map(|i| i.nodeid.as_str()).collect();
    assert_eq!(loops, vec!["loop/test_l.py::test_t"]);
}

#[test]
fn collector_chain_matches_the_tree() {
    let p = Project::new(&[
        ("pytest.ini", "[pytest]\n"),
        ("tests/pkg/__init__.py", ""),
        (
            "tests/pkg/test_a.py",
            "import unittest\nclass TestO:\n    class Case(unittest.TestCase):\n        def test_u(self): pass\n",
        ),
    ]);
    let collection = p.collect(&p.request("", &[]));
    let module = collection.modules.iter().find(|m| m.spec.kind == ModuleKind::Test).unwrap();
    let chain = module.collector_chain(&p.root(), &module.items[0]);
    let rendered: Vec<String> = chain.iter().map(|n| format!("{} {}", n.kind.as_str(), n.name)).collect();
    let root_name = p.root().file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        rendered,
        vec![
            format!("Dir {root_name}"),
            "Dir tests".to_string(),
            "Package pkg".to_string(),
            "Module test_a.py".to_string(),
            "Class TestO".to_string(),
            "UnitTestCase Case".to_string(),
            "TestCaseFunction test_u".to_string(),
        ]
    );
    assert_eq!(module.items[0].nodeid, "tests/pkg/test_a.py::TestO::Case::test_u");
}

#[test]
fn many_modules_collect_every_item() {
    let body: String = (0..50).map(|i| format!("def test_{i}(a, b):\n    assert a == b\n\n")).collect();
    let files: Vec<(String, &str)> =
        (0..100).map(|i| (format!("tests/d{}/test_{i}.py", i % 10), body.as_str())).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let p = Project::new(&files);
    let request = p.request("", &[]);
    let config = load_config(&ConfigRequest::new(&request.invocation_dir, &[])).unwrap();
    let collection = collect(&config, &request);
    assert_eq!(collection.items().count(), 5000);
}
