//! Rootdir and config-file cases, each checked against pytest 9.2.0's
//! `rootdir: ..., configfile: ...` header.

use super::*;

use crate::test_project::Project;

impl Project {
    fn load(&self, cwd: &str, args: &[&str]) -> Result<Config, ConfigError> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        load_config(&ConfigRequest::new(&self.root().join(cwd), &args))
    }
}

fn text(value: &str) -> IniValue {
    IniValue::Text(value.to_string())
}

#[test]
fn pytest_ini_wins_over_pyproject_in_the_same_dir() {
    let p = Project::new(&[
        ("pytest.ini", "[pytest]\naddopts = -q --tb=short\n"),
        ("pyproject.toml", "[tool.pytest.ini_options]\naddopts = '-x'\n"),
        ("tests/test_a.py", ""),
    ]);
    let config = p.load("tests", &[]).unwrap();
    assert_eq!(config.rootdir, p.root());
    assert_eq!(config.inifile, Some(p.root().join("pytest.ini")));
    assert_eq!(config.ini.addopts(), vec!["-q", "--tb=short"]);
}

#[test]
fn pytest_ini_without_section_still_counts() {
    let p = Project::new(&[("pytest.ini", "# nothing\n"), ("sub/tox.ini", "[tox]\n")]);
    let config = p.load("sub", &[]).unwrap();
    assert_eq!(config.rootdir, p.root());
    assert_eq!(config.inifile, Some(p.root().join("pytest.ini")));
    assert_eq!(config.ini, Ini::default());
}

#[test]
fn tox_ini_and_setup_cfg_need_their_sections() {
    let p = Project::new(&[
        ("tox.ini", "[pytest]\ntestpaths = tests\n"),
        ("sub/setup.cfg", "[metadata]\nname = x\n"),
        ("sub/tox.ini", "[tox]\nenvlist = py\n"),
    ]);
    let config = p.load("sub", &[]).unwrap();
    assert_eq!(config.inifile, Some(p.root().join("tox.ini")));
    assert_eq!(config.ini.testpaths(), vec!["tests"]);

    let p = Project::new(&[("setup.cfg", "[tool:pytest]\npython_files = check_*.py\n")]);
    let config = p.load("", &[]).unwrap();
    assert_eq!(config.ini.python_files(), vec!["check_*.py"]);
}

#[test]
fn setup_cfg_plain_pytest_section_is_rejected() {
    let p = Project::new(&[("setup.cfg", "[pytest]\naddopts = -q\n")]);
    assert!(matches!(p.load("", &[]), Err(ConfigError::Usage { message }) if message.contains("[tool:pytest]")));
}

#[test]
fn pyproject_lists_and_scalars() {
    let p = Project::new(&[(
        "pyproject.toml",
        "[project]\nname = 'x'\n[tool.pytest.ini_options]\ntestpaths = ['tests', 'integration']\nminversion = 6.0\nxfail_strict = true\n",
    )]);
    let config = p.load("", &[]).unwrap();
    assert_eq!(config.ini.testpaths(), vec!["tests", "integration"]);
    assert_eq!(config.ini.get("minversion"), Some(&text("6.0")));
    assert_eq!(config.ini.get("xfail_strict"), Some(&text("True")));
}

#[test]
fn pyproject_native_table() {
    let p = Project::new(&[("pyproject.toml", "[tool.pytest]\npython_classes = ['Check']\n")]);
    assert_eq!(p.load("", &[]).unwrap().ini.python_classes(), vec!["Check"]);

    let both = Project::new(&[(
        "pyproject.toml",
        "[tool.pytest]\naddopts = ['-q']\n[tool.pytest.ini_options]\naddopts = '-q'\n",
    )]);
    assert!(matches!(both.load("", &[]), Err(ConfigError::Usage { .. })));
}

#[test]
fn pyproject_without_pytest_table_is_the_fallback() {
    let p = Project::new(&[("pyproject.toml", "[project]\nname = 'x'\n"), ("a/b/test_x.py", "")]);
    let config = p.load("a/b", &[]).unwrap();
    assert_eq!(config.rootdir, p.root());
    assert_eq!(config.inifile, Some(p.root().join("pyproject.toml")));
    assert_eq!(config.ini, Ini::default());
}

#[test]
fn pytest_toml_is_found_first() {
    let p = Project::new(&[("pytest.toml", "[pytest]\nnorecursedirs = ['out']\n"), ("pytest.ini", "[pytest]\n")]);
    let config = p.load("", &[]).unwrap();
    assert_eq!(config.inifile, Some(p.root().join("pytest.toml")));
    assert_eq!(config.ini.norecursedirs(), vec!["out"]);
}

