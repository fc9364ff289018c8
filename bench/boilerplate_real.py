#!/usr/bin/env python3
"""Run dedup's boilerplate removal on real scraped text and show what it cut.

    python3 bench/boilerplate_real.py [--shared ../shared] [--dedup target/release/dedup]
        [--out /tmp/dedup-bench/real-bp] [--rows 40]

Real corpora carry real furniture, but no labels saying where it is. This
script converts three of them to dedup's JSONL input at run time (nothing
is copied into the repository), runs `dedup run --boilerplate-report
--documents` on each, and prints what the detectors did, so a person can
read it and judge:

* `masakhane-fra`: MasakhaNEWS French (BBC Afrique), dev + test;
* `masakhane-eng`: MasakhaNEWS English (BBC), dev + test;
* `sadedegel`: sadedegel's raw Turkish news and column texts (one site).

Each corpus is one source (MasakhaNEWS is all BBC; sadedegel's raw texts
come from one site), the hardest case for the learned detector: one big
source whose own stock phrases recur as often as its furniture.

For each run it prints the summary line, the removals per kind, every
learned span of `boilerplate.csv` (source, documents, distinct articles,
words, text) up to `--rows`, and a sample of lexicon removals per kind.

Exit status: 0, or 3 when the shared corpora are missing, 2 when dedup
fails.
"""

import argparse
import collections
import csv
import glob
import json
import os
import subprocess
import sys

EXIT_NO_CORPORA = 3


def masakhane(root, code):
    rows = []
    for split in ("dev", "test"):
        path = os.path.join(root, "data", code, split + ".tsv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", newline="") as f:
            r = csv.reader(f, delimiter="\t")
            next(r, None)
            for row in r:
                if len(row) < 4:
                    continue
                _cat, head, text, url = row[:4]
                rows.append({"title": head, "text": text, "url": url, "source": "bbc.com", "lang": code[:2]})
    return rows


def sadedegel(root):
    rows = []
    for path in sorted(glob.glob(os.path.join(root, "sadedegel", "dataset", "raw", "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            rows.append({"text": f.read(), "source": "sadedegel", "url": "", "title": os.path.basename(path)})
    return rows


def run(args, name, rows):
    base = os.path.join(args.out, name)
    inp = os.path.join(base, "input")
    os.makedirs(inp, exist_ok=True)
    with open(os.path.join(inp, name + ".jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    out = os.path.join(base, "out")
    cmd = [args.dedup, "run", inp, "-o", out, "--force", "--documents", "--boilerplate-report"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write("boilerplate_real.py: dedup failed: %s\n%s" % (" ".join(cmd), res.stderr))
        sys.exit(2)
    print("=" * 78)
    print("%s: %d documents" % (name, len(rows)))
    print(res.stderr.rstrip())
    csv.field_size_limit(1 << 30)
    kinds = collections.Counter()
    samples = collections.defaultdict(list)
    with open(os.path.join(out, "removed.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            kinds[row["kind"]] += 1
            if len(samples[row["kind"]]) < 6:
                samples[row["kind"]].append(row["text"])
    print("removals by kind: " + ", ".join("%s %d" % kv for kv in kinds.most_common()))
    with open(os.path.join(out, "boilerplate.csv"), encoding="utf-8", newline="") as f:
        report = list(csv.DictReader(f))
    print("learned spans (boilerplate.csv): %d rows; source, documents, articles, words, text [example cut]"
          % len(report))
    for row in report[: args.rows]:
        example = "" if row["example"] == row["text"] else "  [%s]" % row["example"][:160].replace("\n", " ")
        print("  %s | %s | %s | %s | %s%s" % (row["source"], row["documents"], row["articles"], row["words"],
                                              row["text"][:160].replace("\n", " "), example))
    for kind, texts in sorted(samples.items()):
        if kind.startswith("learned"):
            continue
        print("sample %s:" % kind)
        for t in texts:
            print("    " + t[:160].replace("\n", " "))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    ap.add_argument("--dedup", default="target/release/dedup")
    ap.add_argument("--out", default="/tmp/dedup-bench/real-bp")
    ap.add_argument("--rows", type=int, default=40, help="learned spans to print per corpus [default: 40]")
    args = ap.parse_args()
    corpora = os.path.join(args.shared, "corpora")
    mak = os.path.join(corpora, "masakhanews_fra_eng")
    sdg = os.path.join(corpora, "sadedegel_turkish_news")
    missing = [p for p in (mak, sdg) if not os.path.isdir(p)]
    if missing:
        sys.stderr.write("boilerplate_real.py: needs the shared real corpora; missing: %s\n"
                         "Pass --shared /path/to/shared (it holds corpora/).\n" % ", ".join(missing))
        sys.exit(EXIT_NO_CORPORA)
    if not os.path.exists(args.dedup):
        sys.stderr.write("boilerplate_real.py: no dedup binary at %s (cargo build --release)\n" % args.dedup)
        sys.exit(2)
    run(args, "masakhane-fra", masakhane(mak, "fra"))
    run(args, "masakhane-eng", masakhane(mak, "eng"))
    run(args, "sadedegel", sadedegel(sdg))


if __name__ == "__main__":
    main()
