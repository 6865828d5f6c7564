//! Finding the rootdir and the configuration file, as pytest's `determine_setup` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What determines the configuration: the invocation directory, the positional arguments,
/// and the `-c` / `--rootdir` options.
#[derive(Debug, Clone, Default)]
pub struct ConfigRequest {
    pub invocation_dir: PathBuf,
    /// Positional arguments (paths or node IDs); only their path part matters here.
    pub args: Vec<String>,
    /// `-c FILE` / `--config-file FILE`.
    pub inifile: Option<PathBuf>,
    /// `--rootdir DIR`.
    pub rootdir: Option<PathBuf>,
}

impl ConfigRequest {
    pub fn new(invocation_dir: &Path, args: &[String]) -> Self {
        ConfigRequest { invocation_dir: invocation_dir.to_path_buf(), args: args.to_vec(), ..Default::default() }
    }
}

/// The resolved configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub rootdir: PathBuf,
    /// The configuration file in use, if any (pytest's `inipath`).
    pub inifile: Option<PathBuf>,
    pub ini: Ini,
}

/// The values of the pytest section, as written. Typed accessors apply pytest's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ini {
    values: BTreeMap<String, IniValue>,
}

/// A raw value: ini files only have text, `pyproject.toml` may also give lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IniValue {
    Text(String),
    List(Vec<String>),
}

/// A configuration that pytest would refuse: a usage error (exit 4) naming the file and line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}: {message}", path = path.display())]
    Parse { path: PathBuf, line: usize, message: String },
    #[error("could not load {path}: {source}", path = path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{message}")]
    Usage { message: String },
}

