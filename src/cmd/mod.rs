//! One module per subcommand; this file only dispatches.

mod eval;
mod explain;
mod normalize;
mod run;

use std::process::ExitCode;

use crate::cli::{Cli, Command, Punct};

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::run(*args),
        Command::Normalize(args) => normalize::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Explain(args) => explain::run(args),
    }
}

/// Write a command's whole answer to stdout; success once it is flushed.
fn print(out: &str) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .context("cannot write stdout")?;
    stdout.flush().context("cannot write stdout")?;
    Ok(ExitCode::SUCCESS)
}

fn punct_style(p: Punct) -> dedup::normalize::PunctStyle {
    use dedup::normalize::PunctStyle;
    match p {
        Punct::Straight => PunctStyle::Straight,
        Punct::Curly => PunctStyle::Curly,
        Punct::Keep => PunctStyle::Keep,
    }
}

/// Read the user's alias file, if one was given. An error names the file
/// and the line, and stops the command before anything is written.
fn user_aliases(
    path: Option<&std::path::Path>,
) -> anyhow::Result<Option<dedup::normalize::aliases::UserAliases>> {
    path.map(dedup::normalize::aliases::load_user).transpose()
}
