"""What the figures notebook shows: filtered tables, the claim range chart and a figure explorer.

Functions of the stored ``figures`` and ``claims`` tables (read through
`newslens.dataset.Dataset`, only the columns and rows a selection needs) and of the reference
figures (`newslens.figures.load_reference`). Charts use the shared look of ``newslens.charts`` and
stay readable in grey-scale: voice is told by shape as well as colour, an open-ended hedge by a
dashed line, and the later documented record sits on its own track, "later documentation".
Article text is shown only in plain DataFrames and Vega tooltips, both of which escape it.

Sizes: up to :data:`MAX_FIGURE_MARKS` compared figures the claim chart draws one line per
figure; above, one line per claim × outlet × voice (smallest, median and largest value, with
how many figures) for the :data:`MAX_CLAIM_PANELS` claims with the most figures. Tables show
at most :data:`MAX_TABLE_ROWS` rows (the figure table :data:`MAX_FIGURE_ROWS`) and print how
many there are in all; internal inconsistencies are looked for in at most
:data:`MAX_CHECKED_ARTICLES` articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from newslens.charts import PALETTE
from newslens.claims import (ASSIGNED, Rules, assign, compare, inconsistencies, load_rules, reference_for, time_zone,
                             with_reference)
from newslens.figures import CORPUS_COLUMNS
from newslens.lexicons import data_dir

if TYPE_CHECKING:
    from newslens.dataset import Dataset

REFERENCE_TRACK = "later documentation"
VOICES = ("stated", "attributed", REFERENCE_TRACK)
_VOICE_COLOR = [PALETTE[0], PALETTE[1], PALETTE[2]]
_VOICE_SHAPE = ["circle", "square", "diamond"]
INTERVALS = ("as stated", "no stated ceiling or floor")
FIGURE_COLUMNS = ["outlet", "surface", "entity", "event", "approx", "attributed_to", "voice", "as_of_date",
                  "time_ref_basis", "role", "figure_id", "text"]
_OPEN_STRETCH = 1.6  # how far a dashed open end reaches on the log axis (×1.6 of the stated bound)

# Above this many compared figures one line per figure is unreadable (and past the chart row
# limit): the claim chart draws one line per claim × outlet × voice instead, ...
MAX_FIGURE_MARKS = 500
# ... for this many claims, those with the most figures.
MAX_CLAIM_PANELS = 8
# Tables show at most this many rows (by a stated order) and say how many there are in all.
MAX_TABLE_ROWS = 50
MAX_FIGURE_ROWS = 200  # the figure table and the explorer: the first figures of each outlet
# Looking for what an article contradicts itself on costs tens of milliseconds per article:
# above this many articles, the first this many that could contradict themselves are checked.
MAX_CHECKED_ARTICLES = 20
# The stored claims are checked against a fresh comparison of all figures up to this many
# figures; above, against the claims (fewest figures first) holding at most this many figures.
MAX_RECHECKED_FIGURES = 5000

# What the notebook reads of the figures table: the comparison, the checks and the tables.
READ_COLUMNS = [c for c in CORPUS_COLUMNS if c not in {"source_type", "time_ref", "time_ref_surface", "kind",
                                                         "sentence_voice"}]
DISPUTE_COLUMNS = ["article_id", "disputer_kind", "target_source"]


# --- reading a selection -------------------------------------------------------------------------


def read_selection(data: Dataset, *, outlets: Sequence[str] | None = None, entities: Sequence[str] | None = None,
                   since: str | None = None, until: str | None = None) -> pd.DataFrame:
    """The figures `select` would keep, read with only :data:`READ_COLUMNS` and the outlets,
    entities and as-of days pushed down to the engine (the days in [since, until] are listed
    from a count of the ``as_of_date`` column first)."""
    where: dict[str, list] = {}
    if outlets:
        where["outlet"] = list(outlets)
    if entities:
        where["entity"] = list(entities)
    if since or until:
        days = data.count("figures", by=["as_of_date"])["as_of_date"].dropna()
        where["as_of_date"] = [d for d in days if (not since or d >= str(since)[:10]) and (not until or d <= str(until)[:10])]
    return data.table("figures", READ_COLUMNS, where=where)


def assigned(figures: pd.DataFrame, *, rules: Rules | None = None) -> pd.DataFrame:
    """``figures`` with their claim group, claim id and interval (`newslens.claims.assign`),
    worked out once for the chart, the explorer and the checks."""
    if set(ASSIGNED) <= set(figures.columns):
        return figures
    return assign(figures, rules=rules or load_rules())


def _built_with_these_rules(data: Dataset) -> bool:
    """Whether the build read the claims.yaml that is in place now."""
    path = data_dir() / "lexicons" / "claims.yaml"
    built = data.build.get("inputs", {}).get("lexicons", {}).get("claims.yaml")
    return path.is_file() and built == hashlib.sha256(path.read_bytes()).hexdigest()


def claims_for(data: Dataset, figures: pd.DataFrame, *, selected: bool, reference: pd.DataFrame | None = None,
               stored: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims table of ``figures``: the one the build stored when nothing is filtered out
    (``selected`` False) and claims.yaml is unchanged since the build, else a fresh
    `newslens.claims.compare`; with the reference values beside each claim."""
    if not selected and _built_with_these_rules(data):
        claims = data.table("claims") if stored is None else stored
        if reference is None:
            return claims
        return with_reference(claims, reference_for(claims, reference, zone=time_zone(figures))).reset_index(drop=True)
    return compare(figures, disputes=data.table("disputes", DISPUTE_COLUMNS), reference=reference)


