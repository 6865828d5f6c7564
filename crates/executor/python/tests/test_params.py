"""Parametrize expansion compared with real pytest on the same modules.

Each case writes a test module, lets pytest collect it in a subprocess (an oracle
conftest dumps every item's node id, marks and parameters), imports the same module here
to get real Mark objects, expands them with ``params.expand`` and compares.
"""
import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from ferrotest_runtime import marks, params

# The cases' modules use marks that are not registered, as user code does.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")

ORACLE_CONFTEST = """
import json, os

def pytest_collection_modifyitems(items):
    dump = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        dump.append({
            "nodeid": item.nodeid,
            "marks": [[m.name, repr(m.args), repr(m.kwargs)] for m in item.iter_markers()],
            "params": {k: repr(v) for k, v in callspec.params.items()} if callspec else {},
            "indices": callspec.indices if callspec else {},
        })
    with open(os.environ["ORACLE_OUT"], "w") as f:
        json.dump(dump, f)
"""

HEADER = """\
import enum, math, re
import pytest

pytestmark = [pytest.mark.filterwarnings("ignore")]

class Color(enum.Enum):
    RED = 1

class Num(enum.IntEnum):
    ONE = 1

class Thing:
    pass

def helper():
    pass
"""

def run_pytest(directory, filename, ini=None):
    """Collect ``filename`` with real pytest; returns (items, output)."""
    (directory / "conftest.py").write_text(ORACLE_CONFTEST)
    lines = ["[pytest]"] + [f"{key} = {value}" for key, value in (ini or {}).items()]
    (directory / "pytest.ini").write_text("\n".join(lines) + "\n")
    out = directory / "oracle.json"
    if out.exists():
        out.unlink()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", filename],
        cwd=directory,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"ORACLE_OUT": str(out), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )
    items = json.loads(out.read_text()) if out.exists() else []
    return items, result.stdout + result.stderr


def import_module(path):
    """Import ``path`` under the name pytest gives it, so that reprs agree."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def collected_functions(module):
    """(class chain, function) for each test function, in definition order."""
    for name, obj in list(vars(module).items()):
        if name.startswith("test") and callable(obj):
            yield [], obj
        elif name.startswith("Test") and isinstance(obj, type):
            yield from _class_functions([obj])


def _class_functions(chain):
    for name, obj in vars(chain[-1]).items():
        if name.startswith("test") and callable(obj):
            yield chain, obj
        elif name.startswith("Test") and isinstance(obj, type):
            yield from _class_functions([*chain, obj])


def ferro_items(module, filename, options=None):
    """What ferrotest computes for every item of ``module``, in the oracle's format."""
    items = []
    for chain, function in collected_functions(module):
        base = "::".join([filename, *(cls.__name__ for cls in chain), function.__name__])
        definition_marks = marks.item_marks(function, chain, module)
        result = params.expand(
            function,
            definition_marks,
            nodeid=base,
            cls=chain[-1] if chain else None,
            options=options,
        )
        for call in result.calls or [None]:
            param_marks = call.marks if call else ()
            item_marks = marks.item_marks(function, chain, module, param_marks)
            items.append({
                "nodeid": call.name(base) if call else base,
                "marks": [[m.name, repr(m.args), repr(m.kwargs)] for m in item_marks],
                "params": {k: repr(v) for k, v in call.params.items()} if call else {},
                "indices": call.indices if call else {},
            })
    return items


@pytest.fixture
def compare(tmp_path):
    """Compare ferrotest with pytest on a module body; returns the pytest items."""

    def run(body, ini=None, options=None, ordered=True):
        path = tmp_path / "test_case.py"
        path.write_text(HEADER + textwrap.dedent(body))
        expected, output = run_pytest(tmp_path, path.name, ini)
        assert expected, output
        actual = ferro_items(import_module(path), path.name, options)
        if not ordered:
            actual.sort(key=lambda item: item["nodeid"])
            expected.sort(key=lambda item: item["nodeid"])
        assert [i["nodeid"] for i in actual] == [i["nodeid"] for i in expected]
        for mine, theirs in zip(actual, expected):
            assert mine["indices"] == theirs["indices"], mine["nodeid"]
            # Reprs holding addresses differ between the two processes.
            assert _strip_addresses(mine["marks"]) == _strip_addresses(theirs["marks"])
            assert _strip_addresses(mine["params"]) == _strip_addresses(theirs["params"])
        return expected

    return run


