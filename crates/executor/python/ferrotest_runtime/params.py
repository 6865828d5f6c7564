"""``@pytest.mark.parametrize`` expansion with pytest's node ids, values, marks and errors.

This follows pytest 9.2's ``Metafunc.parametrize``, ``ParameterSet._for_parametrize`` and
``IdMaker`` (``_pytest/python.py``, ``_pytest/mark/structures.py``) step by step, so that
ids are byte-identical and errors carry the same texts. Marks only exist once the test
module imported pytest, so pytest's helpers are imported inside functions, where they are
already loaded, never when this module is imported.
"""
import sys

# ``collections.abc``'s classes, from the module it re-exports, which the interpreter
# loads at start-up (``collections`` itself is not, and an import statement in a function
# run per parametrize call costs more than the rest of some calls).
from _collections_abc import Collection, Sequence

from . import marks as _marks

_SCOPES = ("session", "package", "module", "class", "function")
_LONG_STR_STRATEGIES = ("disallow", "legacy", "sha256", "short")

# Exactly these types (not subclasses: an IntEnum's str is its own) make ids of their ``str``,
# which for them is their ``repr`` too (a builtin function call, cheaper than calling ``str``).
_STR_ID_TYPES = frozenset((int, float, bool, complex, type(None)))

# Control characters left by the "unicode_escape" codec, as pytest's ascii_escaped shows them.
_NON_PRINTABLE = {i: "\\x%02x" % i for i in range(128) if i not in range(32, 127)}
_NON_PRINTABLE.update({ord("\t"): "\\t", ord("\r"): "\\r", ord("\n"): "\\n"})


