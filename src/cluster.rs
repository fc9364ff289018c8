//! Clustering: turn candidate pairs into clusters of copies.
//!
//! In: each document's representative priority, its shingle set and
//! signature (through a [`Sketches`] source, so they may live on disk), and
//! the candidate pairs from LSH. Out: for each document, its cluster, its
//! representative, and its similarity to that representative.
//!
//! **Exact check.** Every candidate is checked on the exact shingle sets: it
//! is a copy when its Jaccard similarity reaches `jaccard`, or when the
//! smaller document is contained in the larger one (|A∩B| / min(|A|,|B|) ≥
//! `containment`), the case of a copy cut short by "continue reading" or
//! padded with another outlet's furniture. Containment only counts when the
//! smaller side is long enough and not a sliver of the larger, so a
//! three-line brief is not "contained" in a long article that quotes it.
//!
//! **Why these thresholds** (measured on the evaluation corpus, see
//! BENCHMARKS.md): with word 3-shingles the highest Jaccard between two
//! different articles is 0.19 and the highest containment 0.40 (a short
//! Spanish text whose site furniture recurs in longer ones), while 12% of the
//! gold copy pairs have a Jaccard below 0.5 (leftover teasers and promos,
//! truncation) and almost all of those have a containment of at least 0.6.
//! Jaccard ≥ 0.5 or containment ≥ 0.6 keeps a wide margin on both sides:
//! 99.0% of gold pairs pass and no pair of different articles comes within
//! 0.2 of either threshold. The guard (at least 30 shingles, and at least
//! 10% of the larger side) keeps short texts from being "contained" by
//! chance: below 30 shingles a handful of shared phrases is already 60%.
//!
//! **Figures must agree.** Wire briefs and earnings reports are written from
//! templates and differ only in names and numbers: two quarterly results of
//! different companies can share half of their word 3-shingles. Copies of
//! one article carry the same figures. So when both documents hold at least
//! three distinct figures (numbers read whole: "7-1/4" is one figure, not
//! three; see `shingle::Figures`), at least half of the smaller set must
//! occur in the other, or the pair is not a copy. On the evaluation corpus
//! (three seeds) no gold pair of copies falls below 0.67 on this measure,
//! while two briefs of different companies share almost no figures.
//!
//! **Short texts: one figure is enough to judge.** In a brief below
//! `min_containment_shingles` the figure is often the whole news: "Magma
//! lowers copper price 0.50 ct to 65.50 cts" and the same template a week
//! later with "0.25 ct", or the same hog-market line with "500 head" and
//! "2,800 head". Such briefs hold one or two figures, below `min_numbers`,
//! so the figures rule used to let them through. When the smaller text is
//! that short, the rule applies from `min_numbers_short` (1) figure on each
//! side. Measured on all 19,043 Reuters-21578 stories (the 22 SGML files):
//! of the 70 merged pairs with a short text, the 12 whose figures share
//! nothing are all different briefs (other days' prices, other companies'
//! payout dates), while every re-send of a short brief keeps at least half
//! of its figures ("8.4 mln" against "8,367,000" is the lowest, at 50%); on
//! the evaluation corpus (three seeds) and the 20,000-document speed corpus
//! no gold pair of short copies loses a figure.
//!
//! **Short texts need their titles to agree.** Below
//! `min_containment_shingles` (30 shingles, about 30 words) a body is too
//! short to tell a story on its own: dividend notices of different
//! companies read "Qtly div 25 cts vs 25 cts prior / Pay April 30 / Record
//! April 16" word for word, and only the title names the company
//! (Reuters-21578: 10 such pairs were merged). So when the smaller text is
//! that short and both documents have a title, at least half of the words
//! of the shorter title must occur in the other title. Copies of a short
//! brief keep its headline or edit it lightly; on the evaluation corpus
//! (three seeds) and the 20,000-document speed corpus no pair of copies
//! with a short text falls below the bar (178 and 474 of them), while in
//! the Reuters run all 10 merged notices do (0 to 40% of their words).
//!
//! Title words are weighted by their rarity among the corpus's titles
//! ([`TitleWeights`]: `ln(titles / titles with the word)`). A wire's
//! headline template ("<company> SETS QUARTERLY", "<bank> RAISES PRIME
//! RATE") shares half its words between any two companies; by count that
//! passed the bar, by weight it does not, because the template's words are
//! in hundreds of titles and the company's name in a few. Measured on all
//! 19,043 Reuters-21578 stories: the 12 merged short pairs of different
//! companies whose titles shared half their words score 0.29 to 0.45 by
//! weight, while re-sends and corrections of one brief ("CORRECTED -",
//! a renamed ticker) score 0.72 and more. Copies that keep their headline
//! score 1 either way.
//!
//! **Partly contained texts need their titles to agree too.** A pair that
//! is a copy by containment alone (Jaccard below 0.5) with a containment
//! below `title_containment` (0.8) shares a good part of one text, not the
//! whole of it: on full Reuters-21578 such pairs whose titles disagree by
//! weight were template notices of different issuers (eurobonds, debt
//! offerings, Nasdaq exceptions, at containment 0.60–0.76) far more often
//! than one story told twice, while a copy cut short is contained at 0.85
//! and more (measured: 31 such merged pairs, 22 of them different issuers;
//! the same-story pairs among them sat at 0.85–0.98, except four wire
//! updates of one developing story at 0.63–0.73). The evaluation seeds,
//! SemEval, tgnews, 10kGNAD, MasakhaNEWS and the fixtures have no merged
//! pair of this kind whose titles disagree.
//!
//! **Clusters do not chain.** Union-find over verified pairs would join A and
//! C through B even when A and C share nothing (two stories glued by a
//! round-up that quotes both). Instead, documents are visited in
//! representative order — longest clean text, then earliest date, then path
//! — and each unassigned document becomes a representative that takes its
//! unassigned verified neighbours. Every member is therefore checked against
//! its own representative, which is also the most complete copy.
//!
//! Candidate pairs come in *rank* space (positions in representative order),
//! so the greedy pass is one scan over the sorted, verified pairs.

