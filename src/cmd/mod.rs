//! One module per subcommand; this file only dispatches.

mod normalize;
mod run;

use std::process::ExitCode;

use crate::cli::{Cli, Command, Punct};

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run::run(*args),
        Command::Normalize(args) => normalize::run(args),
    }
}

fn punct_style(p: Punct) -> dedup::normalize::PunctStyle {
    use dedup::normalize::PunctStyle;
    match p {
        Punct::Straight => PunctStyle::Straight,
        Punct::Curly => PunctStyle::Curly,
        Punct::Keep => PunctStyle::Keep,
    }
}
