"""Claims: figures that say the same thing, grouped, compared across outlets, checked within
each article, and set beside the later documented record.

- `load_rules` reads the claim groups of ``data/lexicons/claims.yaml`` (see its header).
- `assign(figures)` gives every figure its claim group, ``claim_id`` (group and as-of day) and
  interval ``low``/``best``/``high``.
- `compare(figures)` is the claims table: one row per claim × outlet, with the flags
  ``disagrees``, ``repeats_source`` and ``disputes_source``.
- `inconsistencies(figures)` lists what one article states two ways.
- `load_reference` / `reference_for` place ``data/reference/figures.csv`` beside each claim.

Intervals follow the UCDP GED convention: ``low`` the lowest credible value, ``best`` the most
likely, ``high`` the highest. A hedge widens the interval by the factors in the YAML: "over 4,500"
is low 4,500, best 4,500, high open (NaN: no stated ceiling); "about 900" is 810–990 around 900;
"up to 100,000" has no floor; a range "4,000 to 5,000" has best at its midpoint; a vague
"thousands" (2,000–9,999) has no best at all. Two outlets disagree only when their intervals
do not overlap, open ends included: a hedge is part of the claim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newslens.lexicons import YamlDoc, data_dir, load_yaml

CLAIM_COLUMNS = [
    "claim_id", "group", "label", "as_of", "outlet", "low", "best", "high", "n_figures", "figure_ids",
    "surfaces", "sources", "voices", "repeats_source", "disputes_source", "repeated_sources",
    "disputed_sources", "n_outlets", "spread", "disagrees", "disagrees_with",
]
REFERENCE_COLUMNS = ["quantity", "entity", "event", "value_low", "value_high", "as_of_utc", "source", "url",
                     "confidence", "note"]
WINDOWS = ("day", "story")
_CONDITION_KEYS = {"entities", "events", "units", "after", "before", "sentence", "not_sentence"}
_GROUP_KEYS = _CONDITION_KEYS | {"label", "window", "match", "complement_if"}


@dataclass(frozen=True)
class Condition:
    """One set of conditions a figure must meet (all of them) to join a group."""

    entities: frozenset[str] | None = None
    events: frozenset[str] | None = None
    units: frozenset[str] = frozenset({"count"})
    after: tuple[re.Pattern[str], ...] = ()
    before: tuple[re.Pattern[str], ...] = ()
    sentence: tuple[re.Pattern[str], ...] = ()
    not_sentence: tuple[re.Pattern[str], ...] = ()

    def holds(self, fig: dict[str, Any], before: str, after: str) -> bool:
        text = fig["text"]
        return ((self.entities is None or fig["entity"] in self.entities)
                and (self.events is None or fig["event"] in self.events)
                and fig["unit"] in self.units
                and (not self.after or any(p.search(after) for p in self.after))
                and (not self.before or any(p.search(before) for p in self.before))
                and (not self.sentence or any(p.search(text) for p in self.sentence))
                and not any(p.search(text) for p in self.not_sentence))


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    window: str
    conditions: tuple[Condition, ...]
    complement_if: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Rules:
    """Claim groups in order (the first that matches wins), hedge factors, tolerance."""

    groups: tuple[Group, ...]
    hedges: dict[str, tuple[float | None, float | None, float | None]]
    tolerance: float
    breakdown_parts: frozenset[str]

    def group_for(self, fig: dict[str, Any]) -> Group | None:
        at = int(fig["start"]) - int(fig["sentence_start"])
        before, after = fig["text"][:at], fig["text"][at + len(fig["surface"]):]
        return next((g for g in self.groups if any(c.holds(fig, before, after) for c in g.conditions)), None)


def _patterns(doc: YamlDoc, value: Any, *key: Any) -> tuple[re.Pattern[str], ...]:
    items = [value] if isinstance(value, str) else value or []
    out = []
    for i, item in enumerate(items):
        try:
            out.append(re.compile(str(item), re.IGNORECASE))
        except re.error as exc:
            raise doc.error(*key, i, what=f"bad regular expression {item!r}: {exc}",
                            todo="fix it, or escape special characters with a backslash") from None
    return tuple(out)


def _words(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset("" if v is None else str(v).lower() for v in ([value] if isinstance(value, str) else value))


def _condition(doc: YamlDoc, spec: dict[str, Any], *key: Any) -> Condition:
    return Condition(
        entities=_words(spec.get("entities")), events=_words(spec.get("events")),
        units=_words(spec.get("units")) or frozenset({"count"}),
        **{k: _patterns(doc, spec.get(k), *key, k) for k in ("after", "before", "sentence", "not_sentence")})


def _group(doc: YamlDoc, key: str, spec: Any) -> Group:
    if not isinstance(spec, dict):
        raise doc.error("groups", key, what=f"group {key!r} is not a mapping", todo="indent its keys under it")
    unknown = sorted(set(spec) - _GROUP_KEYS)
    if unknown:
        raise doc.error("groups", key, unknown[0], what=f"unknown key {unknown[0]!r} in group {key!r}",
                        todo=f"use only: {', '.join(sorted(_GROUP_KEYS))}")
    window = spec.get("window", "day")
    if window not in WINDOWS:
        raise doc.error("groups", key, "window", what=f"window {window!r}", todo="write 'day' or 'story'")
    matches = spec.get("match") or [{k: v for k, v in spec.items() if k in _CONDITION_KEYS}]
    conditions = tuple(_condition(doc, m, "groups", key, "match", i) for i, m in enumerate(matches))
    return Group(key, str(spec.get("label") or key), window, conditions,
                 _patterns(doc, spec.get("complement_if"), "groups", key, "complement_if"))


def _hedge(doc: YamlDoc, name: str, spec: Any) -> tuple[float | None, float | None, float | None]:
    if not isinstance(spec, dict) or set(spec) != {"low", "best", "high"}:
        raise doc.error("hedges", name, what=f"hedge {name!r} needs low, best and high factors",
                        todo="write {low: 0.9, best: 1.0, high: 1.1} (null leaves that end open)")
    return tuple(None if spec[k] is None else float(spec[k]) for k in ("low", "best", "high"))  # type: ignore[return-value]


def load_rules(path: str | Path | None = None) -> Rules:
    """Claim groups and hedge factors (default ``data/lexicons/claims.yaml``); a mistake raises
    LexiconError naming the file and line."""
    doc = load_yaml(path or data_dir() / "lexicons" / "claims.yaml")
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(data.get("groups"), dict) or not data["groups"]:
        raise doc.error(what="no 'groups:' mapping", todo="see the header of data/lexicons/claims.yaml")
    hedges = {name: _hedge(doc, name, spec) for name, spec in (data.get("hedges") or {}).items()}
    hedges.setdefault("exact", (1.0, 1.0, 1.0))
    return Rules(tuple(_group(doc, str(k), v) for k, v in data["groups"].items()), hedges,
                 float(data.get("tolerance", 0.02)), frozenset(map(str, data.get("breakdown_parts") or [])))


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
    cols: dict[str, list[Any]] = {k: [] for k in ("group", "label", "as_of", "claim_id", "low", "best", "high")}
    for fig in figures.to_dict("records"):
        g = rules.group_for(fig)
        low, best, high = interval(fig["approx"], fig["value_low"], fig["value_high"], rules=rules)
        if g is not None and any(p.search(fig["text"]) for p in g.complement_if):
            low, best, high = 100 - high, 100 - best, 100 - low
        as_of = "" if g is None else ("story" if g.window == "story" else fig["as_of_date"])
        for k, v in zip(cols, (g.key if g else "", g.label if g else "", as_of,
                               f"{g.key}@{as_of}" if g else "", low, best, high)):
            cols[k].append(v)
    return figures.assign(**cols)


def _order(rules: Rules) -> dict[str, int]:
    return {g.key: i for i, g in enumerate(rules.groups)}


def _challenged(f: pd.DataFrame, disputes: pd.DataFrame | None) -> pd.Series:
    """True where the outlet itself disputes, in the same article, the source a figure is credited to."""
    if disputes is None or disputes.empty:
        return pd.Series(False, index=f.index)
    by_outlet = disputes[disputes["disputer_kind"] == "outlet"]
    pairs = set(zip(by_outlet["article_id"], by_outlet["target_source"]))
    return pd.Series([(a, s) in pairs for a, s in zip(f["article_id"], f["attributed_to"])], index=f.index)


def _joined(values: pd.Series) -> str:
    return "; ".join(dict.fromkeys(str(v) for v in values if str(v)))


def _outlet_row(g: pd.DataFrame) -> dict[str, Any]:
    attributed = g[g["voice"] == "attributed"]
    repeated, disputed = attributed[~attributed["challenged"]], attributed[attributed["challenged"]]
    bests = g["best"].dropna()
    return {
        "low": np.nan if g["low"].isna().any() else g["low"].min(),
        "best": float(np.median(bests)) if len(bests) else np.nan,
        "high": np.nan if g["high"].isna().any() else g["high"].max(),
        "n_figures": len(g), "figure_ids": _joined(g["figure_id"]), "surfaces": _joined(g["surface"]),
        "sources": _joined(g["attributed_to"]), "voices": _joined(sorted(g["voice"])),
        "repeats_source": bool(len(repeated)), "disputes_source": bool(len(disputed)),
        "repeated_sources": _joined(repeated["attributed_to"]), "disputed_sources": _joined(disputed["attributed_to"]),
    }


def _apart(a: pd.Series, b: pd.Series, tolerance: float) -> bool:
    """Whether two outlets' intervals fail to overlap (open ends reach to 0 and to infinity)."""
    a_low, a_high = (0 if pd.isna(a["low"]) else a["low"]), (math.inf if pd.isna(a["high"]) else a["high"])
    b_low, b_high = (0 if pd.isna(b["low"]) else b["low"]), (math.inf if pd.isna(b["high"]) else b["high"])
    return a_high * (1 + tolerance) < b_low or b_high * (1 + tolerance) < a_low


