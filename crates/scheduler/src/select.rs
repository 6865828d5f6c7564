//! Selection by the `::` parts of command-line arguments (`file.py::TestX::test_y`).

use ferrotest_discovery::{Collection, CollectionArg, TestItem};
use rustc_hash::FxHashSet;

use crate::expression::ExpressionError;
use crate::filter::Candidate;
use crate::keywords::KeywordCallError;

/// A selection that cannot be made: all are pytest usage errors (`ERROR: <message>`, exit 4).
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error(transparent)]
    NotFound(#[from] NotFound),
    /// `Wrong expression passed to '-k': a and: at column 6: expected ...`.
    #[error("Wrong expression passed to '{option}': {error}")]
    WrongExpression { option: &'static str, error: ExpressionError },
    /// `-k 'name(arg=1)'` reached while matching.
    #[error(transparent)]
    KeywordCallParameters(#[from] KeywordCallError),
    /// `-m` names unregistered marks under `--strict-markers` (comma-separated, sorted).
    #[error("Unknown marker(s) in '-m' expression: {0}. Use 'pytest --markers' to see available markers.")]
    UnknownMarkers(String),
}

/// An argument that names nothing: `not found: ...`.
#[derive(Debug, thiserror::Error)]
#[error("not found: {arg}\n(no match in any of [<Module {module}>])")]
pub struct NotFound {
    pub arg: String,
    pub module: String,
}

/// The items each argument names, in argument order, each item once.
pub(crate) fn by_arguments(collection: &Collection) -> Result<Vec<Candidate<'_>>, SelectError> {
    // FxHash: one insert per collected item, of a node ID no one picks to collide; sized for
    // them all at once, rather than rehashed as it grows.
    let items = collection.modules.iter().map(|module| module.items.len()).sum();
    let mut seen = FxHashSet::with_capacity_and_hasher(items, Default::default());
    let mut selected = Vec::new();
    for arg in &collection.args {
        let before = selected.len();
        for module in collection.modules.iter().filter(|m| m.spec.path.starts_with(&arg.path)) {
            for item in module.items.iter().filter(|item| matches_parts(item, &arg.parts)) {
                if seen.insert(item.nodeid.as_str()) {
                    selected.push((module, item));
                }
            }
        }
        if !arg.parts.is_empty() && selected.len() == before && !names_an_item(collection, arg) {
            return Err(not_found(arg).into());
        }
    }
    Ok(selected)
}

/// Whether `parts` (`["TestX", "test_y"]`) name `item` or one of its enclosing classes.
/// The last part may name the function (every parametrization of it) or one
/// parametrization (`test_x[1-a]`).
fn matches_parts(item: &TestItem, parts: &[String]) -> bool {
    let Some((last, classes)) = parts.split_last() else { return true };
    if classes.len() > item.classes.len() || !classes.iter().zip(item.classes.iter()).all(|(part, class)| part == class)
    {
        return false;
    }
    match item.classes.get(classes.len()) {
        Some(class) => last == class,
        None => **last == *item.name || *last == item.display_name(),
    }
}

/// An argument repeated after its items were already selected is not an error.
fn names_an_item(collection: &Collection, arg: &CollectionArg) -> bool {
    collection
        .modules
        .iter()
        .filter(|m| m.spec.path == arg.path)
        .any(|m| m.items.iter().any(|item| matches_parts(item, &arg.parts)))
}

fn not_found(arg: &CollectionArg) -> NotFound {
    let mut full = arg.path.display().to_string();
    for part in &arg.parts {
        full.push_str("::");
        full.push_str(part);
    }
    let module = arg.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    NotFound { arg: full, module }
}
