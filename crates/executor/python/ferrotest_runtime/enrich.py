"""What only the imported module can say about each collected test: its marks, the fixtures
``usefixtures`` adds, and its parametrization (``@pytest.mark.parametrize`` and fixtures with
``params=``), with pytest's IDs.

The values of parameters stay here, in ``CALLSPECS``; the Rust side gets plain data (the
ID, the call's index, which arguments are direct, each parameter's index and scope) and the
runner finds the values again by the test's base node ID and that index.
"""
import sys

from . import marks as marks_module
from . import metafunc as metafunc_module
from . import params

# Base node ID (without ``[id]``) -> the test's call specs, in pytest's expansion order.
CALLSPECS = {}

# Node ID -> names of the item's marks, for the runner's fast path (no skip/xfail marks:
# nothing to evaluate). Items without marks are absent.
MARK_NAMES = {}

# ``CLOSURE(nodeid, argnames, usefixtures, direct) -> [(name, def id or None)]``: the Rust
# registry's fixture closure of a test, installed by the Rust side before enrichment.
CLOSURE = None


class _FixtureParams:
    """A ``parametrize`` call for a fixture's ``params=``, shaped like the mark pytest's
    fixture manager passes to ``Metafunc.parametrize``."""

    name = "parametrize"

    def __init__(self, argname, fixture):
        self.args = (argname, list(fixture.params))
        self.kwargs = {"indirect": True, "ids": fixture.ids, "scope": fixture.scope}


def enrich_module(import_name, module_nodeid, items, options, want_keywords):
    """For each item ``(nodeid, classes, name, argnames)`` of a module, its variants:
    ``(id, index, direct, param_keys, usefixtures, keywords, marks)``; ``id`` and ``index``
    are None when it is not parametrized, keywords and marks empty unless ``want_keywords``
    (only ``-k``/``-m`` read them). Returns ``(variants, failed)``: ``failed`` holds
    ``(collector node ID, error)`` for the module or classes a warning turned error failed
    (see ``_warn_empty_usefixtures``). Raises ``params.ParametrizeError`` or
    ``metafunc.HookError`` where pytest fails the module's collection."""
    module = sys.modules[import_name]
    fixture_params_exist = _any_fixture_params()
    empty_usefixtures = []
    variants = [_variants(module, module_nodeid, item, options, fixture_params_exist, want_keywords, empty_usefixtures)
                for item in items]
    failed = _warn_empty_usefixtures(module, module_nodeid, empty_usefixtures) if empty_usefixtures else []
    return variants, failed


def generate_hooks_exist(import_names):
    """Whether any ``pytest_generate_tests`` hook may apply to the modules ``import_names``
    (a suite can parametrize through one without ever importing pytest)."""
    from . import hooks

    if hooks.implementations(metafunc_module.HOOK):
        return True
    for name in import_names:
        namespace = vars(sys.modules[name])
        if metafunc_module.HOOK in namespace:
            return True
        if any(isinstance(value, type) and hasattr(value, metafunc_module.HOOK) for value in namespace.values()):
            return True
    return False


def _any_fixture_params():
    from .fixtures import REGISTRY

    return any(fixture.params is not None for fixture in REGISTRY)


