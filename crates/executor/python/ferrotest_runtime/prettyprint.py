"""pytest's ``_io.pprint.PrettyPrinter`` (pytest 9.2), which formats both sides of the
``-v`` full diff of two iterables.

Unlike the standard library's, it puts every item of a container on its own line, and it
yields its output in chunks so ``pformat_lines`` can stop at a line/character budget.
Imported only for that diff.
"""
import collections as _collections
import re
import sys
import types as _types


class safe_key:
    """Sort key for unorderable objects: falls back to (type name, id)."""

    __slots__ = ["obj"]

    def __init__(self, obj):
        self.obj = obj

    def __lt__(self, other):
        try:
            return self.obj < other.obj
        except TypeError:
            return (str(type(self.obj)), id(self.obj)) < (str(type(other.obj)), id(other.obj))


_BUILTIN_SCALARS = frozenset({str, bytes, bytearray, float, complex, bool, type(None), int})


def _recursion(obj):
    return "<Recursion on %s with id=%s>" % (type(obj).__name__, id(obj))


class PrettyPrinter:
    def __init__(self, indent=4, width=80, depth=None):
        self._depth = depth
        self._indent_per_level = indent
        self._width = width

    def pformat(self, obj):
        return "".join(self._format(obj, 0, 0, set(), 0))

    def pformat_lines(self, obj, max_lines=None, max_chars=None):
        """The lines of ``obj``, formatted only until a bound (None: unbounded) is reached;
        the result may overshoot it by the last chunk."""
        if max_lines is None and max_chars is None:
            return self.pformat(obj).splitlines()
        n_lines = 0
        n_chars = 0
        chunks = []
        for chunk in self._format(obj, 0, 0, set(), 0):
            chunks.append(chunk)
            if max_chars is not None:
                n_chars += len(chunk)
            if max_lines is not None:
                n_lines += chunk.count("\n")
            if max_lines is not None and n_lines >= max_lines:
                break
            if max_chars is not None and n_chars >= max_chars:
                break
        return "".join(chunks).splitlines()

    def _format(self, obj, indent, allowance, context, level):
        objid = id(obj)
        if objid in context:
            yield _recursion(obj)
            return
        printer = self._dispatch.get(type(obj).__repr__, None)
        if printer is None and _has_generated_dataclass_repr(obj):
            printer = PrettyPrinter._pprint_dataclass
        if printer is None:
            yield self._repr(obj, context, level)
            return
        context.add(objid)
        yield from printer(self, obj, indent, allowance, context, level + 1)
        context.remove(objid)

    _dispatch = {}

    def _pprint_dataclass(self, obj, indent, allowance, context, level):
        fields = sys.modules["dataclasses"].fields(obj)
        items = [(f.name, getattr(obj, f.name)) for f in fields if f.repr]
        yield obj.__class__.__name__ + "("
        yield from self._format_namespace_items(items, indent, allowance, context, level)
        yield ")"

    def _pprint_dict(self, obj, indent, allowance, context, level):
        yield "{"
        yield from self._format_dict_items(obj.items(), indent, allowance, context, level)
        yield "}"

    _dispatch[dict.__repr__] = _pprint_dict

    def _pprint_dict_with_cls(self, obj, indent, allowance, context, level):
        if not len(obj):
            yield repr(obj)
            return
        yield obj.__class__.__name__ + "("
        yield from self._pprint_dict(obj, indent, allowance, context, level)
        yield ")"

    _dispatch[_collections.OrderedDict.__repr__] = _pprint_dict_with_cls

    def _pprint_list(self, obj, indent, allowance, context, level):
        yield "["
        yield from self._format_items(obj, indent, allowance, context, level)
        yield "]"

    _dispatch[list.__repr__] = _pprint_list

    def _pprint_tuple(self, obj, indent, allowance, context, level):
        yield "("
        yield from self._format_items(obj, indent, allowance, context, level)
        yield ")"

    _dispatch[tuple.__repr__] = _pprint_tuple

    def _pprint_set(self, obj, indent, allowance, context, level):
        if not len(obj):
            yield repr(obj)
            return
        typ = obj.__class__
        if typ is set:
            yield "{"
            endchar = "}"
        else:
            yield typ.__name__ + "({"
            endchar = "})"
        try:
            obj = sorted(obj)
        except TypeError:
            obj = sorted(obj, key=safe_key)
        yield from self._format_items(obj, indent, allowance, context, level)
        yield endchar

    _dispatch[set.__repr__] = _pprint_set
    _dispatch[frozenset.__repr__] = _pprint_set

    def _pprint_str(self, obj, indent, allowance, context, level):
        if not len(obj):
            yield repr(obj)
            return
        chunks = []
        lines = obj.splitlines(True)
        if level == 1:
            indent += 1
            allowance += 1
        max_width1 = max_width = self._width - indent
        for i, line in enumerate(lines):
            rep = repr(line)
            if i == len(lines) - 1:
                max_width1 -= allowance
            if len(rep) <= max_width1:
                chunks.append(rep)
            else:
                chunks.extend(_wrap_words(line, max_width, allowance if i == len(lines) - 1 else 0))
        if len(chunks) == 1:
            yield rep
            return
        if level == 1:
            yield "("
        for i, rep in enumerate(chunks):
            if i > 0:
                yield "\n" + " " * indent
            yield rep
        if level == 1:
            yield ")"

    _dispatch[str.__repr__] = _pprint_str

    def _pprint_bytes(self, obj, indent, allowance, context, level):
        if len(obj) <= 4:
            yield repr(obj)
            return
        parens = level == 1
        if parens:
            indent += 1
            allowance += 1
            yield "("
        delim = ""
        for rep in _wrap_bytes_repr(obj, self._width - indent, allowance):
            yield delim
            yield rep
            if not delim:
                delim = "\n" + " " * indent
        if parens:
            yield ")"

    _dispatch[bytes.__repr__] = _pprint_bytes

    def _pprint_bytearray(self, obj, indent, allowance, context, level):
        yield "bytearray("
        yield from self._pprint_bytes(bytes(obj), indent + 10, allowance + 1, context, level + 1)
        yield ")"

    _dispatch[bytearray.__repr__] = _pprint_bytearray

    def _pprint_mappingproxy(self, obj, indent, allowance, context, level):
        yield "mappingproxy("
        yield from self._format(obj.copy(), indent, allowance, context, level)
        yield ")"

    _dispatch[_types.MappingProxyType.__repr__] = _pprint_mappingproxy

    def _pprint_simplenamespace(self, obj, indent, allowance, context, level):
        # SimpleNamespace's repr says "namespace"; subclasses show their class name.
        cls_name = "namespace" if type(obj) is _types.SimpleNamespace else obj.__class__.__name__
        yield cls_name + "("
        yield from self._format_namespace_items(obj.__dict__.items(), indent, allowance, context, level)
        yield ")"

    _dispatch[_types.SimpleNamespace.__repr__] = _pprint_simplenamespace

    def _format_dict_items(self, items, indent, allowance, context, level):
        item_indent = indent + self._indent_per_level
        delimnl = "\n" + " " * item_indent
        emitted = False
        for key, ent in items:
            emitted = True
            yield delimnl
            yield self._repr(key, context, level)
            yield ": "
            yield from self._format(ent, item_indent, 1, context, level)
            yield ","
        if emitted:
            yield "\n" + " " * indent

    def _format_namespace_items(self, items, indent, allowance, context, level):
        item_indent = indent + self._indent_per_level
        delimnl = "\n" + " " * item_indent
        emitted = False
        for key, ent in items:
            emitted = True
            yield delimnl
            yield key
            yield "="
            if id(ent) in context:
                # As the standard recursive dataclass repr shows it.
                yield "..."
            else:
                yield from self._format(ent, item_indent + len(key) + 1, 1, context, level)
            yield ","
        if emitted:
            yield "\n" + " " * indent

    def _format_items(self, items, indent, allowance, context, level):
        item_indent = indent + self._indent_per_level
        delimnl = "\n" + " " * item_indent
        emitted = False
        for item in items:
            emitted = True
            yield delimnl
            yield from self._format(item, item_indent, 1, context, level)
            yield ","
        if emitted:
            yield "\n" + " " * indent

    def _repr(self, obj, context, level):
        return self._safe_repr(obj, context.copy(), self._depth, level)

    def _pprint_default_dict(self, obj, indent, allowance, context, level):
        rdf = self._repr(obj.default_factory, context, level)
        yield "%s(%s, " % (obj.__class__.__name__, rdf)
        yield from self._pprint_dict(obj, indent, allowance, context, level)
        yield ")"

    _dispatch[_collections.defaultdict.__repr__] = _pprint_default_dict

    def _pprint_counter(self, obj, indent, allowance, context, level):
        yield obj.__class__.__name__ + "("
        if obj:
            yield "{"
            yield from self._format_dict_items(obj.most_common(), indent, allowance, context, level)
            yield "}"
        yield ")"

    _dispatch[_collections.Counter.__repr__] = _pprint_counter

    def _pprint_chain_map(self, obj, indent, allowance, context, level):
        if not len(obj.maps) or (len(obj.maps) == 1 and not len(obj.maps[0])):
            yield repr(obj)
            return
        yield obj.__class__.__name__ + "("
        yield from self._format_items(obj.maps, indent, allowance, context, level)
        yield ")"

    _dispatch[_collections.ChainMap.__repr__] = _pprint_chain_map

    def _pprint_deque(self, obj, indent, allowance, context, level):
        yield obj.__class__.__name__ + "("
        if obj.maxlen is not None:
            yield "maxlen=%d, " % obj.maxlen
        yield "["
        yield from self._format_items(obj, indent, allowance + 1, context, level)
        yield "])"

    _dispatch[_collections.deque.__repr__] = _pprint_deque

    def _pprint_user_data(self, obj, indent, allowance, context, level):
        yield from self._format(obj.data, indent, allowance, context, level - 1)

    _dispatch[_collections.UserDict.__repr__] = _pprint_user_data
    _dispatch[_collections.UserList.__repr__] = _pprint_user_data
    _dispatch[_collections.UserString.__repr__] = _pprint_user_data

    def _safe_repr(self, obj, context, maxlevels, level):
        typ = type(obj)
        if typ in _BUILTIN_SCALARS:
            return repr(obj)
        r = getattr(typ, "__repr__", None)
        if issubclass(typ, dict) and r is dict.__repr__:
            return self._safe_repr_dict(obj, context, maxlevels, level)
        if (issubclass(typ, list) and r is list.__repr__) or (issubclass(typ, tuple) and r is tuple.__repr__):
            return self._safe_repr_sequence(obj, context, maxlevels, level)
        return repr(obj)

    def _safe_repr_dict(self, obj, context, maxlevels, level):
        if not obj:
            return "{}"
        if maxlevels and level >= maxlevels:
            return "{...}"
        objid = id(obj)
        if objid in context:
            return _recursion(obj)
        context.add(objid)
        level += 1
        components = [
            "%s: %s" % (self._safe_repr(k, context, maxlevels, level), self._safe_repr(v, context, maxlevels, level))
            for k, v in obj.items()
        ]
        context.remove(objid)
        return "{%s}" % ", ".join(components)

    def _safe_repr_sequence(self, obj, context, maxlevels, level):
        if isinstance(obj, list):
            if not obj:
                return "[]"
            template = "[%s]"
        elif len(obj) == 1:
            template = "(%s,)"
        else:
            if not obj:
                return "()"
            template = "(%s)"
        if maxlevels and level >= maxlevels:
            return template % "..."
        objid = id(obj)
        if objid in context:
            return _recursion(obj)
        context.add(objid)
        components = [self._safe_repr(o, context, maxlevels, level + 1) for o in obj]
        context.remove(objid)
        return template % ", ".join(components)


