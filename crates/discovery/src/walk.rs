//! The arguments, the directory walk and the module list, in pytest's collection order.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use ferrotest_events::{CollectorKind, CollectorNode};
use rayon::prelude::*;

use crate::config::absolutepath;
use crate::fnmatch::{fnmatch, has_magic};
use crate::import_path::module_name;
use crate::parse::{collect_module, NamePatterns};
use crate::{
    ArgError, CollectRequest, CollectedModule, Collection, CollectionArg, Config, ItemKind, ModuleKind, ModuleSpec,
    TestItem,
};

pub(crate) fn collect(config: &Config, request: &CollectRequest) -> Collection {
    let invocation_dir = absolutepath(&request.invocation_dir, Path::new(""));
    let raw_args = decide_args(config, request, &invocation_dir);
    let mut collection = Collection::default();
    let mut resolved = Vec::new();
    for (index, raw) in raw_args.iter().enumerate() {
        match resolve_argument(&invocation_dir, raw, index) {
            Ok(arg) => resolved.push(arg),
            Err(error) => collection.arg_errors.push(error),
        }
    }
    let args = normalize_arguments(resolved);

    let mut walker = Walker::new(config, request, &invocation_dir, &args);
    walker.load_initial_conftests(&invocation_dir, &raw_args);
    for arg in &args {
        walker.collect_argument(&arg.path);
    }
    collection.args = args.into_iter().map(|a| a.arg).collect();

    let patterns = NamePatterns { functions: config.ini.python_functions(), classes: config.ini.python_classes() };
    collection.modules = walker.found.par_iter().map(|found| walker.module(found, &patterns)).collect();
    collection
}

/// pytest's `_decide_args`: the arguments, else `testpaths` (globbed, from the rootdir,
/// only when invoked there), else the invocation directory.
fn decide_args(config: &Config, request: &CollectRequest, invocation_dir: &Path) -> Vec<String> {
    if !request.args.is_empty() {
        return request.args.clone();
    }
    if invocation_dir == config.rootdir {
        let mut found = Vec::new();
        for pattern in config.ini.testpaths() {
            let mut matches = glob(invocation_dir, &pattern);
            matches.sort();
            found.extend(matches);
        }
        if !found.is_empty() {
            return found;
        }
    }
    vec![invocation_dir.display().to_string()]
}

/// An argument after `resolve_collection_argument`, keeping what normalization compares.
struct ResolvedArg {
    arg: CollectionArg,
    path: PathBuf,
    names: Vec<String>,
    parametrization: Option<String>,
    index: usize,
}

/// pytest's `resolve_collection_argument`: `path::Class::name[params]`, where `::` inside
/// the brackets belongs to the parameters.
fn resolve_argument(invocation_dir: &Path, raw: &str, index: usize) -> Result<ResolvedArg, ArgError> {
    let (base, parametrization) = match raw.find('[') {
        Some(bracket) => (&raw[..bracket], Some(raw[bracket..].to_string())),
        None => (raw, None),
    };
    let mut pieces = base.split("::");
    let strpath = pieces.next().unwrap_or_default();
    let names: Vec<String> = pieces.map(str::to_string).collect();
    let error = |message: String| Err(ArgError { message });
    if parametrization.is_some() && names.is_empty() {
        return error(format!("path cannot contain [] parametrization: {raw}"));
    }
    let path = absolutepath(invocation_dir, Path::new(strpath));
    if fs::metadata(&path).is_err() {
        return error(format!("file or directory not found: {raw}"));
    }
    if !names.is_empty() && path.is_dir() {
        return error(format!("directory argument cannot contain :: selection parts: {raw}"));
    }
    let mut parts = names.clone();
    if let (Some(last), Some(params)) = (parts.last_mut(), &parametrization) {
        last.push_str(params);
    }
    Ok(ResolvedArg {
        arg: CollectionArg { raw: raw.to_string(), path: path.clone(), parts },
        path,
        names,
        parametrization,
        index,
    })
}

