#!/usr/bin/env python3
"""Evaluate dedup's name-variant unification on real text in ten languages.

What it does:
1. Reads real articles from <shared>/corpora at run time (MasakhaNEWS en/fr,
   10kGNAD de, sadedegel tr, SemEval-2022 es/it/pl/ru/ar/zh). Nothing is
   copied into the repository; the corpus is written to --out (outside the
   repository) and can be deleted.
2. Gives each base article a sentence (written for this benchmark) that
   mentions two names of its language, and makes 3 copies ("outlets") in
   which every mention of a name -- injected or already in the text -- is
   written in its canonical form with p = 0.6 and otherwise in one of its
   variant spellings. So each name is spelled several ways across the
   corpus, and the canonical spelling is the majority.
3. Runs `dedup run --documents` twice: unifying (the default) and with
   `--keep-variants`, and measures, per language and name, the share of
   mentions written in the canonical form before and after. Target: >= 0.98.
4. Checks that nothing else changed: every difference between the two runs'
   texts must be a rewrite that variants.csv lists, and documents without a
   listed rewrite must be byte-identical. It also prints the rewrites of
   names that the benchmark did not plant (found in the real text), for
   review.
5. With --timing DIR, runs dedup on DIR (e.g. a speed corpus from
   make_corpus.py --profile speed) --runs times and prints the median
   seconds of each phase from summary.json and the share spent normalizing.

Canonical forms are the defaults documented in the README: the alias
tables' canonical for names they cover, and for spellings learned from the
corpus (case or diacritics only), the majority spelling.

Usage (from the repository root, after `cargo build --release`):
    python3 bench/variants_eval.py --shared ../shared
    python3 bench/variants_eval.py --timing /tmp/dedup-bench/speed20k/corpus --runs 5

Exit codes: 0 when the targets hold, 1 when they do not, 2 on a usage error
(dedup binary missing), 3 when the shared corpora are missing.
"""

import argparse
import csv
import difflib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
csv.field_size_limit(1 << 30)

# (canonical, [variants], how dedup unifies it). "alias" names are in the
# shipped tables; "learned" names differ only in case or diacritics and are
# learned from the corpus (their canonical is the majority spelling, which
# this benchmark makes the canonical below).
NAMES = {
    "en": [("Türkiye", ["Turkey", "Turkiye"], "alias"),
           ("Erdoğan", ["Erdogan"], "alias"),
           ("Kyiv", ["Kiev"], "alias"),
           ("COP29", ["Cop29", "COP 29", "COP-29"], "alias"),
           ("Zelensky", ["Zelenskyy", "Zelenskiy"], "alias"),
           ("Czechia", ["Czech Republic"], "alias"),
           ("NATO", ["Nato"], "learned"),
           ("Kılıçdaroğlu", ["Kilicdaroglu"], "learned")],
    "de": [("Kiew", ["Kyjiw", "Kyiv"], "alias"),
           ("Erdoğan", ["Erdogan"], "alias"),
           ("Selenskyj", ["Selensky", "Zelensky"], "alias"),
           ("Tschechien", ["Tschechische Republik"], "alias"),
           ("Nato", ["NATO"], "learned")],
    "fr": [("Kiev", ["Kyiv"], "alias"),
           ("Erdoğan", ["Erdogan"], "alias"),
           ("OTAN", ["NATO"], "alias"),
           ("Turquie", ["Türkiye"], "alias"),
           ("Tchéquie", ["République tchèque"], "alias")],
    "es": [("Kiev", ["Kyiv"], "alias"),
           ("OTAN", ["NATO"], "alias"),
           ("Erdoğan", ["Erdogan"], "alias"),
           ("Zelenski", ["Zelensky"], "alias"),
           ("Chequia", ["República Checa"], "alias")],
    "it": [("NATO", ["OTAN"], "alias"),
           ("Kiev", ["Kyiv"], "alias"),
           ("Erdoğan", ["Erdogan"], "alias"),
           ("Cechia", ["Repubblica Ceca"], "alias"),
           ("Zelensky", ["Zelenskyy"], "alias")],
    "tr": [("Erdoğan", ["Erdogan"], "alias"),
           ("Kiev", ["Kyiv"], "alias"),
           ("Zelenskiy", ["Zelensky", "Zelenskyy"], "alias"),
           ("Çekya", ["Çek Cumhuriyeti"], "alias")],
    "pl": [("Zełenski", ["Zelensky", "Zelenski"], "alias"),
           ("Łukaszenka", ["Łukaszenko", "Lukashenko"], "alias"),
           ("Czechy", ["Republika Czeska"], "alias"),
           ("Erdoğan", ["Erdogan"], "alias")],
    "ru": [("НАТО", ["NATO"], "alias"),
           ("ООН", ["UN"], "alias"),
           ("МВФ", ["IMF"], "alias"),
           ("Великобритания", ["Британия"], "alias")],
    "ar": [("التشيك", ["جمهورية التشيك"], "alias"),
           ("إسواتيني", ["سوازيلاند"], "alias"),
           ("COP29", ["COP 29"], "alias")],
    "zh": [("捷克", ["捷克共和国"], "alias"),
           ("COP29", ["COP 29"], "alias")],
}