def _has_generated_dataclass_repr(obj):
    dataclasses = sys.modules.get("dataclasses")
    return (
        dataclasses is not None
        and dataclasses.is_dataclass(obj)
        and not isinstance(obj, type)
        and obj.__dataclass_params__.repr
        and hasattr(obj.__repr__, "__wrapped__")
        and "__create_fn__" in obj.__repr__.__wrapped__.__qualname__
    )


def _wrap_words(line, max_width, last_allowance):
    """The reprs of a too-long line, cut at word ends to fit ``max_width``."""
    # Alternating (non-space, space) parts; the final empty match is dropped.
    parts = re.findall(r"\S*\s*", line)[:-1]
    chunks = []
    current = ""
    for j, part in enumerate(parts):
        candidate = current + part
        width = max_width - last_allowance if j == len(parts) - 1 else max_width
        if len(repr(candidate)) > width:
            if current:
                chunks.append(repr(current))
            current = part
        else:
            current = candidate
    if current:
        chunks.append(repr(current))
    return chunks


def _wrap_bytes_repr(obj, width, allowance):
    current = b""
    last = len(obj) // 4 * 4
    for i in range(0, len(obj), 4):
        part = obj[i : i + 4]
        candidate = current + part
        if i == last:
            width -= allowance
        if len(repr(candidate)) > width:
            if current:
                yield repr(current)
            current = part
        else:
            current = candidate
    if current:
        yield repr(current)
