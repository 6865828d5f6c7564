//! Pins the binary to the libpython it was built against.
//!
//! Another `libpython3.X.so.1.0` with the same soname (the system's, say) may come first on the
//! loader's default path; an rpath to the build interpreter's LIBDIR makes the binary load the
//! right one from any directory without LD_LIBRARY_PATH. The executor's build script finds
//! that LIBDIR (it is the only crate that knows pyo3) and hands it over through `links`.
fn main() {
    if let Ok(libdir) = std::env::var("DEP_FERROTEST_PYTHON_LIBDIR") {
        println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{libdir}");
    }
}