class ParametrizeError(Exception):
    """A parametrization pytest rejects at collection; ``message`` is pytest's text."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Options:
    """The ini settings that change parametrization, with pytest's defaults.

    ``id_hook(val, argname)`` stands for the ``pytest_make_parametrize_id`` hook.
    """

    def __init__(
        self,
        *,
        disable_escaping=False,
        strict_ids=False,
        long_str_strategy="short",
        empty_parameter_set_mark="skip",
        id_hook=None,
    ):
        self.disable_escaping = disable_escaping
        self.strict_ids = strict_ids
        self.long_str_strategy = long_str_strategy
        self.empty_parameter_set_mark = empty_parameter_set_mark
        self.id_hook = id_hook


def options_from_config(config):
    """The ``Options`` the session's ini settings and conftests ask for, read as pytest
    reads them."""
    from . import hooks

    strict_ids = config.getini("strict_parametrization_ids")
    if strict_ids is None:
        strict_ids = config.getini("strict")
    return Options(
        disable_escaping=config.getini("disable_test_id_escaping_and_forfeit_all_rights_to_community_support"),
        strict_ids=strict_ids,
        long_str_strategy=config.getini("parametrize_long_str_id_strategy"),
        empty_parameter_set_mark=config.getini("empty_parameter_set_mark"),
        id_hook=hooks.make_parametrize_id_hook(),
    )


class CallSpec:
    """One call of a parametrized test (pytest's ``CallSpec``).

    ``idlist`` holds one id per parametrize mark (none for ``HIDDEN_PARAM``); the item is
    named ``f"{name}[{id}]"`` when it is not empty, plain ``name`` otherwise.
    ``indices`` maps each argname to its position in its parametrize mark, or for direct
    arguments to the index of the call, as pytest recomputes it for fixture ordering.
    ``scopes`` maps each argname to its mark's ``scope=`` (None when not given: pytest
    then uses "function", or for all-indirect marks the narrowest scope of their fixtures).
    """

    __slots__ = ("params", "indices", "scopes", "idlist", "marks")

    def __init__(self, params, indices, scopes, idlist, marks):
        self.params = params
        self.indices = indices
        self.scopes = scopes
        self.idlist = idlist
        self.marks = marks

    @property
    def id(self):
        return "-".join(self.idlist)

    def name(self, base):
        return f"{base}[{self.id}]" if self.idlist else base

    def __repr__(self):
        return f"CallSpec(id={self.id!r}, params={self.params!r})"


class Parametrization:
    """The outcome of ``expand``: the calls and which argnames go through fixtures."""

    __slots__ = ("calls", "indirect")

    def __init__(self, calls, indirect):
        self.calls = calls
        self.indirect = indirect


def expand(function, marks, *, nodeid, cls=None, fixturenames=None, options=None):
    """Expand the ``parametrize`` marks among ``marks`` into calls, as pytest does.

    ``marks`` are the marks of the test's definition in ``iter_markers()`` order
    (``marks.item_marks`` without param marks); pytest calls ``parametrize`` once per
    mark in that order, and each call nests its values inside the previous ones, so the
    mark closest to the function varies slowest. ``nodeid`` is the test's node id without
    parameters, used in error texts. ``fixturenames`` are the names the test's fixture
    closure provides; by default the function's arguments. Returns a ``Parametrization``
    (no calls if there is no parametrize mark) or raises ``ParametrizeError``.
    """
    expander = Expander(function, nodeid=nodeid, cls=cls, fixturenames=fixturenames, options=options)
    for mark in marks:
        if mark.name == "parametrize":
            expander.add(mark)
    return expander.result()


class Expander:
    """The calls of one test as ``Metafunc.parametrize`` builds them: each ``add`` (a
    parametrize mark, or anything with its ``args`` and ``kwargs``) multiplies them."""

    def __init__(self, function, *, nodeid, cls=None, fixturenames=None, options=None):
        if fixturenames is None:
            from _pytest.compat import getfuncargnames

            fixturenames = getfuncargnames(function, cls=cls)
        self.function = function
        self.nodeid = nodeid
        self.fixturenames = fixturenames
        self.options = options or Options()
        self.factors = []
        self.indirect = set()

    def add(self, mark):
        self.factors.append(
            _parametrize(self.function, mark, self.factors, self.indirect, self.nodeid, self.fixturenames, self.options)
        )

    def result(self):
        """The ``Parametrization``: no calls when nothing was added."""
        calls = Calls(self.factors, self.indirect) if self.factors else []
        return Parametrization(calls, self.indirect)


class Factor:
    """One ``Metafunc.parametrize`` call: its argnames and ``scope=``, and per parameter set
    its values, its id (a str, or ``HIDDEN_PARAM``) and its normalised marks (``marks`` is
    None when no set has any). ``values[i]`` is the tuple of set ``i``'s values, or with
    ``single`` the one value of the single argname itself."""

    __slots__ = ("argnames", "scope", "values", "single", "ids", "marks")

    def __init__(self, argnames, scope, values, single, ids, marks):
        self.argnames = argnames
        self.scope = scope
        self.values = values
        self.single = single
        self.ids = ids
        self.marks = marks

    def value(self, position, index):
        """The value set ``position`` gives to ``argnames[index]``."""
        return self.values[position] if self.single else self.values[position][index]


class Calls:
    """A test's calls in pytest's expansion order: the product of its factors, the last
    factor varying fastest, as ``CallSpec.setmulti`` nests them. Each ``CallSpec`` is made
    when first asked for, since collection alone needs only the ids."""

    __slots__ = ("factors", "indirect", "_made")

    def __init__(self, factors, indirect):
        self.factors = factors
        self.indirect = indirect
        count = 1
        for factor in factors:
            count *= len(factor.ids)
        self._made = [None] * count

    def __len__(self):
        return len(self._made)

    def __getitem__(self, index):
        call = self._made[index]
        if call is None:
            if index < 0:
                index += len(self._made)
            call = self._made[index] = self._make(index)
        return call

    def __iter__(self):
        for index in range(len(self._made)):
            yield self[index]

    def params(self, index):
        """Call ``index``'s ``CallSpec.params``, without making its ``CallSpec`` for a test
        with one ``parametrize`` call (the runner needs only the values of a test that
        needs nothing else)."""
        call = self._made[index]
        if call is not None:
            return call.params
        if len(self.factors) == 1:
            return _one_params(self.factors[0], index)
        return self[index].params

    def positions(self, index):
        """Which parameter set of each factor call ``index`` combines."""
        positions = []
        for factor in reversed(self.factors):
            index, position = divmod(index, len(factor.ids))
            positions.append(position)
        positions.reverse()
        return positions

    def _make(self, index):
        if len(self.factors) == 1:
            return _make_one(self.factors[0], index)
        params, indices, scopes, idlist, marks = {}, {}, {}, [], []
        hidden = _hidden_param()
        indirect = self.indirect
        positions = (index,) if len(self.factors) == 1 else self.positions(index)
        for factor, position in zip(self.factors, positions):
            for arg_index, arg in enumerate(factor.argnames):
                params[arg] = factor.value(position, arg_index)
                # pytest numbers direct arguments by call, for the fixture ordering of items.
                indices[arg] = position if arg in indirect else index
                scopes[arg] = factor.scope
            set_id = factor.ids[position]
            if set_id is not hidden:
                idlist.append(set_id)
            if factor.marks is not None:
                marks.extend(factor.marks[position])
        return CallSpec(params, indices, scopes, idlist, marks)

    def ids(self):
        """Each call's id (``CallSpec.id``), None where every set is ``HIDDEN_PARAM``."""
        hidden = _hidden_param()
        if len(self.factors) == 1:
            ids = self.factors[0].ids
            return [None if set_id is hidden else set_id for set_id in ids] if hidden in ids else ids
        import itertools

        combined = itertools.product(*(factor.ids for factor in self.factors))
        if any(hidden in factor.ids for factor in self.factors):
            return [_joined_id([set_id for set_id in ids if set_id is not hidden]) for ids in combined]
        return ["-".join(ids) for ids in combined]

    def have_marks(self):
        """Whether any call carries marks of its own (``pytest.param(..., marks=)``)."""
        return any(factor.marks is not None for factor in self.factors)

    def __repr__(self):
        return f"Calls({list(self)!r})"


