//! Starting the embedded CPython as the user's interpreter, and loading ferrotest's Python side.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::error::ExecutorError;
use crate::python_env::PythonEnv;

const PACKAGE: &str = "ferrotest_runtime";
const PACKAGE_INIT: &str = include_str!("../python/ferrotest_runtime/__init__.py");
/// The submodules, imported lazily by the package's finder.
const SUBMODULES: &[(&str, &str)] = &[
    ("assertrepr", include_str!("../python/ferrotest_runtime/assertrepr.py")),
    ("asyncio_plugin", include_str!("../python/ferrotest_runtime/asyncio_plugin.py")),
    ("awaitimport", include_str!("../python/ferrotest_runtime/awaitimport.py")),
    ("builtins", include_str!("../python/ferrotest_runtime/builtins.py")),
    ("cache", include_str!("../python/ferrotest_runtime/cache.py")),
    ("capfixtures", include_str!("../python/ferrotest_runtime/capfixtures.py")),
    ("capture", include_str!("../python/ferrotest_runtime/capture.py")),
    ("codecache", include_str!("../python/ferrotest_runtime/codecache.py")),
    ("collect", include_str!("../python/ferrotest_runtime/collect.py")),
    ("config", include_str!("../python/ferrotest_runtime/config.py")),
    ("doctests", include_str!("../python/ferrotest_runtime/doctests.py")),
    ("enrich", include_str!("../python/ferrotest_runtime/enrich.py")),
    ("fixtures", include_str!("../python/ferrotest_runtime/fixtures.py")),
    ("importing", include_str!("../python/ferrotest_runtime/importing.py")),
    ("hooks", include_str!("../python/ferrotest_runtime/hooks.py")),
    ("logcapture", include_str!("../python/ferrotest_runtime/logcapture.py")),
    ("loghandlers", include_str!("../python/ferrotest_runtime/loghandlers.py")),
    ("logplugin", include_str!("../python/ferrotest_runtime/logplugin.py")),
    ("marks", include_str!("../python/ferrotest_runtime/marks.py")),
    ("metafunc", include_str!("../python/ferrotest_runtime/metafunc.py")),
    ("nodes", include_str!("../python/ferrotest_runtime/nodes.py")),
    ("outcomes", include_str!("../python/ferrotest_runtime/outcomes.py")),
    ("params", include_str!("../python/ferrotest_runtime/params.py")),
    ("plugins", include_str!("../python/ferrotest_runtime/plugins.py")),
    ("prettyprint", include_str!("../python/ferrotest_runtime/prettyprint.py")),
    ("pytestconfigure", include_str!("../python/ferrotest_runtime/pytestconfigure.py")),
    ("recwarn", include_str!("../python/ferrotest_runtime/recwarn.py")),
    ("request", include_str!("../python/ferrotest_runtime/request.py")),
    ("rewrite", include_str!("../python/ferrotest_runtime/rewrite.py")),
    ("rewrite_ast", include_str!("../python/ferrotest_runtime/rewrite_ast.py")),
    ("run", include_str!("../python/ferrotest_runtime/run.py")),
    ("skipping", include_str!("../python/ferrotest_runtime/skipping.py")),
    ("subtests", include_str!("../python/ferrotest_runtime/subtests.py")),
    ("tbformat", include_str!("../python/ferrotest_runtime/tbformat.py")),
    ("terminalsummary", include_str!("../python/ferrotest_runtime/terminalsummary.py")),
    ("tmpdir", include_str!("../python/ferrotest_runtime/tmpdir.py")),
    ("unittest_result", include_str!("../python/ferrotest_runtime/unittest_result.py")),
    ("warncapture", include_str!("../python/ferrotest_runtime/warncapture.py")),
];

/// The environment a fork server initialised this process's interpreter for: the server's
/// children run sessions in it without initialising again.
static SERVED: OnceLock<PythonEnv> = OnceLock::new();

/// Initialise the interpreter of a fork server, which its children inherit.
pub(crate) fn initialize_for_server(env: &PythonEnv) -> Result<(), ExecutorError> {
    initialize(env)?;
    SERVED.get_or_init(|| env.clone());
    Ok(())
}

/// Whether this process is a fork server or one of its children.
pub(crate) fn served() -> bool {
    SERVED.get().is_some()
}

