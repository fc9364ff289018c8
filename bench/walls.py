#!/usr/bin/env python3
"""Measure the `wall` threshold on real pages.

    python3 bench/walls.py [--shared ../shared] [--out /tmp/dedup-bench/walls] [--show 0.2]

A page is a `wall` page when the sentences holding a wall phrase of the
shipped lexicon (consent banners, bot checks, registration forms, paywalls),
with the short stretches around them, take at least half of its words
(`WALL_SHARE` in src/boilerplate/mod.rs). This script writes three sets of
real pages as text, at run time, from `<shared>/corpora`:

* `semeval`: the 3,048 SemEval-2022 Task 8 pages (text1 and text2 of every
  pair of the training and testing sets), which hold real consent banners,
  captchas and trial forms with the headline glued on;
* `trafilatura`: the 1,032 HTML pages of the trafilatura evaluation set,
  as whole pages (every visible text: menus, banners, footers), the way a
  naive scraper keeps them;
* `aeb`: the 181 article pages of the Scrapinghub article-extraction
  benchmark, whole pages too.

It builds and runs `examples/wall_shares.rs` (the share of every page that
holds a wall phrase, computed as `dedup run` does) and prints, per set: the
pages, those with a wall phrase, those at or above the threshold, the lowest
share at or above it and the highest below it, and every page with a share
of at least `--show`, for reading. Standard library only. Exit status: 0 on
success, 3 if a corpus is missing, 2 if the example fails.
"""

import argparse
import csv
import gzip
import html.parser
import os
import re
import subprocess
import sys
import tarfile

EXIT_MISSING = 3
WALL_SHARE = 0.5
SKIP = {"script", "style", "noscript", "svg", "template", "head"}
BLOCK = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
    "article", "header", "footer", "nav", "aside", "ul", "ol", "table", "form",
    "blockquote", "figure", "figcaption", "main", "dd", "dt", "button", "label",
}


class Visible(html.parser.HTMLParser):
    """Every visible text of a page, blocks on paragraphs of their own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def page_text(raw):
    parser = Visible()
    try:
        parser.feed(raw.decode("utf-8", "replace"))
    except Exception:  # a page the parser cannot take is left out
        return None
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.out))
    return re.sub(r" *\n[ \n]*\n *", "\n\n", text).strip() + "\n"


def need(path):
    if not os.path.exists(path):
        sys.exit(f"walls.py: {path} is missing; this benchmark needs the shared corpora")
    return path


def write_semeval(corpora, out):
    folder = need(os.path.join(corpora, "semeval2022_task8_hfl"))
    csv.field_size_limit(10**9)
    n = 0
    for name in ("training_set.csv", "testing_set.csv"):
        with open(need(os.path.join(folder, name)), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for side in ("1", "2"):
                    path = os.path.join(out, f"{name[:2]}-{row['pair_id']}-{side}.txt")
                    with open(path, "w", encoding="utf-8") as o:
                        o.write(row["text" + side].strip() + "\n")
                    n += 1
    return n


def write_trafilatura(corpora, out):
    archive = need(os.path.join(corpora, "trafilatura_eval", "trafilatura_eval_html.tar.xz"))
    n = 0
    with tarfile.open(archive) as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith((".html", ".htm")):
                continue
            text = page_text(tar.extractfile(member).read())
            if text is None:
                continue
            base = os.path.basename(member.name).rsplit(".", 1)[0]
            with open(os.path.join(out, f"{n:04d}-{base}.txt"), "w", encoding="utf-8") as o:
                o.write(text)
            n += 1
    return n


def write_aeb(corpora, out):
    folder = need(os.path.join(corpora, "scrapinghub_aeb", "html"))
    n = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".html.gz"):
            continue
        with gzip.open(os.path.join(folder, name)) as f:
            text = page_text(f.read())
        if text is None:
            continue
        with open(os.path.join(out, name[: -len(".html.gz")] + ".txt"), "w", encoding="utf-8") as o:
            o.write(text)
        n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="/tmp/dedup-bench/walls")
    ap.add_argument("--show", type=float, default=0.2, help="list pages with at least this share")
    args = ap.parse_args()
    corpora = os.path.join(args.shared, "corpora")
    if not os.path.isdir(corpora):
        print(f"walls.py: {corpora} is missing; this benchmark needs the shared corpora", file=sys.stderr)
        sys.exit(EXIT_MISSING)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if os.path.abspath(args.out).startswith(repo + os.sep):
        sys.exit("walls.py: --out must be outside the repository")
    sets = {}
    for name, write in (("semeval", write_semeval), ("trafilatura", write_trafilatura), ("aeb", write_aeb)):
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            os.remove(os.path.join(folder, old))
        try:
            sets[name] = (folder, write(corpora, folder))
        except SystemExit as e:
            print(e, file=sys.stderr)
            sys.exit(EXIT_MISSING)
    build = subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--example", "wall_shares"], cwd=repo
    )
    if build.returncode != 0:
        sys.exit(2)
    binary = os.path.join(repo, "target", "release", "examples", "wall_shares")
    for name, (folder, pages) in sets.items():
        run = subprocess.run([binary, folder], capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            sys.exit(2)
        rows = []
        for line in run.stdout.splitlines():
            share, path = line.split("\t", 1)
            rows.append((float(share), os.path.basename(path)))
        walls = [s for s, _ in rows if s >= WALL_SHARE]
        below = [s for s, _ in rows if s < WALL_SHARE]
        print(
            f"{name}: {pages} pages, {len(rows)} with a wall phrase, {len(walls)} at or above {WALL_SHARE}"
            f" (lowest {min(walls):.3f})" if walls else f"{name}: {pages} pages, {len(rows)} with a wall phrase, none at or above {WALL_SHARE}",
            end="",
        )
        print(f"; highest below: {max(below):.3f}" if below else "")
        for share, path in rows:
            if share >= args.show:
                print(f"  {share:.3f}  {path}")


if __name__ == "__main__":
    main()
