//! Eval: score a clustering against a labelled sample.
//!
//! In: a gold CSV (`path,cluster` or `doc_id,cluster`, other columns are
//! ignored) and a `clusters.csv` written by `dedup run`. Out: an [`Report`]
//! with pairwise precision, recall and F1, the adjusted Rand index, B-cubed
//! precision, recall and F1, and the worst false merges and misses.
//!
//! Conventions (the same as `bench/score.py`, so figures agree):
//! - Only documents in the gold count. A gold document missing from the
//!   clustering counts as a singleton and is reported; documents of the
//!   clustering that the gold does not label are ignored.
//! - Pairwise scores count pairs of documents: a predicted pair is correct
//!   when the gold puts both in one cluster.
//! - ARI is Hubert and Arabie's adjusted Rand index over the same documents.
//! - B-cubed precision and recall are averaged over documents.
//!
//! Cells are read back with [`crate::output::unneutralize`], so a path that
//! `dedup run` protected against spreadsheet formulas still matches.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, bail};

use crate::output::unneutralize;

/// How gold rows name documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldKey {
    DocId,
    Path,
}

/// A gold labelling: document key → gold cluster label, in file order.
#[derive(Debug, Clone, Default)]
pub struct Gold {
    pub key: Option<GoldKey>,
    pub labels: Vec<(String, String)>,
}

/// One row of `clusters.csv`, as eval needs it.
#[derive(Debug, Clone)]
pub struct Predicted {
    pub doc_id: String,
    pub path: String,
    pub cluster: String,
}

/// A cluster named in a report: its label and the documents in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Group {
    pub label: String,
    pub docs: Vec<String>,
}

/// A predicted cluster that joins documents of several gold clusters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FalseMerge {
    pub predicted: String,
    pub wrong_pairs: u64,
    /// The gold clusters it mixes, largest first.
    pub gold: Vec<Group>,
}

/// A gold cluster split over several predicted clusters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Miss {
    pub gold: String,
    pub missed_pairs: u64,
    /// The predicted clusters it is split over, largest first.
    pub predicted: Vec<Group>,
}

/// Scores of a clustering against a gold labelling.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Gold documents scored.
    pub documents: usize,
    pub gold_clusters: usize,
    pub predicted_clusters: usize,
    /// Gold documents that the clustering does not list (counted as
    /// singletons).
    pub missing: Vec<String>,
    /// Documents of the clustering that the gold does not label.
    pub unlabelled: usize,
    pub gold_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub ari: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
    pub false_merges: Vec<FalseMerge>,
    pub misses: Vec<Miss>,
}

/// Read a gold CSV: a `cluster` column and a `doc_id` or `path` column.
pub fn read_gold(path: &Path) -> anyhow::Result<Gold> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read gold file {}", path.display()))?;
    let header = rdr
        .headers()
        .with_context(|| format!("cannot read the header of {}", path.display()))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (key, key_col) = match (col("doc_id"), col("path")) {
        (Some(i), _) => (GoldKey::DocId, i),
        (None, Some(i)) => (GoldKey::Path, i),
        (None, None) => bail!(
            "{}: the gold needs a doc_id or a path column (found: {})",
            path.display(),
            header.iter().collect::<Vec<_>>().join(", ")
        ),
    };
    let Some(cluster_col) = col("cluster").or_else(|| col("cluster_id")) else {
        bail!("{}: the gold needs a cluster column", path.display());
    };
    let mut labels = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        let (Some(k), Some(c)) = (rec.get(key_col), rec.get(cluster_col)) else {
            bail!("{}: row {} is too short", path.display(), i + 2);
        };
        let k = k.trim();
        if k.is_empty() {
            continue;
        }
        labels.push((k.to_owned(), c.trim().to_owned()));
    }
    Ok(Gold {
        key: Some(key),
        labels,
    })
}

/// Read the `doc_id`, `path` and `cluster_id` columns of a `clusters.csv`.
pub fn read_clusters(path: &Path) -> anyhow::Result<Vec<Predicted>> {
    let mut rdr = csv::Reader::from_path(path)
        .with_context(|| format!("cannot read clusters file {}", path.display()))?;
    let header = rdr
        .headers()
        .with_context(|| format!("cannot read the header of {}", path.display()))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{} has no {name} column", path.display()))
    };
    let (d, p, c) = (col("doc_id")?, col("path")?, col("cluster_id")?);
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        let cell = |j: usize| unneutralize(rec.get(j).unwrap_or("")).to_owned();
        out.push(Predicted {
            doc_id: cell(d),
            path: cell(p),
            cluster: cell(c),
        });
    }
    Ok(out)
}

