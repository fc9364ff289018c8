//! `dedup normalize`: stdin to stdout through the same per-document
//! functions as `run` (clean, language, name variants from the alias
//! tables). There is no corpus, so nothing is learned: case and diacritic
//! variants that `run` learns from a corpus are not unified here.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use dedup::normalize::variants::{VariantModel, VariantsConfig};
use dedup::normalize::{NormalizeConfig, Normalizer, match_key};
use dedup::pipeline::{normalize_text, variant_aliases};

use crate::cli::NormalizeArgs;

pub fn run(args: NormalizeArgs) -> anyhow::Result<ExitCode> {
    let normalizer = Normalizer::new(NormalizeConfig {
        punct: super::punct_style(args.punct),
    });
    let config = VariantsConfig {
        user_aliases: super::user_aliases(args.aliases.as_deref())?,
        apply: !args.keep_variants,
        learn: false,
        ..VariantsConfig::default()
    };
    let model = VariantModel::aliases_only(variant_aliases(&config, &normalizer)?, config.apply);
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read stdin")?;
    let decoded = match dedup::ingest::decode::decode(&bytes) {
        dedup::ingest::decode::Decoding::Text(d) => d,
        dedup::ingest::decode::Decoding::Binary(kind) => {
            anyhow::bail!("stdin looks like {kind}, not text")
        }
    };
    if decoded.replaced > 0 {
        eprintln!(
            "dedup: stdin: {} invalid {} sequences replaced with U+FFFD",
            decoded.replaced, decoded.encoding
        );
    }
    let normalized = normalize_text(&decoded.text, args.lang.as_deref(), &normalizer, &model);
    let mut out = if args.keys {
        match_key(&normalized.text)
    } else {
        normalized.text
    };
    out.push('\n');
    super::print(&out)
}