/// pytest's `normalize_collection_arguments`: drop duplicates and arguments contained in
/// another (a directory, or a prefix of the same node), keeping argument order.
fn normalize_arguments(mut args: Vec<ResolvedArg>) -> Vec<ResolvedArg> {
    args.sort_by(|a, b| {
        (&a.path, &a.names, a.parametrization.as_deref().unwrap_or("")).cmp(&(
            &b.path,
            &b.names,
            b.parametrization.as_deref().unwrap_or(""),
        ))
    });
    let mut kept: Vec<ResolvedArg> = Vec::new();
    for arg in args {
        if kept.last().is_some_and(|last| is_subsumed_by(&arg, last)) {
            continue;
        }
        kept.push(arg);
    }
    kept.sort_by_key(|arg| arg.index);
    kept
}

fn is_subsumed_by(arg: &ResolvedArg, by: &ResolvedArg) -> bool {
    if by.path != arg.path {
        return by.names.is_empty() && arg.path.starts_with(&by.path);
    }
    if by.names.len() > arg.names.len() || arg.names[..by.names.len()] != by.names[..] {
        return false;
    }
    by.parametrization.is_none() || by.parametrization == arg.parametrization
}

/// A module file found by the walk.
struct Found {
    path: PathBuf,
    kind: ModuleKind,
}

struct Walker<'a> {
    config: &'a Config,
    python_files: Vec<String>,
    norecursedirs: Vec<String>,
    ignore: Vec<PathBuf>,
    ignore_glob: Vec<String>,
    confcutdir: PathBuf,
    /// The arguments' paths (pytest's `_initialpaths`).
    initial: HashSet<PathBuf>,
    /// The arguments' paths and all their parents.
    initial_with_parents: HashSet<PathBuf>,
    doctest_modules: bool,
    doctest_glob: Vec<String>,
    /// Directories whose conftests are loaded (pytest's `_dirpath2confmods` keys).
    conftest_dirs: HashSet<PathBuf>,
    /// A file is collected once per kind: a test module is also a `DoctestModule`.
    seen_files: HashSet<(PathBuf, ModuleKind)>,
    found: Vec<Found>,
}

impl<'a> Walker<'a> {
    fn new(config: &'a Config, request: &CollectRequest, invocation_dir: &Path, args: &[ResolvedArg]) -> Self {
        let initial: HashSet<PathBuf> = args.iter().map(|a| a.path.clone()).collect();
        let initial_with_parents = args.iter().flat_map(|a| a.path.ancestors().map(Path::to_path_buf)).collect();
        let confcutdir = match &config.inifile {
            Some(inifile) => inifile.parent().map(Path::to_path_buf).unwrap_or_else(|| config.rootdir.clone()),
            None => config.rootdir.clone(),
        };
        Walker {
            config,
            python_files: config.ini.python_files(),
            norecursedirs: config.ini.norecursedirs(),
            ignore: request.ignore.iter().map(|p| absolutepath(invocation_dir, p)).collect(),
            ignore_glob: request
                .ignore_glob
                .iter()
                .map(|g| absolutepath(invocation_dir, Path::new(g)).display().to_string())
                .collect(),
            confcutdir,
            initial,
            initial_with_parents,
            doctest_modules: request.doctest_modules,
            doctest_glob: if request.doctest_glob.is_empty() {
                vec!["test*.txt".to_string()]
            } else {
                request.doctest_glob.clone()
            },
            conftest_dirs: HashSet::new(),
            seen_files: HashSet::new(),
            found: Vec::new(),
        }
    }

    /// pytest's `_set_initial_conftests`: the conftests of each argument's directory and
    /// its `test*` subdirectories, loaded before collection starts.
    fn load_initial_conftests(&mut self, invocation_dir: &Path, raw_args: &[String]) {
        let mut anchors = Vec::new();
        for raw in raw_args {
            let path = raw.split("::").next().unwrap_or(raw);
            let anchor = absolutepath(invocation_dir, Path::new(path));
            if fs::metadata(&anchor).is_err() {
                continue;
            }
            let is_dir = anchor.is_dir();
            anchors.push(anchor.clone());
            if is_dir {
                anchors.extend(test_subdirs(&anchor));
            }
        }
        if anchors.is_empty() {
            anchors.push(invocation_dir.to_path_buf());
            anchors.extend(test_subdirs(invocation_dir));
        }
        for anchor in anchors {
            let directory =
                if anchor.is_file() { anchor.parent().map(Path::to_path_buf).unwrap_or(anchor) } else { anchor };
            self.load_conftests(&directory);
        }
    }

