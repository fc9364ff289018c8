#!/usr/bin/env python3
"""Generate countries.csv (country/territory name variants) from Unicode CLDR.

Source: the npm package cldr-localenames-full, pinned below (VERSION,
INTEGRITY).  Python 3.11+, standard library only.  The build never runs
this script; it only reads the committed countries.csv.

Usage (from the repository root):

    # Let the script fetch the pinned package with npm into a temp dir:
    python3 data/aliases/gen_cldr_countries.py --fetch

    # Or fetch it yourself and point the script at the tarball or the
    # unpacked directory:
    tmp=$(mktemp -d) && (cd "$tmp" && npm pack cldr-localenames-full@48.2.0 \
        && tar xzf cldr-localenames-full-48.2.0.tgz)
    python3 data/aliases/gen_cldr_countries.py --package "$tmp/package"
    # (--package also accepts the .tgz; its sha512 is checked against INTEGRITY)

It writes countries.csv and LICENSE-CLDR.txt next to itself (override with
--out / --license-out) and prints a report of every CLDR alternate name it
did not use, and why, on stderr.  The output is deterministic: running it
twice on the same package gives byte-identical files.

What it does, per language L in LANGS and per real territory code T
(two capital letters; pseudo codes EU EZ UN QO ZZ XA XB are skipped -- EU
and UN are organisations and live in curated.csv):

  canonical = CLDR's main name of T in L
  variants  = CLDR's T-alt-variant and T-alt-short names in L
              (other alt kinds such as IO-alt-chagos / IO-alt-biot are not
              alternate spellings of the same thing and are ignored)
            + a few forms added by this script, listed in EXTRA_VARIANTS and
              derived_forms() (apostrophe spellings, en '&' -> 'and',
              en ASCII spelling, en U.S./U.K., es EE.UU./EE UU/EEUU, ms A.S.)
              and in build() (the US acronym spelled out inside the names
              of US territories).

A candidate variant is dropped (and reported) when
  * it is a CLDR placeholder (e.g. ro "TR-variant");
  * T is HK, MO or PS and the candidate is an alt-short name (see
    NO_SHORT_FORMS for why);
  * it is listed in DROP (hand-checked unsafe rows, reason given there);
  * the canonical contains it as a whole word (rewriting would not be
    idempotent and would damage the canonical itself: "Bosnia" inside
    "Bosnia & Herzegovina", "Hong Kong" inside "Hong Kong SAR China");
  * it equals the canonical name of a different territory in L;
  * it occurs as a whole word inside the canonical name of a different
    territory in L (pl "Republika Konga" inside "Demokratyczna Republika
    Konga": ambiguous), except the pairs in INSIDE_OTHER_OK (the US
    acronym inside "U.S. Outlying Islands" etc. still means the US);
  * two territories claim it in L (both rows dropped).

No English names are added to other languages' rows: every language keeps
only its own names.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

PACKAGE = "cldr-localenames-full"
VERSION = "48.2.0"
# npm's dist.integrity for PACKAGE@VERSION (sha512 of the .tgz, base64).
INTEGRITY = (
    "sha512-4o0paYDz0UXhfhChAVFkmVl2CP0YTSEqE6WrC0fNafaSC5u5DAXphxH3SZ1Ujcza"
    "rikr8DToKZfiok6EqWLdNQ=="
)
LICENSE_NAME = "Unicode License v3 (SPDX: Unicode-3.0)"
LICENSE_URL = "https://www.unicode.org/license.txt"

HERE = Path(__file__).resolve().parent

# (lang written to the CSV, CLDR locale directory).  Order = output order.
LANGS: list[tuple[str, str]] = [
    (lang, lang)
    for lang in (
        "en fr de tr es it pl ru ar".split()
    )
] + [("zh", "zh-Hans")] + [
    (lang, lang)
    for lang in (
        "pt nl ja ko hi uk sv cs ro el id fa he hu fi da nb bg sr hr sk sl "
        "lt lv et vi th bn ur sw ms az ca ka hy kk sq mk fil"
    ).split()
]

# Territory codes that are not countries/territories.
PSEUDO_CODES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}

# Alt kinds that are alternate names of the same territory.
ALT_KINDS = ("variant", "short")

# For these territories CLDR's main name is a qualified administrative label
# ("Hong Kong SAR China", "Palestinian Territories") and the alt-short is the
# everyday name.  Rewriting the everyday name into the label is not a
# spelling normalisation: for HK/MO it would blow up every mention (and is
# not idempotent); for PS "Palestine"/"State of Palestine" is not the same
# concept as "Palestinian Territories", and the short form is part of other
# names ("Palestine Liberation Organization", "Palestine Red Crescent",
# sk even gives "Palestínska samospráva" = Palestinian Authority).
NO_SHORT_FORMS = {"HK", "MO", "PS"}

# Hand-checked rows that must not be used, (lang, variant) -> reason.
DROP: dict[tuple[str, str], str] = {
    ("vi", "Mỹ"): "also a common syllable ('thẩm mỹ', 'mỹ thuật') and part of "
    "place names (Mỹ Tho, Mỹ Lai, Mỹ Đình)",
    ("hi", "अमेरिका"): "means 'America'; would rewrite 'दक्षिण अमेरिका' (South America)",
    ("ur", "امریکا"): "means 'America'; would rewrite South/Latin America",
    ("ko", "한국"): "also used for Korea as a whole (한국전쟁, 한국어); particles "
    "attach to it, so matching is unreliable either way",
    ("ms", "Turki"): "also the adjective/language name ('bahasa Turki')",
    ("cs", "GB"): "also the unit gigabyte ('64 GB')",
    ("id", "AS"): "also the club prefix in 'AS Roma', 'AS Monaco'",
    ("nl", "VK"): "also VK (VKontakte) and de Volkskrant",
    ("mk", "ОК"): "reads as 'OK'",
    ("sq", "MB"): "also the unit megabyte ('512 MB')",
}

# Variants that would otherwise be case-insensitive but are also an ordinary
# word in the language: match them exactly (capitalised) only.
CASE_S_WORDS: dict[tuple[str, str], str] = {
    ("en", "Turkey"): "'turkey' (the bird) is an ordinary English word",
}

# Languages that decline nouns (case endings, suffixed articles, or
# suffixes such as Turkish 'de/'nde).  An acronym does not decline ("in den
# USA", "в США", "ABD'de"), so writing the long name in its place gives the
# nominative where another case is needed: "in den Vereinigte Staaten",
# "в Соединенные Штаты", "Amerika Birleşik Devletleri'de".  In these
# languages an acronym is never written out as a name of several words; the
# row is dropped (and reported), unless CANONICAL_OVERRIDE turns it around.
DECLINING_LANGS = {
    "de", "tr", "pl", "ru", "uk", "cs", "ro", "el", "hu", "fi", "bg", "sr",
    "hr", "sk", "sl", "lt", "lv", "et", "az", "ka", "hy", "kk", "sq", "mk",
}

# (lang, territory) -> (canonical, reason): the acronym is the canonical
# and the long name, with its declined forms in EXTRA_VARIANTS, is the
# variant.  The acronym is what that language's press writes, and it fits
# every case ("der Vereinigten Staaten" -> "der USA").
CANONICAL_OVERRIDE: dict[tuple[str, str], tuple[str, str]] = {
    ("de", "US"): ("USA", "the dpa spelling; the acronym fits every case"),
}

# (lang, territory, variant, note): forms not in CLDR, added by this script.
EXTRA_VARIANTS: list[tuple[str, str, str, str]] = [
    ("de", "US", "Vereinigten Staaten", "declined form of CLDR's 'Vereinigte Staaten'"),
    ("de", "US", "Vereinigte Staaten von Amerika", "the full name"),
    ("de", "US", "Vereinigten Staaten von Amerika", "declined form of the full name"),
    ("en", "US", "U.S.", "dotted form of CLDR's alt-short 'US'"),
    ("en", "GB", "U.K.", "dotted form of CLDR's alt-short 'UK'"),
    ("es", "US", "EE.UU.", "unspaced form of CLDR's alt-short 'EE. UU.'"),
    ("es", "US", "EE UU", "undotted form (El País style) of 'EE. UU.'"),
    ("es", "US", "EEUU", "undotted form of 'EE. UU.'"),
    ("ms", "US", "A.S.", "CLDR's alt-short 'A.S' with its final dot"),
]

# (territory, other territory): a name of the first may occur inside the
# other's name, because there it names the same thing.  The other name says
# whose territory it is ("U.S. Outlying Islands", "ABD Küçük Harici
# Adaları", lv "ASV Samoa"), so rewriting the acronym inside it keeps its
# meaning; and a leftmost-longest matcher (README) matches the longer name
# first anyway.  Every other occurrence of a variant inside another
# territory's name is treated as ambiguous and dropped.
INSIDE_OTHER_OK: set[tuple[str, str]] = {("US", "UM"), ("US", "VI"), ("US", "AS")}

# English: ASCII spellings of names with diacritics are common in English
# news ("Turkiye", "Curacao", "Cote d'Ivoire").  Never for these, which are
# ordinary English words:
ASCII_FOLD_EXCLUDE = {"Reunion"}

# Languages written without spaces between words: "contains as a whole
# word" degrades to "contains".
NO_SPACE_LANGS = {"zh", "ja", "th"}

CODE_RE = re.compile(r"^[A-Z]{2}$")
ALT_RE = re.compile(r"^([A-Z]{2})-alt-([a-z]+)$")
PLACEHOLDER_RE = re.compile(r"^[A-Z]{2}-(variant|short)$")


# ---------------------------------------------------------------- helpers
def case_flag(lang: str, variant: str, canonical: str) -> str:
    if (lang, variant) in CASE_S_WORDS:
        return "s"
    if "." in variant:
        return "s"
    letters = [c for c in variant if c.isalpha()]
    if variant == variant.upper() and variant != variant.lower() and len(letters) <= 4:
        return "s"
    if variant.casefold() == canonical.casefold():
        # differs from the canonical only by case ("Eswatini"/"eSwatini")
        return "s"
    return "i"


def is_acronym(name: str) -> bool:
    """Capital letters, maybe dotted: USA, U.S., ABD, США, ΗΠΑ."""
    letters = name.replace(".", "").replace(" ", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters == letters.upper()


def contains_word(lang: str, hay: str, needle: str, case: str) -> bool:
    flags = re.IGNORECASE if case == "i" else 0
    if lang in NO_SPACE_LANGS:
        return re.search(re.escape(needle), hay, flags) is not None
    pat = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    return re.search(pat, hay, flags) is not None


def same(a: str, b: str, case: str) -> bool:
    return a.casefold() == b.casefold() if case == "i" else a == b


# ASCII apostrophe, right single quotation mark, modifier letter apostrophe
# (Ukrainian CLDR names use U+02BC; texts mostly use U+2019 or ASCII).
APOSTROPHES = ("'", "\u2019", "\u02bc")


def ascii_apostrophe(name: str) -> str:
    for a in APOSTROPHES[1:]:
        name = name.replace(a, "'")
    return name


def apostrophe_forms(name: str) -> list[str]:
    """The other spellings of a name that contains an apostrophe."""
    if not any(a in name for a in APOSTROPHES):
        return []
    plain = ascii_apostrophe(name)
    # U+02BC only ever comes from CLDR itself (uk); texts use ' or U+2019.
    return [f for f in (plain, plain.replace("'", "\u2019")) if f != name]


def strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def ascii_fold(name: str) -> str:
    return strip_accents(ascii_apostrophe(name))


def derived_forms(lang: str, name: str) -> list[tuple[str, str]]:
    """Spelling variants of one name added by this script: (form, note)."""
    forms: list[tuple[str, str]] = []
    bases = [name]
    if lang == "en" and " & " in name:
        anded = name.replace(" & ", " and ")
        forms.append((anded, "script: '&' written as 'and'"))
        bases.append(anded)
    for base in list(bases):
        for apos in apostrophe_forms(base):
            forms.append((apos, "script: apostrophe spelling"))
        if lang == "en":
            for folded in (strip_accents(base), ascii_fold(base)):
                if folded != base and folded not in ASCII_FOLD_EXCLUDE:
                    forms.append((folded, "script: ASCII spelling"))
    return forms


# ---------------------------------------------------------------- input
def sha512_integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def unpack(tgz: Path, dest: Path) -> Path:
    got = sha512_integrity(tgz)
    if got != INTEGRITY:
        sys.exit(f"error: {tgz} has integrity {got}, expected {INTEGRITY}")
    with tarfile.open(tgz, "r:gz") as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def fetch(dest: Path) -> Path:
    spec = f"{PACKAGE}@{VERSION}"
    print(f"npm pack {spec} in {dest}", file=sys.stderr)
    subprocess.run(["npm", "pack", spec], cwd=dest, check=True,
                   stdout=subprocess.DEVNULL)
    return unpack(dest / f"{PACKAGE}-{VERSION}.tgz", dest)


def check_package(pkg: Path) -> None:
    meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE or meta.get("version") != VERSION:
        sys.exit(f"error: {pkg} is {meta.get('name')}@{meta.get('version')}, "
                 f"expected {PACKAGE}@{VERSION}")


def load_territories(pkg: Path, locale: str) -> dict[str, str]:
    path = pkg / "main" / locale / "territories.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["main"][locale]["localeDisplayNames"]["territories"]


# ---------------------------------------------------------------- core
def select(lang: str, main: dict[str, str], cands: dict[str, list[tuple[str, str]]],
           report: list[str]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Apply the drop rules.  Returns ({variant: code}, [(code, other, variant)]
    for kept variants that occur inside another territory's name)."""
    kept: dict[str, tuple[str, str]] = {}   # variant -> (code, source)
    claimed: dict[str, set[str]] = {}
    inside: list[tuple[str, str, str]] = []
    for code in sorted(cands):
        canon = main[code]
        seen: set[str] = set()
        for variant, source in cands[code]:
            if variant == canon or variant in seen:
                continue
            seen.add(variant)
            case = case_flag(lang, variant, canon)
            why = None
            if (lang, variant) in DROP:
                why = "unsafe: " + DROP[(lang, variant)]
            elif lang in DECLINING_LANGS and is_acronym(variant) and " " in canon:
                why = "an acronym written out in a declining language (DECLINING_LANGS)"
            elif contains_word(lang, canon, variant, case):
                why = f"canonical {canon!r} contains it (not idempotent)"
            else:
                for other, oname in main.items():
                    if other == code:
                        continue
                    if same(variant, oname, case):
                        why = f"CONFLICT: equals canonical of {other} {oname!r}"
                        break
                    if contains_word(lang, oname, variant, case):
                        if (code, other) in INSIDE_OTHER_OK:
                            report.append(f"{lang}\t{code}\tkept {variant!r}: "
                                          f"occurs inside {other}'s name {oname!r}")
                            inside.append((code, other, variant))
                            continue
                        why = f"CONFLICT: part of {other}'s name {oname!r}"
                        break
            if why:
                report.append(f"{lang}\t{code}\tdropped {variant!r} ({source}): {why}")
                continue
            claimed.setdefault(variant.casefold(), set()).add(code)
            kept[variant] = (code, source)
    result: dict[str, str] = {}
    for variant, (code, source) in sorted(kept.items()):
        codes = claimed[variant.casefold()]
        if len(codes) > 1:
            report.append(f"{lang}\t{code}\tdropped {variant!r}: CONFLICT, "
                          f"claimed by {sorted(codes)}")
            continue
        result[variant] = code
    return result, inside


