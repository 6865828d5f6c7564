"""pytest's warnings plugin (``_pytest/warnings.py``): the warnings raised while collecting
and while each test runs are recorded under pytest's filters for the "warnings summary".

pytest's filters, each inserted in front of those before it (so the last one wins): ``always``
for ``DeprecationWarning`` and ``PendingDeprecationWarning`` unless Python's own ``-W``
options are set (``sys.warnoptions``), the ``filterwarnings`` ini lines, the ``-W`` options,
then a test's ``filterwarnings`` marks, closest mark first (so a class's or module's mark
wins over a function's). They apply for the whole session
(pytest's ``_do_configure``) and again, with recording, around each test (pytest's
``catch_warnings_for_item``) and around collection.

A record is ``(location, text)``: the test's node ID, or ``path:line`` relative to the
invocation directory for a warning outside any test; ``text`` is ``warnings.formatwarning``'s.
"""
import os
import sys
import warnings

from . import config as config_module

# Off with ``-p no:warnings``: warnings then take Python's own course (stderr).
ENABLED = False
_CMDLINE = ()
# Where locations outside tests are relative to (pytest's invocation directory).
_INVOCATION_DIR = ""
# The ini lines the parsed filters were made from (identity: ``addinivalue_line`` makes a new
# list), the filters parsed from them and the ``-W`` options, and what applying them leaves
# at the front of ``warnings.filters`` (None when applying them warns, so it must be redone).
_UNSET = object()
_parsed_from = _UNSET
_filters = ()
_front = None


class UsageError(Exception):
    """pytest's ``UsageError`` (exit 4) for a filter it refuses, or for an unknown ini key
    under ``strict_config``; the text is pytest's message."""


def configure(enabled, cmdline_filters):
    """Session start: check the filters and apply them for the whole session, as pytest's
    ``_do_configure`` does (the catch stays entered until the process ends). Raises
    ``UsageError`` for a filter pytest refuses."""
    global ENABLED, _CMDLINE, _INVOCATION_DIR
    ENABLED = enabled
    if not enabled:
        return
    _CMDLINE = tuple(cmdline_filters)
    _INVOCATION_DIR = os.getcwd()
    warnings.catch_warnings().__enter__()
    _apply()


# ``catch_warnings(record=True)`` costs a test ~3 us; where the warnings module has the shape
# it had up to Python 3.13 (and warnings are not per context), its body does the same in a
# quarter of that, inline in ``begin`` and ``end``. Otherwise it is used as it is.
_SWAP = hasattr(warnings, "_filters_mutated") and not getattr(sys.flags, "context_aware_warnings", False)


def begin(item=None):
    """Start recording, for ``item`` (whose ``filterwarnings`` marks apply) or, without one,
    outside any test. Returns what ``end`` takes, or None when the plugin is off."""
    if not ENABLED:
        return None
    module = warnings
    if _SWAP:
        saved = (module.filters, module.showwarning, module._showwarnmsg_impl)
        log = []
        module.filters = saved[0][:]
        module._filters_mutated()
        module._showwarnmsg_impl = log.append
        module.showwarning = module._showwarning_orig
    else:
        saved = module.catch_warnings(record=True)
        log = saved.__enter__()
    front = _front
    if front is None or _parsed_from is not config_module.CONFIG._ini.get("filterwarnings", None) or (
        module.filters[: len(front)] != front
    ):
        _apply()
    if item is None:
        return (saved, log, "")
    names = item.mark_names
    if names is not None and "filterwarnings" in names:
        _apply_marks(item)
    return (saved, log, item.nodeid)


def end(recording):
    """Stop recording; the records, or None when there were none."""
    if recording is None:
        return None
    saved, log, nodeid = recording
    if _SWAP:
        module = warnings
        module.filters, module.showwarning, module._showwarnmsg_impl = saved
        module._filters_mutated()
    else:
        saved.__exit__(None, None, None)
    if not log:
        return None
    return [(_location(message, nodeid), _text(message)) for message in log]


