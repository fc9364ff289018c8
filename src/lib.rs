//! dedup: clean scraped news corpora in one pass.
//!
//! The library holds the pipeline; the `dedup` binary only parses arguments
//! and calls it. One module per stage, in pipeline order:
//!
//! | stage | module | owns |
//! |---|---|---|
//! | ingest | [`ingest`] | walking inputs, reading, decoding, parsing txt/md/jsonl/csv/tsv |
//! | normalize | [`normalize`] | NFC output text, repairs, match keys, confusables; name variants: alias tables, learned spellings |
//! | lang | [`lang`] | language identification (whatlang) |
//! | boilerplate | [`boilerplate`] | furniture detection (phrase lexicon, per-source learned n-grams and teaser labels) and guarded removal |
//! | shingle | [`shingle`] | word / character n-gram hashes, exact set similarity |
//! | minhash | [`minhash`] | one-permutation MinHash, LSH banding |
//! | cluster | [`cluster`] | exact check of candidates, non-chaining clusters |
//! | output | [`output`] | atomic CSV and JSON output, CSV-injection safety |
//!
//! [`pipeline`] is the driver that orders the stages and owns the threads;
//! [`doc`] is the document model they share; [`spill`] holds what a run
//! does not keep in memory. Tools for users: [`eval`] scores a run against a
//! labelled sample, [`explain`] says why two documents were or were not put
//! together.

pub mod boilerplate;
pub mod cluster;
pub mod doc;
pub mod eval;
pub mod explain;
pub mod ingest;
pub mod lang;
pub mod minhash;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod shingle;
pub mod spill;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
