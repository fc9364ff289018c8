//! `dedup explain`: why two documents were, or were not, put together.

use std::process::ExitCode;

use anyhow::bail;

use crate::cli::ExplainArgs;

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let explanation = match args.items.as_slice() {
        [out, a, b] => dedup::explain::explain_run(
            out,
            &args.inputs,
            &a.to_string_lossy(),
            &b.to_string_lossy(),
            args.spans,
        )?,
        [a, b] if a.is_dir() => bail!(
            "{} is a folder: give a run's output folder and two documents (dedup explain OUT A B), or two files",
            a.display()
        ),
        [a, b] => dedup::explain::explain_files(a, b, args.spans)?,
        _ => bail!("give a run's output folder and two documents, or two files"),
    };
    let out = if args.json {
        serde_json::to_string_pretty(&explanation)? + "\n"
    } else {
        explanation.render()
    };
    super::print(&out)
}
