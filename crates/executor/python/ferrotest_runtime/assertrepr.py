"""Explanations of failed asserts, as pytest 9.2 writes them.

A port of ``_pytest.assertion.util`` (``format_explanation``, ``assertrepr_compare``), its
``_compare_*`` helpers, ``truncate`` and the ``pytest_assertrepr_compare`` plumbing of
``_pytest.assertion``, so ferrotest never imports pytest. Imported on the first failed
assert only: rewritten code reaches the ``_``-prefixed helpers below through
``rewrite.__getattr__``. Settings (verbosity, truncation limits) are read from ``rewrite``.
Diffs are never highlighted (pytest only colours them on a colour terminal).
"""
import os
import sys
import types

from . import outcomes, rewrite
from .tbformat import DEFAULT_REPR_MAX_SIZE, saferepr, saferepr_unlimited

USAGE_MSG = "use '-vv' to show"
TRUNCATION_MSG = "...Full output truncated, " + USAGE_MSG
# A body may exceed the budget by the footer's own cost before it is cut.
TRUNCATION_FOOTER_LINES = 2
TRUNCATION_FOOTER_CHARS = len("...") + len(TRUNCATION_MSG)
DEFAULT_MAX_LINES = 8
DEFAULT_MAX_CHARS = DEFAULT_MAX_LINES * 80
# (max_lines, max_chars); 0 leaves that dimension unbounded.
NO_BUDGET = (0, 0)


# -- helpers called by rewritten code ---------------------------------------------------


def _saferepr(obj):
    r"""The repr shown in explanations; newlines are escaped because ``\n{``, ``\n}`` and
    ``\n~`` are format_explanation's markup."""
    if isinstance(obj, types.MethodType):
        # The name says enough; <bound method ...> would repeat the object.
        return obj.__name__
    maxsize = _where_maxsize()
    text = saferepr_unlimited(obj) if not maxsize else saferepr(obj, maxsize=maxsize)
    return text.replace("\n", "\\n")


def _where_maxsize():
    if rewrite.verbosity >= 2:
        return None
    if rewrite.verbosity >= 1:
        return DEFAULT_REPR_MAX_SIZE * 10
    return DEFAULT_REPR_MAX_SIZE


def _format_assertmsg(obj):
    r"""The custom message of ``assert x, msg``: its newlines become ``\n~`` so they survive
    format_explanation."""
    replaces = [("\n", "\n~"), ("%", "%%")]
    if not isinstance(obj, str):
        obj = _saferepr(obj)
        replaces.append(("\\n", "\n~"))
    for old, new in replaces:
        obj = obj.replace(old, new)
    return obj


def _should_repr_global_name(obj):
    if callable(obj):
        # A pytest fixture's repr says more than its name.
        fixtures = sys.modules.get("_pytest.fixtures")
        definition = getattr(fixtures, "FixtureFunctionDefinition", None)
        return definition is not None and isinstance(obj, definition)
    try:
        return not hasattr(obj, "__name__")
    except Exception:
        return True


def _format_boolop(explanations, is_or):
    explanation = "(" + (" or " if is_or else " and ").join(explanations) + ")"
    return explanation.replace("%", "%%")


def _call_reprcompare(ops, results, expls, each_obj):
    """The explanation of the first failing comparison of a (chained) compare."""
    for i, res, expl in zip(range(len(ops)), results, expls):
        try:
            done = not res
        except Exception:
            done = True
        if done:
            break
    custom = callbinrepr(ops[i], each_obj[i], each_obj[i + 1])
    if custom is not None:
        return custom
    return expl


# -- format_explanation -----------------------------------------------------------------


def _format_explanation(explanation):
    r"""Lay out an explanation: ``\n{`` opens a ``where``/``and`` clause, ``\n}`` closes it,
    ``\n~`` and ``\n>`` continue a line; any other newline is escaped."""
    return "\n".join(_format_lines(_split_explanation(explanation)))


format_explanation = _format_explanation


def _split_explanation(explanation):
    raw_lines = (explanation or "").split("\n")
    lines = [raw_lines[0]]
    for values in raw_lines[1:]:
        if values and values[0] in ("{", "}", "~", ">"):
            lines.append(values)
        else:
            lines[-1] += "\\n" + values
    return lines