def _joined_id(idlist):
    return "-".join(idlist) if idlist else None


def _call_arguments(argnames, argvalues, *, indirect=False, ids=None, scope=None):
    """Accept a parametrize mark's arguments as ``Metafunc.parametrize`` does."""
    return argnames, argvalues, indirect, ids, scope


def _parametrize(function, mark, factors, indirect_names, nodeid, fixturenames, options):
    """One ``Metafunc.parametrize`` call: validate the mark; returns its ``Factor``."""
    argnames, argvalues, indirect, ids, scope = _call_arguments(*mark.args, **mark.kwargs)
    argnames, sets = _parameter_sets(argnames, argvalues, function, nodeid, options)
    if "request" in argnames:
        _fail(
            f"{nodeid}: 'request' is a reserved name and cannot be used in "
            "@pytest.mark.parametrize"
        )
    if scope is not None and scope not in _SCOPES:
        _fail(
            f"parametrize() call in {function.__name__} got an unexpected scope value "
            f"'{scope}'"
        )
    _check_argnames_used(function, argnames, indirect, nodeid, fixturenames)
    set_ids = _ids_for(mark, argnames, ids, sets, nodeid, options)
    indirect_names.update(_indirect_names(argnames, indirect, nodeid))
    _check_no_duplicates(argnames, factors, nodeid)
    marks = None
    if sets.marks is not None:
        marks = [_marks.normalize(set_marks) for set_marks in sets.marks]
    return Factor(argnames, scope, sets.values, sets.single, set_ids, marks)


def _check_no_duplicates(argnames, factors, nodeid):
    """``CallSpec.setmulti`` refuses an argname parametrized twice."""
    seen = {arg for factor in factors for arg in factor.argnames}
    for arg in argnames:
        if arg in seen:
            _fail(f"{nodeid}: duplicate parametrization of {arg!r}")
        seen.add(arg)


def _make_one(factor, index):
    """``Calls._make`` for a test with one ``parametrize`` call (most): its parameter set
    ``index`` is the call, and the call's index is every argument's, indirect or not."""
    argnames = factor.argnames
    params = _one_params(factor, index)
    indices, scopes = dict.fromkeys(argnames, index), dict.fromkeys(argnames, factor.scope)
    set_id = factor.ids[index]
    idlist = [] if set_id is _hidden_param() else [set_id]
    marks = [] if factor.marks is None else list(factor.marks[index])
    return CallSpec(params, indices, scopes, idlist, marks)


def _one_params(factor, index):
    """The values of parameter set ``index`` of ``factor`` by argname."""
    if factor.single:
        return {factor.argnames[0]: factor.values[index]}
    return dict(zip(factor.argnames, factor.values[index]))


