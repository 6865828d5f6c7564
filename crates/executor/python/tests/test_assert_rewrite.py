"""Assertion rewriting against the real pytest: the same failing tests run under pytest and
through ferrotest's rewriter and tbformat, and every failure's report must be identical.

pytest runs in a subprocess on a temporary copy of ``SAMPLE`` at verbosity 0, 1 and 2; the
in-process side compiles the file with ``rewrite.compile_module`` and formats each failure
as ``run.Runner`` does (``tbformat.format_node_failure`` / ``crash_message``).
"""
import os
import re
import subprocess
import sys
import textwrap

import pytest

from ferrotest_runtime import codecache, rewrite, tbformat

SAMPLE = '''
import collections
import dataclasses

GLOBAL_LIMIT = 10


def f():
    return 3


def g(x, *args, **kwargs):
    return x + 1


class Obj:
    value = 1

    def method(self):
        return "m"

    def __repr__(self):
        return "Obj()"


@dataclasses.dataclass
class Point:
    x: int
    y: int
    label: str = "p"


Pair = collections.namedtuple("Pair", "a b")


class Custom:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return "Custom(%d)" % self.n

    def __eq__(self, other):
        return self.n == other.n


def test_eq_ints():
    assert 1 == 2


def test_ne():
    x = 3
    assert x != 3


def test_lt_and_ge():
    a, b = 5, 3
    assert a < b


def test_chained():
    x = 7
    assert 1 < x < 3


def test_in_list():
    assert 4 in [1, 2, 3]


def test_not_in_text():
    assert "foo" not in "a foo bar"


def test_not_in_long_text():
    text = "x" * 60 + "needle" + "y" * 60
    assert "needle" not in text


def test_is():
    a, b = [], []
    assert a is b


def test_is_not_none():
    assert None is not None


def test_and():
    x, y = 1, 0
    assert x and y


def test_or():
    x, y = 0, ""
    assert x or y


def test_not_call():
    assert not f()


def test_call_where():
    assert f() == 4


def test_nested_calls():
    assert g(f(), 2, key=1) == 5


def test_attribute():
    o = Obj()
    assert o.value == 2


def test_method_call():
    o = Obj()
    assert o.method() == "x"


def test_global_name():
    assert GLOBAL_LIMIT > 20


def test_binop_unary():
    x = 2
    assert -x + 1 == 5


def test_walrus():
    assert (n := 5) == 6


def test_long_strings():
    a = "a" * 80 + "left" + "b" * 80
    b = "a" * 80 + "right" + "b" * 80
    assert a == b


def test_multiline_strings():
    assert "one\\ntwo\\nthree\\n" == "one\\n2\\nthree\\n"


def test_whitespace_strings():
    assert " " == "  "


def test_percent_strings():
    assert "100%" == "50%"


def test_list_diff():
    assert [1, 2, 3] == [1, 2, 4]


def test_list_longer():
    assert [1, 2, 3, 4, 5] == [1, 2]


def test_tuple_diff():
    assert (1, "a") == (1, "b", 3)


def test_dict_diff():
    assert {"a": 1, "b": 2, "c": 3} == {"a": 1, "b": 5, "d": 4}


def test_set_diff():
    assert {1, 2, 3} == {2, 3, 4}


def test_set_subset():
    assert {1, 2} <= {2, 3}


def test_bytes():
    assert b"spam" == b"eggs"


def test_dataclass():
    assert Point(1, 2) == Point(1, 3)


def test_namedtuple():
    assert Pair(1, 2) == Pair(1, 5)


def test_custom_eq():
    assert Custom(1) == Custom(2)


def test_custom_message():
    x = 1
    assert x == 2, "x should be two"


def test_custom_message_multiline():
    assert f() == 4, "first line\\nsecond line"


def test_custom_message_object():
    assert False, {"key": [1, 2]}


def test_assert_false():
    assert False


def test_long_list_truncated():
    assert list(range(40)) == list(range(1, 41))


def test_long_text_truncated():
    left = "\\n".join("line %d" % i for i in range(30))
    right = "\\n".join("line %d!" % i for i in range(30))
    assert left == right


def test_big_dict_truncated():
    # int keys: str hashes, and so set order, vary between processes.
    left = {i: i for i in range(30)}
    right = {i: i + 1 for i in range(30)}
    assert left == right


def test_long_where_repr():
    assert len(list(range(300))) == sum(range(300))


def test_custom_hook():
    assert Custom(1) == Custom(3) or False


def test_in_method_args():
    values = {"a": 1}
    assert "b" in values


class BadRepr:
    def __repr__(self):
        raise ValueError("no repr")


def check_positive(n):
    assert n > 0, "n must be positive"


def test_multiline_assert():
    x = 1
    assert (
        x
        == 2
    )


def test_assert_in_helper():
    check_positive(-1)


def test_faulty_repr():
    assert [BadRepr()] == [1]


def test_percent_message():
    assert 0, "100% wrong"


def test_starred_call():
    assert g(*[1], **{}) == 0


def test_sets_not_equal():
    assert {1, 2} != {1, 2}


def test_unicode_normalization():
    assert "\u00e9" == "e\u0301"


def test_trailing_comment():
    x = 1
    assert x == 2  # a comment


def boom():
    raise KeyError("k")


def test_error_inside_assert():
    assert boom() == 1


def test_tuple_assert_message():
    x = 0
    assert x, ("tuple", "message")


def test_approx():
    import pytest

    assert 1.0 == pytest.approx(1.1)
'''

