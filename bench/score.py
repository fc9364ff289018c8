#!/usr/bin/env python3
"""Score a predicted clustering against the benchmark gold.

    python3 bench/score.py CLUSTERS_CSV GOLD_CSV [--json] [--worst 10]
    python3 bench/score.py --selftest

CLUSTERS_CSV needs the columns doc_id and cluster_id (others are ignored);
GOLD_CSV needs doc_id and cluster (lang and transforms are used for the
breakdowns when present).  Documents in gold but missing from the prediction
count as singletons; predicted documents not in gold are ignored.  Both are
reported.

Metrics: pairwise precision / recall / F1 (over all document pairs put in
the same cluster), adjusted Rand index (Hubert & Arabie), B-cubed precision /
recall / F1, per-language pairwise scores, pairwise recall per transform
(of gold pairs that involve a document with that transform), and the worst
false merges (predicted clusters mixing gold clusters, by number of wrong
pairs) and misses (gold clusters split over predicted clusters, by number of
missed pairs), with their doc_ids.  Standard library only.
"""

import argparse
import collections
import csv
import json
import signal
import sys


def c2(n):
    return n * (n - 1) // 2


def read_csv(path, key_col, val_col):
    csv.field_size_limit(1 << 30)
    out, extra = {}, {}
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        if key_col not in r.fieldnames or val_col not in r.fieldnames:
            sys.exit("score.py: %s needs columns %s and %s (has %s)" % (path, key_col, val_col, r.fieldnames))
        for row in r:
            out[row[key_col]] = row[val_col]
            extra[row[key_col]] = row
    return out, extra


def score(pred, gold, gold_rows=None, worst=10):
    """pred, gold: dict doc_id -> cluster label.  Returns a dict of metrics."""
    docs = sorted(gold)
    n = len(docs)
    missing = [d for d in docs if d not in pred]
    extra = sum(1 for d in pred if d not in gold)
    # missing docs become singletons
    p_of = {d: ("p", pred[d]) if d in pred else ("missing", d) for d in docs}
    g_of = {d: gold[d] for d in docs}
    cont = collections.Counter((g_of[d], p_of[d]) for d in docs)
    gsize = collections.Counter(g_of.values())
    psize = collections.Counter(p_of.values())
    tp = sum(c2(v) for v in cont.values())
    gold_pairs = sum(c2(v) for v in gsize.values())
    pred_pairs = sum(c2(v) for v in psize.values())
    prec = tp / pred_pairs if pred_pairs else 1.0
    rec = tp / gold_pairs if gold_pairs else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    total = c2(n)
    if total == 0:
        ari = 1.0
    else:
        expected = gold_pairs * pred_pairs / total
        max_index = (gold_pairs + pred_pairs) / 2
        if max_index == expected:
            ari = 1.0 if tp == max_index else 0.0
        else:
            ari = (tp - expected) / (max_index - expected)
    bp = sum(v * v / psize[pk] for (gk, pk), v in cont.items()) / n if n else 1.0
    br = sum(v * v / gsize[gk] for (gk, pk), v in cont.items()) / n if n else 1.0
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0

    # worst false merges / misses
    members = collections.defaultdict(list)
    for d in docs:
        members[(g_of[d], p_of[d])].append(d)
    by_pred = collections.defaultdict(list)
    by_gold = collections.defaultdict(list)
    for (gk, pk), v in cont.items():
        by_pred[pk].append((gk, v))
        by_gold[gk].append((pk, v))
    merges = []
    for pk, parts in by_pred.items():
        if len(parts) < 2:
            continue
        wrong = c2(psize[pk]) - sum(c2(v) for _, v in parts)
        parts.sort(key=lambda x: (-x[1], str(x[0])))
        merges.append(dict(pred_cluster=pk[1] if pk[0] == "p" else None, size=psize[pk], gold_clusters=len(parts),
                           wrong_pairs=wrong,
                           groups=[dict(gold=gk, docs=sorted(members[(gk, pk)])[:3], n=v) for gk, v in parts[:4]]))
    merges.sort(key=lambda m: (-m["wrong_pairs"], str(m["pred_cluster"])))
    misses = []
    for gk, parts in by_gold.items():
        if len(parts) < 2:
            continue
        missed = c2(gsize[gk]) - sum(c2(v) for _, v in parts)
        parts.sort(key=lambda x: (-x[1], str(x[1])))
        misses.append(dict(gold_cluster=gk, size=gsize[gk], pred_clusters=len(parts), missed_pairs=missed,
                           groups=[dict(pred=pk[1] if pk[0] == "p" else None, docs=sorted(members[(gk, pk)])[:3], n=v)
                                   for pk, v in parts[:4]]))
    misses.sort(key=lambda m: (-m["missed_pairs"], m["gold_cluster"]))

    res = dict(docs=n, gold_clusters=len(gsize), pred_clusters=len(psize), gold_pairs=gold_pairs,
               pred_pairs=pred_pairs, true_pairs=tp,
               pairwise_precision=prec, pairwise_recall=rec, pairwise_f1=f1, ari=ari,
               bcubed_precision=bp, bcubed_recall=br, bcubed_f1=bf,
               missing_from_prediction=len(missing), extra_in_prediction=extra,
               worst_false_merges=merges[:worst], worst_misses=misses[:worst])

    if gold_rows:
        # per-language pairwise scores (pairs inside one language)
        langs = sorted({gold_rows[d].get("lang", "") for d in docs} - {""})
        if langs:
            per = {}
            for lang in langs:
                sub = [d for d in docs if gold_rows[d].get("lang") == lang]
                cc = collections.Counter((g_of[d], p_of[d]) for d in sub)
                gs = collections.Counter(g_of[d] for d in sub)
                ps = collections.Counter(p_of[d] for d in sub)
                t = sum(c2(v) for v in cc.values())
                gp = sum(c2(v) for v in gs.values())
                pp = sum(c2(v) for v in ps.values())
                p_ = t / pp if pp else 1.0
                r_ = t / gp if gp else 1.0
                per[lang] = dict(docs=len(sub), precision=p_, recall=r_,
                                 f1=2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0)
            res["per_language"] = per
        # pairwise recall per transform: gold pairs with at least one doc carrying it
        if any(gold_rows[d].get("transforms") for d in docs):
            tr_of = {d: {t.split(":", 1)[0] if not t.startswith("enc") else t
                         for t in (gold_rows[d].get("transforms") or "").split(";") if t} for d in docs}
            hit = collections.Counter()
            tot = collections.Counter()
            gmembers = collections.defaultdict(list)
            for d in docs:
                gmembers[g_of[d]].append(d)
            for ds in gmembers.values():
                for i in range(len(ds)):
                    for j in range(i + 1, len(ds)):
                        a, b = ds[i], ds[j]
                        same = p_of[a] == p_of[b]
                        for t in tr_of[a] | tr_of[b]:
                            tot[t] += 1
                            hit[t] += same
            res["pair_recall_by_transform"] = {t: dict(pairs=tot[t], recall=hit[t] / tot[t]) for t in sorted(tot)}
    return res


