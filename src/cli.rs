//! Command-line arguments (clap derive).
//!
//! This layer only describes and validates arguments; it does no I/O and no
//! work. `cmd::*` turns these into the library's validated configs, so no
//! stage ever sees a clap type.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Cluster near-duplicate news articles, strip inline boilerplate and unify
/// name variants in scraped multilingual corpora.
#[derive(Debug, Parser)]
#[command(name = "dedup", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a folder of articles and write clusters and cleaned articles as CSV.
    Run(Box<RunArgs>),
    /// Normalize text from stdin to stdout, the same way `run` cleans articles.
    Normalize(NormalizeArgs),
    /// Score a run's clusters.csv against a labelled sample (GOLD.csv).
    Eval(EvalArgs),
    /// Say why two documents were, or were not, put together.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The labelled sample: a CSV with a `cluster` column and a `doc_id` or
    /// `path` column naming documents as clusters.csv does.
    #[arg(long, value_name = "GOLD.csv")]
    pub gold: PathBuf,

    /// The clusters.csv of a run (or its output folder).
    #[arg(value_name = "CLUSTERS")]
    pub clusters: PathBuf,

    /// How many of the worst false merges and misses to list. [default: 10]
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10,
        hide_default_value = true
    )]
    pub worst: usize,

    /// Print the report as JSON. [default: text]
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A run's output folder, then two documents of it (doc_id or path); or
    /// two files to compare directly.
    #[arg(value_name = "OUT A B | FILE FILE", num_args = 2..=3, required = true)]
    pub items: Vec<PathBuf>,

    /// The run's input folder or file, to read again a document whose cleaned
    /// text the output does not hold; repeat for several. [default: none]
    #[arg(long = "input", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// How many shared spans to show. [default: 5]
    #[arg(long, value_name = "N", default_value_t = 5, hide_default_value = true)]
    pub spans: usize,

    /// Print the explanation as JSON. [default: text]
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Folders (walked recursively, in sorted order) or files to read:
    /// .txt/.md, .jsonl/.ndjson, .csv/.tsv.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Output folder. [default: dedup-out]
    #[arg(
        short,
        long,
        value_name = "DIR",
        default_value = "dedup-out",
        hide_default_value = true
    )]
    pub output: PathBuf,

    /// Replace the output folder if it exists. [default: refuse]
    #[arg(short, long)]
    pub force: bool,

    /// Also write documents.csv: every document's cleaned text. [default: off]
    #[arg(long)]
    pub documents: bool,

    /// Worker threads. [default: one per core]
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Do not remove boilerplate (wall pages are still flagged `wall`).
    /// [default: remove]
    #[arg(long)]
    pub keep_boilerplate: bool,

    /// Write boilerplate.csv: the spans the learned detector found in each
    /// source, with counts, for review. [default: off]
    #[arg(long, conflicts_with = "keep_boilerplate")]
    pub boilerplate_report: bool,

    /// Text (MiB) the learned boilerplate detector reads at most; a larger
    /// corpus is sampled fairly across sources. [default: 256]
    #[arg(
        long,
        default_value_t = 256,
        value_name = "MIB",
        hide_default_value = true
    )]
    pub learn_budget_mib: u64,

    /// Quote and dash style of output text. [default: straight]
    #[arg(long, value_enum, default_value_t = Punct::Straight, hide_default_value = true)]
    pub punct: Punct,

    #[command(flatten)]
    pub variants: VariantArgs,

    /// Write CSV cells exactly, without neutralizing spreadsheet formulas. [default: off]
    #[arg(long)]
    pub raw_csv: bool,

    /// Exit with code 1 when any document has a problem or the walk reported
    /// one; the output is still written. [default: off, exit 0]
    #[arg(long)]
    pub strict: bool,

    /// Read at most this much text per document, in MiB; the rest is left
    /// out and the document flagged `truncated`. [default: 8]
    #[arg(long, value_name = "MIB", default_value_t = 8, hide_default_value = true, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub max_text_mib: u32,

    /// Score every document's language against every language whatlang
    /// knows; slower on large corpora. [default: off: a corpus of more than
    /// 2,000 files is scored against the languages of a sample first]
    #[arg(long)]
    pub all_languages: bool,

    /// Print nothing on stderr but errors. [default: print a summary]
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub fields: FieldArgs,

    #[command(flatten)]
    pub tuning: TuningArgs,
}

