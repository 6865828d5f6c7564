"""pytest's assertion rewriting: ``assert`` statements become code that keeps every
intermediate value and raises an ``AssertionError`` explaining them.

A port of ``_pytest.assertion.rewrite.AssertionRewriter`` (pytest 9.2), producing the same
statements, temporaries (``@py_assert0``, ``@py_format1``) and explanation templates. Only
imported on a code-cache miss; the rewritten code calls the helpers in ``rewrite`` (bound
to ``@pytest_ar``), which is all a test module needs at run time.
"""
import ast
import itertools

# What the rewritten code imports; ``@`` keeps the names out of the user's namespace.
HELPER_MODULE = "ferrotest_runtime.rewrite"

UNARY_MAP = {ast.Not: "not %s", ast.Invert: "~%s", ast.USub: "-%s", ast.UAdd: "+%s"}

BINOP_MAP = {
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%%",  # escaped for the %-formatting of the explanation
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Pow: "**",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.MatMult: "@",
}


def compile_rewritten(source, path):
    """The code object of ``source`` (bytes or str) with its asserts rewritten."""
    # compile() parses without the Python frame ast.parse adds, so a syntax error's
    # traceback reads as it does without rewriting.
    tree = compile(source, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    AssertionRewriter(path).run(tree)
    return compile(tree, path, "exec", dont_inherit=True)


def is_rewrite_disabled(docstring):
    return "PYTEST_DONT_REWRITE" in docstring


def _locate_generated(statements, located):
    """Give every node under ``statements`` without a location the location of ``located``
    (pytest's ``traverse_node`` and ``copy_location``), in one loop: recursive generators
    cost a frame per level for every node, and an assert generates ~150 nodes."""
    location = [(attr, getattr(located, attr, None)) for attr in ("lineno", "col_offset", "end_lineno", "end_col_offset")]
    stack = list(statements)
    while stack:
        node = stack.pop()
        shape = _SHAPES.get(type(node))
        if shape is None:
            shape = _SHAPES[type(node)] = _shape(type(node))
        locatable, fields = shape
        if locatable and getattr(node, "lineno", None) is None:
            for attr, value in location:
                setattr(node, attr, value)
        for field in fields:
            value = getattr(node, field, None)
            if isinstance(value, _AST):
                stack.append(value)
            elif type(value) is list:
                stack.extend(child for child in value if isinstance(child, _AST))


_AST = ast.AST
# Node type -> (whether it has a location, the fields that may hold located nodes).
_SHAPES = {}
# Contexts and operators (``Load()``, ``Add()``, ``Eq()``) have no location and no fields.
_UNLOCATED_FIELDS = frozenset({"ctx", "op", "ops"})


def _shape(cls):
    return "lineno" in cls._attributes, tuple(field for field in cls._fields if field not in _UNLOCATED_FIELDS)


def _walrus_targets(nodes):
    """The names any walrus operator in ``nodes`` rebinds."""
    return {sub.target.id for node in nodes for sub in ast.walk(node) if isinstance(sub, ast.NamedExpr)}


def _string_statement(item):
    """The text of a bare string statement (a docstring), else None."""
    if isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant):
        if isinstance(item.value.value, str):
            return item.value.value
    return None


def _insert_position(body):
    """Index after the docstring and ``__future__`` imports, or None when rewriting is off."""
    expect_docstring = True
    pos = 0
    for item in body:
        doc = _string_statement(item) if expect_docstring else None
        if doc is not None:
            if is_rewrite_disabled(doc):
                return None
            expect_docstring = False
        elif not (isinstance(item, ast.ImportFrom) and item.level == 0 and item.module == "__future__"):
            break
        pos += 1
    return pos


