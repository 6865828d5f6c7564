use super::*;

fn error(input: &str) -> String {
    Expression::compile(input).expect_err(input).to_string()
}

/// Evaluate with a set of true identifiers (no kwargs).
fn eval_with(input: &str, true_idents: &[&str]) -> bool {
    Expression::compile(input).unwrap().evaluate(|name, _| true_idents.contains(&name))
}

#[test]
fn empty_expression_is_false() {
    assert!(!eval_with("", &["a"]));
    assert!(!eval_with("  \t", &["a"]));
}

#[test]
fn precedence_is_not_then_and_then_or() {
    assert!(eval_with("a or b and c", &["a"]));
    assert!(!eval_with("(a or b) and c", &["a"]));
    assert!(eval_with("not a and b", &["b"]));
    assert!(!eval_with("not (a and b) and a", &["a", "b"]));
    assert!(eval_with("not not a", &["a"]));
}

#[test]
fn identifiers_allow_pytest_characters() {
    let expr = Expression::compile("test_x.py::TestA/b[1-2]+c\\d or é and True").unwrap();
    let idents: Vec<&str> = expr.idents().iter().map(String::as_str).collect();
    assert_eq!(idents, ["True", "test_x.py::TestA/b[1-2]+c\\d", "é"]);
}

#[test]
fn keywords_are_only_whole_words() {
    assert!(eval_with("android", &["android"]));
    assert!(eval_with("notx", &["notx"]));
}

#[test]
fn evaluation_short_circuits() {
    let expr = Expression::compile("a or b(x=1)").unwrap();
    let result: Result<bool, &str> = expr.try_evaluate(|name, kwargs| match kwargs {
        Some(_) => Err("call"),
        None => Ok(name == "a"),
    });
    assert_eq!(result, Ok(true));
    let result: Result<bool, &str> =
        expr.try_evaluate(|_, kwargs| if kwargs.is_some() { Err("call") } else { Ok(false) });
    assert_eq!(result, Err("call"));
}

#[test]
fn kwargs_values() {
    let expr = Expression::compile(r#"m(a=1, b=-007, c="x y", d='q', e=True, f=False, g=None, h=0)"#).unwrap();
    let mut seen = Vec::new();
    expr.evaluate(|name, kwargs| {
        seen.push((name.to_string(), kwargs.map(<[_]>::to_vec)));
        true
    });
    let expected = vec![
        ("a".to_string(), MarkValue::Int("1".into())),
        ("b".to_string(), MarkValue::Int("-7".into())),
        ("c".to_string(), MarkValue::Str("x y".into())),
        ("d".to_string(), MarkValue::Str("q".into())),
        ("e".to_string(), MarkValue::Bool(true)),
        ("f".to_string(), MarkValue::Bool(false)),
        ("g".to_string(), MarkValue::None),
        ("h".to_string(), MarkValue::Int("0".into())),
    ];
    assert_eq!(seen, vec![("m".to_string(), Some(expected))]);
}

#[test]
fn python_equality_of_values() {
    assert!(MarkValue::Bool(true).python_eq(&MarkValue::Int("1".into())));
    assert!(MarkValue::Float(0.0).python_eq(&MarkValue::Bool(false)));
    assert!(MarkValue::Float(-0.0).python_eq(&MarkValue::Int("0".into())));
    assert!(MarkValue::Float(1e20).python_eq(&MarkValue::int("100000000000000000000").unwrap()));
    assert!(!MarkValue::Float(1.5).python_eq(&MarkValue::Int("1".into())));
    assert!(!MarkValue::Str("1".into()).python_eq(&MarkValue::Int("1".into())));
    assert!(!MarkValue::None.python_eq(&MarkValue::Bool(false)));
    assert!(!MarkValue::Other("[1]".into()).python_eq(&MarkValue::Other("[1]".into())));
    assert_eq!(MarkValue::int("--5"), None);
    assert_eq!(MarkValue::int("-000"), Some(MarkValue::Int("0".into())));
}

/// The messages real pytest 9.2 prints after `ERROR: Wrong expression passed to '-k': `.
#[test]
fn errors_match_pytest() {
    let cases = [
        ("a and", "a and: at column 6: expected not OR left parenthesis OR identifier; got end of input"),
        ("(a", "(a: at column 3: expected right parenthesis; got end of input"),
        ("a b", "a b: at column 3: expected end of input; got identifier"),
        ("a(", "a(: at column 3: expected identifier; got end of input"),
        ("a()", "a(): at column 3: expected identifier; got right parenthesis"),
        ("a(x)", "a(x): at column 4: expected =; got right parenthesis"),
        ("a(x=)", "a(x=): at column 5: expected identifier; got right parenthesis"),
        ("a(1=2)", "a(1=2): at column 3: not a valid python identifier 1"),
        ("a(if=2)", "a(if=2): at column 3: unexpected reserved python keyword `if`"),
        ("a(x=y)", "a(x=y): at column 5: unexpected character/s \"y\""),
        (r#"a(x="b\\c")"#, r#"a(x="b\\c"): at column 7: escaping with "\" not supported in marker expression"#),
        ("a(x='b", "a(x='b: at column 5: closing quote \"'\" is missing"),
        ("a $", "a $: at column 3: unexpected character \"$\""),
        ("a(x=1,x=2)", "None: at column 1: keyword argument repeated: x"),
        ("not", "not: at column 4: expected not OR left parenthesis OR identifier; got end of input"),
        (")", "): at column 1: expected not OR left parenthesis OR identifier; got right parenthesis"),
        ("a(x=1 y=2)", "a(x=1 y=2): at column 7: expected right parenthesis; got identifier"),
        ("a(x=1, y=2", "a(x=1, y=2: at column 11: expected right parenthesis; got end of input"),
        ("a(x=--5)", "a(x=--5): at column 5: unexpected character/s \"--5\""),
        ("a(x=1.5)", "a(x=1.5): at column 5: unexpected character/s \"1.5\""),
        ("a(x=+5)", "a(x=+5): at column 5: unexpected character/s \"+5\""),
        ("é $", "é $: at column 3: unexpected character \"$\""),
        ("$", "$: at column 1: unexpected character \"$\""),
    ];
    for (input, message) in cases {
        assert_eq!(error(input), message, "{input}");
    }
}

/// pytest's scanner is lazy: a bad character after a grammar error is never reached.
#[test]
fn grammar_error_before_bad_character_wins() {
    assert_eq!(error(") $"), ") $: at column 1: expected not OR left parenthesis OR identifier; got right parenthesis");
    assert_eq!(error("a b $"), "a b $: at column 3: expected end of input; got identifier");
    assert_eq!(error("a or $"), "a or $: at column 6: unexpected character \"$\"");
}
