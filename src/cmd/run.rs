//! `dedup run`: build a [`RunConfig`] from the arguments, run, summarize.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::RwLock;

use indicatif::{ProgressBar, ProgressStyle};

use dedup::cluster::ClusterConfig;
use dedup::ingest::{FieldMap, Limits};
use dedup::minhash::LshConfig;
use dedup::normalize::NormalizeConfig;
use dedup::normalize::variants::{FuzzyConfig, VariantsConfig};
use dedup::pipeline::{self, RunConfig, Summary};
use dedup::shingle::ShingleConfig;

use crate::cli::{FieldArgs, RunArgs};

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let (quiet, strict) = (args.quiet, args.strict);
    let config = config(args)?;
    dedup::output::check_target(&config)?;
    let summary = if !quiet && std::io::stderr().is_terminal() {
        pipeline::run(&config, &Bars::default())?
    } else {
        pipeline::run(&config, &pipeline::Silent)?
    };
    if !quiet {
        eprint!("{}", render(&summary, &config));
    }
    if strict {
        let problems = strict_problems(&summary);
        if !problems.is_empty() {
            eprintln!(
                "dedup: --strict: {}; output written to {}, exit code 1",
                problems.join(", "),
                config.output.display()
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Flags that say the input itself was damaged or cut, as opposed to notes
/// on a sound document (`too-short`, `boilerplate-kept`, `wall`,
/// `shingles-capped`).
const DAMAGE_FLAGS: &[&str] = &["replaced", "nul", "truncated"];

/// What `--strict` counts as a problem, one phrase per kind: documents with a
/// status other than `ok`, documents whose input was damaged, and walk
/// warnings (symbolic link loops, special files). Empty when there is none.
fn strict_problems(s: &Summary) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, n) in &s.problems {
        out.push(format!("{n} {kind}"));
    }
    for flag in DAMAGE_FLAGS {
        if let Some(n) = s.flags.get(*flag) {
            out.push(format!("{n} {flag}"));
        }
    }
    if !s.warnings.is_empty() {
        out.push(format!("{} warnings", s.warnings.len()));
    }
    if s.documents == 0 {
        out.push("no documents".to_owned());
    }
    out
}

/// The warning for a run that found nothing to read: an empty folder, or one
/// whose files all have other extensions, is more often a wrong path or a
/// missing `--text-field` than a real empty corpus.
fn no_documents_warning(s: &Summary) -> Option<String> {
    (s.documents == 0).then(|| {
        format!(
            "  warning: no documents found in the input ({} files with other extensions skipped); \
             dedup reads .txt, .md, .jsonl, .ndjson, .csv and .tsv files, or any file named directly\n",
            s.skipped_files
        )
    })
}

fn config(args: RunArgs) -> anyhow::Result<RunConfig> {
    let mut config = RunConfig::new(args.inputs, args.output);
    config.force = args.force;
    config.write_documents = args.documents;
    config.threads = args.threads.map(usize::from);
    config.fields = fields(args.fields);
    config.keep_boilerplate = args.keep_boilerplate;
    config.boilerplate_report = args.boilerplate_report;
    config.learn_budget =
        usize::try_from(args.learn_budget_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
    config.normalize = NormalizeConfig {
        punct: super::punct_style(args.punct),
    };
    config.variants = VariantsConfig {
        user_aliases: super::user_aliases(args.variants.aliases.as_deref())?,
        apply: !args.variants.keep_variants,
        learn: true,
        fuzzy: FuzzyConfig {
            apply: args.variants.apply_suggested,
            ..FuzzyConfig::default()
        },
    };
    config.raw_csv = args.raw_csv;
    config.limits = Limits::for_text((args.max_text_mib as usize) << 20);
    config.all_languages = args.all_languages;
    let t = args.tuning;
    let (s, l, c) = (
        ShingleConfig::default(),
        LshConfig::default(),
        ClusterConfig::default(),
    );
    config.shingle = ShingleConfig {
        word_n: t.shingle_words.map_or(s.word_n, usize::from),
        char_n: t.shingle_chars.map_or(s.char_n, usize::from),
        ..s
    };
    config.lsh = LshConfig {
        bands: t.bands.map_or(l.bands, usize::from),
        rows: t.rows.map_or(l.rows, usize::from),
        ..l
    };
    config.cluster = ClusterConfig {
        jaccard: t.jaccard.unwrap_or(c.jaccard),
        containment: t.containment.unwrap_or(c.containment),
        ..c
    };
    Ok(config)
}

fn fields(args: FieldArgs) -> FieldMap {
    let mut map = FieldMap::default();
    for (arg, slot) in [
        (args.text_field, &mut map.text),
        (args.title_field, &mut map.title),
        (args.date_field, &mut map.date),
        (args.url_field, &mut map.url),
        (args.source_field, &mut map.source),
        (args.lang_field, &mut map.lang),
    ] {
        if let Some(name) = arg {
            *slot = vec![name];
        }
    }
    map
}

/// The stderr summary: a few lines a person reads at a glance.
fn render(s: &Summary, config: &RunConfig) -> String {
    let mut out = String::new();
    let langs: Vec<String> = {
        let mut v: Vec<(&String, &usize)> = s.languages.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter().map(|(l, n)| format!("{l} {n}")).collect()
    };
    out.push_str(&format!(
        "dedup: {} documents, {} clusters, {} duplicates in {} clusters with copies\n",
        s.documents, s.clusters, s.duplicates, s.duplicate_clusters
    ));
    if !langs.is_empty() {
        out.push_str(&format!("  languages: {}\n", langs.join(", ")));
    }
    let learned = learned_removals(s);
    out.push_str(&format!(
        "  boilerplate: {} spans removed ({} learned, from {} sources)\n",
        s.boilerplate_removed, learned, s.boilerplate_learned_sources
    ));
    if config.boilerplate_report {
        out.push_str(&format!(
            "  boilerplate report: {} learned spans in boilerplate.csv\n",
            s.boilerplate_report_rows
        ));
    }
    let verb = if config.variants.apply {
        "unified"
    } else {
        "found (kept)"
    };
    let rules: Vec<String> = s
        .variants_by_rule
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    out.push_str(&format!(
        "  variants: {} {verb}{}, {} kept, {} suggested (see variants.csv)\n",
        s.variants_unified,
        if rules.is_empty() {
            String::new()
        } else {
            format!(" ({})", rules.join(", "))
        },
        s.variants_kept,
        s.variants_suggested
    ));
    out.push_str(&problems_line(s));
    if s.skipped_files > 0 {
        out.push_str(&format!(
            "  skipped: {} files with other extensions\n",
            s.skipped_files
        ));
    }
    if let Some(w) = no_documents_warning(s) {
        out.push_str(&w);
    }
    for w in &s.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    out.push_str(&format!(
        "  output: {} ({:.2} s, {} threads)\n",
        config.output.display(),
        s.seconds,
        s.threads
    ));
    out
}

/// Cuts made by the learned detector, of any learned kind (`learned`, and
/// `learned:teaser` for a teaser found by a learned label).
fn learned_removals(s: &Summary) -> usize {
    s.boilerplate_by_kind
        .iter()
        .filter(|(k, _)| *k == "learned" || k.starts_with("learned:"))
        .map(|(_, n)| n)
        .sum()
}

/// The summary's problems line: documents not processed, by status, then
/// the warnings of processed documents, which are not problems ("0
/// documents not processed; too-short 1" read as if one had failed).
fn problems_line(s: &Summary) -> String {
    let join = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let problems: usize = s.problems.values().sum();
    let mut line = if problems > 0 {
        format!(
            "  problems: {problems} documents not processed ({})",
            join(&s.problems)
        )
    } else {
        "  problems: none".to_owned()
    };
    if !s.flags.is_empty() {
        line.push_str(&format!("; warnings: {}", join(&s.flags)));
    }
    line.push('\n');
    line
}

/// Progress bars on stderr (only when it is a terminal): one per phase, with
/// a count and a rate.
#[derive(Default)]
struct Bars {
    bar: RwLock<Option<ProgressBar>>,
}

impl pipeline::Progress for Bars {
    fn start(&self, phase: &'static str, total: u64) {
        let bar = ProgressBar::new(total);
        let style = ProgressStyle::with_template(
            "{prefix:>9} [{bar:30}] {human_pos}/{human_len} {per_sec} {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(phase);
        if let Ok(mut slot) = self.bar.write() {
            if let Some(old) = slot.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(slot) = self.bar.read() {
            if let Some(bar) = slot.as_ref() {
                bar.inc(n);
            }
        }
    }

    fn finish(&self) {
        if let Ok(mut slot) = self.bar.write() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_counts_problems_damage_and_walk_warnings_only() {
        // (problem kinds, flags, walk warnings, what --strict reports)
        type Case = (
            &'static [(&'static str, usize)],
            &'static [(&'static str, usize)],
            usize,
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            (&[], &[], 0, &[]),
            (
                &[],
                &[
                    ("too-short", 3),
                    ("boilerplate-kept", 1),
                    ("shingles-capped", 1),
                ],
                0,
                &[],
            ),
            (
                &[("binary", 2), ("parse", 1)],
                &[],
                0,
                &["2 binary", "1 parse"],
            ),
            (
                &[],
                &[
                    ("replaced", 4),
                    ("nul", 1),
                    ("truncated", 2),
                    ("too-short", 9),
                ],
                0,
                &["4 replaced", "1 nul", "2 truncated"],
            ),
            (&[("empty", 1)], &[], 2, &["1 empty", "2 warnings"]),
        ];
        for (problems, flags, warnings, want) in cases {
            let mut s = Summary {
                documents: 10,
                ..Summary::default()
            };
            for (k, n) in *problems {
                s.problems.insert((*k).to_owned(), *n);
            }
            for (k, n) in *flags {
                s.flags.insert((*k).to_owned(), *n);
            }
            s.warnings = vec!["a loop".to_owned(); *warnings];
            assert_eq!(strict_problems(&s), *want, "{problems:?} {flags:?}");
        }
        // An input without any document is a problem of its own.
        assert_eq!(strict_problems(&Summary::default()), ["no documents"]);
    }

    #[test]
    fn summary_counts_every_learned_kind_and_tells_problems_from_warnings() {
        // (removals by kind, learned count)
        let kinds: &[(&[(&str, usize)], usize)] = &[
            (&[], 0),
            (&[("lexicon:promo", 5)], 0),
            (&[("learned", 3), ("lexicon:share", 2)], 3),
            (&[("learned:teaser", 2620)], 2620),
            (
                &[
                    ("learned", 16),
                    ("learned:teaser", 4),
                    ("lexicon:teaser", 9),
                ],
                20,
            ),
        ];
        for (by_kind, want) in kinds {
            let mut s = Summary::default();
            for (k, n) in *by_kind {
                s.boilerplate_by_kind.insert((*k).to_owned(), *n);
            }
            assert_eq!(learned_removals(&s), *want, "{by_kind:?}");
        }
        // (problems, warnings, line)
        type Case = (
            &'static [(&'static str, usize)],
            &'static [(&'static str, usize)],
            &'static str,
        );
        let cases: &[Case] = &[
            (&[], &[], "  problems: none\n"),
            (
                &[],
                &[("too-short", 1)],
                "  problems: none; warnings: too-short 1\n",
            ),
            (
                &[("binary", 2), ("parse", 1)],
                &[],
                "  problems: 3 documents not processed (binary 2, parse 1)\n",
            ),
            (
                &[("empty", 1)],
                &[("confusables", 6), ("nul", 1)],
                "  problems: 1 documents not processed (empty 1); warnings: confusables 6, nul 1\n",
            ),
        ];
        for (problems, flags, want) in cases {
            let mut s = Summary::default();
            for (k, n) in *problems {
                s.problems.insert((*k).to_owned(), *n);
            }
            for (k, n) in *flags {
                s.flags.insert((*k).to_owned(), *n);
            }
            assert_eq!(problems_line(&s), *want);
        }
    }
}
