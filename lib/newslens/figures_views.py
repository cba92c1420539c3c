"""What the figures notebook shows: filtered tables, the claim range chart and a figure explorer.

Pure functions of the stored ``figures`` and ``claims`` tables and of the reference figures
(`newslens.figures.load_reference`). Charts use the shared look of ``newslens.charts`` and stay
readable in grey-scale: voice is told by shape as well as colour, an open-ended hedge by a dashed
line, and the later documented record sits on its own track, "later documentation".
Article text is shown only in plain DataFrames and Vega tooltips, both of which escape it.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from newslens.charts import PALETTE
from newslens.claims import Rules, assign, load_rules, reference_for, time_zone

REFERENCE_TRACK = "later documentation"
VOICES = ("stated", "attributed", REFERENCE_TRACK)
_VOICE_COLOR = [PALETTE[0], PALETTE[1], PALETTE[2]]
_VOICE_SHAPE = ["circle", "square", "diamond"]
INTERVALS = ("as stated", "no stated ceiling or floor")
FIGURE_COLUMNS = ["outlet", "surface", "entity", "event", "approx", "attributed_to", "voice", "as_of_date",
                  "time_ref_basis", "role", "figure_id", "text"]
_OPEN_STRETCH = 1.6  # how far a dashed open end reaches on the log axis (×1.6 of the stated bound)


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


def figure_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Every figure with its sentence, for reading (plain values; the sentence last)."""
    return figures[FIGURE_COLUMNS].sort_values(["outlet", "figure_id"], ignore_index=True)


def claims_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims table for reading, one row per claim × outlet: values rounded, the flags in
    words in one ``flags`` column."""
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


def disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims on which outlets disagree beyond their hedges, or an outlet's interval misses every
    documented value of the same day."""
    flag = claims["disagrees"] | claims.get("differs_from_reference", pd.Series(False, index=claims.index))
    return claims_table(claims[flag])


def sourcing(claims: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: claims stated in its own voice, repeated from a source unchallenged, or given
    with the source disputed."""
    c = claims.assign(stated=claims["voices"].str.contains("stated"))
    out = c.groupby("outlet").agg(claims=("claim_id", "count"), stated=("stated", "sum"),
                                  repeats_source=("repeats_source", "sum"), disputes_source=("disputes_source", "sum"))
    return out.astype("int64").reset_index()


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
               rules: Rules | None = None, min_tracks: int = 2) -> pd.DataFrame:
    """One row per compared figure, plus one per reference value, for the claims worth a chart:
    those with at least ``min_tracks`` outlets-or-reference tracks, or two figures or more."""
    f = assign(figures, rules=rules or load_rules())
    f = f[f["claim_id"].isin(set(claims["claim_id"])) & (f["role"] != "crosslink")]
    rows = f.assign(track=f["outlet"], mark=f["voice"], source=f["attributed_to"], note="",
                    sentence=f["text"], hedge=f["approx"])
    if reference is not None and len(claims):
        ref = reference_for(claims, reference, zone=time_zone(figures))
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
    return out[cols].sort_values(["claim_id", "track", "k"], ignore_index=True)


def claims_chart(data: pd.DataFrame, *, title: str = "Figures per claim: each outlet's interval, and what was documented later") -> alt.VConcatChart:
    """One panel per claim: x the value (log scale), y the outlet (and the "later documentation"
    track); a line from low to high (dashed where the hedge leaves it open), a dot at best,
    coloured and shaped by voice; tooltips quote the sentence and the source."""
    panels = []
    tooltip = ["track", "surface", "hedge", "source", "as_of_date", alt.Tooltip("low:Q", format=",.0f"),
               alt.Tooltip("best:Q", format=",.0f"), alt.Tooltip("high:Q", format=",.0f"), "figure_id", "sentence"]
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
    heading = alt.TitleParams(title, subtitle=[
        "Log scale. Dot: the most likely value (best); line: lowest to highest credible value; dashed: the hedge sets no ceiling (\u201cover 4,500\u201d) or floor.",
        "Black circle: the outlet's own statement; orange square: credited to a source; blue diamond: documented later (not an outlet)."])
    return alt.vconcat(*panels, data=data, title=heading).resolve_scale(x="independent", y="independent")


# --- the explorer ----------------------------------------------------------------------------------


def explore(figures: pd.DataFrame, *, outlet: str = "", group: str = "", source: str = "") -> pd.DataFrame:
    """The figures of one outlet / claim group label / cited source ("" = any), with sentences."""
    f = figures
    if outlet:
        f = f[f["outlet"] == outlet]
    if group:
        f = f[f["label"] == group]
    if source:
        f = f[f["attributed_to"] == source]
    return figure_table(f)


def show_explorer(figures: pd.DataFrame, *, rules: Rules | None = None, corrections_path: str | None = None) -> None:
    """Show the figure explorer in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored
    notebooks, reports) cannot run a widget and would store its random model id, so there the
    widget is built (its first table is made) and a note stands in for it."""
    from newslens.widgets import show

    show(explorer(figures, rules=rules, corrections_path=corrections_path),
         "The figure explorer is interactive: open this notebook in JupyterLab to pick an outlet, "
         "a claim and a source. The static table below holds every figure with its sentence.")


def explorer(figures: pd.DataFrame, *, rules: Rules | None = None, corrections_path: str | None = None):
    """A widget: pick an outlet (first dropdown), a claim group and a cited source; see every
    matching figure with its sentence. Errors are shown as text; the callback never raises.

    With ``corrections_path``, a form below appends a correction for a shown figure to the
    corrections register (atomically; the next build applies it)."""
    import ipywidgets as widgets
    from IPython.display import display

    f = assign(figures, rules=rules or load_rules())
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
                table = explore(f, **{k: w.value for k, w in pick.items()})
                print(f"{len(table)} figures")
                display(table)
            except Exception as exc:  # a widget callback must report, not raise
                print(f"Could not show these figures: {exc}")

    form = _correction_form(corrections_path) if corrections_path else None

    def refresh(change=None) -> None:
        update(change)
        if form is not None:
            try:
                ids = explore(f, **{k: w.value for k, w in pick.items()})["figure_id"].tolist()
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