use rayon::prelude::*;

use crate::minhash::Signer;
use crate::shingle::intersection;

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
    /// When both documents hold at least this many distinct figures ...
    pub min_numbers: usize,
    /// When the smaller text has fewer than `min_containment_shingles`
    /// shingles, the figures rule applies from this many figures on each
    /// side instead of `min_numbers`.
    pub min_numbers_short: usize,
    /// ... at least this share of the smaller set of figures must occur in
    /// the other document, or the pair is not a copy.
    pub number_agreement: f64,
    /// When the smaller text has fewer than `min_containment_shingles`
    /// shingles and both have titles, at least this share of the lighter
    /// title (words weighed by [`TitleWeights`]) must occur in the other
    /// title ...
    pub title_agreement: f64,
    /// ... and likewise when the pair is a copy by containment alone
    /// (Jaccard below `jaccard`) with a containment below this.
    pub title_containment: f64,
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            jaccard: 0.5,
            containment: 0.6,
            min_containment_shingles: 30,
            min_containment_ratio: 0.1,
            min_numbers: 3,
            min_numbers_short: 1,
            number_agreement: 0.5,
            title_agreement: 0.5,
            title_containment: 0.8,
        }
    }
}

/// What decides a document's place in representative order.
#[derive(Debug, Clone, Copy)]
pub struct RepKey<'a> {
    /// Length of the cleaned text in characters: longer wins.
    pub chars: usize,
    /// ISO date if known: earlier wins a tie.
    pub date: Option<&'a str>,
    /// Path (then doc id) breaks remaining ties.
    pub path: &'a str,
    pub doc_id: &'a str,
}

/// How much each title word counts when two titles are compared: its
/// rarity among the corpus's titles, `ln(titles / titles with the word)`
/// (see the module docs). A word in every title tells nothing and weighs
/// 0; when all of the lighter title's words are like that, the titles are
/// not compared and the bodies decide. Built from every document's final
/// title; without a corpus (`uniform`) every word counts 1.
#[derive(Debug, Clone, Default)]
pub struct TitleWeights {
    /// Titles that hold each word hash.
    df: std::collections::HashMap<u32, u32>,
    /// Titles counted.
    titles: u32,
}

impl TitleWeights {
    /// Every word counts the same.
    pub fn uniform() -> TitleWeights {
        TitleWeights::default()
    }

    /// Count one title's sorted, deduplicated word hashes.
    pub fn add(&mut self, words: &[u32]) {
        if words.is_empty() {
            return;
        }
        self.titles += 1;
        for &w in words {
            *self.df.entry(w).or_default() += 1;
        }
    }

    /// Add another count (order does not matter: the sums are the same).
    pub fn merge(mut self, other: TitleWeights) -> TitleWeights {
        if self.df.len() < other.df.len() {
            return other.merge(self);
        }
        self.titles += other.titles;
        for (w, n) in other.df {
            *self.df.entry(w).or_default() += n;
        }
        self
    }

    /// The weight of word hash `w`.
    pub fn weight(&self, w: u32) -> f64 {
        if self.titles == 0 {
            return 1.0;
        }
        let df = self.df.get(&w).copied().unwrap_or(0).clamp(1, self.titles);
        (f64::from(self.titles) / f64::from(df)).ln()
    }

