#!/usr/bin/env bash
# Run one fuzz target for a while and print libFuzzer's final statistics.
#
#   fuzz/run.sh TARGET [SECONDS]     (default 600)
#
# Uses cargo-fuzz (`cargo install cargo-fuzz`) with RUSTC_BOOTSTRAP=1, since
# libFuzzer needs compiler flags that a stable toolchain only accepts that
# way. No sanitizer: the code under test is safe Rust, and without ASan the
# same CPU time gives several times more runs. Seeds: fuzz/corpus/TARGET
# (not committed; the first run starts from whatever is there). Crashes
# land in fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
mkdir -p "corpus/$target" logs
RUSTC_BOOTSTRAP=1 cargo fuzz run -O -s none "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | tee "logs/$target.log" |
    grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|Done|==[0-9]+== ERROR|thread .* panicked)' || true
