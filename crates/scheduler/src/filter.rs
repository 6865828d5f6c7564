//! Deselection by `--deselect`, `-k` and `-m` (pytest's `pytest_collection_modifyitems` in
//! `main.py` and `mark/__init__.py`).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use ferrotest_discovery::{CollectedModule, TestItem};

use crate::expression::{Expression, ExpressionError};
use crate::keywords::{ItemKeywords, KeywordCallError};
use crate::{PlanOptions, SelectError};

pub(crate) type Candidate<'a> = (&'a CollectedModule, &'a Arc<TestItem>);

/// Remove the items the options deselect, keeping order; returns how many were removed.
pub(crate) fn deselect(candidates: &mut Vec<Candidate<'_>>, options: &PlanOptions) -> Result<usize, SelectError> {
    let before = candidates.len();
    by_prefix(candidates, &options.deselect);
    if let Some(expression) = keyword_expression(options)? {
        let mut refused = None;
        candidates.retain(|(module, item)| {
            let keywords = item_keywords(options, module, item);
            match expression.try_evaluate(|name, kwargs| keywords.matches_keyword(name, kwargs)) {
                Ok(matched) => matched,
                Err(error) => {
                    refused.get_or_insert(error);
                    true
                }
            }
        });
        if let Some(KeywordCallError) = refused {
            return Err(SelectError::KeywordCallParameters(KeywordCallError));
        }
    }
    if let Some(expression) = mark_expression(options)? {
        candidates.retain(|(module, item)| {
            let keywords = item_keywords(options, module, item);
            expression.evaluate(|name, kwargs| keywords.matches_mark(name, kwargs))
        });
    }
    Ok(before - candidates.len())
}

/// `--deselect`: node-ID prefixes.
fn by_prefix(candidates: &mut Vec<Candidate<'_>>, prefixes: &[String]) {
    if !prefixes.is_empty() {
        candidates.retain(|(_, item)| !prefixes.iter().any(|prefix| item.nodeid.starts_with(prefix.as_str())));
    }
}

/// `-k`, after `lstrip()`: blank means no keyword selection.
fn keyword_expression(options: &PlanOptions) -> Result<Option<Expression>, SelectError> {
    let Some(text) = options.keyword.as_deref().map(str::trim_start).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    Expression::compile(text).map(Some).map_err(|error| wrong_expression("-k", error))
}

/// `-m`: only an empty string is "none" (`-m " "` compiles to false and deselects all).
fn mark_expression(options: &PlanOptions) -> Result<Option<Expression>, SelectError> {
    let Some(text) = options.markexpr.as_deref().filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    let expression = Expression::compile(text).map_err(|error| wrong_expression("-m", error))?;
    if let Some(registered) = &options.strict_markers {
        check_registered(&expression, registered)?;
    }
    Ok(Some(expression))
}

fn wrong_expression(option: &'static str, error: ExpressionError) -> SelectError {
    SelectError::WrongExpression { option, error }
}

/// `_validate_marker_names`: with strict markers every name in `-m` must be registered.
fn check_registered(expression: &Expression, registered: &BTreeSet<String>) -> Result<(), SelectError> {
    let unknown: Vec<&str> =
        expression.idents().iter().filter(|name| !registered.contains(*name)).map(String::as_str).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(SelectError::UnknownMarkers(unknown.join(", ")))
}

/// The caller's live keywords for the item, else the names known statically.
fn item_keywords<'a>(options: &'a PlanOptions, module: &CollectedModule, item: &TestItem) -> Cow<'a, ItemKeywords> {
    match options.item_keywords.get(&item.nodeid) {
        Some(keywords) => Cow::Borrowed(keywords),
        None => Cow::Owned(ItemKeywords::from_static(&module.spec, item)),
    }
}
