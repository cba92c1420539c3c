"""Time the full build (and the report) on a generated corpus, and figure extraction against
quantulum3 on the same articles.

    .venv/bin/python benchmarks/bench_build.py 100000            # build + report timings
    .venv/bin/python benchmarks/bench_build.py 2000 --quantulum  # also the quantulum3 ratio

The corpus comes from `make_corpus.py` (deterministic; cached under benchmarks/out/). Peak
memory is the largest total proportional set size (PSS: pages shared copy-on-write by forked
workers counted once) of the command and all its children, sampled every second from /proc. quantulum3 crashes when scikit-learn is installed beside it, so it runs
in its own virtual environment (benchmarks/out/venv-quantulum, created on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402


def _pss(pid: int) -> int:
    """Proportional set size of one process: its private pages plus its share of pages it
    shares. Forked workers share the parent's pages copy-on-write; summing their resident sizes
    would count those pages once per worker, summing PSS counts them once."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def _rss_tree(pid: int) -> int:
    """Memory in use by ``pid`` and every descendant (sum of PSS)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            total += _pss(p)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError, PermissionError):
            continue
    return total


class PeakMemory:
    def __init__(self, pid: int | None = None) -> None:
        self.pid, self.peak, self._stop = pid or os.getpid(), 0, threading.Event()

    def __enter__(self):
        def run():
            while not self._stop.is_set():
                self.peak = max(self.peak, _rss_tree(self.pid))
                time.sleep(1.0)  # reading smaps_rollup takes the memory map lock: not too often

        self._t = threading.Thread(target=run, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def corpus(n: int) -> Path:
    path = OUT / f"corpus-{n}"
    if not (path / "manifest.csv").exists():
        print(f"generating {n} articles in {path} …", flush=True)
        make_corpus.write(n, path)
    return path


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (bytes, process tree) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    with PeakMemory(proc.pid) as mem:
        rc = proc.wait()
    if rc:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {rc}")
    return time.perf_counter() - start, mem.peak


def figures_rate(texts: list[str]) -> float:
    from newslens._figure_extract import extract_rows

    start = time.process_time()
    for t in texts:
        extract_rows(t)
    return len(texts) / (time.process_time() - start)


def quantulum_rate(texts: list[str]) -> float:
    venv = OUT / "venv-quantulum"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "quantulum3==0.10.0", "setuptools"], check=True)
    src = OUT / "quantulum-input.json"
    src.write_text(json.dumps(texts))
    code = ("import json,sys,time\nfrom quantulum3 import parser\nt=json.load(open(sys.argv[1]))\n"
            "s=time.process_time()\nfor x in t: parser.parse(x)\nprint(len(t)/(time.process_time()-s))")
    out = subprocess.run([str(py), "-c", code, str(src)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, nargs="?", default=100_000)
    p.add_argument("--quantulum", action="store_true", help="also time quantulum3 on the same articles")
    p.add_argument("--sample", type=int, default=300, help="articles for the figure-extraction comparison")
    p.add_argument("--no-report", action="store_true")
    p.add_argument("--no-build", action="store_true", help="time the report over the existing build only")
    p.add_argument("--engine", choices=["pandas", "duckdb", "dask"], default="pandas",
                   help="how the report's notebooks read the processed tables (their `engine` parameter)")
    p.add_argument("--workers", type=int, help="build worker processes (default: every core)")
    args = p.parse_args(argv)
    raw = corpus(args.n)
    processed = OUT / f"processed-{args.n}"
    venv_bin = Path(sys.executable).parent
    results: dict[str, object] = {"articles": args.n, "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                  f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
                                  "python": platform.python_version()}
    # Text reuse is measured on its own (bench_reuse.py): a corpus recombined from five seeds is
    # reuse from end to end, which would measure the generator, not the build.
    build = [str(venv_bin / "newslens"), "build", "--raw", str(raw), "--out", str(processed), "--quiet", "--no-reuse"]
    saved = HERE / "results" / f"bench_build_{args.n}.json"
    saved.parent.mkdir(exist_ok=True)
    if args.no_build:
        results = {**(json.loads(saved.read_text()) if saved.exists() else {}), **results}
    else:
        seconds, peak = timed(build + (["--workers", str(args.workers)] if args.workers else []))
        results.update(build_seconds=round(seconds, 1), build_articles_per_s=round(args.n / seconds, 1),
                       build_peak_mb=round(peak / 2**20))
        print(f"build: {args.n} articles in {seconds:.1f} s ({args.n / seconds:.0f}/s), peak {peak / 2**20:.0f} MB",
              flush=True)
    if not args.no_report:
        seconds, peak = timed([str(venv_bin / "newslens"), "report", "--raw", str(raw), "--processed", str(processed),
                               "--out", str(OUT / f"reports-{args.n}"), "--quiet", "-p", f"engine={args.engine}"])
        results.update(report_seconds=round(seconds, 1), report_peak_mb=round(peak / 2**20), report_engine=args.engine)
        print(f"report ({args.engine}): {seconds:.1f} s, peak {peak / 2**20:.0f} MB", flush=True)
    texts = list(make_corpus.texts(args.sample, seed=11))
    results["figures_articles_per_s"] = round(figures_rate(texts), 1)
    print(f"figures: {results['figures_articles_per_s']} articles/s (one process)")
    if args.quantulum:
        q = quantulum_rate(texts[: min(len(texts), 100)])
        results["quantulum3_articles_per_s"] = round(q, 2)
        results["figures_vs_quantulum3"] = round(float(results["figures_articles_per_s"]) / q, 1)
        print(f"quantulum3: {q:.1f} articles/s → newslens is {results['figures_vs_quantulum3']}× faster")
    saved.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
