"""Reference outputs for the benchmarks that check their results (``--save`` / ``--check``).

``--save`` stores every output table of a run as ``<ref>/<label>-<name>.parquet``; ``--check``
compares a later run's tables with them exactly (rows, values, dtypes, order), so a speed-up can
be shown to change nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any
from pathlib import Path

import pandas as pd


def add_options(parser: argparse.ArgumentParser, *, save_help: str = "store the outputs as the reference") -> None:
    """The mutually exclusive ``--save`` and ``--check`` flags."""
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--save", action="store_true", help=save_help)
    mode.add_argument("--check", action="store_true", help="compare the outputs with the reference")


def differences(tables: dict[str, pd.DataFrame], ref: Path, label: str) -> list[str]:
    """One message per table of ``tables`` that differs from its stored reference."""
    failures = []
    for name, frame in tables.items():
        try:
            pd.testing.assert_frame_equal(frame, pd.read_parquet(ref / f"{label}-{name}.parquet"))
        except AssertionError as exc:
            failures.append(f"{label}/{name}: {exc}")
    return failures


def save_or_check(tables: dict[str, pd.DataFrame], args: argparse.Namespace, label: str) -> list[str]:
    """With ``args.save``, store ``tables`` under ``args.ref``; with ``args.check``, the
    differences from the stored ones; else nothing."""
    if args.save:
        args.ref.mkdir(parents=True, exist_ok=True)
        for name, frame in tables.items():
            frame.to_parquet(args.ref / f"{label}-{name}.parquet")
    elif args.check:
        return differences(tables, args.ref, label)
    return []


def finish(failures: list[str], args: argparse.Namespace) -> int:
    """Say what was saved or found; the exit code (1 when a table differs)."""
    if args.save:
        print(f"reference saved to {args.ref}")
    elif args.check:
        print("\n".join(failures) if failures else "outputs identical to the reference")
    return 1 if failures else 0


def cpu_seconds(func: Callable[[], Any], runs: int) -> tuple[Any, float]:
    """The result of ``func`` and its median CPU time over ``runs`` runs."""
    times, result = [], None
    for _ in range(runs):
        begin = time.process_time()
        result = func()
        times.append(time.process_time() - begin)
    return result, statistics.median(times)


def generated_chunks(raw_dir: Path, n: int, chunk: int) -> list[Any]:
    """The first ``n`` articles of a generated corpus as English corpora of ``chunk`` articles."""
    import make_corpus

    from newslens import pipeline
    from newslens.manifest import check_rows, read_story

    if not (raw_dir / "manifest.csv").is_file():
        make_corpus.write(n, raw_dir)
    rows, _ = check_rows(str(raw_dir))
    story, _ = read_story(str(raw_dir))
    chunks = pipeline._chunks(str(raw_dir), rows[:n], story, chunk)
    return [pipeline._english(pipeline.chunk_corpus(c)[0]) for c in chunks]

