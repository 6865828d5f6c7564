"""pytest's traceback representations: ``--tb`` styles, ``-l``, ``--full-trace``, chained
exceptions and exception groups, as ``_pytest._code.code`` renders them.

Only imported when something failed, so it may import ``traceback``, ``ast`` and ``reprlib``.
"""
import ast
import builtins
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


def _exception_lines(exc, indent, markall=True):
    """``get_exconly``: the exception's lines after ``E`` (only the first one without
    ``markall``, the others indented alike)."""
    lines = exconly(exc).split("\n")
    marked = "E" + " " * (indent - 1)
    unmarked = marked if markall else " " * indent
    return [marked + lines[0]] + [unmarked + line for line in lines[1:]]


def _args_lines(entry, truncate):
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
        value = entry.frame.f_locals[name]
        text = "%s = %s" % (name, saferepr(value) if truncate else saferepr(value, maxsize=None))
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


def _locals_lines(frame_locals, truncate):
    """pytest's ``ReprLocals``: each local, sorted, padded to ten columns (pretty-printed
    whole from ``-vv`` on); the assertion rewriter's ``@`` temporaries are not the user's."""
    lines = []
    for name in sorted(name for name in frame_locals if name[0] != "@"):
        if name == "__builtins__":
            lines.append("__builtins__ = <builtins>")
        else:
            value = frame_locals[name]
            lines.append("%-10s = %s" % (name, saferepr(value) if truncate else _safeformat(value)))
    return lines


def _safeformat(obj):
    """pytest's ``safeformat``: ``pprint.pformat`` that never raises."""
    import pprint

    try:
        return pprint.pformat(obj)
    except Exception as exc:
        return _repr_failure_text(exc, obj)


# -- which frames a report shows ------------------------------------------------------------


def _walk(tb):
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    return entries


def _is_ferrotest(filename):
    """ferrotest's own runtime: no report shows it (it stands where pytest's cut frames are)."""
    return filename.startswith("<ferrotest_runtime/")


def _visible(exc):
    """``exc``'s traceback entries without ferrotest's frames."""
    return [tb for tb in _walk(exc.__traceback__) if not _is_ferrotest(tb.tb_frame.f_code.co_filename)]


def _is_hidden(tb, exc):
    """``TracebackEntry.ishidden``: the frame's ``__tracebackhide__`` (its locals' first, else
    its globals'), called with the exception's info when callable."""
    frame = tb.tb_frame
    hide = False
    for namespace in (frame.f_locals, frame.f_globals):
        try:
            hide = namespace["__tracebackhide__"]
        except Exception:
            continue
        break
    if hide and callable(hide):
        # The callable expects pytest's ExceptionInfo: only code written for pytest sets one.
        from _pytest._code import ExceptionInfo

        return hide(ExceptionInfo.from_exception(exc))
    return hide


def _is_runner_frame(filename):
    """pytest's ``filter_traceback`` drops generated code and frames of pytest and pluggy."""
    if _is_generated(filename):
        return True
    for name in ("_pytest", "pluggy"):
        module_file = getattr(sys.modules.get(name), "__file__", None)
        if module_file and filename.startswith(module_file.rpartition("/")[0] + "/"):
            return True
    return False


def _is_generated(filename):
    return "<" in filename and ">" in filename


def crash_location(exc):
    """pytest's ``reprcrash`` place: ``(path, lineno)`` of the last frame of ``exc``'s traceback
    that does not hide itself; None when every frame hides."""
    crash = None
    for tb in _visible(exc):
        if not _is_hidden(tb, exc):
            crash = tb
    if crash is None:
        return None
    return crash.tb_frame.f_code.co_filename, crash.tb_lineno


def _crash_line(exc):
    """pytest's ``reprcrash`` as ``--tb=line`` prints it: its place and the first line of the
    message; None when every frame hides."""
    location = crash_location(exc)
    if location is None:
        return None
    message = exconly(exc).split("\n")[0]
    return ("%s:%d: %s" % (location + (message,))).strip()


# -- formatting -----------------------------------------------------------------------------

HIDDEN_ENTRIES = "All traceback entries are hidden. Pass `--full-trace` to see hidden and internal frames."
# Exception groups are builtins from Python 3.11 on; before, nothing is one.
_GROUP = getattr(builtins, "BaseExceptionGroup", ())


