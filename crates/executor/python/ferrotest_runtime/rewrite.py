"""Assertion rewriting: its settings, and the module rewritten test code imports.

Every rewritten module runs ``import ferrotest_runtime.rewrite as @pytest_ar``, so this
module stays small: the helpers its failure branches call are looked up lazily in
``assertrepr`` (imported on the first failed assert), and the AST rewriter itself lives in
``rewrite_ast`` (imported on a code-cache miss only).

The Rust side calls ``configure`` once per session before importing test modules:

- ``enabled``: rewrite test modules and conftests (pytest's ``--assert=rewrite``, the
  default) or compile them as they are (``--assert=plain``);
- ``verbosity``: pytest's assertion verbosity (``verbosity_assertions``, else ``-v`` minus ``-q``):
  0 short diffs, 1 full diffs (``-v``), 2+ nothing truncated (``-vv``);
- ``truncation_limit_lines``/``truncation_limit_chars``: the ini options (None: 8 and 640);
- ``assertion_text_diff_style``: the ini option of that name (``ndiff``/``block``).

Conftests' ``pytest_assertrepr_compare`` functions are added with
``register_repr_compare_hook``; they are consulted before the built-in explanation, the
most recently registered first (pluggy's order).
"""

enabled = True
verbosity = 0
truncation_limit_lines = None
truncation_limit_chars = None
assertion_text_diff_style = "ndiff"
repr_compare_hooks = []

# Bumped whenever the rewritten code changes shape, so cached code of an older rewriter is
# never reused even within one ferrotest version.
REWRITE_FORMAT = 1

# The names rewritten code calls on ``@pytest_ar``, all only when an assert failed.
_FAILURE_HELPERS = frozenset({
    "_saferepr",
    "_format_assertmsg",
    "_should_repr_global_name",
    "_format_boolop",
    "_call_reprcompare",
    "_format_explanation",
})


def configure(enabled=True, verbosity=0, truncation_limit_lines=None, truncation_limit_chars=None,
              assertion_text_diff_style="ndiff"):
    """Set this session's assertion settings (see the module docstring)."""
    globals().update(
        enabled=bool(enabled),
        verbosity=int(verbosity),
        truncation_limit_lines=truncation_limit_lines,
        truncation_limit_chars=truncation_limit_chars,
        assertion_text_diff_style=assertion_text_diff_style,
    )


def register_repr_compare_hook(fn):
    """Add a conftest's ``pytest_assertrepr_compare(config, op, left, right)``; like pluggy,
    it is called with only the arguments it names."""
    repr_compare_hooks.insert(0, fn)


def cache_marker():
    """What the code cache mixes into its keys: rewritten and plain code never mix."""
    return b"rewrite-%d" % REWRITE_FORMAT if enabled else b"plain"


def compile_module(source, path):
    """The code object of a test module or conftest, rewritten when enabled."""
    if not enabled:
        return compile(source, path, "exec", dont_inherit=True)
    from . import rewrite_ast

    return rewrite_ast.compile_rewritten(source, path)


def __getattr__(name):
    # PEP 562: the failure helpers resolve on first use, so merely importing a rewritten
    # module never imports the explanation code.
    if name in _FAILURE_HELPERS:
        from . import assertrepr

        return getattr(assertrepr, name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
