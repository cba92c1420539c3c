"""Claims: figures that say the same thing, grouped, compared across outlets, checked within
each article, and set beside the later documented record.

- `load_rules` reads the claim groups of ``data/lexicons/claims.yaml`` (see its header).
- `assign(figures)` gives every figure its claim group, ``claim_id`` (group and as-of day) and
  interval ``low``/``best``/``high``.
- `compare(figures)` is the claims table: one row per claim × outlet, with the flags
  ``disagrees``, ``repeats_source`` and ``disputes_source``.
- `inconsistencies(figures)` lists what one article states two ways.
- `load_reference` / `reference_for` place ``data/reference/figures.csv`` beside each claim.

The rules file is read in :mod:`newslens.claims_rules`, the record in :mod:`newslens.claims_reference`;
their names are available here too.

Intervals follow the UCDP GED convention: ``low`` the lowest credible value, ``best`` the most
likely, ``high`` the highest. A hedge widens the interval by the factors in the YAML: "over 4,500"
is low 4,500, best 4,500, high open (NaN: no stated ceiling); "about 900" is 810–990 around 900;
"up to 100,000" has no floor; a range "4,000 to 5,000" has best at its midpoint; a vague
"thousands" (2,000–9,999) has no best at all. Two outlets disagree only when their intervals
do not overlap, open ends included: a hedge is part of the claim.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from newslens.claims_reference import REFERENCE_COLUMNS, disjoint, load_reference, reference_for, time_zone, with_reference
from newslens.claims_rules import WINDOWS, Condition, Group, Rules, load_rules

CLAIM_COLUMNS = [
    "claim_id", "group", "label", "as_of", "outlet", "low", "best", "high", "n_figures", "figure_ids",
    "surfaces", "sources", "voices", "repeats_source", "disputes_source", "repeated_sources",
    "disputed_sources", "n_outlets", "spread", "disagrees", "disagrees_with",
]
ASSIGNED = ("group", "label", "as_of", "claim_id", "low", "best", "high")

__all__ = ["ASSIGNED", "CLAIM_COLUMNS", "INCONSISTENCY_COLUMNS", "REFERENCE_COLUMNS", "WINDOWS", "Condition", "Group",
           "Rules", "assign", "compare", "disjoint", "inconsistencies", "interval", "load_reference", "load_rules",
           "reference_for", "time_zone", "with_reference"]


# --- intervals and groups ------------------------------------------------------------------------


def interval(approx: str, value_low: float, value_high: float, *, rules: Rules) -> tuple[float, float, float]:
    """(low, best, high) for one figure; NaN marks an open end (or no best for a vague quantity).

    >>> r = load_rules()
    >>> interval("more_than", 4500.0, 4500.0, rules=r)
    (4500.0, 4500.0, nan)
    """
    if approx == "range":
        return value_low, (value_low + value_high) / 2, value_high
    if approx == "vague":
        return value_low, math.nan, value_high
    factors = rules.hedges.get(approx, rules.hedges["exact"])
    return tuple(math.nan if f is None else round(value_low * f, 6) for f in factors)  # type: ignore[return-value]


def assign(figures: pd.DataFrame, *, rules: Rules | None = None) -> pd.DataFrame:
    """``figures`` with ``group``, ``label``, ``as_of`` (the day, or "story"), ``claim_id``,
    ``low``, ``best``, ``high``; figures in no group get ``group`` "" and empty claim_id."""
    rules = rules or load_rules()
    if figures.empty:
        return figures.assign(**{k: [] for k in ASSIGNED})
    which = _group_numbers(figures, rules)
    low, best, high = _intervals(figures, rules)
    flip = _complemented(figures, which, rules)
    low, best, high = np.where(flip, 100 - high, low), np.where(flip, 100 - best, best), np.where(flip, 100 - low, high)
    none = which < 0
    keys = pd.Series(np.array([g.key for g in rules.groups] + [""], dtype=object)[which],  # -1 picks "": no group
                     index=figures.index, dtype="str")
    labels = np.array([g.label for g in rules.groups] + [""], dtype=object)[which]
    story = np.array([g.window == "story" for g in rules.groups] + [False])[which]
    as_of = figures["as_of_date"].astype("str").mask(story, "story").mask(none, "")
    claim = (keys + "@" + as_of).mask(none, "")
    return figures.assign(group=keys, label=pd.Series(labels, index=figures.index, dtype="str"), as_of=as_of,
                          claim_id=claim, low=low, best=best, high=high)


def _group_numbers(figures: pd.DataFrame, rules: Rules) -> np.ndarray:
    """Per figure, the index of its group in ``rules.groups`` (-1: none); the first that matches wins.

    The word conditions are decided once per distinct (entity, event, unit); patterns are read
    only for figures whose words leave a group open."""
    codes, keys = _distinct(figures, ["entity", "event", "unit"])
    options = [_options(rules, *key) for key in keys]
    out = np.array([opts[0][0] if opts and not opts[0][1] else -1 for opts in options])[codes]
    rows = np.flatnonzero(np.array([bool(opts) and bool(opts[0][1]) for opts in options])[codes])
    cols = {c: figures[c].iloc[rows].tolist() for c in ("text", "start", "sentence_start", "surface")}
    for i, code, text, start, offset, surface in zip(rows, codes[rows], cols["text"], cols["start"],
                                                     cols["sentence_start"], cols["surface"]):
        at = int(start) - int(offset)
        before, after = text[:at], text[at + len(surface):]
        out[i] = next((g for g, conds in options[code] if not conds or any(c.reads(text, before, after) for c in conds)), -1)
    return out


def _distinct(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, list[tuple]]:
    """Per row, the number of its combination of ``columns``; and the distinct combinations."""
    by = frame.groupby(columns, sort=False, dropna=False)
    return by.ngroup().to_numpy(), list(by.size().index)


def _options(rules: Rules, entity: Any, event: Any, unit: Any) -> list[tuple[int, tuple[Condition, ...]]]:
    """Groups open to a figure with these words, in order: (index, conditions left to read; none
    when the words alone decide), ending at the first group the words alone decide."""
    out = []
    for i, g in enumerate(rules.groups):
        fitting = [c for c in g.conditions if c.fits(entity, event, unit)]
        if any(not c.has_patterns for c in fitting):
            return out + [(i, ())]
        if fitting:
            out.append((i, tuple(fitting)))
    return out


def _intervals(figures: pd.DataFrame, rules: Rules) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, best, high) of every figure, worked out once per distinct (approx, value_low, value_high)."""
    codes, keys = _distinct(figures, ["approx", "value_low", "value_high"])
    # A Python float, as the figure's value was: round() of a NumPy float rounds differently.
    found = [interval(a, float(lo), hi, rules=rules) for a, lo, hi in keys]
    table = np.array(found, dtype="float64").reshape(-1, 3)[codes]
    return table[:, 0], table[:, 1], table[:, 2]


