//! pytest-compatible discovery, without running Python.
//!
//! Finds the rootdir and configuration file exactly as pytest does, walks the arguments (or
//! `testpaths`) for test modules, and collects their test functions, classes and methods from
//! the source with `ruff_python_parser`, producing pytest's node IDs.
//!
//! ```no_run
//! use ferrotest_discovery::{collect, load_config, CollectRequest, ConfigRequest};
//! let cwd = std::env::current_dir().unwrap();
//! let config = load_config(&ConfigRequest::new(&cwd, &["tests".to_string()])).unwrap();
//! let collection = collect(&config, &CollectRequest::new(&cwd, &["tests".to_string()]));
//! for module in &collection.modules {
//!     for item in &module.items {
//!         println!("{}", item.nodeid);
//!     }
//! }
//! ```

pub mod config;
mod fnmatch;
mod import_path;
mod ini;
mod parse;
mod walk;

#[cfg(test)]
mod test_project;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use config::{load_config, Config, ConfigError, ConfigRequest, Ini, IniValue};

/// What to collect: the positional arguments of the command line and the ignore options.
#[derive(Debug, Clone, Default)]
pub struct CollectRequest {
    pub invocation_dir: PathBuf,
    /// Positional arguments as typed: paths, or node IDs such as `tests/test_a.py::TestX::test_y`.
    /// Empty means `testpaths` (when set), else the invocation directory.
    pub args: Vec<String>,
    /// `--ignore`.
    pub ignore: Vec<PathBuf>,
    /// `--ignore-glob`.
    pub ignore_glob: Vec<String>,
    /// `--doctest-modules`: every `.py` file the walk meets is also a `DoctestModule`.
    pub doctest_modules: bool,
    /// `--doctest-glob`: text files to run as doctests; empty means pytest's `test*.txt`.
    pub doctest_glob: Vec<String>,
}

impl CollectRequest {
    pub fn new(invocation_dir: &Path, args: &[String]) -> Self {
        CollectRequest { invocation_dir: invocation_dir.to_path_buf(), args: args.to_vec(), ..Default::default() }
    }
}

/// The result of static collection.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Collection {
    /// The arguments that were collected, resolved (after `testpaths`).
    pub args: Vec<CollectionArg>,
    /// Modules in pytest's collection order, each `conftest.py` before the modules beneath it.
    pub modules: Vec<CollectedModule>,
    /// Arguments that could not be collected (`file or directory not found: x`); pytest
    /// treats these as usage errors (exit 4).
    pub arg_errors: Vec<ArgError>,
}

impl Collection {
    /// All statically collected items, in collection order.
    pub fn items(&self) -> impl Iterator<Item = &TestItem> {
        self.modules.iter().flat_map(|m| m.items.iter().map(Arc::as_ref))
    }
}

/// One positional argument, resolved: an absolute path plus the `::` parts that follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionArg {
    /// The argument as the user typed it (for "not found" messages).
    pub raw: String,
    pub path: PathBuf,
    /// `["TestX", "test_y[1]"]` for `file.py::TestX::test_y[1]`.
    pub parts: Vec<String>,
}

/// An argument that named nothing collectable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgError {
    /// pytest's message, e.g. `file or directory not found: tests/nope.py`.
    pub message: String,
}

/// A warning from collection, with the location pytest attaches to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectWarning {
    pub nodeid: String,
    /// pytest's text, e.g. `cannot collect test class 'TestX' because it has a __init__ constructor (from: test_a.py)`.
    pub message: String,
    /// Path relative to rootdir and 1-based line where it was raised.
    pub path: String,
    pub lineno: u32,
    /// `PytestCollectionWarning`.
    pub category: String,
}

/// Whether a module is a `conftest.py`, a test module, or a file collected for its doctests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModuleKind {
    Conftest,
    Test,
    /// pytest's `DoctestModule`: a `.py` file imported for its docstrings' examples. A test
    /// module (or conftest) under `--doctest-modules` is also listed once with this kind.
    Doctest,
    /// pytest's `DoctestTextfile`: a text file parsed as one doctest, never imported.
    DoctestText,
}