    /// pytest's `_loadconftestmodules`: `conftest.py` of `directory` and of each parent not
    /// above the confcutdir, outermost first.
    fn load_conftests(&mut self, directory: &Path) {
        if !self.conftest_dirs.insert(directory.to_path_buf()) {
            return;
        }
        let mut parents: Vec<&Path> = directory.ancestors().collect();
        parents.reverse();
        for parent in parents {
            let above_confcutdir = self.confcutdir.starts_with(parent) && self.confcutdir != parent;
            let conftest = parent.join("conftest.py");
            if !above_confcutdir && conftest.is_file() {
                self.add(conftest, ModuleKind::Conftest);
            }
        }
    }

    fn add(&mut self, path: PathBuf, kind: ModuleKind) {
        if self.seen_files.insert((path.clone(), kind)) {
            self.found.push(Found { path, kind });
        }
    }

    /// `Session.collect` for one argument: each directory from the confcutdir down to the
    /// argument is collected (loading its conftests), then the argument itself.
    fn collect_argument(&mut self, path: &Path) {
        let mut chain: Vec<&Path> = path
            .ancestors()
            .skip(1)
            .take_while(|dir| !(self.confcutdir.starts_with(dir) && self.confcutdir != *dir))
            .collect();
        chain.reverse();
        for dir in chain {
            self.load_conftests(dir);
        }
        if path.is_dir() {
            let mut stack = Vec::new();
            self.collect_dir(path, &mut stack);
        } else {
            self.collect_file(path);
        }
    }

    /// `Dir.collect` / `Package.collect`, depth-first in name order. `stack` holds the
    /// canonical paths of the directories being walked, so a symlink loop ends the walk.
    fn collect_dir(&mut self, dir: &Path, stack: &mut Vec<PathBuf>) {
        let Ok(canonical) = fs::canonicalize(dir) else { return };
        if stack.contains(&canonical) {
            return;
        }
        stack.push(canonical);
        self.load_conftests(dir);
        for (path, is_dir) in sorted_entries(dir) {
            if is_dir {
                if self.initial_with_parents.contains(&path) || !self.ignored(&path, true) {
                    self.collect_dir(&path, stack);
                }
            } else if self.initial.contains(&path) || !self.ignored(&path, false) {
                self.collect_file(&path);
            }
        }
        stack.pop();
    }

    /// `pytest_collect_file`: a `.py` file given as an argument, or matching `python_files`.
    /// The doctest plugin's hook answers first, so a file's `DoctestModule` precedes its `Module`.
    fn collect_file(&mut self, path: &Path) {
        if path.extension().is_none_or(|ext| ext != "py") {
            if self.is_doctest_text(path) {
                self.add(path.to_path_buf(), ModuleKind::DoctestText);
            }
            return;
        }
        if self.doctest_modules && !is_setup_py(path) && path.file_name().is_some_and(|n| n != "__main__.py") {
            self.add(path.to_path_buf(), ModuleKind::Doctest);
        }
        let wanted = self.initial.contains(path) || self.python_files.iter().any(|p| fnmatch_ex(p, path));
        if wanted && path.file_name().is_some_and(|n| n != "conftest.py") {
            self.add(path.to_path_buf(), ModuleKind::Test);
        }
    }

    /// The doctest plugin's `_is_doctest`: a `.txt`/`.rst` argument, or a `--doctest-glob` match.
    fn is_doctest_text(&self, path: &Path) -> bool {
        let text_suffix = path.extension().is_some_and(|ext| ext == "txt" || ext == "rst");
        (text_suffix && self.initial.contains(path)) || self.doctest_glob.iter().any(|g| fnmatch_ex(g, path))
    }

