//! Clustering: turn verified candidate pairs into clusters of copies.
//!
//! In: each document's shingle set and representative priority, and the
//! candidate pairs from LSH. Out: for each document, its cluster, its
//! representative, and its similarity to that representative.
//!
//! Every candidate is checked exactly: it is a copy when its Jaccard
//! similarity reaches `jaccard`, or when the smaller document is contained
//! in the larger one (|A∩B| / min(|A|,|B|) ≥ `containment`), the case of a
//! copy cut short by "continue reading". Containment only counts when the
//! smaller side is long enough and not a sliver of the larger, so a three-line
//! brief is not "contained" in a long article that quotes it.
//!
//! Clusters do not chain. Union-find over verified pairs would join A and C
//! through B even when A and C share nothing (two stories glued by a round-up
//! that quotes both). Instead, documents are visited in representative
//! order — longest clean text, then earliest date, then path — and each
//! unassigned document becomes a representative that takes its unassigned
//! verified neighbours. Every member is therefore checked against its own
//! representative, which is also the most complete copy.

use rayon::prelude::*;

use crate::shingle::{containment, jaccard};

/// Thresholds for the exact check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterConfig {
    /// Minimum exact Jaccard similarity for a copy.
    pub jaccard: f64,
    /// Minimum containment of the smaller document in the larger.
    pub containment: f64,
    /// Containment only counts when the smaller document has at least this
    /// many shingles.
    pub min_containment_shingles: usize,
    /// ... and at least this share of the larger document's shingles.
    pub min_containment_ratio: f64,
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            jaccard: 0.5,
            containment: 0.8,
            min_containment_shingles: 40,
            min_containment_ratio: 0.25,
        }
    }
}

/// What the cluster stage needs to know about one document.
#[derive(Debug, Clone, Copy)]
pub struct ClusterInput<'a> {
    /// Sorted, deduplicated shingle hashes; empty for documents that take no
    /// part (problems, too short): they become singletons.
    pub shingles: &'a [u64],
    /// Signature for the estimate; may be empty.
    pub signature: &'a [u32],
    /// Length of the cleaned text in characters: longer wins representative.
    pub chars: usize,
    /// ISO date if known: earlier wins a tie.
    pub date: Option<&'a str>,
    /// Path (then doc id) breaks remaining ties.
    pub path: &'a str,
    pub doc_id: &'a str,
}

/// One document's place in the clustering.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// 1-based cluster number, in order of each cluster's first document.
    pub cluster: u32,
    /// Index of the representative document.
    pub representative: u32,
    /// Similarity to the representative that justified membership (1 for the
    /// representative itself): containment for truncated copies, else Jaccard.
    pub similarity: f64,
    /// Exact Jaccard similarity to the representative.
    pub jaccard: f64,
    /// Exact containment with the representative.
    pub containment: f64,
    /// MinHash estimate of Jaccard with the representative.
    pub estimate: f64,
}

/// The result of the exact check of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    pub jaccard: f64,
    pub containment: f64,
    /// Whether containment is allowed to count for this pair.
    pub containment_applies: bool,
}

impl PairScore {
    /// Score two shingle sets.
    pub fn of(a: &[u64], b: &[u64], config: &ClusterConfig) -> PairScore {
        let (small, large) = if a.len() <= b.len() {
            (a.len(), b.len())
        } else {
            (b.len(), a.len())
        };
        PairScore {
            jaccard: jaccard(a, b),
            containment: containment(a, b),
            containment_applies: small >= config.min_containment_shingles
                && small as f64 >= config.min_containment_ratio * large as f64,
        }
    }

    /// Whether the pair is a copy.
    pub fn is_copy(&self, config: &ClusterConfig) -> bool {
        self.jaccard >= config.jaccard
            || (self.containment_applies && self.containment >= config.containment)
    }

    /// The similarity that decides: containment when it applies and is higher.
    pub fn similarity(&self) -> f64 {
        if self.containment_applies {
            self.jaccard.max(self.containment)
        } else {
            self.jaccard
        }
    }
}

