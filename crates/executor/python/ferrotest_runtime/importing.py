"""Importing test modules and conftests as pytest's default ``prepend`` import mode does."""
import importlib
import os
import sys

from . import config, hooks, outcomes, plugins

_IMPORT_ERROR_HEADER = (
    "ImportError while importing test module '{path}'.\n"
    "Hint: make sure your test modules/packages have valid Python names.\n"
    "Traceback:\n"
)
_MISMATCH = (
    "import file mismatch:\n"
    "imported module {name!r} has this __file__ attribute:\n"
    "  {module_file}\n"
    "which is not the same as the test file we want to collect:\n"
    "  {path}\n"
    "HINT: remove __pycache__ / .pyc files and/or use a unique basename for your test file modules"
)
_NON_TOP_PYTEST_PLUGINS = (
    "Defining 'pytest_plugins' in a non-top-level conftest is no longer supported:\n"
    "It affects the entire test suite instead of just below the conftest as expected.\n"
    "  {conftest}\n"
    "Please move it to a top level conftest file at the rootdir:\n"
    "  {confcutdir}\n"
    "For more information, visit:\n"
    "  https://docs.pytest.org/en/stable/deprecations.html#pytest-plugins-in-non-top-level-conftest-files"
)
_SKIP_WITHOUT_MODULE_LEVEL = (
    "Using pytest.skip outside of a test will skip the entire module. "
    "If that's your intention, pass `allow_module_level=True`. "
    "If you want to skip a specific test or an entire class, "
    "use the @pytest.mark.skip or @pytest.mark.skipif decorators."
)


# Directory -> the conftest module imported from it, in import (pytest's registration) order.
# Kept here because conftests outside packages share the name ``conftest`` in sys.modules.
CONFTESTS = {}


def import_module(import_name, path, sys_path_entry, is_conftest, cwd):
    """Import one module. Returns None on success, ``("skip", path, lineno, message)`` when the
    module skipped itself with ``allow_module_level=True`` (where, 1-based, and pytest's
    ``Skipped: reason``), else ``("error", longrepr, message)`` with pytest's collection
    error text and short-summary reason (empty where pytest shows none)."""
    path, sys_path_entry, cwd = os.fspath(path), os.fspath(sys_path_entry), os.fspath(cwd)
    if sys_path_entry not in sys.path:
        sys.path.insert(0, sys_path_entry)
    if is_conftest and "." not in import_name:
        # Conftests outside packages all import as ``conftest``: pytest drops the previous one
        # from sys.modules first (``_ensure_removed_sysmodule``) so each loads its own file.
        sys.modules.pop(import_name, None)
    try:
        module = importlib.import_module(import_name)
        mismatch = _mismatch(module, import_name, path)
        if mismatch is not None:
            return ("error", mismatch, "")
        if is_conftest:
            return _register_conftest(module, path)
        if hasattr(module, "pytest_plugins"):
            return _consider_test_module(module, path, cwd)
    except (hooks.UsageError, plugins.PluginImportFailure):
        # A plugin its ``pytest_plugins`` names is missing or broken: pytest stops at start-up.
        raise
    except BaseException as exc:  # a broken test module must never stop the session
        return _import_failure(exc, path, is_conftest, cwd)
    return None


def _register_conftest(module, path):
    """pytest's ``_importconftest`` after the import: a conftest met once ``pytest_configure``
    ran must not name plugins; else it is registered, then the plugins it names loaded."""
    if hooks.CONFIGURED and hasattr(module, "pytest_plugins"):
        message = _NON_TOP_PYTEST_PLUGINS.format(conftest=path, confcutdir=_confcutdir())
        return ("error", message, "Failed: " + message)
    CONFTESTS[os.path.dirname(path)] = module
    hooks.register_conftest(module, os.path.dirname(path))
    plugins.MANAGER.consider_module(module)
    return None


def _consider_test_module(module, path, cwd):
    """pytest's ``importtestmodule`` ends with ``consider_module``: the plugins a test
    module's ``pytest_plugins`` names are loaded, for the whole session. One that cannot be
    is a collection error of the module, with pytest's exception."""
    try:
        plugins.MANAGER.consider_module(module)
    except (hooks.UsageError, plugins.PluginImportFailure) as failure:
        return _import_failure(_as_pytest_exception(failure), path, False, cwd)
    return None


def _as_pytest_exception(failure):
    """pytest's ``UsageError`` or ``PluginImportFailure`` for ours, caused by the same
    import error (pytest is importable: the module named a pytest plugin)."""
    from _pytest import config as pytest_config

    if isinstance(failure, plugins.PluginImportFailure):
        exc = pytest_config.PluginImportFailure(failure.name)
    else:
        exc = pytest_config.UsageError(*failure.args)
    try:
        # Raised, for a traceback to show as pytest's (which has only pytest's frames).
        raise exc from failure.__cause__
    except Exception as raised:
        return raised


def _confcutdir():
    """Where pytest stops looking for conftests: the ini file's directory, else the rootdir."""
    inipath = config.CONFIG.inipath
    return str(inipath.parent if inipath is not None else config.CONFIG.rootpath)


def _mismatch(module, import_name, path):
    if os.environ.get("PY_IGNORE_IMPORTMISMATCH", "") == "1":
        return None
    module_file = getattr(module, "__file__", None)
    if module_file is not None:
        if module_file.endswith((".pyc", ".pyo")):
            module_file = module_file[:-1]
        if module_file.endswith(os.sep + "__init__.py") and not path.endswith(os.sep + "__init__.py"):
            module_file = module_file[: -len(os.sep + "__init__.py")]
        if _same_file(module_file, path):
            return None
    return _MISMATCH.format(name=import_name, module_file=module_file, path=path)


def _same_file(a, b):
    try:
        return a == b or os.path.samefile(a, b)
    except OSError:
        return False


def _import_failure(exc, path, is_conftest, cwd):
    from . import tbformat

    if outcomes.is_skip(exc):
        if getattr(exc, "allow_module_level", False):
            return ("skip",) + outcomes.skip_location(exc, path, 1) + ("Skipped: " + str(getattr(exc, "msg", "") or ""),)
        return ("error", _SKIP_WITHOUT_MODULE_LEVEL, "")
    if is_conftest:
        # pytest's own text for a conftest that fails to load: traceback from the conftest on.
        text = tbformat.format_node_failure(exc, tbformat.collector_style(), cwd, path)
        return ("error", text, tbformat.crash_message(exc))
    if isinstance(exc, SyntaxError):
        return ("error", tbformat.format_exception(exc, "short", cwd, path=path), "")
    if outcomes.is_fail(exc) and not getattr(exc, "pytrace", True):
        # ``fail(msg, pytrace=False)`` (strict markers' unknown mark): the message is the report.
        return ("error", str(exc), tbformat.crash_message(exc))
    if isinstance(exc, ImportError):
        text = tbformat.format_exception(exc, "short", cwd)
        return ("error", _IMPORT_ERROR_HEADER.format(path=path) + text, "")
    text = tbformat.format_node_failure(exc, tbformat.collector_style(), cwd, path)
    return ("error", text, tbformat.crash_message(exc))
