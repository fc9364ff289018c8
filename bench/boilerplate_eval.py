#!/usr/bin/env python3
"""Score dedup's boilerplate removal against boilerplate_gold.jsonl.

    python3 bench/boilerplate_eval.py /tmp/dedup-bench/eval [--dedup target/release/dedup]
        [--out /tmp/dedup-bench/eval-bp] [--json] [--show 10] [-- extra dedup args]

The eval profile of make_corpus.py writes, per document, the furniture
strings it inserted (`inserted`) and the base article's sentences the copy
still holds (`sentences`). This script runs `dedup run CORPUS -o OUT
--documents --force -q`, reads the cleaned text of every document from
`documents.csv`, and reports:

* **furniture removed**: the share of inserted strings that are gone from
  the cleaned text (strict: no run of two or more of its tokens is left
  outside the article's own sentences), and the share of inserted tokens
  removed;
* **sentences kept**: the share of gold sentences found whole in the
  cleaned text (exact token sequence), and the tolerant share, which
  allows at most one token in ten to differ (first and last tokens
  present), for what other cleaning legitimately changes. Name variants
  that dedup unified in the run (its `variants.csv`, applied rows, per
  language) are applied to the gold strings first, so "ABD" unified to
  "Amerika Birleşik Devletleri" is no lost sentence.

The base corpora already carry some real site furniture of their own
(BBC "Send your story ideas to ...", "A ne pas manquer sur BBC Afrique :",
SemEval pages' "REKLAMA", "Copyright (c) 2020, ABC Audio.", ...), and
make_corpus.py counts it as article sentences. Removing it is right, but
costs "sentences kept". So the script also reports the kept share without
the gold sentences that match BASE_RESIDUE below, a list of such phrases
written by reading the base corpora (not the benchmark's own furniture).
The first figure stays the headline figure.

Both sides are compared on the same key: NFKC, case folded, diacritics and
invisible characters (soft hyphen, zero-width) removed, split into word
tokens (letters and digits; every Han or kana character is a token). So
quote style, spacing, NBSP and NFC/NFD never count; only missing or left-over
words do. Results are broken down by language, by outlet and by kind of
furniture (promo, teaser, share, follow, footer, more), and the worst misses
are listed. Standard library only.

Exit status: 0 on success, 3 if the bench folder is missing (build it with
make_corpus.py), 2 if dedup fails.
"""

import argparse
import collections
import csv
import difflib
import json
import os
import re
import subprocess
import sys
import unicodedata

EXIT_NO_BENCH = 3
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")


def key_tokens(text):
    """Tokens of the comparison key (see the module docs)."""
    t = unicodedata.normalize("NFKD", text.translate(INVISIBLE)).casefold()
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = unicodedata.normalize("NFKC", t)
    return TOKEN.findall(t)


class Variants:
    """The name variants dedup unified in this run (variants.csv, applied
    rows), per language: gold strings get the same replacements (case
    sensitive, whole words, as dedup applies them) before they are
    compared, so a unified name (ABD -> Amerika Birleşik Devletleri) is not
    counted as a lost sentence."""

    def __init__(self, path):
        self.by_lang = {}
        rows = collections.defaultdict(dict)
        if os.path.exists(path):
            with open(path, encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    if row.get("applied", "true") != "true":
                        continue
                    v, c = unneutralize(row["variant"]), unneutralize(row["canonical"])
                    if v and v != c:
                        rows[row.get("lang", "")][v] = c
        for lang, table in rows.items():
            names = sorted(table, key=len, reverse=True)
            rx = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(n) for n in names))
            self.by_lang[lang] = (rx, table)

    def apply(self, text, lang):
        entry = self.by_lang.get(lang)
        if not entry:
            return text
        rx, table = entry
        text = unicodedata.normalize("NFC", text)

        def replace(m):
            v = m.group(0)
            c = table.get(v, v)
            # As dedup does: a short form inside a hyphenated compound
            # ("US-backed", "USA-Kritik") is not written out in more words.
            if len(c.split()) > len(v.split()) and (
                compound_edge(text, m.end(), 1) or compound_edge(text, m.start() - 1, -1)
            ):
                return v
            return c

        return rx.sub(replace, text)


HYPHENS = "-\u2010\u2011"


