//! Collection and running of small projects through one shared session (CPython can only be
//! initialised once per process).

mod common;

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use common::*;
use ferrotest_discovery::ItemKind;
use ferrotest_events::{Event, Interruption, LongRepr, Outcome};
use ferrotest_executor::{RunOptions, Session};

fn session() -> std::sync::MutexGuard<'static, Session> {
    static SESSION: OnceLock<Mutex<Session>> = OnceLock::new();
    SESSION
        .get_or_init(|| Mutex::new(Session::start(&python_env(), Path::new("/")).unwrap()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn has_pytest(session: &Session) -> bool {
    session.eval_for_tests("__import__('importlib.util').util.find_spec('pytest') is not None").unwrap() == "True"
}

fn failure_text(report: &ferrotest_events::TestReport) -> (&str, &str) {
    match &report.longrepr {
        Some(LongRepr::Failure { text, message, .. }) => (text, message),
        other => panic!("not a failure: {other:?}"),
    }
}

#[test]
fn outcomes_tracebacks_and_capture() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let source = "import os\n\
                  \n\
                  def helper(x):\n\
                  \x20   raise ValueError('bad %d' % x)\n\
                  \n\
                  def test_pass():\n\
                  \x20   print('out')\n\
                  \x20   os.write(2, b'err\\n')\n\
                  \n\
                  def test_fail():\n\
                  \x20   helper(1)\n";
    write(dir, "test_oc_a.py", source);
    let mut modules = vec![module(
        dir,
        "test_oc_a.py",
        vec![item("test_oc_a.py", &[], "test_pass", 5), item("test_oc_a.py", &[], "test_fail", 9)],
        false,
    )];
    let mut session = session();
    let errors = session.import_modules(&mut modules);
    assert!(errors.is_empty(), "{errors:#?}");
    let plan = plan(&session, dir, &modules);
    let (events, summary) = run(&mut session, &plan, &RunOptions::default());
    assert_eq!(summary.interruption, None);

    assert!(
        matches!(&events[0], Event::TestStart { nodeid, location } if &**nodeid == "test_oc_a.py::test_pass" && location.lineno == Some(5))
    );
    let passed = report(&events, "test_oc_a.py::test_pass", "call");
    assert_eq!(passed.outcome, Outcome::Passed);
    assert_eq!(
        passed.sections,
        vec![
            ("Captured stdout call".to_string(), "out\n".to_string()),
            ("Captured stderr call".to_string(), "err\n".to_string())
        ]
    );
    let failed = report(&events, "test_oc_a.py::test_fail", "call");
    assert_eq!(failed.outcome, Outcome::Failed);
    let (text, message) = failure_text(failed);
    assert_eq!(message, "ValueError: bad 1");
    assert!(text.starts_with("\n    def test_fail():\n>       helper(1)\n"), "{text}");
    assert!(
        text.contains(
            "\nx = 1\n\n    def helper(x):\n>       raise ValueError('bad %d' % x)\nE       ValueError: bad 1\n"
        ),
        "{text}"
    );
    assert!(text.ends_with(":4: ValueError"), "{text}");
    assert!(!text.contains("ferrotest_runtime"), "{text}");
    assert_eq!(report(&events, "test_oc_a.py::test_fail", "teardown").outcome, Outcome::Passed);
    assert!(matches!(events.last(), Some(Event::TestFinish { nodeid }) if &**nodeid == "test_oc_a.py::test_fail"));
}

#[test]
fn xunit_setup_and_teardown_run_like_pytest() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let log = dir.join("log.txt");
    let source = format!(
        "LOG = {log:?}\n\
         def log(x):\n\
         \x20   open(LOG, 'a').write(x + '\\n')\n\
         def setup_module(m): log('setup_module')\n\
         def teardown_module(): log('teardown_module')\n\
         def setup_function(f): log('setup_function ' + f.__name__)\n\
         def test_f(): log('test_f')\n\
         class TestC:\n\
         \x20   @classmethod\n\
         \x20   def setup_class(cls): log('setup_class')\n\
         \x20   @classmethod\n\
         \x20   def teardown_class(cls): log('teardown_class')\n\
         \x20   def setup_method(self, method): self.v = method.__name__\n\
         \x20   def teardown_method(self): log('teardown_method ' + self.v)\n\
         \x20   def test_a(self): log('test_a ' + self.v)\n\
         \x20   def test_b(self): assert not hasattr(self, 'seen'); self.seen = 1\n"
    );
    write(dir, "test_xu_a.py", &source);
    let mut modules = vec![module(
        dir,
        "test_xu_a.py",
        vec![
            item("test_xu_a.py", &[], "test_f", 6),
            item("test_xu_a.py", &["TestC"], "test_a", 14),
            item("test_xu_a.py", &["TestC"], "test_b", 15),
        ],
        false,
    )];
    let mut session = session();
    let errors = session.import_modules(&mut modules);
    assert!(errors.is_empty(), "{errors:#?}");
    let plan = plan(&session, dir, &modules);
    let (events, _) = run(&mut session, &plan, &RunOptions::default());
    assert!(reports(&events).iter().all(|r| r.outcome == Outcome::Passed), "{events:#?}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "setup_module\nsetup_function test_f\ntest_f\nsetup_class\ntest_a test_a\nteardown_method test_a\n\
         teardown_method test_b\nteardown_class\nteardown_module\n"
    );
    let location = events.iter().find_map(|e| match e {
        Event::TestStart { nodeid, location } if nodeid.ends_with("test_a") => Some(location.clone()),
        _ => None,
    });
    assert_eq!(location.unwrap().domain, "TestC.test_a");
}