/// Score `predicted` against `gold`; report at most `worst` merges and misses.
pub fn evaluate(gold: &Gold, predicted: &[Predicted], worst: usize) -> anyhow::Result<Report> {
    let by_path = gold.key == Some(GoldKey::Path);
    // Predicted cluster per key. A path that several records share (one
    // JSONL file) cannot name one document.
    let mut pred_of: HashMap<&str, Option<&str>> = HashMap::new();
    for p in predicted {
        let key = if by_path { &p.path } else { &p.doc_id };
        pred_of
            .entry(key.as_str())
            .and_modify(|c| *c = None)
            .or_insert(Some(p.cluster.as_str()));
    }
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let mut docs: Vec<(&str, &str, String)> = Vec::new(); // key, gold, predicted
    let mut missing = Vec::new();
    for (key, label) in &gold.labels {
        if seen.insert(key.as_str(), ()).is_some() {
            bail!("the gold lists {key} twice");
        }
        match pred_of.get(key.as_str()) {
            Some(Some(c)) => docs.push((key, label, format!("p:{c}"))),
            Some(None) => bail!(
                "{key} names several documents of the clustering (records of one file); label them by doc_id"
            ),
            None => {
                missing.push(key.clone());
                docs.push((key, label, format!("missing:{key}")));
            }
        }
    }
    let unlabelled = pred_of.keys().filter(|k| !seen.contains_key(*k)).count();

    // Contingency table of (gold, predicted) cluster sizes.
    let mut cells: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut gold_sizes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut pred_sizes: BTreeMap<&str, u64> = BTreeMap::new();
    for (_, g, p) in &docs {
        *cells.entry((g, p.as_str())).or_default() += 1;
        *gold_sizes.entry(g).or_default() += 1;
        *pred_sizes.entry(p.as_str()).or_default() += 1;
    }
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let correct: u64 = cells.values().map(|&n| pairs(n)).sum();
    let gold_pairs: u64 = gold_sizes.values().map(|&n| pairs(n)).sum();
    let pred_pairs: u64 = pred_sizes.values().map(|&n| pairs(n)).sum();
    let n = docs.len() as u64;
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(correct, pred_pairs);
    let recall = ratio(correct, gold_pairs);
    let f1 = harmonic(precision, recall);
    let total = pairs(n) as f64;
    let expected = if total == 0.0 {
        0.0
    } else {
        gold_pairs as f64 * pred_pairs as f64 / total
    };
    let max_index = (gold_pairs + pred_pairs) as f64 / 2.0;
    let ari = if (max_index - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (correct as f64 - expected) / (max_index - expected)
    };
    // B-cubed: for each document, the share of its predicted cluster that is
    // in its gold cluster, and the reverse; summed per cell.
    let (mut bp, mut br) = (0.0, 0.0);
    for (&(g, p), &c) in &cells {
        bp += (c * c) as f64 / pred_sizes[p] as f64;
        br += (c * c) as f64 / gold_sizes[g] as f64;
    }
    let (bp, br) = if n == 0 {
        (1.0, 1.0)
    } else {
        (bp / n as f64, br / n as f64)
    };

    let mut members: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (key, g, p) in &docs {
        members.entry((g, p.as_str())).or_default().push(key);
    }
    let group = |label: &str, docs: &[&str]| Group {
        label: label.strip_prefix("p:").unwrap_or(label).to_owned(),
        docs: {
            let mut v: Vec<String> = docs.iter().map(|s| (*s).to_owned()).collect();
            v.sort();
            v
        },
    };
    let mut false_merges: Vec<FalseMerge> = Vec::new();
    let mut by_pred: BTreeMap<&str, Vec<(&str, &Vec<&str>)>> = BTreeMap::new();
    let mut by_gold: BTreeMap<&str, Vec<(&str, &Vec<&str>)>> = BTreeMap::new();
    for ((g, p), keys) in &members {
        by_pred.entry(p).or_default().push((g, keys));
        by_gold.entry(g).or_default().push((p, keys));
    }
    for (p, parts) in &by_pred {
        if parts.len() < 2 {
            continue;
        }
        let size = pred_sizes[p];
        let within: u64 = parts.iter().map(|(_, k)| pairs(k.len() as u64)).sum();
        let mut gold: Vec<Group> = parts.iter().map(|(g, k)| group(g, k)).collect();
        gold.sort_by(|a, b| b.docs.len().cmp(&a.docs.len()).then(a.label.cmp(&b.label)));
        false_merges.push(FalseMerge {
            predicted: p.strip_prefix("p:").unwrap_or(p).to_owned(),
            wrong_pairs: pairs(size) - within,
            gold,
        });
    }
    false_merges.sort_by(|a, b| {
        b.wrong_pairs
            .cmp(&a.wrong_pairs)
            .then(a.predicted.cmp(&b.predicted))
    });
    false_merges.truncate(worst);
    let mut misses: Vec<Miss> = Vec::new();
    for (g, parts) in &by_gold {
        if parts.len() < 2 {
            continue;
        }
        let size = gold_sizes[g];
        let within: u64 = parts.iter().map(|(_, k)| pairs(k.len() as u64)).sum();
        let mut predicted: Vec<Group> = parts.iter().map(|(p, k)| group(p, k)).collect();
        predicted.sort_by(|a, b| b.docs.len().cmp(&a.docs.len()).then(a.label.cmp(&b.label)));
        misses.push(Miss {
            gold: (*g).to_owned(),
            missed_pairs: pairs(size) - within,
            predicted,
        });
    }
    misses.sort_by(|a, b| {
        b.missed_pairs
            .cmp(&a.missed_pairs)
            .then(a.gold.cmp(&b.gold))
    });
    misses.truncate(worst);

    Ok(Report {
        documents: docs.len(),
        gold_clusters: gold_sizes.len(),
        predicted_clusters: pred_sizes.len(),
        missing,
        unlabelled,
        gold_pairs,
        predicted_pairs: pred_pairs,
        correct_pairs: correct,
        precision,
        recall,
        f1,
        ari,
        bcubed_precision: bp,
        bcubed_recall: br,
        bcubed_f1: harmonic(bp, br),
        false_merges,
        misses,
    })
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Report {
    /// The report as a person reads it.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "documents {}   gold clusters {}   predicted clusters {}",
            self.documents, self.gold_clusters, self.predicted_clusters
        );
        let _ = writeln!(
            s,
            "pairwise   precision {:.4}  recall {:.4}  F1 {:.4}   (gold pairs {}, predicted {}, correct {})",
            self.precision,
            self.recall,
            self.f1,
            self.gold_pairs,
            self.predicted_pairs,
            self.correct_pairs
        );
        let _ = writeln!(s, "ARI        {:.4}", self.ari);
        let _ = writeln!(
            s,
            "B-cubed    precision {:.4}  recall {:.4}  F1 {:.4}",
            self.bcubed_precision, self.bcubed_recall, self.bcubed_f1
        );
        if !self.missing.is_empty() {
            let _ = writeln!(
                s,
                "missing    {} gold documents are not in the clustering (counted as singletons), e.g. {}",
                self.missing.len(),
                self.missing[0]
            );
        }
        if self.unlabelled > 0 {
            let _ = writeln!(
                s,
                "unlabelled {} documents of the clustering are not in the gold (ignored)",
                self.unlabelled
            );
        }
        let _ = writeln!(s, "worst false merges:");
        if self.false_merges.is_empty() {
            let _ = writeln!(s, "  none");
        }
        for m in &self.false_merges {
            let _ = writeln!(
                s,
                "  predicted cluster {}: {} wrong pairs, {} gold clusters",
                m.predicted,
                m.wrong_pairs,
                m.gold.len()
            );
            for g in &m.gold {
                let _ = writeln!(
                    s,
                    "    gold {} ({}): {}",
                    g.label,
                    g.docs.len(),
                    list(&g.docs)
                );
            }
        }
        let _ = writeln!(s, "worst misses:");
        if self.misses.is_empty() {
            let _ = writeln!(s, "  none");
        }
        for m in &self.misses {
            let _ = writeln!(
                s,
                "  gold cluster {}: {} missed pairs, split over {} predicted clusters",
                m.gold,
                m.missed_pairs,
                m.predicted.len()
            );
            for p in &m.predicted {
                let label = if p.label.starts_with("missing:") {
                    "(not in the clustering)".to_owned()
                } else {
                    format!("predicted {}", p.label)
                };
                let _ = writeln!(s, "    {label} ({}): {}", p.docs.len(), list(&p.docs));
            }
        }
        s
    }
}

