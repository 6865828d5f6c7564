//! Publishes the build interpreter's LIBDIR and version, and pins this crate's own test
//! binaries to that libpython (see crates/cli/build.rs for why).
fn main() {
    let config = pyo3_build_config::get();
    if let Some(libdir) = config.lib_dir() {
        println!("cargo:libdir={libdir}");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{libdir}");
    }
    println!("cargo:rustc-env=FERROTEST_BUILD_PYTHON_VERSION={}.{}", config.version().major, config.version().minor);
    if let Some(executable) = config.executable() {
        println!("cargo:rustc-env=FERROTEST_BUILD_PYTHON={executable}");
    }
    println!("cargo:rerun-if-changed=python");
}