def _variants(module, module_nodeid, item, options, fixture_params_exist, want_keywords, empty_usefixtures):
    """The item's variants (see ``enrich_module``); an item a ``usefixtures()`` mark without
    arguments applies to joins ``empty_usefixtures`` as ``(item, function, classes)``."""
    nodeid, classes, name, argnames = item
    cls_chain = _classes(module, classes)
    cls = cls_chain[-1] if cls_chain else None
    function = getattr(cls or module, name)
    item_marks = marks_module.item_marks(function, cls_chain, module)
    usefixture_marks = [mark for mark in item_marks if mark.name == "usefixtures"]
    usefixtures = [arg for mark in usefixture_marks for arg in mark.args]
    if not all(mark.args for mark in usefixture_marks):
        empty_usefixtures.append((item, function, cls_chain))
    marked = _parametrize_argnames(item_marks)
    hooks = metafunc_module.hooks_for(module, cls)
    if not marked and not fixture_params_exist and not hooks:
        # Nothing can multiply this test: no closure to look at.
        _remember_marks(nodeid, item_marks)
        return [(None, None, [], [], usefixtures) + _keywords(want_keywords, name, function, module_nodeid, classes, item_marks)]
    direct = [arg for arg in marked if not _is_indirect(item_marks, arg)]
    closure = CLOSURE(nodeid, list(argnames), usefixtures, direct)
    expander = params.Expander(
        getattr(function, "__func__", function), nodeid=nodeid, cls=cls,
        fixturenames=[name for name, _ in closure], options=options)
    definition = metafunc_module.Definition(nodeid, name, expander.function, item_marks)
    metafunc = metafunc_module.Metafunc(definition, expander.fixturenames, cls, module, expander)
    # pluggy's order of the pytest_generate_tests implementations (see metafunc.py).
    metafunc_module.call(hooks.before_fixtures, metafunc, module.__file__)
    for fixture_params in _fixture_params(closure, marked):
        expander.add(fixture_params)
    metafunc_module.call(hooks.after_fixtures, metafunc, module.__file__)
    for mark in item_marks:
        if mark.name == "parametrize":
            expander.add(mark)
    expansion = expander.result()
    if not expansion.calls:
        _remember_marks(nodeid, item_marks)
        return [(None, None, [], [], usefixtures) + _keywords(want_keywords, name, function, module_nodeid, classes, item_marks)]
    CALLSPECS[nodeid] = expansion.calls
    fixtures = dict(closure)
    item_mark_names = _mark_names(item_marks)
    variants = []
    for index, call in enumerate(expansion.calls):
        call_marks = list(call.marks) + item_marks
        call_nodeid = call.name(nodeid)
        if call.marks:
            _remember_marks(call_nodeid, call_marks)
        elif item_mark_names:
            MARK_NAMES[call_nodeid] = item_mark_names
        direct_args = [arg for arg in call.params if arg not in expansion.indirect]
        param_keys = _param_keys(call, fixtures, expansion.indirect)
        keywords = _keywords(want_keywords, call.name(name), function, module_nodeid, classes, call_marks)
        variants.append((call.id if call.idlist else None, index, direct_args, param_keys, usefixtures) + keywords)
    return variants


def _warn_empty_usefixtures(module, module_nodeid, flagged):
    """pytest's ``PytestWarning`` for a ``usefixtures()`` mark without arguments, once per
    test function it applies to and per node carrying it (``_getusefixturesnames``), in
    pytest's collection order: a collector's own functions as it collects them, then its
    classes, each after the collector holding it. A filter that makes it an error fails the
    collector collecting that function (the module, or the class), which then collects
    nothing more: returns ``(collector node ID, exconly)`` of each."""
    import warnings

    category = sys.modules["_pytest.warning_types"].PytestWarning
    failed = []
    for (nodeid, classes, _, _), function, cls_chain in _in_collection_order(flagged):
        collector = "::".join([module_nodeid] + list(classes))
        if any(collector == gone or collector.startswith(gone + "::") for gone, _ in failed):
            continue
        message = "usefixtures() in %s without arguments has no effect" % nodeid
        holders = [(function, _function_location)] + [(cls, _class_location) for cls in reversed(cls_chain)]
        try:
            for holder, location in holders + [(module, _module_location)]:
                if any(mark.name == "usefixtures" and not mark.args for mark in marks_module.own_marks(holder)):
                    warnings.warn_explicit(category(message), None, *location(holder))
        except Warning as error:
            failed.append((collector, "%s.%s: %s" % (type(error).__module__, type(error).__qualname__, error)))
    return failed


def _in_collection_order(flagged):
    """``flagged`` ordered as pytest's collectors meet the functions: collectors in the order
    of the first item each holds (directly or in a nested class), a class after the one
    holding it; items in their order within a collector."""
    first = {}
    for index, ((_, classes, _, _), _, _) in enumerate(flagged):
        for depth in range(len(classes) + 1):
            first.setdefault(tuple(classes[:depth]), index)

    def collector_order(entry):
        classes = tuple(entry[0][1])
        return (first[classes], len(classes))

    return sorted(flagged, key=collector_order)