class _ParameterSets:
    """The normalised argvalues of one parametrize call, by column: ``values`` as in
    ``Factor``; ``marks`` and ``ids`` (``pytest.param``'s) None when no set is a
    ``pytest.param``, else one entry per set (``()`` and None for plain values);
    ``value_types`` the set of the values' types, when ``single`` and already known."""

    __slots__ = ("values", "single", "marks", "ids", "value_types")

    def __init__(self, values, single, marks, ids, value_types=None):
        self.values = values
        self.single = single
        self.marks = marks
        self.ids = ids
        self.value_types = value_types

    def __len__(self):
        return len(self.values)

    def value_tuples(self):
        """Each set's values as a sequence, one per argname."""
        return [(value,) for value in self.values] if self.single else self.values


def _parameter_sets(argnames, argvalues, function, nodeid, options):
    """Normalise argnames and argvalues (``ParameterSet._for_parametrize``).

    Returns the argnames as a list and the ``_ParameterSets``.
    """
    if not isinstance(argvalues, Collection):
        _warn_non_collection(argvalues, nodeid)
    if isinstance(argnames, str):
        # "arg," asks for tuples of one value, like ("arg",).
        force_tuple = not argnames.rstrip().endswith(",")
        argnames = [name.strip() for name in argnames.split(",") if name.strip()]
        force_tuple = force_tuple and len(argnames) == 1
    else:
        force_tuple = False
    values = list(argvalues)
    if not values:
        return argnames, _empty_parameter_set(argnames, function, options)
    sets = _extract(values, force_tuple)
    if not sets.single:
        for set_values in sets.values:
            _check_values_length(set_values, argnames, nodeid)
    return argnames, sets


def _extract(values, force_tuple):
    """The ``_ParameterSets`` of argvalues ``values``, any of which may be a ``pytest.param``."""
    structures = sys.modules.get("_pytest.mark.structures")
    # Without pytest loaded (a ``pytest_generate_tests`` hook in a suite that never imports
    # it) no value can be a ``pytest.param``. Checking the values' types rather than each
    # value keeps this at C speed for thousands of plain values.
    if structures is None:
        return _ParameterSets(values, force_tuple, None, None)
    parameter_set = structures.ParameterSet
    value_types = set(map(type, values))
    if not any(issubclass(kind, parameter_set) for kind in value_types):
        return _ParameterSets(values, force_tuple, None, None, value_types if force_tuple else None)
    plain, marks, ids = [], [], []
    for value in values:
        if isinstance(value, parameter_set):
            plain.append(value.values)
            marks.append(value.marks)
            ids.append(value.id)
        else:
            plain.append((value,) if force_tuple else value)
            marks.append(())
            ids.append(None)
    # pytest.param always gives a tuple of values, so the sets are tuples from here on.
    return _ParameterSets(plain, False, marks, ids)


def _warn_non_collection(argvalues, nodeid):
    import warnings

    from _pytest.deprecated import PARAMETRIZE_NON_COLLECTION_ITERABLE

    warnings.warn(
        PARAMETRIZE_NON_COLLECTION_ITERABLE.format(
            nodeid=nodeid, type_name=type(argvalues).__name__
        ),
        stacklevel=3,
    )


def _check_values_length(values, argnames, nodeid):
    try:
        values_len = len(values)
    except TypeError:
        _fail(
            f'{nodeid}: in "parametrize" expected a sequence of values, '
            "for a single value use a one-element tuple like ('value',), "
            f"got {type(values).__name__}:\n  {values}"
        )
    if values_len != len(argnames):
        _fail(
            f'{nodeid}: in "parametrize" the number of names ({len(argnames)}):\n'
            f"  {argnames}\n"
            f"must be equal to the number of values ({values_len}):\n"
            f"  {values}"
        )


