"""What only the imported module can say about each collected test: its marks, the fixtures
``usefixtures`` adds, and its parametrization (``@pytest.mark.parametrize`` and fixtures with
``params=``), with pytest's IDs.

The values of parameters stay here, in ``CALLSPECS``; the Rust side gets plain data (the
ID, the call's index, which arguments are direct, each parameter's index and scope) and the
runner finds the values again by the test's base node ID and that index.
"""
import sys

from . import fixtures as fixtures_module
from . import marks as marks_module
from . import metafunc as metafunc_module
from . import params

# Base node ID (without ``[id]``) -> the test's call specs (``params.Calls``), in pytest's
# expansion order.
CALLSPECS = {}


class MarkNames:
    """Node ID -> names of the item's marks, for the runner's fast path (no skip/xfail marks:
    nothing to evaluate); ``get`` answers None for items without marks.

    The calls of a parametrized test whose parameter sets add no marks of their own share
    one entry, under the test's node ID without ``[id]``: collecting a test parametrized
    10000 ways makes one entry, not 10000 node IDs.
    """

    def __init__(self):
        self._items = {}
        self._functions = {}

    def get(self, nodeid, default=None):
        names = self._items.get(nodeid)
        if names is None and self._functions:
            names = self._function_names(nodeid)
        return default if names is None else names

    def __setitem__(self, nodeid, names):
        self._items[nodeid] = names

    def of_call(self, nodeid, base):
        """``get`` for a call of the parametrized test ``base``."""
        names = self._items.get(nodeid)
        return self._functions.get(base) if names is None else names

    def set_function(self, base, names):
        """``names`` for every call of the parametrized test ``base`` without an entry."""
        self._functions[base] = names

    def clear(self):
        self._items.clear()
        self._functions.clear()

    def _function_names(self, nodeid):
        names = self._functions.get(nodeid)  # a call whose parameters are all hidden
        if names is not None or not nodeid.endswith("]"):
            return names
        # ``base[id]``: a base (path, classes, function name) can only hold a "[" in its
        # path, before the first "::", and the id may hold more.
        bracket = nodeid.find("[", nodeid.find("::") + 1)
        while bracket != -1:
            names = self._functions.get(nodeid[:bracket])
            if names is not None:
                return names
            bracket = nodeid.find("[", bracket + 1)
        return None


MARK_NAMES = MarkNames()

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


class Enrichment:
    """What the imported modules add to their collected items, module by module (see
    ``module``), under the session's parametrize ``options``; ``want_keywords``: gather
    what ``-k``/``-m`` match."""

    def __init__(self, options, want_keywords):
        self.options = options
        self.want_keywords = want_keywords
        self.fixture_params_exist = _any_fixture_params()

    def module(self, import_name, module_nodeid, items):
        """For each item ``(nodeid, classes, name, argnames)`` of a module, what the
        imported module adds to it:

        - None: nothing (no marks, not parametrized, keywords not wanted);
        - ``(usefixtures, None, keywords)``: one item, with its ``usefixtures`` names;
        - ``(usefixtures, ids, keywords, direct, param_keys)``: one item per call,
          ``ids[i]`` being call ``i``'s id (None where every parameter is hidden),
          ``direct`` the arguments the parametrization gives directly, ``param_keys``
          None when no call has a parameter wider than function-scoped, else each call's
          ``_param_keys``.

        ``keywords`` is None unless keywords are wanted: then ``(keyword names, marks
        data)``, for parametrized items one per call.

        Returns ``(items, failed)``: ``failed`` holds ``(collector node ID, error)`` for
        the module or classes a warning turned error failed (see
        ``_warn_empty_usefixtures``). Raises ``params.ParametrizeError`` or
        ``metafunc.HookError`` where pytest fails the module's collection."""
        module = _Module(self, sys.modules[import_name], module_nodeid)
        enriched = module.items(items)
        flagged = module.empty_usefixtures
        failed = _warn_empty_usefixtures(module.module, module_nodeid, flagged) if flagged else []
        return enriched, failed


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
    return any(fixture.params is not None for fixture in fixtures_module.REGISTRY)