class AssertionRewriter(ast.NodeVisitor):
    """Per assert, ``visit_*`` return ``(expression, explanation template)``; the state below
    is reset by ``visit_Assert``:

    - ``statements``: what replaces the assert;
    - ``expl_stmts``: the failure branch, which builds the message;
    - ``stack``/``explanation_specifiers``: %-placeholders and the expressions they show.
    """

    def __init__(self, module_path):
        super().__init__()
        self.module_path = module_path

    def run(self, mod):
        if not mod.body:
            return
        pos = _insert_position(mod.body)
        if pos is None:
            return
        item = mod.body[min(pos, len(mod.body) - 1)]
        # pytest #4984: a decorated function's imports take the first decorator's line.
        if isinstance(item, ast.FunctionDef) and item.decorator_list:
            lineno = item.decorator_list[0].lineno
        else:
            lineno = item.lineno
        aliases = [("builtins", "@py_builtins"), (HELPER_MODULE, "@pytest_ar")]
        mod.body[pos:pos] = [
            ast.Import([ast.alias(name, asname, lineno=lineno, col_offset=0)], lineno=lineno, col_offset=0)
            for name, asname in aliases
        ]
        self._rewrite_bodies(mod)

    def _rewrite_bodies(self, mod):
        nodes = [mod]
        while nodes:
            node = nodes.pop()
            for name, field in ast.iter_fields(node):
                if isinstance(field, list):
                    new = []
                    for child in field:
                        if isinstance(child, ast.Assert):
                            new.extend(self.visit(child))
                        else:
                            new.append(child)
                            if isinstance(child, ast.AST):
                                nodes.append(child)
                    setattr(node, name, new)
                elif isinstance(field, ast.AST) and not isinstance(field, ast.expr):
                    # Expressions cannot contain asserts.
                    nodes.append(field)

    # -- building blocks ------------------------------------------------------------------

    def variable(self):
        name = "@py_assert" + str(next(self.variable_counter))
        self.variables.append(name)
        return name

    def assign(self, expr):
        name = self.variable()
        self.statements.append(ast.Assign([ast.Name(name, ast.Store())], expr))
        return ast.copy_location(ast.Name(name, ast.Load()), expr)

    def display(self, expr):
        return self.helper("_saferepr", expr)

    def helper(self, name, *args):
        return ast.Call(ast.Attribute(ast.Name("@pytest_ar", ast.Load()), name, ast.Load()), list(args), [])

    def builtin(self, name):
        return ast.Attribute(ast.Name("@py_builtins", ast.Load()), name, ast.Load())

    def explanation_param(self, expr):
        specifier = "py" + str(next(self.variable_counter))
        self.explanation_specifiers[specifier] = expr
        return "%(" + specifier + ")s"

    def push_format_context(self):
        self.explanation_specifiers = {}
        self.stack.append(self.explanation_specifiers)

    def pop_format_context(self, expl_expr):
        """Add ``@py_formatN = expl_expr % {placeholders}`` to the failure branch."""
        current = self.stack.pop()
        if self.stack:
            self.explanation_specifiers = self.stack[-1]
        keys = [ast.Constant(key) for key in current]
        form = ast.BinOp(expl_expr, ast.Mod(), ast.Dict(keys, list(current.values())))
        name = "@py_format" + str(next(self.variable_counter))
        self.expl_stmts.append(ast.Assign([ast.Name(name, ast.Store())], form))
        return ast.Name(name, ast.Load())

    def generic_visit(self, node):
        res = self.assign(node)
        return res, self.explanation_param(self.display(res))

    # -- the assert -----------------------------------------------------------------------

    def visit_Assert(self, assert_):
        if isinstance(assert_.test, ast.Tuple) and assert_.test.elts:
            _warn_always_true(self.module_path, assert_.lineno)
        self.statements = []
        self.variables = []
        self.variable_counter = itertools.count()
        self.stack = []
        self.expl_stmts = []
        self.push_format_context()
        top_condition, explanation = self.visit(assert_.test)
        body = self.expl_stmts
        self.statements.append(ast.If(ast.UnaryOp(ast.Not(), top_condition), body, []))
        if assert_.msg:
            assertmsg = self.helper("_format_assertmsg", assert_.msg)
            explanation = "\n>assert " + explanation
        else:
            assertmsg = ast.Constant("")
            explanation = "assert " + explanation
        template = ast.BinOp(assertmsg, ast.Add(), ast.Constant(explanation))
        msg = self.pop_format_context(template)
        exc = ast.Call(ast.Name("AssertionError", ast.Load()), [self.helper("_format_explanation", msg)], [])
        body.append(ast.Raise(exc, None))
        if self.variables:
            # Temporaries must not keep the values alive after the assert.
            names = [ast.Name(name, ast.Store()) for name in self.variables]
            self.statements.append(ast.Assign(names, ast.Constant(None)))
        # Generated nodes take the assert's location; rewritten user nodes keep theirs.
        _locate_generated(self.statements, assert_)
        return self.statements

    # -- expressions ----------------------------------------------------------------------

    def _name_display(self, name):
        """The repr of a local (or of a global that _should_repr_global_name accepts), else
        the bare name."""
        locs = ast.Call(self.builtin("locals"), [], [])
        inlocs = ast.Compare(ast.Constant(name.id), [ast.In()], [locs])
        dorepr = self.helper("_should_repr_global_name", name)
        test = ast.BoolOp(ast.Or(), [inlocs, dorepr])
        return ast.IfExp(test, self.display(name), ast.Constant(name.id))

    def visit_NamedExpr(self, name):
        # Evaluated in place (keeps left-to-right order); explained by its target.
        target = ast.Name(name.target.id, ast.Load())
        return name, self.explanation_param(self._name_display(target))

    def visit_Name(self, name):
        return name, self.explanation_param(self._name_display(name))

    def visit_operand(self, operand, later):
        """Visit ``operand``; copy a bare name a later walrus rebinds, since Python
        evaluates (and so reports) it before the walrus runs."""
        specifiers = set(self.explanation_specifiers)
        res, expl = self.visit(operand)
        if isinstance(res, ast.Name) and res.id in _walrus_targets(later):
            snapshot = self.assign(res)
            for key in set(self.explanation_specifiers) - specifiers:
                self.explanation_specifiers[key] = self.display(snapshot)
            res = snapshot
        return res, expl

    def visit_BoolOp(self, boolop):
        res_var = self.variable()
        expl_list = self.assign(ast.List([], ast.Load()))
        app = ast.Attribute(expl_list, "append", ast.Load())
        is_or = int(isinstance(boolop.op, ast.Or))
        body = save = self.statements
        fail_save = self.expl_stmts
        levels = len(boolop.values) - 1
        later_targets = [_walrus_targets(boolop.values[i + 1 :]) for i in range(len(boolop.values))]
        self.push_format_context()
        cond = None
        for i, value in enumerate(boolop.values):
            if i:
                # Explain the next operand only if it was evaluated.
                fail_inner = []
                self.expl_stmts.append(ast.If(cond, fail_inner, []))
                self.expl_stmts = fail_inner
            self.push_format_context()
            res, expl = self.visit(value)
            body.append(ast.Assign([ast.Name(res_var, ast.Store())], res))
            # Reusing a non-last walrus would run it twice; a name a later walrus rebinds
            # would show the later value.
            if (isinstance(value, ast.NamedExpr) and i < levels) or (
                isinstance(value, ast.Name) and value.id in later_targets[i]
            ):
                res = self.assign(ast.Name(res_var, ast.Load()))
                for key in self.stack[-1]:
                    self.stack[-1][key] = self.display(res)
            expl_format = self.pop_format_context(ast.Constant(expl))
            self.expl_stmts.append(ast.Expr(ast.Call(app, [expl_format], [])))
            if i < levels:
                cond = ast.UnaryOp(ast.Not(), res) if is_or else res
                inner = []
                self.statements.append(ast.If(cond, inner, []))
                self.statements = body = inner
        self.statements = save
        self.expl_stmts = fail_save
        expl_template = self.helper("_format_boolop", expl_list, ast.Constant(is_or))
        expl = self.pop_format_context(expl_template)
        return ast.Name(res_var, ast.Load()), self.explanation_param(expl)

    def visit_UnaryOp(self, unary):
        pattern = UNARY_MAP[unary.op.__class__]
        operand_res, operand_expl = self.visit(unary.operand)
        res = self.assign(ast.copy_location(ast.UnaryOp(unary.op, operand_res), unary))
        return res, pattern % (operand_expl,)

    def visit_BinOp(self, binop):
        symbol = BINOP_MAP[binop.op.__class__]
        left_expr, left_expl = self.visit_operand(binop.left, [binop.right])
        right_expr, right_expl = self.visit(binop.right)
        explanation = "(%s %s %s)" % (left_expl, symbol, right_expl)
        res = self.assign(ast.copy_location(ast.BinOp(left_expr, binop.op, right_expr), binop))
        return res, explanation

    def visit_Call(self, call):
        # Callee and arguments run left to right: each is frozen against later walruses.
        operands = list(call.args) + [keyword.value for keyword in call.keywords]
        new_func, func_expl = self.visit_operand(call.func, operands)
        arg_expls = []
        new_args = []
        new_kwargs = []
        for i, arg in enumerate(call.args):
            res, expl = self.visit_operand(arg, operands[i + 1 :])
            arg_expls.append(expl)
            new_args.append(res)
        for i, keyword in enumerate(call.keywords, start=len(call.args)):
            res, expl = self.visit_operand(keyword.value, operands[i + 1 :])
            new_kwargs.append(ast.keyword(keyword.arg, res))
            arg_expls.append(keyword.arg + "=" + expl if keyword.arg else "**" + expl)
        expl = "%s(%s)" % (func_expl, ", ".join(arg_expls))
        res = self.assign(ast.copy_location(ast.Call(new_func, new_args, new_kwargs), call))
        res_expl = self.explanation_param(self.display(res))
        return res, "%s\n{%s = %s\n}" % (res_expl, res_expl, expl)

    def visit_Starred(self, starred):
        res, expl = self.visit(starred.value)
        return ast.Starred(res, starred.ctx), "*" + expl

    def visit_Attribute(self, attr):
        if not isinstance(attr.ctx, ast.Load):
            return self.generic_visit(attr)
        value, value_expl = self.visit(attr.value)
        res = self.assign(ast.copy_location(ast.Attribute(value, attr.attr, ast.Load()), attr))
        res_expl = self.explanation_param(self.display(res))
        return res, "%s\n{%s = %s.%s\n}" % (res_expl, res_expl, value_expl, attr.attr)

    def visit_Compare(self, comp):
        self.push_format_context()
        left_res, left_expl = self.visit_operand(comp.left, comp.comparators)
        if isinstance(comp.left, (ast.Compare, ast.BoolOp)):
            left_expl = "(%s)" % left_expl
        if isinstance(left_res, ast.NamedExpr):
            left_res = self.assign(left_res)
        res_variables = [self.variable() for _ in comp.ops]
        load_names = [ast.Name(v, ast.Load()) for v in res_variables]
        expls = []
        syms = []
        results = [left_res]
        for i, (op, next_operand) in enumerate(zip(comp.ops, comp.comparators)):
            next_res, next_expl = self.visit_operand(next_operand, comp.comparators[i + 1 :])
            if isinstance(next_operand, (ast.Compare, ast.BoolOp)):
                next_expl = "(%s)" % next_expl
            if isinstance(next_res, ast.NamedExpr):
                next_res = self.assign(next_res)
            results.append(next_res)
            sym = BINOP_MAP[op.__class__]
            syms.append(ast.Constant(sym))
            expls.append(ast.Constant("%s %s %s" % (left_expl, sym, next_expl)))
            res_expr = ast.copy_location(ast.Compare(left_res, [op], [next_res]), comp)
            self.statements.append(ast.Assign([ast.Name(res_variables[i], ast.Store())], res_expr))
            left_res, left_expl = next_res, next_expl
        expl_call = self.helper(
            "_call_reprcompare",
            ast.Tuple(syms, ast.Load()),
            ast.Tuple(load_names, ast.Load()),
            ast.Tuple(expls, ast.Load()),
            ast.Tuple(results, ast.Load()),
        )
        res = ast.BoolOp(ast.And(), load_names) if len(comp.ops) > 1 else load_names[0]
        return res, self.explanation_param(self.pop_format_context(expl_call))


def _warn_always_true(path, lineno):
    """pytest's PytestAssertRewriteWarning for ``assert (x, msg)`` (never false)."""
    import sys
    import warnings

    types = sys.modules.get("_pytest.warning_types")
    category = getattr(types, "PytestAssertRewriteWarning", None) or _local_warning_class()
    message = category("assertion is always true, perhaps remove parentheses?")
    warnings.warn_explicit(message, None, path, lineno)


def _local_warning_class():
    # pytest's class when pytest is not imported: same name, so the warning reads the same.
    return type("PytestAssertRewriteWarning", (UserWarning,), {"__module__": "pytest"})
