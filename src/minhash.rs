//! MinHash signatures and LSH banding.
//!
//! In: sorted shingle hashes per document (its whole text and its first
//! half). Out: a fixed-length signature per document, band keys, and
//! candidate pairs whose signatures agree on a whole band.
//!
//! **Signatures** use one-permutation hashing (Li, Owen and Zhang 2012) with
//! optimal densification (Shrivastava 2017): each shingle hash falls into
//! one of `k` bins and each bin keeps its minimum, so signing costs one pass
//! over the shingles instead of `k`. Empty bins borrow the value of a bin
//! chosen by a fixed pseudo-random probe sequence, which keeps the estimate
//! of Jaccard similarity unbiased (the unit test measures it).
//!
//! **Banding**: `bands × rows = k`. Two documents become candidates when all
//! `rows` values of some band agree; the chance is `1 - (1 - J^rows)^bands`
//! for Jaccard `J`. Candidates are only proposals: the cluster stage checks
//! each one exactly.
//!
//! **Why 32 bands of 4 rows** (the default, chosen on the evaluation corpus,
//! see BENCHMARKS.md): 99.5% of the pairs of true copies that are not cut
//! short have a Jaccard similarity at which 32 × 4 finds them (J = 0.5 is
//! found with probability 0.88 per pair, J = 0.6 with 0.99, and a cluster
//! needs only each member's pair with its representative). Fewer rows find
//! more, but the pairs they add grow with the square of the corpus: on the
//! 100,000-document speed corpus 42 × 3 proposes 3.6 times more pairs than
//! 32 × 4 and 64 × 2 45 times more, while 32 × 4 grows linearly from 10k to
//! 100k documents.
//!
//! **Copies cut short.** A copy truncated to 40% of an article has a Jaccard
//! similarity of at most 0.4 with it, which banding misses more often than
//! not. Each document therefore also gets the signature of its *prefix*, its
//! first half, and both signatures go into the same band tables: a copy cut
//! anywhere between 35% and 100% has Jaccard ≥ 0.7 with the original's
//! prefix or with the whole original. This raised the share of truncated
//! gold pairs that banding proposes from 84% to 98% on the evaluation corpus,
//! at the cost of twice the band keys.
//!
//! **Huge buckets.** A story copied thousands of times fills one bucket per
//! band; all pairs of it would be quadratic. Members of a bucket are sorted
//! in representative order (the order in which the cluster stage picks
//! representatives), and each member is paired with the first `max_bucket`
//! members only. Every copy is thus proposed with the most complete copies,
//! one of which becomes its representative, and the pairs grow linearly.

use rayon::prelude::*;

use crate::shingle::mix64;

/// Signature length and banding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LshConfig {
    pub bands: usize,
    pub rows: usize,
    /// In a bucket with more members than this, each member is paired only
    /// with the first `max_bucket` members in representative order.
    pub max_bucket: usize,
}

impl Default for LshConfig {
    fn default() -> LshConfig {
        LshConfig {
            bands: 32,
            rows: 4,
            max_bucket: 64,
        }
    }
}

impl LshConfig {
    /// Signature length.
    pub fn k(&self) -> usize {
        self.bands * self.rows
    }

    /// The Jaccard similarity at which a pair has a 50% chance of becoming a
    /// candidate: `(1/bands)^(1/rows)`, approximately.
    pub fn threshold(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }

