"""pytest's doctest plugin (``_pytest/doctest.py``): ``DoctestModule``, ``DoctestTextfile``
and ``DoctestItem``.

Collection finds the ``doctest.DocTest`` objects of an imported module or a text file and keeps
each in ``DOCTESTS`` under its item's node ID, where the runner finds it again; the Rust side
gets plain ``(nodeid, name, lineno)`` tuples. Running uses pytest's runner (failures collected,
pytest's outcomes let through), its output checker (``ALLOW_UNICODE``, ``ALLOW_BYTES``,
``NUMBER``) and its failure report.
"""
import os
import re
import sys

from . import outcomes

# Node ID -> (DocTest, runner) of every collected doctest item.
DOCTESTS = {}

_REPORT_CHOICES = {
    "udiff": "REPORT_UDIFF",
    "cdiff": "REPORT_CDIFF",
    "ndiff": "REPORT_NDIFF",
    "only_first_failure": "REPORT_ONLY_FIRST_FAILURE",
}


# -- collection ---------------------------------------------------------------------------


def collect_module(import_name, nodeid):
    """The items of a ``DoctestModule``: every docstring with examples, in the finder's order."""
    module = sys.modules[import_name]
    return _items(nodeid, _finder().find(module, module.__name__))


def collect_textfile(path, nodeid):
    """The item of a ``DoctestTextfile``: the whole file is one doctest named after it."""
    import doctest
    from .config import CONFIG

    path = os.fspath(path)
    with open(path, encoding=CONFIG.getini("doctest_encoding")) as file:
        text = file.read()
    name = os.path.basename(path)
    test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name, path, 0)
    return _items(nodeid, [test])


def _items(nodeid, tests):
    runner = _runner()
    items = []
    for test in tests:
        if not test.examples:
            continue
        item_nodeid = nodeid + "::" + test.name
        DOCTESTS[item_nodeid] = (test, runner)
        items.append((item_nodeid, test.name, test.lineno))
    return items


def _finder():
    """pytest's ``MockAwareDocTestFinder``, without its mock handling: the fixes it applies to
    older Pythons' finder change which doctests exist and where they are."""
    import doctest
    import functools
    import inspect

    class Finder(doctest.DocTestFinder):
        if sys.version_info < (3, 11, 9) or (3, 12) <= sys.version_info < (3, 12, 3):

            def _find_lineno(self, obj, source_lines):
                # cpython#61648: properties and wrapped functions were not located.
                if isinstance(obj, property):
                    obj = getattr(obj, "fget", obj)
                if hasattr(obj, "__wrapped__"):
                    obj = inspect.unwrap(obj)
                return super()._find_lineno(obj, source_lines)

        if sys.version_info < (3, 13):

            def _from_module(self, module, object):
                # cpython#107995: a cached_property never counted as part of its module.
                if isinstance(object, functools.cached_property):
                    object = object.func
                return super()._from_module(module, object)

    return Finder()


def _runner():
    from .config import CONFIG

    flags = 0
    lookup = _flag_lookup()
    for name in CONFIG.getini("doctest_optionflags"):
        flags |= lookup[name]
    return _runner_class()(checker=_checker_class()(), verbose=False, optionflags=flags,
                           continue_on_failure=CONFIG.getoption("doctest_continue_on_failure", False))


def _flag_lookup():
    import doctest

    return dict(
        DONT_ACCEPT_TRUE_FOR_1=doctest.DONT_ACCEPT_TRUE_FOR_1,
        DONT_ACCEPT_BLANKLINE=doctest.DONT_ACCEPT_BLANKLINE,
        NORMALIZE_WHITESPACE=doctest.NORMALIZE_WHITESPACE,
        ELLIPSIS=doctest.ELLIPSIS,
        IGNORE_EXCEPTION_DETAIL=doctest.IGNORE_EXCEPTION_DETAIL,
        COMPARISON_FLAGS=doctest.COMPARISON_FLAGS,
        ALLOW_UNICODE=doctest.register_optionflag("ALLOW_UNICODE"),
        ALLOW_BYTES=doctest.register_optionflag("ALLOW_BYTES"),
        NUMBER=doctest.register_optionflag("NUMBER"),
    )


_RUNNER_CLASS = None


def _runner_class():
    """pytest's ``PytestDoctestRunner``, made on first use (``doctest`` is imported lazily)."""
    global _RUNNER_CLASS
    if _RUNNER_CLASS is not None:
        return _RUNNER_CLASS
    import doctest

    class Runner(doctest.DebugRunner):
        def __init__(self, checker, verbose, optionflags, continue_on_failure):
            super().__init__(checker=checker, verbose=verbose, optionflags=optionflags)
            self.continue_on_failure = continue_on_failure

        def report_failure(self, out, test, example, got):
            self._failed(out, doctest.DocTestFailure(test, example, got))

        def report_unexpected_exception(self, out, test, example, exc_info):
            exc = exc_info[1]
            if outcomes.is_skip(exc) or outcomes.is_fail(exc) or outcomes.is_exit(exc):
                raise exc
            self._failed(out, doctest.UnexpectedException(test, example, exc_info))

        def _failed(self, out, failure):
            # ``out`` is the item's list of failures, not a stream.
            if not self.continue_on_failure:
                raise failure
            out.append(failure)

    _RUNNER_CLASS = Runner
    return Runner


_CHECKER_CLASS = None


