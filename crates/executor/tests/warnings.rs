//! pytest's warnings plugin in a session: filters it refuses, warnings raised while
//! importing (static collection's too, under the filters) and while each test runs.

mod common;

use common::*;
use ferrotest_discovery::{CollectWarning, IniValue};
use ferrotest_events::{Event, Outcome, WarningReport};
use ferrotest_executor::{ExecutorError, RunOptions, Session, SessionSettings};

fn settings(dir: &std::path::Path, ini_filters: &[&str], pythonwarnings: &[&str]) -> SessionSettings {
    SessionSettings {
        rootdir: dir.to_path_buf(),
        ini: vec![(
            "filterwarnings".into(),
            IniValue::List(ini_filters.iter().map(|filter| filter.to_string()).collect()),
        )],
        capture_warnings: true,
        pythonwarnings: pythonwarnings.iter().map(|filter| filter.to_string()).collect(),
        rewrite_asserts: true,
        ..SessionSettings::default()
    }
}

#[test]
fn warnings_are_recorded_under_the_session_filters() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let source = "import warnings\n\
                  warnings.warn('while importing')\n\
                  class TestInit:\n\
                  \x20   def __init__(self):\n\
                  \x20       pass\n\
                  def test_warns():\n\
                  \x20   warnings.warn('while running', RuntimeWarning)\n\
                  def test_error():\n\
                  \x20   warnings.warn('made an error')\n";
    write(dir, "test_w.py", source);
    let mut module = module(
        dir,
        "test_w.py",
        vec![item("test_w.py", &[], "test_warns", 5), item("test_w.py", &[], "test_error", 7)],
        false,
    );
    module.warnings = vec![CollectWarning {
        nodeid: "test_w.py::TestInit".into(),
        message: "cannot collect test class 'TestInit' because it has a __init__ constructor (from: test_w.py)".into(),
        path: "test_w.py".into(),
        lineno: 3,
        category: "PytestCollectionWarning".into(),
    }];
    let mut modules = vec![module];
    let mut session = Session::start(&python_env(), dir).unwrap();

    match session.configure(&settings(dir, &[], &["bogus"])) {
        Err(ExecutorError::WarningFilter(text)) => {
            assert_eq!(text, "while parsing the following warning configuration:\n\n  bogus\n\nThis error occurred:\n\ninvalid action: 'bogus'\n")
        }
        other => panic!("expected pytest's usage error, got {other:?}"),
    }
    session.configure(&settings(dir, &["error:made"], &["ignore::UserWarning:nowhere"])).unwrap();

    assert!(session.import_modules(&mut modules).is_empty());
    let collected: Vec<(String, String)> =
        session.take_warnings().into_iter().map(|w| (w.location.unwrap(), first_line(&w.message))).collect();
    let path = dir.join("test_w.py").display().to_string();
    let relative = relative_to_cwd(&path);
    assert_eq!(
        collected,
        [
            (format!("{relative}:2"), format!("{path}:2: UserWarning: while importing")),
            (
                format!("{relative}:3"),
                format!("{path}:3: PytestCollectionWarning: cannot collect test class 'TestInit' because it has a __init__ constructor (from: test_w.py)")
            ),
        ]
    );
    assert!(session.take_warnings().is_empty());

    let plan = plan(&session, dir, &modules);
    let (events, _) = run(&mut session, &plan, &RunOptions::default());
    let warned: Vec<&WarningReport> = events
        .iter()
        .filter_map(|event| match event {
            Event::Warning(warning) => Some(warning),
            _ => None,
        })
        .collect();
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0].location.as_deref(), Some("test_w.py::test_warns"));
    assert_eq!(
        warned[0].message,
        format!("{path}:7: RuntimeWarning: while running\n  warnings.warn('while running', RuntimeWarning)\n")
    );
    assert_eq!(report(&events, "test_w.py::test_error", "call").outcome, Outcome::Failed);
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// `path` relative to the test's working directory (pytest's invocation directory).
fn relative_to_cwd(path: &str) -> String {
    let cwd = std::env::current_dir().unwrap();
    let path = std::path::Path::new(path);
    // `os.path.relpath`: up from the working directory to the common ancestor, then down.
    let common = cwd.components().zip(path.components()).take_while(|(a, b)| a == b).count();
    let ups = cwd.components().count() - common;
    let down: std::path::PathBuf = path.components().skip(common).collect();
    format!("{}{}", "../".repeat(ups), down.display())
}