def _function_location(function):
    """A test function's ``Node.warn`` place: its file relative to the rootdir (pytest's
    ``item.location``) and the line of its first decorator."""
    import os

    from .config import CONFIG

    code = getattr(function, "__func__", function).__code__
    return os.path.relpath(code.co_filename, str(CONFIG.rootpath)), code.co_firstlineno


def _class_location(cls):
    """A class collector's ``Node.warn`` place: its file and the line of its first decorator."""
    import inspect

    return inspect.getsourcefile(cls), inspect.findsource(cls)[1] + 1


def _module_location(module):
    return module.__file__, 1


def _remember_marks(nodeid, item_marks):
    if item_marks:
        MARK_NAMES[nodeid] = _mark_names(item_marks)


def _mark_names(item_marks):
    return frozenset(mark.name for mark in item_marks)


def _classes(module, classes):
    chain = []
    owner = module
    for name in classes:
        owner = getattr(owner, name)
        chain.append(owner)
    return chain


def _parametrize_argnames(item_marks):
    names = []
    for mark in item_marks:
        if mark.name == "parametrize" and mark.args:
            argnames = mark.args[0]
            if isinstance(argnames, str):
                argnames = [part.strip() for part in argnames.split(",") if part.strip()]
            names.extend(argnames)
    return names


def _is_indirect(item_marks, argname):
    for mark in item_marks:
        if mark.name == "parametrize" and mark.args:
            indirect = mark.kwargs.get("indirect", False)
            names = mark.args[0]
            names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
            if argname in names:
                return indirect is True or (isinstance(indirect, (list, tuple)) and argname in indirect)
    return False


def _fixture_params(closure, marked):
    """pytest parametrizes fixtures with ``params=`` first, in closure order, unless a
    parametrize mark already covers the name."""
    from .fixtures import REGISTRY

    calls = []
    for name, def_id in closure:
        if def_id is None or name in marked:
            continue
        fixture = REGISTRY[def_id]
        if fixture.params is not None:
            calls.append(_FixtureParams(name, fixture))
    return calls


def _param_keys(call, fixtures, indirect):
    """``(argname, index, value key, scope)`` for pytest's reordering, of the parameters whose
    scope is wider than function (reordering never groups by function-scoped ones): a
    parameter's scope is its ``scope=`` (fixture params carry their fixture's), else its
    fixture's when it goes to one indirectly, else function. ``fixtures`` maps the test's
    closure names to their definition ids."""
    from .fixtures import REGISTRY

    keys = []
    for argname, index in call.indices.items():
        scope = call.scopes.get(argname)
        if scope is None:
            def_id = fixtures.get(argname) if argname in indirect else None
            scope = REGISTRY[def_id].scope if def_id is not None else "function"
        if scope != "function":
            keys.append((argname, index, _value_key(call.params.get(argname), index), scope))
    return keys


def _value_key(value, index):
    """pytest's ``ParamValueKey``: equal values of one type group together; unhashable
    values compare by their index."""
    try:
        hash(value)
    except TypeError:
        return "index:%d" % index
    return "%s:%r" % (type(value).__qualname__, value)


def _keywords(wanted, name, function, module_nodeid, classes, item_marks):
    """``(keyword names, marks data)`` for ``-k``/``-m``, or empty ones when not wanted."""
    if not wanted:
        return ([], [])
    names = marks_module.keyword_names(name, function, _parent_names(module_nodeid, classes), item_marks)
    return (sorted(names), marks_data(item_marks))


def _parent_names(module_nodeid, classes):
    """Node names -k matches above the item: directories below the rootdir, the module's
    file name, the classes."""
    return module_nodeid.split("/") + list(classes)


def marks_data(item_marks):
    """Marks as plain data for ``-m``: name and keyword arguments as ``(kind, text)``."""
    return [(mark.name, [(key, _value_data(value)) for key, value in mark.kwargs.items()])
            for mark in item_marks]


def _value_data(value):
    if value is None or isinstance(value, bool):
        return ("const", repr(value))
    if isinstance(value, int):
        return ("int", repr(value))
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, str):
        return ("str", value)
    return ("other", repr(value))
