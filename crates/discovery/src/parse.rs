//! Static collection of one test module, as pytest's `Module.collect` / `Class.collect` /
//! `UnitTestCase.collect` would see it after importing the module.
//!
//! The source is parsed, never run, so anything whose collection depends on runtime values
//! (an imported base class, a test name bound by assignment or import, a generator test)
//! marks the module `needs_dynamic` instead of guessing.

use std::collections::HashMap;
use std::sync::Arc;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use crate::fnmatch::{fnmatch, has_magic};
use crate::{CollectWarning, ItemKind, Names, TestItem};

/// `python_functions` and `python_classes`, matched as pytest's
/// `_matches_prefix_or_glob_option` does.
#[derive(Debug, Clone)]
pub(crate) struct NamePatterns {
    pub functions: Vec<String>,
    pub classes: Vec<String>,
}

impl NamePatterns {
    fn is_test_function(&self, name: &str) -> bool {
        matches_prefix_or_glob(&self.functions, name)
    }

    fn is_test_class(&self, name: &str) -> bool {
        matches_prefix_or_glob(&self.classes, name)
    }

    fn is_test_name(&self, name: &str) -> bool {
        self.is_test_function(name) || self.is_test_class(name)
    }
}

fn matches_prefix_or_glob(options: &[String], name: &str) -> bool {
    options.iter().any(|option| name.starts_with(option.as_str()) || (has_magic(option) && fnmatch(name, option)))
}

/// What static collection found in one module.
#[derive(Debug, Default)]
pub(crate) struct ModuleItems {
    pub items: Vec<Arc<TestItem>>,
    pub warnings: Vec<CollectWarning>,
    /// Set when only importing the module can tell its items; `items` and `warnings` are
    /// then empty, as the executor's collection replaces them.
    pub needs_dynamic: bool,
}

impl ModuleItems {
    fn dynamic() -> Self {
        ModuleItems { needs_dynamic: true, ..Default::default() }
    }
}

/// Collect the items of the module whose source is `source` and node ID is `nodeid`.
pub(crate) fn collect_module(source: &[u8], nodeid: &str, patterns: &NamePatterns) -> ModuleItems {
    let Ok(text) = std::str::from_utf8(source) else {
        return ModuleItems::dynamic();
    };
    let Ok(parsed) = ruff_python_parser::parse_module(text) else {
        return ModuleItems::dynamic();
    };
    let mut module = Module::new();
    module.bind_body(&parsed.syntax().body, None);
    if module.has_star_import {
        return ModuleItems::dynamic();
    }
    let mut collector = Collector {
        module: &module,
        patterns,
        lines: LineIndex::from_source_text(text),
        module_nodeid: nodeid,
        out: ModuleItems::default(),
    };
    collector.collect_module();
    if collector.out.needs_dynamic {
        return ModuleItems::dynamic();
    }
    collector.out
}

/// Index of a class in `Module::classes`.
type ClassId = usize;

/// What a name is bound to in a module or class namespace.
#[derive(Debug, Clone)]
enum Binding<'a> {
    Function(&'a StmtFunctionDef),
    Class(ClassId),
    /// `import module` / `import module as alias`.
    ModuleImport(String),
    /// `from module import name`.
    FromImport {
        module: String,
        name: String,
    },
    /// `__test__ = True` / `__test__ = False`.
    TestFlag(bool),
    /// A literal value (number, string, list, dict...): never callable, so never a test.
    Data,
    /// Bound by something whose value only running the code shows.
    Opaque,
}

/// A namespace in definition order: Python dicts keep the position of a name's first
/// binding and the value of its last.
#[derive(Debug, Default)]
struct Namespace<'a> {
    order: Vec<&'a str>,
    bindings: HashMap<&'a str, Binding<'a>>,
}

impl<'a> Namespace<'a> {
    fn bind(&mut self, name: &'a str, binding: Binding<'a>) {
        if self.bindings.insert(name, binding).is_none() {
            self.order.push(name);
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&'a str, &Binding<'a>)> + '_ {
        self.order.iter().map(move |name| (*name, &self.bindings[name]))
    }
}

