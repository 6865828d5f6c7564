//! `ferrotest`: pytest's command line over ferrotest's stages. This crate only composes:
//! every behaviour lives in the library crates.

mod args;
mod cache;
mod logging_args;
mod run;
mod selection;
mod settings;
mod showfixtures;
mod terminal;

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    ExitCode::from(run::main(argv) as u8)
}
