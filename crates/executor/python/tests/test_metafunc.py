"""``pytest_generate_tests`` hooks, module-level skips and the parametrize ini options,
checked against what pytest 9.2 does with the same code."""
import sys
import textwrap
import types

import pytest

from ferrotest_runtime import config, hooks, importing, metafunc, params

# The marks read back are not registered, as user code's often are not.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")


def _module(name, source, path):
    module = types.ModuleType(name)
    module.__file__ = str(path)
    exec(textwrap.dedent(source), module.__dict__)
    return module


@pytest.fixture
def configured(tmp_path, monkeypatch):
    """A session rooted at ``tmp_path`` and run from there, without conftests or plugins."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(hooks, "_PLUGINS", [])
    previous = config.CONFIG
    config.configure(str(tmp_path), None, {}, {}, [])
    yield tmp_path
    config.CONFIG = previous


def _expand(module, cls, name, fixturenames, conftests=()):
    for directory, conftest in conftests:
        hooks._PLUGINS.append((str(directory), conftest))
    owner = cls or module
    function = getattr(owner, name)
    function = getattr(function, "__func__", function)
    expander = params.Expander(function, nodeid=name, fixturenames=fixturenames)
    found = metafunc.module_hooks(module).for_class(cls)
    definition = metafunc.Definition(name, name, function, [])
    meta = metafunc.Metafunc(definition, fixturenames, cls, module, expander)
    metafunc.call(found.before_fixtures, meta, module.__file__)
    metafunc.call(found.after_fixtures, meta, module.__file__)
    return [call.id for call in expander.result().calls]


def test_class_hook_runs_before_module_hook_and_conftests_by_registration(configured):
    # pytest: the class's and module's hooks first, then conftests met while collecting,
    # then (after fixture params) those loaded at start-up: here the rootdir's.
    sub = configured / "sub"
    sub.mkdir()
    root = _module("conftest", """
        def pytest_generate_tests(metafunc):
            metafunc.parametrize("c", [1])
    """, configured / "conftest.py")
    nested = _module("conftest", """
        def pytest_generate_tests(metafunc):
            metafunc.parametrize("s", ["s"])
    """, sub / "conftest.py")
    module = _module("test_x", """
        def pytest_generate_tests(metafunc):
            metafunc.parametrize("m", ["m"])

        class TestK:
            def pytest_generate_tests(self, metafunc):
                metafunc.parametrize("k", ["k"])

            def test_all(self, c, s, m, k):
                pass
    """, sub / "test_x.py")
    ids = _expand(module, module.TestK, "test_all", ["c", "s", "m", "k"],
                  conftests=[(configured, root), (sub, nested)])
    assert ids == ["k-m-s-1"]
    found = metafunc.module_hooks(module).for_class(module.TestK)
    assert found.after_fixtures == [root.pytest_generate_tests]


def test_test_directories_below_the_invocation_dir_load_at_start_up(configured):
    tests = configured / "tests"
    tests.mkdir()
    conftest = _module("conftest", "def pytest_generate_tests(metafunc): pass", tests / "conftest.py")
    hooks._PLUGINS.append((str(tests), conftest))
    module = _module("test_y", "def test_y(): pass", tests / "test_y.py")
    found = metafunc.module_hooks(module).for_class(None)
    assert found.before_fixtures == []
    assert found.after_fixtures == [conftest.pytest_generate_tests]


def test_hook_error_is_the_modules_collection_error(configured):
    module = _module("test_err", """
        def pytest_generate_tests(metafunc):
            raise ValueError("boom in hook")

        def test_a():
            pass
    """, configured / "test_err.py")
    with pytest.raises(metafunc.HookError) as raised:
        _expand(module, None, "test_a", [])
    assert raised.value.message == "ValueError: boom in hook"
    assert raised.value.longrepr.endswith("E   ValueError: boom in hook")


def test_definition_reads_marks_like_pytest():
    marks = [pytest.mark.slow.mark, pytest.mark.skip(reason="x").mark, pytest.mark.slow(1).mark]
    definition = metafunc.Definition("t.py::test", "test", None, marks)
    assert definition.get_closest_marker("slow") is marks[0]
    assert list(definition.iter_markers("slow")) == [marks[0], marks[2]]
    assert definition.get_closest_marker("missing", "default") == "default"


def test_module_level_skip_is_reported_where_the_module_raised_it(tmp_path):
    path = tmp_path / "test_skipme.py"
    path.write_text("import pytest\n\npytest.importorskip('ferrotest_no_such_module')\n")
    result = importing.import_module("test_skipme", str(path), str(tmp_path), False, str(tmp_path))
    sys.modules.pop("test_skipme", None)
    assert result == (
        "skip", str(path), 3,
        "Skipped: could not import 'ferrotest_no_such_module': No module named 'ferrotest_no_such_module'",
    )


def test_parametrize_options_come_from_the_ini(tmp_path):
    ini = {
        "empty_parameter_set_mark": "xfail",
        "disable_test_id_escaping_and_forfeit_all_rights_to_community_support": "true",
        "strict": "true",
    }
    options = params.options_from_config(config.Config(str(tmp_path), None, ini))
    assert options.empty_parameter_set_mark == "xfail"
    assert options.disable_escaping is True
    # strict_parametrization_ids follows strict unless set itself.
    assert options.strict_ids is True
    defaults = params.options_from_config(config.Config(str(tmp_path), None, {}))
    assert (defaults.empty_parameter_set_mark, defaults.strict_ids, defaults.long_str_strategy) == ("skip", False, "short")
