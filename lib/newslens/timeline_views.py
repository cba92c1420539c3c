"""What the timeline notebook shows: chart-ready tables, Altair charts and an event explorer.

Pure functions of the stored ``events`` table, the documented record
(`newslens.timeline.load_reference`) and ``articles``. Times are shown in one display zone
(``tz``): the charts get wall-clock values in that zone encoded on a UTC scale, so that every
renderer draws the same clock whatever its own zone; tables show the same times as text.
Charts use the shared look of `newslens.charts`; event types differ by shape as well as colour,
and a time placed at report time (no time stated) is drawn hollow.

At any corpus size: `read_events` reads only the columns the views need (no sentence text),
with the chosen outlets and event types pushed down to the engine of a `newslens.dataset.Dataset`;
text is read afterwards for the few sentences a table or tooltip shows (by ``event_id``). Above
``MAX_ITEM_MENTIONS`` mentions in the selection, the timeline and lag charts draw one mark per
outlet × event type × time bin (the finest of hour … year that keeps the chart under
``MAX_BINNED_MARKS`` marks) with its count, its earliest and latest claimed time and its first
sentence (``example_id`` names it); below, one mark per claimed interval as on the case study.
Tables shown to a reader are cut to ``MAX_TABLE_ROWS`` rows by `bounded`, which says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newslens import timeline
from newslens.charts import PALETTE, outlet_scale

if TYPE_CHECKING:
    from newslens.dataset import Dataset

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

# Above this many mentions (denials left out) in the selection, one mark per mention is past what
# a reader can see and what a chart can hold: the timeline and lag charts bin them instead.
MAX_ITEM_MENTIONS = 2_000
# Binned charts take the finest time bin that keeps them under this many marks.
MAX_BINNED_MARKS = 4_000
# Tables shown to a reader: at most this many rows (the case study's tables all fit).
MAX_TABLE_ROWS = 60
# Daily axis ticks only over at most this many days; beyond, Vega's own ticks.
_DAILY_TICKS_DAYS = 62
_BINS = (("hour", "h"), ("6 hours", "6h"), ("day", "D"), ("week", "W"), ("month", "M"), ("year", "Y"))
_REPORT = "report time (no time stated)"
# What the views read of the events table: everything but the sentence text and its details.
EVENT_VIEW_COLUMNS = ["event_id", "article_id", "sentence_id", "outlet", "kind", "event_type", "start", "end",
                      "negated", "event_start_utc", "event_end_utc", "precision", "report_time_utc", "source"]
ARTICLE_COLUMNS = ["article_id", "outlet", "published_utc", "published_precision", "republished_from"]


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


def read_events(data: Dataset, *, outlets: Sequence[str] | None = None, event_types: Sequence[str] | None = None,
                since: str | None = None, until: str | None = None, tz: str = "Asia/Damascus",
                columns: Sequence[str] = EVENT_VIEW_COLUMNS) -> pd.DataFrame:
    """The selection of `select`, read through ``data`` with only ``columns`` (by default no
    sentence text): the engine keeps the chosen outlets and event types, the time window is
    applied to what it returns."""
    where = {}
    if outlets:
        where["outlet"] = list(outlets)
    if event_types:
        where["event_type"] = list(event_types)
    cols = list(dict.fromkeys([*columns, *where]))  # a filter column is read too (every engine)
    events = data.table("events", cols, where=where or None)
    return select(events, since=since, until=until, tz=tz)[list(columns)]


def read_articles(data: Dataset, *, outlets: Sequence[str] | None = None,
                  columns: Sequence[str] = ARTICLE_COLUMNS) -> pd.DataFrame:
    """The articles (of the chosen outlets) with the columns the timeline views use."""
    where = {"outlet": list(outlets)} if outlets else None
    return data.table("articles", list(dict.fromkeys([*columns, *(where or {})])), where=where)[list(columns)]


def read_sentence_spans(data: Dataset, events: pd.DataFrame) -> pd.DataFrame:
    """``sentence_id, start, end`` of the sentences of the articles in ``events`` (for `checks`);
    filtered by the engine when those are a minority of the articles (a long filter list costs
    more than it saves otherwise)."""
    articles = sorted(set(events["article_id"]))
    where = {"article_id": articles} if len(articles) < data.rows("articles") / 2 else None
    return data.table("sentences", ["sentence_id", "article_id", "start", "end"], where=where)


def with_text(rows: pd.DataFrame, data: Dataset | None = None,
              columns: Sequence[str] = ("text",)) -> pd.DataFrame:
    """``rows`` of the events table with ``columns`` (e.g. the sentence ``text``) added where they
    are missing, read through ``data`` for these rows only (by ``article_id`` and ``event_id``)."""
    missing = [c for c in columns if c not in rows.columns]
    if not missing:
        return rows
    if data is None:
        raise ValueError(f"these events have no {', '.join(missing)}: pass data (a newslens Dataset) to read them")
    if rows.empty:
        return rows.assign(**{c: pd.Series(index=rows.index, dtype=object) for c in missing})
    read = data.table("events", ["article_id", "event_id", *missing],
                      where={"article_id": sorted(set(rows["article_id"])), "event_id": list(rows["event_id"])})
    found = read.drop_duplicates("event_id").set_index("event_id")
    return rows.assign(**{c: rows["event_id"].map(found[c]) for c in missing})


def bounded(table: pd.DataFrame, limit: int = MAX_TABLE_ROWS, *, by: str | list[str] | None = None,
            ascending: bool | list[bool] = True, what: str = "rows", order: str = "first") -> pd.DataFrame:
    """At most ``limit`` rows of ``table`` for a reader: the first ones, or the top ones by
    ``by``, kept in the table's own order. When rows are left out, a line says how many there are
    in all and which are shown (``order``: "first", "with the most mentions"…)."""
    if len(table) <= limit:
        return table
    top = table.head(limit) if by is None else table.sort_values(by, ascending=ascending, kind="stable").head(limit)
    print(f"{len(table):,} {what} in all; the {limit} {order} are shown.")
    return table[table.index.isin(top.index)]


def aggregates(events: pd.DataFrame) -> bool:
    """Whether charts of ``events`` bin mentions (more than ``MAX_ITEM_MENTIONS``, denials left out)."""
    return int((~events["negated"]).sum()) > MAX_ITEM_MENTIONS


def type_scale(labels: dict[str, str]) -> dict[str, alt.Scale]:
    """Colour and shape per event type (file order), no two types sharing both."""
    names = list(labels.values())
    return {"color": alt.Scale(domain=names, range=[PALETTE[i % len(PALETTE)] for i in range(len(names))]),
            "shape": alt.Scale(domain=names, range=[_TYPE_SHAPES[(i + 3 * (i // len(PALETTE))) % len(_TYPE_SHAPES)]
                                                     for i in range(len(names))])}


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _EXAMPLE else text[:_EXAMPLE - 1] + "…"


def _examples(ids: pd.Series, rows: pd.DataFrame, data: Dataset | None) -> pd.Series:
    """The shortened sentence of each event id in ``ids`` (all of them rows of ``rows``)."""
    first = rows[rows["event_id"].isin(set(ids))].drop_duplicates("event_id")
    text = with_text(first, data).set_index("event_id")["text"]
    return ids.map(text).map(_short)


# --- time bins for large selections --------------------------------------------------------------


def _naive(ts: pd.Series, tz: str) -> pd.Series:
    """Wall-clock times in ``tz`` without a zone (bins are days of the display zone)."""
    return pd.to_datetime(ts, utc=True).dt.tz_convert(tz).dt.tz_localize(None)


def _bin_start(naive: pd.Series, freq: str) -> pd.Series:
    if freq in ("h", "6h", "D"):
        return naive.dt.floor(freq)
    return naive.dt.to_period(freq).dt.start_time


def _bin_end(start: pd.Series, freq: str) -> pd.Series:
    steps = {"h": pd.Timedelta(hours=1), "6h": pd.Timedelta(hours=6), "D": pd.Timedelta(days=1),
             "W": pd.Timedelta(days=7), "M": pd.offsets.MonthBegin(1), "Y": pd.offsets.YearBegin(1)}
    return start + steps[freq]


def _bin_label(a: pd.Timestamp, name: str) -> str:
    if name in ("hour", "6 hours"):
        b = a + pd.Timedelta(hours=1 if name == "hour" else 6)
        return f"{a:%a %d %b %H:%M}–{'24:00' if b == b.normalize() else format(b, '%H:%M')}"
    return {"day": f"{a:%a %d %b}", "week": f"week of {a:%a %d %b}", "month": f"{a:%b %Y}"}.get(name, f"{a:%Y}")


def _choose_bin(groups: pd.Series, times: list[pd.Series], limit: int) -> tuple[str, str, list[pd.Series]]:
    """The finest bin (hour … year) that puts ``groups`` × binned ``times`` in at most ``limit``
    rows (else the coarsest), with the bin starts."""
    for name, freq in _BINS:
        starts = [_bin_start(t, freq) for t in times]
        probe = pd.DataFrame({"g": groups.to_numpy(), **{f"b{i}": s.to_numpy() for i, s in enumerate(starts)}})
        if len(probe.drop_duplicates()) <= limit or freq == _BINS[-1][1]:
            return name, freq, starts
    raise AssertionError("unreachable")


def _finest(precision: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """The finest precision per group (`timeline.PRECISIONS` order)."""
    order = {p: i for i, p in enumerate(timeline.PRECISIONS)}
    rank = precision.astype(object).map(order).fillna(len(timeline.PRECISIONS)).astype(int)
    names = dict(enumerate(timeline.PRECISIONS))
    return rank.groupby(groups, sort=True, observed=True).min().map(lambda i: names.get(i, "report"))


def _top_values(values: pd.Series, groups: list[pd.Series], n: int = 3) -> pd.Series:
    """Per group: its ``n`` most frequent values ("a; b; c … (+4 more)")."""
    frame = pd.DataFrame({f"k{i}": g.to_numpy() for i, g in enumerate(groups)})
    frame["v"] = values.to_numpy()
    keys = [c for c in frame.columns if c != "v"]
    counted = frame.groupby(keys + ["v"], sort=False, observed=True).size().reset_index(name="k")
    counted = counted[counted["k"] > 0].astype({"v": object}).fillna({"v": ""})
    counted = counted.sort_values(keys + ["k", "v"], ascending=[True] * len(keys) + [False, True], kind="stable")
    counted["rank"] = counted.groupby(keys, sort=False).cumcount()
    total = counted.groupby(keys, sort=True).size()
    top = counted[counted["rank"] < n].groupby(keys, sort=True)["v"].agg("; ".join)
    more = (total - n).clip(lower=0)
    return top + more.map(lambda k: f" … (+{k} more)" if k else "")


def _coded(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` as categoricals: grouping a large selection by codes is cheap."""
    return frame.assign(**{c: frame[c].astype("category") for c in columns})


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Categorical ``columns`` back to plain text."""
    return frame.assign(**{c: frame[c].astype(str) for c in columns})


def _cap(marks: pd.DataFrame, name: str, limit: int) -> tuple[pd.DataFrame, str]:
    """Even yearly bins can be too many (a selection without a time window): keep the ``limit``
    marks with the most mentions and say so in the bin's name."""
    if len(marks) <= limit:
        return marks, name
    kept = marks.sort_values("mentions", ascending=False, kind="stable").head(limit)
    return marks[marks.index.isin(kept.index)], f"{name}; the {limit:,} with most mentions of {len(marks):,}"