/// A base class, resolved as far as the source allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    Class(ClassId),
    /// `unittest.TestCase` or `unittest.IsolatedAsyncioTestCase`.
    TestCase,
    /// `object`.
    Object,
    /// A builtin or standard-library class: not a `TestCase` and without test attributes,
    /// but possibly with its own `__init__`/`__new__`.
    Foreign,
    Unknown,
}

#[derive(Debug)]
struct ClassInfo<'a> {
    def: &'a StmtClassDef,
    namespace: Namespace<'a>,
    bases: Vec<Base>,
}

/// Modules whose exports are known not to be test functions or `TestCase` subclasses.
const INERT_MODULES: [&str; 12] = [
    "abc",
    "collections",
    "dataclasses",
    "enum",
    "functools",
    "typing",
    "typing_extensions",
    "unittest",
    "unittest.mock",
    "mock",
    "pytest",
    "os",
];

/// The module's namespaces and classes, built by one pass over the source.
struct Module<'a> {
    namespace: Namespace<'a>,
    classes: Vec<ClassInfo<'a>>,
    /// `from x import *` of a module that may export tests.
    has_star_import: bool,
}

impl<'a> Module<'a> {
    fn new() -> Self {
        Module { namespace: Namespace::default(), classes: Vec::new(), has_star_import: false }
    }

    /// Bind the statements of a module body (`class_id` None) or of a class body.
    fn bind_body(&mut self, body: &'a [Stmt], class_id: Option<ClassId>) {
        for stmt in body {
            self.bind_stmt(stmt, class_id);
        }
    }