/// Cluster `docs` given LSH candidate `pairs`. See the module docs.
pub fn cluster(
    docs: &[ClusterInput<'_>],
    pairs: &[(u32, u32)],
    config: &ClusterConfig,
) -> Vec<Assignment> {
    let n = docs.len();
    // Exact check of every candidate, in parallel; the order of `pairs` is
    // fixed, so the result does not depend on the thread count.
    let edges: Vec<(u32, u32, PairScore)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (da, db) = (&docs[a as usize], &docs[b as usize]);
            if da.shingles.is_empty() || db.shingles.is_empty() {
                return None;
            }
            let score = PairScore::of(da.shingles, db.shingles, config);
            score.is_copy(config).then_some((a, b, score))
        })
        .collect();
    let mut adjacency: Vec<Vec<(u32, PairScore)>> = vec![Vec::new(); n];
    for &(a, b, score) in &edges {
        adjacency[a as usize].push((b, score));
        adjacency[b as usize].push((a, score));
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| {
        representative_order(&docs[a as usize], &docs[b as usize]).then(a.cmp(&b))
    });

    const UNASSIGNED: u32 = u32::MAX;
    let mut rep_of = vec![UNASSIGNED; n];
    let mut score_of: Vec<Option<PairScore>> = vec![None; n];
    for &d in &order {
        if rep_of[d as usize] != UNASSIGNED {
            continue;
        }
        rep_of[d as usize] = d;
        adjacency[d as usize].sort_by_key(|&(v, _)| v);
        for &(v, score) in &adjacency[d as usize] {
            if rep_of[v as usize] == UNASSIGNED {
                rep_of[v as usize] = d;
                score_of[v as usize] = Some(score);
            }
        }
    }

    // Number clusters by their first document in input order.
    let mut number = vec![0u32; n];
    let mut next = 1u32;
    for &rep in &rep_of {
        let rep = rep as usize;
        if number[rep] == 0 {
            number[rep] = next;
            next += 1;
        }
    }
    (0..n)
        .map(|d| {
            let rep = rep_of[d];
            let (similarity, jac, cont) = match score_of[d] {
                None => (1.0, 1.0, 1.0),
                Some(s) => (s.similarity(), s.jaccard, s.containment),
            };
            let estimate = if rep as usize == d {
                1.0
            } else {
                crate::minhash::estimate(docs[d].signature, docs[rep as usize].signature)
            };
            Assignment {
                cluster: number[rep as usize],
                representative: rep,
                similarity,
                jaccard: jac,
                containment: cont,
                estimate,
            }
        })
        .collect()
}

/// Representative priority: longest clean text, earliest date, then path.
fn representative_order(a: &ClusterInput<'_>, b: &ClusterInput<'_>) -> std::cmp::Ordering {
    b.chars
        .cmp(&a.chars)
        .then_with(|| match (a.date, b.date) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| a.path.cmp(b.path))
        .then_with(|| a.doc_id.cmp(b.doc_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(shingles: &'a [u64], chars: usize, path: &'a str) -> ClusterInput<'a> {
        ClusterInput {
            shingles,
            signature: &[],
            chars,
            date: None,
            path,
            doc_id: path,
        }
    }

    fn all_pairs(n: u32) -> Vec<(u32, u32)> {
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect()
    }

    #[test]
    fn no_chaining() {
        // B overlaps A and C by 60% each; A and C share nothing.
        let a: Vec<u64> = (0..100).collect();
        let b: Vec<u64> = (40..160).collect();
        let c: Vec<u64> = (100..200).collect();
        let docs = [
            input(&a, 200, "a"),
            input(&b, 120, "b"),
            input(&c, 100, "c"),
        ];
        let config = ClusterConfig {
            jaccard: 0.3,
            ..ClusterConfig::default()
        };
        let out = cluster(&docs, &all_pairs(3), &config);
        // A is longest and takes B; C is like B but not like A, so it stays apart.
        assert_eq!(out[1].representative, 0);
        assert_eq!(out[2].representative, 2);
        assert_eq!(
            out.iter().map(|x| x.cluster).collect::<Vec<_>>(),
            vec![1, 1, 2]
        );
    }

    #[test]
    fn truncated_copy_joins_by_containment() {
        let full: Vec<u64> = (0..200).collect();
        let half: Vec<u64> = (0..90).collect();
        let brief: Vec<u64> = (0..20).collect();
        let docs = [
            input(&half, 500, "half"),
            input(&full, 1000, "full"),
            input(&brief, 100, "brief"),
        ];
        let config = ClusterConfig::default();
        let out = cluster(&docs, &all_pairs(3), &config);
        assert_eq!(out[0].representative, 1);
        assert_eq!(out[0].similarity, 1.0);
        assert!(out[0].jaccard < 0.5);
        assert_eq!(out[2].representative, 2, "a short brief is not contained");
        assert_eq!(
            out.iter().map(|a| a.cluster).collect::<Vec<_>>(),
            vec![1, 1, 2]
        );
    }

    #[test]
    fn representative_ties_break_by_date_then_path() {
        let s: Vec<u64> = (0..50).collect();
        let mut docs = [
            input(&s, 100, "z"),
            input(&s, 100, "a"),
            input(&s, 100, "m"),
        ];
        docs[0].date = Some("2024-01-01");
        let out = cluster(&docs, &all_pairs(3), &ClusterConfig::default());
        assert!(out.iter().all(|a| a.representative == 0));
        docs[0].date = None;
        let out = cluster(&docs, &all_pairs(3), &ClusterConfig::default());
        assert!(out.iter().all(|a| a.representative == 1));
    }

    #[test]
    fn empty_documents_stay_alone() {
        let s: Vec<u64> = (0..50).collect();
        let docs = [input(&[], 0, "e1"), input(&[], 0, "e2"), input(&s, 10, "x")];
        let out = cluster(&docs, &all_pairs(3), &ClusterConfig::default());
        assert_eq!(
            out.iter().map(|a| a.cluster).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}
