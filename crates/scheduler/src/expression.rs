//! pytest's match-expression language for `-k` and `-m` (`_pytest/mark/expression.py`).
//!
//! ```text
//! expression: expr? EOF
//! expr:       and_expr ('or' and_expr)*
//! and_expr:   not_expr ('and' not_expr)*
//! not_expr:   'not' not_expr | '(' expr ')' | ident kwargs?
//! ident:      (\w|:|\+|-|\.|\[|\]|\\|/)+
//! kwargs:     '(' name '=' value (',' name '=' value)* ')'
//! value:      string literal without backslashes | -?[0-9]+ | True | False | None
//! ```
//!
//! An empty expression is false. Errors carry pytest's message and 1-based column, so the
//! caller can print `ERROR: Wrong expression passed to '-k': <input>: at column N: <message>`.

use std::collections::BTreeSet;
use std::convert::Infallible;

use serde::{Deserialize, Serialize};

/// A value in a mark's keyword arguments, compared with Python's `==` semantics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MarkValue {
    Str(String),
    /// An integer in canonical decimal form (`-12`, `0`): Python ints are unbounded.
    Int(String),
    Bool(bool),
    None,
    Float(f64),
    /// Any other Python object (a list, a class...): equal to no expression value.
    Other(String),
}

impl MarkValue {
    /// An integer value from its decimal text (`-0012` becomes `-12`), or `None` if it is
    /// not an optional `-` followed by ASCII digits.
    pub fn int(text: &str) -> Option<MarkValue> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        Some(MarkValue::Int(match (trimmed.is_empty(), negative) {
            (true, _) => "0".to_string(),
            (false, true) => format!("-{trimmed}"),
            (false, false) => trimmed.to_string(),
        }))
    }

    /// Python's `self == other`: `True == 1`, `1 == 1.0`, `None == None`, strings by content.
    pub fn python_eq(&self, other: &MarkValue) -> bool {
        match (self, other) {
            (MarkValue::Str(a), MarkValue::Str(b)) => a == b,
            (MarkValue::None, MarkValue::None) => true,
            (MarkValue::Float(a), MarkValue::Float(b)) => a == b,
            (MarkValue::Other(_), _) | (_, MarkValue::Other(_)) => false,
            (a, b) => match (a.integer_text(), b.integer_text()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }

    /// The exact integer a number equals, as canonical decimal text (`1.0` is `1`).
    fn integer_text(&self) -> Option<String> {
        match self {
            MarkValue::Int(text) => Some(text.clone()),
            MarkValue::Bool(b) => Some(u8::from(*b).to_string()),
            // Rust prints an integral f64 exactly with `{:.0}`; `-0.0` equals `0`.
            MarkValue::Float(f) if f.is_finite() && f.fract() == 0.0 => {
                Some(if *f == 0.0 { "0".to_string() } else { format!("{f:.0}") })
            }
            _ => None,
        }
    }
}

/// The keyword arguments of `mark(name=value, ...)`, in the order written.
pub type Kwargs = [(String, MarkValue)];

/// A malformed expression, as pytest's `SyntaxError`: `{text}: at column {column}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: at column {column}: {message}", text.as_deref().unwrap_or("None"))]
pub struct ExpressionError {
    /// The input; `None` for errors Python's compiler reports without source (a repeated
    /// keyword argument), which pytest prints as `None`.
    pub text: Option<String>,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

/// A compiled `-k` / `-m` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    input: String,
    root: Node,
    idents: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// The empty expression.
    False,
    Ident(String),
    Call(String, Vec<(String, MarkValue)>),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
}

impl Expression {
    pub fn compile(input: &str) -> Result<Expression, ExpressionError> {
        let mut parser = Parser::new(input)?;
        let root = if parser.accept(TokenKind::Eof)?.is_some() {
            Node::False
        } else {
            let root = parser.expr()?;
            parser.expect(TokenKind::Eof)?;
            root
        };
        check_repeated_kwargs(&root)?;
        Ok(Expression { input: input.to_string(), root, idents: parser.idents })
    }

    /// The expression as written.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Every identifier the expression names (mark names, for `--strict-markers`).
    pub fn idents(&self) -> &BTreeSet<String> {
        &self.idents
    }

    /// Evaluate with `matcher(ident, kwargs)`; `kwargs` is `Some` for `ident(k=v, ...)`.
    /// `and`/`or` short-circuit, as in Python.
    pub fn evaluate(&self, mut matcher: impl FnMut(&str, Option<&Kwargs>) -> bool) -> bool {
        let result: Result<bool, Infallible> = self.try_evaluate(|name, kwargs| Ok(matcher(name, kwargs)));
        result.unwrap_or_else(|never| match never {})
    }

    /// [`Expression::evaluate`] with a matcher that can refuse an expression (pytest's `-k`
    /// rejects call parameters only when it reaches them).
    pub fn try_evaluate<E>(
        &self,
        mut matcher: impl FnMut(&str, Option<&Kwargs>) -> Result<bool, E>,
    ) -> Result<bool, E> {
        eval(&self.root, &mut matcher)
    }
}

fn eval<E>(node: &Node, matcher: &mut impl FnMut(&str, Option<&Kwargs>) -> Result<bool, E>) -> Result<bool, E> {
    Ok(match node {
        Node::False => false,
        Node::Ident(name) => matcher(name, None)?,
        Node::Call(name, kwargs) => matcher(name, Some(kwargs))?,
        Node::Not(inner) => !eval(inner, matcher)?,
        Node::And(lhs, rhs) => eval(lhs, matcher)? && eval(rhs, matcher)?,
        Node::Or(lhs, rhs) => eval(lhs, matcher)? || eval(rhs, matcher)?,
    })
}

/// Python's compiler rejects `f(x=1, x=2)` after parsing, without a source line.
fn check_repeated_kwargs(node: &Node) -> Result<(), ExpressionError> {
    match node {
        Node::False | Node::Ident(_) => Ok(()),
        Node::Call(_, kwargs) => {
            for (index, (name, _)) in kwargs.iter().enumerate() {
                if kwargs[..index].iter().any(|(earlier, _)| earlier == name) {
                    return Err(ExpressionError {
                        text: None,
                        column: 1,
                        message: format!("keyword argument repeated: {name}"),
                    });
                }
            }
            Ok(())
        }
        Node::Not(inner) => check_repeated_kwargs(inner),
        Node::And(lhs, rhs) | Node::Or(lhs, rhs) => {
            check_repeated_kwargs(lhs)?;
            check_repeated_kwargs(rhs)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    LParen,
    RParen,
    Or,
    And,
    Not,
    Ident,
    Eof,
    Equal,
    Str,
    Comma,
}

impl TokenKind {
    /// pytest's `TokenType` values, used in `expected X; got Y`.
    fn describe(self) -> &'static str {
        match self {
            TokenKind::LParen => "left parenthesis",
            TokenKind::RParen => "right parenthesis",
            TokenKind::Or => "or",
            TokenKind::And => "and",
            TokenKind::Not => "not",
            TokenKind::Ident => "identifier",
            TokenKind::Eof => "end of input",
            TokenKind::Equal => "=",
            TokenKind::Str => "string literal",
            TokenKind::Comma => ",",
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    value: String,
    /// 0-based character position.
    pos: usize,
}

fn error_at(input: &str, pos: usize, message: String) -> ExpressionError {
    ExpressionError { text: Some(input.to_string()), column: pos + 1, message }
}

/// Python's `\w` for a `str` pattern: alphanumerics (`str.isalnum`) and `_`.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    is_word_char(c) || matches!(c, ':' | '+' | '-' | '.' | '[' | ']' | '\\' | '/')
}

/// The tokens up to the first bad character, then that character's error. pytest's scanner is
/// lazy, so the error only counts once the parser moves onto it (`) $` is a grammar error at
/// column 1); without an error the tokens end with `Eof`.
fn lex(input: &str) -> (Vec<Token>, Option<ExpressionError>) {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < chars.len() {
        let c = chars[pos];
        let single = match c {
            '(' => Some(TokenKind::LParen),
            ')' => Some(TokenKind::RParen),
            '=' => Some(TokenKind::Equal),
            ',' => Some(TokenKind::Comma),
            _ => None,
        };
        if c == ' ' || c == '\t' {
            pos += 1;
        } else if let Some(kind) = single {
            tokens.push(Token { kind, value: c.to_string(), pos });
            pos += 1;
        } else if c == '\'' || c == '"' {
            match string_literal(input, &chars, pos) {
                Ok(token) => {
                    pos += token.value.chars().count();
                    tokens.push(token);
                }
                Err(error) => return (tokens, Some(error)),
            }
        } else {
            let len = chars[pos..].iter().take_while(|&&c| is_ident_char(c)).count();
            if len == 0 {
                return (tokens, Some(error_at(input, pos, format!("unexpected character \"{c}\""))));
            }
            let value: String = chars[pos..pos + len].iter().collect();
            let kind = match value.as_str() {
                "or" => TokenKind::Or,
                "and" => TokenKind::And,
                "not" => TokenKind::Not,
                _ => TokenKind::Ident,
            };
            tokens.push(Token { kind, value, pos });
            pos += len;
        }
    }
    tokens.push(Token { kind: TokenKind::Eof, value: String::new(), pos });
    (tokens, None)
}

/// A quoted string starting at `pos`, quotes included; backslashes are refused.
fn string_literal(input: &str, chars: &[char], pos: usize) -> Result<Token, ExpressionError> {
    let quote = chars[pos];
    let Some(len) = chars[pos + 1..].iter().position(|&c| c == quote) else {
        return Err(error_at(input, pos, format!("closing quote \"{quote}\" is missing")));
    };
    let literal = &chars[pos..pos + len + 2];
    if let Some(backslash) = literal.iter().position(|&c| c == '\\') {
        return Err(error_at(
            input,
            pos + backslash,
            r#"escaping with "\" not supported in marker expression"#.to_string(),
        ));
    }
    Ok(Token { kind: TokenKind::Str, value: literal.iter().collect(), pos })
}

struct Parser<'a> {
    input: &'a str,
    /// Never empty: `new` refuses an input whose first token is bad.
    tokens: Vec<Token>,
    /// The bad character after `tokens`, raised when the parser moves onto it.
    lex_error: Option<ExpressionError>,
    position: usize,
    idents: BTreeSet<String>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Result<Self, ExpressionError> {
        let (tokens, lex_error) = lex(input);
        if let (true, Some(error)) = (tokens.is_empty(), &lex_error) {
            return Err(error.clone());
        }
        Ok(Parser { input, tokens, lex_error, position: 0, idents: BTreeSet::new() })
    }

    fn current(&self) -> &Token {
        &self.tokens[self.position]
    }

    /// Consume the current token if it is a `kind`; `Eof` is never consumed.
    fn accept(&mut self, kind: TokenKind) -> Result<Option<Token>, ExpressionError> {
        let token = self.current().clone();
        if token.kind != kind {
            return Ok(None);
        }
        if kind != TokenKind::Eof {
            if self.position + 1 == self.tokens.len() {
                // Only a lexing error ends the tokens without `Eof`.
                return Err(self.lex_error.clone().unwrap_or_else(|| self.reject(&[TokenKind::Eof])));
            }
            self.position += 1;
        }
        Ok(Some(token))
    }

    fn expect(&mut self, kind: TokenKind) -> Result<Token, ExpressionError> {
        self.accept(kind)?.ok_or_else(|| self.reject(&[kind]))
    }

    fn reject(&self, expected: &[TokenKind]) -> ExpressionError {
        let expected: Vec<&str> = expected.iter().map(|kind| kind.describe()).collect();
        let current = self.current();
        error_at(
            self.input,
            current.pos,
            format!("expected {}; got {}", expected.join(" OR "), current.kind.describe()),
        )
    }

    fn expr(&mut self) -> Result<Node, ExpressionError> {
        let mut node = self.and_expr()?;
        while self.accept(TokenKind::Or)?.is_some() {
            node = Node::Or(Box::new(node), Box::new(self.and_expr()?));
        }
        Ok(node)
    }

    fn and_expr(&mut self) -> Result<Node, ExpressionError> {
        let mut node = self.not_expr()?;
        while self.accept(TokenKind::And)?.is_some() {
            node = Node::And(Box::new(node), Box::new(self.not_expr()?));
        }
        Ok(node)
    }

    fn not_expr(&mut self) -> Result<Node, ExpressionError> {
        if self.accept(TokenKind::Not)?.is_some() {
            return Ok(Node::Not(Box::new(self.not_expr()?)));
        }
        if self.accept(TokenKind::LParen)?.is_some() {
            let node = self.expr()?;
            self.expect(TokenKind::RParen)?;
            return Ok(node);
        }
        let Some(ident) = self.accept(TokenKind::Ident)? else {
            return Err(self.reject(&[TokenKind::Not, TokenKind::LParen, TokenKind::Ident]));
        };
        self.idents.insert(ident.value.clone());
        if self.accept(TokenKind::LParen)?.is_none() {
            return Ok(Node::Ident(ident.value));
        }
        let kwargs = self.kwargs()?;
        self.expect(TokenKind::RParen)?;
        Ok(Node::Call(ident.value, kwargs))
    }

    fn kwargs(&mut self) -> Result<Vec<(String, MarkValue)>, ExpressionError> {
        let mut kwargs = vec![self.kwarg()?];
        while self.accept(TokenKind::Comma)?.is_some() {
            kwargs.push(self.kwarg()?);
        }
        Ok(kwargs)
    }

    fn kwarg(&mut self) -> Result<(String, MarkValue), ExpressionError> {
        let name = self.expect(TokenKind::Ident)?;
        if !is_python_identifier(&name.value) {
            return Err(error_at(self.input, name.pos, format!("not a valid python identifier {}", name.value)));
        }
        if PYTHON_KEYWORDS.contains(&name.value.as_str()) {
            return Err(error_at(self.input, name.pos, format!("unexpected reserved python keyword `{}`", name.value)));
        }
        self.expect(TokenKind::Equal)?;
        if let Some(literal) = self.accept(TokenKind::Str)? {
            let inner: Vec<char> = literal.value.chars().collect();
            return Ok((name.value, MarkValue::Str(inner[1..inner.len() - 1].iter().collect())));
        }
        let token = self.expect(TokenKind::Ident)?;
        let value = match token.value.as_str() {
            "True" => MarkValue::Bool(true),
            "False" => MarkValue::Bool(false),
            "None" => MarkValue::None,
            text => MarkValue::int(text).ok_or_else(|| {
                error_at(self.input, token.pos, format!("unexpected character/s \"{}\"", token.value))
            })?,
        };
        Ok((name.value, value))
    }
}

/// Python's `str.isidentifier()`, approximated with Unicode alphabetic/alphanumeric classes.
fn is_python_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(is_word_char)
}

/// Python's `keyword.kwlist` (hard keywords only, as `keyword.iskeyword` checks).
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

#[cfg(test)]
mod tests;