class _Module:
    """Enrichment of one module's items; what all of them share (the module's marks and
    hooks, each class's) is looked up once."""

    def __init__(self, session, module, module_nodeid):
        self.module = module
        self.module_nodeid = module_nodeid
        self.options = session.options
        self.want_keywords = session.want_keywords
        self.fixture_params_exist = session.fixture_params_exist
        self.module_marks = marks_module.own_marks(module)
        self.module_hooks = metafunc_module.module_hooks(module)
        # Class names -> ``_Owner`` of the items in that class (``()``: the module's own).
        self.owners = {}
        # ``(item, function, classes)`` for each item a ``usefixtures()`` mark without
        # arguments applies to (see ``_warn_empty_usefixtures``).
        self.empty_usefixtures = []

    def owner(self, classes):
        key = tuple(classes)
        owner = self.owners.get(key)
        if owner is None:
            owner = self.owners[key] = _Owner(self.module, classes, self.module_marks)
        return owner

    def items(self, items):
        """Each item's enrichment (see ``Enrichment.module``). Most items of most suites
        have no marks and nothing can parametrize them: those cost a lookup or two."""
        enriched = []
        nothing_applies = not (self.fixture_params_exist or self.module_hooks.any or self.want_keywords)
        owner = None
        for item in items:
            classes = item[1]
            if owner is None or classes != owner.classes:
                owner = self.owner(classes)
            function = getattr(owner.obj, item[2])
            marked = getattr(function, "pytestmark", _UNMARKED) is not _UNMARKED
            if nothing_applies and not marked and not owner.marks and not owner.has_hook:
                enriched.append(None)
            else:
                own = marks_module.own_marks(function) if marked else []
                enriched.append(self.item(item, owner, function, own))
        return enriched

    def item(self, item, owner, function, own):
        """The enrichment of ``item``, held by ``owner``, whose own marks are ``own``."""
        nodeid, classes, name, _ = item
        item_marks = own + owner.marks if own else owner.marks
        has_hooks = self.module_hooks.any or owner.has_hook
        if not item_marks and not self.fixture_params_exist and not has_hooks and not self.want_keywords:
            return None
        usefixtures = _usefixtures(item_marks)
        if usefixtures is not None and not all(mark.args for mark in item_marks if mark.name == "usefixtures"):
            self.empty_usefixtures.append((item, function, owner.chain))
        usefixtures = usefixtures or []
        marked = _parametrize_argnames(item_marks)
        if marked or self.fixture_params_exist or has_hooks:
            calls = self._calls(item, function, owner, item_marks, marked, usefixtures)
            if calls:
                return self._parametrized(item, function, owner, item_marks, usefixtures, calls)
        if item_marks:
            MARK_NAMES[nodeid] = owner.mark_names if not own else _mark_names(item_marks)
        return (usefixtures, None, self._keywords(name, function, classes, item_marks))

    def _calls(self, item, function, owner, item_marks, marked, usefixtures):
        """The item's ``Parametrization`` by its marks, hooks and fixtures with ``params=``."""
        nodeid, _, name, argnames = item
        direct = [arg for arg in marked if not _is_indirect(item_marks, arg)]
        closure = CLOSURE(nodeid, list(argnames), usefixtures, direct)
        expander = params.Expander(
            getattr(function, "__func__", function), nodeid=nodeid, cls=owner.cls,
            fixturenames=[name for name, _ in closure], options=self.options)
        hooks = self.module_hooks.for_class(owner.cls) if self.module_hooks.any or owner.has_hook else None
        metafunc = None
        if hooks is not None:
            definition = metafunc_module.Definition(nodeid, name, expander.function, item_marks)
            metafunc = metafunc_module.Metafunc(definition, expander.fixturenames, owner.cls, self.module, expander)
            # pluggy's order of the pytest_generate_tests implementations (see metafunc.py).
            metafunc_module.call(hooks.before_fixtures, metafunc, self.module.__file__)
        for fixture_params in _fixture_params(closure, marked):
            expander.add(fixture_params)
        if hooks is not None:
            metafunc_module.call(hooks.after_fixtures, metafunc, self.module.__file__)
        for mark in item_marks:
            if mark.name == "parametrize":
                expander.add(mark)
        expansion = expander.result()
        return (expansion, dict(closure)) if expansion.calls else None

    def _parametrized(self, item, function, owner, item_marks, usefixtures, calls):
        nodeid, classes, name, _ = item
        expansion, fixtures = calls
        calls = expansion.calls
        CALLSPECS[nodeid] = calls
        item_mark_names = _mark_names(item_marks)
        if calls.have_marks():
            for call in calls:
                if call.marks:
                    MARK_NAMES[call.name(nodeid)] = _mark_names(list(call.marks) + item_marks)
        if item_mark_names:
            MARK_NAMES.set_function(nodeid, item_mark_names)
        first = calls.factors
        direct = [arg for factor in first for arg in factor.argnames if arg not in expansion.indirect]
        param_keys = None
        if _any_wide_scope(calls, fixtures, expansion.indirect):
            param_keys = [_param_keys(call, fixtures, expansion.indirect) for call in calls]
        keywords = None
        if self.want_keywords:
            keywords = [self._keywords(call.name(name), function, classes, list(call.marks) + item_marks)
                        for call in calls]
        return (usefixtures, calls.ids(), keywords, direct, param_keys)

    def _keywords(self, name, function, classes, item_marks):
        """``(keyword names, marks data)`` for ``-k``/``-m``, or None when not wanted."""
        if not self.want_keywords:
            return None
        parents = _parent_names(self.module_nodeid, classes)
        names = marks_module.keyword_names(name, function, parents, item_marks)
        return (sorted(names), marks_data(item_marks))