    /// The chance that a pair with Jaccard similarity `j` becomes a candidate
    /// through one signature.
    pub fn probability(&self, j: f64) -> f64 {
        1.0 - (1.0 - j.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// Band keys per document: one per band for the whole text and one per
    /// band for the prefix.
    pub fn keys_per_doc(&self) -> usize {
        2 * self.bands
    }
}

/// Fixed seed for band hashing: output must never depend on a random seed.
const BAND_SEED: u64 = 0x5EED_0000_DED0_0001;
/// Fixed seed for densification probes.
const PROBE_SEED: u64 = 0x5EED_0000_DED0_0002;

/// Band key of a document that takes no part in clustering. Real keys that
/// happen to equal it are moved to 1, so it never names a real bucket.
pub const NO_KEY: u32 = 0;

/// Reusable signing buffers; one per worker thread.
#[derive(Debug, Default)]
pub struct Signer {
    filled: Vec<bool>,
    source: Vec<u32>,
}

impl Signer {
    /// The one-permutation MinHash signature of a shingle set into `sig`;
    /// empty if the set is.
    pub fn sign_into(&mut self, shingles: &[u32], k: usize, sig: &mut Vec<u32>) {
        sig.clear();
        if shingles.is_empty() || k == 0 {
            return;
        }
        sig.resize(k, u32::MAX);
        self.filled.clear();
        self.filled.resize(k, false);
        let filled = &mut self.filled;
        let (sig_bins, filled_bins) = (&mut sig[..k], &mut filled[..k]);
        for &h in shingles {
            // The bin comes from a mix of the hash, the value is the hash
            // itself: the minimum of a bin is the minimum of a random
            // permutation restricted to it. Without branches: whether a
            // shingle lowers its bin's minimum is a coin toss the processor
            // cannot predict.
            let bin = (((mix64(u64::from(h)) >> 32) * k as u64) >> 32) as usize;
            sig_bins[bin] = sig_bins[bin].min(h);
            filled_bins[bin] = true;
        }
        if filled.iter().all(|&f| f) {
            return;
        }
        self.source.clear();
        self.source.extend_from_slice(sig);
        for bin in 0..k {
            if filled[bin] {
                continue;
            }
            // Optimal densification: probe bins with a hash of (bin, attempt)
            // until a filled one is found. Deterministic for a given bin.
            let mut attempt: u64 = 0;
            loop {
                let probe = mix64(PROBE_SEED ^ ((bin as u64) << 32) ^ attempt);
                let donor = (((probe >> 32) * k as u64) >> 32) as usize;
                if filled[donor] {
                    sig[bin] = self.source[donor];
                    break;
                }
                attempt += 1;
            }
        }
    }
}

/// The one-permutation MinHash signature of a shingle set; empty if the set is.
pub fn signature(shingles: &[u32], k: usize) -> Vec<u32> {
    let mut sig = Vec::new();
    Signer::default().sign_into(shingles, k, &mut sig);
    sig
}

/// Estimated Jaccard similarity: the share of agreeing signature values.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// Write the band keys of a signature into `out` (`config.bands` values).
/// An empty signature gets [`NO_KEY`] everywhere.
pub fn band_keys(sig: &[u32], config: &LshConfig, out: &mut [u32]) {
    let rows = config.rows;
    for (band, slot) in out.iter_mut().enumerate().take(config.bands) {
        let lo = band * rows;
        if sig.len() < lo + rows {
            *slot = NO_KEY;
            continue;
        }
        let mut h = BAND_SEED ^ band as u64;
        for &v in &sig[lo..lo + rows] {
            h = mix64(h ^ u64::from(v));
        }
        let key = (h >> 32) as u32;
        *slot = if key == NO_KEY { 1 } else { key };
    }
}

/// Candidate pairs from band keys.
///
/// `keys` holds `config.keys_per_doc()` keys per document, document after
/// document: the whole text's bands, then the prefix's. `rank[d]` is
/// document `d`'s position in representative order (a permutation). Returns
/// pairs of *ranks* `(a, b)` with `a < b`, sorted and deduplicated.
pub fn candidates(keys: &[u32], rank: &[u32], config: &LshConfig) -> Vec<(u32, u32)> {
    let per_doc = config.keys_per_doc();
    let n = rank.len();
    debug_assert_eq!(keys.len(), n * per_doc);
    // A pair of copies agrees in several bands. Each thread keeps its pairs
    // sorted and deduplicated as it goes (compacting whenever they double),
    // so memory follows the distinct pairs, not the sum over bands.
    (0..config.bands)
        .into_par_iter()
        .fold(
            || (Vec::new(), Vec::new(), 0usize),
            |(mut acc, mut table, mut compacted): (Vec<(u32, u32)>, Vec<u64>, usize), band| {
                acc.extend(band_pairs(keys, rank, band, config, &mut table));
                if acc.len() > 2 * compacted.max(1 << 16) {
                    acc.sort_unstable();
                    acc.dedup();
                    compacted = acc.len();
                }
                (acc, table, compacted)
            },
        )
        .map(|(mut acc, _, _)| {
            acc.sort_unstable();
            acc.dedup();
            acc
        })
        .reduce(Vec::new, merge_sorted)
}

/// Merge two sorted, deduplicated lists into one.
fn merge_sorted(a: Vec<(u32, u32)>, b: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The pairs of one band: the whole text's and the prefix's keys of every
/// document in one table.
fn band_pairs(
    keys: &[u32],
    rank: &[u32],
    band: usize,
    config: &LshConfig,
    table: &mut Vec<u64>,
) -> Vec<(u32, u32)> {
    let per_doc = config.keys_per_doc();
    table.clear();
    for (doc, &r) in rank.iter().enumerate() {
        let base = doc * per_doc;
        for key in [keys[base + band], keys[base + config.bands + band]] {
            if key != NO_KEY {
                table.push((u64::from(key) << 32) | u64::from(r));
            }
        }
    }
    // Sorted by key, then rank: each bucket lists its members in
    // representative order. A document whose two keys agree appears twice
    // in a row; dedup drops the second.
    table.sort_unstable();
    table.dedup();
    let hubs = config.max_bucket.max(1);
    let mut pairs = Vec::new();
    for bucket in table.chunk_by(|a, b| a >> 32 == b >> 32) {
        if bucket.len() < 2 {
            continue;
        }
        for (j, &b) in bucket.iter().enumerate().skip(1) {
            let rb = b as u32;
            for &a in &bucket[..j.min(hubs)] {
                pairs.push((a as u32, rb));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u32> {
        let mut v: Vec<u32> = range.map(|x| (mix64(x) >> 32) as u32).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn estimates_are_unbiased() {
        // Sets with known Jaccard; average the estimation error over many
        // shifted copies. A biased scheme (plain OPH with empty bins treated
        // as matches) drifts well past this tolerance on small sets.
        let k = 128;
        for (size, overlap) in [(40u64, 20u64), (200, 100), (1000, 900), (60, 6), (8, 4)] {
            let mut err = 0.0;
            let trials = 300;
            let mut truth_sum = 0.0;
            for t in 0..trials {
                let base = t * 1_000_000;
                let a = set(base..base + size);
                let b = set(base + size - overlap..base + 2 * size - overlap);
                let truth = crate::shingle::jaccard(&a, &b);
                truth_sum += truth;
                err += estimate(&signature(&a, k), &signature(&b, k)) - truth;
            }
            let bias = err / trials as f64;
            assert!(
                bias.abs() < 0.02,
                "size {size} overlap {overlap}: J={:.3}, bias {bias:.4}",
                truth_sum / trials as f64
            );
        }
    }

    #[test]
    fn identical_sets_have_identical_signatures() {
        let a = set(0..3);
        assert_eq!(signature(&a, 128), signature(&a.clone(), 128));
        assert_eq!(estimate(&signature(&a, 128), &signature(&a, 128)), 1.0);
        assert!(signature(&[], 128).is_empty());
    }

    /// Band keys of whole and prefix signatures for a list of sets given as
    /// (whole, prefix).
    fn keys_of(docs: &[(Vec<u32>, Vec<u32>)], config: &LshConfig) -> Vec<u32> {
        let mut keys = vec![0; docs.len() * config.keys_per_doc()];
        for (d, (whole, prefix)) in docs.iter().enumerate() {
            let base = d * config.keys_per_doc();
            band_keys(
                &signature(whole, config.k()),
                config,
                &mut keys[base..base + config.bands],
            );
            band_keys(
                &signature(prefix, config.k()),
                config,
                &mut keys[base + config.bands..base + 2 * config.bands],
            );
        }
        keys
    }

    #[test]
    fn banding_finds_similar_and_truncated_and_skips_different() {
        let config = LshConfig::default();
        let docs = vec![
            (set(0..300), set(0..150)),
            (set(30..330), set(30..180)), // J ≈ 0.82 with doc 0
            (set(10_000..10_300), set(10_000..10_150)), // unrelated
            (Vec::new(), Vec::new()),     // takes no part
            (set(0..110), set(0..55)),    // doc 0 cut short at 37%
        ];
        let keys = keys_of(&docs, &config);
        let rank: Vec<u32> = (0..docs.len() as u32).collect();
        let pairs = candidates(&keys, &rank, &config);
        assert_eq!(pairs, vec![(0, 1), (0, 4), (1, 4)]);
    }

    #[test]
    fn huge_buckets_pair_members_with_the_first_in_rank_order() {
        let config = LshConfig {
            max_bucket: 3,
            ..LshConfig::default()
        };
        // Ten identical documents; ranks reversed against indices.
        let docs: Vec<_> = (0..10).map(|_| (set(0..50), set(0..25))).collect();
        let keys = keys_of(&docs, &config);
        let rank: Vec<u32> = (0..10).rev().collect();
        let pairs = candidates(&keys, &rank, &config);
        // Ranks 0, 1, 2 are hubs: pairs among them, and each other rank with
        // all three.
        let mut want = vec![(0, 1), (0, 2), (1, 2)];
        for b in 3..10 {
            want.extend([(0, b), (1, b), (2, b)]);
        }
        want.sort_unstable();
        assert_eq!(pairs, want);
    }

    #[test]
    fn empty_documents_never_share_a_bucket() {
        let config = LshConfig::default();
        let docs: Vec<_> = (0..5).map(|_| (Vec::new(), Vec::new())).collect();
        let keys = keys_of(&docs, &config);
        assert!(keys.iter().all(|&k| k == NO_KEY));
        let rank: Vec<u32> = (0..5).collect();
        assert!(candidates(&keys, &rank, &config).is_empty());
    }

    #[test]
    fn merging_keeps_order_and_drops_repeats() {
        let a = vec![(0, 1), (0, 5), (2, 3)];
        let b = vec![(0, 5), (1, 2), (2, 3), (4, 9)];
        assert_eq!(
            merge_sorted(a, b),
            vec![(0, 1), (0, 5), (1, 2), (2, 3), (4, 9)]
        );
        assert_eq!(merge_sorted(Vec::new(), vec![(1, 2)]), vec![(1, 2)]);
    }

    #[test]
    fn threshold_and_probability() {
        let c = LshConfig::default();
        assert!((c.threshold() - 0.4204).abs() < 1e-3);
        assert!((c.probability(0.5) - 0.8726).abs() < 1e-3);
        assert!(c.probability(0.1) < 0.004);
    }
}
