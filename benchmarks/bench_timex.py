"""Speed and output check of ``timex.from_corpus``.

    python benchmarks/bench_timex.py [--corpus DIR] [-n 1000] [--runs 5] [--save | --check] [--ref DIR]

Runs ``from_corpus`` on the seeds (data/raw; also with boilerplate, and in UTC with month-first
dates) and, chunk by chunk (250 articles, as ``newslens build`` reads them), on the first N
articles of a generated corpus (default /tmp/c1k, written with ``make_corpus.write`` if
missing). Prints the CPU time of this process for the first chunk (the best of ``--runs``:
the machine is shared) and articles/s. ``--save`` stores every table as the reference;
``--check`` asserts each equals the stored Parquet exactly (rows, values, dtypes, order) and
exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _reference  # noqa: E402
import make_corpus  # noqa: E402

from newslens import corpus as corpus_mod  # noqa: E402
from newslens import pipeline, timex  # noqa: E402
from newslens.manifest import check_rows, read_story  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 250


def generated_chunks(raw_dir: Path, n: int) -> list[Any]:
    """The first ``n`` articles of a generated corpus as corpora of ``CHUNK`` articles."""
    if not (raw_dir / "manifest.csv").is_file():
        make_corpus.write(n, raw_dir)
    rows, _ = check_rows(str(raw_dir))
    story, _ = read_story(str(raw_dir))
    return [pipeline.chunk_corpus(c)[0] for c in pipeline._chunks(str(raw_dir), rows[:n], story, CHUNK)]


def best_cpu(corpus: Any, runs: int) -> tuple[pd.DataFrame, float]:
    """The timex table of ``corpus`` and the least CPU time of ``runs`` runs."""
    best, table = float("inf"), None
    for _ in range(runs):
        begin = time.process_time()
        table = timex.from_corpus(corpus)
        best = min(best, time.process_time() - begin)
    return table, best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=Path("/tmp/c1k"), help="a generated corpus folder")
    p.add_argument("-n", type=int, default=1000, help="articles of the generated corpus to read")
    p.add_argument("--ref", type=Path, default=ROOT / "benchmarks" / "out" / "timex-ref")
    p.add_argument("--runs", type=int, default=5)
    _reference.add_options(p)
    args = p.parse_args(argv)

    seeds = corpus_mod.load(ROOT / "data" / "raw")
    tables = {"timex": timex.from_corpus(seeds),
              "timex_boilerplate": timex.from_corpus(seeds, include_boilerplate=True),
              "timex_utc_monthfirst": timex.from_corpus(seeds, local_tz="UTC", dayfirst=False)}
    failures = _reference.save_or_check(tables, args, "seeds")

    chunks = generated_chunks(args.corpus, args.n)
    first, seconds = best_cpu(chunks[0], args.runs)
    per = len(chunks[0].articles)
    print(f"from_corpus: {seconds:.3f} s CPU for {per} articles = {per / seconds:,.0f} articles/s "
          f"({1000 * seconds / per:.2f} ms per article; best of {args.runs})")
    tables = {f"chunk{i}": first if i == 0 else timex.from_corpus(c) for i, c in enumerate(chunks)}
    print(f"generated: {sum(len(c.articles) for c in chunks)} articles, "
          f"{sum(len(t) for t in tables.values()):,} expressions")
    failures += _reference.save_or_check(tables, args, "generated")
    return _reference.finish(failures, args)


if __name__ == "__main__":
    sys.exit(main())