def build(pkg: Path, report: list[str]) -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = []
    for lang, locale in LANGS:
        terr = load_territories(pkg, locale)
        main = {c: n for c, n in terr.items()
                if CODE_RE.match(c) and c not in PSEUDO_CODES}
        # code -> list of (variant, source)
        cands: dict[str, list[tuple[str, str]]] = {c: [] for c in main}
        for (o_lang, code), (canon, why) in CANONICAL_OVERRIDE.items():
            if o_lang == lang and code in main:
                report.append(f"{lang}\t{code}\tcanonical {canon!r} instead of "
                              f"CLDR's {main[code]!r}: {why}")
                cands[code].append((main[code], "cldr main name (CANONICAL_OVERRIDE)"))
                main[code] = canon
        for key, name in terr.items():
            m = ALT_RE.match(key)
            if not m:
                continue
            code, kind = m.groups()
            if code not in main:
                continue
            if kind not in ALT_KINDS:
                report.append(f"{lang}\t{code}\tignored alt kind {kind!r}: {name}")
                continue
            if PLACEHOLDER_RE.match(name):
                report.append(f"{lang}\t{code}\tdropped {name!r}: CLDR placeholder value")
                continue
            if code in NO_SHORT_FORMS and kind == "short":
                report.append(f"{lang}\t{code}\tdropped {name!r}: alt-short of "
                              f"{code} (policy NO_SHORT_FORMS)")
                continue
            cands[code].append((name, f"cldr alt-{kind}"))
        for ex_lang, code, variant, note in EXTRA_VARIANTS:
            if ex_lang == lang:
                cands[code].append((variant, f"script: {note}"))
        for code in main:
            for name in [main[code]] + [v for v, _ in cands[code]]:
                cands[code].extend(derived_forms(lang, name))

        # The acronym of a territory can occur inside a dependent territory's
        # name ("U.S. Virgin Islands").  Give that territory the expanded form
        # ("United States Virgin Islands") as a variant: it is a real name,
        # and it makes the dependent territory's canonical known to the
        # matcher, which protects it as a whole (README).
        longest: dict[tuple[str, str], str] = {}
        for code, other, variant in select(lang, main, cands, [])[1]:
            if len(variant) > len(longest.get((code, other), "")):
                longest[(code, other)] = variant
        for (code, other), variant in sorted(longest.items()):
            oname = main[other]
            pat = r"(?<!\w)" + re.escape(variant) + r"(?![\w-])"
            expanded = re.sub(pat, lambda _m: main[code], oname)
            if expanded != oname:
                cands[other].append((expanded, f"script: {variant!r} in {oname!r} "
                                     f"spelled out"))
        kept = select(lang, main, cands, report)[0]
        for variant, code in sorted(kept.items()):
            canon = main[code]
            rows.append((variant, canon, lang, case_flag(lang, variant, canon), "country"))
    order = {lang: i for i, (lang, _) in enumerate(LANGS)}
    rows.sort(key=lambda r: (order[r[2]], r[1], r[0]))
    return rows


