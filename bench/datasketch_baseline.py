#!/usr/bin/env python3
"""The usual Python near-duplicate recipe, as the baseline dedup is compared against.

    python3 bench/datasketch_baseline.py CORPUS_DIR -o OUTDIR [--threshold 0.5] [--num-perm 128] [--ngram 5]

Reads every .txt file under CORPUS_DIR (bytes decoded as UTF-8 with
errors='replace'; no header parsing, no cleaning, no Unicode normalisation),
lowercases, splits on whitespace, takes word n-gram shingles, builds a
datasketch MinHash per document, inserts all of them into a MinHashLSH index,
queries every document and unions each document with all its candidates
(union-find; candidates are not verified, as in the common recipe).

Writes OUTDIR/clusters.csv (doc_id,path,cluster_id) where doc_id is the path
relative to CORPUS_DIR with '/' separators and cluster_id is an integer,
numbered by the sorted order of each cluster's smallest member path; and
OUTDIR/timing.json.  Needs `pip install datasketch` (run in a venv).
"""

import argparse
import csv
import json
import os
import sys
import time


def find_docs(root):
    out = []
    for d, _dirs, files in os.walk(root):
        for f in files:
            if f.endswith(".txt"):
                full = os.path.join(d, f)
                out.append((os.path.relpath(full, root).replace(os.sep, "/"), full))
    out.sort()
    return out


class UnionFind:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, x):
        p = self.p
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.p[rb] = ra
            else:
                self.p[ra] = rb


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--ngram", type=int, default=5)
    args = ap.parse_args()
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        sys.exit("datasketch_baseline.py: needs datasketch (python3 -m venv /tmp/dsvenv && "
                 "/tmp/dsvenv/bin/pip install datasketch)")
    import datasketch

    t0 = time.time()
    docs = find_docs(args.corpus)
    n = len(docs)
    n_ = args.ngram
    minhashes = []
    total_bytes = 0
    t_read = 0.0
    for _rel, full in docs:
        ta = time.time()
        with open(full, "rb") as f:
            data = f.read()
        t_read += time.time() - ta
        total_bytes += len(data)
        toks = data.decode("utf-8", errors="replace").lower().split()
        if len(toks) >= n_:
            sh = {" ".join(toks[i:i + n_]) for i in range(len(toks) - n_ + 1)}
        elif toks:
            sh = {" ".join(toks)}
        else:
            sh = set()
        m = MinHash(num_perm=args.num_perm)
        if sh:
            m.update_batch([s.encode("utf-8") for s in sh])
        minhashes.append(m if sh else None)
    t1 = time.time()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    for i, m in enumerate(minhashes):
        if m is not None:
            lsh.insert(i, m)
    t2 = time.time()
    uf = UnionFind(n)
    cand_pairs = 0
    for i, m in enumerate(minhashes):
        if m is None:
            continue
        for j in lsh.query(m):
            if j != i:
                cand_pairs += 1
                uf.union(i, j)
    t3 = time.time()
    # cluster ids by sorted order of the smallest member path (docs are sorted, so
    # the first time a root is seen is at its smallest member)
    cid = {}
    rows = []
    for i, (rel, full) in enumerate(docs):
        r = uf.find(i)
        if r not in cid:
            cid[r] = len(cid)
        rows.append((rel, full, cid[r]))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "clusters.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["doc_id", "path", "cluster_id"])
        w.writerows(rows)
    t4 = time.time()
    timing = {
        "tool": "datasketch %s MinHash+MinHashLSH" % datasketch.__version__,
        "threshold": args.threshold, "num_perm": args.num_perm, "ngram": args.ngram,
        "documents": n, "bytes": total_bytes, "clusters": len(cid),
        "candidate_pairs_directed": cand_pairs,
        "seconds": {"read_shingle_minhash": round(t1 - t0, 3), "of_which_file_read": round(t_read, 3),
                    "lsh_insert": round(t2 - t1, 3), "lsh_query_union": round(t3 - t2, 3),
                    "write": round(t4 - t3, 3), "total": round(t4 - t0, 3)},
    }
    with open(os.path.join(args.out, "timing.json"), "w", encoding="utf-8") as f:
        json.dump(timing, f, indent=1)
        f.write("\n")
    print("%d documents, %d clusters, %.2fs total (minhash %.2fs, lsh %.2fs, query %.2fs)" % (
        n, len(cid), t4 - t0, t1 - t0, t2 - t1, t3 - t2), file=sys.stderr)


if __name__ == "__main__":
    main()
