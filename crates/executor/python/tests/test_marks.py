"""Marks and -k keywords compared with what real pytest reports for the same module."""
import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from ferrotest_runtime import marks, params

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")

ORACLE_CONFTEST = """
import json, os
from _pytest.mark import KeywordMatcher

def pytest_collection_modifyitems(items):
    dump = {
        item.nodeid: {
            "marks": [[m.name, repr(m.args), repr(m.kwargs)] for m in item.iter_markers()],
            "keywords": sorted(KeywordMatcher.from_item(item)._names),
        }
        for item in items
    }
    with open(os.environ["ORACLE_OUT"], "w") as f:
        json.dump(dump, f)
"""

MODULE = """
import pytest

pytestmark = [pytest.mark.mod1, pytest.mark.mod2("arg")]

@pytest.mark.base
class Base:
    pass

@pytest.mark.mixin
class Mixin:
    pytestmark = [pytest.mark.mixin_body]

@pytest.mark.outer1
@pytest.mark.outer2(k=1)
class TestOuter(Base, Mixin):
    @pytest.mark.inner
    class TestInner(Base):
        @pytest.mark.f1
        @pytest.mark.f2
        @pytest.mark.parametrize("x", [pytest.param(1, marks=[pytest.mark.p1, pytest.mark.p2])])
        def test_method(self, x):
            pass

    def test_outer(self):
        pass

@pytest.mark.single
def test_function():
    pass
test_function.attribute = True
test_function._private = True
test_function.cache_parameters = 1

class TestPlainAttribute:
    pytestmark = pytest.mark.not_a_list

    def test_it(self):
        pass
"""


@pytest.fixture
def oracle(tmp_path):
    """The module under sub/ as pytest collects it, and the same module imported here."""
    package = tmp_path / "sub"
    package.mkdir()
    path = package / "test_marked.py"
    path.write_text(textwrap.dedent(MODULE))
    (tmp_path / "conftest.py").write_text(ORACLE_CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    out = tmp_path / "oracle.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"ORACLE_OUT": str(out), "PATH": "/usr/bin:/bin"},
    )
    assert out.exists(), result.stdout + result.stderr
    spec = importlib.util.spec_from_file_location("test_marked", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return json.loads(out.read_text()), module


def _items(module):
    """(node id, name, function, class chain, param marks) for the module's items."""
    outer, inner = module.TestOuter, module.TestOuter.TestInner
    method = inner.test_method
    call = params.expand(method, marks.item_marks(method, [outer, inner], module), nodeid="n",
                         cls=inner).calls[0]
    base = "sub/test_marked.py"
    return [
        (f"{base}::TestOuter::TestInner::test_method[1]", "test_method[1]", method,
         [outer, inner], call.marks),
        (f"{base}::TestOuter::test_outer", "test_outer", outer.test_outer, [outer], ()),
        (f"{base}::test_function", "test_function", module.test_function, [], ()),
        (f"{base}::TestPlainAttribute::test_it", "test_it", module.TestPlainAttribute.test_it,
         [module.TestPlainAttribute], ()),
    ]


def test_item_marks_follow_iter_markers(oracle):
    expected, module = oracle
    for nodeid, _, function, chain, param_marks in _items(module):
        found = marks.item_marks(function, chain, module, param_marks)
        assert [[m.name, repr(m.args), repr(m.kwargs)] for m in found] == expected[nodeid]["marks"]


def test_keyword_names_follow_keyword_matcher(oracle):
    expected, module = oracle
    for nodeid, name, function, chain, param_marks in _items(module):
        parents = ["sub", "test_marked.py", *(cls.__name__ for cls in chain)]
        item_marks = marks.item_marks(function, chain, module, param_marks)
        found = marks.keyword_names(name, function, parents, item_marks)
        assert sorted(found) == expected[nodeid]["keywords"]


def test_own_marks_merge_the_mro_base_first_keeping_duplicates():
    @pytest.mark.a
    class Base:
        pass

    @pytest.mark.b
    class Left(Base):
        pass

    @pytest.mark.c
    class Right(Base):
        pass

    class Both(Left, Right):
        pytestmark = pytest.mark.d

    # reversed MRO: object, Base, Right, Left, Both.
    assert [m.name for m in marks.own_marks(Both)] == ["a", "c", "b", "d"]
    assert [m.name for m in marks.own_marks(Both)] == [
        m.name for m in sys.modules["_pytest.mark.structures"].get_unpacked_marks(Both)
    ]


def test_own_marks_unwrap_decorators_and_reject_other_values():
    class Holder:
        pass

    Holder.pytestmark = [pytest.mark.x, pytest.mark.y.mark]
    assert [m.name for m in marks.own_marks(Holder)] == ["x", "y"]
    Holder.pytestmark = [pytest.mark.x, "oops"]
    with pytest.raises(TypeError, match="got 'oops' instead of Mark"):
        marks.own_marks(Holder)


def test_own_marks_warn_for_a_module_getattr_answering_none():
    class Module:
        pytestmark = None

    with pytest.warns(pytest.PytestCollectionWarning, match="returns None for 'pytestmark'"):
        assert marks.own_marks(Module()) == []


def test_own_marks_do_not_share_the_stored_list():
    def test_x():
        pass

    test_x.pytestmark = []
    marks.item_marks(test_x, [], None, [pytest.mark.extra])
    assert test_x.pytestmark == []
