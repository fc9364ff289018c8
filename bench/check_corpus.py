#!/usr/bin/env python3
"""Sanity checks for a corpus built by make_corpus.py.

    python3 bench/check_corpus.py /tmp/dedup-bench/eval

For every document in gold.csv: the file exists, it decodes with the encoding
recorded in its transforms (BOMs where expected, strict decoding), the header
has the scraper's shape (date / title: / url: lines, then a blank line), and,
when boilerplate_gold.jsonl exists, every gold sentence and every inserted
furniture string is a literal substring of the decoded body.  Prints counts
per language, encoding and transform.  Exit code 1 on any failure.
"""

import argparse
import collections
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_corpus import decode_doc  # noqa: E402

HEADER_RE = re.compile(r"^( ?date \d{4}-\d{2}-\d{2} ?|title: .*|url: https://[^ ]+)$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", help="folder made by make_corpus.py (holds corpus/ and gold.csv)")
    ap.add_argument("--max-errors", type=int, default=20)
    args = ap.parse_args()
    corpus = os.path.join(args.out, "corpus")
    bp = {}
    bp_path = os.path.join(args.out, "boilerplate_gold.jsonl")
    if os.path.exists(bp_path):
        with open(bp_path, encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                bp[o["doc_id"]] = o
    errors = []
    lang_docs = collections.Counter()
    lang_clusters = collections.defaultdict(set)
    enc_count = collections.Counter()
    tr_count = collections.Counter()
    n = 0
    on_disk = 0
    for root, _dirs, files in os.walk(corpus):
        on_disk += sum(1 for f in files if f.endswith(".txt"))
    with open(os.path.join(args.out, "gold.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            n += 1
            doc, lang = row["doc_id"], row["lang"]
            lang_docs[lang] += 1
            lang_clusters[lang].add(row["cluster"])
            tr = row["transforms"].split(";") if row["transforms"] else []
            for t in tr:
                if not t.startswith("enc"):
                    tr_count[t.split(":", 1)[0]] += 1
            encs = [t[4:] for t in tr if t.startswith("enc:")]
            if len(encs) != 1:
                errors.append("%s: no single enc: in transforms" % doc)
                continue
            enc = encs[0]
            enc_count[enc] += 1
            try:
                with open(os.path.join(corpus, doc), "rb") as fh:
                    data = fh.read()
                text = decode_doc(data, enc)
            except Exception as e:  # noqa: BLE001
                errors.append("%s: cannot decode as %s: %s" % (doc, enc, e))
                continue
            if enc in ("utf-8",) and data.startswith(b"\xef\xbb\xbf"):
                errors.append("%s: unexpected BOM" % doc)
            text = text.replace("\r\n", "\n")
            head, sep, body = text.partition("\n\n")
            if not sep or not head.strip():
                errors.append("%s: no header block" % doc)
                continue
            for line in head.split("\n"):
                if not HEADER_RE.match(line):
                    errors.append("%s: bad header line %r" % (doc, line[:80]))
            if doc in bp:
                for s in bp[doc]["sentences"] + bp[doc]["inserted"]:
                    if s not in body:
                        errors.append("%s: gold string not in body: %r" % (doc, s[:80]))
                        break
                if not bp[doc]["sentences"]:
                    errors.append("%s: no sentences" % doc)
            if len(errors) >= args.max_errors:
                break
    print("documents in gold.csv: %d, .txt files on disk: %d" % (n, on_disk))
    print("per language (docs / clusters):")
    for l in sorted(lang_docs):
        print("  %s  %5d / %4d" % (l, lang_docs[l], len(lang_clusters[l])))
    print("encodings:", dict(sorted(enc_count.items())))
    print("transforms (docs):", dict(sorted(tr_count.items())))
    if n == 0:
        errors.append("gold.csv has no documents")
    if n != on_disk:
        errors.append("gold.csv has %d rows but %d files on disk" % (n, on_disk))
    if errors:
        print("FAILED (%d errors shown):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("OK: every document decodes with its recorded encoding%s" % (
        "; every gold sentence and inserted string is in its body" if bp else ""))


if __name__ == "__main__":
    main()