def _strip_addresses(data):
    import re

    return json.loads(re.sub(r" at 0x[0-9a-f]+", " at 0x", json.dumps(data)))


def ids(items):
    return [item["nodeid"].partition("::")[2] for item in items]


def test_scalar_values(compare):
    items = compare("""
        @pytest.mark.parametrize("x", [0, 1, -5, 10**30, None, True, False, 1+2j])
        def test_ints(x): pass

        @pytest.mark.parametrize("x", [1.5, float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1e100, 1e-7])
        def test_floats(x): pass
    """)
    assert "test_floats[-0.0]" in ids(items) and "test_floats[nan]" in ids(items)


def test_string_values(compare):
    items = compare(r"""
        @pytest.mark.parametrize("s", [
            "a b", "h\u00e9llo", "line\nbreak", "back\\slash", "tab\tcr\r", "", "\u65e5\u672c",
            "\x00\x7f", "emoji\U0001F600", "[brackets]", "::colons", "a-b", "x" * 100, "y" * 101,
            "\u00e9" * 101,
        ])
        def test_str(s): pass

        @pytest.mark.parametrize("b", [b"abc", b"\xff\x00", b"", "\u00e9".encode(), b"\n", b"z" * 101])
        def test_bytes(b): pass
    """)
    assert r"test_str[h\xe9llo]" in ids(items)


def test_values_beside_the_plain_types(compare):
    # Subclasses of the types whose id is their str, and strings escaping leaves alone or not.
    compare(r"""
        class MyInt(int):
            pass

        class MyStr(str):
            pass

        class MyFloat(float):
            pass

        @pytest.mark.parametrize("v", [
            MyInt(3), MyStr("s\u00e9"), MyFloat(1.5), 1, "plain", "sp ace", "q'\"", "~!@#$%^&*()",
            "x" * 100, "\x7f", "\\", 2.5, None, True,
        ])
        def test_single(v): pass

        @pytest.mark.parametrize("a, b", [(1, "x"), (MyStr("y"), 2.0), ("back\\slash", None), ("\t", True)])
        def test_pairs(a, b): pass
    """)


def test_object_values(compare):
    compare("""
        @pytest.mark.parametrize("v", [
            Color.RED, Num.ONE, re.compile("a+b"), re.compile(b"x\\\\d"), re.compile("\u00e9"),
            Thing, helper, len, math, lambda: 0, object(), Thing(), [1, 2], {"a": 1}, (1, 2),
            pytest,
        ])
        def test_objects(v): pass
    """)


def test_argname_forms(compare):
    compare("""
        @pytest.mark.parametrize("a, b", [(1, (2, 3)), ((1, 2), "s"), "xy", [4, 5]])
        def test_nested(a, b): pass

        @pytest.mark.parametrize(["a", "b"], [(1, 2)])
        def test_list_names(a, b): pass

        @pytest.mark.parametrize(("a",), [(1,), (2,)])
        def test_tuple_name(a): pass

        @pytest.mark.parametrize("a,", [(1,), ("z",)])
        def test_trailing_comma(a): pass

        @pytest.mark.parametrize("a", [(1,), (2, 3)])
        def test_tuple_value(a): pass
    """)


def test_explicit_ids(compare):
    compare("""
        @pytest.mark.parametrize("x", range(9), ids=["one", None, 3, 2.5, True, Color.RED, b"by", "\u00e9", "a\\nb"])
        def test_list(x): pass

        @pytest.mark.parametrize("x", [1, 2], ids=[])
        def test_empty_list(x): pass

        @pytest.mark.parametrize("x", [1, 2, 3], ids=(f"g{i}" for i in range(2)))
        def test_short_generator(x): pass

        @pytest.mark.parametrize("x", [1, 2, 3], ids=iter(["i", "j", "k", "l"]))
        def test_long_iterator(x): pass

        def idfn(value):
            return {1: None, 2: "two", 3: 33, 4: object(), 5: "\u00e9", 6: Color.RED}.get(value, value)

        @pytest.mark.parametrize("x", [1, 2, 3, 4, 5, 6, Thing])
        def test_callable(x, y): pass
        test_callable = pytest.mark.parametrize("y", [1, 2], ids=idfn)(test_callable)

        @pytest.mark.parametrize("a,b", [(1, 2), (3, 4)], ids=str)
        def test_callable_two_names(a, b): pass
    """)


