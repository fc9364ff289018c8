//! The `dedup` binary: parse the command line, run the command, report.
//!
//! Exit codes: 0 when the command did its job (documents with problems are
//! counted, not fatal), 1 when `run --strict` wrote its output but found
//! problems, 2 on a usage error or a fatal error such as a missing input or
//! an unwritable output folder (the message names the path). A closed stdout
//! (`| head`) is not an error.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::dispatch(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dedup: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
