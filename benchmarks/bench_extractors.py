"""Speed and output check of the per-article extractors (timex, attribute, events, voice, disputes).

    python benchmarks/bench_extractors.py [N] [--save | --check] [--ref DIR] [--corpus DIR]

Runs each extractor on the seeds (data/raw) and on one chunk of a generated corpus of N articles
(default 100; written with ``make_corpus.write`` under benchmarks/out/ unless ``--corpus`` names
one), and prints articles/s per extractor (median of 3 runs, CPU time of this process).
``--save`` stores every output table as Parquet under ``--ref``; ``--check`` asserts the current
outputs equal the stored ones exactly (rows, values, dtypes, order) and exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus  # noqa: E402
from _reference import add_options, finish, save_or_check  # noqa: E402

from newslens import corpus as corpus_mod  # noqa: E402
from newslens import pipeline, sources, timeline, timex  # noqa: E402
from newslens.manifest import check_rows, read_story  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def chunk_corpus(raw_dir: Path, n: int) -> Any:
    """The first `n` articles of a generated corpus as the build reads them (one chunk)."""
    rows, _ = check_rows(str(raw_dir))
    story, _ = read_story(str(raw_dir))
    chunk = pipeline._chunks(str(raw_dir), rows[:n], story, n)[0]
    return pipeline._english(pipeline.chunk_corpus(chunk)[0])


def generated(n: int, where: Path | None) -> Path:
    path = where or OUT / f"corpus-{n}"
    if not (path / "manifest.csv").is_file():
        make_corpus.write(n, path)
    return path


def stages(corpus: Any) -> list[tuple[str, Callable[[dict[str, pd.DataFrame]], pd.DataFrame]]]:
    """(name, function of the tables so far) in build order."""
    return [
        ("timex", lambda t: timex.from_corpus(corpus)),
        ("attributions", lambda t: sources.attribute(corpus)),
        ("events", lambda t: timeline.events(corpus, t["timex"], attributions=t["attributions"])),
        ("voice", lambda t: sources.voice(corpus, t["attributions"])),
        ("disputes", lambda t: sources.disputes(corpus, t["attributions"])),
    ]


def run(corpus: Any, runs: int) -> tuple[dict[str, pd.DataFrame], dict[str, float]]:
    """Every table, and the median CPU seconds each extractor took."""
    tables: dict[str, pd.DataFrame] = {}
    seconds: dict[str, float] = {}
    for name, func in stages(corpus):
        times = []
        for _ in range(runs):
            begin = time.process_time()
            tables[name] = func(tables)
            times.append(time.process_time() - begin)
        seconds[name] = statistics.median(times)
    return tables, seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, nargs="?", default=100, help="articles in the generated chunk")
    p.add_argument("--corpus", type=Path, help="a generated corpus folder (default benchmarks/out/corpus-N)")
    p.add_argument("--ref", type=Path, default=OUT / "extractors-ref", help="where reference outputs live")
    p.add_argument("--runs", type=int, default=3)
    add_options(p)
    args = p.parse_args(argv)
    corpora = {"seeds": corpus_mod.load(ROOT / "data" / "raw"),
               f"chunk{args.n}": chunk_corpus(generated(args.n, args.corpus), args.n)}
    failures = []
    for label, corpus in corpora.items():
        tables, seconds = run(corpus, args.runs)
        n = len(corpus.articles)
        print(f"{label}: {n} articles, {len(corpus.sentences)} sentences")
        for name, s in seconds.items():
            print(f"  {name:<13} {s:7.3f} s  {n / s if s else float('inf'):>9,.0f} articles/s  ({len(tables[name])} rows)")
        failures += save_or_check(tables, args, label)
    return finish(failures, args)


if __name__ == "__main__":
    sys.exit(main())