def test_param_ids_and_marks(compare):
    compare("""
        @pytest.mark.parametrize("x", [
            pytest.param(1, id="first"),
            pytest.param(2, marks=pytest.mark.xfail),
            pytest.param(3, marks=[pytest.mark.skip(reason="r"), pytest.mark.custom]),
            pytest.param(4, id="\u00e9 x"),
            pytest.param(5, id="given", marks=pytest.mark.other),
        ], ids=["a", "b", "c", "d", "e"])
        def test_params(x): pass

        @pytest.mark.parametrize("a,b", [pytest.param(1, 2, id="pair"), (3, 4)])
        def test_param_two_names(a, b): pass
    """)


def test_hidden_param(compare):
    items = compare("""
        @pytest.mark.parametrize("x", [pytest.param(1, id=pytest.HIDDEN_PARAM), 2])
        @pytest.mark.parametrize("y", [pytest.param(3, id=pytest.HIDDEN_PARAM)])
        def test_hidden(x, y): pass

        @pytest.mark.parametrize("x", [1], ids=[pytest.HIDDEN_PARAM])
        def test_only_hidden(x): pass
    """)
    assert "test_only_hidden" in ids(items)


def test_stacked_decorators_make_a_product(compare):
    items = compare("""
        @pytest.mark.parametrize("x", [0, 1])
        @pytest.mark.parametrize("y", ["a", "b"])
        @pytest.mark.parametrize("z", [pytest.param(True, marks=pytest.mark.m)])
        def test_product(x, y, z): pass
    """)
    assert ids(items)[:2] == ["test_product[True-a-0]", "test_product[True-a-1]"]


def test_duplicate_ids(compare):
    items = compare("""
        @pytest.mark.parametrize("x", [1, 1, "1", 1.0])
        def test_digits(x): pass

        @pytest.mark.parametrize("x", ["a", "a", "a0", "a1"])
        def test_taken_suffixes(x): pass

        @pytest.mark.parametrize("x", [1, 2, 3], ids=["x", "x", ""])
        def test_ids_list(x): pass

        @pytest.mark.parametrize("x", [object(), object()], ids=[None, "x0"])
        def test_generated_clash(x): pass
    """)
    assert ids(items)[:4] == ["test_digits[1_0]", "test_digits[1_1]", "test_digits[1_2]", "test_digits[1.0]"]


def test_class_and_module_marks(compare):
    compare("""
        pytestmark = [pytest.mark.parametrize("m", [1, 2]), pytest.mark.filterwarnings("ignore")]

        @pytest.mark.parametrize("c", ["x"])
        class TestOuter:
            @pytest.mark.parametrize("f", [True])
            def test_method(self, m, c, f): pass

            def test_plain(self, m, c): pass

            @pytest.mark.parametrize("i", [3], indirect=False)
            class TestInner:
                def test_inner(self, m, c, i): pass

        def test_module_level(m): pass
    """)


def test_mark_ids_are_generated_once(compare):
    # The second method reuses (and escapes again) the ids stored on the class mark.
    items = compare("""
        @pytest.mark.parametrize("x", [1, 2], ids=["\u00e9", "a\\nb"])
        class TestShared:
            def test_one(self, x): pass
            def test_two(self, x): pass

        @pytest.mark.parametrize("x", [1, 2], ids=iter(["g", "h"]))
        class TestGenerator:
            def test_one(self, x): pass
            def test_two(self, x): pass
    """)
    assert r"TestShared::test_two[\\xe9]" in ids(items)


@pytest.mark.parametrize("setting", ["skip", "xfail"])
def test_empty_parameter_set(compare, setting):
    items = compare(
        """
        @pytest.mark.parametrize("x, y", [])
        def test_empty(x, y): pass

        @pytest.mark.parametrize("x", [1, 2])
        @pytest.mark.parametrize("y", [], ids=["never"])
        def test_empty_stacked(x, y): pass
        """,
        ini={"empty_parameter_set_mark": setting},
        options=params.Options(empty_parameter_set_mark=setting),
    )
    assert ids(items)[0] == "test_empty[NOTSET]"


