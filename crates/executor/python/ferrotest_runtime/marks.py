"""Reading pytest marks the way pytest's collection tree sees them.

Marks only exist once the test module imported pytest, so pytest's own classes are looked
up in ``sys.modules`` when needed instead of importing pytest here (which costs 0.3 s).
"""
import sys

_STRUCTURES = "_pytest.mark.structures"

# Function attributes that -k never matches (pytest's IGNORED_FUNCTION_ATTRIBUTES).
_IGNORED_FUNCTION_ATTRIBUTES = frozenset({"pytestmark", "cache_parameters"})


def own_marks(obj):
    """The marks stored on ``obj`` itself, as pytest's ``get_unpacked_marks(obj)``.

    For a class every class of its MRO contributes the ``pytestmark`` of its own
    ``__dict__``, base classes first, without removing duplicates; anything else
    contributes ``getattr(obj, "pytestmark")``, which may be a list or a single mark.
    """
    if isinstance(obj, type):
        marks = []
        for klass in reversed(obj.__mro__):
            _extend(marks, klass.__dict__.get("pytestmark", []))
        return normalize(marks)
    attribute = getattr(obj, "pytestmark", [])
    if attribute is None:
        _warn_none_pytestmark()
        return []
    return normalize(attribute if isinstance(attribute, list) else [attribute])


def _extend(marks, attribute):
    if isinstance(attribute, list):
        marks.extend(attribute)
    else:
        marks.append(attribute)


def _warn_none_pytestmark():
    """pytest warns about a module ``__getattr__`` answering None instead of raising."""
    import warnings

    from _pytest.warning_types import PytestCollectionWarning

    warnings.warn(
        "Module defines a `__getattr__` which returns None for "
        "'pytestmark' instead of raising AttributeError. "
        "Make sure `__getattr__` raises AttributeError for "
        "attributes it does not provide. "
        "See https://github.com/pytest-dev/pytest/issues/8265",
        PytestCollectionWarning,
        stacklevel=2,
    )


def normalize(marks):
    """``Mark`` objects for ``marks``, unwrapping ``MarkDecorator``s (``normalize_mark_list``).

    Raises the ``TypeError`` pytest raises for anything that is not a mark.
    """
    if not marks:
        return []
    structures = sys.modules.get(_STRUCTURES)
    mark_class = structures.Mark if structures is not None else ()
    result = []
    for mark in marks:
        mark_obj = getattr(mark, "mark", mark)
        if not isinstance(mark_obj, mark_class):
            raise TypeError(f"got {mark_obj!r} instead of Mark")
        result.append(mark_obj)
    return result


def item_marks(function, cls_chain, module, param_marks=()):
    """The marks of a test item in the order of pytest's ``item.iter_markers()``.

    pytest walks from the item up to the session: the function's own marks (bottom
    decorator first, as decorators append when applied), then the marks of its
    ``pytest.param(..., marks=)`` (``param_marks``), then each enclosing class from the
    innermost out (``cls_chain`` is given outermost first, as the classes nest), then the
    module's ``pytestmark``.
    """
    marks = own_marks(function)
    marks.extend(normalize(param_marks))
    for cls in reversed(cls_chain):
        marks.extend(own_marks(cls))
    if module is not None:
        marks.extend(own_marks(module))
    return marks


def keyword_names(name, function, parent_names, marks):
    """The names ``-k`` matches against for an item (pytest's ``KeywordMatcher.from_item``).

    ``name`` is the item's name including any ``[id]``; ``parent_names`` the names of its
    parent nodes below the rootdir's directory (sub-directories, the module's file name,
    classes); ``marks`` the item's marks as ``item_marks`` returns them. The function's
    public attributes count too, since assigning ``test_x.slow = True`` is meant as a
    keyword. ``-k`` matches a case-insensitive substring of any of these names.
    """
    names = {name, *parent_names}
    names.update(
        attribute
        for attribute in getattr(function, "__dict__", ())
        if not attribute.startswith("_") and attribute not in _IGNORED_FUNCTION_ATTRIBUTES
    )
    names.update(mark.name for mark in marks)
    return names