#[test]
fn collection_errors_carry_pytests_text() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    write(dir, "test_ce_imp.py", "import os\nimport nonexistent_mod_xyz\n");
    write(dir, "test_ce_zero.py", "x = 1\ny = x / 0\n");
    write(dir, "test_ce_syntax.py", "def test_a():\n    x = (\n");
    write(dir, "sub_ce/conftest.py", "import nonexistent_conf\n");
    let mut modules = vec![
        module(dir, "test_ce_imp.py", vec![item("test_ce_imp.py", &[], "test_a", 2)], false),
        module(dir, "test_ce_zero.py", vec![], false),
        module(dir, "test_ce_syntax.py", vec![], true),
        module(dir, "sub_ce/conftest.py", vec![], false),
    ];
    modules[3].spec.import_name = "conftest".into();
    modules[3].spec.sys_path_entry = dir.join("sub_ce");
    let errors = session().import_modules(&mut modules);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(modules[0].items.is_empty());

    let path = dir.join("test_ce_imp.py");
    assert_eq!(errors[0].nodeid, "test_ce_imp.py");
    assert_eq!(errors[0].message, "");
    let expected_head = format!(
        "ImportError while importing test module '{}'.\nHint: make sure your test modules/packages have valid Python names.\nTraceback:\n",
        path.display()
    );
    assert!(errors[0].longrepr.starts_with(&expected_head), "{}", errors[0].longrepr);
    assert!(errors[0].longrepr.ends_with(
        "test_ce_imp.py:2: in <module>\n    import nonexistent_mod_xyz\nE   ModuleNotFoundError: No module named 'nonexistent_mod_xyz'"
    ), "{}", errors[0].longrepr);

    assert_eq!(errors[1].message, "ZeroDivisionError: division by zero");
    assert!(
        errors[1].longrepr.ends_with(
            "test_ce_zero.py:2: in <module>\n    y = x / 0\n        ^^^^^\nE   ZeroDivisionError: division by zero"
        ),
        "{}",
        errors[1].longrepr
    );

    assert_eq!(errors[2].message, "");
    assert!(errors[2].longrepr.ends_with("E   SyntaxError: '(' was never closed"), "{}", errors[2].longrepr);

    assert_eq!(errors[3].nodeid, "sub_ce");
    assert_eq!(errors[3].message, "ModuleNotFoundError: No module named 'nonexistent_conf'");
    assert!(
        errors[3].longrepr.starts_with("sub_ce/conftest.py:1: in <module>")
            || errors[3].longrepr.contains("conftest.py:1: in <module>")
    );
    for error in &errors {
        assert!(!error.longrepr.contains("ferrotest_runtime"), "{}", error.longrepr);
    }
}

#[test]
fn dynamic_collection_follows_pytests_rules() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let source = "import unittest\n\
                  def test_one(a, b=1): pass\n\
                  class Base:\n\
                  \x20   def test_inherited(self): pass\n\
                  class TestX(Base):\n\
                  \x20   def test_own(self): pass\n\
                  \x20   class TestInner:\n\
                  \x20       def test_deep(self): pass\n\
                  class TestInit:\n\
                  \x20   def __init__(self): pass\n\
                  \x20   def test_never(self): pass\n\
                  class MyCase(unittest.TestCase):\n\
                  \x20   def test_u(self): pass\n\
                  async def test_async(): pass\n\
                  check_me = 1\n\
                  globals()['test_made'] = lambda: None\n";
    write(dir, "test_dy_a.py", source);
    let mut modules = vec![module(dir, "test_dy_a.py", vec![], true)];
    let errors = session().import_modules(&mut modules);
    assert!(errors.is_empty(), "{errors:#?}");
    let ids: Vec<&str> = modules[0].items.iter().map(|i| i.nodeid.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "test_dy_a.py::test_one",
            "test_dy_a.py::TestX::test_inherited",
            "test_dy_a.py::TestX::test_own",
            "test_dy_a.py::TestX::TestInner::test_deep",
            "test_dy_a.py::MyCase::test_u",
            "test_dy_a.py::test_async",
            "test_dy_a.py::test_made",
        ]
    );
    let items = &modules[0].items;
    assert_eq!(*items[0].argnames, ["a"]);
    assert_eq!(items[0].lineno, 1);
    assert_eq!(items[1].lineno, 3);
    assert_eq!(items[4].kind, ItemKind::UnitTest);
    assert!(items[5].is_async);
}