    /// pytest's `pytest_ignore_collect`.
    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        if path.file_name().is_some_and(|n| n == "__pycache__") {
            return true;
        }
        if self.ignore.iter().any(|p| p == path) {
            return true;
        }
        let text = path.to_string_lossy();
        if self.ignore_glob.iter().any(|g| fnmatch(&text, g)) {
            return true;
        }
        if in_venv(path) {
            return true;
        }
        is_dir && self.norecursedirs.iter().any(|p| fnmatch_ex(p, path))
    }

    /// Read and statically collect one found module.
    fn module(&self, found: &Found, patterns: &NamePatterns) -> CollectedModule {
        let nodeid = self.nodeid(&found.path);
        let (mut import_name, sys_path_entry) = module_name(&found.path);
        if found.kind == ModuleKind::DoctestText {
            // Never imported: nothing in `sys.modules` may stand for it.
            import_name.clear();
        }
        let spec = ModuleSpec { path: found.path.clone(), nodeid, import_name, sys_path_entry, kind: found.kind };
        // Doctests are found by the executor: in the imported module, or by parsing the text.
        if found.kind != ModuleKind::Test {
            return CollectedModule { spec, items: Vec::new(), needs_dynamic: false, warnings: Vec::new() };
        }
        let parsed = match fs::read(&found.path) {
            Ok(source) => collect_module(&source, &spec.nodeid, patterns),
            // An unreadable file fails at import, where pytest reports it.
            Err(_) => crate::parse::ModuleItems { needs_dynamic: true, ..Default::default() },
        };
        CollectedModule { spec, items: parsed.items, needs_dynamic: parsed.needs_dynamic, warnings: parsed.warnings }
    }

    /// The node ID of a file: relative to the rootdir, else to the argument containing it.
    fn nodeid(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.config.rootdir).ok().or_else(|| {
            path.ancestors().find(|dir| self.initial.contains(*dir)).and_then(|dir| path.strip_prefix(dir).ok())
        });
        match relative {
            Some(relative) => {
                relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
            }
            None => path.display().to_string(),
        }
    }
}

/// A directory's entries sorted by name (pytest's `scandir`), `__init__.py` first as in
/// `Package.collect`, with whether each is a directory (following symlinks). Broken
/// symlinks and unreadable entries are skipped.
fn sorted_entries(dir: &Path) -> Vec<(PathBuf, bool)> {
    let Ok(read) = fs::read_dir(dir) else { return Vec::new() };
    let mut entries: Vec<(PathBuf, bool)> = read
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            let mut file_type = entry.file_type().ok()?;
            // Only symlinks need a second stat to learn what they point to.
            if file_type.is_symlink() {
                file_type = fs::metadata(&path).ok()?.file_type();
            }
            (file_type.is_dir() || file_type.is_file()).then_some((path, file_type.is_dir()))
        })
        .collect();
    let is_package = entries.iter().any(|(p, is_dir)| !is_dir && p.file_name().is_some_and(|n| n == "__init__.py"));
    entries.sort_by(|(a, _), (b, _)| {
        let (a, b) = (a.file_name().unwrap_or_default(), b.file_name().unwrap_or_default());
        let init_first = |n: &std::ffi::OsStr| !(is_package && n == "__init__.py");
        (init_first(a), a).cmp(&(init_first(b), b))
    });
    entries
}

/// Subdirectories named `test*`, which pytest also searches for initial conftests.
fn test_subdirs(dir: &Path) -> Vec<PathBuf> {
    sorted_entries(dir)
        .into_iter()
        .filter(|(path, is_dir)| *is_dir && path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("test")))
        .map(|(path, _)| path)
        .collect()
}

/// The doctest plugin's `_is_setup_py`: a `setup.py` that uses setuptools or distutils is
/// never imported for doctests.
fn is_setup_py(path: &Path) -> bool {
    if path.file_name().is_none_or(|n| n != "setup.py") {
        return false;
    }
    let contents = fs::read(path).unwrap_or_default();
    let contains = |needle: &[u8]| contents.windows(needle.len()).any(|window| window == needle);
    contains(b"setuptools") || contains(b"distutils")
}

/// pytest's `_in_venv`.
fn in_venv(path: &Path) -> bool {
    path.join("pyvenv.cfg").is_file() || path.join("conda-meta").join("history").is_file()
}