# One sentence per language with two name slots, written for this benchmark.
# Names stand in list positions so no grammatical case is needed.
TEMPLATES = {
    "en": "Officials said the talks also covered {0} and {1}, according to a statement.",
    "de": "Bei dem Treffen ging es laut einer Mitteilung auch um {0} und {1}.",
    "fr": "Les discussions ont aussi porté sur {0} et {1}, selon un communiqué.",
    "es": "Las conversaciones también abordaron {0} y {1}, según un comunicado.",
    "it": "Nei colloqui si è parlato anche di {0} e {1}, secondo una nota.",
    "tr": "Açıklamaya göre görüşmelerde {0} ve {1} konuları da ele alındı.",
    "pl": "W komunikacie wymieniono również: {0} oraz {1}.",
    "ru": "В заявлении также упоминаются {0} и {1}.",
    "ar": "وتناولت المحادثات أيضا {0}، {1}، بحسب بيان.",
    "zh": "据声明，会谈还涉及{0}和{1}。",
}

P_CANONICAL = 0.6
# Learned names need a clear majority in the corpus to have a canonical.
P_CANONICAL_LEARNED = 0.75
COPIES = 3
MOJIBAKE = re.compile(r"Ã|â€|Å|Ä[±°\x9f]")


def die(code, message):
    print(f"variants_eval: {message}", file=sys.stderr)
    sys.exit(code)


# ---------------------------------------------------------------------------
# Reading the shared corpora.

def paragraphs(text):
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return parts


def load_masakhane(root, lang_dir):
    out = []
    for split in ("dev.tsv", "test.tsv"):
        path = root / "masakhanews_fra_eng" / "data" / lang_dir / split
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                text = row.get("text") or ""
                if len(text.split()) >= 60:
                    out.append(text)
    return out


def load_gnad(root):
    out = []
    with open(root / "10kgnad_test" / "test.csv", encoding="utf-8") as f:
        for row in csv.reader(f, delimiter=";", quotechar="'"):
            if len(row) >= 2 and len(row[1].split()) >= 60:
                out.append(row[1])
    return out