/// The config files pytest looks for in each directory, in precedence order.
const CONFIG_NAMES: [&str; 7] =
    ["pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];

/// pytest's default `norecursedirs`.
const DEFAULT_NORECURSEDIRS: [&str; 9] =
    ["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"];

impl Ini {
    /// An `Ini` holding the given raw values (as a config file would).
    pub fn from_values(values: BTreeMap<String, IniValue>) -> Self {
        Ini { values }
    }

    /// The raw value of `name`, as written in the config file.
    pub fn get(&self, name: &str) -> Option<&IniValue> {
        self.values.get(name)
    }

    /// Every value as written, by name.
    pub fn values(&self) -> &BTreeMap<String, IniValue> {
        &self.values
    }

    /// `testpaths` (type `args`): no default.
    pub fn testpaths(&self) -> Vec<String> {
        self.args_or(&[], "testpaths")
    }

    /// `usefixtures` (type `args`): fixtures every test uses, as if autouse at the session.
    pub fn usefixtures(&self) -> Vec<String> {
        self.args_or(&[], "usefixtures")
    }

    /// `python_files` (type `args`).
    pub fn python_files(&self) -> Vec<String> {
        self.args_or(&["test_*.py", "*_test.py"], "python_files")
    }

    /// `python_classes` (type `args`).
    pub fn python_classes(&self) -> Vec<String> {
        self.args_or(&["Test"], "python_classes")
    }

    /// `python_functions` (type `args`).
    pub fn python_functions(&self) -> Vec<String> {
        self.args_or(&["test"], "python_functions")
    }

    /// `norecursedirs` (type `args`).
    pub fn norecursedirs(&self) -> Vec<String> {
        self.args_or(&DEFAULT_NORECURSEDIRS, "norecursedirs")
    }

    /// `addopts` (type `args`), not yet combined with `PYTEST_ADDOPTS`.
    pub fn addopts(&self) -> Vec<String> {
        self.args_or(&[], "addopts")
    }

    /// `-o NAME=VALUE` (pytest's `--override-ini`), in order: each replaces the value of
    /// `NAME` the file gave, so the last one of a name wins.
    pub fn override_values(&mut self, overrides: &[String]) -> Result<(), ConfigError> {
        for item in overrides {
            let Some((name, value)) = item.split_once('=') else {
                let got = crate::ini::py_repr(item);
                return Err(usage(format!("-o/--override-ini expects option=value style (got: {got}).")));
            };
            self.values.insert(name.to_string(), IniValue::Text(value.to_string()));
        }
        Ok(())
    }

    /// An `args`-typed value: text is split like a shell does, a list is taken as is.
    fn args_or(&self, default: &[&str], name: &str) -> Vec<String> {
        match self.values.get(name) {
            None => default.iter().map(|s| s.to_string()).collect(),
            Some(IniValue::List(items)) => items.clone(),
            // shlex rejects unbalanced quotes where Python's shlex raises; fall back to
            // whitespace splitting rather than losing the value.
            Some(IniValue::Text(text)) => {
                shlex::split(text).unwrap_or_else(|| text.split_whitespace().map(str::to_string).collect())
            }
        }
    }
}

/// Find the rootdir and the configuration file as pytest's `determine_setup` does.
pub fn load_config(request: &ConfigRequest) -> Result<Config, ConfigError> {
    let invocation_dir = &request.invocation_dir;
    let dirs = dirs_from_args(invocation_dir, &request.args);
    let (mut rootdir, inifile, values) = match &request.inifile {
        Some(inifile) => setup_from_inifile(invocation_dir, &dirs, inifile, request.rootdir.is_some())?,
        None => setup_from_search(invocation_dir, &dirs, request.rootdir.is_some())?,
    };
    if let Some(arg) = &request.rootdir {
        rootdir = rootdir_from_option(invocation_dir, arg)?;
    }
    Ok(Config { rootdir, inifile, ini: Ini { values: values.unwrap_or_default() } })
}

type Setup = (PathBuf, Option<PathBuf>, Option<BTreeMap<String, IniValue>>);

/// `-c FILE`: that file is the configuration, and its directory the rootdir.
fn setup_from_inifile(
    invocation_dir: &Path,
    dirs: &[PathBuf],
    inifile: &Path,
    has_rootdir: bool,
) -> Result<Setup, ConfigError> {
    let path = absolutepath(invocation_dir, inifile);
    if !path.exists() {
        return Err(usage(format!(
            "Config file '{}' not found. Check your '-c/--config-file' option.",
            path.display()
        )));
    }
    if path.is_dir() {
        return Err(usage(format!(
            "Config file '{}' is a directory. Check your '-c/--config-file' option.",
            path.display()
        )));
    }
    let values = match loader_for(&path) {
        Some(loader) => load_with(loader, &path)?,
        None if path.is_file() => {
            return Err(usage(format!(
                "Config file '{}' has an unsupported format. Supported extensions are: .cfg, .ini, .toml.",
                path.display()
            )))
        }
        // A non-regular file such as /dev/null is the way to ask for no configuration.
        None => None,
    };
    let rootdir = if has_rootdir {
        PathBuf::new()
    } else if path.is_file() {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        let ancestor = common_ancestor(invocation_dir, dirs);
        if ancestor.parent().is_none() {
            invocation_dir.to_path_buf()
        } else {
            ancestor
        }
    };
    Ok((rootdir, Some(path), Some(values.unwrap_or_default())))
}

/// No `-c`: search upwards from the args' common ancestor, then fall back to `setup.py`.
fn setup_from_search(invocation_dir: &Path, dirs: &[PathBuf], has_rootdir: bool) -> Result<Setup, ConfigError> {
    let ancestor = common_ancestor(invocation_dir, dirs);
    if let Some(found) = locate_config(std::slice::from_ref(&ancestor))? {
        return Ok(found);
    }
    if has_rootdir {
        return Ok((PathBuf::new(), None, None));
    }
    if let Some(dir) = ancestor.ancestors().find(|dir| dir.join("setup.py").is_file()) {
        return Ok((dir.to_path_buf(), None, None));
    }
    if dirs != [ancestor.clone()] {
        if let Some(found) = locate_config(dirs)? {
            return Ok(found);
        }
    }
    let rootdir = common_ancestor(invocation_dir, &[invocation_dir.to_path_buf(), ancestor.clone()]);
    let rootdir = if rootdir.parent().is_none() { ancestor } else { rootdir };
    Ok((rootdir, None, None))
}

/// pytest's `locate_config`: the first directory upwards holding a config file that has a
/// pytest section; failing that, the first `pyproject.toml` seen (with no values).
fn locate_config(args: &[PathBuf]) -> Result<Option<Setup>, ConfigError> {
    let mut first_pyproject: Option<PathBuf> = None;
    for arg in args {
        for base in arg.ancestors() {
            for name in CONFIG_NAMES {
                let path = base.join(name);
                if !path.is_file() {
                    continue;
                }
                if name == "pyproject.toml" && first_pyproject.is_none() {
                    first_pyproject = Some(path.clone());
                }
                let loader = loader_for(&path).expect("every config name has a loader");
                if let Some(values) = load_with(loader, &path)? {
                    return Ok(Some((base.to_path_buf(), Some(path), Some(values))));
                }
            }
        }
    }
    Ok(first_pyproject.map(|path| (path.parent().map(Path::to_path_buf).unwrap_or_default(), Some(path), None)))
}

fn rootdir_from_option(invocation_dir: &Path, arg: &Path) -> Result<PathBuf, ConfigError> {
    let rootdir = absolutepath(invocation_dir, &expand_vars(arg));
    if !rootdir.is_dir() {
        return Err(usage(format!("Directory '{}' not found. Check your '--rootdir' option.", rootdir.display())));
    }
    Ok(rootdir)
}

/// `os.path.expandvars` for `$NAME` and `${NAME}`; unknown variables stay as written.
fn expand_vars(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    if !text.contains('$') {
        return path.to_path_buf();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            (&after[..end], end)
        };
        match std::env::var(name).ok().filter(|_| !name.is_empty()) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[pos..pos + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    PathBuf::from(out)
}

/// pytest's `get_dirs_from_args`: the existing paths named by the args, as directories.
fn dirs_from_args(invocation_dir: &Path, args: &[String]) -> Vec<PathBuf> {
    args.iter()
        .filter(|arg| !arg.starts_with('-'))
        .map(|arg| absolutepath(invocation_dir, Path::new(arg.split("::").next().unwrap_or(arg))))
        .filter(|path| path.exists())
        .map(|path| if path.is_dir() { path } else { path.parent().map(Path::to_path_buf).unwrap_or(path) })
        .collect()
}

/// pytest's `get_common_ancestor`.
pub(crate) fn common_ancestor(invocation_dir: &Path, paths: &[PathBuf]) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for path in paths.iter().filter(|p| p.exists()) {
        common = Some(match common {
            None => path.clone(),
            Some(current) if path.starts_with(&current) => current,
            Some(current) => common_prefix(&current, path),
        });
    }
    match common {
        None => invocation_dir.to_path_buf(),
        Some(path) if path.is_file() => path.parent().map(Path::to_path_buf).unwrap_or(path),
        Some(path) => path,
    }
}

fn common_prefix(a: &Path, b: &Path) -> PathBuf {
    a.components().zip(b.components()).take_while(|(x, y)| x == y).map(|(x, _)| x).collect()
}

/// `os.path.abspath(base / path)`: absolute and lexically normalized, symlinks kept.
pub(crate) fn absolutepath(base: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in base.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn usage(message: String) -> ConfigError {
    ConfigError::Usage { message }
}

/// How a config file is read, chosen by name first and then by suffix (as pytest does).
#[derive(Debug, Clone, Copy)]
enum Loader {
    PytestToml,
    PytestIni,
    Pyproject,
    IniFile,
    CfgFile,
    CustomToml,
}

fn loader_for(path: &Path) -> Option<Loader> {
    let name = path.file_name()?.to_str()?;
    let by_name = match name {
        "pytest.toml" | ".pytest.toml" => Some(Loader::PytestToml),
        "pytest.ini" | ".pytest.ini" => Some(Loader::PytestIni),
        "pyproject.toml" => Some(Loader::Pyproject),
        "tox.ini" => Some(Loader::IniFile),
        "setup.cfg" => Some(Loader::CfgFile),
        _ => None,
    };
    by_name.or_else(|| match path.extension()?.to_str()? {
        "ini" => Some(Loader::IniFile),
        "cfg" => Some(Loader::CfgFile),
        "toml" => Some(Loader::CustomToml),
        _ => None,
    })
}

type Values = BTreeMap<String, IniValue>;

/// The pytest values in `path`, or `None` if the file has no pytest section.
fn load_with(loader: Loader, path: &Path) -> Result<Option<Values>, ConfigError> {
    let text = read_text(path)?;
    match loader {
        Loader::PytestIni => Ok(Some(ini_section(path, &text, "pytest")?.unwrap_or_default())),
        Loader::IniFile => ini_section(path, &text, "pytest"),
        Loader::CfgFile => load_cfg(path, &text),
        Loader::PytestToml => Ok(Some(toml_pytest_table(path, &parse_toml(path, &text)?)?.unwrap_or_default())),
        Loader::Pyproject => toml_tool_pytest(path, &parse_toml(path, &text)?),
        Loader::CustomToml => load_custom_toml(path, &parse_toml(path, &text)?),
    }
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|e| ConfigError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })
}