impl ModuleKind {
    /// Whether the module's collector holds items (every kind but a conftest's plugin role).
    pub fn holds_items(self) -> bool {
        self != ModuleKind::Conftest
    }

    pub fn is_doctest(self) -> bool {
        matches!(self, ModuleKind::Doctest | ModuleKind::DoctestText)
    }
}

/// How to import one module the way pytest's default `prepend` import mode does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleSpec {
    /// Absolute path of the `.py` file.
    pub path: PathBuf,
    /// The module's node ID: its path relative to rootdir with `/` separators.
    pub nodeid: String,
    /// The dotted module name (`pkg.sub.test_a`): the file's stem, prefixed by each parent
    /// directory that has an `__init__.py`.
    pub import_name: String,
    /// The first directory upwards without `__init__.py`, which goes first on `sys.path`.
    pub sys_path_entry: PathBuf,
    pub kind: ModuleKind,
}

/// A module with the items found in its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectedModule {
    pub spec: ModuleSpec,
    /// Shared with the plan, which would otherwise copy each.
    pub items: Vec<Arc<TestItem>>,
    /// The source could not be collected statically (it does not parse, is not UTF-8, or
    /// defines test names in ways only the running module shows). The executor then collects
    /// it by importing it; a real syntax error becomes pytest's collection error there.
    pub needs_dynamic: bool,
    /// What collecting its source warns about (a `Test*` class with an `__init__`): the
    /// executor raises these as pytest does, under the session's warning filters.
    #[serde(default)]
    pub warnings: Vec<CollectWarning>,
}

/// How an item is called.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    /// A plain function or a method of a `Test*` class.
    #[default]
    Function,
    /// A test method of a `unittest.TestCase` subclass.
    UnitTest,
    /// pytest's `DoctestItem`: one `doctest.DocTest`, whose dotted name is the item's `name`.
    Doctest,
}

/// Names the items of one test function share (its classes, arguments, `usefixtures`, a
/// parametrization's direct arguments): the calls of a function parametrized 10000 ways
/// clone them per call, which then costs a reference count rather than allocations.
pub type Names = Arc<[String]>;

/// One test, as pytest would collect it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestItem {
    /// pytest's node ID, e.g. `tests/test_a.py::TestX::TestNested::test_y[1-a]`.
    pub nodeid: String,
    /// The function name (`test_y`; pytest's `originalname`).
    pub name: Arc<str>,
    /// The classes enclosing the function, outermost first (`["TestX", "TestNested"]`).
    pub classes: Names,
    pub kind: ItemKind,
    /// 0-based line of the `def` (pytest's `item.location[1]`); for inherited methods, the line
    /// in the class that defines them.
    pub lineno: u32,
    /// Parameter names of the function, without `self`/`cls`: the fixtures it requests.
    pub argnames: Names,
    pub is_async: bool,
    /// Fixture names from `@pytest.mark.usefixtures` on the item, its classes and module.
    #[serde(default)]
    pub usefixtures: Names,
    /// Which parametrization this item is (`test_y[1-a]`), when it is one. Known only once
    /// the module is imported: parameter values are Python objects.
    #[serde(default)]
    pub callspec: Option<CallSpec>,
}

impl TestItem {
    /// A plain test function `name` in `classes` (outermost first) of the module whose node ID
    /// is `module_nodeid`, with pytest's node ID for it; the rest is left at its default.
    pub fn function(module_nodeid: &str, classes: &[&str], name: &str) -> TestItem {
        let nodeid = std::iter::once(module_nodeid).chain(classes.iter().copied()).chain([name]).collect::<Vec<_>>();
        TestItem {
            nodeid: nodeid.join("::"),
            name: name.into(),
            classes: classes.iter().map(|class| class.to_string()).collect(),
            ..TestItem::default()
        }
    }

    /// pytest's `item.name`: the function name plus `[id]` when parametrized.
    pub fn display_name(&self) -> String {
        let mut name = String::new();
        self.push_display_name(&mut name);
        name
    }