def _format_lines(lines):
    result = list(lines[:1])
    stack = [0]
    stackcnt = [0]
    for line in lines[1:]:
        if line.startswith("{"):
            word = "and   " if stackcnt[-1] else "where "
            stack.append(len(result))
            stackcnt[-1] += 1
            stackcnt.append(0)
            result.append(" +" + "  " * (len(stack) - 1) + word + line[1:])
        elif line.startswith("}"):
            stack.pop()
            stackcnt.pop()
            result[stack[-1]] += line[1:]
        else:
            stack[-1] += 1
            indent = len(stack) if line.startswith("~") else len(stack) - 1
            result.append("  " * indent + line[1:])
    return result


# -- the pytest_assertrepr_compare hook -------------------------------------------------


class HookConfig:
    """What a conftest's ``pytest_assertrepr_compare`` gets as ``config``: the parts of
    pytest's ``Config`` such hooks read."""

    def get_verbosity(self, verbosity_type=None):
        return rewrite.verbosity

    def getoption(self, name, default=None, skip=False):
        return rewrite.verbosity if name == "verbose" else default


def callbinrepr(op, left, right):
    """pytest's ``callbinrepr``: every hook is called (conftests' first), the first non-empty
    result is truncated and escaped for format_explanation."""
    config = HookConfig()
    results = [_call_hook(hook, config, op, left, right) for hook in rewrite.repr_compare_hooks]
    results.append(pytest_assertrepr_compare(op, left, right))
    for new_expl in results:
        if new_expl:
            lines = materialize_with_truncation(new_expl)
            if lines:
                return "\n~".join(line.replace("\n", "\\n") for line in lines).replace("%", "%%")
    return None


def _call_hook(hook, config, op, left, right):
    from . import hooks

    return hooks.invoke(hook, {"config": config, "op": op, "left": left, "right": right})


def pytest_assertrepr_compare(op, left, right):
    """The built-in hook: its formatting stops where truncation would cut anyway."""
    budget = _truncation_budget()
    if budget is None:
        inner = NO_BUDGET
    else:
        max_lines, max_chars = budget
        inner = (
            max_lines + TRUNCATION_FOOTER_LINES + 1 if max_lines > 0 else 0,
            max_chars + TRUNCATION_FOOTER_CHARS if max_chars > 0 else 0,
        )
    lines = assertrepr_compare(op, left, right, rewrite.verbosity, inner)
    return materialize_with_truncation(lines) or None


# -- truncation -------------------------------------------------------------------------


def running_on_ci():
    return any(os.environ.get(var) for var in ("CI", "BUILD_NUMBER"))


def _truncation_budget():
    """``(max_lines, max_chars)``, or None when nothing is truncated (``-vv``, CI)."""
    if rewrite.verbosity >= 2 or running_on_ci():
        return None
    lines, chars = rewrite.truncation_limit_lines, rewrite.truncation_limit_chars
    max_lines = DEFAULT_MAX_LINES if lines is None else int(lines)
    max_chars = DEFAULT_MAX_CHARS if chars is None else int(chars)
    if max_lines > 0 or max_chars > 0:
        return max_lines, max_chars
    return None


def materialize_with_truncation(lines):
    """The explanation's lines, pulled only until the truncation threshold."""
    budget = _truncation_budget()
    if budget is None:
        return list(lines)
    max_lines, max_chars = budget
    tolerable_max_chars = max_chars + TRUNCATION_FOOTER_CHARS
    # One line past what _truncate_explanation keeps whole, so it sees the overflow.
    line_cap = max_lines + TRUNCATION_FOOTER_LINES + 1 if max_lines > 0 else None
    buffered = []
    char_count = 0
    for line in lines:
        buffered.append(line)
        char_count += len(line)
        if line_cap is not None and len(buffered) >= line_cap:
            break
        if max_chars > 0 and char_count > tolerable_max_chars:
            break
    else:
        return buffered
    return _truncate_explanation(buffered, max_lines, max_chars)


def _truncate_explanation(input_lines, max_lines, max_chars):
    tolerable_max_chars = max_chars + TRUNCATION_FOOTER_CHARS
    if max_lines == 0 or len(input_lines) <= max_lines + TRUNCATION_FOOTER_LINES:
        if max_chars == 0 or sum(len(s) for s in input_lines) <= tolerable_max_chars:
            return input_lines
        truncated = input_lines
    else:
        truncated = input_lines[:max_lines]
    if max_chars > 0 and sum(len(s) for s in truncated) > tolerable_max_chars:
        truncated = _truncate_by_char_count(truncated, max_chars)
    truncated[-1] += "..."
    return truncated + ["", TRUNCATION_MSG]


