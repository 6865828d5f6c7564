"""What pytest's own plugins set on pytest's objects in their ``pytest_configure``, set on
the real pytest once the suite imports it (ferrotest never imports pytest itself):

- ``MARK_GEN._config`` (``_pytest/mark``): ``pytest.mark.NAME`` then warns about a NAME no
  ``markers`` line registers (``PytestUnknownMarkWarning``), or fails with strict markers;
- under ``--runxfail``, ``pytest.xfail`` does nothing (``_pytest/skipping.py``).
"""
import sys

from . import awaitimport


def configure():
    """pytest's configure time: set pytest up now if it is imported, else right after."""
    module = sys.modules.get("pytest")
    if module is not None:
        _configure(module)
    else:
        awaitimport.after_import("pytest", _configure)


def _configure(pytest):
    from .config import CONFIG

    sys.modules["_pytest.mark.structures"].MARK_GEN._config = CONFIG
    if CONFIG.getoption("runxfail", False):
        pytest.xfail = _xfail_nop(pytest.xfail.Exception)


def _xfail_nop(exception):
    def nop(*args, **kwargs):
        pass

    nop.Exception = exception
    return nop
