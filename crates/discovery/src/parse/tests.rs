use super::*;

fn patterns() -> NamePatterns {
    NamePatterns { functions: vec!["test".into()], classes: vec!["Test".into()] }
}

fn collect(source: &str) -> ModuleItems {
    collect_module(source.as_bytes(), "tests/test_a.py", &patterns())
}

fn nodeids(source: &str) -> Vec<String> {
    let out = collect(source);
    assert!(!out.needs_dynamic, "unexpectedly dynamic");
    out.items.into_iter().map(|i| i.nodeid.trim_start_matches("tests/test_a.py::").to_string()).collect()
}

/// Checked against `pytest --collect-only` (9.2.0), which also printed the two warnings and
/// the `location` / fixture argnames asserted below.
const MIXED: &str = r#"import unittest
import pytest

def deco(f):
    return f

@deco
@pytest.mark.skip
def test_decorated(a, b=1, *, c, d=2):
    pass

async def test_async(x, /, y):
    pass

class TestA:
    def __init__(self):
        pass
    def test_x(self):
        pass

@deco
class TestNew:
    def __new__(cls):
        pass
    def test_y(self): pass

class TestOuter:
    def test_o(self): pass
    class TestInner:
        def test_i(self, fix): pass
    @staticmethod
    def test_static(a): pass
    @classmethod
    def test_cm(cls, b): pass

class Case(unittest.TestCase):
    def test_b(self): pass
    def test_a(self, x=1): pass
    def testc(self): pass

class Case2(Case):
    def test_0(self): pass

@pytest.fixture
def test_fix():
    return 1
"#;

#[test]
fn mixed_module_matches_pytest() {
    let out = collect(MIXED);
    assert!(!out.needs_dynamic);
    let summary: Vec<(String, u32, Vec<String>)> = out
        .items
        .iter()
        .map(|i| (i.nodeid.trim_start_matches("tests/test_a.py::").to_string(), i.lineno, i.argnames.to_vec()))
        .collect();
    let expected: Vec<(&str, u32, Vec<&str>)> = vec![
        ("test_decorated", 6, vec!["a", "c"]),
        ("test_async", 11, vec!["y"]),
        ("TestOuter::test_o", 27, vec![]),
        ("TestOuter::TestInner::test_i", 29, vec!["fix"]),
        ("TestOuter::test_static", 30, vec!["a"]),
        ("TestOuter::test_cm", 32, vec!["b"]),
        ("Case::test_a", 37, vec![]),
        ("Case::test_b", 36, vec![]),
        ("Case::testc", 38, vec![]),
        ("Case2::test_0", 41, vec![]),
        ("Case2::test_a", 37, vec![]),
        ("Case2::test_b", 36, vec![]),
        ("Case2::testc", 38, vec![]),
    ];
    let expected: Vec<(String, u32, Vec<String>)> =
        expected.into_iter().map(|(n, l, a)| (n.to_string(), l, a.into_iter().map(String::from).collect())).collect();
    assert_eq!(summary, expected);

    let async_item = &out.items[1];
    assert!(async_item.is_async && async_item.kind == ItemKind::Function);
    let inner = &out.items[3];
    assert_eq!(*inner.classes, ["TestOuter", "TestInner"]);
    assert_eq!(out.items[6].kind, ItemKind::UnitTest);

    let warnings: Vec<(String, u32)> = out.warnings.iter().map(|w| (w.message.clone(), w.lineno)).collect();
    assert_eq!(
        warnings,
        vec![
            (
                "cannot collect test class 'TestA' because it has a __init__ constructor (from: tests/test_a.py)"
                    .to_string(),
                15
            ),
            (
                "cannot collect test class 'TestNew' because it has a __new__ constructor (from: tests/test_a.py)"
                    .to_string(),
                21
            ),
        ]
    );
    assert_eq!(out.warnings[0].nodeid, "tests/test_a.py::TestA");
    assert_eq!(out.warnings[0].path, "tests/test_a.py");
    assert_eq!(out.warnings[0].category, "PytestCollectionWarning");
}

/// tests/cases/inherited_tests, verified with pytest: base methods first, an override keeps
/// the base's position, and the subclass's own methods follow.
#[test]
fn inherited_methods_come_first() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/inherited_tests/test_inherit.py"
    ))
    .unwrap();
    assert_eq!(
        nodeids(&source),
        vec![
            "TestBase::test_value_positive",
            "TestBase::test_value_small",
            "TestChild::test_value_positive",
            "TestChild::test_value_small",
            "TestChild::test_child_only",
            "TestWithMixin::test_from_mixin",
            "TestWithMixin::test_own",
        ]
    );
}