def _truncate_by_char_count(input_lines, max_chars):
    count = 0
    for index, line in enumerate(input_lines):
        if count + len(line) > max_chars:
            break
        count += len(line)
    result = input_lines[:index]
    final_line = input_lines[index]
    if final_line:
        final_line = final_line[: max_chars - count]
    result.append(final_line)
    return result


# -- assertrepr_compare -----------------------------------------------------------------


def assertrepr_compare(op, left, right, verbose, budget=NO_BUDGET):
    """Yield the summary (``left op right``) then the details, or nothing when there are no
    details for this comparison. Lazy, so truncation stops a huge diff early."""
    from unicodedata import normalize

    # Strings that normalize equal look identical when printed: show them with ascii().
    use_ascii = (
        isinstance(left, str) and isinstance(right, str) and normalize("NFD", left) == normalize("NFD", right)
    )
    if verbose > 1:
        left_repr = saferepr_unlimited(left, use_ascii=use_ascii)
        right_repr = saferepr_unlimited(right, use_ascii=use_ascii)
    else:
        # pytest's estimate: 15 columns of "E       assert ", one space around op.
        maxsize = (80 - 15 - len(op) - 2) // 2
        left_repr = saferepr(left, maxsize=maxsize, use_ascii=use_ascii)
        right_repr = saferepr(right, maxsize=maxsize, use_ascii=use_ascii)
    summary = "%s %s %s" % (left_repr, op, right_repr)
    summary_yielded = False
    try:
        for line in _details(op, left, right, verbose, budget):
            if not summary_yielded:
                yield summary
                if line != "":
                    yield ""
                summary_yielded = True
            yield line
    except Exception as exc:
        if outcomes.is_exit(exc):
            raise
        if not summary_yielded:
            yield summary
            yield ""
        yield "(pytest_assertion plugin: representation of details failed: %s." % _repr_crash(exc)
        yield " Probably an object has a faulty __repr__.)"


def _details(op, left, right, verbose, budget):
    if op == "==":
        return _compare_eq_any(left, right, verbose, budget)
    if op == "not in" and isinstance(left, str) and isinstance(right, str):
        return _notin_text(left, right, verbose, budget)
    if op in SET_COMPARISONS and isset(left) and isset(right):
        return SET_COMPARISONS[op](left, right)
    return iter(())


def _repr_crash(exc):
    """``ExceptionInfo._getreprcrash()`` as text: where the last visible frame failed."""
    from .tbformat import exconly

    last = None
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if not frame.f_locals.get("__tracebackhide__", frame.f_globals.get("__tracebackhide__", False)):
            last = tb
        tb = tb.tb_next
    if last is None:
        return None
    message = exconly(exc).split("\n")[0]
    return "%s:%d: %s" % (last.tb_frame.f_code.co_filename, last.tb_lineno, message)


# -- type guards ------------------------------------------------------------------------


def issequence(x):
    from collections.abc import Sequence

    return isinstance(x, Sequence) and not isinstance(x, str)


def ismapping(x):
    from collections.abc import Mapping

    return isinstance(x, Mapping)


def isset(x):
    from collections.abc import Set

    return isinstance(x, Set)


def isnamedtuple(obj):
    return isinstance(obj, tuple) and getattr(obj, "_fields", None) is not None


def isdatacls(obj):
    # Without the dataclasses module loaded nothing can be a dataclass: no import needed.
    dataclasses = sys.modules.get("dataclasses")
    return dataclasses is not None and dataclasses.is_dataclass(obj)


def isattrs(obj):
    return getattr(obj, "__attrs_attrs__", None) is not None


def isiterable(obj):
    try:
        iter(obj)
        return not isinstance(obj, str)
    except Exception:
        return False


def has_default_eq(obj):
    """Whether ``__eq__`` is the one dataclasses/attrs generated (else it may compare
    anything, and a field-by-field drill-down would mislead)."""
    if hasattr(obj.__eq__, "__code__") and hasattr(obj.__eq__.__code__, "co_filename"):
        code_filename = obj.__eq__.__code__.co_filename
        if isattrs(obj):
            return "attrs generated " in code_filename
        return code_filename == "<string>"
    return True


# -- ==: any ----------------------------------------------------------------------------