def test_indirect_and_scope(compare):
    # pytest then groups the items by their module-scoped parameter; that is fixture
    # ordering, done after expansion.
    compare(ordered=False, body="""
        @pytest.fixture
        def fx(request):
            return request.param

        @pytest.mark.parametrize("fx, y", [(1, 2), (3, 4)], indirect=["fx"], scope="module")
        @pytest.mark.parametrize("z", [5, 6])
        def test_partly_indirect(fx, y, z): pass
    """)


def test_indirect_and_scope_are_reported(tmp_path):
    path = tmp_path / "test_case.py"
    path.write_text(HEADER + textwrap.dedent("""
        @pytest.mark.parametrize("fx, y", [(1, 2)], indirect=["fx"], scope="module")
        @pytest.mark.parametrize("z", [5], indirect=True)
        def test_it(fx, y, z): pass
    """))
    module = import_module(path)
    result = params.expand(module.test_it, marks.item_marks(module.test_it, [], module), nodeid="n")
    assert result.indirect == {"fx", "z"}
    assert result.calls[0].scopes == {"fx": "module", "y": "module", "z": None}


def test_escaping_disabled(compare):
    compare(
        r"""
        @pytest.mark.parametrize("s", ["h\u00e9", "a\nb"], ids=[None, "\u00e8"])
        @pytest.mark.parametrize("t", [pytest.param(1, id="\u00ea")])
        def test_raw(s, t): pass
        """,
        ini={"disable_test_id_escaping_and_forfeit_all_rights_to_community_support": "true"},
        options=params.Options(disable_escaping=True),
    )


@pytest.mark.parametrize("strategy", ["legacy", "sha256"])
def test_long_string_strategies(compare, strategy):
    compare(
        """
        @pytest.mark.parametrize("s", ["x" * 101, b"y" * 200, "\u00e9" * 101])
        def test_long(s): pass
        """,
        ini={"parametrize_long_str_id_strategy": strategy},
        options=params.Options(long_str_strategy=strategy),
    )


def test_id_hook(compare, tmp_path):
    (tmp_path / "conftest_hook.py").write_text(
        "def pytest_make_parametrize_id(config, val, argname):\n"
        "    return f'{argname}={val}' if isinstance(val, int) else None\n"
    )
    compare(
        """
        pytest_plugins = ["conftest_hook"]

        @pytest.mark.parametrize("x", [1, "s"])
        def test_hooked(x): pass
        """,
        options=params.Options(
            id_hook=lambda val, argname: f"{argname}={val}" if isinstance(val, int) else None
        ),
    )