    fn bind_stmt(&mut self, stmt: &'a Stmt, class_id: Option<ClassId>) {
        match stmt {
            Stmt::FunctionDef(def) => self.bind(class_id, &def.name, Binding::Function(def)),
            Stmt::ClassDef(def) => {
                let bases = self.resolve_bases(def, class_id);
                let id = self.classes.len();
                self.classes.push(ClassInfo { def, namespace: Namespace::default(), bases });
                self.bind_body(&def.body, Some(id));
                self.bind(class_id, &def.name, Binding::Class(id));
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => self.bind(class_id, asname, Binding::ModuleImport(module.to_string())),
                        // `import a.b` binds `a`.
                        None => {
                            let top = module.split('.').next().unwrap_or(module);
                            self.bind(class_id, top, Binding::ModuleImport(top.to_string()))
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                // Relative imports name a local module, which may hold anything.
                let module = if import.level > 0 {
                    format!("{}{module}", ".".repeat(import.level as usize))
                } else {
                    module.to_string()
                };
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        self.has_star_import |= !INERT_MODULES.contains(&module.as_str());
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    let binding = Binding::FromImport { module: module.clone(), name: alias.name.to_string() };
                    self.bind(class_id, bound, binding);
                }
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.bind_target(target, &assign.value, class_id);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.bind_target(&assign.target, value, class_id);
                }
            }
            Stmt::AugAssign(assign) => self.bind_names_in(&assign.target, class_id),
            Stmt::TypeAlias(alias) => self.bind_names_in(&alias.name, class_id),
            Stmt::If(_) | Stmt::Try(_) | Stmt::With(_) | Stmt::For(_) | Stmt::While(_) | Stmt::Match(_) => {
                self.bind_compound(stmt, class_id)
            }
            _ => {}
        }
    }

    /// Definitions under `if`/`try`/`with`/loops depend on runtime conditions: a test name
    /// bound there makes the module dynamic; other names are bound opaquely.
    fn bind_compound(&mut self, stmt: &'a Stmt, class_id: Option<ClassId>) {
        let mut finder = BoundNames::default();
        finder.visit_stmt(stmt);
        for name in finder.names {
            self.bind(class_id, name, Binding::Opaque);
        }
    }

    fn bind_target(&mut self, target: &'a Expr, value: &'a Expr, class_id: Option<ClassId>) {
        match (target, value) {
            (Expr::Name(name), Expr::BooleanLiteral(flag)) if name.id.as_str() == "__test__" => {
                self.bind(class_id, &name.id, Binding::TestFlag(flag.value))
            }
            (Expr::Name(name), value) if is_literal(value) => self.bind(class_id, &name.id, Binding::Data),
            _ => self.bind_names_in(target, class_id),
        }
    }

    fn bind_names_in(&mut self, target: &'a Expr, class_id: Option<ClassId>) {
        let mut finder = BoundNames::default();
        finder.visit_expr(target);
        for name in finder.names {
            self.bind(class_id, name, Binding::Opaque);
        }
    }

    fn bind(&mut self, class_id: Option<ClassId>, name: &'a str, binding: Binding<'a>) {
        match class_id {
            Some(id) => self.classes[id].namespace.bind(name, binding),
            None => self.namespace.bind(name, binding),
        }
    }

    fn resolve_bases(&self, def: &StmtClassDef, class_id: Option<ClassId>) -> Vec<Base> {
        let Some(arguments) = &def.arguments else {
            return Vec::new();
        };
        // A metaclass or class keywords can change what the class is.
        if !arguments.keywords.is_empty() {
            return vec![Base::Unknown];
        }
        arguments.args.iter().map(|base| self.resolve_base(base, class_id)).collect()
    }

    fn resolve_base(&self, expr: &Expr, class_id: Option<ClassId>) -> Base {
        match expr {
            Expr::Name(name) => match self.lookup(name.id.as_str(), class_id) {
                Some(Binding::Class(id)) => Base::Class(*id),
                Some(Binding::FromImport { module, name }) => imported_base(module, name),
                Some(_) => Base::Unknown,
                None if self.has_star_import => Base::Unknown,
                // An unbound name is a builtin such as `object` or `Exception`.
                None if name.id.as_str() == "object" => Base::Object,
                None => Base::Foreign,
            },
            Expr::Attribute(attribute) => match attribute.value.as_ref() {
                Expr::Name(value) => match self.lookup(value.id.as_str(), class_id) {
                    Some(Binding::ModuleImport(module)) => imported_base(module, attribute.attr.as_str()),
                    _ => Base::Unknown,
                },
                _ => Base::Unknown,
            },
            // `Generic[T]` and the like.
            Expr::Subscript(subscript) => match self.resolve_base(&subscript.value, class_id) {
                Base::Object | Base::Foreign => Base::Foreign,
                _ => Base::Unknown,
            },
            _ => Base::Unknown,
        }
    }

    /// Class bodies see their own earlier bindings, then the module's.
    fn lookup(&self, name: &str, class_id: Option<ClassId>) -> Option<&Binding<'a>> {
        class_id
            .and_then(|id| self.classes[id].namespace.bindings.get(name))
            .or_else(|| self.namespace.bindings.get(name))
    }

    /// The class's MRO (C3 linearization) over classes of this module, with whether a
    /// `TestCase` is among its bases; `None` when a base cannot be resolved statically.
    fn mro(&self, id: ClassId) -> Option<Mro> {
        let mut is_testcase = false;
        let mut has_foreign = false;
        let mut sequences: Vec<Vec<ClassId>> = Vec::new();
        let mut direct = Vec::new();
        for base in &self.classes[id].bases {
            match *base {
                Base::Class(base_id) => {
                    let base_mro = self.mro(base_id)?;
                    is_testcase |= base_mro.is_testcase;
                    has_foreign |= base_mro.has_foreign;
                    sequences.push(base_mro.classes);
                    direct.push(base_id);
                }
                Base::TestCase => is_testcase = true,
                Base::Object => {}
                Base::Foreign => has_foreign = true,
                Base::Unknown => return None,
            }
        }
        sequences.push(direct);
        let mut classes = vec![id];
        classes.extend(c3_merge(sequences)?);
        Some(Mro { classes, is_testcase, has_foreign })
    }
}

/// Whether only running the code shows what this binding's value is.
fn is_opaque(binding: &Binding<'_>) -> bool {
    match binding {
        Binding::Opaque => true,
        Binding::FromImport { module, .. } => !INERT_MODULES.contains(&module.as_str()),
        Binding::Function(_) | Binding::Class(_) | Binding::ModuleImport(_) | Binding::TestFlag(_) | Binding::Data => {
            false
        }
    }
}

