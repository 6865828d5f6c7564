//! `--fixtures`: the session's fixture definitions as pytest lists them.

use std::path::{Component, Path, PathBuf};

use ferrotest_events::AvailableFixture;
use ferrotest_executor::{ExecutorError, FixtureDescription, Session};

/// Every definition, with the location pytest prints: `path:line` relative to the invocation
/// directory for the user's fixtures. ferrotest's own builtins stand in for pytest's and are
/// listed at pytest's definitions (`.../_pytest/capture.py:1012`, pytest 9.2.0's lines), so
/// the listing reads exactly as pytest's; see `builtins.PYTEST_LOCATIONS`.
pub fn available(session: &Session, invocation_dir: &Path) -> Result<Vec<AvailableFixture>, ExecutorError> {
    let described = session.describe_fixtures()?;
    Ok(described.into_iter().map(|fixture| available_fixture(fixture, invocation_dir)).collect())
}

fn available_fixture(described: FixtureDescription, invocation_dir: &Path) -> AvailableFixture {
    let FixtureDescription { def, module, doc, pytest_location } = described;
    let location = match (pytest_location, &def.location) {
        (Some(pytest), _) => format!(".../{pytest}"),
        // pytest's `getlocation`: the function's first line (its first decorator's), 1-based.
        (None, Some((path, lineno))) => format!("{}:{}", best_relpath(invocation_dir, path).display(), lineno + 1),
        (None, None) => String::new(),
    };
    AvailableFixture {
        name: def.name,
        baseid: def.baseid,
        scope: def.scope.as_str().to_string(),
        module,
        location,
        doc,
    }
}

/// pytest's `bestrelpath`: `dest` relative to `base`, with `..` steps when it is not below it.
fn best_relpath(base: &Path, dest: &Path) -> PathBuf {
    let base: Vec<Component> = base.components().collect();
    let dest_parts: Vec<Component> = dest.components().collect();
    let common = base.iter().zip(&dest_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return dest.to_path_buf();
    }
    let ups = std::iter::repeat_n(Component::ParentDir, base.len() - common);
    ups.chain(dest_parts[common..].iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relpath_below_and_beside_the_base() {
        assert_eq!(
            best_relpath(Path::new("/p/a"), Path::new("/p/a/tests/conftest.py")),
            PathBuf::from("tests/conftest.py")
        );
        assert_eq!(best_relpath(Path::new("/p/a/sub"), Path::new("/p/a/conftest.py")), PathBuf::from("../conftest.py"));
    }
}
