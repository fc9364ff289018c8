#!/usr/bin/env python3
"""How often does dedup find an article copied into the middle of a longer page?

    python3 bench/embedded.py [--shared ../shared] [--dedup target/release/dedup]
        [--baseline OTHER_DEDUP] [--n 400] [--ratio 1.0] [--seed 1]
        [--places middle,end,random,start] [--work /tmp/dedup-bench/embedded]

A page that quotes a whole article with as much text of its own around it
(a portal that wraps a wire story in its own teasers, an extractor that kept
the page's other stories) holds the article completely: containment 1.0,
but a Jaccard similarity of only about 0.5. LSH banding on the whole text's
signature proposes such a pair with probability 1 - (1 - J^4)^32, about 0.55
at J = 0.4, so the copy is often never checked.

This script builds such pairs at run time from the SemEval-2022 Task 8
articles in ../shared/corpora (ten languages; nothing is copied into the
repository):

* N articles (about N/10 per language, each at least 100 words, or 300
  characters of Chinese), each written as its own document;
* for each article a *page*: the article with about `ratio` times its length
  of text from other articles of the same language around it. `middle`
  puts half of that text before the article and half after, `end` all of it
  before, `start` all of it after (the control: the prefix signature already
  covers a copy at the start), `random` cuts it at a random point (fixed per
  article) and puts the article there. The other text comes from a disjoint pool of
  articles that are not in the corpus themselves, each used once, so a page
  is a copy of its own article only.

Each placement is its own corpus and run (articles and pages in separate
source folders, like two outlets). For each binary it prints, per
placement: the share of article/page pairs that end in one cluster, the
share that banding proposed (in one cluster, or `dedup explain` counts an
agreeing band), the share the exact check calls copies (`is_copy`), the
candidate pairs of the run, and per language the share in one cluster.

Exit status: 0, 3 when the shared corpora are missing, 2 when dedup fails.
"""

import argparse
import collections
import csv
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

EXIT_NO_CORPORA = 3
LANGS = ("en", "de", "es", "it", "tr", "pl", "fr", "ar", "ru", "zh")


def units(text, lang):
    """The text as a list of units to measure and cut by: characters for
    Chinese, words otherwise."""
    if lang == "zh":
        return [c for c in text if not c.isspace()]
    return text.split()


def join(us, lang):
    return ("" if lang == "zh" else " ").join(us)


def semeval_articles(root):
    """Distinct SemEval articles per language, in a fixed order."""
    csv.field_size_limit(1 << 30)
    by_lang = collections.defaultdict(list)
    seen_ids, seen_text = set(), set()
    for name in ("training_set.csv", "testing_set.csv"):
        path = os.path.join(root, name)
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                ids = row["pair_id"].split("_")
                if len(ids) != 2:
                    continue
                for art, text, lang in ((ids[0], row["text1"], row["lang1"]), (ids[1], row["text2"], row["lang2"])):
                    text = " ".join(text.split())
                    if lang not in LANGS or art in seen_ids:
                        continue
                    seen_ids.add(art)
                    digest = hashlib.sha1(text[:200].encode("utf-8")).digest()
                    if digest in seen_text:
                        continue
                    seen_text.add(digest)
                    by_lang[lang].append((art, text))
    for lang in by_lang:
        by_lang[lang].sort()
    return by_lang


def long_enough(text, lang):
    return len(units(text, lang)) >= (300 if lang == "zh" else 100)


def build(by_lang, n, ratio, seed):
    """Targets and their filler text: a list of (lang, id, article, filler
    units). Deterministic for a seed."""
    rng = random.Random(seed)
    per_lang = -(-n // len(LANGS))
    out = []
    for lang in LANGS:
        pool = [a for a in by_lang.get(lang, []) if long_enough(a[1], lang)]
        rng.shuffle(pool)
        fillers = [a for a in by_lang.get(lang, []) if a not in pool[:per_lang] and len(units(a[1], lang)) >= 20]
        rng.shuffle(fillers)
        targets = []
        for art, text in pool:
            if len(targets) == per_lang:
                break
            want = int(len(units(text, lang)) * ratio)
            got = []
            # Whole filler articles, each used once, cut to length.
            while len(got) < want and fillers:
                _, ftext = fillers.pop()
                got.extend(units(ftext, lang))
            if len(got) < want:
                break
            targets.append((lang, art, text, got[:want]))
        out.extend(targets)
    return out


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip() + "\n")


