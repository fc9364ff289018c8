//! `dedup eval`: score a run's clusters.csv against a labelled sample.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::EvalArgs;

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let clusters = if args.clusters.is_dir() {
        args.clusters.join("clusters.csv")
    } else {
        args.clusters
    };
    let gold = dedup::eval::read_gold(&args.gold)?;
    let predicted = dedup::eval::read_clusters(&clusters)?;
    let report = dedup::eval::evaluate(&gold, &predicted, args.worst).with_context(|| {
        format!(
            "cannot score {} against {}",
            clusters.display(),
            args.gold.display()
        )
    })?;
    let out = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        report.render()
    };
    super::print(&out)
}
