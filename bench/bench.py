#!/usr/bin/env python3
"""Rerunnable benchmark: dedup against the datasketch recipe, speed and quality.

    python3 bench/bench.py [--shared ../shared] [--work /tmp/dedup-bench] [--runs 5]
                           [--scale 10000,100000,1000000] [--keep-corpora] [--json FILE]

What it does, in one run:

1. Checks that <shared>/corpora exists (exit 3 with a message if not), and
   builds what is missing under --work with make_corpus.py: the eval corpus
   (seed 1) and the 20,000-document speed corpus.
2. Builds dedup in release mode (cargo build --release).
3. Creates a temporary virtual environment and pip-installs datasketch into
   it (the plain recipe in datasketch_baseline.py: word 5-grams, 128
   permutations, MinHashLSH threshold 0.5, union-find).
4. Speed: on the 20k corpus, runs dedup, dedup with --keep-boilerplate
   (what the boilerplate stage costs), the datasketch recipe and `wc -w`
   (one process over the same file list) --runs times each, interleaved, and
   prints the medians and the ratios of the medians. Peak RSS is the
   child's maximum resident set size (wait4).
5. Quality: runs dedup and the recipe on the eval corpus and scores both
   with score.py (pairwise P/R/F1, ARI, B-cubed, per language).
6. With --scale N,N,...: builds speed corpora of those sizes if missing,
   reads each once with `wc -w` (so that every size is timed with its files
   in the page cache), times `wc -w` and then dedup once on each, and prints
   time, peak RSS, documents per second, the ratio to `wc -w` and the
   largest stages (the scaling table). Corpora built for --scale are deleted after
   their run unless --keep-corpora (a million documents take 4 GB).

Everything is measured in the same run on the same machine; nothing is read
from earlier runs.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(cmd, **kw):
    """Run cmd; return (seconds, peak RSS in MiB, completed stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    out, err = p.communicate()
    # communicate() reaped the child; its rusage is folded into RUSAGE_CHILDREN,
    # so take peak RSS through wait4 on a fresh run instead when needed.
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        log(err.decode("utf-8", "replace"))
        sys.exit("bench.py: command failed (%d): %s" % (p.returncode, " ".join(cmd)))
    return dt, out


def timed_rss(cmd, **kw):
    """Run cmd with stdout/stderr discarded; return (seconds, peak RSS MiB).
    The CPU seconds (user + system) of the last call are in LAST_CPU."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    _, status, rusage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        log(err)
        sys.exit("bench.py: command failed (%d): %s" % (code, " ".join(cmd)))
    LAST_CPU[0] = rusage.ru_utime + rusage.ru_stime
    return dt, rusage.ru_maxrss / 1024.0


LAST_CPU = [0.0]


def ensure_corpus(args, name, extra):
    out = os.path.join(args.work, name)
    if os.path.exists(os.path.join(out, "gold.csv")):
        return out, False
    log("building corpus %s ..." % out)
    cmd = [sys.executable, os.path.join(HERE, "make_corpus.py"), "--shared", args.shared,
           "--out", out] + extra
    r = subprocess.run(cmd)
    if r.returncode != 0:
        sys.exit("bench.py: make_corpus.py failed for %s (exit %d)" % (name, r.returncode))
    return out, True


def file_list(corpus_dir):
    files = []
    for d, _dirs, names in os.walk(corpus_dir):
        for n in names:
            if n.endswith(".txt"):
                files.append(os.path.join(d, n))
    files.sort()
    return files


def score(clusters, gold):
    r = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), "--json", clusters, gold],
                       stdout=subprocess.PIPE, check=True)
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    ap.add_argument("--work", default="/tmp/dedup-bench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", default="", help="comma-separated corpus sizes for the scaling table")
    ap.add_argument("--keep-corpora", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true", help="no datasketch (speed of dedup only)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    corpora = os.path.join(args.shared, "corpora")
    if not os.path.isdir(corpora):
        print("bench.py: the benchmark needs the shared corpora at %s (see bench/README.md); "
              "pass --shared DIR" % os.path.abspath(corpora), file=sys.stderr)
        sys.exit(3)
    os.makedirs(args.work, exist_ok=True)
    if os.path.realpath(args.work).startswith(os.path.realpath(REPO) + os.sep):
        sys.exit("bench.py: --work must be outside the repository")

    eval_dir, _ = ensure_corpus(args, "eval", ["--profile", "eval", "--seed", "1"])
    speed_dir, _ = ensure_corpus(args, "speed20k", ["--profile", "speed", "--docs", "20000"])

    log("building dedup (release) ...")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    dedup = os.path.join(REPO, "target", "release", "dedup")

    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    venv = None
    py = None
    if not args.skip_baseline:
        venv = tempfile.mkdtemp(prefix="dedup-bench-venv-")
        log("creating a virtual environment in %s and installing datasketch ..." % venv)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        py = os.path.join(venv, "bin", "python")
        subprocess.run([py, "-m", "pip", "install", "--quiet", "datasketch"], check=True)
        ver = subprocess.run([py, "-c", "import datasketch; print(datasketch.__version__)"],
                             stdout=subprocess.PIPE, check=True).stdout.decode().strip()
        results["datasketch"] = ver
    try:
        scratch = tempfile.mkdtemp(prefix="dedup-bench-out-")
        corpus = os.path.join(speed_dir, "corpus")
        files = file_list(corpus)
        listing = os.path.join(scratch, "files0")
        with open(listing, "wb") as f:
            for p in files:
                f.write(p.encode() + b"\0")
        total_bytes = sum(os.path.getsize(p) for p in files)
        runs = {"dedup": [], "dedup_keep_boilerplate": [], "datasketch": [], "wc": []}
        cpu = {"dedup": [], "dedup_keep_boilerplate": [], "datasketch": []}
        rss = {"dedup": [], "dedup_keep_boilerplate": [], "datasketch": []}
        for i in range(args.runs):
            log("speed run %d/%d ..." % (i + 1, args.runs))
            t, m = timed_rss([dedup, "run", corpus, "-o", os.path.join(scratch, "dedup"), "--force", "-q"])
            runs["dedup"].append(t)
            cpu["dedup"].append(LAST_CPU[0])
            rss["dedup"].append(m)
            # The same run without boilerplate learning and removal, for
            # text that is already clean: what that stage costs.
            t, m = timed_rss([dedup, "run", corpus, "-o", os.path.join(scratch, "dedup-kb"), "--force", "-q",
                              "--keep-boilerplate"])
            runs["dedup_keep_boilerplate"].append(t)
            cpu["dedup_keep_boilerplate"].append(LAST_CPU[0])
            rss["dedup_keep_boilerplate"].append(m)
            if py:
                t, m = timed_rss([py, os.path.join(HERE, "datasketch_baseline.py"), corpus,
                                  "-o", os.path.join(scratch, "ds")])
                runs["datasketch"].append(t)
                cpu["datasketch"].append(LAST_CPU[0])
                rss["datasketch"].append(m)
            t, _ = timed(["wc", "-w", "--files0-from=" + listing])
            runs["wc"].append(t)
        med = {k: statistics.median(v) for k, v in runs.items() if v}
        speed = {"corpus": speed_dir, "documents": len(files), "bytes": total_bytes,
                 "runs": runs, "median_seconds": med, "cpu_seconds": cpu,
                 "median_cpu_seconds": {k: statistics.median(v) for k, v in cpu.items() if v},
                 "peak_rss_mib": {k: max(v) for k, v in rss.items() if v}}
        if "datasketch" in med:
            speed["speedup_vs_datasketch"] = med["datasketch"] / med["dedup"]
        speed["dedup_over_wc"] = med["dedup"] / med["wc"]
        if "datasketch" in med:
            speed["speedup_keep_boilerplate_vs_datasketch"] = med["datasketch"] / med["dedup_keep_boilerplate"]
        results["speed20k"] = speed

        log("quality runs on the eval corpus ...")
        gold = os.path.join(eval_dir, "gold.csv")
        subprocess.run([dedup, "run", os.path.join(eval_dir, "corpus"), "-o", os.path.join(scratch, "eval"),
                        "--force", "-q"], check=True)
        quality = {"dedup": score(os.path.join(scratch, "eval", "clusters.csv"), gold)}
        if py:
            subprocess.run([py, os.path.join(HERE, "datasketch_baseline.py"), os.path.join(eval_dir, "corpus"),
                            "-o", os.path.join(scratch, "eval-ds")], check=True, stderr=subprocess.DEVNULL)
            quality["datasketch"] = score(os.path.join(scratch, "eval-ds", "clusters.csv"), gold)
        results["quality"] = quality

        scale = []
        for n in [int(x) for x in args.scale.split(",") if x.strip()]:
            if n % 1000000 == 0:
                name = "speed%dm" % (n // 1000000)
            elif n % 1000 == 0:
                name = "speed%dk" % (n // 1000)
            else:
                name = "speed%d" % n
            d, built = ensure_corpus(args, name, ["--profile", "speed", "--docs", str(n)])
            c = os.path.join(d, "corpus")
            # Every file is read once before anything is timed, so that all
            # sizes are measured with the corpus in the page cache (as the
            # 20k speed runs are after their first round); that read is
            # `wc -w`, timed too, for the ratio at each size.
            scale_listing = os.path.join(scratch, "files0-%d" % n)
            with open(scale_listing, "wb") as f:
                for p in file_list(c):
                    f.write(p.encode() + b"\0")
            log("warming the page cache with %d documents ..." % n)
            timed(["wc", "-w", "--files0-from=" + scale_listing])
            wc_seconds, _ = timed(["wc", "-w", "--files0-from=" + scale_listing])
            log("scaling run on %d documents ..." % n)
            out = os.path.join(scratch, "scale")
            t, m = timed_rss([dedup, "run", c, "-o", out, "--force", "-q"])
            summary = json.load(open(os.path.join(out, "summary.json")))
            row = {"documents": n, "seconds": t, "cpu_seconds": LAST_CPU[0], "peak_rss_mib": m,
                   "docs_per_second": n / t, "cpu_us_per_doc": 1e6 * LAST_CPU[0] / n,
                   "candidate_pairs": summary.get("candidate_pairs"), "timings": summary.get("timings"),
                   "wc_seconds": wc_seconds, "dedup_over_wc": t / wc_seconds}
            sc = score(os.path.join(out, "clusters.csv"), os.path.join(d, "gold.csv"))
            row["pairwise"] = {"precision": sc["pairwise_precision"], "recall": sc["pairwise_recall"]}
            scale.append(row)
            shutil.rmtree(out, ignore_errors=True)
            if built and not args.keep_corpora:
                shutil.rmtree(d, ignore_errors=True)
        if scale:
            results["scale"] = scale
        shutil.rmtree(scratch, ignore_errors=True)
    finally:
        if venv:
            shutil.rmtree(venv, ignore_errors=True)

    report(results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
            f.write("\n")


def machine():
    info = {"cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["memory"] = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    return info


def report(r):
    print("machine: %s" % json.dumps(r["machine"]))
    s = r["speed20k"]
    med = s["median_seconds"]
    print("\nspeed: %d documents, %.1f MB, medians of %d runs" % (s["documents"], s["bytes"] / 1e6, len(s["runs"]["dedup"])))
    cpu = s.get("median_cpu_seconds", {})
    print("  dedup run        %7.2f s  (CPU %6.2f s)  peak RSS %6.0f MiB" % (
        med["dedup"], cpu.get("dedup", 0), s["peak_rss_mib"]["dedup"]))
    if "dedup_keep_boilerplate" in med:
        print("  dedup run --keep-boilerplate %7.2f s  (CPU %6.2f s)  peak RSS %6.0f MiB" % (
            med["dedup_keep_boilerplate"], cpu.get("dedup_keep_boilerplate", 0),
            s["peak_rss_mib"]["dedup_keep_boilerplate"]))
    if "datasketch" in med:
        print("  datasketch %-5s %7.2f s  (CPU %6.2f s)  peak RSS %6.0f MiB" % (
            r.get("datasketch", ""), med["datasketch"], cpu.get("datasketch", 0), s["peak_rss_mib"]["datasketch"]))
    print("  wc -w            %7.2f s" % med["wc"])
    if "speedup_vs_datasketch" in s:
        print("  dedup is %.1fx faster than the datasketch recipe (wall-clock medians; %.1fx in CPU time)" % (
            s["speedup_vs_datasketch"], cpu.get("datasketch", 0) / max(cpu.get("dedup", 1e-9), 1e-9)))
    print("  dedup takes %.2fx the time of wc -w" % s["dedup_over_wc"])
    if "speedup_keep_boilerplate_vs_datasketch" in s:
        print("  with --keep-boilerplate: %.1fx faster than the recipe, %.2fx the time of wc -w" % (
            s["speedup_keep_boilerplate_vs_datasketch"], med["dedup_keep_boilerplate"] / med["wc"]))
    print("\nquality on the eval corpus:")
    for tool, sc in r["quality"].items():
        print("  %-10s pairwise P %.4f R %.4f F1 %.4f  ARI %.4f  B-cubed F1 %.4f" % (
            tool, sc["pairwise_precision"], sc["pairwise_recall"], sc["pairwise_f1"], sc["ari"],
            sc["bcubed_f1"]))
        langs = sc.get("per_language", {})
        print("             " + "  ".join("%s P %.3f R %.3f" % (l, v["precision"], v["recall"])
                                          for l, v in sorted(langs.items())))
    if r.get("scale"):
        print("\nscaling (one run each):")
        print("  %10s %9s %9s %12s %10s %12s %8s %8s %14s" % (
            "documents", "seconds", "CPU s", "CPU us/doc", "RSS MiB", "docs/s", "wc -w s", "x wc", "pairwise P/R"))
        for row in r["scale"]:
            pw = row.get("pairwise") or {}
            print("  %10d %9.2f %9.2f %12.1f %10.0f %12.0f %8.2f %8.1f %6.3f/%.3f" % (
                row["documents"], row["seconds"], row["cpu_seconds"], row["cpu_us_per_doc"], row["peak_rss_mib"],
                row["docs_per_second"], row.get("wc_seconds", 0), row.get("dedup_over_wc", 0),
                pw.get("precision", 0), pw.get("recall", 0)))
        print("  (each corpus read once by wc -w before it is timed: page cache warm)")
        for row in r["scale"]:
            t = row.get("timings") or {}
            stages = sorted(((v, k) for k, v in t.items() if k != "normalize_share"), reverse=True)
            print("  %10d largest stages (wall s): %s" % (
                row["documents"], ", ".join("%s %.1f" % (k, v) for v, k in stages[:6])))


if __name__ == "__main__":
    main()