/// A literal display, whose value is never callable.
fn is_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::NumberLiteral(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::FString(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Dict(_)
            | Expr::Set(_)
            | Expr::ListComp(_)
            | Expr::DictComp(_)
            | Expr::SetComp(_)
    )
}

struct Mro {
    /// The class itself first, then its bases from this module.
    classes: Vec<ClassId>,
    is_testcase: bool,
    /// A builtin or library base, whose constructors only the running class shows.
    has_foreign: bool,
}

fn imported_base(module: &str, name: &str) -> Base {
    match (module, name) {
        ("unittest" | "unittest.case" | "unittest.async_case", "TestCase" | "IsolatedAsyncioTestCase") => {
            Base::TestCase
        }
        (module, _) if INERT_MODULES.contains(&module) => Base::Foreign,
        _ => Base::Unknown,
    }
}

/// Python's C3 merge; `None` for an inconsistent hierarchy (a `TypeError` at import).
fn c3_merge(mut sequences: Vec<Vec<ClassId>>) -> Option<Vec<ClassId>> {
    let mut result = Vec::new();
    loop {
        sequences.retain(|s| !s.is_empty());
        if sequences.is_empty() {
            return Some(result);
        }
        let head =
            sequences.iter().map(|s| s[0]).find(|candidate| sequences.iter().all(|s| !s[1..].contains(candidate)))?;
        result.push(head);
        for sequence in &mut sequences {
            if sequence[0] == head {
                sequence.remove(0);
            }
        }
    }
}

/// Names bound by a statement or assignment target, not descending into nested scopes.
#[derive(Default)]
struct BoundNames<'a> {
    names: Vec<&'a str>,
}

impl<'a> Visitor<'a> for BoundNames<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => self.names.push(&def.name),
            Stmt::ClassDef(def) => self.names.push(&def.name),
            Stmt::Import(import) => self.names.extend(import.names.iter().map(|a| {
                a.asname.as_ref().map(|n| n.as_str()).unwrap_or_else(|| a.name.split('.').next().unwrap_or(&a.name))
            })),
            Stmt::ImportFrom(import) => {
                self.names.extend(import.names.iter().map(|a| a.asname.as_ref().unwrap_or(&a.name).as_str()))
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx.is_store() => self.names.push(&name.id),
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// Whether a function body contains `yield` (outside nested scopes): a generator test,
/// which pytest reports as a collection error.
#[derive(Default)]
struct YieldFinder {
    found: bool,
}

impl<'a> Visitor<'a> for YieldFinder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Yield(_) | Expr::YieldFrom(_) => self.found = true,
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}

fn is_generator(def: &StmtFunctionDef) -> bool {
    let mut finder = YieldFinder::default();
    visitor::walk_body(&mut finder, &def.body);
    finder.found
}

/// The last segment of a decorator's callee: `fixture` for `@pytest.fixture(scope="x")`.
fn decorator_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Call(call) => decorator_name(&call.func),
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

fn has_decorator(def: &StmtFunctionDef, names: &[&str]) -> bool {
    def.decorator_list.iter().any(|d| decorator_name(&d.expression).is_some_and(|n| names.contains(&n)))
}

/// Turns the module's namespaces into items, in pytest's order.
struct Collector<'m, 'a> {
    module: &'m Module<'a>,
    patterns: &'m NamePatterns,
    lines: LineIndex,
    module_nodeid: &'m str,
    out: ModuleItems,
}

/// A class being collected: its node ID and enclosing class names.
struct ClassNode {
    nodeid: String,
    /// Shared by the items of the class.
    classes: Names,
}

impl Collector<'_, '_> {
    fn collect_module(&mut self) {
        let namespace = &self.module.namespace;
        if let Some(Binding::TestFlag(false)) = namespace.bindings.get("__test__") {
            return;
        }
        for (name, binding) in namespace.iter() {
            self.make_item(name, binding, None);
        }
    }