/// Name variants.
#[derive(Debug, Args)]
#[command(next_help_heading = "Name variants")]
pub struct VariantArgs {
    /// Your own name table, CSV `variant,canonical[,lang[,case]]`; it wins over
    /// the shipped tables (see README). [default: shipped tables only]
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Do not rewrite name variants; variants.csv still lists what would
    /// change, with applied=false. [default: unify]
    #[arg(long)]
    pub keep_variants: bool,
    /// Also apply the fuzzy (Jaro-Winkler) suggestions that pass stricter
    /// guards. Review variants.csv first. [default: off, only listed]
    #[arg(long)]
    pub apply_suggested: bool,
}

/// Field and column names for JSONL and CSV input.
#[derive(Debug, Args)]
#[command(next_help_heading = "Input fields (JSONL and CSV)")]
pub struct FieldArgs {
    /// Field holding the article text. [default: text, else content, body, article, maintext]
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// Field holding the title. [default: title, else headline]
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,
    /// Field holding the date. [default: date, else published, date_publish, pubdate]
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
    /// Field holding the URL. [default: url, else link]
    #[arg(long, value_name = "NAME")]
    pub url_field: Option<String>,
    /// Field holding the outlet. [default: source, else outlet, site, domain]
    #[arg(long, value_name = "NAME")]
    pub source_field: Option<String>,
    /// Field holding the language code. [default: lang, else language]
    #[arg(long, value_name = "NAME")]
    pub lang_field: Option<String>,
}

/// Similarity settings. The defaults were chosen by measurement (see
/// BENCHMARKS.md); they are the library's defaults, and a unit test checks
/// that the help states them.
#[derive(Debug, Args)]
#[command(next_help_heading = "Similarity")]
pub struct TuningArgs {
    /// Words per shingle. [default: 3]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=32))]
    pub shingle_words: Option<u16>,
    /// Characters per shingle for scripts written without spaces. [default: 3]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=32))]
    pub shingle_chars: Option<u16>,
    /// LSH bands. [default: 32]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=512))]
    pub bands: Option<u16>,
    /// LSH rows per band. [default: 4]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub rows: Option<u16>,
    /// Minimum exact Jaccard similarity for a copy. [default: 0.5]
    #[arg(long, value_name = "X", value_parser = unit_interval)]
    pub jaccard: Option<f64>,
    /// Minimum containment of a shorter copy in a longer one. [default: 0.6]
    #[arg(long, value_name = "X", value_parser = unit_interval)]
    pub containment: Option<f64>,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// Quote and dash style. [default: straight]
    #[arg(long, value_enum, default_value_t = Punct::Straight, hide_default_value = true)]
    pub punct: Punct,
    /// Print match keys (what dedup compares) instead of output text. [default: off]
    #[arg(long)]
    pub keys: bool,
    /// Language of the text (ISO 639-1), which picks its alias rows. [default: detected]
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Your own name table, as for `run --aliases`. [default: shipped tables only]
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Do not rewrite name variants. [default: unify]
    #[arg(long)]
    pub keep_variants: bool,
}

/// Quote and dash style of output text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Punct {
    /// ASCII quotes " and ', every dash as -.
    Straight,
    /// Typographic quotes “ ” ‘ ’; dashes untouched.
    Curly,
    /// Leave quotes and dashes as they are.
    Keep,
}

fn unit_interval(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{x} is not between 0 and 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_flag_states_its_default() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            for arg in sub.get_arguments() {
                // Positional and required arguments have no default.
                if arg.is_positional()
                    || arg.is_required_set()
                    || ["help", "version"].contains(&arg.get_id().as_str())
                {
                    continue;
                }
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(
                    help.contains("[default:"),
                    "{} --{}: {help}",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn tuning_help_states_the_library_defaults() {
        use dedup::cluster::ClusterConfig;
        use dedup::minhash::LshConfig;
        use dedup::shingle::ShingleConfig;
        let (s, l, c) = (
            ShingleConfig::default(),
            LshConfig::default(),
            ClusterConfig::default(),
        );
        let want = [
            ("shingle_words", s.word_n.to_string()),
            ("shingle_chars", s.char_n.to_string()),
            ("bands", l.bands.to_string()),
            ("rows", l.rows.to_string()),
            ("jaccard", c.jaccard.to_string()),
            ("containment", c.containment.to_string()),
        ];
        let cmd = Cli::command();
        let run = cmd.find_subcommand("run").unwrap();
        for (id, value) in want {
            let arg = run.get_arguments().find(|a| a.get_id() == id).unwrap();
            let help = arg.get_help().unwrap().to_string();
            assert!(
                help.contains(&format!("[default: {value}]")),
                "{id}: {help}"
            );
        }
    }

    #[test]
    fn unit_interval_values() {
        assert_eq!(unit_interval("0.5"), Ok(0.5));
        assert!(unit_interval("1.5").is_err());
        assert!(unit_interval("x").is_err());
    }
}