class Formatter:
    """pytest's ``ExceptionInfoFormatter`` with the traceback filter of the node that failed:
    a test function's (``path`` and ``firstlineno``: from its frame on) or a collector's
    (``path``: from the first frame in that file on).

    ``style`` is ``long``, ``short``, ``line``, ``no``, ``native`` or ``value`` (a ``fail()``
    without traceback); ``short_middle`` is ``--tb=auto``'s short middle entries;
    ``fulltrace`` shows every frame, hidden ones too (ferrotest's own never)."""

    def __init__(self, style, cwd, path=None, firstlineno=None, showlocals=False, verbosity=0,
                 fulltrace=False, short_middle=False):
        self.style = style
        self.cwd = cwd
        self.path = path
        self.firstlineno = firstlineno
        self.showlocals = showlocals
        self.truncate_locals = verbosity <= 1
        self.truncate_args = verbosity <= 2
        self.fulltrace = fulltrace
        self.short_middle = short_middle

    @classmethod
    def for_node(cls, style, cwd, path, firstlineno=None):
        """pytest's ``Node._repr_failure_py``: the session's ``--full-trace`` (long style, no
        filter), ``-l`` and verbosity; ``auto`` is long, with short middle entries for a test
        function."""
        from .config import CONFIG

        fulltrace = bool(CONFIG.getoption("fulltrace", False))
        short_middle = firstlineno is not None and CONFIG.getoption("tbstyle", "auto") == "auto"
        return cls(
            "long" if fulltrace or style == "auto" else style,
            cwd,
            path,
            firstlineno,
            showlocals=bool(CONFIG.getoption("showlocals", False)),
            verbosity=CONFIG.getoption("verbose", 0),
            fulltrace=fulltrace,
            short_middle=short_middle and not fulltrace,
        )

    def lines(self, exc):
        """``ExceptionChainRepr.toterminal``: each exception of the chain, oldest first, with
        the sentence that links it to the next."""
        if self.style == "native":
            return _native_lines(exc, _visible, compact=True)
        chain = []
        description = None
        seen = set()
        top = exc
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            chain.append((self._exception_block(exc, top), description))
            if isinstance(exc, _GROUP):
                # The group's native text already holds its own chain.
                break
            if exc.__cause__ is not None:
                exc, description = exc.__cause__, CAUSE
            elif exc.__context__ is not None and not exc.__suppress_context__:
                exc, description = exc.__context__, CONTEXT
            else:
                break
        out = []
        for block, description in reversed(chain):
            out.extend(block)
            if description is not None:
                out.append("")
                out.append(description)
        return out

    def _exception_block(self, exc, top):
        """One exception of the chain: its traceback, or Python's text when it has none."""
        if exc.__traceback__ is None:
            return _native_lines(exc, _visible, chain=False)
        if isinstance(exc, _GROUP):
            # pytest shows a group in Python's own format, with its filter on every frame,
            # and formats the exception the chain started from (when the group is a cause
            # or context, that one's chain with it), as ``repr_excinfo`` does.
            lines = _native_lines(top, self._entries)
            return lines + ([HIDDEN_ENTRIES] if not self._entries(top) else [])
        return self._traceback_lines(self._entries(exc), exc)

    def _entries(self, exc):
        """The node's ``_traceback_filter``: from the test function's frame (else the first
        frame in its file, else without pytest's and generated frames), without hidden ones."""
        entries = _visible(exc)
        if self.fulltrace:
            return entries
        cut = None
        if self.path is not None and self.firstlineno is not None:
            cut = _first_index(
                entries, lambda code: code.co_filename == self.path and code.co_firstlineno == self.firstlineno
            )
        if cut is None and self.path is not None:
            cut = _first_index(entries, lambda code: code.co_filename == self.path)
        if cut is not None:
            entries = entries[cut:]
        else:
            entries = [tb for tb in entries if not _is_runner_frame(tb.tb_frame.f_code.co_filename)] or entries
        entries = [tb for tb in entries if not _is_hidden(tb, exc)]
        # unittest marks its assertion helpers with a ``__unittest`` global; pytest drops
        # them from a TestCase's traceback unless nothing else is left.
        return [tb for tb in entries if "__unittest" not in tb.tb_frame.f_globals] or entries

    def _traceback_lines(self, entries, exc):
        """``ReprTraceback.toterminal``: long entries after a blank line, separators around
        them."""
        if not entries:
            lines = str(exc).split("\n") if self.style == "value" else _exception_lines(exc, 4, markall=False)
            return ([""] if self.style == "long" else []) + lines + [HIDDEN_ENTRIES]
        if self.style == "value":
            return str(exc).split("\n")
        styles = [self.style] * len(entries)
        if self.short_middle and len(entries) > 2:
            styles[1:-1] = ["short"] * (len(entries) - 2)
        out = []
        for index, tb in enumerate(entries):
            entry = _Entry(tb)
            is_last = index == len(entries) - 1
            style = styles[index]
            if style == "long":
                out.append("")
                out.extend(self._long_entry(entry, exc if is_last else None))
            elif style == "short":
                out.extend(self._short_entry(entry, exc if is_last else None))
            elif is_last:
                out.extend(_exception_lines(exc, 4, markall=False))
            if not is_last and (style == "long" or (style == "short" and styles[index + 1] == "long")):
                out.append(ENTRY_SEPARATOR)
        return out

    def _long_entry(self, entry, exc):
        """A long ``ReprEntry``: arguments, the function's source up to the failing statement,
        the exception for the last entry, locals, and ``path:line: ExceptionType``."""
        lines = linecache.getlines(entry.path)
        raw = [line.rstrip("\n") for line in lines]
        out = _args_lines(entry, self.truncate_args)
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
        if exc is not None:
            out.extend(_exception_lines(exc, indent))
            message = type(exc).__name__
        if self.showlocals:
            out.append("")
            out.extend(_locals_lines(entry.frame.f_locals, self.truncate_locals))
        out.append("")
        out.append("%s:%d: %s" % (entry.relpath(self.cwd), entry.lineno + 1, message))
        return out

    def _short_entry(self, entry, exc):
        """A short ``ReprEntry``: ``path:line: in function``, the failing line, the exception
        for the last entry, then locals indented by eight."""
        out = ["%s:%d: in %s" % (entry.relpath(self.cwd), entry.lineno + 1, entry.code.co_name)]
        raw_line = linecache.getline(entry.path, entry.lineno + 1).rstrip("\n")
        if raw_line:
            shown = raw_line.strip()
            out.append("    " + shown)
            out.extend(_arrows(entry, raw_line, shown))
        else:
            out.append("    ???")
        if exc is not None:
            out.extend(_exception_lines(exc, 4))
        if self.showlocals:
            out.extend(" " * 8 + line for line in _locals_lines(entry.frame.f_locals, self.truncate_locals))
        return out