def warn_static(category_name, message, path, lineno):
    """A warning ferrotest's static collection found (``PytestCollectionWarning``), raised as
    pytest raises it (``Node.warn``), so the filters apply. Returns None, or the error text
    (``exconly``) when a filter turned it into an error."""
    if not ENABLED:
        # pytest's collection captures what Python would print of it.
        return None
    types = sys.modules.get("_pytest.warning_types")
    category = getattr(types, category_name, None) or _local_category(category_name)
    try:
        warnings.warn_explicit(category(message), None, path, lineno)
    except Warning as error:
        return "%s.%s: %s" % (type(error).__module__, type(error).__qualname__, error)
    return None


_LOCAL_CATEGORIES = {}


def _local_category(name):
    # pytest's class when pytest is not imported: same name and module, so it reads the same.
    if name not in _LOCAL_CATEGORIES:
        _LOCAL_CATEGORIES[name] = type(name, (UserWarning,), {"__module__": "pytest"})
    return _LOCAL_CATEGORIES[name]


# -- the filters ----------------------------------------------------------------------------


def _apply():
    """pytest's ``_catch_configured_warnings``, inside the current catch."""
    global _front
    if _parse():
        _front = _front_filters()
    _apply_filters()


def _apply_filters():
    if not sys.warnoptions:
        warnings.filterwarnings("always", category=DeprecationWarning)
        warnings.filterwarnings("always", category=PendingDeprecationWarning)
    for arg, parsed in _filters:
        if isinstance(parsed, ImportError):
            _warn_config("Failed to import filter module '%s': %s" % (parsed.name, arg))
        else:
            warnings.filterwarnings(*parsed)


def _front_filters():
    """What applying the filters puts in front of any others; None when applying them warns
    (pytest warns again at every test)."""
    if any(isinstance(parsed, ImportError) for _, parsed in _filters):
        return None
    with warnings.catch_warnings():
        warnings.resetwarnings()
        _apply_filters()
        return list(warnings.filters)


def _parse():
    """Parse the ini lines (as they are now) and the ``-W`` options, unless done already;
    whether they were parsed (again)."""
    global _parsed_from, _filters
    raw = config_module.CONFIG._ini.get("filterwarnings", None)
    if raw is _parsed_from:
        return False
    lines = config_module.CONFIG.getini("filterwarnings")
    filters = [(arg, _parse_or_import_error(arg, False)) for arg in lines]
    filters.extend((arg, _parse_or_import_error(arg, True)) for arg in _CMDLINE)
    _parsed_from, _filters = raw, tuple(filters)
    return True


def _parse_or_import_error(arg, escape):
    try:
        return parse_filter(arg, escape)
    except ImportError as error:
        return error


def _apply_marks(item):
    """The item's ``filterwarnings`` marks, as pytest applies them (``iter_markers`` order)."""
    for mark in item.node().iter_markers("filterwarnings"):
        for arg in mark.args:
            warnings.filterwarnings(*parse_filter(arg, False))


# Where pytest 9.2 warns about an unknown ini key (``Config._validate_config_options``): its
# file under ``_pytest/``, line and module.
_UNKNOWN_INI_KEY_LINE = ("config/__init__.py", 1636, "_pytest.config")


def validate_ini_keys():
    """pytest's ``_validate_config_options`` after collection: a ``PytestConfigWarning``
    for each ini key no option registered, or under ``strict_config`` (else ``strict``) the
    usage error for the first, raised as ``UsageError``."""
    from .plugins import blocked_by_arguments

    config = config_module.CONFIG
    strict = config.getini("strict_config")
    if strict is None:
        strict = config.getini("strict")
    for key in config_module.unknown_ini_keys(blocked_by_arguments()):
        message = "Unknown config option: %s\n" % key
        if strict:
            raise UsageError(message)
        if ENABLED:
            _warn_config_from_pytest(message, *_UNKNOWN_INI_KEY_LINE)


def _warn_config_from_pytest(message, relative_path, lineno, module):
    """pytest's ``issue_config_time_warning``: the warning attributed to the line of pytest's
    own module that issues it, where pytest is installed."""
    filename = _pytest_file(relative_path)
    if filename is None:
        _warn_config(message)
        return
    category = _config_warning_category()
    warnings.warn_explicit(category(message), category, filename, lineno, module=module)