def make_corpus(folder, targets, place):
    """Articles under articles-LANG/, pages under pages-LANG/; returns the
    (article path, page path, lang) pairs, paths as clusters.csv names them."""
    if os.path.exists(folder):
        shutil.rmtree(folder)
    pairs = []
    for lang, art, text, filler in targets:
        a = "articles-%s/%s.txt" % (lang, art)
        p = "pages-%s/%s.txt" % (lang, art)
        half = len(filler) // 2
        if place == "middle":
            before, after = filler[:half], filler[half:]
        elif place == "end":
            before, after = filler, []
        elif place == "random":
            # A fixed cut per article: the same page in every run.
            seed = int.from_bytes(hashlib.sha1(art.encode("utf-8")).digest()[:8], "big")
            cut = random.Random(seed).randint(0, len(filler))
            before, after = filler[:cut], filler[cut:]
        else:
            before, after = [], filler
        parts = [join(before, lang), text, join(after, lang)]
        write(os.path.join(folder, a), text)
        write(os.path.join(folder, p), "\n\n".join(x for x in parts if x))
        pairs.append((a, p, lang))
    return pairs


def run_dedup(dedup, corpus, out):
    cmd = [dedup, "run", corpus, "-o", out, "-q", "--force", "--documents"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write("embedded.py: %s failed (%d):\n%s" % (" ".join(cmd), r.returncode, r.stderr))
        sys.exit(2)
    with open(os.path.join(out, "clusters.csv"), encoding="utf-8", newline="") as f:
        clusters = {row["path"]: row for row in csv.DictReader(f)}
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    return clusters, summary


def explain(dedup, out, a, b):
    r = subprocess.run([dedup, "explain", out, a, b, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write("embedded.py: dedup explain %s %s failed:\n%s" % (a, b, r.stderr))
        sys.exit(2)
    return json.loads(r.stdout)


def measure(dedup, corpus, out, pairs):
    clusters, summary = run_dedup(dedup, corpus, out)
    res = collections.Counter()
    by_lang = collections.defaultdict(collections.Counter)
    for a, p, lang in pairs:
        ra, rp = clusters[a], clusters[p]
        together = ra["cluster_id"] == rp["cluster_id"]
        if together:
            proposed = copy = True
        else:
            e = explain(dedup, out, a, p)
            proposed, copy = e["agreeing_bands"] > 0, e["is_copy"]
        for c in (res, by_lang[lang]):
            c["pairs"] += 1
            c["together"] += together
            c["proposed"] += proposed
            c["copy"] += copy
    return res, by_lang, summary.get("candidate_pairs")


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "  n/a"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--dedup", default=os.path.join(here, "..", "target", "release", "dedup"))
    ap.add_argument("--baseline", help="another dedup binary to measure the same way")
    ap.add_argument("--n", type=int, default=400, help="articles (about n/10 per language)")
    ap.add_argument("--ratio", type=float, default=1.0, help="other text on the page, times the article's length")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--places", default="middle,end,random,start")
    ap.add_argument("--work", default="/tmp/dedup-bench/embedded")
    args = ap.parse_args()

    root = os.path.join(args.shared, "corpora", "semeval2022_task8_hfl")
    if not os.path.exists(os.path.join(root, "training_set.csv")):
        sys.stderr.write("embedded.py: needs the shared real corpora; missing: %s\n"
                         "Pass --shared /path/to/shared (it holds corpora/).\n" % root)
        sys.exit(EXIT_NO_CORPORA)
    binaries = [("candidate", args.dedup)] + ([("baseline", args.baseline)] if args.baseline else [])
    for _, b in binaries:
        if not os.access(b, os.X_OK):
            sys.stderr.write("embedded.py: no dedup binary at %s (cargo build --release)\n" % b)
            sys.exit(2)

    targets = build(semeval_articles(root), args.n, args.ratio, args.seed)
    langs = collections.Counter(t[0] for t in targets)
    print("embedded copies: %d articles (%s), other text %.2f x the article, seed %d"
          % (len(targets), " ".join("%s %d" % kv for kv in sorted(langs.items())), args.ratio, args.seed))
    print()
    print("| placement | binary | pairs | in one cluster | proposed by LSH | copy by exact check | candidate pairs |")
    print("|---|---|---|---|---|---|---|")
    per_lang_rows = []
    for place in args.places.split(","):
        corpus = os.path.join(args.work, place, "corpus")
        pairs = make_corpus(corpus, targets, place)
        for name, binary in binaries:
            out = os.path.join(args.work, place, "out-" + name)
            res, by_lang, cands = measure(binary, corpus, out, pairs)
            print("| %s | %s | %d | %s | %s | %s | %s |" % (
                place, name, res["pairs"], pct(res["together"], res["pairs"]),
                pct(res["proposed"], res["pairs"]), pct(res["copy"], res["pairs"]), cands))
            per_lang_rows.append((place, name, by_lang))
    print()
    print("In one cluster, per language:")
    print()
    print("| placement | binary | " + " | ".join(sorted(langs)) + " |")
    print("|---|---|" + "---|" * len(langs))
    for place, name, by_lang in per_lang_rows:
        cells = [pct(by_lang[l]["together"], by_lang[l]["pairs"]) for l in sorted(langs)]
        print("| %s | %s | %s |" % (place, name, " | ".join(cells)))


if __name__ == "__main__":
    main()