    /// [`TestItem::display_name`] appended to `out`, for names built around it.
    pub fn push_display_name(&self, out: &mut String) {
        out.push_str(&self.name);
        if let Some(id) = self.call_id() {
            out.push('[');
            out.push_str(id);
            out.push(']');
        }
    }

    /// The id of the parametrization this item is (`1-a` of `test_y[1-a]`), which ends its
    /// node ID; `None` when it is none or every parameter is hidden.
    pub fn call_id(&self) -> Option<&str> {
        let len = self.callspec.as_ref()?.id_len?;
        let end = self.nodeid.len().checked_sub(1)?;
        self.nodeid.get(end.checked_sub(len)?..end)
    }
}

/// One parametrization of a test: pytest's `CallSpec2`, minus the values (which stay in the
/// interpreter, found again by `index`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSpec {
    /// The length of the id in the `[...]` that ends the node ID (the id itself is
    /// [`TestItem::call_id`], kept once, in the node ID); `None` when every parameter is
    /// hidden (`pytest.HIDDEN_PARAM`), which leaves the name unbracketed. May be 0 (`test_x[]`).
    pub id_len: Option<usize>,
    /// Which of the function's call specs this is, in pytest's expansion order.
    pub index: usize,
    /// Arguments given directly by `@pytest.mark.parametrize` (not fixtures).
    pub direct: Names,
    /// Every parametrized argument of a scope wider than function, with its parameter index
    /// and scope, which pytest's reordering groups items by (it never looks at function-scoped
    /// parameters).
    pub params: Vec<ParamKey>,
}

/// One parametrized argument of a call spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ParamKey {
    pub argname: String,
    pub index: usize,
    /// What pytest's `ParamValueKey` compares: the value's type and repr when it is
    /// hashable, else its index.
    pub value: String,
    /// `function`, `class`, `module`, `package` or `session`.
    pub scope: String,
}

/// Collect the test modules named by `request` (or by the config's `testpaths`).
pub fn collect(config: &Config, request: &CollectRequest) -> Collection {
    walk::collect(config, request)
}

impl CollectedModule {
    /// The collectors above `item` as pytest's `--collect-only` tree shows them, from the
    /// rootdir's `<Dir>` down to the item: `Dir`/`Package` per directory, `Module`,
    /// `Class`/`UnitTestCase` per enclosing class, then `Function`/`TestCaseFunction`.
    pub fn collector_chain(&self, rootdir: &Path, item: &TestItem) -> Vec<ferrotest_events::CollectorNode> {
        item_chain(&self.module_chain(rootdir), item)
    }

    /// The part of [`Self::collector_chain`] every item of this module shares: the rootdir's
    /// `<Dir>` down to the `Module` (one `stat` per directory, so worth computing once).
    pub fn module_chain(&self, rootdir: &Path) -> Vec<ferrotest_events::CollectorNode> {
        walk::module_chain(rootdir, &self.spec)
    }
}

/// An item's collector chain below its module's [`CollectedModule::module_chain`]: the
/// classes, then the `Function`/`TestCaseFunction`/`DoctestItem` itself.
pub fn item_chain(
    module_chain: &[ferrotest_events::CollectorNode],
    item: &TestItem,
) -> Vec<ferrotest_events::CollectorNode> {
    walk::item_chain(module_chain, item)
}

#[cfg(test)]
mod item_tests {
    use super::*;

    fn call(nodeid: &str, id_len: Option<usize>) -> TestItem {
        let callspec = CallSpec { id_len, ..CallSpec::default() };
        TestItem { nodeid: nodeid.to_string(), callspec: Some(callspec), ..TestItem::function("t.py", &[], "test_x") }
    }

    #[test]
    fn a_call_id_is_read_from_the_end_of_the_node_id() {
        assert_eq!(call("t.py::test_x[[a]::b]", Some(6)).display_name(), "test_x[[a]::b]");
        assert_eq!(call("t.py::test_x[]", Some(0)).display_name(), "test_x[]");
        assert_eq!(call("t.py::test_x", None).display_name(), "test_x");
    }

    #[test]
    fn a_call_id_longer_than_the_node_id_is_none() {
        assert_eq!(call("t.py::test_x[1]", Some(20)).call_id(), None);
    }
}