def _native_lines(exc, keep, chain=True, compact=False):
    """Python's own traceback of ``exc`` (``--tb=native``, exception groups), showing only the
    frames ``keep(exception)`` keeps of each exception it prints (pytest's
    ``_filter_tracebackexception``)."""
    summary = traceback.TracebackException(type(exc), exc, exc.__traceback__, compact=compact)
    _keep_frames(summary, exc, keep)
    return "".join(summary.format(chain=chain)).rstrip("\n").split("\n")


def _keep_frames(summary, exc, keep):
    if exc.__traceback__ is not None:
        kept = {(tb.tb_frame.f_code.co_filename, tb.tb_lineno) for tb in keep(exc)}
        summary.stack = traceback.StackSummary.from_list(
            [frame for frame in summary.stack if (frame.filename, frame.lineno) in kept]
        )
    for sub_summary, sub_exc in zip(getattr(summary, "exceptions", None) or (), getattr(exc, "exceptions", ())):
        _keep_frames(sub_summary, sub_exc, keep)
    if summary.__cause__ is not None and exc.__cause__ is not None:
        _keep_frames(summary.__cause__, exc.__cause__, keep)
    if summary.__context__ is not None and exc.__context__ is not None:
        _keep_frames(summary.__context__, exc.__context__, keep)


def collector_style():
    """The style of a collector's failure: ``--tb``, with ``short`` for ``auto``."""
    from .config import CONFIG

    style = CONFIG.getoption("tbstyle", "auto")
    return "short" if style == "auto" else style


def format_exception(exc, style, cwd, path=None, firstlineno=None):
    """The text of ``ExceptionInfo.getrepr(style=...)`` for ``exc``, cut at ``path``."""
    return "\n".join(Formatter(style, cwd, path, firstlineno).lines(exc))


def format_node_failure(exc, style, cwd, path, firstlineno=None):
    """The text of a failure of the node at ``path`` (a test function when ``firstlineno`` is
    given) in ``style``, with the session's traceback options."""
    return "\n".join(Formatter.for_node(style, cwd, path, firstlineno).lines(exc))


def item_failure(exc, cwd, path, firstlineno, pytrace=True):
    """``("failure", text, crash message, crash line)`` for an exception a test's phase
    raised, in the session's ``--tb`` style (``fail(pytrace=False)``: its message alone)."""
    from .config import CONFIG

    style = CONFIG.getoption("tbstyle", "auto") if pytrace else "value"
    text = format_node_failure(exc, style, cwd, path, firstlineno)
    return ("failure", text, crash_message(exc), _crash_line(exc))