def print_report(res, out=sys.stdout):
    f = lambda x: "%.4f" % x  # noqa: E731
    print("docs %d   gold clusters %d   predicted clusters %d" % (res["docs"], res["gold_clusters"],
                                                                   res["pred_clusters"]), file=out)
    if res["missing_from_prediction"] or res["extra_in_prediction"]:
        print("missing from prediction (scored as singletons): %d   predicted but not in gold (ignored): %d" % (
            res["missing_from_prediction"], res["extra_in_prediction"]), file=out)
    print("pairwise  precision %s  recall %s  F1 %s   (gold pairs %d, predicted %d, correct %d)" % (
        f(res["pairwise_precision"]), f(res["pairwise_recall"]), f(res["pairwise_f1"]),
        res["gold_pairs"], res["pred_pairs"], res["true_pairs"]), file=out)
    print("ARI       %s" % f(res["ari"]), file=out)
    print("B-cubed   precision %s  recall %s  F1 %s" % (f(res["bcubed_precision"]), f(res["bcubed_recall"]),
                                                        f(res["bcubed_f1"])), file=out)
    if res.get("per_language"):
        print("per language (pairwise):", file=out)
        for l, v in res["per_language"].items():
            print("  %-3s docs %5d  P %s  R %s  F1 %s" % (l, v["docs"], f(v["precision"]), f(v["recall"]),
                                                         f(v["f1"])), file=out)
    if res.get("pair_recall_by_transform"):
        print("pairwise recall of gold pairs involving a transform:", file=out)
        items = list(res["pair_recall_by_transform"].items())
        for i in range(0, len(items), 4):
            print("  " + "   ".join("%-16s %s (%d)" % (t, f(v["recall"]), v["pairs"]) for t, v in items[i:i + 4]),
                  file=out)
    print("worst false merges:", file=out)
    for m in res["worst_false_merges"]:
        print("  predicted %s: %d docs from %d gold clusters, %d wrong pairs" % (
            m["pred_cluster"], m["size"], m["gold_clusters"], m["wrong_pairs"]), file=out)
        for g in m["groups"]:
            print("      gold %s (%d): %s" % (g["gold"], g["n"], " ".join(g["docs"])), file=out)
    if not res["worst_false_merges"]:
        print("  none", file=out)
    print("worst misses:", file=out)
    for m in res["worst_misses"]:
        print("  gold %s: %d docs split over %d predicted clusters, %d missed pairs" % (
            m["gold_cluster"], m["size"], m["pred_clusters"], m["missed_pairs"]), file=out)
        for g in m["groups"]:
            print("      predicted %s (%d): %s" % (g["pred"], g["n"], " ".join(g["docs"])), file=out)
    if not res["worst_misses"]:
        print("  none", file=out)


