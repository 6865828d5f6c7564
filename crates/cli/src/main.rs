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

use ferrotest_executor::forkserver::ServeArgs;

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    // A fork server (which ferrotest starts itself) runs `run::main` in a child per run.
    let code = match ServeArgs::from_argv(&argv) {
        Some(server) => server.serve(run::main),
        None => {
            let code = run::main(argv);
            // Old sessions' temporary directories may still be going (a served run's child
            // waits for them after its client has the exit code).
            ferrotest_executor::finish_chores();
            code
        }
    };
    ExitCode::from(code as u8)
}