fn ini_section(path: &Path, text: &str, section: &str) -> Result<Option<Values>, ConfigError> {
    let sections = crate::ini::parse(text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        line: e.line,
        message: e.message,
    })?;
    Ok(sections
        .into_iter()
        .find(|(name, _)| name == section)
        .map(|(_, entries)| entries.into_iter().map(|(k, v)| (k, IniValue::Text(v))).collect()))
}

/// `setup.cfg` is read from `[tool:pytest]`; a plain `[pytest]` there is an error.
fn load_cfg(path: &Path, text: &str) -> Result<Option<Values>, ConfigError> {
    if let Some(values) = ini_section(path, text, "tool:pytest")? {
        return Ok(Some(values));
    }
    if ini_section(path, text, "pytest")?.is_some() {
        return Err(usage(
            "[pytest] section in setup.cfg files is no longer supported, change to [tool:pytest] instead.".to_string(),
        ));
    }
    Ok(None)
}

fn parse_toml(path: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1).unwrap_or(1);
        ConfigError::Parse { path: path.to_path_buf(), line, message: e.message().to_string() }
    })
}

/// `pytest.toml`'s `[pytest]` table; options outside any table are a usage error.
fn toml_pytest_table(path: &Path, doc: &toml::Table) -> Result<Option<Values>, ConfigError> {
    if let Some(table) = doc.get("pytest").and_then(toml::Value::as_table) {
        return Ok(Some(table_values(table)));
    }
    let top_level: Vec<&str> = doc.iter().filter(|(_, v)| !v.is_table()).map(|(k, _)| k.as_str()).collect();
    if !top_level.is_empty() {
        return Err(usage(format!(
            "{}: pytest configuration must be under a [pytest] table (found top-level options: {})",
            path.display(),
            top_level.join(", ")
        )));
    }
    Ok(None)
}

