"""pytest's traceback representations (``--tb=auto`` for tests, ``short`` for collection).

Only imported when something failed, so it may import ``traceback``, ``ast`` and ``reprlib``.
"""
import ast
import itertools
import linecache
import reprlib
import sys
import textwrap
import traceback

FULLWIDTH = 80
# TerminalWriter.sep("_ ") at pytest's default width.
ENTRY_SEPARATOR = "_ " * (FULLWIDTH // 2)
CAUSE = "The above exception was the direct cause of the following exception:"
CONTEXT = "During handling of the above exception, another exception occurred:"
# Maximum size of a repr in failure reports (pytest's ``DEFAULT_REPR_MAX_SIZE``).
DEFAULT_REPR_MAX_SIZE = 240
# ``ExceptionInfo._assert_start_repr``: how a rewritten assert's error starts.
ASSERT_START_REPR = "AssertionError('assert "


def _ellipsize(text, maxsize):
    if len(text) <= maxsize:
        return text
    head = max(0, (maxsize - 3) // 2)
    tail = max(0, maxsize - 3 - head)
    return text[:head] + "..." + text[len(text) - tail :]


def _try_repr_or_str(obj):
    try:
        return repr(obj)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        return '%s("%s")' % (type(obj).__name__, obj)


def _repr_failure_text(exc, obj):
    try:
        exc_info = _try_repr_or_str(exc)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as inner_exc:
        exc_info = "unpresentable exception (%s)" % _try_repr_or_str(inner_exc)
    return "<[%s raised in repr()] %s object at 0x%x>" % (exc_info, type(obj).__name__, id(obj))


class _SafeRepr(reprlib.Repr):
    """pytest's ``SafeRepr``: reprlib's limits, never raises, at most ``maxsize`` characters
    (None: unlimited), dicts in insertion order."""

    def __init__(self, maxsize, use_ascii=False):
        super().__init__()
        # reprlib needs an int; a huge one when unlimited.
        self.maxstring = maxsize if maxsize is not None else 1_000_000_000
        self.maxsize = maxsize
        self.use_ascii = use_ascii

    def repr(self, x):
        try:
            text = ascii(x) if self.use_ascii else super().repr(x)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            text = _repr_failure_text(exc, x)
        return text if self.maxsize is None else _ellipsize(text, self.maxsize)

    def repr_instance(self, x, level):
        try:
            text = repr(x)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            text = _repr_failure_text(exc, x)
        return text if self.maxsize is None else _ellipsize(text, self.maxsize)

    def repr_dict(self, x, level):
        # reprlib sorts the keys; pytest keeps their order.
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        pieces = []
        for key in itertools.islice(x, self.maxdict):
            pieces.append("%s: %s" % (self.repr1(key, level - 1), self.repr1(x[key], level - 1)))
        if len(x) > self.maxdict:
            pieces.append("...")
        return "{" + ", ".join(pieces) + "}"


def saferepr(obj, maxsize=DEFAULT_REPR_MAX_SIZE, use_ascii=False):
    """A size-limited repr that never raises."""
    return _SafeRepr(maxsize, use_ascii).repr(obj)


def saferepr_unlimited(obj, use_ascii=True):
    """repr() (ascii() by default) that never raises."""
    try:
        return ascii(obj) if use_ascii else repr(obj)
    except Exception as exc:
        return _repr_failure_text(exc, obj)


def exconly(exc):
    """``ExceptionInfo.exconly(tryshort=True)``: the exception's last traceback lines, without
    ``AssertionError: `` when the message is a rewritten assert's explanation."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    if _is_assert_explanation(exc) and text.startswith("AssertionError: "):
        text = text[len("AssertionError: ") :]
    return text


def _is_assert_explanation(exc):
    """pytest's ``_get_striptext`` test, quirks included: it looks at the error's repr, so a
    message that repr() puts in double quotes (one holding a ``'``) keeps its prefix."""
    if not isinstance(exc, AssertionError):
        return False
    exprinfo = getattr(exc, "msg", None)
    if exprinfo is None:
        exprinfo = saferepr(exc)
    return bool(exprinfo) and exprinfo.startswith(ASSERT_START_REPR)


def crash_message(exc):
    """The one-line reason shown by the short test summary (``FAILED x - msg``)."""
    return exconly(exc)


def _is_hidden(frame):
    # unittest marks its assertion helpers with a ``__unittest`` global; pytest hides them.
    if "__unittest" in frame.f_globals:
        return True
    value = frame.f_locals.get("__tracebackhide__", frame.f_globals.get("__tracebackhide__", False))
    return bool(value)


def prune(tb, path, firstlineno=None):
    """pytest's ``_prunetraceback``: start at the test function's frame, else at the first frame
    in the test module, else drop generated frames (``<frozen ...>``, ferrotest's own); then drop
    frames that set ``__tracebackhide__``."""
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    cut = None
    if firstlineno is not None:
        cut = _first_index(entries, lambda code: code.co_filename == path and code.co_firstlineno == firstlineno)
    if cut is None and path is not None:
        cut = _first_index(entries, lambda code: code.co_filename == path)
    if cut is None:
        entries = [tb for tb in entries if not _is_generated(tb.tb_frame.f_code.co_filename)]
    else:
        entries = entries[cut:]
    return [tb for tb in entries if not _is_hidden(tb.tb_frame)]


def _is_generated(filename):
    return "<" in filename and ">" in filename


def _first_index(entries, predicate):
    for index, tb in enumerate(entries):
        if predicate(tb.tb_frame.f_code):
            return index
    return None


# File name -> (its source lines, their statement starts): many failures share a file, and
# parsing it is most of what formatting one costs.
_STATEMENT_STARTS = {}


def _statement_starts(filename):
    """0-based starts of every statement (pytest's ``get_statement_startend2`` values)."""
    lines = linecache.getlines(filename)
    cached = _STATEMENT_STARTS.get(filename)
    if cached is not None and cached[0] is lines:
        return cached[1]
    starts = _parse_statement_starts(filename, "".join(lines))
    _STATEMENT_STARTS[filename] = (lines, starts)
    return starts


def _parse_statement_starts(filename, source):
    tree = ast.parse(source, filename)
    values = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.stmt, ast.ExceptHandler)):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                values.extend(d.lineno - 1 for d in node.decorator_list)
            values.append(node.lineno - 1)
            for name in ("finalbody", "orelse"):
                body = getattr(node, name, None)
                if body:
                    values.append(body[0].lineno - 2)
    values.sort()
    return values


def _statement_range(filename, lineno, lines):
    """(start, end) 0-based of the statement containing 0-based ``lineno``."""
    import bisect

    try:
        starts = _statement_starts(filename)
    except (SyntaxError, ValueError):
        return lineno, lineno + 1
    index = bisect.bisect_right(starts, lineno)
    start = starts[index - 1] if index else lineno
    end = starts[index] if index < len(starts) else len(lines)
    while end > start + 1:
        stripped = lines[end - 1].lstrip()
        if stripped and not stripped.startswith("#"):
            break
        end -= 1
    return start, max(end, lineno + 1)


class _Entry:
    """One traceback entry with what pytest shows of it."""

    def __init__(self, tb):
        self.tb = tb
        self.frame = tb.tb_frame
        self.code = self.frame.f_code
        self.path = self.code.co_filename
        self.lineno = tb.tb_lineno - 1
        self.positions = _positions(tb)

    def relpath(self, cwd):
        import os

        if self.path.startswith("<"):
            return self.path
        try:
            rel = os.path.relpath(self.path, cwd)
        except ValueError:
            return self.path
        return rel if len(rel) < len(self.path) else self.path


def _positions(tb):
    try:
        summary = traceback.extract_tb(tb, limit=1)[0]
    except Exception:
        return None
    return (
        getattr(summary, "end_lineno", None),
        getattr(summary, "colno", None),
        getattr(summary, "end_colno", None),
    )


def _char_offset(raw_line, byte_offset):
    return len(raw_line.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))