ERROR_CASES = {
    "unknown_argname": """
        @pytest.mark.parametrize("y", [1])
        def test_x(x): pass
    """,
    "unknown_indirect_fixture": """
        @pytest.mark.parametrize("y", [1], indirect=True)
        def test_x(x): pass
    """,
    "unknown_listed_fixture": """
        @pytest.mark.parametrize("x, y", [(1, 2)], indirect=["y"])
        def test_x(x): pass
    """,
    "default_argument": """
        @pytest.mark.parametrize("y", [1])
        def test_x(y=3): pass
    """,
    "too_many_values": """
        @pytest.mark.parametrize("a,b", [(1, 2, 3)])
        def test_x(a, b): pass
    """,
    "not_a_sequence": """
        @pytest.mark.parametrize("a,b", [1])
        def test_x(a, b): pass
    """,
    "duplicate_argnames": """
        @pytest.mark.parametrize("a,a", [(1, 2)])
        def test_x(a): pass
    """,
    "duplicate_across_marks": """
        @pytest.mark.parametrize("a", [1])
        @pytest.mark.parametrize("a", [2])
        def test_x(a): pass
    """,
    "ids_length": """
        @pytest.mark.parametrize("a", [1, 2], ids=["a"])
        def test_x(a): pass
    """,
    "unsupported_id": """
        @pytest.mark.parametrize("a", [1], ids=[[1]])
        def test_x(a): pass
    """,
    "request_argname": """
        @pytest.mark.parametrize("request", [1])
        def test_x(request): pass
    """,
    "bad_scope": """
        @pytest.mark.parametrize("a", [1], scope="galaxy")
        def test_x(a): pass
    """,
    "missing_indirect": """
        @pytest.mark.parametrize("a", [1], indirect=["b"])
        def test_x(a): pass
    """,
    "bad_indirect_type": """
        @pytest.mark.parametrize("a", [1], indirect=3)
        def test_x(a): pass
    """,
    "two_hidden": """
        @pytest.mark.parametrize("a", [1, 2], ids=[pytest.HIDDEN_PARAM, pytest.HIDDEN_PARAM])
        def test_x(a): pass
    """,
    "idfn_raises": """
        @pytest.mark.parametrize("a", [1], ids=lambda v: 1 / 0)
        def test_x(a): pass
    """,
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_collection_errors(tmp_path, case):
    path = tmp_path / "test_case.py"
    path.write_text(HEADER + textwrap.dedent(ERROR_CASES[case]))
    _, output = run_pytest(tmp_path, path.name)
    module = import_module(path)
    with pytest.raises(params.ParametrizeError) as excinfo:
        params.expand(
            module.test_x, marks.item_marks(module.test_x, [], module), nodeid="test_case.py::test_x"
        )
    assert excinfo.value.message in output


def _expand_with(tmp_path, body, options):
    path = tmp_path / "test_case.py"
    path.write_text(HEADER + textwrap.dedent(body))
    module = import_module(path)
    with pytest.raises(params.ParametrizeError) as excinfo:
        params.expand(
            module.test_x,
            marks.item_marks(module.test_x, [], module),
            nodeid="test_case.py::test_x",
            options=options,
        )
    _, output = run_pytest(tmp_path, path.name, ini=_ini_for(options))
    return excinfo.value.message, output


def _ini_for(options):
    return {
        "empty_parameter_set_mark": options.empty_parameter_set_mark,
        "strict_parametrization_ids": str(options.strict_ids).lower(),
        "parametrize_long_str_id_strategy": options.long_str_strategy,
    }


@pytest.mark.parametrize(
    "body, options",
    [
        (
            """
            @pytest.mark.parametrize("a", [])
            def test_x(a): pass
            """,
            params.Options(empty_parameter_set_mark="fail_at_collect"),
        ),
        (
            """
            @pytest.mark.parametrize("a", [1, 1, pytest.param(2, id="\u00e9"), pytest.param(3, id=pytest.HIDDEN_PARAM)])
            def test_x(a): pass
            """,
            params.Options(strict_ids=True),
        ),
        (
            """
            @pytest.mark.parametrize("a", ["x" * 101])
            def test_x(a): pass
            """,
            params.Options(long_str_strategy="disallow"),
        ),
    ],
    ids=["fail_at_collect", "strict_ids", "disallow_long_str"],
)
def test_errors_from_settings(tmp_path, body, options):
    message, output = _expand_with(tmp_path, body, options)
    assert message in output


def test_non_collection_argvalues_warn(tmp_path):
    path = tmp_path / "test_case.py"
    path.write_text(HEADER + textwrap.dedent("""
        @pytest.mark.parametrize("a", (i for i in range(2)))
        def test_x(a): pass
    """))
    module = import_module(path)
    with pytest.warns(pytest.PytestRemovedIn10Warning, match="non-Collection iterable"):
        result = params.expand(
            module.test_x, marks.item_marks(module.test_x, [], module), nodeid="n"
        )
    assert [call.id for call in result.calls] == ["0", "1"]


def test_no_parametrize_mark_means_no_calls():
    def test_plain():
        pass

    assert params.expand(test_plain, [], nodeid="n").calls == []


def test_importing_params_stays_cheap():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import ferrotest_runtime.params, ferrotest_runtime.marks;"
        "heavy = {'pytest', '_pytest', 're', 'inspect', 'enum'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    import os

    package_dir = os.path.dirname(os.path.dirname(params.__file__))
    result = subprocess.run(
        [sys.executable, "-S", "-c", code, package_dir], capture_output=True, text=True
    )
    assert result.stdout.strip() == "[]", result.stderr