def _complemented(figures: pd.DataFrame, which: np.ndarray, rules: Rules) -> np.ndarray:
    """Where a group's ``complement_if`` matches the sentence: the figure counts the other part."""
    flip = np.zeros(len(figures), dtype=bool)
    for i, g in enumerate(rules.groups):
        if g.complement_if:
            rows = np.flatnonzero(which == i)
            for r, text in zip(rows, figures["text"].iloc[rows].tolist()):
                flip[r] = any(p.search(text) for p in g.complement_if)
    return flip


# --- the claims table ---------------------------------------------------------------------------------


def _order(rules: Rules) -> dict[str, int]:
    return {g.key: i for i, g in enumerate(rules.groups)}


def _challenged(f: pd.DataFrame, disputes: pd.DataFrame | None) -> np.ndarray:
    """True where the outlet itself disputes, in the same article, the source a figure is credited to."""
    if disputes is None or disputes.empty:
        return np.zeros(len(f), dtype=bool)
    by_outlet = disputes[disputes["disputer_kind"] == "outlet"]
    pairs = pd.MultiIndex.from_arrays([by_outlet["article_id"], by_outlet["target_source"]])
    return pd.MultiIndex.from_arrays([f["article_id"], f["attributed_to"]]).isin(pairs)


def _joined(codes: np.ndarray, values: Any, n: int, *, sort: bool = False) -> list[str]:
    """For groups 0…n-1 (``codes``): the distinct non-empty values joined with "; ", in order of
    first appearance (alphabetical with ``sort``)."""
    v = np.asarray(values, dtype=object)
    if pd.isna(v).any():
        v = np.array([str(x) for x in v], dtype=object)
    frame = pd.DataFrame({"g": np.asarray(codes), "v": v})
    frame = frame[frame["v"] != ""].drop_duplicates().sort_values(["g", "v"] if sort else "g", kind="stable")
    bounds = np.searchsorted(frame["g"].to_numpy(), np.arange(n + 1))
    vals = frame["v"].tolist()
    return ["; ".join(vals[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def _per_outlet(f: pd.DataFrame, challenged: np.ndarray) -> pd.DataFrame:
    """One row per claim × outlet (sorted by both): the union of the figures' intervals, the
    median best value, and what the outlet credits, repeats or disputes."""
    by = f.groupby(["claim_id", "outlet"], sort=True)
    codes, n = by.ngroup().to_numpy(), by.ngroups
    first = by[["group", "label", "as_of"]].first()
    size = by.size().to_numpy()
    attributed = (f["voice"] == "attributed").to_numpy()
    repeated, disputed = attributed & ~challenged, attributed & challenged
    return pd.DataFrame({
        "claim_id": first.index.get_level_values(0), "group": first["group"].to_numpy(),
        "label": first["label"].to_numpy(), "as_of": first["as_of"].to_numpy(),
        "outlet": first.index.get_level_values(1),
        "low": np.where(by["low"].count().to_numpy() < size, np.nan, by["low"].min().to_numpy()),
        "best": by["best"].median().to_numpy(),
        "high": np.where(by["high"].count().to_numpy() < size, np.nan, by["high"].max().to_numpy()),
        "n_figures": size.astype("int64"), "figure_ids": _joined(codes, f["figure_id"], n),
        "surfaces": _joined(codes, f["surface"], n), "sources": _joined(codes, f["attributed_to"], n),
        "voices": _joined(codes, f["voice"], n, sort=True),
        "repeats_source": np.bincount(codes[repeated], minlength=n) > 0,
        "disputes_source": np.bincount(codes[disputed], minlength=n) > 0,
        "repeated_sources": _joined(codes[repeated], f["attributed_to"].to_numpy()[repeated], n),
        "disputed_sources": _joined(codes[disputed], f["attributed_to"].to_numpy()[disputed], n),
    })


def _across(claims: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Per claim: how many outlets, the spread of their best values, who disagrees with whom."""
    by = claims.groupby("claim_id", sort=False)["best"]
    count, top, bottom = (by.transform(h).to_numpy() for h in ("count", "max", "min"))
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where((count > 1) & (bottom > 0), np.round(top / bottom, 2), np.nan)
    rows = pd.DataFrame({"claim_id": claims["claim_id"].to_numpy(), "i": np.arange(len(claims)),
                         "low": claims["low"].to_numpy(), "high": claims["high"].to_numpy()})
    pairs = rows.merge(rows, on="claim_id", suffixes=("", "_o"))
    pairs = pairs[(pairs["i"] != pairs["i_o"])
                  & disjoint(pairs["low"], pairs["high"], pairs["low_o"], pairs["high_o"], tolerance)]
    pairs = pairs.sort_values(["i", "i_o"], kind="stable")
    others = _joined(pairs["i"].to_numpy(), claims["outlet"].to_numpy()[pairs["i_o"].to_numpy()], len(claims))
    return claims.assign(n_outlets=claims.groupby("claim_id", sort=False)["claim_id"].transform("size").astype("int64"),
                         spread=spread, disagrees=[bool(o) for o in others], disagrees_with=others)


# What the claims table reads of a figures table, and what it keeps once figures are grouped.
_PER_OUTLET = {"claim_id", "group", "label", "as_of", "outlet", "low", "best", "high", "figure_id", "surface",
               "attributed_to", "voice", "article_id"}
_COMPARED = {"figure_id", "article_id", "start", "surface", "value_low", "value_high", "approx", "unit", "entity",
             "event", "attributed_to", "voice", "as_of_date", "outlet", "role", "sentence_start", "text"}


# The figure columns `compare` reads (a caller may read just these from a large table).
COMPARE_COLUMNS = sorted(_COMPARED | {"time_zone"})


def compare(figures: pd.DataFrame, *, rules: Rules | None = None, reference: pd.DataFrame | None = None,
            disputes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims table (:data:`CLAIM_COLUMNS`): one row per claim × outlet.

    An outlet's interval is the union of its figures' intervals; ``best`` their median.
    ``repeats_source``: the outlet credits a figure to a source and does not dispute that source
    in the article (``disputes`` table, outlet's own voice); ``disputes_source``: it does.
    ``spread`` is the largest best value over the smallest among outlets. With ``reference``
    (`load_reference`), ``reference_low``, ``reference_high``, ``reference`` (the values, who
    documented them and when) and ``differs_from_reference`` (no overlap with any of them) are
    added where a documented value has the claim's quantity and day. Cross-link headlines are
    not compared (their as-of time is another article's).
    """
    rules = rules or load_rules()
    return compare_rows(claim_rows(figures, rules=rules), rules=rules, reference=reference, disputes=disputes,
                        zone=time_zone(figures))


def claim_rows(figures: pd.DataFrame, *, rules: Rules | None = None) -> pd.DataFrame:
    """The figures that enter a claim, with their claim and interval, without their sentences.

    Each figure's row depends on that figure alone, so a large figures table can be done a part
    at a time and the parts concatenated (in order) for `compare_rows`: the build does this to
    keep the sentences of millions of figures out of memory.
    """
    rules = rules or load_rules()
    f = assign(figures[[c for c in figures.columns if c in _COMPARED]], rules=rules)
    # A cross-link is another article's headline: its as-of time is unknown, so it is not compared.
    keep = (f["group"] != "") & (f["role"] != "crosslink") & f["outlet"].notna()
    return f.loc[keep, [c for c in f.columns if c in _PER_OUTLET]]  # the sentence texts stay behind


def compare_rows(rows: pd.DataFrame, *, rules: Rules | None = None, reference: pd.DataFrame | None = None,
                 disputes: pd.DataFrame | None = None, zone: str = "UTC") -> pd.DataFrame:
    """The claims table from `claim_rows` (see `compare`); ``zone``: the story's time zone, for
    matching reference values to days."""
    rules = rules or load_rules()
    if rows.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    claims = _per_outlet(rows, _challenged(rows, disputes))
    order = claims["group"].map(_order(rules))
    claims = claims.assign(_o=order).sort_values(["_o", "as_of", "outlet"], kind="stable").drop(columns="_o")
    claims = _across(claims.reset_index(drop=True), rules.tolerance)[CLAIM_COLUMNS]
    if reference is not None:
        claims = with_reference(claims, reference_for(claims, reference, zone=zone))
    return claims.reset_index(drop=True)


# --- what one article states two ways ----------------------------------------------------------------

INCONSISTENCY_COLUMNS = ["article_id", "outlet", "kind", "claim_id", "label", "figure_ids", "surfaces",
                         "difference", "detail", "sentences"]


def inconsistencies(figures: pd.DataFrame, *, rules: Rules | None = None) -> pd.DataFrame:
    """Where an article contradicts itself (:data:`INCONSISTENCY_COLUMNS`), three kinds:

    - "breakdown does not add up": a sentence of exact parts (``breakdown_parts``: men, women,
      children, wounded…) whose sum, with or without the wounded (who may be counted among the
      others), differs from the nearest exact total before it (after it if none) with the same
      event;
    - "same claim, different values": two figures of one claim, credited to the same source (or
      both the outlet's own), neither interval holding the other's best value ("some 900" and
      "some 800" for one convoy);
    - "headline and lead differ": a headline figure unlike the first body figure of its claim
      group after it (a different value, or a hedge dropped: "5,000" over "more than 5,000").
    """
    rules = rules or load_rules()
    f = assign(figures, rules=rules)
    found = _breakdowns(f, rules) + _same_claim(f, rules) + _headlines(f)
    out = pd.DataFrame(found, columns=INCONSISTENCY_COLUMNS)
    return out.sort_values(["article_id", "kind", "figure_ids"], kind="stable").reset_index(drop=True)


def _finding(kind: str, figs: list[dict[str, Any]], difference: float, detail: str) -> dict[str, Any]:
    first = figs[0]
    claim = next((x["claim_id"] for x in figs if x["claim_id"]), "")
    label = next((x["label"] for x in figs if x["label"]), "")
    return {"article_id": first["article_id"], "outlet": first["outlet"], "kind": kind, "claim_id": claim,
            "label": label, "figure_ids": "; ".join(x["figure_id"] for x in figs),
            "surfaces": "; ".join(x["surface"] for x in figs), "difference": difference, "detail": detail,
            "sentences": " | ".join(dict.fromkeys(x["text"] for x in figs))}


def _breakdowns(f: pd.DataFrame, rules: Rules) -> list[dict[str, Any]]:
    out = []
    counts = f[(f["unit"] == "count") & (f["role"] != "crosslink")]
    for _, sent in counts.groupby("sentence_id", sort=True):
        parts = sent[sent["entity"].isin(rules.breakdown_parts) & (sent["approx"] == "exact")]
        if len(parts) < 2 or len(parts) != len(sent):
            continue
        total = _total_for(counts, parts)
        if total is None:
            continue
        subset = parts["entity"].isin({"wounded", "injured"})
        sums = sorted({parts["value_low"].sum(), parts.loc[~subset, "value_low"].sum()})
        if any(abs(s - total["value_low"]) <= rules.tolerance * total["value_low"] for s in sums):
            continue
        terms = " + ".join(f"{v:,.0f}" for v in parts.loc[~subset, "value_low"])
        wounded = f" ({sums[-1]:,.0f} with the {parts.loc[subset, 'value_low'].sum():,.0f} wounded)" if subset.any() else ""
        stated = total["value_low"]
        off = " or ".join(f"{s - stated:+,.0f}" for s in sums)
        detail = f"{terms} = {sums[0]:,.0f}{wounded}, but the total stated is {total['surface']!r}; off by {off}"
        out.append(_finding("breakdown does not add up", [total, *parts.to_dict("records")],
                            min(abs(s - stated) for s in sums), detail))
    return out


def _total_for(counts: pd.DataFrame, parts: pd.DataFrame) -> dict[str, Any] | None:
    first = parts.iloc[0]
    pool = counts[(counts["article_id"] == first["article_id"]) & (counts["sentence_id"] != first["sentence_id"])
                  & (counts["approx"] == "exact") & (counts["event"] == first["event"])
                  & ~counts["entity"].isin(set(parts["entity"])) & (counts["value_low"] >= parts["value_low"].max())]
    if pool.empty:
        return None
    before = pool[pool["start"] < first["start"]]
    return (before.iloc[-1] if len(before) else pool.iloc[0]).to_dict()


def _contains(a: dict[str, Any], value: float) -> bool:
    low = -math.inf if pd.isna(a["low"]) else a["low"]
    high = math.inf if pd.isna(a["high"]) else a["high"]
    return low <= value <= high


def _same_claim(f: pd.DataFrame, rules: Rules) -> list[dict[str, Any]]:
    out = []
    body = f[(f["claim_id"] != "") & ~f["role"].isin(["headline", "crosslink"]) & f["best"].notna()]
    for _, g in body.groupby(["article_id", "claim_id", "attributed_to"], sort=True):
        figs = g.to_dict("records")
        for i, a in enumerate(figs):
            for b in figs[i + 1:]:
                apart = abs(a["best"] - b["best"]) > rules.tolerance * max(a["best"], b["best"])
                if apart and not _contains(a, b["best"]) and not _contains(b, a["best"]):
                    detail = (f"{a['surface']!r} and {b['surface']!r} for the same {a['label']}, "
                              f"both credited to {a['attributed_to']}")
                    out.append(_finding("same claim, different values", [a, b], abs(a["best"] - b["best"]), detail))
    return out


def _headlines(f: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    grouped = f[f["group"] != ""]
    for head in grouped[grouped["role"] == "headline"].to_dict("records"):
        body = grouped[(grouped["article_id"] == head["article_id"]) & (grouped["group"] == head["group"])
                       & (grouped["role"] != "headline") & (grouped["role"] != "crosslink") & (grouped["start"] > head["start"])]
        if body.empty:
            continue
        lead = body.iloc[0].to_dict()
        same = all((pd.isna(head[k]) and pd.isna(lead[k])) or head[k] == lead[k] for k in ("low", "best", "high"))
        if not same:
            detail = (f"headline {head['surface']!r} ({head['approx']}) but the body first says "
                      f"{lead['surface']!r} ({lead['approx']})")
            diff = abs(head["best"] - lead["best"]) if pd.notna(head["best"]) and pd.notna(lead["best"]) else np.nan
            out.append(_finding("headline and lead differ", [head, lead], diff, detail))
    return out
