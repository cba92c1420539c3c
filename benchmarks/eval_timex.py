"""Score newslens.timex on the Recognizers-Text English DateTime spec, and time it on the seeds.

    .venv/bin/python benchmarks/eval_timex.py [EVAL_DIR] [--seeds DIR] [--out FILE]

EVAL_DIR defaults to ``../shared/eval`` relative to the repository root. Prints a markdown
report and writes it to ``benchmarks/results/eval_timex.md``.

Scoring. Extents are matched relaxed (any character overlap). A value is correct when the
extractor's TIMEX3 equals one the spec lists for an overlapping gold expression, after mapping
notations that mean the same thing:
- ``T07`` = ``T07:00``; a bare time or part of day (``T07``, ``TMO``) = that time on the
  reference day, which is where newslens anchors it;
- ``XXXX-..`` (year left open) = any concrete resolution the spec lists, except weekdays, where
  only the past one counts (newslens reads bare weekdays as past, as news does);
- a range ``(start,end,duration)`` = any expression whose interval has those bounds.
The spec's reference times are naive; they are read as UTC and the extractor runs with
``local_tz="UTC"`` and ``dayfirst=False`` (the spec is US English). No rule is tuned to a
spec sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from newslens.timex import extract, from_corpus

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REF = "2016-11-07T00:00:00"  # the spec's own default reference time
_HOUR_ONLY = re.compile(r"T(\d\d)(?![:\d])")
_ZERO_SECONDS = re.compile(r"(T\d\d:\d\d):00(?!\d)")


def normalise(timex: str) -> str:
    """One spelling per value: ``T07`` -> ``T07:00``, ``T07:00:00`` -> ``T07:00``."""
    return _ZERO_SECONDS.sub(r"\1", _HOUR_ONLY.sub(r"T\1:00", timex))


def _concrete(timex: str, value: dict[str, Any]) -> str | None:
    """``XXXX-05-09`` with value ``2017-05-09`` -> ``2017-05-09`` (same precision, same suffix)."""
    resolved = str(value.get("value") or value.get("start") or "")
    if not re.match(r"\d{4}-\d\d-\d\d", resolved):
        return None
    suffix = timex[timex.index("T"):] if "T" in timex else ""
    if re.fullmatch(r"XXXX-\d\d", timex.split("T")[0]):
        return resolved[:7] + suffix
    if value.get("type") in ("datetime",) and ":" in resolved:
        return normalise(resolved[:10] + "T" + resolved[11:19])
    return normalise(resolved[:10] + suffix)


def acceptable(result: dict[str, Any], ref: datetime) -> tuple[set[str], list[tuple[str, str]]]:
    """TIMEX3 strings and (start, end) interval bounds that count as the right value."""
    values = result.get("Resolution", {}).get("values", [])
    if any("WXX" in str(v.get("timex", "")) for v in values):
        past = [v for v in values if str(v.get("value") or v.get("start") or "")[:10]
                <= ref.date().isoformat()]
        values = past or values
    strings: set[str] = set()
    bounds: list[tuple[str, str]] = []
    for value in values:
        timex = str(value.get("timex") or "")
        if not timex:
            continue
        strings.add(normalise(timex))
        if timex.startswith("("):
            parts = timex.strip("()").split(",")
            if len(parts) == 3 and "X" not in parts[0] + parts[1]:
                bounds.append((parts[0], parts[1]))
        elif timex.startswith("XXXX"):
            concrete = _concrete(timex, value)
            if concrete:
                strings.add(concrete)
        elif timex.startswith("T"):
            strings.add(normalise(ref.date().isoformat() + timex))
    return strings, bounds


def _bound(ts: Any, like: str) -> str | None:
    if ts is None or pd.isna(ts):
        return None
    naive = ts.tz_convert("UTC").tz_localize(None)
    return naive.date().isoformat() if "T" not in like else naive.isoformat()[:len(like)]


def value_ok(pred: Any, result: dict[str, Any], ref: datetime) -> bool:
    strings, bounds = acceptable(result, ref)
    if normalise(str(pred.timex3)) in strings:
        return True
    return any(_bound(pred.value_start_utc, lo) == lo and _bound(pred.value_end_utc, hi) == hi
               for lo, hi in bounds)


def load_cases(eval_dir: Path) -> list[dict[str, Any]]:
    path = eval_dir / "recognizers_text" / "DateTimeModel.json"
    with path.open(encoding="utf-8-sig") as fh:
        return json.load(fh)


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(cases: list[dict[str, Any]]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    for case in cases:
        ref = datetime.fromisoformat(case.get("Context", {}).get("ReferenceDateTime")
                                     or DEFAULT_REF).replace(tzinfo=timezone.utc)
        preds = list(extract(case["Input"], ref, local_tz="UTC", dayfirst=False).itertuples())
        golds = case.get("Results", [])
        spans = [(g["Start"], g["End"] + 1) for g in golds]
        counts["pred"] += len(preds)
        counts["gold"] += len(golds)
        for p in preds:
            hit = [g for g, (s, e) in zip(golds, spans) if p.start < e and p.end > s]
            counts["pred_extent"] += bool(hit)
            counts["pred_value"] += any(value_ok(p, g, ref) for g in hit)
        for g, (s, e) in zip(golds, spans):
            hit = [p for p in preds if p.start < e and p.end > s]
            kind = (g.get("TypeName") or g.get("Typename") or "?").split(".")[-1]
            tally = by_type.setdefault(kind, Counter())
            tally["gold"] += 1
            found, right = bool(hit), any(value_ok(p, g, ref) for p in hit)
            tally["extent"] += found
            tally["value"] += right
            counts["gold_extent"] += found
            counts["gold_value"] += right
    return {"counts": counts, "by_type": by_type, "cases": len(cases)}


def _corpus(texts: list[str], published: datetime) -> SimpleNamespace:
    """A corpus-shaped object: one article per text, the whole text as one body sentence."""
    ids = [f"a{i:05d}" for i in range(len(texts))]
    sentences = pd.DataFrame({
        "sentence_id": [f"{a}-s000" for a in ids], "article_id": ids, "paragraph": 0,
        "position": 0, "start": 0, "end": [len(t) for t in texts], "kind": "body",
        "text": texts, "entry": None, "entry_time_utc": pd.NaT})
    articles = pd.DataFrame({"article_id": ids, "published_utc": pd.Timestamp(published)})
    return SimpleNamespace(articles=articles, sentences=sentences, texts=dict(zip(ids, texts)))


def _median_seconds(run: Any, runs: int) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def speed(seeds: Path, *, copies: int = 40, runs: int = 3) -> dict[str, float]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))] * copies
    published = datetime(2016, 12, 16, 12, 9, tzinfo=timezone.utc)
    corpus = _corpus(texts, published)
    per_article = _median_seconds(lambda: [extract(t, published) for t in texts], runs)
    whole = _median_seconds(lambda: from_corpus(corpus), runs)
    return {"articles": len(texts), "words": sum(len(t.split()) for t in texts) / len(texts),
            "extract": len(texts) / per_article, "from_corpus": len(texts) / whole}


def report(result: dict[str, Any], timing: dict[str, float] | None) -> str:
    c = result["counts"]
    ext = _prf(c["pred_extent"], c["pred"], c["gold_extent"], c["gold"])
    val = _prf(c["pred_value"], c["pred"], c["gold_value"], c["gold"])
    lines = [
        "# newslens.timex — evaluation",
        "",
        "Recognizers-Text English `DateTimeModel.json` "
        f"({result['cases']} cases, {c['gold']} gold expressions, {c['pred']} predicted). "
        "Relaxed extent = any overlap; value = TIMEX3 equal after the mappings in "
        "`benchmarks/eval_timex.py` (weekdays: past reading only).",
        "",
        "| measure | precision | recall | F1 |",
        "|---|---|---|---|",
        f"| relaxed extent | {ext[0]:.3f} | {ext[1]:.3f} | {ext[2]:.3f} |",
        f"| exact value | {val[0]:.3f} | {val[1]:.3f} | {val[2]:.3f} |",
        "",
        "By gold type (recall):",
        "",
        "| type | gold | extent recall | value recall |",
        "|---|---|---|---|",
    ]
    for kind, t in sorted(result["by_type"].items(), key=lambda kv: -kv[1]["gold"]):
        lines.append(f"| {kind} | {t['gold']} | {t['extent'] / t['gold']:.3f} | "
                     f"{t['value'] / t['gold']:.3f} |")
    if timing:
        lines += [
            "",
            "## Speed",
            "",
            f"The five seed articles repeated to {timing['articles']:.0f} articles "
            f"(~{timing['words']:.0f} words each), median of 3 runs, one process:",
            "",
            "| call | articles/s |",
            "|---|---|",
            f"| `from_corpus` (one table for the corpus, the build's path) | "
            f"{timing['from_corpus']:,.0f} |",
            f"| `extract` per article (a DataFrame per article) | {timing['extract']:,.0f} |",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, pandas {pd.__version__}.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--seeds", type=Path, default=ROOT / "data" / "raw" / "articles")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" /
                        "eval_timex.md")
    args = parser.parse_args(argv)
    timing = speed(args.seeds) if args.seeds.exists() else None
    text = report(score(load_cases(args.eval_dir)), timing)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
