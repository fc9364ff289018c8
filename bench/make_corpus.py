#!/usr/bin/env python3
"""Build the dedup benchmark corpus from the shared real corpora.

    python3 bench/make_corpus.py --shared ../shared --out /tmp/dedup-bench/eval --seed 1
    python3 bench/make_corpus.py --profile speed --docs 20000 --out /tmp/dedup-bench/speed20k

The real article text is read from <shared>/corpora at run time and the
generated corpus is written OUTSIDE the repository.  Nothing from the shared
corpora is ever stored in the repo.  Python 3.11, standard library only.

Output (see bench/README.md for details):
    <out>/corpus/<outlet-slug>/<article-id>-<copy>.txt
    <out>/gold.csv                doc_id,cluster,lang,transforms
    <out>/boilerplate_gold.jsonl  {doc_id, inserted, sentences, encoding}
    <out>/same_story_pairs.csv    SemEval same-story pairs (Overall <= 1.5)
    <out>/hard_negatives.csv      hard-negative clusters and their kind
    <out>/manifest.json           parameters, seed, counts
"""

import argparse
import collections
import csv
import datetime
import glob
import hashlib
import html
import json
import os
import random
import re
import queue
import shutil
import sys
import threading
import time
import unicodedata
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from furniture import LEGACY_ENCODINGS, OUTLETS, VARIANTS  # noqa: E402

GENERATOR_VERSION = 1
LANGS = ["en", "fr", "de", "tr", "es", "pl", "ru", "ar", "zh", "it"]
EXIT_NO_CORPORA = 3
MARKER = ".made-by-make_corpus"

# --------------------------------------------------------------------------
# probabilities (recorded in manifest.json)

P_FIRST_CLEAN = 0.5        # copy 0 is left clean (header + text, utf-8)
P_AGGREGATOR = 0.08        # a copy is published by the multi-language aggregator
P = dict(
    exact=0.06,            # copy i>0 is a byte-exact re-scrape of an earlier copy
    swap=0.5,              # name-variant swaps (only effective where a variant occurs)
    typo=0.25,             # 1-3 words get a swapped or dropped character
    truncate=0.15,         # keep the first 40-70% (sentence boundary) + "continue reading" tail
    repara=0.4,            # merge/split paragraphs
    promo=0.5,             # inline newsletter promo at a sentence boundary
    teaser=0.45,           # 1-2 inline related-article teasers
    share=0.3,             # share line (own paragraph, top or bottom)
    follow=0.2,            # follow line (own paragraph, bottom)
    footer=0.5,            # copyright footer (last paragraph)
    quotes=0.25,           # curly <-> straight quotes
    shy=0.1,               # soft hyphens inside long words
    nbsp=0.15,             # some spaces become NBSP
    nfd=0.1,               # NFD instead of NFC
    crlf=0.04,             # CRLF line endings
)
ENCODING_WEIGHTS = [("utf-8", 0.55), ("utf-8-bom", 0.10), ("utf-16-le-bom", 0.06),
                    ("utf-16-be-bom", 0.05), ("legacy", 0.24)]
COPIES_NORMAL = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3}
COPIES_HARDNEG = {1: 2, 2: 3, 3: 2, 4: 1}
COPIES_SPEED = {1: 5, 2: 3, 3: 1.5, 4: 0.5}
SPEED_SIZE_MU, SPEED_SIZE_SIGMA = 7.15, 0.55   # log-normal body budget in bytes (median ~1270)
SPEED_MOSAIC_MU = 6.9      # mosaics always fill their budget, real articles often end before it
HARDNEG_FRACTION = 0.27    # of the base articles (clusters) of each language in the eval profile
BRIEF_FRACTION = 0.3       # en: Reuters earnings briefs added on top of the per-language quota

MIN_WORDS = 60
MIN_WORDS_BRIEF = 40
MIN_CHARS_ZH = 150

# --------------------------------------------------------------------------
# text helpers

WS_RE = re.compile(r"\s+")
# Sentence boundary: . ! ? ؟ (optionally followed by a closing quote) then
# whitespace; or 。！？ (not followed by a closing quote), optional whitespace.
SENT_RE = re.compile(
    r"(?:(?<=[.!?\u061f])|(?<=[.!?\u061f][\"'\u201d\u2019\u00bb)]))\s+"
    r"|(?<=[\u3002\uff01\uff1f])(?![\u201d\u2019\u300d\u300f\uff09)])\s*")
# A boundary right after one of these is not a sentence end.
ABBREV_RE = re.compile(
    r"(?:(?<![\w.])(?:[A-Z]\.){1,3}|(?<!\w)\d{1,2}\."
    r"|(?<!\w)(?:Mr|Mrs|Ms|Dr|Prof|St|Inc|Corp|Co|Ltd|Jr|Sr|No|Nr|vs|Gen|Gov|Sen|Rep|Jan|Feb|Mar|Apr"
    r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|bzw|ca|ggf|Hr|Fr|ul|al|tj|np|tzw|ds|pt|wg|ok|godz|pkt|tys|mln|mld|mrd|Mio|Mrd)\.)$")
SENT_END_CHARS = ".!?\u061f\u3002\uff01\uff1f\"'\u201d\u2019\u00bb)"
MOJIBAKE_RE = re.compile("[\u00c3\u00c4\u00c5][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|\u00e2\u20ac")
CJK_RE = re.compile(r"[\u3400-\u9fff]")


def norm_ws(s):
    return WS_RE.sub(" ", s).strip()


def split_sentences(par, lang):
    """Split a whitespace-normalised paragraph into [(sentence, sep_after)]."""
    out = []
    start = 0
    for m in SENT_RE.finditer(par):
        end = m.start()
        if end <= start:
            continue
        piece = par[start:end]
        if m.group(0) and ABBREV_RE.search(piece[-16:]):
            continue
        out.append([piece, m.group(0)])
        start = m.end()
    if start < len(par):
        out.append([par[start:], ""])
    if out:
        out[-1][1] = ""
    return [(a, b) for a, b in out if a]


def lang_sep(lang):
    return "" if lang == "zh" else " "


def text_size(text, lang):
    return len(text.replace(" ", "")) if lang == "zh" else len(text.split())


