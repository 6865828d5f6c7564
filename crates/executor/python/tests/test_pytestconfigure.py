"""What pytest's own ``pytest_configure`` would set, set on the real pytest: unknown marks
warn (or fail with strict markers) and ``--runxfail`` disables ``pytest.xfail``."""
import importlib
import sys
import textwrap

import pytest
from _pytest.mark.structures import MARK_GEN

from ferrotest_runtime import config, pytestconfigure
from ferrotest_runtime.awaitimport import AwaitImport


@pytest.fixture
def configured(monkeypatch):
    """``configure(ini=..., options=...)`` as a session would; pytest's objects come back
    as they were after the test."""
    monkeypatch.setattr(MARK_GEN, "_config", MARK_GEN._config)
    monkeypatch.setattr(MARK_GEN, "_markers", set())
    monkeypatch.setattr(pytest, "xfail", pytest.xfail)

    def configure(ini=None, options=None):
        monkeypatch.setattr(config, "CONFIG", config.Config(ini=ini, options=options))
        pytestconfigure.configure()

    return configure


def test_unregistered_marks_warn_and_registered_ones_do_not(configured):
    configured(ini={"markers": "slow: slow tests\nwith_args(n): takes n"})
    config.CONFIG.addinivalue_line("markers", "from_conftest")
    with pytest.warns(pytest.PytestUnknownMarkWarning, match=r"^Unknown pytest.mark.typo - is this a typo\?"):
        MARK_GEN.typo
    for name in ("slow", "with_args", "from_conftest", "skipif", "filterwarnings", "usefixtures"):
        getattr(MARK_GEN, name)


@pytest.mark.parametrize("ini", [{"strict_markers": "true"}, {"strict": "true"}])
def test_strict_markers_fail_on_an_unregistered_mark(configured, ini):
    configured(ini=ini)
    with pytest.raises(pytest.fail.Exception, match="^'typo' not found in `markers` configuration option$"):
        MARK_GEN.typo


def test_strict_markers_off_overrides_strict(configured):
    configured(ini={"strict": "true", "strict_markers": "false"})
    with pytest.warns(pytest.PytestUnknownMarkWarning):
        MARK_GEN.typo


def test_runxfail_makes_pytest_xfail_do_nothing(configured):
    exception = pytest.xfail.Exception
    configured(options={"runxfail": True})
    assert pytest.xfail("ignored") is None
    assert pytest.xfail.Exception is exception


def test_pytest_imported_later_is_configured_right_after_its_import(configured, monkeypatch, tmp_path):
    # A stand-in for pytest, imported the way a test module's ``import pytest`` would be.
    (tmp_path / "pytest.py").write_text(textwrap.dedent("""\
        class _Xfail:
            Exception = RuntimeError

        xfail = _Xfail()
        """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pytest")
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    configured(options={"runxfail": True})
    assert MARK_GEN._config is not config.CONFIG
    module = importlib.import_module("pytest")
    assert MARK_GEN._config is config.CONFIG
    assert module.xfail.Exception is RuntimeError and module.xfail() is None
    assert module.__loader__ is module.__spec__.loader and type(module.__loader__).__name__ == "SourceFileLoader"
    assert not any(isinstance(finder, AwaitImport) for finder in sys.meta_path)
