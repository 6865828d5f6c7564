//! Volume: 5000 tests in one module, half with a setup_method, each report in order.
//! (How fast they run is measured in benches/, not asserted here.)

mod common;

use common::*;
use ferrotest_events::{Event, Outcome};
use ferrotest_executor::{RunOptions, Session};

#[test]
fn five_thousand_tests_each_report_three_phases() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let mut source = String::from("class TestMany:\n    def setup_method(self, method):\n        self.x = 1\n");
    let mut items = Vec::new();
    for index in 0..2500 {
        source.push_str(&format!("    def test_{index}(self):\n        assert self.x\n"));
        items.push(item("test_many.py", &["TestMany"], &format!("test_{index}"), 3 + 2 * index));
    }
    for index in 0..2500 {
        source.push_str(&format!("def test_f{index}():\n    pass\n"));
        items.push(item("test_many.py", &[], &format!("test_f{index}"), 5003 + 2 * index));
    }
    write(dir, "test_many.py", &source);
    let mut modules = vec![module(dir, "test_many.py", items, false)];
    let mut session = Session::start(&python_env(), dir).unwrap();
    assert!(session.import_modules(&mut modules).is_empty());
    let plan = plan(&session, dir, &modules);

    let mut passed = 0;
    let summary = session.run(&plan, &RunOptions::default(), &mut |event| {
        if let Event::TestReport(report) = event {
            if report.outcome == Outcome::Passed {
                passed += 1;
            }
        }
    });
    assert_eq!(passed, 15000);
    assert_eq!(summary.interruption, None);
}