def _checker_class():
    """pytest's ``LiteralsOutputChecker``: ``ALLOW_UNICODE``/``ALLOW_BYTES`` drop string
    prefixes, ``NUMBER`` compares floats only to the precision the example wrote."""
    global _CHECKER_CLASS
    if _CHECKER_CLASS is not None:
        return _CHECKER_CLASS
    import doctest

    flags = _flag_lookup()
    unicode_literal = re.compile(r"(\W|^)[uU]([rR]?[\'\"])", re.UNICODE)
    bytes_literal = re.compile(r"(\W|^)[bB]([rR]?[\'\"])", re.UNICODE)

    class Checker(doctest.OutputChecker):
        def check_output(self, want, got, optionflags):
            if super().check_output(want, got, optionflags):
                return True
            allow_unicode = optionflags & flags["ALLOW_UNICODE"]
            allow_bytes = optionflags & flags["ALLOW_BYTES"]
            allow_number = optionflags & flags["NUMBER"]
            if not (allow_unicode or allow_bytes or allow_number):
                return False
            if allow_unicode:
                want, got = unicode_literal.sub(r"\1\2", want), unicode_literal.sub(r"\1\2", got)
            if allow_bytes:
                want, got = bytes_literal.sub(r"\1\2", want), bytes_literal.sub(r"\1\2", got)
            if allow_number:
                got = _remove_unwanted_precision(want, got)
            return super().check_output(want, got, optionflags)

    _CHECKER_CLASS = Checker
    return Checker


_NUMBER = re.compile(
    r"""
    (?P<number>
      (?P<mantissa>
        (?P<integer1> [+-]?\d*)\.(?P<fraction>\d+)
        |
        (?P<integer2> [+-]?\d+)\.
      )
      (?:
        [Ee]
        (?P<exponent1> [+-]?\d+)
      )?
      |
      (?P<integer3> [+-]?\d+)
      (?:
        [Ee]
        (?P<exponent2> [+-]?\d+)
      )
    )
    """,
    re.VERBOSE,
)


def _remove_unwanted_precision(want, got):
    wants = list(_NUMBER.finditer(want))
    gots = list(_NUMBER.finditer(got))
    if len(wants) != len(gots):
        return got
    offset = 0
    for w, g in zip(wants, gots):
        fraction = w.group("fraction")
        exponent = w.group("exponent1")
        if exponent is None:
            exponent = w.group("exponent2")
        precision = 0 if fraction is None else len(fraction)
        if exponent is not None:
            precision -= int(exponent)
        if _close(float(w.group()), float(g.group()), 10**-precision):
            got = got[: g.start() + offset] + w.group() + got[g.end() + offset :]
            offset += w.end() - w.start() - (g.end() - g.start())
    return got


def _close(actual, expected, tolerance):
    """``actual == pytest.approx(expected, abs=tolerance)``: with only ``abs`` given, approx
    uses it alone; infinities must be equal and nan never is."""
    import math

    if actual == expected:
        return True
    if math.isinf(expected):
        return False
    return abs(actual - expected) <= tolerance


# -- running ------------------------------------------------------------------------------


def setup(item, request):
    """``DoctestItem.setup`` once the item's fixtures are set up: ``getfixture`` and the
    ``doctest_namespace`` fixture's contents go into the doctest's globals."""
    test, _ = DOCTESTS[item.nodeid]
    globs = dict(getfixture=request.getfixturevalue)
    globs.update(request.getfixturevalue("doctest_namespace"))
    test.globs.update(globs)


def run(item):
    """``DoctestItem.runtest``: a failure is reported with pytest's doctest text."""
    import doctest

    test, runner = DOCTESTS[item.nodeid]
    _check_all_skipped(test)
    failures = []
    optionflags = runner.optionflags
    try:
        runner.run(test, out=failures)
    except (doctest.DocTestFailure, doctest.UnexpectedException) as failure:
        failures = [failure]
    finally:
        # The runner can raise before doctest restores its option flags.
        runner.optionflags = optionflags
    if failures:
        # No crash line: pytest's short summary names the item alone.
        raise outcomes.ReportedFailure(_failure_text(failures), "")


def _check_all_skipped(test):
    import doctest

    if all(example.options.get(doctest.SKIP, False) for example in test.examples):
        raise outcomes.ItemSkip("all tests skipped by +SKIP option")


def _failure_text(failures):
    """pytest's ``ReprFailDoctest``: per failure, the docstring's lines up to the example
    (numbered), the difference or the exception, then ``path:line: DocTestFailure``."""
    lines = []
    for failure in failures:
        test, example = failure.test, failure.example
        lineno = None if test.lineno is None else test.lineno + example.lineno + 1
        lines += _example_lines(test, example)
        lines += _problem_lines(failure)
        lines.append("%s:%s: %s" % (test.filename, lineno, type(failure).__name__))
    return "\n".join(lines)


def _example_lines(test, example):
    if test.lineno is None:
        lines = ["EXAMPLE LOCATION UNKNOWN, not showing all tests of that example"]
        indent = ">>>"
        for line in example.source.splitlines():
            lines.append("??? %s %s" % (indent, line))
            indent = "..."
        return lines
    numbered = ["%03d %s" % (i + test.lineno + 1, line) for i, line in enumerate(test.docstring.splitlines(False))]
    # At most the ten lines that end with the failing example.
    return numbered[max(example.lineno - 9, 0) : example.lineno + 1]


def _problem_lines(failure):
    import doctest
    import traceback

    if isinstance(failure, doctest.DocTestFailure):
        return _checker_class()().output_difference(failure.example, failure.got, _report_choice()).split("\n")
    exc_info = failure.exc_info
    lines = ["UNEXPECTED EXCEPTION: %r" % (exc_info[1],)]
    return lines + [line.strip("\n") for line in traceback.format_exception(*exc_info)]


def _report_choice():
    import doctest
    from .config import CONFIG

    choice = CONFIG.getoption("doctestreport", "udiff")
    return getattr(doctest, _REPORT_CHOICES[choice]) if choice in _REPORT_CHOICES else 0