    /// pytest's `pytest_pycollect_makeitem` for one namespace entry.
    fn make_item(&mut self, name: &str, binding: &Binding<'_>, parent: Option<&ClassNode>) {
        match binding {
            Binding::Class(id) => self.make_class(*id, parent),
            binding if is_opaque(binding) && self.patterns.is_test_name(name) => self.out.needs_dynamic = true,
            Binding::Function(def) if self.patterns.is_test_function(name) => {
                if has_decorator(def, &["fixture", "property"]) {
                    return;
                }
                if is_generator(def) {
                    self.out.needs_dynamic = true;
                    return;
                }
                self.push_function(name, def, parent, ItemKind::Function);
            }
            _ => {}
        }
    }

    fn make_class(&mut self, id: ClassId, parent: Option<&ClassNode>) {
        let Some(mro) = self.module.mro(id) else {
            // Any class might turn out to be a `TestCase` subclass.
            self.out.needs_dynamic = true;
            return;
        };
        let name = self.module.classes[id].def.name.as_str();
        let node = self.class_node(name, parent);
        if mro.is_testcase {
            self.collect_unittest(&mro, &node);
        } else if self.patterns.is_test_class(name) || self.test_flag(&mro) == Some(true) {
            if mro.has_foreign {
                self.out.needs_dynamic = true;
                return;
            }
            self.collect_class(id, &mro, &node, parent);
        }
    }

    fn class_node(&self, name: &str, parent: Option<&ClassNode>) -> ClassNode {
        match parent {
            Some(parent) => {
                let classes = parent.classes.iter().cloned().chain([name.to_string()]).collect();
                ClassNode { nodeid: format!("{}::{name}", parent.nodeid), classes }
            }
            None => ClassNode { nodeid: format!("{}::{name}", self.module_nodeid), classes: [name.to_string()].into() },
        }
    }

    /// The `__test__` flag the class has or inherits, if set literally.
    fn test_flag(&self, mro: &Mro) -> Option<bool> {
        mro.classes.iter().find_map(|&c| match self.module.classes[c].namespace.bindings.get("__test__") {
            Some(Binding::TestFlag(flag)) => Some(*flag),
            _ => None,
        })
    }

    /// Whether `name` is defined by the class or a base (pytest's `hasinit`/`hasnew`).
    fn defines(&self, mro: &Mro, name: &str) -> bool {
        mro.classes.iter().any(|&c| self.module.classes[c].namespace.bindings.contains_key(name))
    }

    /// pytest's `Class.collect`: the warning for constructors, then `PyCollector.collect`.
    fn collect_class(&mut self, id: ClassId, mro: &Mro, node: &ClassNode, parent: Option<&ClassNode>) {
        if self.test_flag(mro) == Some(false) {
            return;
        }
        for constructor in ["__init__", "__new__"] {
            if self.defines(mro, constructor) {
                self.warn_constructor(id, constructor, node, parent);
                return;
            }
        }
        // Each class's dict in definition order, base classes' dicts first (reverse MRO);
        // a name is taken from the most derived class that binds it.
        let mut seen = std::collections::HashSet::new();
        let mut per_class = Vec::with_capacity(mro.classes.len());
        for &class in &mro.classes {
            let entries: Vec<_> =
                self.module.classes[class].namespace.iter().filter(|(name, _)| seen.insert(*name)).collect();
            per_class.push(entries);
        }
        for entries in per_class.into_iter().rev() {
            for (name, binding) in entries {
                self.make_item(name, binding, Some(node));
            }
        }
    }

    fn warn_constructor(&mut self, id: ClassId, constructor: &str, node: &ClassNode, parent: Option<&ClassNode>) {
        let def = self.module.classes[id].def;
        let from = parent.map(|p| p.nodeid.as_str()).unwrap_or(self.module_nodeid);
        let start = def.decorator_list.first().map(|d| d.start()).unwrap_or(def.start());
        self.out.warnings.push(CollectWarning {
            nodeid: node.nodeid.clone(),
            message: format!(
                "cannot collect test class '{}' because it has a {constructor} constructor (from: {from})",
                def.name.as_str()
            ),
            path: self.module_nodeid.to_string(),
            lineno: self.line_of(start) + 1,
            category: "PytestCollectionWarning".to_string(),
        });
    }