/// Initialise CPython through `PyConfig` with `executable` set to the environment's python,
/// so getpath finds its `pyvenv.cfg` and `sys.prefix`/site-packages are the venv's.
pub(crate) fn initialize(env: &PythonEnv) -> Result<(), ExecutorError> {
    let executable = c_string(env.executable.as_os_str().as_bytes())?;
    let argv: Vec<CString> = std::env::args_os().map(|a| c_string(a.as_bytes())).collect::<Result<_, _>>()?;
    let mut argv_ptrs: Vec<*const std::os::raw::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: the config is initialised by PyConfig_InitPythonConfig before use and cleared
    // afterwards; every pointer handed over outlives the calls that read it.
    unsafe {
        if ffi::Py_IsInitialized() != 0 {
            if SERVED.get() == Some(env) {
                // A fork server's child: the server initialised it for this environment.
                return Ok(());
            }
            return Err(ExecutorError::Init("the interpreter is already initialised in this process".into()));
        }
        let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
        ffi::PyConfig_InitPythonConfig(config.as_mut_ptr());
        let mut config = config.assume_init();
        // ferrotest's own command line is not the interpreter's: only sys.argv shows it.
        config.parse_argv = 0;
        let result = configure(&raw mut config, &executable, &mut argv_ptrs)
            .and_then(|()| check(ffi::Py_InitializeFromConfig(&config)));
        ffi::PyConfig_Clear(&mut config);
        result?;
        // pyo3 attaches per call; the initialising thread must not keep the GIL.
        ffi::PyEval_SaveThread();
    }
    Ok(())
}

/// SAFETY: `config` must point to an initialised config; the strings must outlive the call.
unsafe fn configure(
    config: *mut ffi::PyConfig,
    executable: &CStr,
    argv: &mut [*const std::os::raw::c_char],
) -> Result<(), ExecutorError> {
    unsafe {
        check(ffi::PyConfig_SetBytesString(config, &raw mut (*config).executable, executable.as_ptr()))?;
        check(ffi::PyConfig_SetBytesString(config, &raw mut (*config).program_name, executable.as_ptr()))?;
        check(ffi::PyConfig_SetBytesArgv(config, argv.len() as ffi::Py_ssize_t, argv.as_mut_ptr()))
    }
}

fn check(status: ffi::PyStatus) -> Result<(), ExecutorError> {
    // SAFETY: PyStatus is plain data; err_msg is null or a static C string.
    unsafe {
        if ffi::PyStatus_Exception(status) == 0 {
            return Ok(());
        }
        let message = if status.err_msg.is_null() {
            format!("exit status {}", status.exitcode)
        } else {
            CStr::from_ptr(status.err_msg).to_string_lossy().into_owned()
        };
        Err(ExecutorError::Init(message))
    }
}

fn c_string(bytes: &[u8]) -> Result<CString, ExecutorError> {
    CString::new(bytes).map_err(|_| ExecutorError::Init("a path or argument contains a NUL byte".into()))
}

/// Create the `ferrotest_runtime` package in `sys.modules` from the embedded sources; in a
/// fork server's child, where the server created it, point it at this run's code cache.
pub(crate) fn install_runtime(py: Python<'_>) -> PyResult<()> {
    let cache_dir = crate::session::code_cache_dir();
    let cache_dir = cache_dir.as_deref().map(std::path::Path::as_os_str);
    let salt = concat!("ferrotest-runtime-", env!("CARGO_PKG_VERSION"));
    if let Ok(package) = py.import("sys")?.getattr("modules")?.get_item(PACKAGE) {
        package.call_method1("use_cache", (cache_dir, salt))?;
        return Ok(());
    }
    let package = PyModule::new(py, PACKAGE)?;
    package.setattr("__path__", PyList::empty(py))?;
    package.setattr("__package__", PACKAGE)?;
    py.import("sys")?.getattr("modules")?.set_item(PACKAGE, &package)?;
    crate::background_fs::install(py, &package)?;
    let builtins = py.import("builtins")?;
    let code = builtins.call_method1("compile", (PACKAGE_INIT, format!("<{PACKAGE}/__init__.py>"), "exec"))?;
    builtins.call_method1("exec", (code, package.dict()))?;
    let sources = PyDict::new(py);
    for (name, source) in SUBMODULES {
        sources.set_item(name, source)?;
    }
    package.call_method1("install", (sources, cache_dir, salt))?;
    Ok(())
}
