"""Value-level evaluation of ``newslens.figures.extract`` on public test sets, plus its speed.

Usage: ``python benchmarks/eval_figures.py [EVAL_DIR]`` (default ``../shared/eval`` relative to
the repository root). Prints a markdown table and writes it to
``benchmarks/results/eval_figures.md``.

Scoring (the same for every set):
- Each gold item and each predicted row is reduced to a value pair ``(low, high)``. A single
  number is ``(v, v)``. A gold range is ``(low, high)``: quantulum3 stores a range as midpoint
  plus ``uncertainty``, read back as ``(v - u, v + u)``; Recognizers-Text stores it as an
  interval string such as ``[20,30)`` whose open side takes the other bound (``(30,)`` becomes
  ``(30, 30)``), so a hedged number ("more than 30") is compared by its number. A percentage
  compares the number ("40 percent" is 40). Units are not compared.
- Within one sentence, a prediction matches a gold item when both ends agree within a relative
  tolerance of 1e-6; matching is one-to-one (greedy in text order). TP are matched pairs; FP
  unmatched predictions; FN unmatched gold items. P, R and F1 are micro-averaged over the set.
- Gold items with no numeric value (Recognizers' bare "percent") are left out.
- The seed row scores the hand-written gold in ``tests/gold/figures_seeds.csv`` the same way
  (whole article as the unit instead of a sentence).

The rules of the extractor are general English; nothing here tunes it to these sentences. Known
non-news items in the Recognizers number spec (IP addresses, dates read as numbers, fractions
like "one over three", powers) and quantulum3's years and product codes count against recall.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from newslens.figures import extract

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "eval_figures.md"
SEEDS = Path("/work/shared/seeds")
Pair = tuple[float, float]


def quantulum_cases(path: Path) -> list[tuple[str, list[Pair]]]:
    """(sentence, gold pairs) from a quantulum3 ``quantities*.json`` file."""
    cases = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        pairs = []
        for res in item["res"]:
            value, spread = float(res["value"]), float(res.get("uncertainty") or 0)
            pairs.append((value - spread, value + spread))
        cases.append((item["req"], pairs))
    return cases


def recognizers_cases(path: Path) -> list[tuple[str, list[Pair]]]:
    """(sentence, gold pairs) from a Recognizers-Text number, range or percent spec."""
    cases = []
    for item in json.loads(path.read_text(encoding="utf-8-sig")):
        pairs = [pair for res in item["Results"] for pair in [_recognizers_pair(res)] if pair]
        cases.append((item["Input"], pairs))
    return cases


def _recognizers_pair(result: dict) -> Pair | None:
    raw = str((result.get("Resolution") or {}).get("value") or "").strip()
    if not raw or raw == "null":
        return None
    if raw[0] in "[(":
        low_text, high_text = raw.strip("[]()").split(",")
        low = float(low_text) if low_text else None
        high = float(high_text) if high_text else None
        low, high = (low if low is not None else high), (high if high is not None else low)
        return (low, high) if low is not None else None
    return (float(raw.rstrip("%")), float(raw.rstrip("%")))


def seed_cases(gold: Path) -> list[tuple[str, list[Pair]]]:
    """(article text, gold pairs) for each seed article with hand-written gold."""
    by_seed: dict[str, list[Pair]] = {}
    with gold.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_seed.setdefault(row["seed"], [])
            if row["approx"] != "forbidden":
                by_seed[row["seed"]].append((float(row["value_low"]), float(row["value_high"])))
    return [(next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8"), pairs)
            for seed, pairs in sorted(by_seed.items())]


def _same(a: Pair, b: Pair) -> bool:
    return all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9) for x, y in zip(a, b))


def score(cases: Iterable[tuple[str, list[Pair]]]) -> dict[str, float]:
    """Micro P/R/F1 of value-level matches over ``cases``.

    >>> score([("over 40 people", [(40.0, 40.0)])])["f1"]
    1.0
    """
    tp = fp = fn = n = 0
    for text, gold in cases:
        n += 1
        predicted = list(zip(*(extract(text)[c].tolist() for c in ("value_low", "value_high"))))
        remaining = list(gold)
        for pair in predicted:
            hit = next((g for g in remaining if _same(pair, g)), None)
            if hit is None:
                fp += 1
            else:
                remaining.remove(hit)
                tp += 1
        fn += len(remaining)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"cases": n, "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall,
            "f1": f1}


def articles_per_second(texts: list[str], *, repeat: int = 100, rounds: int = 5,
                        clock=time.process_time) -> tuple[float, float]:
    """(best, median) throughput of ``extract`` over ``texts`` repeated ``repeat`` times.

    CPU time of this process is the default clock: on a shared machine wall time measures the
    neighbours as much as the code.
    """
    rates = []
    for _ in range(rounds):
        begin = clock()
        for _ in range(repeat):
            for text in texts:
                extract(text)
        rates.append(repeat * len(texts) / (clock() - begin))
    return max(rates), sorted(rates)[len(rates) // 2]


def main(argv: list[str]) -> str:
    eval_dir = Path(argv[0]) if argv else (REPO / ".." / "shared" / "eval").resolve()
    rt = eval_dir / "recognizers_text"
    sets = {
        "seeds (news, hand gold)": seed_cases(REPO / "tests" / "gold" / "figures_seeds.csv"),
        "quantulum3 quantities": quantulum_cases(eval_dir / "quantulum3" / "quantities.json"),
        "quantulum3 ambiguity": quantulum_cases(
            eval_dir / "quantulum3" / "quantities.ambiguity.json"),
        "Recognizers NumberModel": recognizers_cases(rt / "NumberModel.json"),
        "Recognizers NumberRangeModel": recognizers_cases(rt / "NumberRangeModel.json"),
        "Recognizers PercentModel": recognizers_cases(rt / "PercentModel.json"),
    }
    lines = ["| dataset | cases | TP | FP | FN | precision | recall | F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, cases in sets.items():
        s = score(cases)
        lines.append(f"| {name} | {s['cases']} | {s['tp']} | {s['fp']} | {s['fn']} | "
                     f"{s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    words = sum(len(t.split()) for t in texts) / len(texts)
    best, median = articles_per_second(texts)
    report = "\n".join([
        "# Figure extractor: value-level evaluation",
        "",
        "Generated by `benchmarks/eval_figures.py`; scoring is defined in its docstring.",
        "",
        *lines,
        "",
        f"Speed: {best:,.0f} articles/s best, {median:,.0f} median of 5 runs "
        f"({best * words:,.0f} words/s), CPU time of one process, on the five seed articles "
        f"(mean {words:,.0f} words) repeated 100 times, DataFrame construction included.",
        "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