    /// Titles counted.
    pub fn titles(&self) -> u32 {
        self.titles
    }

    /// Weighted share of the lighter title that the other one holds.
    fn agreement(&self, a: &[u32], b: &[u32]) -> Option<f64> {
        let total = |t: &[u32]| t.iter().map(|&w| self.weight(w)).sum::<f64>();
        let lighter = total(a).min(total(b));
        if lighter <= 0.0 {
            return None;
        }
        let mut shared = 0.0;
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.weight(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        Some((shared / lighter).min(1.0))
    }
}

/// A document's shingles and signature, as the exact check reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch {
    /// Sorted, deduplicated shingle hashes; empty for documents that take no
    /// part (problems, too short): they become singletons.
    pub shingles: Vec<u32>,
    /// MinHash signature, for the estimate column; may be empty.
    pub signature: Vec<u32>,
    /// Sorted hashes of the text's figures.
    pub numbers: Vec<u32>,
    /// Sorted hashes of the title's words; empty without a title.
    pub title: Vec<u32>,
}

/// Where the exact check finds each document's [`Sketch`]: in memory, or
/// read back from disk into a caller's buffer.
pub trait Sketches: Sync {
    /// Document `doc`'s sketch, possibly read into `buf`.
    fn get<'a>(&'a self, doc: u32, buf: &'a mut Sketch) -> std::io::Result<&'a Sketch>;
}

impl Sketches for [Sketch] {
    fn get<'a>(&'a self, doc: u32, _buf: &'a mut Sketch) -> std::io::Result<&'a Sketch> {
        Ok(&self[doc as usize])
    }
}

impl Sketches for Vec<Sketch> {
    fn get<'a>(&'a self, doc: u32, buf: &'a mut Sketch) -> std::io::Result<&'a Sketch> {
        Sketches::get(self.as_slice(), doc, buf)
    }
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
    /// Share of the smaller set of figures found in the other document, when
    /// both hold at least `min_numbers` (`min_numbers_short` for a short
    /// text).
    pub numbers: Option<f64>,
    /// Weighted share of the lighter title found in the other title, when
    /// both have a title and the smaller text is short or only partly
    /// contained in the other.
    pub titles: Option<f64>,
}

impl PairScore {
    /// Score two sketches; `titles` weighs the words of short texts' titles.
    pub fn of(a: &Sketch, b: &Sketch, config: &ClusterConfig, titles: &TitleWeights) -> PairScore {
        let mut score = PairScore::of_sets(&a.shingles, &b.shingles, config);
        let short = a.shingles.len().min(b.shingles.len()) < config.min_containment_shingles;
        let fewest = a.numbers.len().min(b.numbers.len());
        let min_numbers = if short {
            config.min_numbers_short
        } else {
            config.min_numbers
        };
        if fewest >= min_numbers.max(1) {
            score.numbers = Some(intersection(&a.numbers, &b.numbers) as f64 / fewest as f64);
        }
        let partly_contained = score.jaccard < config.jaccard
            && score.containment_applies
            && score.containment < config.title_containment;
        if (short || partly_contained) && !a.title.is_empty() && !b.title.is_empty() {
            score.titles = titles.agreement(&a.title, &b.title);
        }
        score
    }

    /// Score two shingle sets (no figures).
    pub fn of_sets(a: &[u32], b: &[u32], config: &ClusterConfig) -> PairScore {
        let (small, large) = if a.len() <= b.len() {
            (a.len(), b.len())
        } else {
            (b.len(), a.len())
        };
        let inter = intersection(a, b);
        let union = small + large - inter;
        PairScore {
            jaccard: if union == 0 {
                0.0
            } else {
                inter as f64 / union as f64
            },
            containment: if small == 0 {
                0.0
            } else {
                inter as f64 / small as f64
            },
            containment_applies: small >= config.min_containment_shingles
                && small as f64 >= config.min_containment_ratio * large as f64,
            numbers: None,
            titles: None,
        }
    }