def _pytest_file(relative_path):
    """The path of ``_pytest/<relative_path>`` in the environment, without importing pytest."""
    import importlib.util

    spec = importlib.util.find_spec("_pytest")
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.join(list(spec.submodule_search_locations)[0], relative_path)


def _config_warning_category():
    types = sys.modules.get("_pytest.warning_types")
    return getattr(types, "PytestConfigWarning", None) or _local_category("PytestConfigWarning")


def _warn_config(message):
    warnings.warn(message, _config_warning_category())


def parse_filter(arg, escape):
    """pytest's ``parse_warning_filter``: ``action:message:category:module:line`` as the
    arguments of ``warnings.filterwarnings``; ``escape`` (for ``-W``) takes the message and
    module literally. Raises ``UsageError`` with pytest's text; ``ImportError`` for a
    category whose module cannot be imported."""
    template = "while parsing the following warning configuration:\n\n  %s\n\nThis error occurred:\n\n%s\n"
    parts = arg.split(":")
    if len(parts) > 5:
        error = (
            "Too many fields (%d), expected at most 5 separated by colons:\n\n"
            "  action:message:category:module:line\n\n"
            "For more information please consult: "
            "https://docs.python.org/3/library/warnings.html#describing-warning-filters\n" % len(parts)
        )
        raise UsageError(template % (arg, error))
    while len(parts) < 5:
        parts.append("")
    action, message, category, module, lineno = (part.strip() for part in parts)
    try:
        action = warnings._getaction(action)
    except warnings._OptionError as error:
        raise UsageError(template % (arg, error)) from None
    category = _resolve_category(category, arg, template)
    if escape and (message or module):
        import re

        message = re.escape(message) if message else message
        module = re.escape(module) + r"\Z" if module else module
    if lineno:
        try:
            number = int(lineno)
            if number < 0:
                raise ValueError("number is negative")
        except ValueError as error:
            raise UsageError(template % (arg, "invalid lineno %r: %s" % (lineno, error))) from None
    else:
        number = 0
    if message or module:
        import re

        try:
            re.compile(message)
            re.compile(module)
        except re.error as error:
            raise UsageError(template % (arg, "Invalid regex %r: %s" % (error.pattern, error))) from None
    return action, message, category, module, number


def _resolve_category(name, arg, template):
    """pytest's ``_resolve_warning_category``: ImportErrors propagate, other errors (one
    naming no ``Warning`` class too) are usage errors showing the exception as Python prints it."""
    if not name:
        return Warning
    try:
        if "." not in name:
            import builtins

            category = getattr(builtins, name)
        else:
            import importlib

            module, _, klass = name.rpartition(".")
            category = getattr(importlib.import_module(module), klass)
        if not issubclass(category, Warning):
            raise UsageError("%s is not a Warning subclass" % (category,))
    except ImportError:
        raise
    except Exception as error:
        import traceback

        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        raise UsageError(template % (arg, text)) from None
    return category


# -- records ----------------------------------------------------------------------------------


def _location(message, nodeid):
    """pytest's ``WarningReport.get_location``."""
    if nodeid:
        return nodeid
    filename = os.path.abspath(str(message.filename))
    return "%s:%s" % (os.path.relpath(filename, _INVOCATION_DIR), message.lineno)


def _text(message):
    """pytest's ``warning_record_to_str``."""
    text = warnings.formatwarning(str(message.message), message.category, message.filename, message.lineno,
                                  message.line)
    return text + _tracemalloc_message(message.source)


def _tracemalloc_message(source):
    """pytest's ``tracemalloc_message``: where a ``ResourceWarning``'s object came from."""
    if source is None:
        return ""
    import tracemalloc

    traceback = tracemalloc.get_object_traceback(source)
    if traceback is not None:
        return "\nObject allocated at:\n" + "\n".join(traceback.format())
    return (
        "Enable tracemalloc to get traceback where the object was allocated.\n"
        "See https://docs.pytest.org/en/stable/how-to/capture-warnings.html#resource-warnings for more info."
    )