/// pytest's `fnmatch_ex`: patterns without a `/` match the basename, others the whole path
/// (relative patterns anywhere below the root).
fn fnmatch_ex(pattern: &str, path: &Path) -> bool {
    if !pattern.contains('/') {
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        return fnmatch(&name, pattern);
    }
    let text = path.to_string_lossy();
    if path.is_absolute() && !pattern.starts_with('/') {
        fnmatch(&text, &format!("*/{pattern}"))
    } else {
        fnmatch(&text, pattern)
    }
}

/// Python's `glob.glob(pattern, recursive=True)` relative to `base`, returning paths as
/// the pattern spells them. Wildcards skip hidden names unless the pattern part starts with `.`.
fn glob(base: &Path, pattern: &str) -> Vec<String> {
    let absolute = pattern.starts_with('/');
    let mut results = vec![if absolute { "/".to_string() } else { String::new() }];
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let mut next = Vec::new();
        for prefix in &results {
            let dir = base.join(if prefix.is_empty() { "." } else { prefix });
            if *part == "**" {
                next.push(prefix.clone());
                descendants(&dir, prefix, last, &mut next);
            } else if has_magic(part) {
                for (path, is_dir) in sorted_entries(&dir) {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let visible = !name.starts_with('.') || part.starts_with('.');
                    if visible && (last || is_dir) && fnmatch(&name, part) {
                        next.push(join_glob(prefix, &name));
                    }
                }
            } else {
                next.push(join_glob(prefix, part));
            }
        }
        results = next;
    }
    results.retain(|r| !r.is_empty() && fs::symlink_metadata(base.join(r)).is_ok());
    results
}

/// Everything below `dir` for a `**` part: directories only unless it is the last part.
fn descendants(dir: &Path, prefix: &str, include_files: bool, out: &mut Vec<String>) {
    for (path, is_dir) in sorted_entries(dir) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') || !(is_dir || include_files) {
            continue;
        }
        let joined = join_glob(prefix, &name);
        out.push(joined.clone());
        if is_dir && !path.is_symlink() {
            descendants(&path, &joined, include_files, out);
        }
    }
}

fn join_glob(prefix: &str, name: &str) -> String {
    match prefix {
        "" => name.to_string(),
        p if p.ends_with('/') => format!("{p}{name}"),
        p => format!("{p}/{name}"),
    }
}

/// The collectors above `item`, from the rootdir's directory down.
pub(crate) fn collector_chain(rootdir: &Path, spec: &ModuleSpec, item: &TestItem) -> Vec<CollectorNode> {
    let node = |kind, name: &str| CollectorNode { kind, name: name.to_string() };
    let dir_node = |dir: &Path| {
        let kind = if dir.join("__init__.py").is_file() { CollectorKind::Package } else { CollectorKind::Dir };
        node(
            kind,
            &dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| dir.display().to_string()),
        )
    };
    let module_dir = spec.path.parent().unwrap_or(rootdir);
    let top = if module_dir.starts_with(rootdir) { rootdir } else { module_dir };
    let mut dirs: Vec<&Path> = module_dir.ancestors().take_while(|d| d.starts_with(top)).collect();
    dirs.reverse();
    let mut chain: Vec<CollectorNode> = dirs.into_iter().map(dir_node).collect();
    let module_kind = match spec.kind {
        ModuleKind::Doctest => CollectorKind::DoctestModule,
        ModuleKind::DoctestText => CollectorKind::DoctestTextfile,
        ModuleKind::Test | ModuleKind::Conftest => CollectorKind::Module,
    };
    chain.push(node(module_kind, &spec.path.file_name().unwrap_or_default().to_string_lossy()));
    let (class_kind, function_kind) = match item.kind {
        ItemKind::Function => (CollectorKind::Class, CollectorKind::Function),
        ItemKind::UnitTest => (CollectorKind::UnitTestCase, CollectorKind::TestCaseFunction),
        ItemKind::Doctest => (CollectorKind::Class, CollectorKind::DoctestItem),
    };
    for (i, class) in item.classes.iter().enumerate() {
        let innermost = i + 1 == item.classes.len();
        chain.push(node(if innermost { class_kind } else { CollectorKind::Class }, class));
    }
    chain.push(node(function_kind, &item.display_name()));
    chain
}

#[cfg(test)]
mod tests;