    /// Whether the pair is a copy: similar enough, its figures agree, and
    /// so do the titles of a short text.
    pub fn is_copy(&self, config: &ClusterConfig) -> bool {
        let similar = self.jaccard >= config.jaccard
            || (self.containment_applies && self.containment >= config.containment);
        similar
            && self.numbers.is_none_or(|n| n >= config.number_agreement)
            && self.titles.is_none_or(|t| t >= config.title_agreement)
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

/// A verified pair in rank space: `a < b`, both ranks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub score: PairScore,
    pub estimate: f64,
}

/// Representative order: `order[rank]` is a document index, and `rank[doc]`
/// its inverse. Longest clean text first, then earliest date, then path,
/// then doc id, then input position.
pub fn representative_order(keys: &[RepKey<'_>]) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        compare(&keys[a as usize], &keys[b as usize]).then(a.cmp(&b))
    });
    let mut rank = vec![0u32; keys.len()];
    for (r, &d) in order.iter().enumerate() {
        rank[d as usize] = r as u32;
    }
    (order, rank)
}

fn compare(a: &RepKey<'_>, b: &RepKey<'_>) -> std::cmp::Ordering {
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

/// Check every candidate pair exactly; keep the copies.
///
/// `pairs` are ranks `(a, b)`, `a < b`, sorted (as LSH returns them);
/// `order` maps ranks to documents. The pairs of one `a` are checked
/// together, so its sketch is fetched once. The estimate of a copy comes
/// from the sketches' signatures, or from signatures of length `k` made here
/// when a sketch has none. The result keeps the order of `pairs`, whatever
/// the thread count.
pub fn verify<S: Sketches + ?Sized>(
    pairs: &[(u32, u32)],
    order: &[u32],
    sketches: &S,
    config: &ClusterConfig,
    titles: &TitleWeights,
    k: usize,
) -> std::io::Result<Vec<Edge>> {
    #[derive(Default)]
    struct Buffers {
        a: Sketch,
        b: Sketch,
        signer: Signer,
        sig_a: Vec<u32>,
        sig_b: Vec<u32>,
    }
    let groups: Vec<std::io::Result<Vec<Edge>>> = pairs
        .par_chunk_by(|x, y| x.0 == y.0)
        .map_init(Buffers::default, |buf, group| {
            let a = group[0].0;
            let Buffers {
                a: buf_a,
                b: buf_b,
                signer,
                sig_a,
                sig_b,
            } = buf;
            let sa = sketches.get(order[a as usize], buf_a)?;
            let mut edges = Vec::new();
            if sa.shingles.is_empty() {
                return Ok(edges);
            }
            let mut signed_a = false;
            for &(_, b) in group {
                let sb = sketches.get(order[b as usize], buf_b)?;
                if sb.shingles.is_empty() {
                    continue;
                }
                let score = PairScore::of(sa, sb, config, titles);
                if !score.is_copy(config) {
                    continue;
                }
                let estimate = if !sa.signature.is_empty() && !sb.signature.is_empty() {
                    crate::minhash::estimate(&sa.signature, &sb.signature)
                } else {
                    if !signed_a {
                        signer.sign_into(&sa.shingles, k, sig_a);
                        signed_a = true;
                    }
                    signer.sign_into(&sb.shingles, k, sig_b);
                    crate::minhash::estimate(sig_a, sig_b)
                };
                edges.push(Edge {
                    a,
                    b,
                    score,
                    estimate,
                });
            }
            Ok(edges)
        })
        .collect();
    let mut edges = Vec::new();
    for group in groups {
        edges.extend(group?);
    }
    Ok(edges)
}

/// Non-chaining clusters from verified edges (see the module docs).
///
/// `edges` must be sorted by `(a, b)` in rank space, as [`verify`] returns
/// them; `order` maps ranks to documents. Returns one assignment per
/// document, in document order.
pub fn assign(order: &[u32], edges: &[Edge]) -> Vec<Assignment> {
    const UNASSIGNED: u32 = u32::MAX;
    let n = order.len();
    // rep_of and edge_of are in rank space.
    let mut rep_of = vec![UNASSIGNED; n];
    let mut edge_of: Vec<Option<usize>> = vec![None; n];
    for (i, e) in edges.iter().enumerate() {
        let (a, b) = (e.a as usize, e.b as usize);
        // Every edge into `a` comes before the edges out of it, so `a`'s
        // fate is settled here: unassigned now means nobody took it.
        if rep_of[a] == UNASSIGNED {
            rep_of[a] = e.a;
        }
        if rep_of[a] == e.a && rep_of[b] == UNASSIGNED {
            rep_of[b] = e.a;
            edge_of[b] = Some(i);
        }
    }
    for (r, rep) in rep_of.iter_mut().enumerate() {
        if *rep == UNASSIGNED {
            *rep = r as u32;
        }
    }
    let mut rank = vec![0u32; n];
    for (r, &d) in order.iter().enumerate() {
        rank[d as usize] = r as u32;
    }
    // Number clusters by their first document in input order.
    let mut number = vec![0u32; n];
    let mut next = 1u32;
    (0..n)
        .map(|d| {
            let r = rank[d] as usize;
            let rep_rank = rep_of[r] as usize;
            if number[rep_rank] == 0 {
                number[rep_rank] = next;
                next += 1;
            }
            let (similarity, jaccard, containment, estimate) = match edge_of[r] {
                None => (1.0, 1.0, 1.0, 1.0),
                Some(i) => {
                    let e = &edges[i];
                    (
                        e.score.similarity(),
                        e.score.jaccard,
                        e.score.containment,
                        e.estimate,
                    )
                }
            };
            Assignment {
                cluster: number[rep_rank],
                representative: order[rep_rank],
                similarity,
                jaccard,
                containment,
                estimate,
            }
        })
        .collect()
}

/// Check and cluster in one call: [`verify`] then [`assign`]. Title words
/// all count the same here (the boilerplate learner's pre-clustering, whose
/// sketches carry no titles).
pub fn cluster<S: Sketches + ?Sized>(
    keys: &[RepKey<'_>],
    pairs_by_rank: impl FnOnce(&[u32]) -> Vec<(u32, u32)>,
    sketches: &S,
    config: &ClusterConfig,
    k: usize,
) -> std::io::Result<(Vec<Assignment>, usize)> {
    let (order, rank) = representative_order(keys);
    let pairs = pairs_by_rank(&rank);
    let edges = verify(
        &pairs,
        &order,
        sketches,
        config,
        &TitleWeights::uniform(),
        k,
    )?;
    Ok((assign(&order, &edges), pairs.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(chars: usize, path: &str) -> RepKey<'_> {
        RepKey {
            chars,
            date: None,
            path,
            doc_id: path,
        }
    }

    fn sketch(range: std::ops::Range<u32>) -> Sketch {
        Sketch {
            shingles: range.collect(),
            ..Sketch::default()
        }
    }

    fn all_pairs(n: u32) -> Vec<(u32, u32)> {
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect()
    }

    fn run(keys: &[RepKey<'_>], sketches: &[Sketch], config: &ClusterConfig) -> Vec<Assignment> {
        let n = keys.len() as u32;
        cluster(keys, |_| all_pairs(n), sketches, config, 128)
            .unwrap()
            .0
    }

    fn clusters(out: &[Assignment]) -> Vec<u32> {
        out.iter().map(|a| a.cluster).collect()
    }

    #[test]
    fn no_chaining() {
        // B overlaps A and C by 60% each; A and C share nothing.
        let sk = [sketch(0..100), sketch(40..160), sketch(100..200)];
        let keys = [key(200, "a"), key(120, "b"), key(100, "c")];
        let config = ClusterConfig {
            jaccard: 0.3,
            containment: 0.9,
            ..ClusterConfig::default()
        };
        let out = run(&keys, &sk, &config);
        // A is longest and takes B; C is like B but not like A, so it stays apart.
        assert_eq!(out[1].representative, 0);
        assert_eq!(out[2].representative, 2);
        assert_eq!(clusters(&out), vec![1, 1, 2]);
    }

    #[test]
    fn truncated_copy_joins_by_containment() {
        let sk = [sketch(0..90), sketch(0..200), sketch(0..20)];
        let keys = [key(500, "half"), key(1000, "full"), key(100, "brief")];
        let out = run(&keys, &sk, &ClusterConfig::default());
        assert_eq!(out[0].representative, 1);
        assert_eq!(out[0].similarity, 1.0);
        assert!(out[0].jaccard < 0.5);
        assert_eq!(out[2].representative, 2, "a short brief is not contained");
        assert_eq!(clusters(&out), vec![1, 1, 2]);
    }

    #[test]
    fn a_sliver_of_a_long_article_is_not_contained() {
        // 40 shingles fully inside 1,000: long enough, but under 10%.
        let sk = [sketch(0..1000), sketch(500..540)];
        let keys = [key(5000, "long"), key(200, "quote")];
        let out = run(&keys, &sk, &ClusterConfig::default());
        assert_eq!(clusters(&out), vec![1, 2]);
    }

    #[test]
    fn representative_ties_break_by_date_then_path() {
        let sk = [sketch(0..50), sketch(0..50), sketch(0..50)];
        let mut keys = [key(100, "z"), key(100, "a"), key(100, "m")];
        keys[0].date = Some("2024-01-01");
        let out = run(&keys, &sk, &ClusterConfig::default());
        assert!(out.iter().all(|a| a.representative == 0));
        keys[0].date = None;
        let out = run(&keys, &sk, &ClusterConfig::default());
        assert!(out.iter().all(|a| a.representative == 1));
    }

    #[test]
    fn empty_documents_stay_alone() {
        let sk = [Sketch::default(), Sketch::default(), sketch(0..50)];
        let keys = [key(0, "e1"), key(0, "e2"), key(10, "x")];
        let out = run(&keys, &sk, &ClusterConfig::default());
        assert_eq!(clusters(&out), vec![1, 2, 3]);
    }

    #[test]
    fn a_member_is_taken_by_the_first_representative() {
        // Ranks: 0 = longest. Doc 2 is a copy of both 0 and 1, which are not
        // copies of each other: it joins 0, and 1 stays a representative.
        let sk = [sketch(0..100), sketch(60..160), sketch(30..130)];
        let keys = [key(300, "a"), key(200, "b"), key(100, "c")];
        let config = ClusterConfig {
            jaccard: 0.5,
            containment: 1.0,
            ..ClusterConfig::default()
        };
        let out = run(&keys, &sk, &config);
        assert_eq!(
            out.iter().map(|a| a.representative).collect::<Vec<_>>(),
            vec![0, 1, 0]
        );
        assert_eq!(clusters(&out), vec![1, 2, 1]);
    }

    #[test]
    fn figures_must_agree() {
        let config = ClusterConfig::default();
        let text = sketch(0..100);
        let with = |numbers: &[u32]| Sketch {
            numbers: numbers.to_vec(),
            ..text.clone()
        };
        // (figures of a, figures of b, copy?)
        let cases: &[(&[u32], &[u32], bool)] = &[
            (&[1, 2, 3, 4], &[1, 2, 3, 4], true),
            (&[1, 2, 3, 4], &[1, 2, 7, 8], true),
            (&[1, 2, 3, 4], &[1, 6, 7, 8], false),
            (&[1, 2, 3], &[4, 5, 6, 7, 8], false),
            // Too few figures on one side to judge: similarity decides.
            (&[1, 2], &[4, 5, 6], true),
            (&[], &[4, 5, 6], true),
        ];
        for (a, b, copy) in cases {
            let score = PairScore::of(&with(a), &with(b), &config, &TitleWeights::uniform());
            assert_eq!(score.is_copy(&config), *copy, "{a:?} {b:?}");
        }
    }

    #[test]
    fn short_texts_need_one_figure_to_agree() {
        let config = ClusterConfig::default();
        let with = |shingles: std::ops::Range<u32>, numbers: &[u32]| Sketch {
            numbers: numbers.to_vec(),
            ..sketch(shingles)
        };
        // (a, b, copy?): the bodies are always similar enough.
        let cases = [
            // Short texts: one figure each is enough to judge.
            (with(0..20, &[1]), with(0..20, &[2]), false),
            (with(0..20, &[1, 2]), with(0..20, &[3, 4]), false),
            (with(0..20, &[1]), with(0..20, &[1]), true),
            (with(0..20, &[1, 2]), with(0..20, &[1, 3]), true),
            // No figure on one side: the bodies decide.
            (with(0..20, &[]), with(0..20, &[2]), true),
            // Long enough texts keep the three-figure minimum.
            (with(0..40, &[1, 2]), with(0..40, &[3, 4]), true),
            (with(0..40, &[1, 2, 3]), with(0..40, &[4, 5, 6]), false),
        ];
        assert_copies_both_ways(&cases, &config);
    }

    /// Each `(a, b, copy)` is judged the same in both orders.
    fn assert_copies_both_ways(cases: &[(Sketch, Sketch, bool)], config: &ClusterConfig) {
        for (a, b, copy) in cases {
            for (x, y) in [(a, b), (b, a)] {
                let score = PairScore::of(x, y, config, &TitleWeights::uniform());
                assert_eq!(score.is_copy(config), *copy, "{x:?} {y:?}");
            }
        }
    }

    #[test]
    fn title_words_weigh_by_their_rarity() {
        let words = |t: &str| {
            let mut v = Vec::new();
            crate::shingle::title_words(t, &mut v);
            v
        };
        // A wire's headline templates: the template words are in many
        // titles, the names in one or two.
        let corpus = [
            "Halloway Tools sets quarterly",
            "Brightwater Inc sets quarterly",
            "Quensel sets quarterly",
            "Marrowby Group sets quarterly",
            "Tillcott sets quarterly",
            "CORRECTED - Halloway Tools sets quarterly",
            "Auerbach zahlt Quartalsdividende",
            "Brenntal zahlt Quartalsdividende",
            "Corvin AG zahlt Quartalsdividende",
            "Dellmann zahlt Quartalsdividende",
            "Eichwerk zahlt Quartalsdividende",
            "Άλφα: μέρισμα τριμήνου",
            "Βήτα: μέρισμα τριμήνου",
            "Γάμμα: μέρισμα τριμήνου",
            "Δέλτα: μέρισμα τριμήνου",
            "Άλφα: μέρισμα τριμήνου (διόρθωση)",
        ];
        let mut weights = TitleWeights::default();
        for t in corpus {
            weights.add(&words(t));
        }
        let mut reversed = TitleWeights::default();
        for t in corpus.iter().rev() {
            reversed.add(&words(t));
        }
        let weights = weights.merge(TitleWeights::default());
        // (a, b, agreement at least 0.5?)
        let cases = [
            (
                "Halloway Tools sets quarterly",
                "Quensel sets quarterly",
                false,
            ),
            (
                "Brightwater Inc sets quarterly",
                "Marrowby Group sets quarterly",
                false,
            ),
            (
                "Halloway Tools sets quarterly",
                "CORRECTED - Halloway Tools sets quarterly",
                true,
            ),
            (
                "Auerbach zahlt Quartalsdividende",
                "Brenntal zahlt Quartalsdividende",
                false,
            ),
            ("Γάμμα: μέρισμα τριμήνου", "Βήτα: μέρισμα τριμήνου", false),
            (
                "Άλφα: μέρισμα τριμήνου",
                "Άλφα: μέρισμα τριμήνου (διόρθωση)",
                true,
            ),
        ];
        for (a, b, agree) in cases {
            let (a, b) = (words(a), words(b));
            let share = weights.agreement(&a, &b).unwrap();
            assert_eq!(share >= 0.5, agree, "{a:?} {b:?}: {share}");
            assert_eq!(share, weights.agreement(&b, &a).unwrap());
            // Counted in another order, the weights are the same.
            assert_eq!(share, reversed.agreement(&a, &b).unwrap());
            // By count, two of three words agree: every pair would pass.
            let uniform = TitleWeights::uniform().agreement(&a, &b).unwrap();
            assert!(uniform >= 0.5, "{uniform}");
        }
        assert_eq!(TitleWeights::uniform().weight(7), 1.0);
        assert_eq!(weights.titles(), corpus.len() as u32);
        // Words in every title tell nothing: the bodies decide.
        let mut same = TitleWeights::default();
        same.add(&words("Sets quarterly"));
        same.add(&words("Sets quarterly dividend"));
        let (a, b) = (words("Sets quarterly"), words("Sets quarterly dividend"));
        assert_eq!(same.weight(a[0]), 0.0);
        assert_eq!(same.agreement(&a, &b), None);
    }

    /// Sketch of a real text, as the pipeline makes it (title left out).
    fn sketch_of(text: &str) -> Sketch {
        let key = crate::normalize::match_key(text);
        let sh = crate::shingle::Shingler::default()
            .shingle(&key, &crate::shingle::ShingleConfig::default());
        Sketch {
            shingles: sh.hashes,
            numbers: sh.numbers,
            ..Sketch::default()
        }
    }

    #[test]
    fn short_briefs_that_differ_in_their_one_figure_are_not_copies() {
        let config = ClusterConfig::default();
        // (brief, the same brief with another figure, a re-send): written
        // for this test, in the shape of price notices on the wires.
        let cases = [
            (
                "Harlow Copper said it is lowering its cathode price by 0.50 cent a lb, effective immediately.",
                "Harlow Copper said it is lowering its cathode price by 0.25 cent a lb, effective immediately.",
                "Harlow Copper said it is lowering its cathode price by 0.50 cent a lb , effective immediately .",
            ),
            (
                "Die Stadtwerke Lindau senken den Gaspreis ab sofort um 4,5 Prozent, teilte das Unternehmen mit.",
                "Die Stadtwerke Lindau senken den Gaspreis ab sofort um 6,5 Prozent, teilte das Unternehmen mit.",
                "Die Stadtwerke Lindau senken den Gaspreis ab sofort um 4,5 Prozent – teilte das Unternehmen mit.",
            ),
            (
                "Завод в Кирове снизил цену на листовую сталь на 300 рублей за тонну, сообщила компания.",
                "Завод в Кирове снизил цену на листовую сталь на 450 рублей за тонну, сообщила компания.",
                "Завод в Кирове снизил цену на листовую сталь на 300 рублей за тонну,  сообщила компания.",
            ),
            (
                "أعلنت شركة النور للاسمنت خفض سعر الطن بمقدار 120 جنيها اعتبارا من اليوم",
                "أعلنت شركة النور للاسمنت خفض سعر الطن بمقدار 150 جنيها اعتبارا من اليوم",
                "أعلنت شركة النور للاسمنت خفض سعر الطن بمقدار 120 جنيها، اعتبارا من اليوم",
            ),
            (
                "本市今日起下调居民用水价格每吨0.35元，自来水公司表示将持续执行。",
                "本市今日起下调居民用水价格每吨0.45元，自来水公司表示将持续执行。",
                "本市今日起下调居民用水价格每吨0.35元。自来水公司表示将持续执行。",
            ),
        ];
        for (brief, other, resend) in cases {
            let (a, b, c) = (sketch_of(brief), sketch_of(other), sketch_of(resend));
            assert!(
                a.shingles.len() < config.min_containment_shingles,
                "{brief}"
            );
            let score = PairScore::of(&a, &b, &config, &TitleWeights::uniform());
            assert!(score.jaccard >= config.jaccard, "{brief}: {score:?}");
            assert!(!score.is_copy(&config), "{brief} / {other}: {score:?}");
            let score = PairScore::of(&a, &c, &config, &TitleWeights::uniform());
            assert!(score.is_copy(&config), "{brief} / {resend}: {score:?}");
        }
    }

    #[test]
    fn partly_contained_texts_need_their_titles_to_agree() {
        let config = ClusterConfig::default();
        // `a` is 50 shingles; `b` holds `shared` of them and 100 of its own.
        let pair = |shared: u32, ta: &[u32], tb: &[u32]| {
            let a = Sketch {
                title: ta.to_vec(),
                ..sketch(0..50)
            };
            let b = Sketch {
                shingles: (0..shared).chain(200..300).collect(),
                title: tb.to_vec(),
                ..Sketch::default()
            };
            (a, b)
        };
        // (containment of a in b, titles agree?, copy?)
        let cases = [
            // Containment 0.7, Jaccard 0.30: a template's overlap, unless
            // the titles agree.
            (35, false, false),
            (35, true, true),
            // Containment 0.9: a copy cut short, whatever its headline.
            (45, false, true),
            (45, true, true),
        ];
        let mut sketches = Vec::new();
        for (shared, agree, copy) in cases {
            let tb: &[u32] = if agree { &[1, 2, 3] } else { &[4, 5, 6] };
            let (a, b) = pair(shared, &[1, 2, 3], tb);
            sketches.push((a, b, copy));
        }
        assert_copies_both_ways(&sketches, &config);
        // Without titles the bodies decide.
        let (a, b) = pair(35, &[], &[]);
        assert_copies_both_ways(&[(a, b, true)], &config);
    }

    #[test]
    fn short_texts_need_their_titles_to_agree() {
        let config = ClusterConfig::default();
        let with = |shingles: std::ops::Range<u32>, title: &[u32]| Sketch {
            title: title.to_vec(),
            ..sketch(shingles)
        };
        // (a, b, copy?): the bodies are always similar enough.
        let cases = [
            // Short texts: the shorter title's words must be half shared.
            (
                with(0..20, &[1, 2, 3, 4]),
                with(0..20, &[1, 2, 5, 6, 7]),
                true,
            ),
            (
                with(0..20, &[1, 2, 3, 4]),
                with(0..20, &[1, 5, 6, 7]),
                false,
            ),
            (with(0..20, &[1, 2, 3]), with(0..20, &[4, 5, 6]), false),
            // One side without a title: the bodies decide.
            (with(0..20, &[1, 2, 3]), with(0..20, &[]), true),
            (with(0..20, &[]), with(0..20, &[]), true),
            // Long enough texts: titles are not compared (outlets rewrite
            // headlines).
            (with(0..40, &[1, 2, 3]), with(0..40, &[4, 5, 6]), true),
            (with(0..40, &[1, 2, 3]), with(0..29, &[4, 5, 6]), false),
        ];
        assert_copies_both_ways(&cases, &config);
    }

    #[test]
    fn scores() {
        let config = ClusterConfig::default();
        // (a, b, jaccard, containment, applies)
        let a: Vec<u32> = (0..100).collect();
        let cases: Vec<(Vec<u32>, f64, f64, bool)> = vec![
            ((0..100).collect(), 1.0, 1.0, true),
            ((50..150).collect(), 50.0 / 150.0, 0.5, true),
            ((0..20).collect(), 0.2, 1.0, false),
            ((0..9).collect(), 0.09, 1.0, false),
        ];
        for (b, j, c, applies) in cases {
            let s = PairScore::of_sets(&a, &b, &config);
            assert!((s.jaccard - j).abs() < 1e-9, "{j}");
            assert!((s.containment - c).abs() < 1e-9, "{c}");
            assert_eq!(s.containment_applies, applies);
        }
    }
}
