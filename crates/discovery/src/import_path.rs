//! Module names under pytest's default `prepend` import mode.

use std::path::{Path, PathBuf};

/// The dotted module name of `path` and the directory pytest puts first on `sys.path`:
/// parents are package components for as long as they hold an `__init__.py`.
pub(crate) fn module_name(path: &Path) -> (String, PathBuf) {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut names = vec![stem];
    let mut dir = path.parent().unwrap_or(Path::new("/"));
    while dir.join("__init__.py").is_file() {
        let Some(name) = dir.file_name() else { break };
        names.push(name.to_string_lossy().into_owned());
        match dir.parent() {
            Some(parent) => dir = parent,
            None => break,
        }
    }
    // A package's own `__init__.py` is imported as the package, not `pkg.__init__`.
    if names.len() > 1 && names[0] == "__init__" {
        names.remove(0);
    }
    names.reverse();
    (names.join("."), dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn packages_prefix_the_module_name() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("tests/pkg/sub")).unwrap();
        for file in ["tests/pkg/__init__.py", "tests/pkg/sub/__init__.py"] {
            fs::write(root.join(file), "").unwrap();
        }
        let tests = root.join("tests");
        assert_eq!(module_name(&tests.join("pkg/sub/test_a.py")), ("pkg.sub.test_a".to_string(), tests.clone()));
        assert_eq!(module_name(&tests.join("pkg/conftest.py")), ("pkg.conftest".to_string(), tests.clone()));
        assert_eq!(module_name(&tests.join("conftest.py")), ("conftest".to_string(), tests.clone()));
        assert_eq!(module_name(&tests.join("pkg/__init__.py")), ("pkg".to_string(), tests.clone()));
    }
}