    /// `UnitTestCase.collect`: unittest's `getTestCaseNames` (every callable attribute
    /// starting with `test`, sorted by name), else `runTest`.
    fn collect_unittest(&mut self, mro: &Mro, node: &ClassNode) {
        if self.test_flag(mro) == Some(false) {
            return;
        }
        let mut methods: Vec<(&str, &StmtFunctionDef)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &class in &mro.classes {
            for (name, binding) in self.module.classes[class].namespace.iter() {
                if !name.starts_with("test") || !seen.insert(name) {
                    continue;
                }
                match binding {
                    Binding::Function(def) if !has_decorator(def, &["property"]) => methods.push((name, def)),
                    Binding::Function(_) | Binding::TestFlag(_) | Binding::Data | Binding::ModuleImport(_) => {}
                    // A nested class or an assigned callable is a test to unittest too.
                    _ => self.out.needs_dynamic = true,
                }
            }
        }
        methods.sort_by(|a, b| a.0.cmp(b.0));
        if methods.is_empty() {
            let run_test =
                mro.classes.iter().find_map(|&c| match self.module.classes[c].namespace.bindings.get("runTest") {
                    Some(Binding::Function(def)) => Some(*def),
                    _ => None,
                });
            methods.extend(run_test.map(|def| ("runTest", def)));
        }
        for (name, def) in methods {
            self.push_function(name, def, Some(node), ItemKind::UnitTest);
        }
    }

    fn push_function(&mut self, name: &str, def: &StmtFunctionDef, parent: Option<&ClassNode>, kind: ItemKind) {
        // pytest reports a function at its first decorator (`co_firstlineno`).
        let start = def.decorator_list.first().map(|d| d.start()).unwrap_or(def.start());
        let (nodeid, classes) = match parent {
            Some(parent) => (format!("{}::{name}", parent.nodeid), parent.classes.clone()),
            None => (format!("{}::{name}", self.module_nodeid), Names::default()),
        };
        let argnames = match kind {
            ItemKind::Function => funcargnames(def, parent.is_some()).into(),
            // unittest methods take no fixtures as arguments; doctests are never functions here.
            ItemKind::UnitTest | ItemKind::Doctest => Names::default(),
        };
        self.out.items.push(Arc::new(TestItem {
            nodeid,
            name: name.into(),
            classes,
            kind,
            lineno: self.line_of(start),
            argnames,
            is_async: def.is_async,
            ..TestItem::default()
        }));
    }

    /// 0-based line of `offset`.
    fn line_of(&self, offset: TextSize) -> u32 {
        (self.lines.line_index(offset).get() - 1) as u32
    }
}

/// pytest's `getfuncargnames`: positional-or-keyword and keyword-only parameters without
/// defaults; for methods (not staticmethods) the first of those is the instance, unless
/// the signature has positional-only parameters; `mock.patch` decorators fill the first ones.
fn funcargnames(def: &StmtFunctionDef, is_method: bool) -> Vec<String> {
    let parameters = &def.parameters;
    let mut names: Vec<String> = parameters
        .args
        .iter()
        .chain(parameters.kwonlyargs.iter())
        .filter(|p| p.default.is_none())
        .map(|p| p.parameter.name.to_string())
        .collect();
    let bound = is_method && !has_decorator(def, &["staticmethod"]);
    if bound && parameters.posonlyargs.is_empty() && !names.is_empty() {
        names.remove(0);
    }
    let patched = def.decorator_list.iter().filter(|d| injects_mock(&d.expression)).count();
    names.drain(..patched.min(names.len()));
    names
}

/// `@patch("x")` / `@mock.patch.object(obj, "attr")` without `new`: passes a mock positionally.
fn injects_mock(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let (is_patch, new_position) = match call.func.as_ref() {
        Expr::Name(name) if name.id.as_str() == "patch" => (true, 1),
        Expr::Attribute(attribute) if attribute.attr.as_str() == "patch" => (true, 1),
        Expr::Attribute(attribute) if attribute.attr.as_str() == "object" => {
            (matches!(decorator_name(&attribute.value), Some("patch")), 2)
        }
        _ => (false, 0),
    };
    let has_new = call.arguments.args.len() > new_position
        || call.arguments.keywords.iter().any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "new"));
    is_patch && !has_new
}

#[cfg(test)]
mod tests;