def _across(claims: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Per claim: how many outlets, the spread of their best values, who disagrees with whom."""
    extra = []
    for _, g in claims.groupby("claim_id", sort=False):
        bests = g["best"].dropna()
        spread = round(bests.max() / bests.min(), 2) if len(bests) > 1 and bests.min() > 0 else np.nan
        for i, row in g.iterrows():
            others = [o["outlet"] for j, o in g.iterrows() if j != i and _apart(row, o, tolerance)]
            extra.append({"n_outlets": len(g), "spread": spread, "disagrees": bool(others),
                          "disagrees_with": "; ".join(others), "_i": i})
    return claims.join(pd.DataFrame(extra).set_index("_i"))


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
    f = assign(figures, rules=rules)
    # A cross-link is another article's headline: its as-of time is unknown, so it is not compared.
    f = f[(f["group"] != "") & (f["role"] != "crosslink")]
    f = f.assign(challenged=_challenged(f, disputes))
    rows = [{"claim_id": c, "group": g["group"].iloc[0], "label": g["label"].iloc[0], "as_of": g["as_of"].iloc[0],
             "outlet": o, **_outlet_row(g)} for (c, o), g in f.groupby(["claim_id", "outlet"], sort=True)]
    claims = pd.DataFrame(rows, columns=CLAIM_COLUMNS[:17])
    if claims.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    order = claims["group"].map(_order(rules))
    claims = claims.assign(_o=order).sort_values(["_o", "as_of", "outlet"], kind="stable").drop(columns="_o")
    claims = _across(claims.reset_index(drop=True), rules.tolerance)[CLAIM_COLUMNS]
    if reference is not None:
        claims = _with_reference(claims, reference_for(claims, reference, zone=time_zone(figures)))
    return claims.reset_index(drop=True)


# --- the documented record --------------------------------------------------------------------------


def load_reference(path: str | Path | None = None) -> pd.DataFrame:
    """Authoritative figures documented later (default ``data/reference/figures.csv``):
    :data:`REFERENCE_COLUMNS`, ``as_of_utc`` parsed as UTC. Raises ValueError naming the file
    for missing columns or unreadable values."""
    p = Path(path) if path else data_dir() / "reference" / "figures.csv"
    ref = pd.read_csv(p, dtype=str, keep_default_na=False)
    missing = [c for c in REFERENCE_COLUMNS if c not in ref.columns]
    if missing:
        raise ValueError(f"{p}: missing column(s) {', '.join(missing)} — see data/reference/README.md")
    try:
        values = {c: pd.to_numeric(ref[c].replace("", np.nan)).astype("float64") for c in ("value_low", "value_high")}
        when = pd.to_datetime(ref["as_of_utc"], utc=True)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{p}: {exc} — numbers without separators, dates as 2016-12-16T12:00:00Z") from None
    return ref.assign(**values, as_of_utc=when)[REFERENCE_COLUMNS]


def time_zone(figures: pd.DataFrame) -> str:
    """The story's time zone recorded in a figures table (UTC for an empty or older table)."""
    zones = figures["time_zone"].unique() if "time_zone" in figures.columns and len(figures) else []
    return str(zones[0]) if len(zones) else "UTC"


def reference_for(claims: pd.DataFrame, reference: pd.DataFrame, *, zone: str = "UTC") -> pd.DataFrame:
    """Reference rows beside each claim they apply to (same quantity; same day in ``zone``
    unless the claim spans the whole story): ``claim_id`` + :data:`REFERENCE_COLUMNS` +
    ``as_of_date``."""
    ref = reference.assign(as_of_date=reference["as_of_utc"].dt.tz_convert(zone).dt.strftime("%Y-%m-%d"))
    keys = claims[["claim_id", "group", "as_of"]].drop_duplicates()
    out = keys.merge(ref, left_on="group", right_on="quantity")
    out = out[(out["as_of"] == "story") | (out["as_of"] == out["as_of_date"])]
    return out.drop(columns=["group", "as_of"]).sort_values(["claim_id", "as_of_utc", "source"]).reset_index(drop=True)


def _value_text(low: float, high: float) -> str:
    if pd.isna(low):
        return f"up to {high:,.0f}"
    if pd.isna(high):
        return f"over {low:,.0f}"
    return f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"


def _with_reference(claims: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    if placed.empty:
        return claims.assign(reference_low=np.nan, reference_high=np.nan, reference="", differs_from_reference=False)
    text = placed.assign(t=[f"{_value_text(lo, hi)} ({src}, {d})" for lo, hi, src, d in
                            zip(placed["value_low"], placed["value_high"], placed["source"], placed["as_of_date"])])
    per = text.groupby("claim_id").agg(reference_low=("value_low", "min"), reference_high=("value_high", "max"),
                                       reference=("t", "; ".join))
    out = claims.join(per, on="claim_id")
    ref = placed.rename(columns={"value_low": "low", "value_high": "high"})
    differs = [bool(len(r := ref[ref["claim_id"] == row["claim_id"]])) and all(_apart(row, x, 0.0) for _, x in r.iterrows())
               for _, row in out.iterrows()]
    return out.assign(reference=out["reference"].fillna(""), differs_from_reference=differs)


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
