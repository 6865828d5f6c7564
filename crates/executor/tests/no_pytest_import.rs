//! ferrotest never imports pytest itself (it costs ~0.3 s): a suite that does not import it
//! runs, fails and skips without `pytest` or `_pytest` ever entering `sys.modules`.

mod common;

use common::*;
use ferrotest_events::{Event, Outcome};
use ferrotest_executor::{RunOptions, Session};

#[test]
fn a_suite_without_pytest_never_loads_it() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let source = "import unittest\n\
                  def test_pass():\n\
                  \x20   pass\n\
                  def test_fail():\n\
                  \x20   assert 1 == 2\n\
                  class Case(unittest.TestCase):\n\
                  \x20   @unittest.skip('no')\n\
                  \x20   def test_skip(self):\n\
                  \x20       pass\n";
    write(dir, "test_plain.py", source);
    let mut modules = vec![module(dir, "test_plain.py", vec![], true)];
    let mut session = Session::start(&python_env(), dir).unwrap();
    assert!(session.import_modules(&mut modules).is_empty());
    let plan = plan(&session, dir, &modules);
    let (events, _) = run(&mut session, &plan, &RunOptions::default());

    let outcomes: Vec<Outcome> = events
        .iter()
        .filter_map(|event| match event {
            Event::TestReport(report)
                if report.when == ferrotest_events::Phase::Call || report.outcome != Outcome::Passed =>
            {
                Some(report.outcome)
            }
            _ => None,
        })
        .collect();
    assert_eq!(outcomes, vec![Outcome::Passed, Outcome::Failed, Outcome::Skipped]);
    let loaded = session.eval_for_tests("sorted(m for m in __import__('sys').modules if 'pytest' in m)").unwrap();
    assert_eq!(loaded, "[]");
}
