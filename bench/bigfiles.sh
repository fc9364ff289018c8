#!/usr/bin/env bash
# Memory and time of dedup on oversized and damaged inputs.
#
#   bench/bigfiles.sh [DEDUP_BINARY] [WORK_DIR]
#
# Generates, in WORK_DIR (default /tmp/dedup-bigfiles, never inside the
# repository), one input per case, runs dedup on each with /usr/bin/time -v
# and prints the exit code, the documents, the wall time and the peak
# resident memory (max RSS). Nothing here is a pass/fail test: the figures
# go into README.md (Reliability) when they change.
#
# Cases:
#   txt-200mb      one 200 MB text file (paragraphs): cut at the 8 MiB text cap
#   line-20mb      one text file that is a single 20 MB line
#   nul-50mb       a 50 MB text file with a NUL byte every 100 bytes
#   jsonl-200mb    200 MB of JSONL, 100,000 distinct records of about 2 KB
#   jsonl-line-100mb  a JSONL file whose second line is 100 MB (over the 64 MiB record cap)
#   csv-200mb      200 MB of CSV, 100,000 distinct rows of about 2 KB
#   csv-unclosed   a CSV whose second row opens a quote that never closes (100 MB)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$repo/target/release/dedup}"
work="${2:-/tmp/dedup-bigfiles}"
case "$work" in "$repo"*) echo "refusing to write inside the repository: $work" >&2; exit 2;; esac
[ -x "$bin" ] || { echo "no dedup binary at $bin (cargo build --release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
mkdir -p "$work"
cd "$work"

gen() { # name, python generator body writing to file f
    local name=$1; shift
    if [ ! -e "in/$name" ]; then
        mkdir -p in
        python3 - "in/$name" "$@" <<'PY'
import sys, json, random
path, case = sys.argv[1], sys.argv[2]
rnd = random.Random(7)
syl = ["ka", "to", "ri", "mu", "ne", "sa", "lo", "pe", "di", "vu", "ha", "zo", "ğü", "şı"]
def words(n):
    return " ".join("".join(rnd.choice(syl) for _ in range(1 + rnd.randrange(3))) for _ in range(n))
MB = 1 << 20
with open(path, "wb") as f:
    if case == "txt":
        para = (words(120) + ".\n\n").encode()
        for _ in range(200 * MB // len(para)):
            f.write(para)
    elif case == "line":
        f.write(("word " * (4 * MB)).encode())
    elif case == "nul":
        chunk = (words(20) + " ").encode()[:99] + b"\0"
        for _ in range(50 * MB // 100):
            f.write(chunk)
    elif case == "jsonl":
        for i in range(100_000):
            f.write((json.dumps({"title": f"Story {i}", "text": words(300)}) + "\n").encode())
    elif case == "jsonl-line":
        f.write((json.dumps({"text": words(50)}) + "\n").encode())
        f.write(b'{"text": "' + b"x" * (100 * MB) + b'"}\n')
        f.write((json.dumps({"text": words(50)}) + "\n").encode())
    elif case == "csv":
        f.write(b"title,text\n")
        for i in range(100_000):
            f.write(f'Story {i},"{words(300)}"\n'.encode())
    elif case == "csv-unclosed":
        f.write(b"title,text\n")
        f.write(f'Fine,"{words(50)}"\n'.encode())
        f.write(b'Broken,"never closed ')
        for _ in range(100 * MB // 1000):
            f.write((words(150) + "\n").encode()[:1000])
PY
    fi
}

gen big.txt txt
gen one-line.txt line
gen nul.txt nul
gen big.jsonl jsonl
gen huge-line.jsonl jsonl-line
gen big.csv csv
gen unclosed.csv csv-unclosed

printf '%-18s %8s %5s %6s %9s %10s\n' case size exit docs wall_s max_rss_mb
for pair in txt-200mb:big.txt line-20mb:one-line.txt nul-50mb:nul.txt \
    jsonl-200mb:big.jsonl jsonl-line-100mb:huge-line.jsonl csv-200mb:big.csv \
    csv-unclosed:unclosed.csv; do
    name=${pair%%:*}; file=${pair#*:}
    size=$(du -m "in/$file" | cut -f1)
    set +e
    /usr/bin/time -v "$bin" run "in/$file" -o "out-$name" --force -q 2> "time-$name.txt"
    code=$?
    set -e
    rss_kb=$(grep 'Maximum resident set size' "time-$name.txt" | awk '{print $NF}')
    wall=$(grep 'Elapsed (wall clock)' "time-$name.txt" | awk '{print $NF}')
    docs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['documents'])" "out-$name/summary.json" 2>/dev/null || echo -)
    printf '%-18s %6sMB %5s %6s %9s %10s\n' "$name" "$size" "$code" "$docs" "$wall" "$((rss_kb / 1024))"
done