def norm_key(text):
    """Normalised text used for exact-repeat detection."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return hashlib.sha1("".join(re.findall(r"\w+", t)).encode("utf-8")).hexdigest()


def shingles(text, lang, n=5):
    t = unicodedata.normalize("NFKC", text).casefold()
    if lang == "zh":
        toks = re.findall(r"\w", t)
        grams = ("".join(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))
    else:
        toks = re.findall(r"\w+", t)
        grams = (" ".join(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))
    return {zlib.crc32(g.encode("utf-8")) for g in grams}


def similarity(a, b):
    inter = len(a & b)
    if not inter:
        return 0.0, 0.0
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


KEEP_UPPER = {"US", "UK", "EC", "EEC", "USDA", "OPEC", "IMF", "GATT", "NYSE", "IBM", "GM", "CBT", "FDIC", "SEC",
              "FED", "ECU", "USSR", "UAW", "ITT", "AT&T", "GNP", "GDP", "CPI", "LDC", "NATO", "EU", "UN"}


def title_case(s):
    """Title case for ALL-CAPS wire headlines (acronyms kept)."""
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"}
    out = []
    for i, w in enumerate(s.split(" ")):
        core = w.strip("<>()\"',.:;")
        if i and w.lower() in small:
            out.append(w.lower())
        elif (core.upper() in KEEP_UPPER or "." in core or any(c.isdigit() for c in core)
              or (len(core) <= 3 and core.isalpha() and not re.search("[AEIOUY]", core.upper()))):
            out.append(w)
        elif w.isupper() or w.islower():
            out.append(w.capitalize() if w[:1].isalpha() else w[:1] + w[1:].capitalize())
        else:
            out.append(w)
    return " ".join(out)


def ascii_slug(s, maxlen=60):
    t = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:maxlen].rstrip("-")


# --------------------------------------------------------------------------
# base articles

class Art:
    __slots__ = ("aid", "lang", "src", "title", "pars", "kind", "key", "sh")

    def __init__(self, aid, lang, src, title, paragraphs, kind="normal"):
        self.aid = aid
        self.lang = lang
        self.src = src
        self.title = norm_ws(title or "")
        self.kind = kind
        paragraphs = [norm_ws(p) for p in paragraphs]
        paragraphs = [p for p in paragraphs if p]
        # Articles delivered as one block get a stable paragraphing of their own
        # (independent of --seed), so the base article has a structure to perturb.
        pars = [split_sentences(p, lang) for p in paragraphs]
        if len(pars) == 1 and len(pars[0]) > 5:
            r = random.Random(zlib.crc32(aid.encode()))
            sents, pars, i = pars[0], [], 0
            while i < len(sents):
                k = r.randint(2, 5)
                pars.append(sents[i:i + k])
                i += k
        for p in pars:  # last sentence of a paragraph has no separator
            if p:
                p[-1] = (p[-1][0], "")
        self.pars = [p for p in pars if p]
        self.key = None
        self.sh = None

    def text(self):
        return "\n\n".join("".join(s + sep for s, sep in p) for p in self.pars)

    def n_sentences(self):
        return sum(len(p) for p in self.pars)

    def headline(self):
        h = self.title
        if not h and self.pars:
            first = self.pars[0][0][0]
            if text_size(first, self.lang) <= (40 if self.lang == "zh" else 16):
                h = first.rstrip(".!?\u3002")
        if not h:
            return ""
        if self.lang == "zh":
            return h[:60]
        if len(h) > 130:
            h = h[:130].rsplit(" ", 1)[0]
        return h


def read_csv_rows(path, **kw):
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f, **kw))


def load_reuters(root):
    arts = []
    stats = collections.Counter()
    files = sorted(glob.glob(os.path.join(root, "data", "*.sgm")),
                   key=lambda p: int(re.sub(r"\D", "", os.path.basename(p)) or 0))
    rec = re.compile(r'<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>', re.S)
    for f in files:
        with open(f, encoding="latin-1") as fh:
            s = fh.read()
        for m in rec.finditer(s):
            nid, b = m.group(1), m.group(2)
            bm = re.search(r"<BODY>(.*?)</BODY>", b, re.S)
            if not bm:
                continue
            tm = re.search(r"<TITLE>(.*?)</TITLE>", b, re.S)
            top = re.search(r"<TOPICS>(.*?)</TOPICS>", b, re.S)
            topics = re.findall(r"<D>(.*?)</D>", top.group(1)) if top else []
            body = html.unescape(bm.group(1))
            body = re.sub(r"\s*\bReuter\b\s*[\x03]?\s*$", "", body.replace("\x03", "")).rstrip()
            lines = body.split("\n")
            if sum(1 for ln in lines if re.search(r"\S\s{3,}\S", ln)) > 0.2 * max(1, len(lines)):
                stats["reuters_table_skipped"] += 1
                continue
            pars, cur = [], []
            for ln in lines:
                if (not ln.strip() or ln[:1].isspace()) and cur:
                    pars.append(" ".join(cur))
                    cur = []
                if ln.strip():
                    cur.append(ln.strip())
            if cur:
                pars.append(" ".join(cur))
            title = html.unescape(tm.group(1)) if tm else ""
            title = title_case(norm_ws(title)) if title.isupper() else norm_ws(title)
            brief = ("earn" in topics and re.search(r"\b(Shr|Revs|qtr|Qtr)\b", body)
                     and re.search(r"\bNet\b", body))
            arts.append(Art("en-reu-%05d" % int(nid), "en", "reuters", title, pars,
                            kind="brief" if brief else "normal"))
    return arts, stats


def load_masakhane(root, lang):
    code = {"en": "eng", "fr": "fra"}[lang]
    arts, seen = [], set()
    stats = collections.Counter()
    for split in ("dev", "test"):
        p = os.path.join(root, "data", code, split + ".tsv")
        if not os.path.exists(p):
            continue
        rows = read_csv_rows(p, delimiter="\t")
        for i, r in enumerate(rows[1:]):
            if len(r) < 4:
                continue
            _cat, head, text, url = r[:4]
            um = re.search(r"(\d{5,})\s*$", url)
            aid = "%s-mak-%s" % (lang, um.group(1) if um else "%s%04d" % (split, i))
            if aid in seen:
                continue
            seen.add(aid)
            pars = [x for x in text.split("\n") if x.strip()]
            # MasakhaNEWS eng has rows whose paragraphs lost their first letters.
            if pars and sum(1 for x in pars if x.strip()[:1].islower()) > 0.2 * len(pars):
                stats["masakhane_%s_cut_paragraphs_skipped" % lang] += 1
                continue
            arts.append(Art(aid, lang, "masakhane", head, pars))
    return arts, stats


def load_gnad(root):
    arts = []
    rows = read_csv_rows(os.path.join(root, "test.csv"), delimiter=";", quotechar="'")
    for i, r in enumerate(rows):
        if len(r) < 2:
            continue
        arts.append(Art("de-gnad-%04d" % i, "de", "10kgnad", "", [r[1]]))
    return arts, collections.Counter()


TR_MONTHS = "Ocak|\u015eubat|Mart|Nisan|May\u0131s|Haziran|Temmuz|A\u011fustos|Eyl\u00fcl|Ekim|Kas\u0131m|Aral\u0131k"


def load_sadedegel(root):
    arts = []
    head_re = re.compile(r"^(?P<title>.*?)\s*\d{1,2} (?:%s) \d{4}\s+PAYLA\u015e Yorum yaz A\s+" % TR_MONTHS)
    for f in sorted(glob.glob(os.path.join(root, "sadedegel", "dataset", "raw", "*.txt"))):
        with open(f, encoding="utf-8", errors="replace") as fh:
            s = fh.read()
        title = ""
        m = head_re.match(s)
        if m:
            title = m.group("title")
            s = s[m.end():]
        s = re.sub(r"\s*PAYLA\u015e A\s*$", "", s)
        pars = re.split(r"\s{3,}|\n+", s)
        num = re.search(r"(\d+)\.txt$", f)
        aid = "tr-sdg-%s" % (num.group(1) if num else ascii_slug(os.path.basename(f)))
        arts.append(Art(aid, "tr", "sadedegel", title, pars))
    return arts, collections.Counter()


def split_semeval_title(text, lang):
    t = text.strip()
    if "\n" in t[:300]:
        head, rest = t.split("\n", 1)
        if 2 <= len(head) <= 220:
            return head, rest
    if lang == "zh":
        # machine-translated zh puts spaces around numbers and Latin words; the
        # title ends at the first space between two CJK characters
        for m in re.finditer(r" ", t[:90]):
            i = m.start()
            if i >= 8 and CJK_RE.match(t[i - 1]) and CJK_RE.match(t[i + 1:i + 2] or "a"):
                return t[:i], t[i + 1:]
        return "", t
    m = re.match(r"(.{8,220}?)\s{2,}(.*)$", t, re.S)
    if m:
        return m.group(1), m.group(2)
    return "", t


def load_semeval(root):
    """Return (articles, pairs).  One text per (language, article id): the
    team's files hold the same article several times (some are round-trip
    machine translations); prefer a version with line breaks (original
    layout), then one from an official pair row, then the longest."""
    versions = collections.defaultdict(list)
    pairs = []
    stats = collections.Counter()
    for fname in ("training_set.csv", "testing_set.csv"):
        p = os.path.join(root, fname)
        with open(p, encoding="utf-8", newline="") as fh:
            csv.field_size_limit(1 << 30)
            for r in csv.DictReader(fh):
                ids = r["pair_id"].split("_")
                if len(ids) != 2:
                    continue
                official = bool(re.fullmatch(r"\d+_\d+", r["pair_id"]))
                for k, id_ in (("1", ids[0]), ("2", ids[1])):
                    lang = r["lang" + k]
                    if lang in LANGS:
                        versions[(lang, id_)].append((r["text" + k], official))
                try:
                    overall = float(r["Overall"])
                except ValueError:
                    continue
                if r["lang1"] == r["lang2"] and r["lang1"] in LANGS:
                    pairs.append(dict(lang=r["lang1"], a="%s-sem-%s" % (r["lang1"], ids[0]),
                                      b="%s-sem-%s" % (r["lang2"], ids[1]), overall=overall,
                                      pair_id=r["pair_id"]))
    arts = []
    for (lang, id_) in sorted(versions):
        vs = versions[(lang, id_)]
        vs.sort(key=lambda v: ("\n" not in v[0].strip(), not v[1], -len(v[0]), v[0]))
        text = vs[0][0]
        if MOJIBAKE_RE.search(text):
            stats["semeval_mojibake_skipped"] += 1
            continue
        title, body = split_semeval_title(text, lang)
        aid = "%s-sem-%s" % (lang, id_)
        kind = "normal"
        src = "semeval" if re.fullmatch(r"\d+", id_) else "semeval_mt"
        arts.append(Art(aid, lang, src, title, re.split(r"\n+", body), kind=kind))
    # unique pairs
    seen, upairs = set(), []
    for pr in pairs:
        k = (pr["a"], pr["b"])
        if k in seen or pr["a"] == pr["b"]:
            continue
        seen.add(k)
        upairs.append(pr)
    return arts, upairs, stats


def load_tgnews_ru(root):
    arts = []
    for f in sorted(glob.glob(os.path.join(root, "scripts", "*.html"))):
        with open(f, encoding="utf-8", errors="replace") as fh:
            s = fh.read()
        m = re.search(r"<article>(.*?)</article>", s, re.S)
        if not m:
            continue
        body = m.group(1)
        tm = re.search(r'<meta property="og:title" content="([^"]*)"', s)
        body = re.sub(r"<h1>.*?</h1>|<address>.*?</address>|<figure>.*?</figure>", " ", body, flags=re.S)
        body = re.sub(r"<br\s*/?>|</p>", "\n", body)
        text = html.unescape(re.sub(r"<[^>]+>", " ", body))
        low = text.lower()
        cyr = len(re.findall("[\u0430-\u044f\u0451]", low))
        lat = len(re.findall("[a-z]", low))
        if cyr <= lat or re.search("[\u0456\u0457\u0454\u0491\u045e]", low) or not re.search("[\u044b\u044d]", low):
            continue
        if low.count("\u044a") > len(low) / 500:  # Bulgarian
            continue
        aid = "ru-tg-%s" % os.path.splitext(os.path.basename(f))[0]
        arts.append(Art(aid, "ru", "tgnews", html.unescape(tm.group(1)) if tm else "",
                        [x for x in text.split("\n") if x.strip()]))
    return arts, collections.Counter()


def load_all(corpora):
    required = ["reuters21578", "masakhanews_fra_eng", "10kgnad_test", "sadedegel_turkish_news",
                "semeval2022_task8_hfl"]
    missing = [d for d in required if not os.path.isdir(os.path.join(corpora, d))]
    if missing:
        die_no_corpora(corpora, "missing: " + ", ".join(missing))
    stats = collections.Counter()
    arts = []
    for fn, args in ((load_reuters, (os.path.join(corpora, "reuters21578"),)),
                     (load_masakhane, (os.path.join(corpora, "masakhanews_fra_eng"), "en")),
                     (load_masakhane, (os.path.join(corpora, "masakhanews_fra_eng"), "fr")),
                     (load_gnad, (os.path.join(corpora, "10kgnad_test"),)),
                     (load_sadedegel, (os.path.join(corpora, "sadedegel_turkish_news"),))):
        a, st = fn(*args)
        arts += a
        stats.update(st)
    a, pairs, st = load_semeval(os.path.join(corpora, "semeval2022_task8_hfl"))
    arts += a
    stats.update(st)
    if os.path.isdir(os.path.join(corpora, "tgnews_contest_html")):
        a, st = load_tgnews_ru(os.path.join(corpora, "tgnews_contest_html"))
        arts += a
        stats.update(st)
    stats["loaded"] = len(arts)
    # length filter
    kept = []
    for a in arts:
        size = text_size(a.text(), a.lang)
        need = MIN_CHARS_ZH if a.lang == "zh" else (MIN_WORDS_BRIEF if a.kind == "brief" else MIN_WORDS)
        if size < need or not a.pars:
            stats["too_short"] += 1
            continue
        kept.append(a)
    # exact / near-exact repeats (normalised text hash); first aid wins
    kept.sort(key=lambda a: a.aid)
    seen, pool = set(), []
    for a in kept:
        a.key = norm_key(a.text())
        if a.key in seen:
            stats["exact_repeat_dropped"] += 1
            continue
        seen.add(a.key)
        pool.append(a)
    return pool, pairs, stats


def die_no_corpora(path, detail=""):
    sys.stderr.write(
        "make_corpus.py: the benchmark needs the shared real corpora at %s%s\n"
        "They live beside the project checkout (../shared/corpora) and in CI; they are not part of the\n"
        "repository. Pass --shared /path/to/shared.\n" % (path, (" (" + detail + ")") if detail else ""))
    sys.exit(EXIT_NO_CORPORA)


# --------------------------------------------------------------------------
# near-duplicate filter over a set of base articles

class NearDupIndex:
    """Inverted index on 5-shingle hashes; finds already-accepted articles
    whose Jaccard >= jac or containment >= cont with a new one."""

    def __init__(self, jac=0.3, cont=0.5, max_postings=200, sample=1):
        self.post = collections.defaultdict(list)
        self.docs = []
        self.jac, self.cont, self.max_postings = jac, cont, max_postings
        self.sample = sample   # keep 1/sample of the shingle hashes (estimates stay unbiased)

    def _s(self, sh):
        return sh if self.sample == 1 else {h for h in sh if h % self.sample == 0} or sh

    def find(self, sh):
        sh = self._s(sh)
        cnt = collections.Counter()
        for h in sh:
            lst = self.post.get(h)
            if lst and len(lst) < self.max_postings:
                cnt.update(lst)
        hits = []
        for j, inter in cnt.items():
            other = self.docs[j][1]
            jac = inter / (len(sh) + len(other) - inter)
            cont = inter / min(len(sh), len(other))
            if jac >= self.jac or cont >= self.cont:
                hits.append((self.docs[j][0], jac, cont))
        return hits

    def add(self, aid, sh):
        sh = self._s(sh)
        j = len(self.docs)
        self.docs.append((aid, sh))
        for h in sh:
            self.post[h].append(j)


def art_shingles(a):
    if a.sh is None:
        a.sh = shingles(a.text(), a.lang)
    return a.sh


# --------------------------------------------------------------------------
# copies

def weighted(rng, table):
    items = list(table.items()) if isinstance(table, dict) else list(table)
    total = sum(w for _, w in items)
    x = rng.random() * total
    for k, w in items:
        x -= w
        if x < 0:
            return k
    return items[-1][0]


def word_re_for(lang):
    return re.compile(r"[\u4e00-\u9fff]{2,}") if lang == "zh" else re.compile(r"(?<!\w)[^\W\d_]{5,}(?!\w)")


WORD_RE = {l: word_re_for(l) for l in LANGS}
LONG_WORD_RE = re.compile(r"(?<!\w)[^\W\d_]{8,}(?!\w)")
VARIANT_RES = {l: [(a, b, re.compile(r"(?<!\w)%s(?!\w)" % re.escape(a)), re.compile(r"(?<!\w)%s(?!\w)" % re.escape(b)))
                   for a, b in VARIANTS.get(l, [])] for l in LANGS}


def do_swaps(rng, segs, lang):
    applied = []
    sents = [s for s in segs if s[2] == "S"]
    joined = "\n".join(s[0] for s in sents)
    for a, b, ra, rb in VARIANT_RES[lang]:
        if a not in joined and b not in joined:
            continue
        has_a = any(ra.search(s[0]) for s in sents)
        has_b = any(rb.search(s[0]) for s in sents)
        if not (has_a or has_b):
            continue
        if has_a and has_b:
            src, dst, rsrc = (a, b, ra) if rng.random() < 0.5 else (b, a, rb)
        elif has_a:
            src, dst, rsrc = a, b, ra
        else:
            src, dst, rsrc = b, a, rb
        p_each = 1.0 if rng.random() < 0.6 else 0.5
        n = 0
        for s in sents:
            text = s[0]

            def rep(m, text=text):
                nonlocal n
                if rng.random() >= p_each:
                    return m.group(0)
                n += 1
                after = text[m.end():m.end() + 1]
                if dst == "U.S." and after == ".":
                    return "U.S"
                if src == "U.S." and m.end() == len(text):
                    return "US."
                return dst
            s[0] = rsrc.sub(rep, text)
        if n:
            applied.append("%s>%s" % (src, dst))
    return applied


def do_typos(rng, segs, lang):
    cands = []
    wre = WORD_RE[lang]
    for i, s in enumerate(segs):
        if s[2] != "S":
            continue
        for m in wre.finditer(s[0]):
            cands.append((i, m.start(), m.end()))
    if not cands:
        return 0
    k = min(len(cands), rng.randint(1, 3))
    picks = rng.sample(cands, k)
    # apply right-to-left within a segment so offsets stay valid
    picks.sort(key=lambda x: (x[0], -x[1]))
    for i, st, en in picks:
        w = segs[i][0][st:en]
        if lang == "zh" or rng.random() < 0.5:
            j = rng.randrange(0, len(w) - 1) if lang == "zh" else rng.randrange(1, len(w) - 2)
            nw = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            if nw == w:
                nw = w[:j] + w[j + 1:]
        else:
            j = rng.randrange(1, len(w) - 1)
            nw = w[:j] + w[j + 1:]
        segs[i][0] = segs[i][0][:st] + nw + segs[i][0][en:]
    return k


CURLY_TO_STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                                   "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'"})
CURLY_RE = re.compile("[\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b]")


def curlify(text, lang):
    open_d, close_d = ("\u201e", "\u201c") if lang in ("de", "pl") else ("\u201c", "\u201d")
    out = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        if ch == '"':
            out.append(open_d if (prev.isspace() or prev in "([{-\u2013\u2014") else close_d)
        elif ch == "'":
            if prev.isalnum():
                out.append("\u2019")
            elif prev.isspace() or prev in "([{":
                out.append("\u2018")
            else:
                out.append("\u2019")
        else:
            out.append(ch)
    return "".join(out)


def insert_shy(rng, segs):
    cands = [(i, m.start(), m.end()) for i, s in enumerate(segs) for m in LONG_WORD_RE.finditer(s[0])]
    if not cands:
        return 0
    picks = rng.sample(cands, min(len(cands), rng.randint(1, 6)))
    picks.sort(key=lambda x: (x[0], -x[1]))
    for i, st, en in picks:
        pos = st + rng.randint(3, en - st - 3)
        segs[i][0] = segs[i][0][:pos] + "\u00ad" + segs[i][0][pos:]
    return len(picks)


NBSP_RULES = re.compile(r" (?=[:;?!\u00bb%\u20ac])|(?<=\u00ab) |(?<=\d) (?=\w)|(?<=(?<!\w)\w) |(?<=(?<!\w)\w\w) ")


def insert_nbsp(rng, segs):
    cands = [(i, m.start()) for i, s in enumerate(segs) for m in NBSP_RULES.finditer(s[0])]
    if not cands:
        return 0
    picks = rng.sample(cands, min(len(cands), rng.randint(2, 10)))
    for i, pos in picks:
        t = segs[i][0]
        segs[i][0] = t[:pos] + "\u00a0" + t[pos + 1:]
    return len(picks)


def can_insert_after(seg):
    t = seg[0]
    return (seg[2] == "S" and len(t) >= 20 and t[-1:] in SENT_END_CHARS and not ABBREV_RE.search(t[-16:]))


def insert_inline(rng, pars, text, lang, allow_end=0.3):
    """Insert furniture text after a sentence inside a paragraph (no newline)."""
    inner, ends = [], []
    for pi, p in enumerate(pars):
        for si in range(len(p)):
            if not can_insert_after(p[si]):
                continue
            if si < len(p) - 1:
                if p[si + 1][2] == "S":
                    inner.append((pi, si))
            else:
                ends.append((pi, si))
    pool = ends if (not inner or (ends and rng.random() < allow_end)) else inner
    if not pool:
        pool = [(pi, len(p) - 1) for pi, p in enumerate(pars) if p]
    pi, si = rng.choice(pool)
    p = pars[pi]
    sep = lang_sep(lang)
    new = [text, p[si][1] if si < len(p) - 1 else "", "F"]
    p[si][1] = sep
    p.insert(si + 1, new)


def headline_text(rng, h, lang):
    if lang == "en" and rng.random() < 0.3 and not h.istitle():
        return title_case(h)
    return h


def make_copy(rng, ctx, art, lang, outlet, clean, date):
    """Return (paragraphs, transforms); a paragraph is a list of [text, sep_after, kind]
    segments, kind "S" for a base sentence and "F" for inserted furniture."""
    tr = []
    sep = lang_sep(lang)
    pars = [[[s, sp, "S"] for s, sp in p] for p in art.pars]
    if clean:
        return pars, ["clean"]
    flat = [s for p in pars for s in p]
    if rng.random() < P["swap"]:
        tr += ["swap:" + x for x in do_swaps(rng, flat, lang)]
    if rng.random() < P["typo"]:
        n = do_typos(rng, flat, lang)
        if n:
            tr.append("typo:%d" % n)
    truncated = False
    if rng.random() < P["truncate"] and len(flat) >= 4:
        frac = rng.uniform(0.4, 0.7)
        total = sum(len(s[0]) for s in flat)
        acc, keep = 0, 0
        for s in flat:
            keep += 1
            acc += len(s[0])
            if acc >= frac * total:
                break
        keep = max(1, min(keep, len(flat) - 1))
        left, newpars = keep, []
        for p in pars:
            if left <= 0:
                break
            newpars.append(p[:left])
            left -= len(p)
        newpars[-1][-1][1] = ""
        pars = newpars
        truncated = True
        tr.append("truncate:%.2f" % frac)
    if rng.random() < P["repara"]:
        mode = weighted(rng, {"merge": 0.35, "split": 0.35, "single": 0.15, "sentences": 0.15})
        if mode == "merge" and len(pars) >= 2:
            for _ in range(rng.randint(1, max(1, len(pars) // 3))):
                if len(pars) < 2:
                    break
                i = rng.randrange(len(pars) - 1)
                pars[i][-1][1] = sep
                pars[i:i + 2] = [pars[i] + pars[i + 1]]
        elif mode == "split" and any(len(p) >= 3 for p in pars):
            new = []
            for p in pars:
                if len(p) >= 3 and rng.random() < 0.6:
                    k = rng.randint(1, len(p) - 1)
                    p[k - 1][1] = ""
                    new += [p[:k], p[k:]]
                else:
                    new.append(p)
            pars = new
        elif mode == "single" and len(pars) >= 2:
            for p in pars[:-1]:
                p[-1][1] = sep
            pars = [[s for p in pars for s in p]]
        elif mode == "sentences" and len(flat) <= 40:
            pars = [[s] for p in pars for s in p]
            for p in pars:
                p[0][1] = ""
        else:
            mode = None
        if mode:
            tr.append("repara:" + mode)
    if rng.random() < P["promo"]:
        insert_inline(rng, pars, rng.choice(outlet["promos"]), lang)
        tr.append("promo")
    if rng.random() < P["teaser"]:
        k = 1 if rng.random() < 0.7 else 2
        heads = ctx["headlines"].get(lang, [])
        done = 0
        for _ in range(k):
            for _try in range(5):
                oaid, h = rng.choice(heads) if heads else (None, "")
                if h and oaid not in ctx["cur_aids"]:
                    break
                h = ""
            if not h:
                continue
            t = rng.choice(outlet["teasers"]).format(h=headline_text(rng, h, lang))
            insert_inline(rng, pars, t, lang, allow_end=0.2)
            done += 1
        if done:
            tr.append("teaser" if done == 1 else "teaser:%d" % done)
    if truncated:
        tail = rng.choice(outlet["more"])
        if rng.random() < 0.3:
            pars[-1][-1][1] = sep
            pars[-1].append([tail, "", "F"])
        else:
            pars.append([[tail, "", "F"]])
    if rng.random() < P["follow"]:
        pars.append([[rng.choice(outlet["follow"]), "", "F"]])
        tr.append("follow")
    if rng.random() < P["share"]:
        line = [[rng.choice(outlet["share"]), "", "F"]]
        if rng.random() < 0.4:
            pars.insert(0, line)
        else:
            pars.append(line)
        tr.append("share")
    if rng.random() < P["footer"]:
        pars.append([[outlet["footer"].format(year=date[:4]), "", "F"]])
        tr.append("footer")
    segs = [s for p in pars for s in p]
    if rng.random() < P["quotes"]:
        has_curly = any(CURLY_RE.search(s[0]) for s in segs)
        has_straight = any(('"' in s[0] or "'" in s[0]) for s in segs)
        if has_curly:
            for s in segs:
                s[0] = s[0].translate(CURLY_TO_STRAIGHT)
            tr.append("quotes:straight")
        elif has_straight:
            for s in segs:
                s[0] = curlify(s[0], lang)
            tr.append("quotes:curly")
    if lang != "zh" and rng.random() < P["shy"]:
        if insert_shy(rng, segs):
            tr.append("shy")
    if rng.random() < P["nbsp"]:
        if insert_nbsp(rng, segs):
            tr.append("nbsp")
    if rng.random() < P["nfd"]:
        changed = False
        for s in segs:
            n = unicodedata.normalize("NFD", s[0])
            changed |= n != s[0]
            s[0] = n
        if changed:
            tr.append("nfd")
    return pars, tr


def render_body(pars):
    out = []
    for p in pars:
        out.append("".join(s[0] + (s[1] if i < len(p) - 1 else "") for i, s in enumerate(p)))
    return "\n\n".join(out)


def make_header(rng, outlet, title, date, nfd):
    lines = []
    show_date = rng.random() < 0.9
    show_title = bool(title) and rng.random() < 0.65
    show_url = rng.random() < 0.6
    if not (show_date or show_title or show_url):
        show_date = True
    if show_date:
        lines.append((" date %s " if rng.random() < 0.3 else "date %s") % date)
    if show_title:
        t = unicodedata.normalize("NFD", title) if nfd else title
        lines.append("title: " + t)
    if show_url:
        slug = ascii_slug(title) if title else ""
        num = rng.randint(10000, 99999999)
        if re.search("[a-z]{3}", slug) and rng.random() < 0.7:
            url = "https://%s/%s/%s/%s/%s-%d" % (outlet["domain"], rng.choice(outlet["sections"]),
                                                 date[:4], date[5:7], slug, num)
        else:
            url = "https://%s/%s/%d.html" % (outlet["domain"], rng.choice(outlet["sections"]), num)
        lines.append("url: " + url)
    return "\n".join(lines) + "\n" * weighted(rng, {2: 0.6, 3: 0.2, 4: 0.2})


# What a legacy CMS does to typographic punctuation its code page lacks.
LEGACY_PUNCT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                              "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2014": "-", "\u2013": "-",
                              "\u2026": "...", "\u00b7": "-", "\u2192": "->", "\u00ad": None})
P_LEGACY_PUNCT = 0.7       # legacy target that cannot take the text: fold punctuation (else UTF-8 fallback)


def encode_doc(choice, text):
    """Encode text for an encoding name chosen by emit_cluster."""
    if choice not in ("utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"):
        return text.encode(choice)
    if choice == "utf-8":
        return text.encode("utf-8")
    if choice == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if choice == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return b"\xfe\xff" + text.encode("utf-16-be")


def decode_doc(data, enc):
    """Inverse of encode_doc (used by the self-check)."""
    if enc == "utf-8-bom":
        assert data.startswith(b"\xef\xbb\xbf")
        return data[3:].decode("utf-8")
    if enc == "utf-16-le-bom":
        assert data.startswith(b"\xff\xfe")
        return data[2:].decode("utf-16-le")
    if enc == "utf-16-be-bom":
        assert data.startswith(b"\xfe\xff")
        return data[2:].decode("utf-16-be")
    return data.decode(enc)


def random_day(rng):
    """A day in 2019-2024, as days since 2019-01-01."""
    return rng.randrange(0, 6 * 365)


def fmt_date(day):
    return (datetime.date(2019, 1, 1) + datetime.timedelta(days=day)).isoformat()


# --------------------------------------------------------------------------
# writer

class FileSink:
    """Writes files from a background thread so generation and file creation overlap."""

    def __init__(self):
        self.q = queue.Queue(maxsize=4096)
        self.err = None
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        while True:
            item = self.q.get()
            if item is None:
                return
            try:
                with open(item[0], "wb") as f:
                    f.write(item[1])
            except OSError as e:  # reported by close()
                self.err = e

    def put(self, path, data):
        self.q.put((path, data))

    def close(self):
        self.q.put(None)
        self.t.join()
        if self.err:
            raise self.err


class Writer:
    def __init__(self, out, boilerplate):
        self.out = out
        self.corpus = os.path.join(out, "corpus")
        os.makedirs(self.corpus, exist_ok=True)
        self.gold = open(os.path.join(out, "gold.csv"), "w", encoding="utf-8", newline="")
        self.gw = csv.writer(self.gold, lineterminator="\n")
        self.gw.writerow(["doc_id", "cluster", "lang", "transforms"])
        self.bp = open(os.path.join(out, "boilerplate_gold.jsonl"), "w", encoding="utf-8") if boilerplate else None
        self.dirs = set()
        self.sink = FileSink()
        self.ids = set()
        self.n = 0
        self.bytes = 0
        self.count_lang = collections.Counter()
        self.count_tr = collections.Counter()
        self.count_enc = collections.Counter()
        self.count_outlet = collections.Counter()

    def new_id(self, rng):
        while True:
            i = "%010x" % rng.getrandbits(40)
            if i not in self.ids:
                self.ids.add(i)
                return i

    def write(self, outlet_slug, art_id, copy, data, cluster, lang, tr, enc, inserted, sentences):
        d = os.path.join(self.corpus, outlet_slug)
        if outlet_slug not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(outlet_slug)
        doc_id = "%s/%s-%d.txt" % (outlet_slug, art_id, copy)
        self.sink.put(os.path.join(d, "%s-%d.txt" % (art_id, copy)), data)
        self.gw.writerow([doc_id, cluster, lang, ";".join(tr)])
        if self.bp is not None:
            self.bp.write(json.dumps({"doc_id": doc_id, "inserted": inserted, "sentences": sentences,
                                      "encoding": enc}, ensure_ascii=False) + "\n")
        self.n += 1
        self.bytes += len(data)
        self.count_lang[lang] += 1
        self.count_enc[enc] += 1
        self.count_outlet[outlet_slug] += 1
        for t in tr:
            self.count_tr[t.split(":", 1)[0] if not t.startswith("enc") else t] += 1
        return doc_id

    def close(self):
        self.sink.close()
        self.gold.close()
        if self.bp is not None:
            self.bp.close()


def emit_cluster(rng, ctx, w, cluster_id, bases, lang, ncopies, extra_tr=()):
    """Write ncopies copies of a cluster (bases: 1 or more base articles)."""
    outlets = ctx["outlets"][lang]
    agg = ctx["aggregator"]
    day = random_day(rng)
    ctx["cur_aids"] = {b.aid for b in bases}
    made = []  # (outlet, art_id, data, tr, enc, inserted, sentences)
    for c in range(ncopies):
        base = bases[c % len(bases)] if c < len(bases) else rng.choice(bases)
        if c > 0 and made and rng.random() < P["exact"]:
            src = rng.choice(made)
            outlet = src[0] if rng.random() < 0.5 else rng.choice(outlets)
            art_id = w.new_id(rng)
            tr = ["exact"] + [t for t in src[3] if t != "clean"]
            w.write(outlet["slug"], art_id, c, src[2], cluster_id, lang, list(extra_tr) + tr, src[4], src[5], src[6])
            continue
        outlet = agg if rng.random() < P_AGGREGATOR else rng.choice(outlets)
        date = fmt_date(day + (0 if c == 0 else rng.randint(0, 2)))
        clean = c == 0 and rng.random() < P_FIRST_CLEAN
        pars, tr = make_copy(rng, ctx, base, lang, outlet, clean, date)
        nfd = "nfd" in tr
        header = make_header(rng, outlet, base.title, date, nfd)
        crlf = (not clean) and rng.random() < P["crlf"]
        if crlf:
            tr.append("crlf")
        enc = "utf-8" if clean else weighted(rng, ENCODING_WEIGHTS)
        if enc == "legacy":
            enc = rng.choice(LEGACY_ENCODINGS[lang])
        etr = []
        while True:
            text = header + render_body(pars) + "\n"
            if crlf:
                text = text.replace("\n", "\r\n")
            try:
                data = encode_doc(enc, text)
                break
            except UnicodeEncodeError:
                if "legacy_punct" not in etr and rng.random() < P_LEGACY_PUNCT:
                    etr.append("legacy_punct")
                    header = header.translate(LEGACY_PUNCT)
                    for p in pars:
                        for sg in p:
                            sg[0] = sg[0].translate(LEGACY_PUNCT)
                    continue
                etr.append("enc_fallback:" + enc)
                enc = "utf-8"
        tr = tr + etr + ["enc:" + enc]
        if len(bases) > 1:
            tr.append("base:" + base.aid)
        inserted = [s[0] for p in pars for s in p if s[2] == "F"]
        sentences = [s[0] for p in pars for s in p if s[2] == "S"]
        art_id = w.new_id(rng)
        w.write(outlet["slug"], art_id, c, data, cluster_id, lang, list(extra_tr) + tr, enc, inserted, sentences)
        made.append((outlet, art_id, data, tr, enc, inserted, sentences))
    return ncopies


# --------------------------------------------------------------------------
# profiles

def build_context(pool):
    ctx = {"outlets": collections.defaultdict(list), "aggregator": None, "headlines": collections.defaultdict(list)}
    for o in OUTLETS:
        if o["lang"] == "*":
            ctx["aggregator"] = o
        else:
            ctx["outlets"][o["lang"]].append(o)
    for a in pool:
        h = a.headline()
        if h:
            ctx["headlines"][a.lang].append((a.aid, h))
    ctx["cur_aids"] = set()
    return ctx


def select_eval(rng, pool, pairs, n_articles, stats):
    by_aid = {a.aid: a for a in pool}
    by_lang = collections.defaultdict(list)
    for a in pool:
        by_lang[a.lang].append(a)
    langs = [l for l in LANGS if by_lang[l]]
    q = {l: n_articles // len(langs) + (1 if i < n_articles % len(langs) else 0) for i, l in enumerate(langs)}
    clusters = []          # (cluster_id, [bases], lang, kind)
    same_story = []        # rows for same_story_pairs.csv
    hard = []              # rows for hard_negatives.csv
    used = set()
    for lang in langs:
        idx = NearDupIndex()
        accepted = 0

        def accept(a):
            idx.add(a.aid, art_shingles(a))
            used.add(a.aid)

        def clashes(a):
            return idx.find(art_shingles(a))

        n_hn = round(HARDNEG_FRACTION * q[lang])
        # en additionally gets Reuters earnings briefs, on top of its quota
        n_brief = round(BRIEF_FRACTION * q[lang]) if lang == "en" else 0
        n_pairs = n_hn // 2
        n_lo = n_pairs * 2 // 5
        n_hi = n_pairs - n_lo
        lp = [p for p in pairs if p["lang"] == lang and p["a"] in by_aid and p["b"] in by_aid]
        hi = [p for p in lp if p["overall"] >= 3.0]
        lo = [p for p in lp if p["overall"] <= 1.5]
        # prefer "same topic, different story" (3 <= Overall < 4) over totally unrelated pairs
        # ... and pairs of original text over the team's machine-translated rows
        def is_mt(p):
            return by_aid[p["a"]].src == "semeval_mt" or by_aid[p["b"]].src == "semeval_mt"
        rng.shuffle(hi)
        hi.sort(key=lambda p: (is_mt(p), p["overall"] >= 4.0))
        rng.shuffle(lo)
        lo.sort(key=is_mt)
        got_lo = 0
        for p in lo:
            if got_lo >= n_lo:
                break
            a, b = by_aid[p["a"]], by_aid[p["b"]]
            if a.aid in used or b.aid in used or clashes(a) or clashes(b):
                continue
            jac, cont = similarity(art_shingles(a), art_shingles(b))
            row = dict(cluster_a=a.aid, cluster_b=b.aid, lang=lang, overall="%.3f" % p["overall"],
                       pair_id=p["pair_id"], jaccard5="%.3f" % jac, containment5="%.3f" % cont)
            if jac >= 0.5 or cont >= 0.8:
                # the two "independent" texts are in fact copies: one cluster
                row["cluster_b"] = a.aid
                row["gold"] = "same_cluster(copy)"
                accept(a)
                accept(b)
                clusters.append((a.aid, [a, b], lang, "semeval_copy"))
                hard.append(dict(cluster=a.aid, lang=lang, kind="semeval_same_story_copy", partner=b.aid))
                same_story.append(row)
                got_lo += 1
                continue
            if jac >= 0.2 or cont >= 0.35:
                stats["same_story_ambiguous_skipped"] += 1
                continue
            row["gold"] = "different_clusters"
            accept(a)
            accept(b)
            clusters.append((a.aid, [a], lang, "semeval_same_story"))
            clusters.append((b.aid, [b], lang, "semeval_same_story"))
            hard.append(dict(cluster=a.aid, lang=lang, kind="semeval_same_story", partner=b.aid))
            hard.append(dict(cluster=b.aid, lang=lang, kind="semeval_same_story", partner=a.aid))
            same_story.append(row)
            got_lo += 1
        got_hi = 0
        n_hi += n_lo - got_lo
        for p in hi:
            if got_hi >= n_hi:
                break
            a, b = by_aid[p["a"]], by_aid[p["b"]]
            if a.aid in used or b.aid in used or clashes(a) or clashes(b):
                continue
            if similarity(art_shingles(a), art_shingles(b))[0] >= 0.2:
                continue
            accept(a)
            accept(b)
            for x, y in ((a, b), (b, a)):
                clusters.append((x.aid, [x], lang, "semeval_different"))
                hard.append(dict(cluster=x.aid, lang=lang, kind="semeval_different(%.2f)" % p["overall"],
                                 partner=y.aid))
            got_hi += 1
        accepted = 2 * (got_lo + got_hi)
        if n_brief:
            # Briefs that share a layout (same text once the numbers are masked)
            # are the hard part: they differ only in company and figures.  Take
            # up to 3 per layout, largest layouts first.
            groups = collections.defaultdict(list)
            for a in by_lang[lang]:
                if a.kind == "brief" and a.aid not in used:
                    groups[re.sub(r"\d[\d,.]*", "#", " ".join(a.text().split()))].append(a)
            order = sorted(groups, key=lambda k: (-min(len(groups[k]), 3), k))
            got = 0
            for k in order:
                g = groups[k]
                rng.shuffle(g)
                picked = []
                for a in g:
                    if len(picked) >= 3 or got + len(picked) >= n_brief:
                        break
                    if clashes(a):
                        stats["brief_resend_skipped"] += 1
                        continue
                    accept(a)
                    picked.append(a)
                for a in picked:
                    clusters.append((a.aid, [a], lang, "reuters_brief"))
                    hard.append(dict(cluster=a.aid, lang=lang, kind="reuters_brief",
                                     partner=" ".join(b.aid for b in picked if b is not a)))
                got += len(picked)
                if got >= n_brief:
                    break
        # normal articles: round-robin over sources
        by_src = collections.defaultdict(list)
        for a in by_lang[lang]:
            if a.kind == "normal" and a.aid not in used:
                by_src[a.src].append(a)
        for s in sorted(by_src):
            rng.shuffle(by_src[s])
        # original-language sources first; the SemEval team's machine translations
        # only where no (or not enough) original text exists (zh, it, ru)
        for srcs in ([s for s in sorted(by_src) if s != "semeval_mt"], ["semeval_mt"]):
            srcs = [s for s in srcs if s in by_src]
            ptr = {s: 0 for s in srcs}
            while accepted < q[lang] and any(ptr[s] < len(by_src[s]) for s in srcs):
                for s in srcs:
                    if accepted >= q[lang]:
                        break
                    while ptr[s] < len(by_src[s]):
                        a = by_src[s][ptr[s]]
                        ptr[s] += 1
                        if clashes(a):
                            stats["near_duplicate_base_skipped"] += 1
                            continue
                        accept(a)
                        clusters.append((a.aid, [a], lang, "normal"))
                        accepted += 1
                        break
    return clusters, same_story, hard


def build_eval(args, pool, pairs, stats, w):
    rng = random.Random(args.seed)
    clusters, same_story, hard = select_eval(rng, pool, pairs, args.articles, stats)
    ctx = build_context(pool)
    per_lang = collections.defaultdict(collections.Counter)
    for cid, bases, lang, kind in clusters:
        hn = kind != "normal"
        nc = weighted(rng, COPIES_HARDNEG if hn else COPIES_NORMAL)
        if kind == "semeval_copy":
            nc = max(nc, 2)
        before = w.n
        emit_cluster(rng, ctx, w, cid, bases, lang, nc)
        per_lang[lang]["clusters"] += 1
        per_lang[lang]["docs"] += w.n - before
        per_lang[lang]["src:" + bases[0].src] += 1
        if hn:
            per_lang[lang]["hardneg_clusters"] += 1
            per_lang[lang]["hardneg_docs"] += w.n - before
            per_lang[lang]["kind:" + kind] += 1
    with open(os.path.join(args.out, "same_story_pairs.csv"), "w", encoding="utf-8", newline="") as f:
        cw = csv.DictWriter(f, fieldnames=["cluster_a", "cluster_b", "lang", "overall", "pair_id", "jaccard5",
                                           "containment5", "gold"], lineterminator="\n")
        cw.writeheader()
        for r in same_story:
            cw.writerow(r)
    with open(os.path.join(args.out, "hard_negatives.csv"), "w", encoding="utf-8", newline="") as f:
        cw = csv.DictWriter(f, fieldnames=["cluster", "lang", "kind", "partner"], lineterminator="\n")
        cw.writeheader()
        for r in hard:
            cw.writerow(r)
    return {"per_language": {l: dict(sorted(c.items())) for l, c in sorted(per_lang.items())},
            "clusters": len(clusters), "same_story_pairs": len(same_story), "hard_negative_clusters": len(hard)}


def trim_to_budget(art, budget):
    """Sentence-boundary prefix of art whose UTF-8 size is about budget bytes."""
    pars, acc = [], 0
    for p in art.pars:
        cur = []
        for s, sep in p:
            acc += len(s.encode("utf-8")) + 1
            cur.append((s, sep))
            if acc >= budget:
                break
        if cur:
            cur[-1] = (cur[-1][0], "") if acc >= budget else cur[-1]
            pars.append(cur)
        if acc >= budget:
            break
    return pars


class StoryArt:
    """A lightweight article view used by the speed profile."""
    __slots__ = ("aid", "lang", "title", "pars", "src")

    def __init__(self, aid, lang, title, pars, src):
        self.aid, self.lang, self.title, self.pars, self.src = aid, lang, title, pars, src


def build_speed(args, pool, stats, w):
    rng = random.Random(args.seed)
    t0 = time.time()
    by_lang = collections.defaultdict(list)
    for a in pool:
        by_lang[a.lang].append(a)
    # base articles are consumed in a seeded random order; each one is checked
    # against the ones already used (wire re-sends, MT variants) when first needed
    for lang in sorted(by_lang):
        rng.shuffle(by_lang[lang])
    indexes = {lang: NearDupIndex(max_postings=50, sample=4) for lang in by_lang}
    ptr = collections.Counter()

    def next_base(lang):
        lp = by_lang[lang]
        while ptr[lang] < len(lp):
            a = lp[ptr[lang]]
            ptr[lang] += 1
            sh = art_shingles(a)
            a.sh = None
            if indexes[lang].find(sh):
                stats["speed_near_duplicate_base_skipped"] += 1
                continue
            indexes[lang].add(a.aid, sh)
            return a
        return None

    fresh = {lang: [] for lang in by_lang}  # bases already used once (mosaic material)
    flat_cache = {}
    ctx = build_context([a for v in by_lang.values() for a in v])
    langs = [l for l in LANGS if by_lang[l]]
    mosaic_n = collections.Counter()
    story = 0
    per_lang = collections.defaultdict(collections.Counter)
    last = time.time()
    while w.n < args.docs:
        lang = langs[story % len(langs)]
        a = next_base(lang)
        budget = min(6000, max(350, int(rng.lognormvariate(SPEED_SIZE_MU if a is not None else SPEED_MOSAIC_MU,
                                                          SPEED_SIZE_SIGMA))))
        if a is not None:
            fresh[lang].append(a)
            sa = StoryArt(a.aid, lang, a.title, trim_to_budget(a, budget), a.src)
            cid = a.aid
        else:
            # Pool exhausted: a "mosaic" story made of word windows (12-30 words;
            # zh 25-60 characters) cut at random offsets from random already-used
            # articles of the language.  Windows rarely overlap much, so mosaics
            # are not near-duplicates of each other and the gold stays meaningful.
            mosaic_n[lang] += 1
            lp = fresh[lang]
            sep = lang_sep(lang)
            end_mark = "\u3002" if lang == "zh" else "."
            pars, cur, size, plen = [], [], 0, rng.randint(2, 5)
            first = None
            while size < budget:
                part = rng.choice(lp)
                first = first or part
                toks = flat_cache.get(part.aid)
                if toks is None:
                    txt = " ".join(x for p in part.pars for x, _ in p)
                    toks = flat_cache[part.aid] = txt.replace(" ", "") if lang == "zh" else txt.split()
                ln = rng.randint(25, 60) if lang == "zh" else rng.randint(12, 30)
                st = rng.randrange(max(1, len(toks) - ln))
                x = ("" if lang == "zh" else " ").join(toks[st:st + ln])
                if x[-1:] not in SENT_END_CHARS:
                    x += end_mark
                x = x[:1].upper() + x[1:]
                cur.append((x, sep))
                size += len(x.encode("utf-8")) + 1
                if len(cur) >= plen or size >= budget:
                    cur[-1] = (cur[-1][0], "")
                    pars.append(cur)
                    cur, plen = [], rng.randint(2, 5)
            cid = "%s-mosaic-%07d" % (lang, mosaic_n[lang])
            sa = StoryArt(cid, lang, first.title, pars, "mosaic")
        nc = min(weighted(rng, COPIES_SPEED), args.docs - w.n)
        before = w.n
        emit_cluster(rng, ctx, w, cid, [sa], lang, nc, extra_tr=("mosaic",) if sa.src == "mosaic" else ())
        per_lang[lang]["clusters"] += 1
        per_lang[lang]["docs"] += w.n - before
        story += 1
        if time.time() - last > 5:
            last = time.time()
            print("[speed] %d / %d docs (%.0f docs/s)" % (w.n, args.docs, w.n / (last - t0)), file=sys.stderr)
    return {"per_language": {l: dict(c) for l, c in sorted(per_lang.items())}, "clusters": story,
            "mosaic_clusters": dict(sorted(mosaic_n.items()))}


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared"),
                    help="folder holding corpora/ (default: ../shared beside the repo)")
    ap.add_argument("--out", default=None, help="output folder (default /tmp/dedup-bench/<profile>)")
    ap.add_argument("--profile", choices=["eval", "speed"], default="eval")
    ap.add_argument("--articles", type=int, default=600, help="eval: number of base articles (gold clusters), plus the en Reuters briefs")
    ap.add_argument("--docs", type=int, default=20000, help="speed: exact number of documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--boilerplate-gold", choices=["auto", "yes", "no"], default="auto",
                    help="write boilerplate_gold.jsonl (auto: eval yes, speed no)")
    ap.add_argument("--force", action="store_true", help="overwrite --out even if it was not made by this script")
    args = ap.parse_args()

    corpora = os.path.join(args.shared, "corpora")
    if not os.path.isdir(corpora):
        die_no_corpora(os.path.abspath(corpora))
    out = args.out or os.path.join("/tmp/dedup-bench", args.profile)
    args.out = os.path.abspath(out)
    real_repo = os.path.realpath(repo)
    if os.path.realpath(args.out) == real_repo or os.path.realpath(args.out).startswith(real_repo + os.sep):
        sys.exit("make_corpus.py: refusing to write the generated corpus inside the repository (%s)" % args.out)
    if os.path.exists(args.out) and os.listdir(args.out):
        if not (os.path.exists(os.path.join(args.out, MARKER)) or args.force):
            sys.exit("make_corpus.py: %s exists and was not made by make_corpus.py; use --force" % args.out)
        for name in ("corpus", "gold.csv", "boilerplate_gold.jsonl", "manifest.json", "same_story_pairs.csv",
                     "hard_negatives.csv", MARKER):
            p = os.path.join(args.out, name)
            if os.path.isdir(p):
                shutil.rmtree(p)
            elif os.path.exists(p):
                os.remove(p)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, MARKER), "w", encoding="utf-8") as f:
        f.write("made by bench/make_corpus.py; the folder is replaced on the next run\n")

    t0 = time.time()
    pool, pairs, stats = load_all(corpora)
    t_load = time.time() - t0
    print("loaded %d base articles in %.1fs: %s" % (
        len(pool), t_load, dict(sorted(collections.Counter(a.lang for a in pool).items()))), file=sys.stderr)

    bp = args.boilerplate_gold == "yes" or (args.boilerplate_gold == "auto" and args.profile == "eval")
    w = Writer(args.out, bp)
    t1 = time.time()
    if args.profile == "eval":
        info = build_eval(args, pool, pairs, stats, w)
    else:
        info = build_speed(args, pool, stats, w)
    w.close()
    t_gen = time.time() - t1

    manifest = {
        "generator": "bench/make_corpus.py", "generator_version": GENERATOR_VERSION,
        "profile": args.profile, "seed": args.seed,
        "params": {"articles": args.articles if args.profile == "eval" else None,
                   "docs": args.docs if args.profile == "speed" else None,
                   "shared": os.path.abspath(args.shared), "boilerplate_gold": bp},
        "probabilities": {"first_copy_clean": P_FIRST_CLEAN, "aggregator_outlet": P_AGGREGATOR,
                          "transforms": P, "encodings": dict(ENCODING_WEIGHTS), "legacy_punct_fold": P_LEGACY_PUNCT,
                          "legacy_encodings": LEGACY_ENCODINGS,
                          "copies_normal": COPIES_NORMAL, "copies_hard_negative": COPIES_HARDNEG,
                          "copies_speed": COPIES_SPEED, "speed_body_bytes_lognormal": [SPEED_SIZE_MU, SPEED_SIZE_SIGMA],
                          "speed_mosaic_body_bytes_lognormal": [SPEED_MOSAIC_MU, SPEED_SIZE_SIGMA], "hard_negative_fraction": HARDNEG_FRACTION,
                          "brief_fraction_en": BRIEF_FRACTION},
        "filters": {"min_words": MIN_WORDS, "min_words_brief": MIN_WORDS_BRIEF, "min_chars_zh": MIN_CHARS_ZH},
        "base_pool": dict(sorted(collections.Counter(a.lang for a in pool).items())),
        "base_pool_sources": dict(sorted(collections.Counter("%s/%s" % (a.lang, a.src) for a in pool).items())),
        "load_stats": dict(sorted(stats.items())),
        "documents": w.n, "bytes": w.bytes, "avg_bytes_per_doc": round(w.bytes / max(1, w.n), 1),
        "docs_per_language": dict(sorted(w.count_lang.items())),
        "docs_per_transform": dict(sorted((k, v) for k, v in w.count_tr.items() if not k.startswith("enc"))),
        "docs_per_encoding": dict(sorted(w.count_enc.items())),
        "encoding_fallbacks": dict(sorted((k, v) for k, v in w.count_tr.items() if k.startswith("enc_fallback"))),
        "docs_per_outlet": dict(sorted(w.count_outlet.items())),
        "outlets": [{"slug": o["slug"], "name": o["name"], "domain": o["domain"], "lang": o["lang"]} for o in OUTLETS],
        "timing_seconds": {"load": round(t_load, 2), "generate": round(t_gen, 2), "total": round(time.time() - t0, 2)},
    }
    manifest.update(info)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %d documents (%.1f MB, avg %.0f B) to %s in %.1fs" % (
        w.n, w.bytes / 1e6, w.bytes / max(1, w.n), args.out, time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