def header_lines() -> list[str]:
    return [
        f"# countries.csv -- generated by gen_cldr_countries.py from {PACKAGE} {VERSION}",
        "# (Unicode CLDR 48). DO NOT EDIT BY HAND: change the script and re-run it.",
        f"# Data: Copyright (c) Unicode, Inc., {LICENSE_NAME},",
        f"# {LICENSE_URL} ; full text in LICENSE-CLDR.txt next to this file.",
        "# One row per (variant, language): canonical = CLDR's main territory name in",
        "# that language, variant = its CLDR alt-variant / alt-short name.",
        "# Rows not taken verbatim from CLDR were added by the script: en U.S. and U.K.;",
        "# es EE.UU., EE UU, EEUU; ms A.S.; the US acronym spelled out inside the",
        "# names of US territories (United States Virgin Islands -> U.S. Virgin",
        "# Islands: what rewriting the acronym would produce, mapped back to the",
        "# territory's canonical); names containing an apostrophe spelled with the",
        "# ASCII ' and with U+2019; en '&' written as 'and'; en ASCII spellings of",
        "# names with diacritics (Turkiye, Curacao, Cote d'Ivoire); de 'USA' as the",
        "# canonical, with the declined forms of 'Vereinigte Staaten'.  In languages",
        "# that decline nouns, acronyms are not written out (DECLINING_LANGS).",
        "# case: s = match exactly, i = case-insensitive. See README.md.",
    ]