def _empty_parameter_set(argnames, function, options):
    """The single NOTSET call pytest makes for an empty argvalues, with its mark."""
    from _pytest.compat import NOTSET

    structures = sys.modules["_pytest.mark.structures"]
    reason = f"got empty parameter set for ({', '.join(argnames)})"
    requested = options.empty_parameter_set_mark
    if requested == "skip":
        mark = structures.MARK_GEN.skip(reason=reason)
    elif requested == "xfail":
        mark = structures.MARK_GEN.xfail(reason=reason, run=False)
    else:
        from _pytest._code import getfslineno

        _, lineno = getfslineno(function)
        _fail(f"Empty parameter set in '{function.__name__}' at line {lineno + 1}")
    return _ParameterSets([(NOTSET,) * len(argnames)], False, [[mark]], ["NOTSET"])


def _check_argnames_used(function, argnames, indirect, nodeid, fixturenames):
    """Every argname must be an argument or fixture of the test, without a default."""
    for arg in argnames:
        if arg in fixturenames:
            continue
        if arg in _default_arg_names(function):
            _fail(f"In {nodeid}: function already takes an argument '{arg}' with a default value")
        if _is_sequence(indirect):
            kind = "fixture" if arg in indirect else "argument"
        else:
            kind = "fixture" if indirect else "argument"
        _fail(f"In {nodeid}: function uses no {kind} '{arg}'")


def _default_arg_names(function):
    """pytest's ``get_default_arg_names``: arguments with a default value."""
    from inspect import Parameter, signature

    kinds = (Parameter.POSITIONAL_OR_KEYWORD, Parameter.KEYWORD_ONLY)
    return {p.name for p in signature(function).parameters.values() if p.kind in kinds and p.default is not Parameter.empty}


def _is_sequence(value):
    return isinstance(value, Sequence)


def _indirect_names(argnames, indirect, nodeid):
    """The argnames passed to fixtures as ``request.param`` (``_resolve_args_directness``)."""
    if isinstance(indirect, bool):
        return set(argnames) if indirect else set()
    if not _is_sequence(indirect):
        _fail(
            f"In {nodeid}: expected Sequence or boolean for indirect, "
            f"got {type(indirect).__name__}"
        )
    for arg in indirect:
        if arg not in argnames:
            _fail(f"In {nodeid}: indirect fixture '{arg}' doesn't exist")
    return set(indirect)


def _ids_for(mark, argnames, ids, sets, nodeid, options):
    """The ids of the parameter sets, reusing those pytest stored on the mark.

    pytest remembers the ids it generated for a ``parametrize(..., ids=...)`` mark on the
    mark itself and reuses them for the next test with the same mark (a class or module
    mark), so that a generator of ids is consumed once; the reused ids go through escaping
    again.
    """
    source = getattr(mark, "_param_ids_from", None)
    generated = getattr(source, "_param_ids_generated", None)
    if generated is not None:
        ids = generated
    resolved = _resolve_parameter_set_ids(argnames, ids, sets, nodeid, options)
    if source is not None and generated is None:
        object.__setattr__(source, "_param_ids_generated", resolved)
    return resolved


def _resolve_parameter_set_ids(argnames, ids, sets, nodeid, options):
    if ids is None:
        idfn, id_list = None, None
    elif callable(ids):
        idfn, id_list = ids, None
    else:
        idfn, id_list = None, _validate_ids(ids, sets, nodeid)
    maker = _IdMaker(argnames, sets, idfn, id_list, nodeid, options)
    return maker.make_unique_parameterset_ids()


def _validate_ids(ids, sets, nodeid):
    """A list of at most one id per parameter set; an empty ``ids`` means none given."""
    import itertools

    try:
        num_ids = len(ids)
    except TypeError:
        try:
            iter(ids)
        except TypeError as e:
            raise TypeError("ids must be a callable or an iterable") from e
        num_ids = len(sets)
    if num_ids != len(sets) and num_ids != 0:
        _fail(
            f"In {nodeid}: {len(sets)} parameter sets specified, "
            f"with different number of ids: {num_ids}"
        )
    return list(itertools.islice(ids, num_ids))


# Stands for ``HIDDEN_PARAM`` when pytest is not loaded: no id can be it then.
_NO_HIDDEN_PARAM = object()


def _hidden_param():
    structures = sys.modules.get("_pytest.mark.structures")
    return structures.HIDDEN_PARAM if structures is not None else _NO_HIDDEN_PARAM


def _fail(message):
    raise ParametrizeError(message)


def _is_notset(val):
    compat = sys.modules.get("_pytest.compat")
    return compat is not None and isinstance(val, compat.NotSetType)


