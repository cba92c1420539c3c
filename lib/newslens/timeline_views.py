"""What the timeline notebook shows: chart-ready tables, Altair charts and an event explorer.

Pure functions of the stored ``events`` table, the documented record
(`newslens.timeline.load_reference`) and ``articles``. Times are shown in one display zone
(``tz``): the charts get wall-clock values in that zone encoded on a UTC scale, so that every
renderer draws the same clock whatever its own zone; tables show the same times as text.
Charts use the shared look of `newslens.charts`; event types differ by shape as well as colour,
and a time placed at report time (no time stated) is drawn hollow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import altair as alt
import pandas as pd

from newslens import timeline
from newslens.charts import PALETTE, outlet_scale

REFERENCE = timeline.REFERENCE
_REF_COLOR, _REF_SHAPE = "#7f7f7f", "stroke"
_EXAMPLE = 220
# Filled shapes only: "stroke" and "wedge" all but vanish at point size.
_TYPE_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down",
                "triangle-right", "triangle-left"]
# Words that only mean something relative to when a text was written.
_DEICTIC = re.compile(r"\b(?:today|tonight|now|(?:minutes|hours|days) ago|yesterday|tomorrow|this "
                      r"(?:morning|afternoon|evening|week)|earlier today|at present)\b", re.IGNORECASE)
SENTENCE_COLUMNS = ["outlet", "when", "precision", "reported", "voice", "source", "negated",
                    "trigger", "text", "event_id"]


def zone_label(tz: str, at: str = "2016-12-15") -> str:
    """``"Asia/Damascus, UTC+2"`` — the display zone as axis titles name it."""
    offset = pd.Timestamp(at, tz=tz).strftime("%z")
    hours = int(offset[:3]) + (int(offset[0] + offset[3:]) / 60 if offset[3:] != "00" else 0)
    return f"{tz}, UTC{hours:+g}"


def _local(ts: pd.Series | pd.Timestamp, tz: str):
    return ts.tz_convert(tz) if isinstance(ts, pd.Timestamp) else ts.dt.tz_convert(tz)


def _wall(ts: pd.Series, tz: str) -> pd.Series:
    """Wall-clock time in ``tz`` written as if UTC: what a UTC-scale axis should print."""
    return pd.to_datetime(ts, utc=True).dt.tz_convert(tz).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def when(start: pd.Timestamp, end: pd.Timestamp, precision: str, tz: str) -> str:
    """A reader's label for an interval in ``tz`` ("Fri 16 Dec 04:00–12:00", "Thu 15 Dec")."""
    a, b = _local(start, tz), _local(end, tz)
    if precision == "report":
        return f"not stated (reported {a:%a %d %b %H:%M})"
    if a == a.normalize() and b - a == pd.Timedelta(days=1):
        return f"{a:%a %d %b}"
    if b - a <= pd.Timedelta(minutes=1):
        return f"{a:%a %d %b %H:%M}"
    if a.date() == b.date():
        return f"{a:%a %d %b %H:%M}–{b:%H:%M}"
    if b == b.normalize() and b - a < pd.Timedelta(days=1):
        return f"{a:%a %d %b %H:%M}–24:00"
    return f"{a:%a %d %b %H:%M} – {b:%a %d %b %H:%M}"


def select(events: pd.DataFrame, *, outlets: Sequence[str] | None = None,
           event_types: Sequence[str] | None = None, since: str | None = None,
           until: str | None = None, tz: str = "Asia/Damascus") -> pd.DataFrame:
    """Events of the chosen outlets and types whose interval meets ``since``…``until``
    (local dates in ``tz``, both days included)."""
    keep = pd.Series(True, index=events.index)
    if outlets:
        keep &= events["outlet"].isin(outlets)
    if event_types:
        keep &= events["event_type"].isin(event_types)
    if since:
        keep &= events["event_end_utc"] >= pd.Timestamp(since, tz=tz)
    if until:
        keep &= events["event_start_utc"] < pd.Timestamp(until, tz=tz) + pd.Timedelta(days=1)
    return events[keep].reset_index(drop=True)


