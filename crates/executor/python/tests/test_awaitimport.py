"""Waiting for a module's first import without importing it."""
import sys

from ferrotest_runtime.awaitimport import AwaitImport, after_import


def test_await_import_calls_back_once_the_module_ran(tmp_path, monkeypatch):
    (tmp_path / "ferrotest_awaited.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    waiting = AwaitImport("ferrotest_awaited", lambda module: seen.append(module.VALUE))
    sys.meta_path.insert(0, waiting)
    try:
        import ferrotest_awaited
    finally:
        sys.modules.pop("ferrotest_awaited", None)
    assert seen == [1]
    assert waiting not in sys.meta_path
    assert type(ferrotest_awaited.__loader__).__name__ == "SourceFileLoader"


def test_after_import_waits_once_per_module(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    after_import("ferrotest_never_imported", print)
    after_import("ferrotest_never_imported", print)
    after_import("ferrotest_other", print)
    waiting = [finder.name for finder in sys.meta_path if isinstance(finder, AwaitImport)]
    assert waiting == ["ferrotest_other", "ferrotest_never_imported"]