def ascii_escaped(val):
    r"""pytest's ``ascii_escaped``: str as unicode escapes, bytes as ``\xNN`` per byte."""
    if isinstance(val, bytes):
        escaped = val.decode("ascii", "backslashreplace")
    else:
        escaped = val.encode("unicode_escape").decode("ascii")
    return escaped.translate(_NON_PRINTABLE)


class _IdMaker:
    """pytest's ``IdMaker``: ids for the parameter sets of one parametrize call."""

    def __init__(self, argnames, sets, idfn, ids, nodeid, options):
        self.argnames = argnames
        self.sets = sets
        self.idfn = idfn
        self.ids = ids
        self.nodeid = nodeid
        self.options = options

    def make_unique_parameterset_ids(self):
        """The ids, where repeated ones get a counter: ``a0``, ``a1``; ``1_0``, ``1_1``."""
        resolved = list(self._resolve_ids())
        if len(resolved) == len(set(resolved)):
            return resolved
        from collections import Counter

        counts = Counter(resolved)
        if self.options.strict_ids:
            self._complain_duplicates(resolved, counts)
        hidden = _hidden_param()
        suffixes = {}
        for index, id in enumerate(resolved):
            if counts[id] <= 1:
                continue
            if id is hidden:
                _fail(
                    f"{self._error_prefix()}multiple instances of HIDDEN_PARAM cannot be "
                    "used in the same parametrize call, because the tests names need to "
                    "be unique."
                )
            # A digit before the counter would make "1" + "1" look like "11".
            separator = "_" if id and id[-1].isdigit() else ""
            suffix = suffixes.get(id, 0)
            new_id = f"{id}{separator}{suffix}"
            while new_id in set(resolved):
                suffix += 1
                new_id = f"{id}{separator}{suffix}"
            resolved[index] = new_id
            suffixes[id] = suffix + 1
        return resolved

    def _complain_duplicates(self, resolved, counts):
        from _pytest._io.saferepr import saferepr

        hidden = _hidden_param()

        def shown(id):
            return "<hidden>" if id is hidden else id

        parametersets = ", ".join(saferepr(list(values)) for values in self.sets.value_tuples())
        duplicates = ", ".join(shown(id) for id, count in counts.items() if count > 1)
        _fail(
            "Duplicate parametrization IDs detected, but strict_parametrization_ids is set.\n"
            "\n"
            f"Test name:      {self.nodeid}\n"
            f"Parameters:     {', '.join(self.argnames)}\n"
            f"Parameter sets: {parametersets}\n"
            f"IDs:            {', '.join(shown(id) for id in resolved)}\n"
            f"Duplicates:     {duplicates}\n"
            "\n"
            "You can fix this problem using `@pytest.mark.parametrize(..., ids=...)` or "
            "`pytest.param(..., id=...)`."
        )

    def _resolve_ids(self):
        """Each set's id: pytest.param's id, else the ids entry, else one from the values."""
        if self.sets.ids is None and not self.ids and self.idfn is None and self.options.id_hook is None:
            return self._ids_from_values()
        return self._resolve_each_id()

    def _resolve_each_id(self):
        hidden = _hidden_param()
        set_ids = self.sets.ids or [None] * len(self.sets)
        for idx, (values, set_id) in enumerate(zip(self.sets.value_tuples(), set_ids)):
            if set_id is not None:
                yield hidden if set_id is hidden else self._escaped(set_id)
            elif self.ids and idx < len(self.ids) and self.ids[idx] is not None:
                given = self.ids[idx]
                yield hidden if given is hidden else self._idval_from_value_required(given, idx)
            else:
                yield "-".join(
                    self._idval(val, argname, idx)
                    for val, argname in zip(values, self.argnames)
                )

    def _ids_from_values(self):
        """The ids when nothing but the values decides them (no ``ids=``, no hook, no
        ``pytest.param`` id): the common case, kept to few Python operations per value."""
        values = self.sets.values
        plain_idval = self._plain_idval
        if not self.sets.single:
            if {type(val) for set_values in values for val in set_values} <= _STR_ID_TYPES:
                return ["-".join(map(repr, set_values)) for set_values in values]
            argnames = self.argnames
            return [
                "-".join([plain_idval(val, argname, idx) for val, argname in zip(set_values, argnames)])
                for idx, set_values in enumerate(values)
            ]
        value_types = self.sets.value_types
        if value_types is None:
            value_types = set(map(type, values))
        if value_types <= _STR_ID_TYPES:
            return list(map(repr, values))
        argname = self.argnames[0]
        return [plain_idval(val, argname, idx) for idx, val in enumerate(values)]

    def _plain_idval(self, val, argname, idx):
        """``_idval`` for ``val``, answered at once for the types whose id is their ``str``
        and for short strings escaping leaves as they are."""
        kind = type(val)
        if kind in _STR_ID_TYPES:
            return str(val)
        if kind is str and len(val) <= 100 and val.isascii() and val.isprintable() and "\\" not in val:
            return val
        return self._idval(val, argname, idx)

    def _idval(self, val, argname, idx):
        """The id of one value: from ``ids=`` callable, the hook, the value, or its name."""
        idval = self._idval_from_function(val, argname, idx)
        if idval is not None:
            return idval
        if self.options.id_hook is not None:
            idval = self.options.id_hook(val, argname)
            if idval is not None:
                return idval
        if isinstance(val, (str, bytes)):
            idval = self._long_str_idval(val, argname, idx)
        else:
            idval = self._idval_from_value(val)
        if idval is not None:
            return idval
        return str(argname) + str(idx)

    def _idval_from_function(self, val, argname, idx):
        if self.idfn is None:
            return None
        try:
            id = self.idfn(val)
        except Exception as e:
            prefix = f"{self.nodeid}: " if self.nodeid is not None else ""
            raise ParametrizeError(
                f"{prefix}error raised while trying to determine id of parameter "
                f"'{argname}' at position {idx}"
            ) from e
        if id is None:
            return None
        return self._idval_from_value(id)

    def _long_str_idval(self, val, argname, idx):
        """Strings over 100 characters follow ``parametrize_long_str_id_strategy``."""
        if len(val) <= 100:
            return self._escaped(val)
        strategy = self.options.long_str_strategy
        if strategy not in _LONG_STR_STRATEGIES:
            raise ParametrizeError(
                f"Unknown parametrize_long_str_id_strategy: {strategy!r}. "
                f"Valid values: {', '.join(_LONG_STR_STRATEGIES)}"
            )
        if strategy == "legacy":
            return self._escaped(val)
        if strategy == "sha256":
            import hashlib

            encoded = val.encode("utf-8") if isinstance(val, str) else val
            return hashlib.sha256(encoded).hexdigest()
        if strategy == "disallow":
            _fail(
                f"{self._error_prefix()}parametrize value for '{argname}' at index {idx} "
                f"is too long for an auto-generated ID ({len(val)} characters). "
                "Use pytest.param(..., id=...) or parametrize(..., ids=...) "
                "to set an explicit ID, or change parametrize_long_str_id_strategy."
            )
        return None

    def _idval_from_value(self, val):
        """An id for the value types pytest knows how to show, else None."""
        import enum
        import re

        if isinstance(val, (str, bytes)):
            return self._escaped(val)
        if val is None or isinstance(val, (float, int, bool, complex)):
            return str(val)
        if isinstance(val, re.Pattern):
            return ascii_escaped(val.pattern)
        if _is_notset(val):
            return None
        if isinstance(val, enum.Enum):
            return str(val)
        name = getattr(val, "__name__", None)
        return name if isinstance(name, str) else None

    def _idval_from_value_required(self, val, idx):
        id = self._idval_from_value(val)
        if id is not None:
            return id
        from _pytest._io.saferepr import saferepr

        _fail(
            f"{self._error_prefix()}ids contains unsupported value {saferepr(val)} "
            f"(type: {type(val)!r}) at index {idx}. Supported types are: str, bytes, int, "
            "float, complex, bool, enum, regex or anything with a __name__."
        )

    def _escaped(self, val):
        # With escaping disabled pytest passes bytes through unchanged, too.
        return val if self.options.disable_escaping else ascii_escaped(val)

    def _error_prefix(self):
        return f"In {self.nodeid}: " if self.nodeid is not None else ""