def select_reference(reference: pd.DataFrame, *, event_types: Sequence[str] | None = None,
                     since: str | None = None, until: str | None = None, tz: str = "Asia/Damascus") -> pd.DataFrame:
    """Rows of the documented record within the same window (and of the chosen types)."""
    keep = pd.Series(True, index=reference.index)
    if event_types:
        keep &= reference["event_type"].str.split(";").map(lambda ts: bool(set(ts) & set(event_types)))
    if since:
        keep &= reference["end_utc"] >= pd.Timestamp(since, tz=tz)
    if until:
        keep &= reference["start_utc"] < pd.Timestamp(until, tz=tz) + pd.Timedelta(days=1)
    return reference[keep].reset_index(drop=True)


def type_scale(labels: dict[str, str]) -> dict[str, alt.Scale]:
    """Colour and shape per event type (file order), no two types sharing both."""
    names = list(labels.values())
    return {"color": alt.Scale(domain=names, range=[PALETTE[i % len(PALETTE)] for i in range(len(names))]),
            "shape": alt.Scale(domain=names, range=[_TYPE_SHAPES[(i + 3 * (i // len(PALETTE))) % len(_TYPE_SHAPES)]
                                                     for i in range(len(names))])}


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _EXAMPLE else text[:_EXAMPLE - 1] + "…"


# --- the timeline --------------------------------------------------------------------------------


def _record_marks(reference: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    ref = reference.assign(event_type=reference["event_type"].str.split(";")).explode("event_type")
    ref = ref[ref["event_type"].fillna("").str.strip().isin(labels)]
    return pd.DataFrame({
        "track": REFERENCE, "event_type": ref["event_type"].str.strip(), "start": ref["start_utc"],
        "end": ref["end_utc"], "precision": ref["precision"], "mentions": 1,
        "example": ref["event"].map(_short), "sources": ref["sources"].map(_short),
    })


def timeline_table(events: pd.DataFrame, reference: pd.DataFrame | None, labels: dict[str, str],
                   *, tz: str) -> pd.DataFrame:
    """One row per mark: outlet (or the record) × event type × claimed interval, with the
    number of mentions, the first sentence and the sources. Denials are left out."""
    live = events[~events["negated"]].sort_values(["event_start_utc", "report_time_utc", "event_id"])
    marks = live.groupby(["outlet", "event_type", "event_start_utc", "event_end_utc", "precision"],
                         sort=True, as_index=False).agg(
        mentions=("event_id", "size"), example=("text", "first"),
        sources=("source", lambda s: "; ".join(dict.fromkeys(s))))
    marks = marks.rename(columns={"outlet": "track", "event_start_utc": "start", "event_end_utc": "end"})
    marks["example"] = marks["example"].map(_short)
    if reference is not None:
        marks = pd.concat([marks, _record_marks(reference, labels)], ignore_index=True)
        marks["start"], marks["end"] = pd.to_datetime(marks["start"], utc=True), pd.to_datetime(marks["end"], utc=True)
    marks["event"] = marks["event_type"].map(labels)
    marks["placed"] = marks["precision"].map(lambda p: "report time (no time stated)" if p == "report" else "stated")
    marks["when"] = [when(a, b, p, tz) for a, b, p in zip(marks["start"], marks["end"], marks["precision"])]
    marks["x0"], marks["x1"] = _wall(marks["start"], tz), _wall(marks["end"], tz)
    mid = marks["start"] + (marks["end"] - marks["start"]) / 2
    marks["xm"] = _wall(mid.dt.floor("min"), tz)
    cols = ["track", "event", "when", "precision", "placed", "mentions", "sources", "example", "x0", "x1", "xm"]
    return marks[cols].sort_values(["track", "x0", "event"], kind="stable", ignore_index=True)


def _time_axis(field: str, title: str) -> alt.X:
    return alt.X(field, type="temporal", title=title, scale=alt.Scale(type="utc"),
                 axis=alt.Axis(format="%a %d %b", labelAngle=0, tickCount={"interval": "day", "step": 1}))


def timeline_chart(table: pd.DataFrame, labels: dict[str, str], *, tz: str,
                   title: str = "When each outlet says it happened") -> alt.LayerChart:
    """Tracks of outlets plus the documented record; a rule spans each claimed interval, a
    mark sits at its middle (hollow when only the report time places it)."""
    scale = type_scale(labels)
    tracks = sorted(t for t in table["track"].unique() if t != REFERENCE) + [REFERENCE]
    base = alt.Chart(table, title=title).encode(
        y=alt.Y("track:N", sort=tracks, title=None),
        yOffset=alt.YOffset("event:N", sort=list(labels.values())),
        color=alt.Color("event:N", scale=scale["color"], title="event type"),
        tooltip=["track", "event", "when", "precision", "placed", "mentions", "sources",
                 alt.Tooltip("example:N", title="sentence")],
    )
    span = base.mark_rule(strokeWidth=3, opacity=0.6).encode(
        x=_time_axis("x0", f"event time ({zone_label(tz)})"), x2="x1")
    stated = base.transform_filter(alt.datum.placed == "stated").mark_point(filled=True, size=80).encode(
        x="xm:T", shape=alt.Shape("event:N", scale=scale["shape"], title="event type"))
    hollow = base.transform_filter(alt.datum.placed != "stated").mark_point(
        filled=False, size=80, strokeWidth=1.5).encode(x="xm:T", shape=alt.Shape("event:N", scale=scale["shape"]))
    return alt.layer(span, stated, hollow).properties(width=720, height=alt.Step(11))


# --- report time versus event time ---------------------------------------------------------------


def lag_table(events: pd.DataFrame, *, tz: str) -> pd.DataFrame:
    """Stated event times against when they were reported: one row per outlet × event type ×
    (report time, event time), with ``lag_hours`` from the event's end to the report (negative:
    told in advance, as a plan)."""
    timed = events[(~events["negated"]) & (events["precision"] != "report")]
    mid = timed["event_start_utc"] + (timed["event_end_utc"] - timed["event_start_utc"]) / 2
    lag = ((timed["report_time_utc"] - timed["event_end_utc"]).dt.total_seconds() / 3600).round(1)
    rows = timed.assign(mid=mid.dt.floor("min"), lag_hours=lag)
    out = rows.groupby(["outlet", "event_type", "report_time_utc", "mid", "precision", "lag_hours"],
                       sort=True, as_index=False).agg(mentions=("event_id", "size"), example=("text", "first"))
    out["reported"] = out["report_time_utc"].dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M")
    out["event_time"] = out["mid"].dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M")
    out["xr"], out["ye"] = _wall(out["report_time_utc"], tz), _wall(out["mid"], tz)
    out["example"] = out["example"].map(_short)
    cols = ["outlet", "event_type", "reported", "event_time", "precision", "lag_hours", "mentions", "example", "xr", "ye"]
    return out[cols].sort_values(["outlet", "xr", "ye", "event_type"], kind="stable", ignore_index=True)


def lag_chart(table: pd.DataFrame, *, tz: str, title: str = "How late each outlet told what") -> alt.LayerChart:
    """Report time (x) against the middle of the stated event time (y); on the diagonal an event
    is told as it happens, below it after the fact, above it in advance."""
    scale = outlet_scale(list(table["outlet"].unique()))
    lo, hi = min(table["xr"].min(), table["ye"].min()), max(table["xr"].max(), table["ye"].max())
    diagonal = alt.Chart(pd.DataFrame({"xr": [lo, hi], "ye": [lo, hi]})).mark_line(
        color="#999999", strokeDash=[4, 4]).encode(x="xr:T", y="ye:T")
    zone = zone_label(tz)
    points = alt.Chart(table, title=title).mark_point(filled=True, opacity=0.85).encode(
        x=alt.X("xr:T", title=f"report time ({zone})", scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d %b %H:%M", labelAngle=-30)),
        y=alt.Y("ye:T", title=f"stated event time ({zone})", scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d %b %H:%M")),
        color=alt.Color("outlet:N", scale=scale["color"]), shape=alt.Shape("outlet:N", scale=scale["shape"]),
        size=alt.Size("mentions:Q", scale=alt.Scale(range=[60, 240]), legend=None),
        tooltip=["outlet", "event_type", "reported", "event_time", "precision", "lag_hours", "mentions",
                 alt.Tooltip("example:N", title="sentence")],
    )
    return alt.layer(diagonal, points).properties(width=560, height=360)


# --- versions side by side -----------------------------------------------------------------------


def versions_table(events: pd.DataFrame, reference: pd.DataFrame, labels: dict[str, str], *, tz: str) -> pd.DataFrame:
    """`timeline.against_reference` with readable times and the disagreement flag of `compare`."""
    table = timeline.against_reference(events, reference)
    flags = timeline.compare(events).set_index(["event_type", "outlet"])["disagrees_with"]
    keys = list(zip(table["event_type"], table["teller"]))
    table["disagrees_with"] = [flags.get(k, "") for k in keys]
    table["event"] = table["event_type"].map(labels)
    table["claimed"] = [when(a, b, p, tz) if p == "report" or b - a <= pd.Timedelta(days=1)
                        else f"{_local(a, tz):%a %d %b %H:%M} – {_local(b, tz):%a %d %b %H:%M}"
                        for a, b, p in zip(table["earliest_utc"], table["latest_utc"], table["precision"])]
    table["record_event"] = table["record_event"].map(_short)
    table["x0"], table["x1"] = _wall(table["earliest_utc"], tz), _wall(table["latest_utc"], tz)
    cols = ["event", "teller", "claimed", "precision", "mentions", "offset_hours", "matches_record",
            "disagrees_with", "ref_id", "record_confidence", "record_event", "x0", "x1"]
    return table[cols]


def versions_chart(table: pd.DataFrame, labels: dict[str, str], *, tz: str,
                   title: str = "Each outlet's version of each event, next to the documented record") -> alt.LayerChart:
    """Per event type, one bar per teller from its earliest to its latest claimed time."""
    outlets = sorted(t for t in table["teller"].unique() if t != REFERENCE)
    scale = outlet_scale(outlets)
    color = alt.Scale(domain=[*outlets, REFERENCE], range=[*scale["color"].range, _REF_COLOR])
    shape = alt.Scale(domain=[*outlets, REFERENCE], range=[*scale["shape"].range, _REF_SHAPE])
    events = [e for e in labels.values() if e in set(table["event"])]
    base = alt.Chart(table, title=title).encode(
        y=alt.Y("event:N", sort=events, title=None),
        yOffset=alt.YOffset("teller:N", sort=[*outlets, REFERENCE]),
        color=alt.Color("teller:N", scale=color, title="told by"),
        tooltip=["event", "teller", "claimed", "precision", "mentions", "offset_hours", "disagrees_with",
                 alt.Tooltip("record_event:N", title="record")],
    )
    bars = base.mark_rule(strokeWidth=4).encode(x=_time_axis("x0", f"claimed time ({zone_label(tz)})"), x2="x1")
    ends = base.mark_point(filled=True, size=45).encode(x="x0:T", shape=alt.Shape("teller:N", scale=shape, title="told by"))
    return alt.layer(bars, ends).properties(width=700, height=alt.Step(8))


# --- sentences and the explorer ------------------------------------------------------------------


def sentences_for(events: pd.DataFrame, event_type: str, *, tz: str) -> pd.DataFrame:
    """Every outlet's sentences reporting ``event_type``, in order of the stated time, then of
    report time (plain text; display it as a DataFrame)."""
    rows = events[events["event_type"] == event_type].sort_values(
        ["event_start_utc", "report_time_utc", "outlet", "event_id"], kind="stable")
    out = rows.assign(
        when=[when(a, b, p, tz) for a, b, p in zip(rows["event_start_utc"], rows["event_end_utc"], rows["precision"])],
        reported=rows["report_time_utc"].dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M"))
    return out[SENTENCE_COLUMNS].reset_index(drop=True)


def explorer(events: pd.DataFrame, labels: dict[str, str], *, tz: str):
    """A widget: pick an event type, see every outlet's sentences about it in time order.
    Errors are shown as text; the callback never raises."""
    import ipywidgets as widgets

    from newslens.widgets import live_table

    present = [(labels.get(t, t), t) for t in labels if t in set(events["event_type"])]
    pick = widgets.Dropdown(options=present, description="Event")

    def search(value: str) -> tuple[str, pd.DataFrame]:
        table = sentences_for(events, value, tz=tz)
        return f"{len(table)} mentions of {pick.label!r} ({tz})", table

    return live_table(pick, search)


def explore(events: pd.DataFrame, labels: dict[str, str], *, tz: str) -> None:
    """Show the explorer in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored notebooks,
    reports) cannot run a widget and would store its random model id, so there the widget is
    built (its first table runs) and a note stands in for it."""
    from newslens.widgets import show

    show(explorer(events, labels, tz=tz),
         "The event explorer is interactive: open this notebook in JupyterLab to pick any event "
         "type. The static tables above list the sentences for the key event types.")


def deictic_events(events: pd.DataFrame, articles: pd.DataFrame, *, tz: str) -> pd.DataFrame:
    """Events in republished or compiled texts whose sentence says "today", "now", "minutes
    ago"…: words that were true when first written and are read against the copy's date."""
    copied = set(articles.loc[articles["republished_from"].fillna("") != "", "article_id"])
    rows = events[events["article_id"].isin(copied)]
    words = rows["text"].map(lambda t: ", ".join(dict.fromkeys(m.group(0).lower() for m in _DEICTIC.finditer(t))))
    rows = rows.assign(deictic=words)[words != ""]
    return pd.DataFrame({
        "outlet": rows["outlet"], "article_id": rows["article_id"], "event_type": rows["event_type"],
        "deictic": rows["deictic"], "time_surface": rows["time_surface"],
        "placed_at": [when(a, b, p, tz) for a, b, p in zip(rows["event_start_utc"], rows["event_end_utc"], rows["precision"])],
        "copy_dated": rows["report_time_utc"].dt.tz_convert(tz).dt.strftime("%a %d %b"),
        "text": rows["text"], "event_id": rows["event_id"],
    }).reset_index(drop=True)


# --- loading and checks ----------------------------------------------------------------------------


def counts(events: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Mentions per event type (rows, lexicon order) and outlet (columns); denials not counted."""
    live = events[~events["negated"]]
    table = live.pivot_table(index="event_type", columns="outlet", values="event_id", aggfunc="count", fill_value=0)
    table = table.reindex([t for t in labels if t in table.index])
    return table.rename(index=labels).rename_axis(index="event", columns=None)


def checks(events: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """One line per sanity check of the events table, with its result."""
    sent = sentences.set_index("sentence_id")
    inside = [sent.at[s, "start"] <= a and b <= sent.at[s, "end"] if s in sent.index else False
              for s, a, b in zip(events["sentence_id"], events["start"], events["end"])]
    rows = [
        ("every event has its sentence, and its trigger lies inside it", all(inside)),
        ("no event comes from boilerplate", not events["kind"].eq("boilerplate").any()),
        ("event ids are unique", events["event_id"].is_unique),
        ("every interval ends at or after it starts", bool((events["event_end_utc"] >= events["event_start_utc"]).all())),
        ("share of events placed at report time (no time stated)", f"{(events['precision'] == 'report').mean():.0%}"),
        ("denials (kept, left out of comparisons)", int(events["negated"].sum())),
    ]
    return pd.DataFrame(rows, columns=["check", "result"])


def anchoring(events: pd.DataFrame, articles: pd.DataFrame, *, tz: str) -> pd.DataFrame:
    """Per article: what report times its events carry (live-blog entry stamps or publication)."""
    arts = articles.set_index("article_id")
    rows = []
    for aid, grp in events.groupby("article_id", sort=True):
        stamps = grp["report_time_utc"].drop_duplicates().sort_values()
        rows.append({"article_id": aid, "outlet": arts.at[aid, "outlet"], "events": len(grp),
                     "published": arts.at[aid, "published_utc"].tz_convert(tz).strftime("%a %d %b %H:%M"),
                     "published_precision": arts.at[aid, "published_precision"],
                     "report_times": ", ".join(t.tz_convert(tz).strftime("%d %b %H:%M") for t in stamps),
                     "republished_from": arts.at[aid, "republished_from"] or ""})
    return pd.DataFrame(rows)