#[test]
fn overridden_method_reports_the_subclass_line() {
    let out = collect("class TestB:\n    def test_a(self): pass\n    def test_b(self): pass\nclass TestC(TestB):\n    def test_b(self): pass\n");
    let lines: Vec<(&str, u32)> = out.items.iter().map(|i| (i.nodeid.as_str(), i.lineno)).collect();
    assert_eq!(
        lines,
        vec![
            ("tests/test_a.py::TestB::test_a", 1),
            ("tests/test_a.py::TestB::test_b", 2),
            ("tests/test_a.py::TestC::test_a", 1),
            ("tests/test_a.py::TestC::test_b", 4),
        ]
    );
}

/// tests/cases/unittest_testcase, verified with pytest: sorted names, skipped classes kept.
#[test]
fn unittest_cases_use_loader_order() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/cases/unittest_testcase/test_units.py"
    ))
    .unwrap();
    assert_eq!(
        nodeids(&source),
        vec![
            "StackTests::test_pop_wrong",
            "StackTests::test_push",
            "StackTests::test_skip_decorated",
            "StackTests::test_skip_inside",
            "SkippedClassTests::test_one",
        ]
    );
}

#[test]
fn unittest_spellings_are_recognised() {
    let source = "from unittest import TestCase as TC, IsolatedAsyncioTestCase\nimport unittest as ut\n\
                  class A(TC):\n    def test_a(self): pass\n\
                  class B(IsolatedAsyncioTestCase):\n    async def test_b(self): pass\n\
                  class C(ut.TestCase):\n    def runTest(self): pass\n";
    assert_eq!(nodeids(source), vec!["A::test_a", "B::test_b", "C::runTest"]);
}

#[test]
fn test_flag_and_fixtures_and_properties() {
    let source = "import pytest\nclass TestOff:\n    __test__ = False\n    def test_x(self): pass\n\
                  class Checks:\n    __test__ = True\n    def test_on(self): pass\n    @property\n    def test_prop(self): return 1\n\
                  test_data = [1, 2]\n@pytest.fixture(scope='module')\ndef test_fix(): pass\n";
    assert_eq!(nodeids(source), vec!["Checks::test_on"]);
}

#[test]
fn redefinition_keeps_first_position_and_last_definition() {
    let out = collect("def test_a(): pass\ndef test_b(): pass\ndef test_a(x): pass\n");
    let items: Vec<(&str, u32)> = out.items.iter().map(|i| (&*i.name, i.lineno)).collect();
    assert_eq!(items, vec![("test_a", 2), ("test_b", 1)]);
}

#[test]
fn mock_patch_arguments_are_not_fixtures() {
    let out = collect("from unittest import mock\n@mock.patch('os.getcwd')\n@mock.patch('os.sep', new='x')\ndef test_p(m, tmp_path): pass\n");
    assert_eq!(*out.items[0].argnames, ["tmp_path"]);
}

#[test]
fn dynamic_cases() {
    let dynamic = [
        "def test_ok(): pass\ndef test_broken(:\n",
        "from helpers import test_shared\n",
        "from helpers import *\n",
        "test_alias = make_test()\n",
        "from base import BaseTests\nclass TestX(BaseTests):\n    def test_a(self): pass\n",
        "from django.test import TestCase\nclass Anything(TestCase):\n    def test_a(self): pass\n",
        "import sys\nif sys.platform == 'linux':\n    def test_linux(): pass\n",
        "def test_gen():\n    yield 1\n",
    ];
    for source in dynamic {
        let out = collect(source);
        assert!(out.needs_dynamic, "expected dynamic: {source}");
        assert!(out.items.is_empty());
    }
    assert!(collect_module(b"def test_a(): pass\n\xff\xfe", "t.py", &patterns()).needs_dynamic);
}

#[test]
fn inert_bases_and_helpers_stay_static() {
    let source = "import enum\nfrom typing import NamedTuple\nfrom helpers import make_thing\n\
                  class Color(enum.Enum):\n    RED = 1\nclass Point(NamedTuple):\n    x: int\n\
                  class TestPlain(object):\n    def test_p(self): pass\n\
                  def test_uses(): return make_thing()\n";
    assert_eq!(nodeids(source), vec!["TestPlain::test_p", "test_uses"]);
    // Exception has its own `__init__`, which only the running class shows.
    assert!(collect("class TestErr(Exception):\n    def test_e(self): pass\n").needs_dynamic);
}

#[test]
fn glob_patterns_for_names() {
    let patterns = NamePatterns { functions: vec!["check_*".into(), "*_spec".into()], classes: vec!["*Suite".into()] };
    let out = collect_module(
        b"def check_a(): pass\ndef test_b(): pass\ndef it_spec(): pass\nclass MySuite:\n    def check_m(self): pass\n",
        "m.py",
        &patterns,
    );
    let ids: Vec<&str> = out.items.iter().map(|i| i.nodeid.as_str()).collect();
    assert_eq!(ids, vec!["m.py::check_a", "m.py::it_spec", "m.py::MySuite::check_m"]);
}