# ``getattr``'s answer for an object without ``pytestmark``.
_UNMARKED = object()


class _Owner:
    """The module or class holding items: the object, the class chain (outermost first),
    the marks every item in it inherits (the classes' innermost first, then the module's),
    and whether the class has a ``pytest_generate_tests`` hook."""

    def __init__(self, module, classes, module_marks):
        chain = _classes(module, classes)
        self.classes = classes
        self.chain = chain
        self.cls = chain[-1] if chain else None
        self.obj = self.cls or module
        marks = []
        for cls in reversed(chain):
            marks.extend(marks_module.own_marks(cls))
        marks.extend(module_marks)
        self.marks = marks
        self.mark_names = _mark_names(marks)
        self.has_hook = metafunc_module.class_has_hook(self.cls)


def _usefixtures(item_marks):
    """The names ``usefixtures`` marks add, or None without such marks."""
    names = None
    for mark in item_marks:
        if mark.name == "usefixtures":
            if names is None:
                names = []
            names.extend(mark.args)
    return names


def _any_wide_scope(calls, fixtures, indirect):
    """Whether a parameter is wider than function-scoped (see ``_param_keys``)."""
    for factor in calls.factors:
        for argname in factor.argnames:
            scope = factor.scope
            if scope is None:
                def_id = fixtures.get(argname) if argname in indirect else None
                scope = fixtures_module.REGISTRY[def_id].scope if def_id is not None else "function"
            if scope != "function":
                return True
    return False


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
    calls = []
    for name, def_id in closure:
        if def_id is None or name in marked:
            continue
        fixture = fixtures_module.REGISTRY[def_id]
        if fixture.params is not None:
            calls.append(_FixtureParams(name, fixture))
    return calls


def _param_keys(call, fixtures, indirect):
    """``(argname, index, value key, scope)`` for pytest's reordering, of the parameters whose
    scope is wider than function (reordering never groups by function-scoped ones): a
    parameter's scope is its ``scope=`` (fixture params carry their fixture's), else its
    fixture's when it goes to one indirectly, else function. ``fixtures`` maps the test's
    closure names to their definition ids."""
    keys = []
    for argname, index in call.indices.items():
        scope = call.scopes.get(argname)
        if scope is None:
            def_id = fixtures.get(argname) if argname in indirect else None
            scope = fixtures_module.REGISTRY[def_id].scope if def_id is not None else "function"
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