def _arrows(entry, raw_line, shown_line):
    """The ``^^^^`` line under the failing expression (3.11+ column positions)."""
    if entry.positions is None:
        return []
    end_lineno, colno, end_colno = entry.positions
    if end_lineno != entry.lineno + 1 or colno is None or end_colno is None:
        return []
    stripped = len(raw_line) - len(shown_line)
    start = _char_offset(raw_line, colno)
    carets = _char_offset(raw_line, end_colno) - start
    if carets >= len(shown_line.strip()):
        return []
    return ["    " + " " * (start - stripped) + "^" * carets]


def _exception_lines(exc, indent):
    prefix = "E" + " " * (indent - 1)
    return [prefix + line for line in exconly(exc).split("\n")]


def _args_lines(entry):
    """``ReprFuncArgs``: the frame's arguments, packed into 80-column lines."""
    code = entry.code
    count = code.co_argcount + code.co_kwonlyargcount
    if code.co_flags & 0x04:
        count += 1
    if code.co_flags & 0x08:
        count += 1
    lines = []
    so_far = ""
    for name in code.co_varnames[:count]:
        if name not in entry.frame.f_locals:
            continue
        text = "%s = %s" % (name, saferepr(entry.frame.f_locals[name]))
        if len(text) + len(so_far) + 2 > FULLWIDTH:
            if so_far:
                lines.append(so_far)
            so_far = text
        else:
            so_far = so_far + ", " + text if so_far else text
    if so_far:
        lines.append(so_far)
    if lines:
        lines.append("")
    return lines