def inside_sentences(figures: pd.DataFrame) -> bool:
    """Every figure's offsets lie inside its sentence."""
    return bool(((figures["start"] >= figures["sentence_start"])
                 & (figures["end"] <= figures["sentence_start"] + figures["text"].str.len())).all())


def ids_unique(data: Dataset) -> bool:
    """No two stored figures share an id (the id column alone is read)."""
    return bool(data.table("figures", ["figure_id"])["figure_id"].is_unique)


def check_stored_claims(data: Dataset, stored: pd.DataFrame, *, figures: pd.DataFrame | None = None,
                        limit: int = MAX_RECHECKED_FIGURES) -> str:
    """Whether a fresh comparison gives the claims the build stored: of every figure when there
    are at most ``limit``, else of the figures of the claims (fewest figures first) that hold
    at most ``limit`` figures together. ``figures``: every stored figure, when already read."""
    disputes = data.table("disputes", DISPUTE_COLUMNS)
    if data.rows("figures") <= limit:
        everything = data.table("figures", READ_COLUMNS) if figures is None else figures
        rebuilt = compare(everything, disputes=disputes)
        return f"stored claims match a fresh comparison: {rebuilt.equals(stored)}"
    sizes = stored.groupby("claim_id")["n_figures"].sum().reset_index().sort_values(["n_figures", "claim_id"])
    keep = set(sizes.loc[sizes["n_figures"].cumsum() <= limit, "claim_id"])
    part = stored[stored["claim_id"].isin(keep)].reset_index(drop=True)
    ids = [i for joined in part["figure_ids"] for i in joined.split("; ")]
    if figures is None:
        some = data.table("figures", READ_COLUMNS, where={"figure_id": ids})
    else:
        some = figures[figures["figure_id"].isin(ids)]
    rebuilt = compare(some[[c for c in some.columns if c not in ASSIGNED]], disputes=disputes)
    return (f"stored claims match a fresh comparison (the {len(keep):,} of {len(sizes):,} claims with the fewest "
            f"figures, {len(ids):,} figures): {rebuilt.equals(part)}")