def load_sadedegel(root):
    out = []
    raw = root / "sadedegel_turkish_news" / "sadedegel" / "dataset" / "raw"
    for path in sorted(raw.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if len(text.split()) >= 60:
            out.append(text)
    return out


def load_semeval(root):
    by_lang = defaultdict(dict)
    for name in ("training_set.csv", "testing_set.csv"):
        with open(root / "semeval2022_task8_hfl" / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for side in ("1", "2"):
                    lang, text = row["lang" + side], row["text" + side]
                    if MOJIBAKE.search(text):
                        continue
                    enough = len(text) >= 300 if lang == "zh" else len(text.split()) >= 60
                    if enough:
                        by_lang[lang][text[:200]] = text
    return {lang: [texts[k] for k in sorted(texts)] for lang, texts in by_lang.items()}


def load_all(shared):
    root = Path(shared) / "corpora"
    needed = ["masakhanews_fra_eng", "10kgnad_test", "sadedegel_turkish_news", "semeval2022_task8_hfl"]
    missing = [n for n in needed if not (root / n).is_dir()]
    if missing:
        die(3, f"this benchmark needs the shared corpora {missing} under {root}")
    semeval = load_semeval(root)
    return {
        "en": load_masakhane(root, "eng"),
        "fr": load_masakhane(root, "fra"),
        "de": load_gnad(root),
        "tr": load_sadedegel(root),
        **{lang: semeval.get(lang, []) for lang in ("es", "it", "pl", "ru", "ar", "zh")},
    }


# ---------------------------------------------------------------------------
# Building the corpus.

def form_regex(forms, lang):
    """One regex matching any form as a whole word (substring in zh)."""
    alts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    if lang == "zh":
        return re.compile(f"(?<![A-Za-z0-9])(?:{alts})(?![A-Za-z0-9])")
    return re.compile(rf"(?<![\w.])(?:{alts})(?![\w])")


def build(shared, out, per_lang, seed):
    rng = random.Random(seed)
    texts = load_all(shared)
    corpus = out / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    planted = []  # (doc_id, lang)
    for lang in sorted(NAMES):
        pool = texts.get(lang, [])
        if len(pool) < per_lang:
            die(3, f"only {len(pool)} usable {lang} articles in the shared corpora")
        names = NAMES[lang]
        forms_of = {c: [c] + v for c, v, _ in names}
        every = form_regex([f for fs in forms_of.values() for f in fs], lang)
        owner = {f: c for c, fs in forms_of.items() for f in fs}
        rules = {c: r for c, _, r in names}
        for n, text in enumerate(rng.sample(pool, per_lang)):
            paras = paragraphs(text)[:8]
            a, b = rng.sample(names, 2)
            sentence = TEMPLATES[lang].format(a[0], b[0])
            paras[0] = paras[0] + (" " if lang != "zh" else "") + sentence
            base = "\n\n".join(paras)
            for copy in range(COPIES):
                def swap(m):
                    canonical = owner[m.group(0)]
                    p = P_CANONICAL_LEARNED if rules[canonical] == "learned" else P_CANONICAL
                    if rng.random() < p:
                        return canonical
                    return rng.choice(forms_of[canonical][1:])
                body = every.sub(swap, base)
                doc_id = f"{lang}-outlet{copy}/{lang}-{n:03d}.txt"
                path = corpus / doc_id
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"lang: {lang}\n\n{body}\n", encoding="utf-8")
                planted.append((doc_id, lang))
    return corpus, planted


# ---------------------------------------------------------------------------
# Measuring.

def run_dedup(dedup, corpus, outdir, extra):
    cmd = [str(dedup), "run", str(corpus), "-o", str(outdir), "--force", "--documents", "-q", *extra]
    subprocess.run(cmd, check=True)
    docs = {}
    with open(outdir / "documents.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            docs[row["doc_id"]] = row
    with open(outdir / "variants.csv", encoding="utf-8") as f:
        variants = list(csv.DictReader(f))
    with open(outdir / "clusters.csv", encoding="utf-8") as f:
        clusters = {r["doc_id"]: r for r in csv.DictReader(f)}
    return docs, variants, clusters


def count_forms(docs, lang):
    """Mentions of each form of each name of `lang`: {canonical: Counter}."""
    counts = {}
    for canonical, variants, _ in NAMES[lang]:
        forms = [canonical] + variants
        regex = form_regex(forms, lang)
        c = Counter()
        for d in docs:
            c.update(m.group(0) for m in regex.finditer(d["text"]))
        counts[canonical] = c
    return counts


def tokens(text):
    return re.findall(r"\w+|[^\w\s]|\s+", text)


def changes(before, after, context=6):
    """The changed spans between two texts: ((old, new), (old with context,
    new with context)), context in tokens."""
    a, b = tokens(before), tokens(after)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "equal":
            out.append((("".join(a[i1:i2]), "".join(b[j1:j2])),
                        ("".join(a[max(0, i1 - context):i2 + context]),
                         "".join(b[max(0, j1 - context):j2 + context]))))
    return out


def evaluate(args):
    dedup = Path(args.dedup)
    if not dedup.is_file():
        die(2, f"{dedup} not found; run `cargo build --release` first")
    out = Path(args.out).resolve()
    if REPO in out.parents or out == REPO:
        die(2, "--out must be outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    corpus, planted = build(args.shared, out, args.per_lang, args.seed)
    print(f"corpus: {len(planted)} documents in {len(NAMES)} languages at {corpus}")

    unified, variants, clusters = run_dedup(dedup, corpus, out / "unified", [])
    kept, _, _ = run_dedup(dedup, corpus, out / "kept", ["--keep-variants"])

    # 1. Share of mentions in canonical form, per language and name.
    print("\nshare of mentions written in the canonical form (before -> after unification)")
    print(f"{'lang':4} {'name':28} {'rule':8} {'mentions':>8} {'before':>7} {'after':>7}  spellings after")
    total_before = total_after = total = 0
    worst = 1.0
    per_lang = {}
    for lang in sorted(NAMES):
        docs_after = [d for d in unified.values() if d["language"] == lang]
        docs_before = [kept[d["doc_id"]] for d in docs_after]
        before = count_forms(docs_before, lang)
        after = count_forms(docs_after, lang)
        lang_canon = lang_total = 0
        for named, _, rule in NAMES[lang]:
            canonical = named
            if rule == "learned":
                # The dominant spelling of the input: the majority, on a tie
                # the one with diacritics, then the one with fewer capitals
                # (the documented rule).
                canonical = max(before[named], key=lambda f: (before[named][f], sum(not c.isascii() for c in f),
                                                              -sum(c.isupper() for c in f)))
                after[canonical] = after.pop(named)
                before[canonical] = before.pop(named)
            n = sum(after[canonical].values())
            nb = sum(before[canonical].values())
            if n == 0:
                continue
            share_b = before[canonical][canonical] / nb if nb else 0
            share_a = after[canonical][canonical] / n
            worst = min(worst, share_a)
            others = ", ".join(f"{f} {k}" for f, k in after[canonical].most_common() if f != canonical)
            print(f"{lang:4} {canonical:28} {rule:8} {n:8d} {share_b:7.3f} {share_a:7.3f}  {others}")
            total_before += before[canonical][canonical]
            total_after += after[canonical][canonical]
            total += n
            lang_canon += after[canonical][canonical]
            lang_total += n
        per_lang[lang] = lang_canon / lang_total if lang_total else 0
    share = total_after / total if total else 0
    print(f"\nall names: {total} mentions, canonical share {total_before / total:.3f} before, {share:.4f} after "
          f"(lowest name {worst:.3f}); per language: "
          + ", ".join(f"{k} {v:.3f}" for k, v in per_lang.items()))

    # 2. Nothing but listed rewrites changed.
    listed = defaultdict(set)
    for r in variants:
        if r["applied"] == "true":
            listed[r["lang"]].add((r["variant"], r["canonical"]))
    unexplained = []
    unchanged_docs = identical = 0
    for doc_id, d in unified.items():
        before = kept[doc_id]["text"]
        if clusters[doc_id]["variants"] == "0":
            unchanged_docs += 1
            identical += before == d["text"]
            if before != d["text"]:
                unexplained.append((doc_id, "document without rewrites changed", ""))
            continue
        for (old, new), (b_ctx, a_ctx) in changes(before, d["text"]):
            # A diff may cut a rewrite short or merge two: each changed span
            # must sit inside a listed rewrite, seen with its context.
            ok = any(v in b_ctx and (c in a_ctx or c.upper() in a_ctx) for v, c in listed[d["language"]])
            if not ok:
                unexplained.append((doc_id, old, new))
    print(f"\nno collateral change: {unchanged_docs} documents without a listed rewrite, "
          f"{identical} of them byte-identical to the --keep-variants run; "
          f"{len(unexplained)} changed spans not listed in variants.csv")
    for u in unexplained[:10]:
        print("  unexplained:", u)

    # 3. Rewrites the benchmark did not plant: real variants found in the text.
    planted_pairs = {(lang, v) for lang, names in NAMES.items() for c, vs, _ in names for v in vs + [c]}
    extra = Counter()
    rules = Counter()
    for r in variants:
        rules[(r["rule"], r["applied"])] += int(r["count"])
        if r["applied"] == "true" and (r["lang"], r["variant"]) not in planted_pairs:
            extra[(r["lang"], r["variant"], r["canonical"], r["rule"])] += int(r["count"])
    print("\nvariants.csv by rule (rule, applied): " + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in sorted(rules.items())))
    print(f"rewrites of names the benchmark did not plant ({len(extra)} distinct); the most frequent:")
    for (lang, v, c, rule), n in extra.most_common(args.show):
        print(f"  {lang} {v!r} -> {c!r} ({rule}) x{n}")
    suggested = [r for r in variants if r["rule"] == "suggested"]
    print(f"fuzzy suggestions listed (not applied): {len(suggested)}; the first ones:")
    for r in suggested[: args.show]:
        print(f"  {r['lang']} {r['variant']!r} -> {r['canonical']!r} x{r['count']} ({r['detail']})")

    ok = share >= 0.98 and not unexplained and identical == unchanged_docs
    print(f"\ntarget canonical share >= 0.98: {'met' if share >= 0.98 else 'NOT met'} ({share:.4f}); "
          f"no change to text without variants: {'met' if identical == unchanged_docs and not unexplained else 'NOT met'}")
    return 0 if ok else 1


def timing(args):
    dedup = Path(args.dedup)
    if not dedup.is_file():
        die(2, f"{dedup} not found; run `cargo build --release` first")
    corpus = Path(args.timing)
    if not corpus.exists():
        die(3, f"{corpus} not found; build it with bench/make_corpus.py --profile speed")
    out = Path(args.out).resolve() / "timing"
    runs = []
    for _ in range(args.runs):
        subprocess.run([str(dedup), "run", str(corpus), "-o", str(out), "--force", "-q", *args.dedup_args],
                       check=True)
        with open(out / "summary.json", encoding="utf-8") as f:
            runs.append(json.load(f))
    phases = [k for k in runs[0]["timings"] if k != "normalize_share"]
    print(f"{runs[0]['documents']} documents, {runs[0]['threads']} threads, median of {len(runs)} runs (seconds):")
    med = {p: statistics.median(r["timings"][p] for r in runs) for p in phases}
    total = statistics.median(r["seconds"] for r in runs)
    for p in phases:
        print(f"  {p:11} {med[p]:8.3f}  {med[p] / total:6.1%}")
    print(f"  {'total':11} {total:8.3f}")
    shares = [r["timings"]["normalize_share"] for r in runs]
    print(f"normalization (clean + names + learn + variants): median share {statistics.median(shares):.1%} "
          f"(runs: {', '.join(f'{s:.1%}' for s in shares)})")
    return 0 if statistics.median(shares) <= 0.2 else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", default=str(REPO.parent / "shared"), help="folder holding corpora/ [default: ../shared]")
    p.add_argument("--dedup", default=str(REPO / "target" / "release" / "dedup"), help="dedup binary")
    p.add_argument("--out", default="/tmp/dedup-bench/variants", help="work folder, outside the repository")
    p.add_argument("--per-lang", type=int, default=40, help="base articles per language [default: 40]")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--show", type=int, default=15, help="examples to print per list")
    p.add_argument("--timing", metavar="CORPUS", help="time dedup on CORPUS instead of evaluating")
    p.add_argument("--runs", type=int, default=3, help="timing runs [default: 3]")
    p.add_argument("--dedup-args", nargs="*", default=[], help="extra arguments for dedup run when timing")
    args = p.parse_args()
    sys.exit(timing(args) if args.timing else evaluate(args))


if __name__ == "__main__":
    main()