# A conftest hook, registered with pytest (conftest.py) and with ferrotest (the function).
CONFTEST = '''
def pytest_assertrepr_compare(op, left, right):
    if op == "==" and type(left).__name__ == "Custom" and left.n == 1 and right.n == 3:
        return ["Custom instances differ:", "   n: %d != %d" % (left.n, right.n)]
'''

SECTION_HEADER = re.compile(r"^_{3,} (\S+) _{3,}$")


@pytest.fixture
def no_ci(monkeypatch):
    """Truncation and -v hints depend on these variables: neither side may see them."""
    for name in ("CI", "BUILD_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    yield
    rewrite.configure()
    rewrite.repr_compare_hooks.clear()


def _pytest_failures(directory, filename, verbosity, options=()):
    """{test name: (report lines, summary message)} from a real pytest run."""
    # -q would lower the verbosity: -q -v is 0.
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rf", filename]
    args += ["-v"] * verbosity
    args += ["-o%s=%s" % option for option in options]
    env = dict(os.environ, COLUMNS="80")
    env.pop("CI", None)
    env.pop("BUILD_NUMBER", None)
    env.pop("PYTEST_ADDOPTS", None)
    out = subprocess.run(args, cwd=directory, env=env, capture_output=True, text=True).stdout
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "= FAILURES =" in line)
    summary = next(i for i, line in enumerate(lines) if "short test summary info" in line)
    sections = {}
    name = None
    for line in lines[start + 1 : summary]:
        match = SECTION_HEADER.match(line)
        if match:
            name = match.group(1).split(".")[-1]
            sections[name] = []
        else:
            sections[name].append(line)
    return {name: (body, _summary_messages(lines[summary + 1 :], filename).get(name)) for name, body in sections.items()}


def _summary_messages(lines, filename):
    """{test name: message} of the ``FAILED file::name - message`` lines (multi-line at -vv)."""
    messages = {}
    name = None
    for line in lines[:-1]:  # the last line is the "N failed in ..." count
        if line.startswith("FAILED %s::" % filename):
            head, _, message = line.partition(" - ")
            name = head.split("::")[-1]
            messages[name] = message
        elif name is not None:
            messages[name] += "\n" + line
    return messages