def voices_by_outlet(data: Dataset) -> pd.DataFrame:
    """Stored figures per outlet (rows) and voice (columns), counted by the engine."""
    counts = data.count("figures", by=["outlet", "voice"])
    out = counts.pivot(index="outlet", columns="voice", values="n").fillna(0).astype("int64")
    out.columns.name = "voice"
    return out


# --- bounded tables ------------------------------------------------------------------------------


def top(table: pd.DataFrame, *, by: list[str], ascending: list[bool], order: str, what: str,
        max_rows: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """``table`` as it is when it has at most ``max_rows`` rows; else its first ``max_rows`` by
    ``by``, after a printed line saying how many rows there are in all."""
    if len(table) <= max_rows:
        return table
    print(f"{len(table):,} {what} in all; showing the {max_rows} {order}")
    return table.sort_values(by, ascending=ascending, kind="stable", na_position="last").head(max_rows).reset_index(drop=True)


def select(figures: pd.DataFrame, *, outlets: Sequence[str] | None = None, entities: Sequence[str] | None = None,
           since: str | None = None, until: str | None = None) -> pd.DataFrame:
    """The figures of the given outlets and entities whose as-of day lies in [since, until]
    (ISO dates, inclusive; None = no limit)."""
    keep = pd.Series(True, index=figures.index)
    if outlets:
        keep &= figures["outlet"].isin(list(outlets))
    if entities:
        keep &= figures["entity"].isin(list(entities))
    if since:
        keep &= figures["as_of_date"] >= str(since)[:10]
    if until:
        keep &= figures["as_of_date"] <= str(until)[:10]
    return figures[keep].reset_index(drop=True)


def figure_table(figures: pd.DataFrame, *, max_rows: int | None = MAX_FIGURE_ROWS) -> pd.DataFrame:
    """Every figure with its sentence, for reading (plain values; the sentence last), by outlet
    and figure id; more than ``max_rows``: the first figures of each outlet (a line says so)."""
    table, note = _figure_rows(figures, max_rows)
    if note:
        print(note)
    return table


def _figure_rows(figures: pd.DataFrame, max_rows: int | None) -> tuple[pd.DataFrame, str]:
    out = figures[FIGURE_COLUMNS].sort_values(["outlet", "figure_id"], ignore_index=True)
    if max_rows is None or len(out) <= max_rows:
        return out, ""
    each = max(1, max_rows // max(1, out["outlet"].nunique()))
    shown = out.groupby("outlet", sort=False, dropna=False).head(each).reset_index(drop=True)
    return shown, (f"{len(out):,} figures in all; showing the first {each} of each outlet by figure id "
                   f"({len(shown):,}): pick outlets, entities or days in the parameters, or in the explorer")


def claims_table(claims: pd.DataFrame, *, max_rows: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """The claims table for reading, one row per claim × outlet: values rounded, the flags in
    words in one ``flags`` column. More than ``max_rows`` rows: those with the most figures."""
    claims = top(claims, by=["n_figures"], ascending=[False], what="claim × outlet rows",
                 order="with the most figures", max_rows=max_rows)
    out = claims[["label", "as_of", "outlet", "low", "best", "high", "n_figures", "surfaces", "sources"]].copy()
    for col in ("low", "best", "high"):
        out[col] = out[col].round(0)
    out["flags"] = [_flags(row) for _, row in claims.iterrows()]
    if "reference" in claims.columns:
        out["later documentation"] = claims["reference"]
    return out.reset_index(drop=True)


def _flags(row: pd.Series) -> str:
    words = []
    if row["disagrees"]:
        words.append(f"disagrees with {row['disagrees_with']}")
    if row["disputes_source"]:
        words.append(f"disputes {row['disputed_sources']}")
    if row["repeats_source"]:
        words.append(f"repeats {row['repeated_sources']}")
    if row.get("differs_from_reference", False):
        words.append("outside later documentation")
    return "; ".join(words)


def disagreements(claims: pd.DataFrame, *, max_rows: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """Claims on which outlets disagree beyond their hedges, or an outlet's interval misses every
    documented value of the same day."""
    flag = claims["disagrees"] | claims.get("differs_from_reference", pd.Series(False, index=claims.index))
    return claims_table(claims[flag], max_rows=max_rows)


def sourcing(claims: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: claims stated in its own voice, repeated from a source unchallenged, or given
    with the source disputed."""
    c = claims.assign(stated=claims["voices"].str.contains("stated"))
    out = c.groupby("outlet").agg(claims=("claim_id", "count"), stated=("stated", "sum"),
                                  repeats_source=("repeats_source", "sum"), disputes_source=("disputes_source", "sum"))
    return top(out.astype("int64").reset_index(), by=["claims", "outlet"], ascending=[False, True], what="outlets",
               order="with the most claims")


def self_contradictions(figures: pd.DataFrame, *, rules: Rules | None = None,
                        max_articles: int = MAX_CHECKED_ARTICLES, max_rows: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """What an article contradicts itself on (`newslens.claims.inconsistencies`). Each finding
    lies within one article, so with more than ``max_articles`` articles the check runs on the
    first ``max_articles`` (by id) of those whose figures could contradict each other, and a
    line says so. More than ``max_rows`` findings: the largest differences first."""
    rules = rules or load_rules()
    articles = figures["article_id"].nunique()
    if articles > max_articles:
        picked = candidate_articles(assigned(figures, rules=rules), rules=rules, first=max_articles)
        print(f"{articles:,} articles: checked the first {len(picked)} by article id whose figures could contradict "
              "each other (narrow outlets, entities, since or until to check others)")
        figures = figures[figures["article_id"].isin(picked)]
    found = inconsistencies(figures[[c for c in figures.columns if c not in ASSIGNED]], rules=rules)
    return top(found, by=["difference"], ascending=[False], what="inconsistencies", order="with the largest difference",
               max_rows=max_rows)


def candidate_articles(f: pd.DataFrame, *, rules: Rules, first: int | None = None) -> list[str]:
    """Sorted ids of the articles (of assigned figures) where `inconsistencies` could find
    something: a sentence with two exact breakdown parts, two different best values for one
    claim and source, or a headline figure with a body figure of the same claim group. A
    superset: the check itself decides. With ``first``, only the first that many, looked for a
    few hundred articles at a time."""
    ids = np.sort(f["article_id"].dropna().unique())
    step = len(ids) if first is None else max(200, 8 * first)
    found: list[str] = []
    for at in range(0, len(ids), max(1, step)):
        chunk = f if step >= len(ids) else f[f["article_id"].isin(ids[at:at + step])]
        found += _candidates(chunk, rules)
        if first is not None and len(found) >= first:
            return found[:first]
    return found


def _candidates(f: pd.DataFrame, rules: Rules) -> list[str]:
    f = f[f["role"] != "crosslink"]
    parts = f[(f["unit"] == "count") & (f["approx"] == "exact") & f["entity"].isin(rules.breakdown_parts)]
    per_sentence = parts.groupby("sentence_id")["article_id"].transform("size")
    body = f[(f["claim_id"] != "") & (f["role"] != "headline") & f["best"].notna()]
    values = body.groupby(["article_id", "claim_id", "attributed_to"], dropna=False)["best"].nunique()
    grouped = f[f["group"] != ""]
    heads = grouped.loc[grouped["role"] == "headline", ["article_id", "group"]].drop_duplicates()
    leads = grouped.loc[grouped["role"] != "headline", ["article_id", "group"]].drop_duplicates()
    found = (set(parts.loc[per_sentence >= 2, "article_id"]) | set(values[values > 1].index.get_level_values(0))
             | set(heads.merge(leads, on=["article_id", "group"])["article_id"]))
    return sorted(found)


def later_record(figures: pd.DataFrame, claims: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """The reference values placed beside no claim (a later day, or a quantity no outlet gave)."""
    placed = reference_for(claims, reference, zone=time_zone(figures))
    keys = ["quantity", "as_of_utc", "source", "note"]
    left = reference.merge(placed[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    cols = ["quantity", "value_low", "value_high", "as_of_utc", "source", "confidence", "note"]
    return left[left["_merge"] == "left_only"][cols].reset_index(drop=True)


# --- the claim chart -----------------------------------------------------------------------------


def _panel_title(label: str, as_of: str) -> str:
    return f"{label} · {'whole story' if as_of == 'story' else 'as of ' + as_of}"


def chart_data(figures: pd.DataFrame, claims: pd.DataFrame, *, reference: pd.DataFrame | None = None,
               rules: Rules | None = None, min_tracks: int = 2, max_marks: int = MAX_FIGURE_MARKS,
               max_panels: int = MAX_CLAIM_PANELS) -> pd.DataFrame:
    """One row per compared figure, plus one per reference value, for the claims worth a chart:
    those with at least ``min_tracks`` outlets-or-reference tracks, or two figures or more.

    More than ``max_marks`` compared figures: one row per claim × outlet × voice instead (see
    `aggregate`), for the ``max_panels`` claims with the most figures."""
    f = assigned(figures, rules=rules)
    f = f[f["claim_id"].isin(set(claims["claim_id"])) & (f["role"] != "crosslink")]
    if len(f) > max_marks:
        rows = aggregate(f, max_panels=max_panels)
    else:
        rows = f.assign(track=f["outlet"], mark=f["voice"], source=f["attributed_to"], note="",
                        sentence=f["text"], hedge=f["approx"])
    if reference is not None and len(claims):
        shown = claims[claims["claim_id"].isin(set(rows["claim_id"]))]
        ref = reference_for(shown, reference, zone=time_zone(figures))
        labels = claims.drop_duplicates("claim_id").set_index("claim_id")[["label", "as_of"]]
        ref = ref.join(labels, on="claim_id")
        best = ref["value_low"].where(ref["value_low"].notna(), ref["value_high"])
        both = ref["value_low"].notna() & ref["value_high"].notna()
        best = best.where(~both, (ref["value_low"] + ref["value_high"]) / 2)
        rows = pd.concat([rows, ref.assign(
            track=REFERENCE_TRACK, mark=REFERENCE_TRACK, low=ref["value_low"], high=ref["value_high"], best=best,
            surface=ref["note"], sentence=ref["note"], hedge=ref["confidence"], figure_id="",
            as_of_date=ref["as_of_date"], outlet=REFERENCE_TRACK)], ignore_index=True)
    tracks = rows.groupby("claim_id")["track"].nunique()
    counts = rows.groupby("claim_id").size()
    keep = set(tracks[tracks >= min_tracks].index) | set(counts[counts >= 2].index)
    rows = rows[rows["claim_id"].isin(keep)].copy()
    return _drawable(rows)


def aggregate(f: pd.DataFrame, *, max_panels: int = MAX_CLAIM_PANELS) -> pd.DataFrame:
    """Compared figures (assigned) summed up per claim × outlet × voice, for the ``max_panels``
    claims with the most figures: ``low``, ``best``, ``high`` the smallest, median and largest
    of the figures' best values (low, else high, where a figure has none), ``n_figures``, the
    three sources credited most often, and as an example the figure whose value is nearest the
    median (its id, surface, hedge, sentence)."""
    sizes = f.groupby("claim_id").size().reset_index(name="n").sort_values(["n", "claim_id"], ascending=[False, True])
    f = f[f["claim_id"].isin(set(sizes["claim_id"].head(max_panels)))]
    f = f.assign(value=f["best"].fillna(f["low"]).fillna(f["high"]))
    keys = ["claim_id", "outlet", "voice"]
    by = f.groupby(keys, sort=True)
    out = by.agg(label=("label", "first"), as_of=("as_of", "first"), low=("value", "min"), best=("value", "median"),
                 high=("value", "max"), n_figures=("value", "size")).reset_index()
    near = f.assign(gap=(f["value"] - by["value"].transform("median")).abs())
    near = near.sort_values(keys + ["gap", "figure_id"]).drop_duplicates(keys).set_index(keys)
    example = near.loc[list(zip(out["claim_id"], out["outlet"], out["voice"]))]
    sources = (f[f["attributed_to"] != ""].groupby(keys)["attributed_to"].value_counts().rename("k").reset_index()
               .sort_values(keys + ["k", "attributed_to"], ascending=[True] * 3 + [False, True])
               .groupby(keys).head(3).groupby(keys)["attributed_to"].agg("; ".join))
    return out.assign(
        track=out["outlet"], mark=out["voice"], note="",
        source=[sources.get(k, "") for k in zip(out["claim_id"], out["outlet"], out["voice"])],
        surface=[f"{n:,} figures, e.g. {s!r}" for n, s in zip(out["n_figures"], example["surface"])],
        hedge=example["approx"].to_numpy(), as_of_date=example["as_of_date"].to_numpy(),
        figure_id=example["figure_id"].to_numpy(), sentence=example["text"].to_numpy())


def _drawable(rows: pd.DataFrame) -> pd.DataFrame:
    """Where each mark goes on a log axis: open ends stretched and dashed, a dot at best."""
    anchor = rows["best"].fillna(rows["low"]).fillna(rows["high"])
    open_low, open_high = rows["low"].isna(), rows["high"].isna()
    out = rows.assign(
        panel=[_panel_title(lab, a) for lab, a in zip(rows["label"], rows["as_of"])],
        x_low=rows["low"].fillna(anchor / _OPEN_STRETCH), x_high=rows["high"].fillna(anchor * _OPEN_STRETCH),
        interval=np.where(open_low | open_high, INTERVALS[1], INTERVALS[0]),
        dot=rows["best"], k=rows.groupby(["claim_id", "track"]).cumcount(),
        sentence=rows["sentence"].str.slice(0, 400),
    )
    cols = ["claim_id", "panel", "track", "k", "mark", "interval", "low", "best", "high", "x_low", "x_high", "dot",
            "surface", "hedge", "source", "as_of_date", "figure_id", "sentence"]
    if "n_figures" in out.columns:  # aggregated: how many figures each line sums up
        out["n_figures"] = out["n_figures"].fillna(0).astype("int64")  # 0: a documented value
        cols.insert(cols.index("low"), "n_figures")
    return out[cols].sort_values(["claim_id", "track", "k"], ignore_index=True)


def claims_chart(data: pd.DataFrame, *, title: str = "Figures per claim: each outlet's interval, and what was documented later") -> alt.VConcatChart:
    """One panel per claim: x the value (log scale), y the outlet (and the "later documentation"
    track); a line from low to high (dashed where the hedge leaves it open), a dot at best,
    coloured and shaped by voice; tooltips quote the sentence and the source."""
    panels = []
    summed = "n_figures" in data.columns
    tooltip = ["track", "surface", "hedge", "source", "as_of_date", alt.Tooltip("low:Q", format=",.0f"),
               alt.Tooltip("best:Q", format=",.0f"), alt.Tooltip("high:Q", format=",.0f"), "figure_id", "sentence"]
    if summed:
        tooltip.insert(1, alt.Tooltip("n_figures:Q", title="figures"))
    colour = alt.Color("mark:N", title="voice", scale=alt.Scale(domain=list(VOICES), range=_VOICE_COLOR))
    for panel in data["panel"].drop_duplicates():
        sub = data[data["panel"] == panel]
        tracks = sorted(set(sub["track"]) - {REFERENCE_TRACK}) + ([REFERENCE_TRACK] if REFERENCE_TRACK in set(sub["track"]) else [])
        lo, hi = float(sub["x_low"].min()), float(sub["x_high"].max())
        x = alt.X("x_low:Q", title=None, scale=alt.Scale(type="log", domain=[lo / 1.3, hi * 1.3], nice=False),
                  axis=alt.Axis(format="~s", tickCount=5))
        base = alt.Chart(title=alt.TitleParams(panel, fontSize=12)).transform_filter(alt.datum.panel == panel).encode(
            y=alt.Y("track:N", title=None, sort=tracks, scale=alt.Scale(domain=tracks)),
            yOffset=alt.YOffset("k:N"))
        rule = base.mark_rule(strokeWidth=2.5).encode(
            x=x, x2="x_high:Q", color=colour,
            strokeDash=alt.StrokeDash("interval:N", title="interval", scale=alt.Scale(domain=list(INTERVALS), range=[[1, 0], [4, 3]])),
            tooltip=tooltip)
        dots = base.transform_filter("isValid(datum.dot)").mark_point(filled=True, size=80, opacity=1, stroke="white", strokeWidth=0.5).encode(
            x=alt.X("dot:Q", scale=alt.Scale(type="log", domain=[lo / 1.3, hi * 1.3], nice=False)), color=colour,
            shape=alt.Shape("mark:N", title="voice", scale=alt.Scale(domain=list(VOICES), range=_VOICE_SHAPE)),
            tooltip=tooltip)
        panels.append(alt.layer(rule, dots).properties(width=520, height=max(40, 26 * len(tracks))))
    first = ("Log scale. Per outlet and voice, many figures: dot at their median value; line from the smallest to the largest (hover: how many)."
             if summed else
             "Log scale. Dot: the most likely value (best); line: lowest to highest credible value; dashed: the hedge sets no ceiling (\u201cover 4,500\u201d) or floor.")
    heading = alt.TitleParams(title, subtitle=[
        first,
        "Black circle: the outlet's own statement; orange square: credited to a source; blue diamond: documented later (not an outlet)."])
    return alt.vconcat(*panels, data=data, title=heading).resolve_scale(x="independent", y="independent")


# --- the explorer ----------------------------------------------------------------------------------


def chart_note(data: pd.DataFrame, figures: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Print what an aggregated claim chart leaves out (nothing for a chart of single figures)."""
    if "n_figures" not in data.columns:
        return
    f = assigned(figures)
    f = f[f["claim_id"].isin(set(claims["claim_id"])) & (f["role"] != "crosslink")]
    print(f"{len(f):,} compared figures in {f['claim_id'].nunique():,} claims: more than {MAX_FIGURE_MARKS} figures, "
          f"so each line sums up one outlet's figures in one voice, for the {data['claim_id'].nunique()} claims with "
          "the most figures")


def explore(figures: pd.DataFrame, *, outlet: str = "", group: str = "", source: str = "",
            max_rows: int | None = None) -> pd.DataFrame:
    """The figures of one outlet / claim group label / cited source ("" = any), with sentences;
    at most ``max_rows`` (the first of each outlet)."""
    return _explored(figures, outlet=outlet, group=group, source=source, max_rows=max_rows)[0]


def _explored(figures: pd.DataFrame, *, outlet: str = "", group: str = "", source: str = "",
              max_rows: int | None = None) -> tuple[pd.DataFrame, str]:
    f = figures
    if outlet:
        f = f[f["outlet"] == outlet]
    if group:
        f = f[f["label"] == group]
    if source:
        f = f[f["attributed_to"] == source]
    return _figure_rows(f, max_rows)


def show_explorer(figures: pd.DataFrame, *, rules: Rules | None = None, corrections_path: str | None = None,
                  max_rows: int = MAX_FIGURE_ROWS) -> None:
    """Show the figure explorer in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored
    notebooks, reports) cannot run a widget and would store its random model id, so there its
    first table is made (any error shows) and a note stands in for it: no widget is created,
    since a headless run has no front end to talk to."""
    from newslens.charts import mode
    from newslens.widgets import show

    note = ("The figure explorer is interactive: open this notebook in JupyterLab to pick an outlet, "
            "a claim and a source. The static table below holds every figure with its sentence.")
    if mode() == "interactive":
        show(explorer(figures, rules=rules, corrections_path=corrections_path, max_rows=max_rows), note)
    else:
        explore(assigned(figures, rules=rules), max_rows=max_rows)
        print(note)


def explorer(figures: pd.DataFrame, *, rules: Rules | None = None, corrections_path: str | None = None,
             max_rows: int = MAX_FIGURE_ROWS):
    """A widget: pick an outlet (first dropdown), a claim group and a cited source; see the
    matching figures with their sentences (at most ``max_rows``, the first of each outlet: a
    line says how many match). Errors are shown as text; the callback never raises.

    With ``corrections_path``, a form below appends a correction for a shown figure to the
    corrections register (atomically; the next build applies it)."""
    import ipywidgets as widgets
    from IPython.display import display

    f = assigned(figures, rules=rules)
    pick = {
        "outlet": widgets.Dropdown(description="Outlet", options=[("any", "")] + [(o, o) for o in sorted(f["outlet"].unique())]),
        "group": widgets.Dropdown(description="Claim", options=[("any", "")] + [(g, g) for g in sorted(set(f["label"]) - {""})]),
        "source": widgets.Dropdown(description="Source", options=[("any", "")] + [(s, s) for s in sorted(f["attributed_to"].unique())]),
    }
    out = widgets.Output()

    def update(change=None) -> None:
        out.clear_output()
        with out:
            try:
                table, note = _explored(f, **{k: w.value for k, w in pick.items()}, max_rows=max_rows)
                print(note or f"{len(table)} figures")
                display(table)
            except Exception as exc:  # a widget callback must report, not raise
                print(f"Could not show these figures: {exc}")

    form = _correction_form(corrections_path) if corrections_path else None

    def refresh(change=None) -> None:
        update(change)
        if form is not None:
            try:
                ids = explore(f, **{k: w.value for k, w in pick.items()}, max_rows=max_rows)["figure_id"].tolist()
            except Exception:  # a widget callback must report, not raise
                ids = []
            form.children[0].options = ids

    for w in pick.values():
        w.observe(refresh, names="value")
    refresh()
    parts = [widgets.HBox(list(pick.values())), out]
    return widgets.VBox(parts + ([form] if form is not None else []))


CORRECTABLE = ["drop", "attributed_to", "voice", "entity", "event", "value_low", "value_high", "approx"]


def _correction_form(path: str):
    """Figure id, field, value, reason, author and a button that appends to the register."""
    import datetime

    import ipywidgets as widgets

    from newslens import corrections

    item = widgets.Dropdown(description="Figure", options=[])
    field = widgets.Dropdown(description="Field", options=CORRECTABLE)
    value = widgets.Text(description="New value")
    reason = widgets.Text(description="Reason")
    author = widgets.Text(description="Author")
    button = widgets.Button(description="Append correction")
    message = widgets.Output()

    def append(_button=None) -> None:
        message.clear_output()
        with message:
            try:
                corrections.append(path, {
                    "item_id": item.value or "", "field": field.value,
                    "value": "" if field.value == "drop" else value.value, "reason": reason.value,
                    "author": author.value, "date": datetime.date.today().isoformat(),
                })
                print(f"added to {path}: {item.value} {field.value} — rebuild to apply (`newslens build`)")
            except Exception as exc:  # a widget callback must report, not raise
                print(f"not added: {exc}")

    button.on_click(append)
    return widgets.VBox([item, field, value, reason, author, button, message])
