"""The code cache: an unchanged module is compiled once, a changed one again, and a cache
that cannot be written only costs speed."""
import os
import sys

import pytest

from ferrotest_runtime import codecache


@pytest.fixture
def isolated_imports(monkeypatch):
    """Restore sys.meta_path and sys.modules after each test."""
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        del sys.modules[name]


def _count_compiles(monkeypatch):
    calls = []
    original = codecache.CachingLoader.source_to_code

    def counting(self, data, path):
        calls.append(path)
        return original(self, data, path)

    monkeypatch.setattr(codecache.CachingLoader, "source_to_code", counting)
    return calls


def _import_fresh(name):
    sys.modules.pop(name, None)
    return __import__(name)


def test_unchanged_module_is_compiled_once(tmp_path, monkeypatch, isolated_imports):
    module = tmp_path / "test_cached_a.py"
    module.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    compiles = _count_compiles(monkeypatch)
    codecache.install([str(module)], str(tmp_path / "cache"), "ferrotest-test")

    assert _import_fresh("test_cached_a").VALUE == 1
    assert _import_fresh("test_cached_a").VALUE == 1
    assert compiles == [str(module)]
    assert not (tmp_path / "__pycache__").exists()


def test_changed_source_is_compiled_again(tmp_path, monkeypatch, isolated_imports):
    module = tmp_path / "test_cached_b.py"
    module.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    compiles = _count_compiles(monkeypatch)
    codecache.install([str(module)], str(tmp_path / "cache"), "ferrotest-test")

    assert _import_fresh("test_cached_b").VALUE == 1
    module.write_text("VALUE = 2\n")
    assert _import_fresh("test_cached_b").VALUE == 2
    assert len(compiles) == 2


def test_paths_may_be_path_objects(tmp_path, monkeypatch, isolated_imports):
    # The Rust side hands over pathlib.Path objects.
    module = tmp_path / "test_cached_e.py"
    module.write_text("VALUE = 5\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    codecache.install([module], tmp_path / "cache", "ferrotest-test")

    assert isinstance(_import_fresh("test_cached_e").__loader__, codecache.CachingLoader)
    assert len(os.listdir(tmp_path / "cache")) == 1


def test_other_modules_are_left_to_the_regular_import_system(tmp_path, monkeypatch, isolated_imports):
    (tmp_path / "helper_mod.py").write_text("X = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    codecache.install([], str(tmp_path / "cache"), "ferrotest-test")

    helper = _import_fresh("helper_mod")
    assert helper.X == 3
    assert not isinstance(helper.__loader__, codecache.CachingLoader)


def test_unwritable_cache_still_imports(tmp_path, monkeypatch, isolated_imports):
    module = tmp_path / "test_cached_c.py"
    module.write_text("VALUE = 3\n")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    codecache.install([str(module)], os.path.join(str(blocker), "cache"), "ferrotest-test")

    assert _import_fresh("test_cached_c").VALUE == 3


def test_syntax_errors_surface_unchanged(tmp_path, monkeypatch, isolated_imports):
    module = tmp_path / "test_cached_d.py"
    module.write_text("def broken(:\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    codecache.install([str(module)], str(tmp_path / "cache"), "ferrotest-test")

    with pytest.raises(SyntaxError) as excinfo:
        _import_fresh("test_cached_d")
    assert excinfo.value.filename == str(module)