def _compare_eq_any(left, right, verbose, budget=NO_BUDGET):
    if isinstance(left, str) and isinstance(right, str):
        yield from _compare_eq_text(left, right, verbose, budget)
        return
    approx = getattr(sys.modules.get("_pytest.approx"), "Approx", None)
    if approx is not None and isinstance(right, approx):
        yield from right._repr_compare(left)
    elif approx is not None and isinstance(left, approx):
        yield from left._repr_compare(right)
    elif type(left) is type(right) and (isdatacls(left) or isattrs(left) or isnamedtuple(left)):
        # Only same-type records: namedtuples of different types still compare equal.
        yield from _compare_eq_cls(left, right, verbose)
    elif issequence(left) and issequence(right):
        yield from _compare_eq_sequence(left, right)
    elif isset(left) and isset(right):
        yield from _compare_eq_set(left, right)
    elif ismapping(left) and ismapping(right):
        yield from _compare_eq_mapping(left, right, verbose, budget)
    if isiterable(left) and isiterable(right):
        yield from _compare_eq_iterable(left, right, verbose, budget)


def _compare_eq_cls(left, right, verbose):
    import pprint

    if not has_default_eq(left):
        return
    if isdatacls(left):
        fields_to_check = [info.name for info in sys.modules["dataclasses"].fields(left) if info.compare]
    elif isattrs(left):
        fields_to_check = [field.name for field in left.__attrs_attrs__ if getattr(field, "eq")]
    else:
        fields_to_check = left._fields
    same = []
    diff = []
    for field in fields_to_check:
        (same if getattr(left, field) == getattr(right, field) else diff).append(field)
    if same or diff:
        yield ""
    if same and verbose < 2:
        yield "Omitting %d identical items, use -vv to show" % len(same)
    elif same:
        yield "Matching attributes:"
        yield from pprint.pformat(same).splitlines()
    if diff:
        yield "Differing attributes:"
        yield from pprint.pformat(diff).splitlines()
        for field in diff:
            field_left = getattr(left, field)
            field_right = getattr(right, field)
            yield ""
            yield "Drill down into differing attribute %s:" % field
            yield "  %s: %r != %r" % (field, field_left, field_right)
            for line in _compare_eq_any(field_left, field_right, verbose):
                yield "  " + line


# -- ==: sequences, sets, mappings, iterables -------------------------------------------


def _compare_eq_sequence(left, right):
    comparing_bytes = isinstance(left, bytes) and isinstance(right, bytes)
    len_left = len(left)
    len_right = len(right)
    for i in range(min(len_left, len_right)):
        if left[i] != right[i]:
            if comparing_bytes:
                # A slice shows b'f' where indexing would show 102.
                left_value, right_value = left[i : i + 1], right[i : i + 1]
            else:
                left_value, right_value = left[i], right[i]
            yield "At index %d diff: %r != %r" % (i, left_value, right_value)
            break
    if comparing_bytes:
        return
    len_diff = len_left - len_right
    if len_diff:
        if len_diff > 0:
            dir_with_more, extra = "Left", saferepr(left[len_right])
        else:
            len_diff = -len_diff
            dir_with_more, extra = "Right", saferepr(right[len_left])
        if len_diff == 1:
            yield "%s contains one more item: %s" % (dir_with_more, extra)
        else:
            yield "%s contains %d more items, first extra item: %s" % (dir_with_more, len_diff, extra)


def _set_one_sided_diff(posn, set1, set2):
    diff = set1 - set2
    if diff:
        yield "Extra items in the %s set:" % posn
        for item in diff:
            yield saferepr(item)


def _compare_eq_set(left, right):
    yield from _set_one_sided_diff("left", left, right)
    yield from _set_one_sided_diff("right", right, left)


def _compare_gte_set(left, right):
    yield from _set_one_sided_diff("right", right, left)


def _compare_lte_set(left, right):
    yield from _set_one_sided_diff("left", left, right)


def _compare_gt_set(left, right):
    if left == right:
        yield "Both sets are equal"
    else:
        yield from _set_one_sided_diff("right", right, left)


def _compare_lt_set(left, right):
    if left == right:
        yield "Both sets are equal"
    else:
        yield from _set_one_sided_diff("left", left, right)


def _both_sets_are_equal(left, right):
    yield "Both sets are equal"


SET_COMPARISONS = {
    "!=": _both_sets_are_equal,
    ">=": _compare_gte_set,
    "<=": _compare_lte_set,
    ">": _compare_gt_set,
    "<": _compare_lt_set,
}


