"""The documented record beside the claims table, and the interval test both use.

- `load_reference` reads ``data/reference/figures.csv`` (:data:`REFERENCE_COLUMNS`).
- `reference_for` places its rows beside the claims they apply to; `with_reference` adds the
  ``reference_*`` and ``differs_from_reference`` columns to a claims table.
- `disjoint` is the overlap test of :mod:`newslens.claims`: open ends reach to 0 and to infinity.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from newslens.lexicons import data_dir

REFERENCE_COLUMNS = ["quantity", "entity", "event", "value_low", "value_high", "as_of_utc", "source", "url",
                     "confidence", "note"]


def disjoint(a_low: np.ndarray, a_high: np.ndarray, b_low: np.ndarray, b_high: np.ndarray,
             tolerance: float) -> np.ndarray:
    """Element-wise: whether interval a and interval b fail to overlap, ``tolerance`` allowed.

    >>> disjoint(np.array([4500.0]), np.array([np.nan]), np.array([3000.0]), np.array([3000.0]), 0.02).tolist()
    [True]
    """
    a_low, b_low = _open(a_low, 0.0), _open(b_low, 0.0)
    a_high, b_high = _open(a_high, np.inf), _open(b_high, np.inf)
    return (a_high * (1 + tolerance) < b_low) | (b_high * (1 + tolerance) < a_low)


def _open(values: np.ndarray, end: float) -> np.ndarray:
    values = np.asarray(values, dtype="float64")
    return np.where(np.isnan(values), end, values)


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


def with_reference(claims: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """``claims`` with ``reference_low``, ``reference_high``, ``reference`` and
    ``differs_from_reference`` (no overlap with any value placed beside the claim)."""
    if placed.empty:
        return claims.assign(reference_low=np.nan, reference_high=np.nan, reference="", differs_from_reference=False)
    text = placed.assign(t=[f"{_value_text(lo, hi)} ({src}, {d})" for lo, hi, src, d in
                            zip(placed["value_low"], placed["value_high"], placed["source"], placed["as_of_date"])])
    per = text.groupby("claim_id").agg(reference_low=("value_low", "min"), reference_high=("value_high", "max"),
                                       reference=("t", "; ".join))
    out = claims.join(per, on="claim_id")
    return out.assign(reference=out["reference"].fillna(""), differs_from_reference=_differs(out, placed))


def _differs(claims: pd.DataFrame, placed: pd.DataFrame) -> np.ndarray:
    """Per claim row: a reference value is placed beside it and it overlaps none of them."""
    rows = pd.DataFrame({"claim_id": claims["claim_id"].to_numpy(), "row": np.arange(len(claims)),
                         "low": claims["low"].to_numpy(), "high": claims["high"].to_numpy()})
    pairs = rows.merge(placed[["claim_id", "value_low", "value_high"]], on="claim_id")
    apart = disjoint(pairs["low"], pairs["high"], pairs["value_low"], pairs["value_high"], 0.0)
    every = pd.Series(apart, index=pairs["row"]).groupby(level=0).all()
    out = np.zeros(len(claims), dtype=bool)
    out[every.index.to_numpy()] = every.to_numpy()
    return out
