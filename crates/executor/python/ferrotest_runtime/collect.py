"""Collecting an imported module's tests with pytest's rules (``PyCollector.collect``).

Used for modules whose source alone does not show their tests. Items come back as plain
tuples ``(nodeid, name, classes, kind, lineno, argnames, is_async)`` with a 0-based lineno.
"""
import fnmatch
import sys

_IGNORED = frozenset(("__dict__", "__weakref__", "__builtins__"))
CO_VARARGS = 0x04
CO_VARKEYWORDS = 0x08
CO_COROUTINE = 0x80
CO_ASYNC_GENERATOR = 0x200


class Patterns:
    """The ``python_functions`` and ``python_classes`` ini options."""

    def __init__(self, functions, classes):
        self.functions = list(functions)
        self.classes = list(classes)

    def function(self, name):
        return _matches(name, self.functions)

    def cls(self, name):
        return _matches(name, self.classes)


def _matches(name, patterns):
    for pattern in patterns:
        if name.startswith(pattern):
            return True
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatch(name, pattern):
            return True
    return False


def collect_module(import_name, nodeid, patterns):
    module = sys.modules[import_name]
    return _collect_namespace(module, nodeid, (), patterns, [vars(module)])


def _safe_getattr(obj, name, default):
    try:
        return getattr(obj, name, default)
    except Exception:
        return default


def _collect_namespace(owner, nodeid, classes, patterns, dicts):
    """Items of a module or class; inherited names come before the subclass's own."""
    seen = set()
    per_dict = []
    for namespace in dicts:
        values = []
        for name, obj in list(namespace.items()):
            if name in _IGNORED or name in seen:
                continue
            seen.add(name)
            values.extend(_make_items(owner, nodeid, classes, name, obj, patterns))
        per_dict.append(values)
    result = []
    for values in reversed(per_dict):
        result.extend(values)
    return result


def _make_items(owner, nodeid, classes, name, obj, patterns):
    if isinstance(obj, type):
        unittest = sys.modules.get("unittest")
        if unittest is not None and issubclass(obj, unittest.TestCase):
            return _collect_unittest(obj, nodeid, classes + (name,))
        if patterns.cls(name) or _safe_getattr(obj, "__test__", False) is True:
            return _collect_class(obj, nodeid, classes + (name,), patterns)
        return []
    if not (patterns.function(name) or _safe_getattr(obj, "__test__", False) is True):
        return []
    is_method = isinstance(owner, type) and not isinstance(obj, staticmethod)
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    func = _real_function(obj)
    if func is None or not _safe_getattr(obj, "__test__", True):
        return []
    if _safe_getattr(obj, "_fixture_function_marker", None) is not None:
        return []
    return [_item(nodeid, classes, name, "function", func, is_method)]


def _real_function(obj):
    """pytest's ``get_real_func``: the function behind decorators (``__wrapped__``), or None
    if ``obj`` is not a function."""
    obj = getattr(obj, "__func__", obj)
    for _ in range(100):
        wrapped = _safe_getattr(obj, "__wrapped__", None)
        if wrapped is None:
            break
        obj = wrapped
    obj = getattr(obj, "__func__", obj)
    return obj if hasattr(obj, "__code__") else None


def _collect_class(cls, nodeid, classes, patterns):
    if not _safe_getattr(cls, "__test__", True):
        return []
    # pytest refuses (with a warning discovery reports) classes with their own constructor.
    if _safe_getattr(cls, "__init__", object.__init__) is not object.__init__:
        return []
    if _safe_getattr(cls, "__new__", object.__new__) is not object.__new__:
        return []
    if _safe_getattr(cls, "__abstractmethods__", None):
        return []
    dicts = [cls.__dict__] + [base.__dict__ for base in cls.__mro__]
    return _collect_namespace(cls, nodeid, classes, patterns, dicts)


def _collect_unittest(cls, nodeid, classes):
    if not _safe_getattr(cls, "__test__", True):
        return []
    import unittest

    names = unittest.TestLoader().getTestCaseNames(cls)
    items = []
    for name in names:
        method = _safe_getattr(cls, name, None)
        if not _safe_getattr(method, "__test__", True):
            continue
        func = _real_function(method)
        if func is not None:
            items.append(_item(nodeid, classes, name, "unittest", func, True, argnames=False))
    if not items and _safe_getattr(cls, "runTest", None) is not None:
        func = _real_function(cls.runTest)
        if func is not None:
            items.append(_item(nodeid, classes, "runTest", "unittest", func, True, argnames=False))
    return items


def _item(nodeid, classes, name, kind, func, is_method, argnames=True):
    code = func.__code__
    return (
        "::".join((nodeid,) + classes + (name,)),
        name,
        list(classes),
        kind,
        max(code.co_firstlineno - 1, 0),
        _argnames(func, is_method) if argnames else [],
        bool(code.co_flags & (CO_COROUTINE | CO_ASYNC_GENERATOR)),
    )


def _argnames(func, is_method):
    """pytest's ``getfuncargnames``: parameters without defaults, minus ``self``."""
    code = func.__code__
    positional = list(code.co_varnames[code.co_posonlyargcount : code.co_argcount])
    if code.co_posonlyargcount == 0 and is_method and positional:
        positional = positional[1:]
    defaults = func.__defaults__ or ()
    if defaults:
        positional = positional[: len(positional) - len(defaults)] if len(defaults) < len(positional) else []
    kwonly = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    kwdefaults = func.__kwdefaults__ or {}
    return positional + [name for name in kwonly if name not in kwdefaults]