def _compare_eq_mapping(left, right, verbose, budget):
    import pprint

    # Key views, not sets: a mapping with its own key equivalence compares its own way.
    keys_left = left.keys()
    keys_right = right.keys()
    common = keys_left & keys_right
    same = {k: left[k] for k in common if left[k] == right[k]}
    if same and verbose < 2:
        yield "Omitting %d identical items, use -vv to show" % len(same)
    elif same:
        yield "Common items:"
        yield from pprint.pformat(same).splitlines()
    diff = {k for k in common if left[k] != right[k]}
    if diff:
        yield "Differing items:"
        for k in diff:
            yield saferepr({k: left[k]}) + " != " + saferepr({k: right[k]})
    sides = (("Left", left, keys_left - keys_right), ("Right", right, keys_right - keys_left))
    for side, mapping, extra in sides:
        if extra:
            yield "%s contains %d more item%s:" % (side, len(extra), "" if len(extra) == 1 else "s")
            yield from _format_extra_items(mapping, extra, budget)


def _format_extra_items(mapping, keys, budget):
    import pprint

    max_lines = budget[0]
    if max_lines == 0 or len(keys) <= max_lines:
        yield from pprint.pformat({k: mapping[k] for k in keys}).splitlines()
    else:
        import heapq

        from .prettyprint import safe_key

        # Only the entries truncation keeps, in the order pprint would sort them.
        for k in heapq.nsmallest(max_lines, keys, key=safe_key):
            yield saferepr({k: mapping[k]})


def _compare_eq_iterable(left, right, verbose, budget):
    if verbose <= 0 and not running_on_ci():
        yield "Use -v to get more diff"
        return
    import difflib

    from .prettyprint import PrettyPrinter

    printer = PrettyPrinter()
    max_lines = budget[0] or None
    max_chars = budget[1] or None
    left_formatting = printer.pformat_lines(left, max_lines=max_lines, max_chars=max_chars)
    right_formatting = printer.pformat_lines(right, max_lines=max_lines, max_chars=max_chars)
    yield ""
    yield "Full diff: (-: missing in left side, +: extra in left side)"
    # "right" is the expected base against which "left" is compared (pytest #3333).
    for line in difflib.ndiff(right_formatting, left_formatting):
        yield line.rstrip()


# -- text -------------------------------------------------------------------------------


def _compare_eq_text(left, right, verbose, budget):
    if rewrite.assertion_text_diff_style == "block":
        yield "Left:"
        yield from ("  " + line for line in left.split("\n"))
        yield ""
        yield "Right:"
        yield from ("  " + line for line in right.split("\n"))
    else:
        yield from _diff_text(left, right, verbose, budget)


def _diff_text(left, right, verbose, budget=NO_BUDGET):
    """ndiff of two texts; below ``-v``, long identical heads and tails are skipped."""
    from difflib import ndiff

    if verbose < 1:
        i = 0
        for i in range(min(len(left), len(right))):
            if left[i] != right[i]:
                break
        if i > 42:
            i -= 10  # keep some context
            yield "Skipping %d identical leading characters in diff, use -v to show" % i
            left = left[i:]
            right = right[i:]
        if len(left) == len(right):
            for i in range(1, len(left) + 1):
                if left[-i] != right[-i]:
                    break
            if i > 42:
                i -= 10
                yield "Skipping %d identical trailing characters in diff, use -v to show" % i
                left = left[:-i]
                right = right[:-i]
    if left.isspace() or right.isspace():
        left = repr(str(left))
        right = repr(str(right))
        yield "Strings contain only whitespace, escaping them using repr()"
    left_lines = _cap_ndiff_input(left, budget)
    right_lines = _cap_ndiff_input(right, budget)
    yield from "\n".join(line.strip("\n") for line in ndiff(right_lines, left_lines)).splitlines()


def _cap_ndiff_input(text, budget):
    """Split lines of ``text`` within the budget: ndiff is quadratic in a line's length."""
    max_lines, max_chars = budget
    if max_chars > 0:
        text = text[:max_chars]
    lines = text.splitlines(True)
    if max_lines > 0:
        lines = lines[:max_lines]
    return lines


def _notin_text(term, text, verbose, budget):
    index = text.find(term)
    correct_text = text[:index] + text[index + len(term) :]
    yield "%s is contained here:" % saferepr(term, maxsize=42)
    for line in _diff_text(text, correct_text, verbose, budget):
        if line.startswith(("Skipping", "- ")):
            continue
        yield "  " + line[2:] if line.startswith("+ ") else line
