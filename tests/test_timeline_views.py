"""Timeline views at any size: the case study's per-mention tables stay as they were, a large
selection is binned before charting, tables are bounded, and every engine gives the same views."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from newslens import charts, pipeline, store, timeline
from newslens import timeline_views as tv
from newslens.dataset import ENGINES, Dataset

from conftest import RAW

TZ = "Asia/Damascus"
WINDOW = {"since": "2016-12-12", "until": "2016-12-18", "tz": TZ}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    pipeline.build(RAW, out, workers=1)
    return out


@pytest.fixture(scope="module")
def labels():
    return timeline.load_lexicon().labels()


@pytest.fixture(scope="module")
def record():
    return tv.select_reference(timeline.load_reference(), **{k: v for k, v in WINDOW.items()})


# --- the case study: per-mention views, unchanged --------------------------------------------------


def _old_versions(events, reference, labels):
    """versions_table as it was: `against_reference` and `compare` over every mention."""
    table = timeline.against_reference(events, reference)
    flags = timeline.compare(events).set_index(["event_type", "outlet"])["disagrees_with"]
    table["disagrees_with"] = [flags.get(k, "") for k in zip(table["event_type"], table["teller"])]
    return table


def test_slim_events_read_through_a_dataset_give_the_same_views(seeds, labels, record):
    full = tv.select(store.read_table(seeds, "events"), **WINDOW)
    data = Dataset(seeds)
    slim = tv.read_events(data, **WINDOW)
    assert "text" not in slim.columns and len(slim) == len(full) < tv.MAX_ITEM_MENTIONS
    marks = tv.timeline_table(slim, record, labels, tz=TZ, data=data)
    pdt.assert_frame_equal(marks, tv.timeline_table(full, record, labels, tz=TZ))
    assert "bin" not in marks.columns and "example_id" not in marks.columns
    pdt.assert_frame_equal(tv.mark_rows(marks), marks.drop(columns=["x0", "x1", "xm", "example"]))
    pdt.assert_frame_equal(tv.lag_table(slim, tz=TZ, data=data), tv.lag_table(full, tz=TZ))
    pdt.assert_frame_equal(tv.sentences_for(slim, "evacuation_halted", tz=TZ, data=data),
                           tv.sentences_for(full, "evacuation_halted", tz=TZ))
    articles = store.read_table(seeds, "articles")
    pdt.assert_frame_equal(tv.deictic_events(slim, tv.read_articles(data), tz=TZ, data=data),
                           tv.deictic_events(full, articles, tz=TZ))


def test_lag_summary_is_the_per_outlet_summary_of_the_lag_table(seeds):
    events = tv.select(store.read_table(seeds, "events"), **WINDOW)
    lags = tv.lag_table(events, tz=TZ)
    want = lags.groupby("outlet").agg(mentions=("mentions", "sum"), median_lag_hours=("lag_hours", "median"),
                                      max_lag_hours=("lag_hours", "max")).reset_index()
    pdt.assert_frame_equal(tv.lag_summary(events), want)


def test_versions_from_the_deciding_mentions_equal_versions_from_all(seeds, labels, record):
    events = tv.select(store.read_table(seeds, "events"), **WINDOW)
    old = _old_versions(events, record, labels)
    new = tv.versions_table(events, record, labels, tz=TZ)
    assert list(new["mentions"]) == list(old["mentions"])
    assert list(new["disagrees_with"]) == list(old["disagrees_with"])
    assert (new["disagrees_with"] != "").any()


def test_checks_and_anchoring_read_only_what_they_need(seeds):
    data = Dataset(seeds)
    events = tv.read_events(data, **WINDOW)
    table = tv.checks(events, tv.read_sentence_spans(data, events))
    want = tv.checks(store.read_table(seeds, "events"), store.read_table(seeds, "sentences"))
    pdt.assert_frame_equal(table, want)
    anchors = tv.anchoring(events, tv.read_articles(data), tz=TZ)
    assert list(anchors["article_id"]) == sorted(events["article_id"].unique())
    assert anchors["events"].sum() == len(events)


def test_checks_catch_a_trigger_outside_its_sentence_and_a_missing_sentence(seeds):
    events = store.read_table(seeds, "events")
    sentences = store.read_table(seeds, "sentences")
    moved = events.copy()
    moved.loc[0, "end"] = 10**9
    assert tv.checks(moved, sentences).iloc[0]["result"] is False
    missing = sentences[sentences["sentence_id"] != events.loc[0, "sentence_id"]]
    assert tv.checks(events, missing).iloc[0]["result"] is False
    assert tv.checks(events, sentences.iloc[:0]).iloc[0]["result"] is False


def test_text_is_read_only_for_the_rows_asked(seeds):
    data = Dataset(seeds)
    events = tv.read_events(data)
    rows = events.iloc[[3, 1, 40]]
    got = tv.with_text(rows, data, ("text", "trigger"))
    full = store.read_table(seeds, "events").set_index("event_id")
    assert list(got["text"]) == list(full.loc[rows["event_id"], "text"])
    assert list(got["trigger"]) == list(full.loc[rows["event_id"], "trigger"])
    assert tv.with_text(rows.iloc[:0], data)["text"].empty
    with pytest.raises(ValueError, match="pass data"):
        tv.with_text(rows)


# --- a large selection: binned before charting -----------------------------------------------------


def _large(n: int = 30_000, *, days: int = 7, outlets: int = 20, seed: int = 1) -> pd.DataFrame:
    """A synthetic events table of ``n`` mentions over ``days`` days of December 2016."""
    rng = np.random.default_rng(seed)
    types = ["agreement", "convoy_left", "evacuation_halted", "attack", "ceasefire_violated"]
    start = pd.Timestamp("2016-12-12", tz="UTC") + pd.to_timedelta(rng.integers(0, days * 24 * 60, n), unit="min")
    precision = rng.choice(["report", "day", "part_of_day", "minute"], n, p=[0.6, 0.2, 0.15, 0.05])
    length = pd.to_timedelta(np.select([precision == "day", precision == "part_of_day", precision == "minute"],
                                       [24 * 60, 8 * 60, 1], 0), unit="min")
    article = rng.integers(0, n // 30, n)
    frame = pd.DataFrame({
        "article_id": [f"a{a:05d}" for a in article],
        "outlet": [f"Outlet {a % outlets:02d}" for a in article],
        "kind": "body", "event_type": rng.choice(types, n), "start": 0, "end": 5,
        "negated": rng.random(n) < 0.01, "event_start_utc": start, "event_end_utc": start + length,
        "precision": precision, "report_time_utc": start + pd.to_timedelta(rng.integers(0, 48 * 60, n), unit="min"),
        "source": rng.choice(["SANA", "ICRC", "Reuters", "own", "UN OCHA"], n),
    })
    frame["sentence_id"] = [f"{a}-s{i:05d}" for i, a in enumerate(frame["article_id"])]
    frame["event_id"] = frame["sentence_id"] + "-e00"
    frame["text"] = "Sentence of " + frame["event_id"]
    frame["trigger"], frame["voice"] = "halted", "stated"
    return frame


def test_a_large_selection_is_binned_under_the_chart_limit(labels, record):
    events = _large()
    assert tv.aggregates(events)
    marks = tv.timeline_table(events, record, labels, tz=TZ)
    told = marks[marks["track"] != timeline.REFERENCE]
    assert len(marks) < charts.MAX_ROWS and len(told) <= tv.MAX_BINNED_MARKS
    assert set(told["bin"]) == {"day"}  # 20 outlets × 5 types × 2 placements × 8 days fit; hours do not
    assert told["mentions"].sum() == (~events["negated"]).sum()
    # every mark keeps its first sentence and the event that says it
    by_id = events.set_index("event_id")
    assert all(by_id.loc[i, "outlet"] == t for i, t in zip(told["example_id"], told["track"]))
    assert all(tv._short(by_id.loc[i, "text"]) == x for i, x in zip(told["example_id"], told["example"]))
    # earliest and latest claimed time of a bin are those of its mentions
    one = told.iloc[0]
    live = events[~events["negated"] & (events["outlet"] == one["track"])]
    assert pd.Timestamp(one["x0"]) >= pd.Timestamp(tv._wall(live["event_start_utc"], TZ).min())
    svg = charts.to_svg(tv.timeline_chart(marks, labels, tz=TZ))
    assert "marks per outlet, event type and day" in svg and f"event time ({TZ}, UTC+2)" in svg


def test_the_bin_is_the_finest_that_fits(labels):
    events = _large(3_000, days=1, outlets=2)
    marks = tv.timeline_table(events, None, labels, tz=TZ)
    assert set(marks["bin"]) == {"hour"} and marks["mentions"].sum() == (~events["negated"]).sum()
    assert marks["when"].str.match(r"\w{3} \d\d Dec \d\d:00–(\d\d:00|24:00)$").all()


def test_a_selection_over_centuries_keeps_the_marks_with_most_mentions(labels):
    events = _large(6_000, outlets=20)
    years = pd.to_timedelta(np.arange(len(events)) % 300 * 365, unit="D")
    events["event_start_utc"] -= years
    events["event_end_utc"] -= years
    marks = tv.timeline_table(events, None, labels, tz=TZ)
    assert len(marks) == tv.MAX_BINNED_MARKS
    assert marks["bin"].iloc[0].startswith("year; the 4,000 with most mentions of ")
    svg = charts.to_svg(tv.timeline_chart(marks.head(50), labels, tz=TZ))  # no daily ticks over centuries
    assert svg.count("<text") < 200


def test_a_large_lag_chart_is_binned(labels):
    events = _large()
    lags = tv.lag_table(events, tz=TZ)
    timed = events[~events["negated"] & (events["precision"] != "report")]
    assert 0 < len(lags) <= tv.MAX_BINNED_MARKS and lags["mentions"].sum() == len(timed)
    assert set(lags["bin"]) == {"day"}  # 20 outlets × 8 report days × 8 event days fit; 6 hours do not
    assert lags["example_id"].isin(timed["event_id"]).all()
    assert charts.to_svg(tv.lag_chart(lags, tz=TZ)).count("<path") >= len(lags)
    summary = tv.lag_summary(events)
    assert summary["mentions"].sum() == len(timed)


def test_the_small_path_is_kept_below_the_threshold(labels):
    events = _large(tv.MAX_ITEM_MENTIONS, outlets=3)
    events["negated"] = False
    assert not tv.aggregates(events)
    marks = tv.timeline_table(events, None, labels, tz=TZ)
    assert "bin" not in marks.columns and marks["mentions"].sum() == len(events)


def test_versions_of_a_large_selection_equal_those_of_compare(labels, record):
    events = _large(20_000)
    old = _old_versions(events, record, labels)
    new = tv.versions_table(events, record, labels, tz=TZ)
    assert list(new["mentions"]) == list(old["mentions"])
    assert list(new["disagrees_with"]) == list(old["disagrees_with"])
    assert list(new["offset_hours"].fillna(-1)) == list(old["offset_hours"].fillna(-1))


# --- bounded tables ------------------------------------------------------------------------------------


def test_bounded_tables_say_how_many_rows_there_are(capsys):
    table = pd.DataFrame({"name": [f"n{i}" for i in range(100)], "mentions": np.arange(100) % 7})
    assert tv.bounded(table.head(10)).equals(table.head(10)) and capsys.readouterr().out == ""
    top = tv.bounded(table, 5, by="mentions", ascending=False, what="versions", order="with the most mentions")
    assert list(top["mentions"]) == [6] * 5 and top.index.is_monotonic_increasing
    assert capsys.readouterr().out == "100 versions in all; the 5 with the most mentions are shown.\n"


def test_large_tables_are_cut(capsys, labels):
    events = _large()
    table = tv.sentences_for(events, "attack", tz=TZ)
    assert len(table) == tv.MAX_TABLE_ROWS and table["event_id"].is_unique
    assert "mentions of attack in all; the first 60 in time order are shown." in capsys.readouterr().out
    articles = pd.DataFrame({"article_id": sorted(events["article_id"].unique())})
    articles["outlet"], articles["published_utc"] = "X", pd.Timestamp("2016-12-16", tz="UTC")
    articles["published_precision"], articles["republished_from"] = "minute", None
    anchors = tv.anchoring(events, articles, tz=TZ)
    counts = events.groupby("article_id").size()
    assert len(anchors) == tv.MAX_TABLE_ROWS and anchors["events"].min() >= counts.sort_values().iloc[-60]
    assert "articles in all; the 60 with the most event mentions are shown." in capsys.readouterr().out
    marks = tv.timeline_table(events, None, labels, tz=TZ)
    rows = tv.mark_rows(marks)
    assert len(rows) == tv.MAX_TABLE_ROWS and "example_id" in rows and "x0" not in rows


# --- engines ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "pandas"])
def test_every_engine_gives_the_same_views(seeds, engine, labels, record, monkeypatch):
    monkeypatch.setattr(tv, "MAX_ITEM_MENTIONS", 50)  # the binned path on the seeds
    views = []
    for name in ("pandas", engine):
        data = Dataset(seeds, name)
        events = tv.read_events(data, outlets=["RT", "The Interpreter", "Fars News Agency"], **WINDOW)
        views.append([tv.timeline_table(events, record, labels, tz=TZ, data=data),
                      tv.lag_table(events, tz=TZ, data=data),
                      tv.sentences_for(events, "convoy_left", tz=TZ, data=data), events])
    assert "bin" in views[0][0].columns
    for got, want in zip(views[1], views[0]):
        pdt.assert_frame_equal(got, want)