#[test]
fn setup_py_then_common_ancestor() {
    let p = Project::new(&[("proj/setup.py", ""), ("proj/tests/test_a.py", ""), ("other/test_b.py", "")]);
    let config = p.load("proj/tests", &[]).unwrap();
    assert_eq!((config.rootdir, config.inifile), (p.root().join("proj"), None));

    let config = p.load("", &["other/test_b.py"]).unwrap();
    assert_eq!(config.rootdir, p.root());
    // Without a config or setup.py, the common ancestor of the args and the invocation dir.
    let config = p.load("other", &["test_b.py"]).unwrap();
    assert_eq!(config.rootdir, p.root().join("other"));
}

#[test]
fn args_choose_where_to_search() {
    let p = Project::new(&[("a/pytest.ini", "[pytest]\n"), ("a/test_x.py", ""), ("b/test_y.py", "")]);
    let config = p.load("b", &["../a/test_x.py::test_x"]).unwrap();
    assert_eq!(config.rootdir, p.root().join("a"));
}

#[test]
fn explicit_inifile_sets_rootdir() {
    let p =
        Project::new(&[("pytest.ini", "[pytest]\naddopts = -x\n"), ("conf/custom.ini", "[pytest]\naddopts = -v\n")]);
    let mut request = ConfigRequest::new(&p.root(), &[]);
    request.inifile = Some(PathBuf::from("conf/custom.ini"));
    let config = load_config(&request).unwrap();
    assert_eq!(config.rootdir, p.root().join("conf"));
    assert_eq!(config.ini.addopts(), vec!["-v"]);

    request.inifile = Some(PathBuf::from("missing.ini"));
    let err = load_config(&request).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "Config file '{}' not found. Check your '-c/--config-file' option.",
            p.root().join("missing.ini").display()
        )
    );
}

#[test]
fn rootdir_option_is_relative_and_must_exist() {
    let p = Project::new(&[("pytest.ini", "[pytest]\n"), ("sub/test_a.py", "")]);
    let mut request = ConfigRequest::new(&p.root(), &[]);
    request.rootdir = Some(PathBuf::from("sub"));
    let config = load_config(&request).unwrap();
    assert_eq!(config.rootdir, p.root().join("sub"));
    assert_eq!(config.inifile, Some(p.root().join("pytest.ini")));

    request.rootdir = Some(PathBuf::from("nope"));
    let err = load_config(&request).unwrap_err().to_string();
    assert_eq!(
        err,
        format!("Directory '{}' not found. Check your '--rootdir' option.", p.root().join("nope").display())
    );
}

#[test]
fn broken_files_report_the_line() {
    let p = Project::new(&[("pytest.ini", "[pytest]\naddopts = -q\nthis line is broken\n")]);
    match p.load("", &[]) {
        Err(ConfigError::Parse { path, line, message }) => {
            assert_eq!((path, line), (p.root().join("pytest.ini"), 3));
            assert_eq!(message, "unexpected line: 'this line is broken'");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    let p = Project::new(&[("pyproject.toml", "[tool.pytest.ini_options]\naddopts = '-q'\ntestpaths = [\n")]);
    assert!(matches!(p.load("", &[]), Err(ConfigError::Parse { line: 3 | 4, .. })));
}

#[test]
fn defaults_and_shell_splitting() {
    let ini = Ini::default();
    assert_eq!(ini.python_files(), vec!["test_*.py", "*_test.py"]);
    assert_eq!(ini.python_classes(), vec!["Test"]);
    assert_eq!(ini.python_functions(), vec!["test"]);
    assert_eq!(
        ini.norecursedirs(),
        vec!["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"]
    );
    assert!(ini.testpaths().is_empty() && ini.addopts().is_empty());
    let ini = Ini::from_values([("addopts".to_string(), text("-k 'a and b'\n-x"))].into_iter().collect());
    assert_eq!(ini.addopts(), vec!["-k", "a and b", "-x"]);
}

#[test]
fn overrides_replace_file_values_the_last_one_winning() {
    let mut ini = Ini::from_values([("python_files".to_string(), text("check_*.py"))].into_iter().collect());
    let overrides = ["python_files=a_*.py b_*.py", "xfail_strict=true", "python_files=c_*.py", "empty="];
    ini.override_values(&overrides.map(String::from)).unwrap();
    assert_eq!(ini.python_files(), vec!["c_*.py"]);
    assert_eq!(ini.get("xfail_strict"), Some(&text("true")));
    assert_eq!(ini.get("empty"), Some(&text("")));
}

#[test]
fn an_override_without_equals_is_a_usage_error() {
    let error = Ini::default().override_values(&["python_files".to_string()]).unwrap_err();
    assert_eq!(error.to_string(), "-o/--override-ini expects option=value style (got: 'python_files').");
}