#[test]
fn unittest_async_setup_errors_and_maxfail() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let source = "import unittest\n\
                  class T(unittest.TestCase):\n\
                  \x20   def test_ok(self): self.assertEqual(1, 1)\n\
                  \x20   def test_bad(self): self.assertEqual(1, 2)\n\
                  \x20   @unittest.skip('nope')\n\
                  \x20   def test_skip(self): pass\n\
                  async def test_async(): pass\n\
                  def test_fixture(db): pass\n\
                  def test_after(): pass\n";
    write(dir, "test_ut_a.py", source);
    let mut modules = vec![module(dir, "test_ut_a.py", vec![], true)];
    let mut session = session();
    let errors = session.import_modules(&mut modules);
    assert!(errors.is_empty(), "{errors:#?}");
    let mut plan = plan(&session, dir, &modules);
    plan.maxfail = Some(3);
    let (events, summary) = run(&mut session, &plan, &RunOptions::default());

    assert_eq!(report(&events, "test_ut_a.py::T::test_ok", "call").outcome, Outcome::Passed);
    let bad = report(&events, "test_ut_a.py::T::test_bad", "call");
    let (text, message) = failure_text(bad);
    assert_eq!(message, "AssertionError: 1 != 2");
    assert!(
        text.contains(">       def test_bad(self): self.assertEqual(1, 2)") || text.contains("self.assertEqual(1, 2)"),
        "{text}"
    );
    assert!(!text.contains("case.py"), "{text}");
    let skip = report(&events, "test_ut_a.py::T::test_skip", "call");
    assert_eq!(skip.outcome, Outcome::Skipped);
    assert_eq!(skip.longrepr, Some(LongRepr::Skip { path: "test_ut_a.py".into(), lineno: 5, reason: "nope".into() }));
    let (text, message) = failure_text(report(&events, "test_ut_a.py::test_async", "call"));
    assert!(text.starts_with("async def functions are not natively supported.\n"));
    assert!(message.starts_with("Failed: async def functions"));
    let setup = report(&events, "test_ut_a.py::test_fixture", "setup");
    assert_eq!(setup.outcome, Outcome::Failed);
    assert!(failure_text(setup).0.contains("fixture 'db' not found"));
    // Three failures (test_bad, test_async, test_fixture) reach maxfail: test_after never runs.
    assert_eq!(summary.interruption, Some(Interruption::MaxFail(3)));
    assert!(!events.iter().any(|e| matches!(e, Event::TestStart { nodeid, .. } if nodeid.ends_with("test_after"))));
}

#[test]
fn pytest_skip_and_keyboard_interrupt() {
    let mut session = session();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let pytest = has_pytest(&session);
    let skip = if pytest { "import pytest\ndef test_skip():\n    x = 1\n    pytest.skip('because')\n" } else { "" };
    write(
        dir,
        "test_ki_a.py",
        &format!("{skip}def test_int():\n    raise KeyboardInterrupt\ndef test_later(): pass\n"),
    );
    let mut modules = vec![module(dir, "test_ki_a.py", vec![], true)];
    let errors = session.import_modules(&mut modules);
    assert!(errors.is_empty(), "{errors:#?}");
    let plan = plan(&session, dir, &modules);
    let (events, summary) = run(&mut session, &plan, &RunOptions::default());
    if pytest {
        let skipped = report(&events, "test_ki_a.py::test_skip", "call");
        // The session's rootdir is `/`: skip paths are relative to it.
        let path = dir.join("test_ki_a.py").strip_prefix("/").unwrap().display().to_string();
        assert_eq!(skipped.longrepr, Some(LongRepr::Skip { path, lineno: 4, reason: "because".into() }));
    }
    // pytest reports where it was raised.
    let location = Some((dir.join("test_ki_a.py").display().to_string(), if pytest { 6 } else { 2 }));
    let interrupt = Interruption::KeyboardInterrupt { message: "KeyboardInterrupt".into(), location };
    assert_eq!(summary.interruption, Some(interrupt));
    assert!(!events.iter().any(|e| matches!(e, Event::TestStart { nodeid, .. } if nodeid.ends_with("test_later"))));
}