# --- the timeline --------------------------------------------------------------------------------


def _record_marks(reference: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    ref = reference.assign(event_type=reference["event_type"].str.split(";")).explode("event_type")
    ref = ref[ref["event_type"].fillna("").str.strip().isin(labels)]
    return pd.DataFrame({
        "track": REFERENCE, "event_type": ref["event_type"].str.strip(), "start": ref["start_utc"],
        "end": ref["end_utc"], "precision": ref["precision"], "mentions": 1,
        "example": ref["event"].map(_short), "sources": ref["sources"].map(_short), "example_id": ref["ref_id"],
    })


def timeline_table(events: pd.DataFrame, reference: pd.DataFrame | None, labels: dict[str, str],
                   *, tz: str, data: Dataset | None = None) -> pd.DataFrame:
    """One row per mark: outlet (or the record) × event type × claimed interval, with the
    number of mentions, the first sentence and the sources. Denials are left out.

    Above ``MAX_ITEM_MENTIONS`` mentions, one row per outlet × event type × placement × time
    bin instead (`aggregates`; see `binned_marks`). Sentences missing from ``events`` are read
    through ``data``."""
    if aggregates(events):
        return binned_marks(events, reference, labels, tz=tz, data=data)
    live = events[~events["negated"]].sort_values(["event_start_utc", "report_time_utc", "event_id"])
    marks = live.groupby(["outlet", "event_type", "event_start_utc", "event_end_utc", "precision"],
                         sort=True, as_index=False).agg(
        mentions=("event_id", "size"), example_id=("event_id", "first"),
        sources=("source", lambda s: "; ".join(dict.fromkeys(s))))
    marks["example"] = _examples(marks["example_id"], live, data)
    marks = marks.rename(columns={"outlet": "track", "event_start_utc": "start", "event_end_utc": "end"})
    if reference is not None:
        marks = pd.concat([marks, _record_marks(reference, labels)], ignore_index=True)
        marks["start"], marks["end"] = pd.to_datetime(marks["start"], utc=True), pd.to_datetime(marks["end"], utc=True)
    marks["event"] = marks["event_type"].map(labels)
    marks["placed"] = marks["precision"].map(lambda p: _REPORT if p == "report" else "stated")
    marks["when"] = [when(a, b, p, tz) for a, b, p in zip(marks["start"], marks["end"], marks["precision"])]
    marks["x0"], marks["x1"] = _wall(marks["start"], tz), _wall(marks["end"], tz)
    mid = marks["start"] + (marks["end"] - marks["start"]) / 2
    marks["xm"] = _wall(mid.dt.floor("min"), tz)
    cols = ["track", "event", "when", "precision", "placed", "mentions", "sources", "example", "x0", "x1", "xm"]
    return marks[cols].sort_values(["track", "x0", "event"], kind="stable", ignore_index=True)


def _claimed(a: pd.Timestamp, b: pd.Timestamp, placed: str, tz: str) -> str:
    """The span a binned mark's mentions claim, from the earliest start to the latest end."""
    if placed != "stated":
        first, last = _local(a, tz), _local(b, tz)
        return f"not stated (reported {first:%a %d %b %H:%M}" + (f" – {last:%a %d %b %H:%M})" if b > a else ")")
    return when(a, b, "span", tz)


BINNED_MARK_COLUMNS = ["track", "event", "when", "claimed", "precision", "placed", "mentions", "sources",
                       "example", "example_id", "bin", "x0", "x1", "xm"]


def binned_marks(events: pd.DataFrame, reference: pd.DataFrame | None, labels: dict[str, str],
                 *, tz: str, data: Dataset | None = None, limit: int = MAX_BINNED_MARKS) -> pd.DataFrame:
    """The timeline of a large selection: one row per outlet × event type × placement (stated,
    or report time) × time bin of the mention's middle, in the display zone. The bin is the
    finest of hour, 6 hours, day, week, month, year giving at most ``limit`` marks. Each row has
    its mentions, the earliest and latest claimed time (``claimed``, ``x0``…``x1``), the finest
    precision, the most cited sources, and its first sentence (by stated then report time) with
    ``example_id``, the event that says it. Record rows are as in `timeline_table`."""
    live = _coded(events[~events["negated"]], ["outlet", "event_type", "precision", "source"])
    live = live.assign(placed=pd.Categorical(live["precision"].eq("report").map({True: _REPORT, False: "stated"})))
    keys = ["outlet", "event_type", "placed"]
    mid = live["event_start_utc"] + (live["event_end_utc"] - live["event_start_utc"]) / 2
    groups = live.groupby(keys, sort=False, observed=True).ngroup()
    name, freq, (start,) = _choose_bin(groups, [_naive(mid, tz)], limit)
    live = live.assign(bin_start=start).sort_values(["event_start_utc", "report_time_utc", "event_id"], kind="stable")
    by = [live[k] for k in keys + ["bin_start"]]
    marks = live.groupby(keys + ["bin_start"], sort=True, observed=True).agg(
        mentions=("event_id", "size"), start=("event_start_utc", "min"), end=("event_end_utc", "max"),
        example_id=("event_id", "first"))
    marks["precision"] = _finest(live["precision"], by)
    marks["sources"] = _top_values(live["source"], by).to_numpy()
    marks = _plain(marks.reset_index(), keys)
    marks, name = _cap(marks, name, limit)
    marks["example"] = _examples(marks["example_id"], live, data)
    marks["when"] = [_bin_label(a, name.split(";")[0]) for a in marks["bin_start"]]
    marks["claimed"] = [_claimed(a, b, p, tz) for a, b, p in zip(marks["start"], marks["end"], marks["placed"])]
    marks["xm"] = (marks["bin_start"] + (_bin_end(marks["bin_start"], freq) - marks["bin_start"]) / 2
                   ).dt.floor("min").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    marks = marks.rename(columns={"outlet": "track"})
    marks["bin"] = name
    if reference is not None:
        record = _record_marks(reference, labels)
        record["placed"] = record["precision"].map(lambda p: _REPORT if p == "report" else "stated")
        record["when"] = [when(a, b, p, tz) for a, b, p in zip(record["start"], record["end"], record["precision"])]
        record["claimed"], record["bin"] = record["when"], ""
        rmid = record["start"] + (record["end"] - record["start"]) / 2
        record["xm"] = _wall(rmid.dt.floor("min"), tz) if len(record) else pd.Series(dtype=object)
        marks = pd.concat([marks, record], ignore_index=True)
    marks["start"], marks["end"] = pd.to_datetime(marks["start"], utc=True), pd.to_datetime(marks["end"], utc=True)
    marks["event"] = marks["event_type"].map(labels).fillna(marks["event_type"])
    marks["x0"], marks["x1"] = _wall(marks["start"], tz), _wall(marks["end"], tz)
    return marks[BINNED_MARK_COLUMNS].sort_values(["track", "xm", "event"], kind="stable", ignore_index=True)


def mark_rows(marks: pd.DataFrame, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """The marks as a table for a reader, without chart positions and sentences: per-mention
    marks whole (at most ``MAX_ITEM_MENTIONS`` plus the record), binned marks cut to the
    ``limit`` with the most mentions (each keeps ``example_id``)."""
    table = marks.drop(columns=[c for c in ("x0", "x1", "xm", "example") if c in marks.columns])
    if "bin" not in marks.columns:
        return table
    return bounded(table, limit, by="mentions", ascending=False, what="marks", order="with the most mentions")


def _span_days(starts: pd.Series, ends: pd.Series) -> float:
    if starts.empty:
        return 0.0
    return (pd.to_datetime(ends).max() - pd.to_datetime(starts).min()) / pd.Timedelta(days=1)


def _time_axis(field: str, title: str, daily: bool = True) -> alt.X:
    ticks = {"tickCount": {"interval": "day", "step": 1}} if daily else {}
    return alt.X(field, type="temporal", title=title, scale=alt.Scale(type="utc"),
                 axis=alt.Axis(format="%a %d %b", labelAngle=0, **ticks))


def timeline_chart(table: pd.DataFrame, labels: dict[str, str], *, tz: str,
                   title: str = "When each outlet says it happened") -> alt.LayerChart:
    """Tracks of outlets plus the documented record; a rule spans each claimed interval, a
    mark sits at its middle (hollow when only the report time places it). Binned marks
    (`binned_marks`) sit at the middle of their bin, sized by their mentions, without rules
    (the record keeps its own)."""
    scale = type_scale(labels)
    tracks = sorted(t for t in table["track"].unique() if t != REFERENCE) + [REFERENCE]
    binned = "bin" in table.columns
    tooltip = ["track", "event", "when", "precision", "placed", "mentions", "sources",
               alt.Tooltip("example:N", title="sentence")]
    if binned:
        tooltip[3:3] = ["claimed"]
        tooltip.append(alt.Tooltip("example_id:N", title="sentence's event"))
        bins = sorted(set(table["bin"]) - {""})
        title = f"{title} (marks per outlet, event type and {', '.join(bins) or 'bin'})"
    base = alt.Chart(table, title=title).encode(
        y=alt.Y("track:N", sort=tracks, title=None),
        yOffset=alt.YOffset("event:N", sort=list(labels.values())),
        color=alt.Color("event:N", scale=scale["color"], title="event type"),
        tooltip=tooltip,
    )
    daily = _span_days(table["x0"], table["x1"]) <= _DAILY_TICKS_DAYS
    x_axis = _time_axis("x0", f"event time ({zone_label(tz)})", daily)
    shape = alt.Shape("event:N", scale=scale["shape"], title="event type")
    if binned:
        # Outlets' marks are bins, sized by mentions, without rules: a bin's span (earliest to
        # latest claim) is in its tooltip and table, since one long claim would stretch a drawn
        # rule over days its other mentions never name. The record keeps its rules.
        record, told = (base.transform_filter(alt.datum.track == REFERENCE),
                        base.transform_filter(alt.datum.track != REFERENCE))
        size = alt.Size("mentions:Q", scale=alt.Scale(range=[30, 320]), title="mentions")
        return alt.layer(
            record.mark_rule(strokeWidth=3, opacity=0.6).encode(x=x_axis, x2="x1"),
            record.mark_point(filled=True, size=80).encode(x="xm:T", shape=shape),
            told.transform_filter(alt.datum.placed == "stated").mark_point(filled=True).encode(
                x="xm:T", shape=shape, size=size),
            told.transform_filter(alt.datum.placed != "stated").mark_point(filled=False, strokeWidth=1.5).encode(
                x="xm:T", shape=shape, size=size),
        ).properties(width=720, height=alt.Step(11))
    span = base.mark_rule(strokeWidth=3, opacity=0.6).encode(x=x_axis, x2="x1")
    stated = base.transform_filter(alt.datum.placed == "stated").mark_point(filled=True, size=80).encode(
        x="xm:T", shape=shape)
    hollow = base.transform_filter(alt.datum.placed != "stated").mark_point(
        filled=False, size=80, strokeWidth=1.5).encode(x="xm:T", shape=alt.Shape("event:N", scale=scale["shape"]))
    return alt.layer(span, stated, hollow).properties(width=720, height=alt.Step(11))


# --- report time versus event time ---------------------------------------------------------------


def _lag_groups(events: pd.DataFrame) -> pd.DataFrame:
    """Timed, non-denied mentions grouped by outlet × event type × (report time, event time
    middle, precision, lag), with ``mentions`` and the first ``example_id``."""
    timed = events[(~events["negated"]) & (events["precision"] != "report")]
    mid = timed["event_start_utc"] + (timed["event_end_utc"] - timed["event_start_utc"]) / 2
    lag = ((timed["report_time_utc"] - timed["event_end_utc"]).dt.total_seconds() / 3600).round(1)
    rows = timed.assign(mid=mid.dt.floor("min"), lag_hours=lag)
    return rows.groupby(["outlet", "event_type", "report_time_utc", "mid", "precision", "lag_hours"],
                        sort=True, as_index=False).agg(mentions=("event_id", "size"), example_id=("event_id", "first"))


def lag_table(events: pd.DataFrame, *, tz: str, data: Dataset | None = None) -> pd.DataFrame:
    """Stated event times against when they were reported: one row per outlet × event type ×
    (report time, event time), with ``lag_hours`` from the event's end to the report (negative:
    told in advance, as a plan). Above ``MAX_ITEM_MENTIONS`` mentions, `binned_lags`."""
    if aggregates(events):
        return binned_lags(events, tz=tz, data=data)
    out = _lag_groups(events)
    out["example"] = _examples(out["example_id"], events, data)
    out["reported"] = out["report_time_utc"].dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M")
    out["event_time"] = out["mid"].dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M")
    out["xr"], out["ye"] = _wall(out["report_time_utc"], tz), _wall(out["mid"], tz)
    cols = ["outlet", "event_type", "reported", "event_time", "precision", "lag_hours", "mentions", "example", "xr", "ye"]
    return out[cols].sort_values(["outlet", "xr", "ye", "event_type"], kind="stable", ignore_index=True)


BINNED_LAG_COLUMNS = ["outlet", "event_types", "reported", "event_time", "precision", "lag_hours", "mentions",
                      "example", "example_id", "bin", "xr", "ye"]


def binned_lags(events: pd.DataFrame, *, tz: str, data: Dataset | None = None,
                limit: int = MAX_BINNED_MARKS) -> pd.DataFrame:
    """Report time against stated event time for a large selection: one row per outlet × report
    time bin × event time bin (the finest of hour … year giving at most ``limit`` rows), with
    the mentions, their median lag in hours, the finest precision, the most frequent event types
    and the first sentence (``example_id``)."""
    timed = _coded(events[(~events["negated"]) & (events["precision"] != "report")],
                   ["outlet", "event_type", "precision"])
    mid = timed["event_start_utc"] + (timed["event_end_utc"] - timed["event_start_utc"]) / 2
    lag = (timed["report_time_utc"] - timed["event_end_utc"]).dt.total_seconds() / 3600
    groups = timed.groupby("outlet", sort=False, observed=True).ngroup()
    name, freq, (rbin, ebin) = _choose_bin(groups, [_naive(timed["report_time_utc"], tz), _naive(mid, tz)], limit)
    rows = timed.assign(rbin=rbin, ebin=ebin, lag_hours=lag)
    by = [rows[k] for k in ("outlet", "rbin", "ebin")]
    out = rows.groupby(["outlet", "rbin", "ebin"], sort=True, observed=True).agg(
        mentions=("event_id", "size"), lag_hours=("lag_hours", "median"), example_id=("event_id", "first"))
    out["lag_hours"] = out["lag_hours"].round(1)
    out["precision"] = _finest(rows["precision"], by)
    out["event_types"] = _top_values(rows["event_type"], by).to_numpy()
    out = _plain(out.reset_index(), ["outlet"])
    out, name = _cap(out, name, limit)
    out["example"] = _examples(out["example_id"], rows, data)
    label = name.split(";")[0]
    out["reported"] = [_bin_label(a, label) for a in out["rbin"]]
    out["event_time"] = [_bin_label(a, label) for a in out["ebin"]]
    for col, b in (("xr", "rbin"), ("ye", "ebin")):
        out[col] = (out[b] + (_bin_end(out[b], freq) - out[b]) / 2).dt.floor("min").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["bin"] = name
    return out[BINNED_LAG_COLUMNS].sort_values(["outlet", "xr", "ye"], kind="stable", ignore_index=True)


def lag_summary(events: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: timed mentions, and the median and largest lag in hours over the distinct
    (event type, report time, event time) of the per-mention `lag_table` — at any size."""
    return _lag_groups(events).groupby("outlet").agg(
        mentions=("mentions", "sum"), median_lag_hours=("lag_hours", "median"),
        max_lag_hours=("lag_hours", "max")).reset_index()


def lag_chart(table: pd.DataFrame, *, tz: str, title: str = "How late each outlet told what") -> alt.LayerChart:
    """Report time (x) against the middle of the stated event time (y); on the diagonal an event
    is told as it happens, below it after the fact, above it in advance."""
    scale = outlet_scale(list(table["outlet"].unique()))
    lo, hi = min(table["xr"].min(), table["ye"].min()), max(table["xr"].max(), table["ye"].max())
    diagonal = alt.Chart(pd.DataFrame({"xr": [lo, hi], "ye": [lo, hi]})).mark_line(
        color="#999999", strokeDash=[4, 4]).encode(x="xr:T", y="ye:T")
    zone = zone_label(tz)
    tooltip = ["outlet", "event_type", "reported", "event_time", "precision", "lag_hours", "mentions",
               alt.Tooltip("example:N", title="sentence")]
    if "bin" in table.columns:
        tooltip[1] = "event_types"
        tooltip.append(alt.Tooltip("example_id:N", title="sentence's event"))
        title = f"{title} (per outlet, {table['bin'].iloc[0] if len(table) else 'bin'} of report and of event)"
    points = alt.Chart(table, title=title).mark_point(filled=True, opacity=0.85).encode(
        x=alt.X("xr:T", title=f"report time ({zone})", scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d %b %H:%M", labelAngle=-30)),
        y=alt.Y("ye:T", title=f"stated event time ({zone})", scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d %b %H:%M")),
        color=alt.Color("outlet:N", scale=scale["color"]), shape=alt.Shape("outlet:N", scale=scale["shape"]),
        size=alt.Size("mentions:Q", scale=alt.Scale(range=[60, 240]), legend=None),
        tooltip=tooltip,
    )
    return alt.layer(diagonal, points).properties(width=560, height=360)


# --- versions side by side -----------------------------------------------------------------------


def _version_rows(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The few mentions that decide `timeline.compare` (per event type × outlet × timed or not:
    the earliest start, the latest end, one of each precision) and the true mention counts.
    `compare` of these rows gives the same versions, intervals, precisions and disagreements as
    of all mentions; only its counts need the second part."""
    live = events[~events["negated"]]
    group = live.groupby([live["event_type"], live["outlet"], live["precision"] != "report"], sort=False).ngroup()
    keys = pd.DataFrame({"g": group, "p": live["precision"].factorize()[0], "a": live["event_start_utc"],
                         "b": live["event_end_utc"]}, index=live.index)
    picks = (keys.sort_values("a", kind="stable").drop_duplicates("g").index
             .union(keys.sort_values("b", ascending=False, kind="stable").drop_duplicates("g").index)
             .union(keys.drop_duplicates(["g", "p"]).index))
    rows = live.loc[live.index.isin(picks)]
    mentions = live.groupby(["event_type", "outlet"], sort=True).size()
    return rows, mentions


def _disagreements(versions: pd.DataFrame, timed: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """`timeline.compare`'s ``disagrees_with`` from the versions of `timeline.against_reference`
    (``event_type, teller, earliest_utc, latest_utc``) and the (event type, outlet) pairs with
    a stated time: the other outlets, in order, whose closed intervals do not overlap."""
    v = versions[versions["teller"] != REFERENCE][["event_type", "teller", "earliest_utc", "latest_utc"]]
    v = v[[(t, o) in timed for t, o in zip(v["event_type"], v["teller"])]]
    pairs = v.merge(v, on="event_type", suffixes=("", "_o"))
    apart = (pairs["teller"] != pairs["teller_o"]) & ~((pairs["earliest_utc"] <= pairs["latest_utc_o"])
                                                       & (pairs["earliest_utc_o"] <= pairs["latest_utc"]))
    pairs = pairs[apart].sort_values(["event_type", "teller", "teller_o"], kind="stable")
    return pairs.groupby(["event_type", "teller"], sort=True)["teller_o"].agg(", ".join).to_dict()


def versions_table(events: pd.DataFrame, reference: pd.DataFrame, labels: dict[str, str], *, tz: str) -> pd.DataFrame:
    """`timeline.against_reference` with readable times and the disagreement flag of `compare`."""
    rows, mentions = _version_rows(events)
    table = timeline.against_reference(rows, reference)
    stated = rows[rows["precision"] != "report"]
    flags = _disagreements(table, set(zip(stated["event_type"], stated["outlet"])))
    keys = list(zip(table["event_type"], table["teller"]))
    told = table["teller"] != REFERENCE
    table.loc[told, "mentions"] = [int(mentions.get(k, 0)) for k, t in zip(keys, told) if t]
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
    daily = _span_days(table["x0"], table["x1"]) <= _DAILY_TICKS_DAYS
    bars = base.mark_rule(strokeWidth=4).encode(x=_time_axis("x0", f"claimed time ({zone_label(tz)})", daily), x2="x1")
    ends = base.mark_point(filled=True, size=45).encode(x="x0:T", shape=alt.Shape("teller:N", scale=shape, title="told by"))
    return alt.layer(bars, ends).properties(width=700, height=alt.Step(8))


# --- sentences and the explorer ------------------------------------------------------------------


def _sentence_rows(events: pd.DataFrame, event_type: str, *, tz: str, data: Dataset | None,
                   limit: int | None) -> pd.DataFrame:
    rows = events[events["event_type"] == event_type].sort_values(
        ["event_start_utc", "report_time_utc", "outlet", "event_id"], kind="stable")
    if limit is not None:
        rows = rows.head(limit)
    rows = with_text(rows, data, ("voice", "trigger", "text"))
    out = rows.assign(
        when=[when(a, b, p, tz) for a, b, p in zip(rows["event_start_utc"], rows["event_end_utc"], rows["precision"])],
        reported=rows["report_time_utc"].dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M"))
    return out[SENTENCE_COLUMNS].reset_index(drop=True)


def sentences_for(events: pd.DataFrame, event_type: str, *, tz: str, data: Dataset | None = None,
                  limit: int | None = MAX_TABLE_ROWS) -> pd.DataFrame:
    """Every outlet's sentences reporting ``event_type``, in order of the stated time, then of
    report time (plain text; display it as a DataFrame): the first ``limit`` (all with None),
    with a line giving the total when some are left out. Sentences missing from ``events`` are
    read through ``data`` for the rows shown only."""
    total = int((events["event_type"] == event_type).sum())
    if limit is not None and total > limit:
        print(f"{total:,} mentions of {event_type} in all; the first {limit} in time order are shown.")
    return _sentence_rows(events, event_type, tz=tz, data=data, limit=limit)


def explorer(events: pd.DataFrame, labels: dict[str, str], *, tz: str, data: Dataset | None = None,
             limit: int = MAX_TABLE_ROWS):
    """A widget: pick an event type, see every outlet's sentences about it in time order (the
    first ``limit``). Errors are shown as text; the callback never raises."""
    import ipywidgets as widgets

    from newslens.widgets import live_table

    types = set(events["event_type"].unique())
    present = [(labels.get(t, t), t) for t in labels if t in types]
    pick = widgets.Dropdown(options=present, description="Event")

    def search(value: str) -> tuple[str, pd.DataFrame]:
        total = int((events["event_type"] == value).sum())
        table = _sentence_rows(events, value, tz=tz, data=data, limit=limit)
        shown = f"; the first {limit} in time order are shown" if total > limit else ""
        return f"{total} mentions of {pick.label!r} ({tz}){shown}", table

    return live_table(pick, search)


def explore(events: pd.DataFrame, labels: dict[str, str], *, tz: str, data: Dataset | None = None) -> None:
    """Show the explorer in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored notebooks,
    reports) cannot run a widget and would store its random model id, so there the widget is
    built (its first table runs) and a note stands in for it."""
    from newslens.widgets import show

    show(explorer(events, labels, tz=tz, data=data),
         "The event explorer is interactive: open this notebook in JupyterLab to pick any event "
         "type. The static tables above list the sentences for the key event types.")


def deictic_events(events: pd.DataFrame, articles: pd.DataFrame, *, tz: str,
                   data: Dataset | None = None) -> pd.DataFrame:
    """Events in republished or compiled texts whose sentence says "today", "now", "minutes
    ago"…: words that were true when first written and are read against the copy's date.
    Sentences missing from ``events`` are read through ``data`` for copied articles only."""
    copied = set(articles.loc[articles["republished_from"].fillna("") != "", "article_id"])
    rows = with_text(events[events["article_id"].isin(copied)], data, ("text", "time_surface"))
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
    """One line per sanity check of the events table, with its result (``sentences``: at least
    ``sentence_id, start, end`` of the events' sentences)."""
    spans = sentences.drop_duplicates("sentence_id")
    # Arrow's hash lookup: the same answer as a merge on sentence_id, at a fraction of the cost.
    at = pc.index_in(pa.array(events["sentence_id"], type=pa.large_string()),
                     value_set=pa.array(spans["sentence_id"], type=pa.large_string())).to_numpy(zero_copy_only=False)
    at = np.nan_to_num(at.astype(float), nan=-1).astype(np.int64)
    found = at >= 0
    s_start = spans["start"].to_numpy()[at] if len(spans) else at
    s_end = spans["end"].to_numpy()[at] if len(spans) else at
    inside = found & (s_start <= events["start"].to_numpy()) & (events["end"].to_numpy() <= s_end)
    rows = [
        ("every event has its sentence, and its trigger lies inside it", bool(inside.all())),
        ("no event comes from boilerplate", not events["kind"].eq("boilerplate").any()),
        ("event ids are unique", events["event_id"].is_unique),
        ("every interval ends at or after it starts", bool((events["event_end_utc"] >= events["event_start_utc"]).all())),
        ("share of events placed at report time (no time stated)", f"{(events['precision'] == 'report').mean():.0%}"),
        ("denials (kept, left out of comparisons)", int(events["negated"].sum())),
    ]
    return pd.DataFrame(rows, columns=["check", "result"])


def anchoring(events: pd.DataFrame, articles: pd.DataFrame, *, tz: str,
              limit: int | None = MAX_TABLE_ROWS) -> pd.DataFrame:
    """Per article: what report times its events carry (live-blog entry stamps or publication).
    With more than ``limit`` articles, the ``limit`` with the most event mentions (and a line
    saying so), in article order."""
    n = events.groupby("article_id", sort=True).size()
    if limit is not None and len(n) > limit:
        top = n.rename("n").reset_index().sort_values(["n", "article_id"], ascending=[False, True], kind="stable")
        n = n[n.index.isin(top["article_id"].head(limit))]
        print(f"{events['article_id'].nunique():,} articles in all; the {limit} with the most event mentions "
              "are shown.")
    stamps = events.loc[events["article_id"].isin(n.index), ["article_id", "report_time_utc"]].drop_duplicates()
    stamps = stamps.sort_values(["article_id", "report_time_utc"], kind="stable")
    stamps["label"] = stamps["report_time_utc"].dt.tz_convert(tz).dt.strftime("%d %b %H:%M")
    report_times = stamps.groupby("article_id", sort=True)["label"].agg(", ".join)
    arts = articles.drop_duplicates("article_id").set_index("article_id").reindex(n.index)
    published = pd.to_datetime(arts["published_utc"], utc=True).dt.tz_convert(tz).dt.strftime("%a %d %b %H:%M")
    return pd.DataFrame({
        "article_id": n.index, "outlet": arts["outlet"].to_numpy(), "events": n.to_numpy(),
        "published": published.to_numpy(), "published_precision": arts["published_precision"].to_numpy(),
        "report_times": report_times.reindex(n.index).to_numpy(),
        "republished_from": arts["republished_from"].fillna("").to_numpy(),
    })