def _long_entry(entry, exc, is_last, cwd):
    lines = linecache.getlines(entry.path)
    raw = [line.rstrip("\n") for line in lines]
    out = _args_lines(entry)
    if not raw or entry.lineno >= len(raw):
        body = [">   ???"]
        indent = 4
    else:
        first = max(0, min(entry.code.co_firstlineno - 1, entry.lineno))
        stmt_start, end = _statement_range(entry.path, entry.lineno, raw)
        shown = textwrap.dedent("\n".join(raw[first:end])).split("\n")
        index = entry.lineno - first
        body = ["    " + line for line in shown[:index]]
        body.append(">   " + shown[index])
        body.extend(_arrows(entry, raw[entry.lineno], shown[index]))
        body.extend("    " + line for line in shown[index + 1 :])
        statement_line = shown[max(0, stmt_start - first)] if stmt_start >= first else shown[index]
        indent = 4 + len(statement_line) - len(statement_line.lstrip())
    out.extend(body)
    message = ""
    if is_last:
        out.extend(_exception_lines(exc, indent))
        message = type(exc).__name__
    if _showlocals():
        out.append("")
        out.extend(_locals_lines(entry.frame.f_locals))
    out.append("")
    out.append("%s:%d: %s" % (entry.relpath(cwd), entry.lineno + 1, message))
    return out


def _showlocals():
    """``-l``/``--showlocals``, from the session's options."""
    from .config import CONFIG

    return bool(CONFIG.getoption("showlocals", False))


def _locals_lines(frame_locals):
    """pytest's ``ReprLocals``: each local, sorted, padded to ten columns; the assertion
    rewriter's ``@`` temporaries are not the user's."""
    lines = []
    for name in sorted(name for name in frame_locals if name[0] != "@"):
        if name == "__builtins__":
            lines.append("__builtins__ = <builtins>")
        else:
            lines.append("%-10s = %s" % (name, saferepr(frame_locals[name])))
    return lines


def _short_entry(entry, cwd):
    out = ["%s:%d: in %s" % (entry.relpath(cwd), entry.lineno + 1, entry.code.co_name)]
    raw_line = linecache.getline(entry.path, entry.lineno + 1).rstrip("\n")
    if not raw_line:
        out.append("    ???")
        return out
    shown = raw_line.strip()
    out.append("    " + shown)
    out.extend(_arrows(entry, raw_line, shown))
    return out


def _traceback_lines(entries, exc, style, cwd):
    """ReprTraceback.toterminal for ``auto`` (long ends, short middle) or ``short`` style."""
    styles = []
    for index in range(len(entries)):
        if style == "short" or (0 < index < len(entries) - 1 and len(entries) > 2):
            styles.append("short")
        else:
            styles.append("long")
    out = []
    for index, entry in enumerate(entries):
        is_last = index == len(entries) - 1
        if styles[index] == "long":
            out.append("")
            out.extend(_long_entry(entry, exc, is_last, cwd))
        else:
            out.extend(_short_entry(entry, cwd))
            if is_last:
                out.extend(_exception_lines(exc, 4))
        if not is_last and (styles[index] == "long" or styles[index + 1] == "long"):
            out.append(ENTRY_SEPARATOR)
    if not entries:
        out.extend(_exception_lines(exc, 4))
    return out


def _chain(exc):
    """The exception and its causes/contexts, oldest first, each with the text that links it
    to the next one (None for the last)."""
    chain = []
    seen = set()
    link = None
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if exc.__cause__ is not None:
            older, older_link = exc.__cause__, CAUSE
        elif exc.__context__ is not None and not exc.__suppress_context__:
            older, older_link = exc.__context__, CONTEXT
        else:
            older, older_link = None, None
        chain.append((exc, link))
        exc, link = older, older_link
    chain.reverse()
    return chain


def format_exception(exc, style, cwd, path=None, firstlineno=None):
    """The text of a failure, pytest's ``ExceptionChainRepr`` for ``exc``."""
    out = []
    for exc_in_chain, link in _chain(exc):
        entries = [_Entry(tb) for tb in prune(exc_in_chain.__traceback__, path, firstlineno)]
        out.extend(_traceback_lines(entries, exc_in_chain, style, cwd))
        if link is not None:
            out.append("")
            out.append(link)
    return "\n".join(out)