/// At most six items, then a count of the rest.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut out = items[..items.len().min(SHOWN)].join(" ");
    if items.len() > SHOWN {
        out.push_str(&format!(" ... and {} more", items.len() - SHOWN));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(rows: &[(&str, &str)]) -> Gold {
        Gold {
            key: Some(GoldKey::DocId),
            labels: rows
                .iter()
                .map(|(k, c)| ((*k).to_owned(), (*c).to_owned()))
                .collect(),
        }
    }

    fn pred(rows: &[(&str, &str)]) -> Vec<Predicted> {
        rows.iter()
            .map(|(k, c)| Predicted {
                doc_id: (*k).to_owned(),
                path: (*k).to_owned(),
                cluster: (*c).to_owned(),
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn hand_computed_partitions() {
        // The cases of bench/score.py --selftest, computed by hand.
        // (gold, predicted, precision, recall, ari, bcubed p, bcubed r)
        let g = gold(&[("a", "X"), ("b", "X"), ("c", "X"), ("d", "Y"), ("e", "Y")]);
        let cases: Vec<(Vec<Predicted>, f64, f64, f64, f64, f64)> = vec![
            (
                pred(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "2"), ("e", "2")]),
                0.5,
                0.5,
                1.0 / 6.0,
                11.0 / 15.0,
                11.0 / 15.0,
            ),
            (
                pred(&[("a", "1"), ("b", "1"), ("c", "1"), ("d", "2"), ("e", "2")]),
                1.0,
                1.0,
                1.0,
                1.0,
                1.0,
            ),
            (
                // All singletons: no predicted pairs, precision 1 by convention.
                pred(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")]),
                1.0,
                0.0,
                0.0,
                1.0,
                (3.0 * (1.0 / 3.0) + 2.0 * 0.5) / 5.0,
            ),
        ];
        for (p, precision, recall, ari, bp, br) in cases {
            let r = evaluate(&g, &p, 10).unwrap();
            assert!(close(r.precision, precision), "P {}", r.precision);
            assert!(close(r.recall, recall), "R {}", r.recall);
            assert!(close(r.ari, ari), "ARI {}", r.ari);
            assert!(close(r.bcubed_precision, bp), "BP {}", r.bcubed_precision);
            assert!(close(r.bcubed_recall, br), "BR {}", r.bcubed_recall);
        }
    }

    #[test]
    fn merges_and_misses_name_the_documents() {
        let g = gold(&[("a", "X"), ("b", "X"), ("c", "X"), ("d", "Y"), ("e", "Y")]);
        let p = pred(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "2"), ("e", "2")]);
        let r = evaluate(&g, &p, 10).unwrap();
        assert_eq!(r.false_merges.len(), 1);
        assert_eq!(r.false_merges[0].predicted, "2");
        assert_eq!(r.false_merges[0].wrong_pairs, 2);
        assert_eq!(r.false_merges[0].gold[0].docs, vec!["d", "e"]);
        assert_eq!(r.misses.len(), 1);
        assert_eq!(r.misses[0].gold, "X");
        assert_eq!(r.misses[0].missed_pairs, 2);
        assert!(r.render().contains("gold X (2): d e") || r.render().contains("Y (2): d e"));
    }

    #[test]
    fn missing_and_unlabelled_documents() {
        let g = gold(&[("a", "X"), ("b", "X"), ("z", "X")]);
        let p = pred(&[("a", "1"), ("b", "1"), ("q", "9")]);
        let r = evaluate(&g, &p, 10).unwrap();
        assert_eq!(r.missing, vec!["z"]);
        assert_eq!(r.unlabelled, 1);
        assert_eq!(r.documents, 3);
        assert!(close(r.recall, 1.0 / 3.0));
        assert!(r.render().contains("(not in the clustering)"));
    }

    #[test]
    fn duplicate_gold_rows_are_an_error() {
        let g = gold(&[("a", "X"), ("a", "Y")]);
        assert!(evaluate(&g, &pred(&[("a", "1")]), 10).is_err());
    }

    #[test]
    fn a_shared_path_cannot_name_a_document() {
        let g = Gold {
            key: Some(GoldKey::Path),
            labels: vec![("feed.jsonl".into(), "X".into())],
        };
        let p = vec![
            Predicted {
                doc_id: "feed.jsonl:1".into(),
                path: "feed.jsonl".into(),
                cluster: "1".into(),
            },
            Predicted {
                doc_id: "feed.jsonl:2".into(),
                path: "feed.jsonl".into(),
                cluster: "2".into(),
            },
        ];
        assert!(evaluate(&g, &p, 10).is_err());
    }
}
