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

The rules of the extractor are general English; nothing here tunes it to these sentences.

Two scores per set:
- **raw**: every gold item as the spec states it (years, IP addresses, "one over three", powers
  count against recall).
- **news-relevant**: gold items in a category that newslens does not count as a figure by design,
  or that is not English news usage, are set aside by the rules in :func:`category` (applied to
  the gold item's surface and the sentence's notation, never to a particular sentence). A
  prediction that matches a set-aside item is ignored rather than counted as an error. Categories:
  ``year`` (a bare 4-digit year 1800-2100 or a decade), ``date/IP/phone part`` (digits inside a
  d/m/y date, a dotted version or IP address, a phone number), ``ordinal`` ("the tenth", "22nd"),
  ``math notation`` (powers, e-notation, "x10^", "±", comparison symbols ``< > =``),
  ``spoken arithmetic`` ("one over three", "two out of five", "2 in 5", "point" decimals,
  "nought", spelled fractions other than halves, thirds and quarters), ``foreign digit
  grouping`` (space-grouped thousands, decimal commas, Indian comma grouping, "G", "dz"),
  ``implicit one`` ("a gallon", "a penny": the article read as 1 unit) and ``pronoun one``
  (a bare "one" not counting a noun).
- Unit conventions are mapped before matching: quantulum3 counts "a dozen" as 1 dozen (compared
  as 12); the Recognizers number spec leaves numbers fused with a unit ("180ml", "29km")
  unannotated, so in the news-relevant score such predictions are ignored for that set.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from newslens._figure_extract import extract_rows
from newslens.figures import extract
from newslens.numwords import SCALES, TENS, UNITS

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "eval_figures.md"
# The gold's seed numbers and the article of data/raw each stands for.
SEEDS = {"000": "rt-2016-12-16-evacuations-halted", "001": "newarab-2016-12-14-delays-hit-evacuation",
         "002": "fars-2016-12-17-west-keep-terrorist-groups", "003": "interpreter-2016-12-16-putin-in-syria-live",
         "004": "rt-2016-12-15-evacuation-begins-republished"}
ARTICLES = Path(__file__).resolve().parents[1] / "data" / "raw" / "articles"
Pair = tuple[float, float]
# A gold item: its value pair and its surface (for the news-relevant category rules).
Gold = tuple[Pair, str]
_COUNT_UNITS = {"dozen": 12.0}


def quantulum_cases(path: Path) -> list[tuple[str, list[Gold]]]:
    """(sentence, gold pairs) from a quantulum3 ``quantities*.json`` file."""
    cases = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        pairs = []
        for res in item["res"]:
            value, spread = float(res["value"]), float(res.get("uncertainty") or 0)
            value *= _COUNT_UNITS.get(res.get("unit", ""), 1.0)
            surface = res.get("surface", "")
            if surface[:2].lower() in ("a ", "an") and value == 1 and res.get("unit") not in (
                    None, "dimensionless"):
                surface = "\x00implicit one:" + surface
            pairs.append(((value - spread, value + spread), surface))
        cases.append((item["req"], pairs))
    return cases


def recognizers_cases(path: Path) -> list[tuple[str, list[Gold]]]:
    """(sentence, gold pairs) from a Recognizers-Text number, range or percent spec."""
    cases = []
    for item in json.loads(path.read_text(encoding="utf-8-sig")):
        pairs = [(pair, res.get("Text", "")) for res in item["Results"]
                 for pair in [_recognizers_pair(res)] if pair]
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


def seed_cases(gold: Path) -> list[tuple[str, list[Gold]]]:
    """(article text, gold pairs) for each seed article with hand-written gold."""
    by_seed: dict[str, list[Gold]] = {}
    with gold.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_seed.setdefault(row["seed"], [])
            if row["approx"] != "forbidden":
                by_seed[row["seed"]].append(
                    ((float(row["value_low"]), float(row["value_high"])), row["surface"]))
    return [((ARTICLES / f"{SEEDS[seed]}.txt").read_text(encoding="utf-8"), pairs)
            for seed, pairs in sorted(by_seed.items())]


def _same(a: Pair, b: Pair) -> bool:
    return all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9) for x, y in zip(a, b))