def _ferrotest_failures(path, verbosity, cwd, settings):
    """{test name: (report lines, crash message)} from ferrotest's rewriter and tbformat."""
    rewrite.configure(enabled=True, verbosity=verbosity, **settings)
    with open(path, "rb") as file:
        code = rewrite.compile_module(file.read(), path)
    module = type(sys)("test_sample")
    module.__file__ = path
    sys.modules[module.__name__] = module
    try:
        exec(code, module.__dict__)
        return {
            name: _run(func, path, cwd)
            for name, func in module.__dict__.items()
            if name.startswith("test_")
        }
    finally:
        del sys.modules[module.__name__]


def _run(func, path, cwd):
    try:
        func()
    except Exception as exc:
        text = tbformat.format_node_failure(exc, "auto", cwd, path, firstlineno=func.__code__.co_firstlineno)
        return text.split("\n"), tbformat.crash_message(exc)
    raise AssertionError("%s did not fail" % func.__name__)


def _without_addresses(lines):
    """The report as one text, object addresses (which differ between processes) masked."""
    return re.sub(r"[0-9a-f]{8,}", "?", "\n".join(lines))


def _trimmed(message, expected):
    """The short summary's trimming of ``message`` when pytest trimmed ``expected``."""
    first = message.split("\n")[0]
    if expected.endswith("...") and len(first) > len(expected):
        return first[: len(expected) - 3] + "..."
    return first


def _compare(tmp_path, verbosity, **settings):
    """Run SAMPLE under pytest (``settings`` as ini options) and ferrotest; compare."""
    path = tmp_path / "test_sample.py"
    path.write_text(SAMPLE)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    expected = _pytest_failures(str(tmp_path), path.name, verbosity, settings.items())
    hook_globals = {}
    exec(CONFTEST, hook_globals)
    rewrite.register_repr_compare_hook(hook_globals["pytest_assertrepr_compare"])
    actual = _ferrotest_failures(str(path), verbosity, str(tmp_path), settings)
    assert sorted(actual) == sorted(expected)
    for name, (lines, message) in expected.items():
        got_lines, got_message = actual[name]
        assert _without_addresses(got_lines) == _without_addresses(lines), name
        if verbosity < 2:
            got_message = _trimmed(got_message, message)
        assert _without_addresses([got_message]) == _without_addresses([message]), name


@pytest.mark.parametrize("verbosity", [0, 1, 2])
def test_reports_match_pytest(tmp_path, no_ci, verbosity):
    _compare(tmp_path, verbosity)


@pytest.mark.parametrize("verbosity", [0, 1])
def test_ini_settings_match_pytest(tmp_path, no_ci, verbosity):
    _compare(tmp_path, verbosity, truncation_limit_lines=4, truncation_limit_chars=200, assertion_text_diff_style="block")


def test_reports_match_pytest_in_classes(tmp_path, no_ci):
    source = textwrap.dedent('''
        class TestThing:
            limit = 3

            def __repr__(self):
                return "TestThing()"

            def test_self_attribute(self):
                assert self.limit == 4

            def test_chained_in_method(self):
                items = [1, 2]
                assert len(items) == 3, "need three"
    ''')
    path = tmp_path / "test_sample.py"
    path.write_text(source)
    expected = _pytest_failures(str(tmp_path), path.name, 0)
    rewrite.configure()
    code = rewrite.compile_module(path.read_bytes(), str(path))
    namespace = {"__name__": "sample_classes"}
    exec(code, namespace)
    instance = namespace["TestThing"]()
    for name in ("test_self_attribute", "test_chained_in_method"):
        lines, message = _run(getattr(instance, name), str(path), str(tmp_path))
        assert lines == expected[name][0]
        assert _trimmed(message, expected[name][1]) == expected[name][1]