def selftest():
    def close(a, b):
        return abs(a - b) < 1e-9

    ok = True

    def check(name, got, want):
        nonlocal ok
        good = close(got, want)
        ok &= good
        print("  %-48s %.6f  want %.6f  %s" % (name, got, want, "ok" if good else "FAIL"))

    # Case 1 (by hand): gold {a,b,c}{d,e}; predicted {a,b}{c,d,e}.
    # contingency: (g1,p1)=2 (g1,p2)=1 (g2,p2)=2  -> index = C(2,2)+C(2,2) = 2
    # gold pairs 3+1 = 4, predicted pairs 1+3 = 4, C(5,2) = 10 -> expected 1.6, max 4
    # ARI = (2-1.6)/(4-1.6) = 1/6; pairwise P = R = 2/4
    # B-cubed P = (1+1+1/3+2/3+2/3)/5 = 11/15; R = (2/3+2/3+1/3+1+1)/5 = 11/15
    gold = dict(a=1, b=1, c=1, d=2, e=2)
    pred = dict(a="x", b="x", c="y", d="y", e="y")
    r = score(pred, gold)
    print("case 1: gold {a,b,c}{d,e} vs predicted {a,b}{c,d,e}")
    check("ARI", r["ari"], 1 / 6)
    check("pairwise precision", r["pairwise_precision"], 0.5)
    check("pairwise recall", r["pairwise_recall"], 0.5)
    check("B-cubed precision", r["bcubed_precision"], 11 / 15)
    check("B-cubed recall", r["bcubed_recall"], 11 / 15)

    # Case 2: identical partitions (labels renamed) -> everything 1
    r = score(dict(a="u", b="u", c="v", d="w"), dict(a=1, b=1, c=2, d=3))
    print("case 2: identical partitions")
    for k in ("ari", "pairwise_f1", "bcubed_f1"):
        check(k, r[k], 1.0)

    # Case 3: everything merged vs all singletons -> ARI 0, pairwise P 0, R 1
    r = score(dict(a=0, b=0, c=0, d=0), dict(a=1, b=2, c=3, d=4))
    print("case 3: all merged vs gold all singletons")
    check("ARI", r["ari"], 0.0)
    check("pairwise precision", r["pairwise_precision"], 0.0)
    check("pairwise recall", r["pairwise_recall"], 1.0)
    check("B-cubed precision", r["bcubed_precision"], 0.25)
    check("B-cubed recall", r["bcubed_recall"], 1.0)

    # Case 4 (by hand): gold {a,b}{c,d}{e,f}; predicted {a,b,c,d}{e}{f}.
    # index = 1+1 = 2; gold pairs 3; predicted pairs 6; C(6,2)=15 -> expected 18/15 = 1.2
    # max = 4.5 -> ARI = (2-1.2)/(4.5-1.2) = 0.8/3.3 = 8/33
    r = score(dict(a=1, b=1, c=1, d=1, e=2, f=3), dict(a="A", b="A", c="B", d="B", e="C", f="C"))
    print("case 4: gold {a,b}{c,d}{e,f} vs predicted {a,b,c,d}{e}{f}")
    check("ARI", r["ari"], 8 / 33)
    check("pairwise precision", r["pairwise_precision"], 2 / 6)
    check("pairwise recall", r["pairwise_recall"], 2 / 3)
    # B-cubed P: a,b,c,d each 2/4, e,f 1 -> (4*0.5+2)/6 = 2/3; R: a..d 1, e,f 1/2 -> (4+1)/6 = 5/6
    check("B-cubed precision", r["bcubed_precision"], 2 / 3)
    check("B-cubed recall", r["bcubed_recall"], 5 / 6)
    if r["worst_false_merges"][0]["wrong_pairs"] != 4 or r["worst_misses"][0]["missed_pairs"] != 1:
        ok = False
        print("  worst merge/miss bookkeeping FAIL")

    # Case 5: a document missing from the prediction counts as a singleton
    r = score(dict(a=1), dict(a="A", b="A"))
    print("case 5: missing document")
    check("pairwise recall", r["pairwise_recall"], 0.0)
    ok &= r["missing_from_prediction"] == 1
    print("selftest", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


def main():
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clusters", nargs="?")
    ap.add_argument("gold", nargs="?")
    ap.add_argument("--json", action="store_true", help="print a JSON dict instead of the text report")
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args()
    if args.selftest:
        sys.exit(selftest())
    if not (args.clusters and args.gold):
        ap.error("CLUSTERS_CSV and GOLD_CSV are required")
    pred, _ = read_csv(args.clusters, "doc_id", "cluster_id")
    gold, gold_rows = read_csv(args.gold, "doc_id", "cluster")
    res = score(pred, gold, gold_rows, worst=args.worst)
    if args.json:
        json.dump(res, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_report(res)


if __name__ == "__main__":
    main()