_ORDINAL = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh"
            r"|twelfth|\w+teenth|\w+tieth|hundredth|thousandth)")
_NUMBER_WORD = "(?:" + "|".join([*UNITS, *TENS, *SCALES, "an?"]) + ")"
_FRACTION_OTHER = re.compile(
    r"\b(?:\w+-)?(?:fourths?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?|\w+teenths?"
    r"|\w+tieths?|hundredths?|thousandths?|millionths?|billionths?|trillionths?|firsts"
    r"|twenty-first|seconds)\b", re.IGNORECASE)
_CATEGORY_RULES: list[tuple[str, re.Pattern, str]] = [
    # (category, pattern, where: "surface" or "text" -- the sentence's notation)
    ("year", re.compile(r"^(?:1[89]\d\d|20\d\d|2100)$|^(?:1[5-9]|20)\d0'?s$"), "surface"),
    ("ordinal", re.compile(rf"\bthe\s+{_ORDINAL}\b|\d(?:st|nd|rd|th)\b", re.I), "surface"),
    ("math notation", re.compile(r"\^|\d[eE][+-]?\d|[x×]\s?10|±|\+/-|[<>=]\s*-?\d"),
     "text"),
    ("spoken arithmetic", re.compile(
        rf"(?:\d|\b{_NUMBER_WORD})\s+(?:over|out\s+of|in|point)\s+(?:\d|{_NUMBER_WORD}\b)"
        r"|\b(?:nought|naught)\b", re.I), "surface"),
    ("spoken arithmetic", _FRACTION_OTHER, "surface"),
    ("foreign digit grouping", re.compile(
        r"\d \d{3}\b|\d,\d{1,2}\b(?!,\d)|\d,\d\d,\d{3}|\d\s?G\b|\bdo?zs\b|\d\.\d{3},"),
     "surface"),
    ("pronoun one", re.compile(r"^\s*one\s*$", re.I), "surface"),
]
_EMBEDDED = re.compile(
    r"\d{1,4}/\d{1,2}/\d{2,4}|\d+(?:\.\d+){2,}|\+\d[\d/-]{6,}\d|\b\d{3}-\d{4}\b")
_FUSED_UNIT = re.compile(r"^\.?\d[\d.,]*[a-z]{1,3}$")


def category(text: str, surface: str) -> str | None:
    """Why a gold item is outside the news-relevant subset, or None when it is inside it.

    >>> category("Voyager 2 in 1979", "1979"), category("over 40 people", "40")
    ('year', None)
    """
    if surface.startswith("\x00implicit one:"):
        return "implicit one"
    for name, rx, where in _CATEGORY_RULES:
        if rx.search(surface if where == "surface" else text):
            return name
    stripped = surface.strip()
    if stripped and any(stripped in m.group(0) for m in _EMBEDDED.finditer(text)):
        return "date/IP/phone part"
    return None