def test_docstring_marker_disables_rewriting(tmp_path):
    path = tmp_path / "test_plain.py"
    path.write_text('"""Plain asserts. PYTEST_DONT_REWRITE"""\ndef test_x():\n    x = 1\n    assert x == 2\n')
    rewrite.configure()
    namespace = {}
    exec(rewrite.compile_module(path.read_bytes(), str(path)), namespace)
    assert "@pytest_ar" not in namespace
    with pytest.raises(AssertionError) as excinfo:
        namespace["test_x"]()
    assert excinfo.value.args == ()


def test_line_numbers_are_kept(tmp_path):
    source = "import os\n\n\ndef test_x():\n    a = 1\n    assert (\n        a ==\n        2\n    )\n    return a\n"
    rewrite.configure()
    code = rewrite.compile_module(source, "mod.py")
    namespace = {}
    exec(code, namespace)
    with pytest.raises(AssertionError) as excinfo:
        namespace["test_x"]()
    assert excinfo.tb.tb_next.tb_lineno == 6
    assert str(excinfo.value) == "assert 1 == 2"


def test_passing_asserts_clear_temporaries():
    rewrite.configure()
    namespace = {}
    exec(rewrite.compile_module("def t():\n    x = [1]\n    assert len(x) == 1\n    return locals()\n", "m.py"), namespace)
    temporaries = {name: value for name, value in namespace["t"]().items() if name.startswith("@py_assert")}
    assert temporaries and set(temporaries.values()) == {None}


def test_disabled_compiles_plain_code():
    rewrite.configure(enabled=False)
    try:
        namespace = {}
        exec(rewrite.compile_module("def t():\n    x = 1\n    assert x == 2\n", "m.py"), namespace)
        with pytest.raises(AssertionError) as excinfo:
            namespace["t"]()
        assert excinfo.value.args == ()
    finally:
        rewrite.configure()


def test_failure_helpers_load_lazily():
    """Importing rewritten code must not import the explanation modules."""
    script = textwrap.dedent('''
        import sys
        from ferrotest_runtime import rewrite
        namespace = {}
        exec(rewrite.compile_module("def t():\\n    assert 1 == 1\\n", "m.py"), namespace)
        namespace["t"]()
        assert "ferrotest_runtime.assertrepr" not in sys.modules
        assert "difflib" not in sys.modules
        try:
            exec(rewrite.compile_module("assert [1] == [2]\\n", "n.py"), {})
        except AssertionError:
            pass
        assert "ferrotest_runtime.assertrepr" in sys.modules
    ''')
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", script], cwd=root, check=True)


def test_cache_keys_differ_between_rewritten_and_plain(tmp_path):
    cache = codecache.CodeCache(str(tmp_path), "ferrotest-test")
    try:
        rewritten = cache.key("m.py", b"assert 1\n")
        rewrite.configure(enabled=False)
        plain = cache.key("m.py", b"assert 1\n")
    finally:
        rewrite.configure()
    other_version = codecache.CodeCache(str(tmp_path), "ferrotest-other").key("m.py", b"assert 1\n")
    assert len({rewritten, plain, other_version}) == 3


def test_registered_hook_gets_only_the_arguments_it_names(no_ci):
    seen = []

    def hook(config, left, right):
        seen.append((config.get_verbosity(), left, right))
        return ["custom"]

    rewrite.register_repr_compare_hook(hook)
    namespace = {}
    exec(rewrite.compile_module("def t():\n    assert 1 == 2\n", "m.py"), namespace)
    with pytest.raises(AssertionError) as excinfo:
        namespace["t"]()
    assert seen == [(0, 1, 2)]
    assert str(excinfo.value) == "assert custom"


def test_tuple_assert_warns_as_pytest_does():
    rewrite.configure()
    with pytest.warns(Warning) as record:
        rewrite.compile_module("def t():\n    assert (1, 'never false')\n", "m.py")
    assert [(type(w.message).__name__, str(w.message), w.lineno) for w in record] == [
        ("PytestAssertRewriteWarning", "assertion is always true, perhaps remove parentheses?", 2)
    ]