def write_csv(rows, out: Path) -> None:
    buf = io.StringIO()
    for line in header_lines():
        buf.write(line + "\n")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["variant", "canonical", "lang", "case", "kind"])
    w.writerows(rows)
    out.write_bytes(buf.getvalue().encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--package", type=Path,
                     help="unpacked package dir (containing package.json) or the .tgz")
    src.add_argument("--fetch", action="store_true",
                     help=f"run 'npm pack {PACKAGE}@{VERSION}' in a temp dir")
    ap.add_argument("--out", type=Path, default=HERE / "countries.csv")
    ap.add_argument("--license-out", type=Path, default=HERE / "LICENSE-CLDR.txt")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.fetch:
            pkg = fetch(Path(tmp))
        elif args.package.is_file():
            pkg = unpack(args.package, Path(tmp))
        else:
            pkg = args.package
        check_package(pkg)
        report: list[str] = []
        rows = build(pkg, report)
        write_csv(rows, args.out)
        args.license_out.write_bytes((pkg / "LICENSE").read_bytes())

    for line in report:
        print(line, file=sys.stderr)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[2]] = counts.get(r[2], 0) + 1
    print(f"wrote {args.out}: {len(rows)} rows, {len(counts)} languages", file=sys.stderr)
    print(" ".join(f"{lang}={counts.get(lang, 0)}" for lang, _ in LANGS), file=sys.stderr)


if __name__ == "__main__":
    main()