def _spans(text: str, surface: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``surface`` in ``text``, case-insensitive."""
    surface = surface.split(":", 1)[-1] if surface.startswith("\x00") else surface
    if not surface.strip():
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(surface), text, re.I)]


def score(cases: Iterable[tuple[str, list[Gold]]], *, news: bool = False,
          fused_units_unannotated: bool = False) -> dict[str, float]:
    """Micro P/R/F1 of value-level matches over ``cases``; ``news`` sets aside categories.

    >>> score([("over 40 people", [((40.0, 40.0), "40")])])["f1"]
    1.0
    """
    tp = fp = fn = n = 0
    set_aside: dict[str, int] = {}
    for text, gold in cases:
        n += 1
        frame = extract(text)
        predicted = list(zip(*(frame[c].tolist() for c in
                               ("start", "end", "value_low", "value_high", "surface"))))
        kept, aside, spans = [], [], []
        for pair, surface in gold:
            why = category(text, surface) if news else None
            (aside if why else kept).append(pair)
            if why:
                set_aside[why] = set_aside.get(why, 0) + 1
                spans.extend(_spans(text, surface))
        for start, end, low, high, surface in predicted:
            hit = next((g for g in kept if _same((low, high), g)), None)
            if hit is not None:
                kept.remove(hit)
                tp += 1
                continue
            ignored = next((g for g in aside if _same((low, high), g)), None)
            if ignored is not None:
                aside.remove(ignored)
            elif any(start < b and a < end for a, b in spans):
                pass  # part of a set-aside item ("1 over 3" read as 1 and 3)
            elif not (news and fused_units_unannotated and _FUSED_UNIT.match(surface)):
                fp += 1
        fn += len(kept)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"cases": n, "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall,
            "f1": f1, "set_aside": set_aside}


def articles_per_second(texts: list[str], *, repeat: int = 100, rounds: int = 5,
                        clock=time.process_time) -> tuple[float, float]:
    """(best, median) throughput of ``extract_rows`` over ``texts`` repeated ``repeat`` times.

    CPU time of this process is the default clock: on a shared machine wall time measures the
    neighbours as much as the code.
    """
    rates = []
    for _ in range(rounds):
        begin = clock()
        for _ in range(repeat):
            for text in texts:
                extract_rows(text)
        rates.append(repeat * len(texts) / (clock() - begin))
    return max(rates), sorted(rates)[len(rates) // 2]


# The engine before the generalisation work (commit 5aaebf8), scored by this script.
BEFORE = [
    "## Before (engine at commit 5aaebf8, same scoring)",
    "",
    "| dataset | raw F1 | news-relevant F1 |",
    "|---|---:|---:|",
    "| seeds (news, hand gold) | 1.000 | 1.000 |",
    "| quantulum3 quantities | 0.774 | 0.843 |",
    "| quantulum3 ambiguity | 0.781 | 0.833 |",
    "| Recognizers NumberModel | 0.406 | 0.651 |",
    "| Recognizers NumberRangeModel | 0.749 | 0.755 |",
    "| Recognizers PercentModel | 0.933 | 0.933 |",
    "| public sets pooled | 0.600 | 0.755 |",
    "",
    "Speed before: about 880 articles/s with a DataFrame per article (seed articles).",
]


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
    lines = ["| dataset | scoring | cases | TP | FP | FN | precision | recall | F1 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    totals = {"raw": [0, 0, 0], "news-relevant": [0, 0, 0]}
    aside_notes = []
    for name, cases in sets.items():
        for label in ("raw", "news-relevant"):
            s = score(cases, news=label != "raw" and not name.startswith("seeds"),
                      fused_units_unannotated=name == "Recognizers NumberModel")
            lines.append(f"| {name} | {label} | {s['cases']} | {s['tp']} | {s['fp']} | "
                         f"{s['fn']} | {s['precision']:.3f} | {s['recall']:.3f} | "
                         f"{s['f1']:.3f} |")
            if not name.startswith("seeds"):
                for k, key in enumerate(("tp", "fp", "fn")):
                    totals[label][k] += s[key]
            if s["set_aside"]:
                aside_notes.append(f"- {name}: " + ", ".join(
                    f"{k} {v}" for k, v in sorted(s["set_aside"].items())))
    for label, (tp, fp, fn) in totals.items():
        p, r = tp / (tp + fp), tp / (tp + fn)
        lines.append(f"| **public sets pooled** | {label} | | {tp} | {fp} | {fn} | {p:.3f} | "
                     f"{r:.3f} | {2 * p * r / (p + r):.3f} |")
    texts = [(ARTICLES / f"{name}.txt").read_text(encoding="utf-8") for name in SEEDS.values()]
    words = sum(len(t.split()) for t in texts) / len(texts)
    best, median = articles_per_second(texts)
    report = "\n".join([
        "# Figure extractor: value-level evaluation",
        "",
        "Generated by `benchmarks/eval_figures.py`; scoring is defined in its docstring.",
        "",
        *lines,
        "",
        "Gold items set aside in the news-relevant score, by category:",
        *aside_notes,
        "",
        f"Speed: {best:,.0f} articles/s best, {median:,.0f} median of 5 runs "
        f"({best * words:,.0f} words/s), CPU time of one process, on the five seed articles "
        f"(mean {words:,.0f} words) repeated 100 times, `extract_rows` (no DataFrame); "
        "`benchmarks/bench_figures.py` measures a generated corpus.",
        "",
        *BEFORE,
        "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
