//! `dedup normalize`: stdin to stdout through the same normalizer as `run`.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use dedup::normalize::{NormalizeConfig, Normalizer, match_key};

use crate::cli::NormalizeArgs;

pub fn run(args: NormalizeArgs) -> anyhow::Result<ExitCode> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read stdin")?;
    let text = match dedup::ingest::decode::decode(&bytes) {
        dedup::ingest::decode::Decoding::Text(d) => d.text,
        dedup::ingest::decode::Decoding::Binary(kind) => {
            anyhow::bail!("stdin looks like {kind}, not text")
        }
    };
    let normalizer = Normalizer::new(NormalizeConfig {
        punct: super::punct_style(args.punct),
    });
    let mut out = if args.keys {
        match_key(&text)
    } else {
        normalizer.clean(&text)
    };
    out.push('\n');
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .context("cannot write stdout")?;
    stdout.flush().context("cannot write stdout")?;
    Ok(ExitCode::SUCCESS)
}