def compound_edge(text, i, step):
    """Whether text[i] is a hyphen with a letter or digit beyond it."""
    j = i + step
    return 0 <= i < len(text) and 0 <= j < len(text) and text[i] in HYPHENS and text[j].isalnum()


def unneutralize(cell):
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


def find_seq(hay, needle, start=0):
    """First index of list `needle` in list `hay` at or after start, or -1."""
    if not needle:
        return 0
    first = needle[0]
    n = len(needle)
    i = start
    while True:
        try:
            i = hay.index(first, i)
        except ValueError:
            return -1
        if hay[i:i + n] == needle:
            return i
        i += 1


def tolerant_match(doc, sent):
    """Span (start, end) of `sent` in `doc` allowing up to 10% of tokens to
    differ (at least one), with first and last tokens present; or None."""
    n = len(sent)
    allowed = max(1, n // 10)
    best = None
    # Anchor on any token bigram of the sentence.
    anchors = set()
    for j in range(max(1, n - 1)):
        gram = sent[j:j + 2]
        i = find_seq(doc, gram)
        while i >= 0 and len(anchors) < 50:
            anchors.add(max(0, i - j))
            i = find_seq(doc, gram, i + 1)
    for a in sorted(anchors):
        window = doc[max(0, a - allowed):a + n + allowed]
        sm = difflib.SequenceMatcher(None, sent, window, autojunk=False)
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        if not blocks:
            continue
        matched = sum(b.size for b in blocks)
        if n - matched > allowed:
            continue
        if blocks[0].a != 0 or blocks[-1].a + blocks[-1].size != n:
            continue
        off = max(0, a - allowed)
        span = (off + blocks[0].b, off + blocks[-1].b + blocks[-1].size)
        if span[1] - span[0] > n + allowed:
            continue
        best = span
        break
    return best


def leftover_tokens(doc, masked, furn):
    """Tokens of `furn` still in `doc` outside `masked` positions, counted in
    common runs of two or more tokens (one-token runs are coincidence)."""
    if not furn:
        return 0
    free = [None if masked[i] else t for i, t in enumerate(doc)]
    left = [False] * len(furn)
    m = 2 if len(furn) >= 2 else 1
    # For each furniture n-gram, look for it in the free text.
    grams = collections.defaultdict(list)
    for i in range(len(free) - m + 1):
        g = tuple(free[i:i + m])
        if None not in g:
            grams[g].append(i)
    for j in range(len(furn) - m + 1):
        if tuple(furn[j:j + m]) in grams:
            for k in range(j, j + m):
                left[k] = True
    return sum(left)


# Site furniture already inside the base corpora's article texts (found by
# reading MasakhaNEWS, SemEval and sadedegel), which the gold counts as
# article sentences. Sentences that contain one are reported apart.
BASE_RESIDUE = re.compile("|".join([
    r"Send your story ideas", r"Follow us on (Facebook|Twitter)", r"ALSO READ", r"Find BBC News",
    r"haveyoursay", r"bbc\.co\.uk", r"BBC Afrique", r"Lire aussi", r"\b[AaÀà] regarder\b",
    r"Anzeige RND", r"REKLAMA", r"\b[Cc](zytaj|ZYTAJ) ([Dd]alej|WIĘCEJ|[Ww]ięcej|też)", r"Materiał chroniony prawem",
    r"#wieszwiecej", r"- Reklam -", r"Per saperne di più", r"Clicca qui", r"LEGGI ANCHE",
    r"Tutti i diritti riservati", r"ABC Audio", r"seguici su", r"newsletter GRATUITA",
    r"Grazie per aver letto", r"Síguenos en", r"^Читайте также", r"阅读更多", r"版权所有",
    # The BBC "have your say" box and Polish cookie consent lines, which the
    # lexicon removes (en.tsv, pl.tsv).
    r"[Ss]hare your experiences by emailing", r"[Pp]lease include a contact number",
    r"[Gg]et in touch in the following ways", r"[Cc]an't see the form", r"[Ii]f you have a story suggestion",
    r"[Pp]liki cookie i podobne", r"[Zz]aakceptuj i zamknij",
]))

FURNITURE_KIND = ("promos", "teasers", "share", "follow", "footer", "more")


def furniture_kinds():
    """Map each fixed furniture string (teaser templates as regexes) to its
    kind, from bench/furniture.py, so misses can be broken down by kind."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from furniture import OUTLETS  # noqa: E402
    fixed, templates = {}, []
    for o in OUTLETS:
        for kind in FURNITURE_KIND:
            vals = o.get(kind)
            if vals is None:
                continue
            if isinstance(vals, str):
                vals = [vals]
            for v in vals:
                if kind == "teasers":
                    parts = [re.escape(p) for p in v.split("{h}")]
                    templates.append((re.compile("^" + "(.+)".join(parts) + "$", re.S), "teaser"))
                elif "{year}" in v:
                    parts = [re.escape(p) for p in v.split("{year}")]
                    templates.append((re.compile("^" + r"\d{4}".join(parts) + "$"), kind))
                else:
                    fixed[v] = {"promos": "promo"}.get(kind, kind)
    return fixed, templates


def kind_of(s, fixed, templates):
    for form in (s, unicodedata.normalize("NFC", s)):
        if form in fixed:
            return fixed[form]
        for rx, kind in templates:
            if rx.match(form):
                return kind
    # legacy_punct folding changes punctuation: compare on tokens
    toks = key_tokens(s)
    for v, kind in fixed.items():
        if key_tokens(v) == toks:
            return kind
    for rx, kind in templates:
        if kind == "footer" and "all rights" in " ".join(toks):
            return kind
    return "teaser" if toks else "other"


def run_dedup(args, corpus, out):
    cmd = [args.dedup, "run", corpus, "-o", out, "--documents", "--force", "-q"] + args.extra
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write("boilerplate_eval.py: dedup failed (%d): %s\n%s" % (res.returncode, " ".join(cmd), res.stderr))
        sys.exit(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", help="folder written by make_corpus.py --profile eval")
    ap.add_argument("--dedup", default="target/release/dedup")
    ap.add_argument("--out", help="dedup output folder [default: BENCH-bp-out]")
    ap.add_argument("--no-run", action="store_true", help="score an existing --out without running dedup")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--show", type=int, default=8, help="misses of each sort to print [default: 8]")
    ap.add_argument("extra", nargs="*", help="extra arguments for dedup run (after --)")
    args = ap.parse_args()

    gold_path = os.path.join(args.bench, "boilerplate_gold.jsonl")
    corpus = os.path.join(args.bench, "corpus")
    if not os.path.isfile(gold_path) or not os.path.isdir(corpus):
        sys.stderr.write(
            "boilerplate_eval.py: %s has no boilerplate_gold.jsonl and corpus/; build it first:\n"
            "  python3 bench/make_corpus.py --shared ../shared --out %s --seed 1\n" % (args.bench, args.bench))
        sys.exit(EXIT_NO_BENCH)
    out = args.out or args.bench.rstrip("/") + "-bp-out"
    if not args.no_run:
        if not os.path.exists(args.dedup):
            sys.stderr.write("boilerplate_eval.py: no dedup binary at %s (cargo build --release)\n" % args.dedup)
            sys.exit(2)
        run_dedup(args, corpus, out)

    csv.field_size_limit(1 << 30)
    texts, langs = {}, {}
    with open(os.path.join(out, "documents.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            texts[row["doc_id"]] = unneutralize(row["text"])
            langs[row["doc_id"]] = row["language"]
    gold_lang = {}
    with open(os.path.join(args.bench, "gold.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            gold_lang[row["doc_id"]] = row["lang"]
    removed_kinds = collections.Counter()
    with open(os.path.join(out, "removed.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            removed_kinds[row["kind"].split(":")[0]] += 1

    fixed, templates = furniture_kinds()
    variants = Variants(os.path.join(out, "variants.csv"))
    tot = collections.Counter()
    by = collections.defaultdict(collections.Counter)   # (axis, value) -> counters
    lost, kept_furn = [], []
    for line in open(gold_path, encoding="utf-8"):
        g = json.loads(line)
        doc_id = g["doc_id"]
        lang = gold_lang.get(doc_id, "?")
        outlet = doc_id.split("/")[0]
        text = texts.get(doc_id)
        if text is None:
            tot["docs_missing"] += 1
            continue
        doc = key_tokens(text)
        masked = [False] * len(doc)
        for s in g["sentences"]:
            st = key_tokens(variants.apply(s, langs.get(doc_id, lang)))
            if not st:
                continue
            residue = bool(BASE_RESIDUE.search(s))
            keys = [("lang", lang), ("outlet", outlet)]
            for k in [None] + keys:
                c = tot if k is None else by[k]
                c["sentences"] += 1
                if residue:
                    c["residue"] += 1
            i = find_seq(doc, st)
            span = (i, i + len(st)) if i >= 0 else tolerant_match(doc, st)
            if i >= 0:
                for k in [None] + keys:
                    (tot if k is None else by[k])["sent_exact"] += 1
            if span:
                for k in [None] + keys:
                    (tot if k is None else by[k])["sent_kept"] += 1
                    if residue:
                        (tot if k is None else by[k])["residue_kept"] += 1
                for p in range(span[0], span[1]):
                    masked[p] = True
            else:
                lost.append((doc_id, s, residue))
        for s in g["inserted"]:
            ft = key_tokens(variants.apply(s, langs.get(doc_id, lang)))
            if not ft:
                continue
            kind = kind_of(s, fixed, templates)
            keys = [("lang", lang), ("outlet", outlet), ("kind", kind)]
            left = leftover_tokens(doc, masked, ft)
            for k in [None] + keys:
                c = tot if k is None else by[k]
                c["inserted"] += 1
                c["inserted_tokens"] += len(ft)
                c["tokens_removed"] += len(ft) - left
                if left == 0:
                    c["removed"] += 1
            if left:
                kept_furn.append((doc_id, kind, left, len(ft), s))

    def ratio(c, a, b):
        return c[a] / c[b] if c[b] else float("nan")

    def figures(c):
        return {
            "inserted": c["inserted"],
            "removed_share": round(ratio(c, "removed", "inserted"), 4),
            "removed_token_share": round(ratio(c, "tokens_removed", "inserted_tokens"), 4),
            "sentences": c["sentences"],
            "kept_share": round(ratio(c, "sent_kept", "sentences"), 4),
            "kept_exact_share": round(ratio(c, "sent_exact", "sentences"), 4),
            "kept_share_without_residue": round(
                (c["sent_kept"] - c["residue_kept"]) / (c["sentences"] - c["residue"])
                if c["sentences"] > c["residue"] else float("nan"), 4),
            "residue_sentences": c["residue"],
        }

    result = {"all": figures(tot), "removed_rows_by_detector": dict(removed_kinds)}
    for axis in ("lang", "kind", "outlet"):
        result[axis] = {v: figures(c) for (a, v), c in sorted(by.items()) if a == axis}
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return
    a = result["all"]
    print("documents %d, inserted furniture %d, article sentences %d" % (
        len(texts), a["inserted"], a["sentences"]))
    print("furniture removed: %.4f of strings, %.4f of tokens" % (a["removed_share"], a["removed_token_share"]))
    print("sentences kept:    %.4f (exact %.4f); without the %d base-corpus furniture sentences: %.4f" % (
        a["kept_share"], a["kept_exact_share"], a["residue_sentences"], a["kept_share_without_residue"]))
    print("removed.csv rows by detector: %s" % ", ".join("%s %d" % kv for kv in sorted(removed_kinds.items())))
    for axis in ("lang", "kind", "outlet"):
        if axis == "kind":
            print("\nby kind: removed (tokens), inserted")
            for v, f in result[axis].items():
                print("  %-24s %.3f (%.3f)  %5d" % (v, f["removed_share"], f["removed_token_share"], f["inserted"]))
            continue
        print("\nby %s: removed / kept (exact) / kept without residue, inserted, sentences" % axis)
        for v, f in result[axis].items():
            print("  %-24s %.3f / %.4f (%.4f) / %.4f  %5d %6d" % (
                v, f["removed_share"], f["kept_share"], f["kept_exact_share"],
                f["kept_share_without_residue"], f["inserted"], f["sentences"]))
    if args.show:
        real = [x for x in lost if not x[2]]
        print("\nsentences lost (%d, %d of them base-corpus furniture), first %d others:" % (
            len(lost), len(lost) - len(real), args.show))
        for doc_id, s, _ in real[:args.show]:
            print("  %s: %s" % (doc_id, s[:200]))
        print("\nfurniture left (%d), first %d:" % (len(kept_furn), args.show))
        for doc_id, kind, left, n, s in kept_furn[:args.show]:
            print("  %s [%s %d/%d]: %s" % (doc_id, kind, left, n, s[:160]))


if __name__ == "__main__":
    main()