/// `pyproject.toml`: `[tool.pytest]` (native) or `[tool.pytest.ini_options]`, not both.
fn toml_tool_pytest(path: &Path, doc: &toml::Table) -> Result<Option<Values>, ConfigError> {
    let Some(tool_pytest) = doc.get("tool").and_then(|t| t.get("pytest")).and_then(toml::Value::as_table) else {
        return Ok(None);
    };
    let native: toml::Table =
        tool_pytest.iter().filter(|(k, _)| *k != "ini_options").map(|(k, v)| (k.clone(), v.clone())).collect();
    let ini_options = tool_pytest.get("ini_options").and_then(toml::Value::as_table);
    match (native.is_empty(), ini_options) {
        (false, Some(_)) => Err(usage(format!(
            "{}: Cannot use both [tool.pytest] (native TOML types) and [tool.pytest.ini_options] (string-based INI format) simultaneously. Please use [tool.pytest] with native TOML types (recommended) or [tool.pytest.ini_options] for backwards compatibility.",
            path.display()
        ))),
        (false, None) => Ok(Some(table_values(&native))),
        (true, Some(options)) => Ok(Some(table_values(options))),
        (true, None) => Ok(None),
    }
}

/// A TOML file passed with `-c`: `[pytest]`, or the `pyproject.toml` tables, not both.
fn load_custom_toml(path: &Path, doc: &toml::Table) -> Result<Option<Values>, ConfigError> {
    match toml_tool_pytest(path, doc)? {
        None => toml_pytest_table(path, doc),
        Some(_) if doc.contains_key("pytest") => Err(usage(format!(
            "{}: Cannot use both [pytest] and [tool.pytest]/[tool.pytest.ini_options] in the same file. Please use [pytest], which is what pytest's own configuration files use; the [tool.pytest] tables are meant for pyproject.toml.",
            path.display()
        ))),
        found => Ok(found),
    }
}

/// TOML values as pytest's ini mode sees them: lists stay lists, scalars become their
/// Python `str()`.
fn table_values(table: &toml::Table) -> Values {
    table
        .iter()
        .map(|(key, value)| {
            let value = match value {
                toml::Value::Array(items) => IniValue::List(items.iter().map(python_str).collect()),
                scalar => IniValue::Text(python_str(scalar)),
            };
            (key.clone(), value)
        })
        .collect()
}

fn python_str(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Boolean(true) => "True".to_string(),
        toml::Value::Boolean(false) => "False".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
