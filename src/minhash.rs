//! MinHash signatures and LSH banding.
//!
//! In: sorted shingle hashes per document. Out: a fixed-length signature per
//! document, and candidate pairs whose signatures agree on a whole band.
//!
//! Signatures use one-permutation hashing (Li, Owen and Zhang 2012) with
//! optimal densification (Shrivastava 2017): each shingle hash falls into
//! one of `k` bins and each bin keeps its minimum, so signing costs one pass
//! over the shingles instead of `k`. Empty bins borrow the value of a bin
//! chosen by a fixed pseudo-random probe sequence, which keeps the estimate
//! of Jaccard similarity unbiased (the unit test measures it).
//!
//! Banding: `bands × rows = k`. Two documents become candidates when all
//! `rows` values of some band agree; the chance is `1 - (1 - J^rows)^bands`
//! for Jaccard `J`. Candidates are only proposals: the cluster stage checks
//! each one exactly.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::shingle::mix64;

/// Signature length and banding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LshConfig {
    pub bands: usize,
    pub rows: usize,
    /// Buckets with more members than this are split into runs of this size
    /// (sorted by document), so one huge bucket cannot make the pair count
    /// quadratic; neighbours within a run still become candidates.
    pub max_bucket: usize,
}

impl Default for LshConfig {
    fn default() -> LshConfig {
        LshConfig {
            bands: 32,
            rows: 4,
            max_bucket: 512,
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
}

/// Fixed seed for band hashing: output must never depend on a random seed.
const BAND_SEED: u64 = 0x5EED_0000_DED0_0001;
/// Fixed seed for densification probes.
const PROBE_SEED: u64 = 0x5EED_0000_DED0_0002;

/// The one-permutation MinHash signature of a shingle set; empty if the set is.
pub fn signature(shingles: &[u64], k: usize) -> Vec<u32> {
    let mut sig = Vec::new();
    signature_into(shingles, k, &mut sig);
    sig
}

/// [`signature`] into a reused buffer.
pub fn signature_into(shingles: &[u64], k: usize, sig: &mut Vec<u32>) {
    sig.clear();
    if shingles.is_empty() || k == 0 {
        return;
    }
    sig.resize(k, u32::MAX);
    let mut filled = vec![false; k];
    for &h in shingles {
        // Shingle hashes are already well mixed: the high bits choose the
        // bin, the low bits are the value.
        let bin = (((h >> 32) * k as u64) >> 32) as usize;
        let value = h as u32;
        if value <= sig[bin] {
            sig[bin] = value;
            filled[bin] = true;
        }
    }
    if filled.iter().all(|&f| f) {
        return;
    }
    let source: Vec<u32> = sig.clone();
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
                sig[bin] = source[donor];
                break;
            }
            attempt += 1;
        }
    }
}

/// Estimated Jaccard similarity: the share of agreeing signature values.
pub fn estimate(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// Candidate pairs `(i, j)` with `i < j`, sorted and deduplicated.
///
/// `signatures[d]` is document `d`'s signature, or empty for documents that
/// take no part (empty or too short).
pub fn candidates(signatures: &[&[u32]], config: &LshConfig) -> Vec<(u32, u32)> {
    let per_band: Vec<Vec<(u32, u32)>> = (0..config.bands)
        .into_par_iter()
        .map(|band| band_pairs(signatures, band, config))
        .collect();
    let mut pairs: Vec<(u32, u32)> = per_band.into_iter().flatten().collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

fn band_pairs(signatures: &[&[u32]], band: usize, config: &LshConfig) -> Vec<(u32, u32)> {
    let lo = band * config.rows;
    let hi = lo + config.rows;
    let mut keys: Vec<(u64, u32)> = signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| s.len() >= hi)
        .map(|(doc, s)| {
            let bytes: Vec<u8> = s[lo..hi].iter().flat_map(|v| v.to_le_bytes()).collect();
            (
                xxh3_64_with_seed(&bytes, BAND_SEED ^ band as u64),
                doc as u32,
            )
        })
        .collect();
    keys.sort_unstable();
    let mut pairs = Vec::new();
    for bucket in keys.chunk_by(|a, b| a.0 == b.0) {
        if bucket.len() < 2 {
            continue;
        }
        for run in bucket.chunks(config.max_bucket.max(2)) {
            for (x, a) in run.iter().enumerate() {
                for b in &run[x + 1..] {
                    pairs.push((a.1, b.1));
                }
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        let mut v: Vec<u64> = range.map(mix64).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn estimates_are_unbiased() {
        // Sets with known Jaccard; average the estimation error over many
        // shifted copies. A biased scheme (plain OPH with empty bins treated
        // as matches) drifts well past this tolerance on small sets.
        let k = 128;
        for (size, overlap) in [(40u64, 20u64), (200, 100), (1000, 900), (60, 6)] {
            let mut err = 0.0;
            let trials = 200;
            let mut truth = 0.0;
            for t in 0..trials {
                let base = t * 1_000_000;
                let a = set(base..base + size);
                let b = set(base + size - overlap..base + 2 * size - overlap);
                truth = crate::shingle::jaccard(&a, &b);
                err += estimate(&signature(&a, k), &signature(&b, k)) - truth;
            }
            let bias = err / trials as f64;
            assert!(
                bias.abs() < 0.02,
                "size {size} overlap {overlap}: J={truth:.3}, bias {bias:.4}"
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

    #[test]
    fn banding_finds_similar_and_skips_different() {
        let config = LshConfig::default();
        let a = set(0..300);
        let b = set(30..330); // J ≈ 0.82
        let c = set(10_000..10_300); // unrelated
        let sigs = [
            signature(&a, config.k()),
            signature(&b, config.k()),
            signature(&c, config.k()),
            Vec::new(),
        ];
        let refs: Vec<&[u32]> = sigs.iter().map(Vec::as_slice).collect();
        let pairs = candidates(&refs, &config);
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn threshold_formula() {
        let c = LshConfig {
            bands: 32,
            rows: 4,
            max_bucket: 10,
        };
        assert!((c.threshold() - 0.4204).abs() < 1e-3);
    }
}
