"""newslens.timex: hand-made seed gold, rule tables, hard negatives, properties, corpus runner."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslens.corpus import load
from newslens.timex import COLUMNS, CORPUS_COLUMNS, extract, from_corpus

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "timex_seeds.csv"
CONTRACT = ["start", "end", "surface", "kind", "timex3", "value_start_utc", "value_end_utc",
            "granularity", "anchor", "confidence"]
UTC = timezone.utc
FRI = datetime(2016, 12, 16, 12, 9, tzinfo=UTC)  # RT, Friday 16 Dec 2016 12:09 GMT
WED = datetime(2016, 12, 14, 8, 0, tzinfo=UTC)
CORPUS = load(ROOT / "data" / "raw")


def _gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _locate_gold() -> list[tuple[dict[str, str], int, int]]:
    """Gold rows are in document order: find each surface after the previous one."""
    located, cursor = [], {}
    for row in _gold_rows():
        aid = row["article_id"]
        pattern = r"(?<!\w)" + re.escape(row["surface"]) + r"(?!\w)"
        match = re.compile(pattern).search(CORPUS.texts[aid], cursor.get(aid, 0))
        assert match, f"gold surface {row['surface']!r} not found in {aid}"
        cursor[aid] = match.end()
        located.append((row, match.start(), match.end()))
    return located


_SEED_CACHE: dict[tuple[str, str, str], pd.DataFrame] = {}


def _extracted(row: dict[str, str]) -> pd.DataFrame:
    key = (row["article_id"], row["anchor"], row["writer_tz"])
    if key not in _SEED_CACHE:
        _SEED_CACHE[key] = extract(CORPUS.texts[key[0]], datetime.fromisoformat(key[1]),
                                   writer_tz=key[2] or None)
    return _SEED_CACHE[key]


def _overlapping(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    return frame[(frame["start"] < end) & (frame["end"] > start)]


GOLD_LOCATED = _locate_gold()


def test_gold_covers_every_seed() -> None:
    assert {r["article_id"] for r, _, _ in GOLD_LOCATED} == set(CORPUS.texts)
    assert len(GOLD_LOCATED) == len(_gold_rows()) >= 90


@pytest.mark.parametrize(
    ("row", "start", "end"), GOLD_LOCATED,
    ids=[f"{r['article_id']}:{s}:{r['surface']}" for r, s, _ in GOLD_LOCATED])
def test_seed_gold(row: dict[str, str], start: int, end: int) -> None:
    hits = _overlapping(_extracted(row), start, end)
    if row["kind"] == "none":
        assert hits.empty, f"negative {row['surface']!r} extracted as {hits['surface'].tolist()}"
        return
    assert len(hits) == 1, f"{row['surface']!r}: extent not found ({hits['surface'].tolist()})"
    hit = hits.iloc[0]
    assert (hit["kind"], hit["timex3"]) == (row["kind"], row["timex3"]), row["note"]


def test_seed_gold_scores() -> None:
    """Extent recall and value accuracy over the positives, precision over all output."""
    positives = [(r, s, e) for r, s, e in GOLD_LOCATED if r["kind"] != "none"]
    found = correct = 0
    for row, start, end in positives:
        hits = _overlapping(_extracted(row), start, end)
        found += not hits.empty
        correct += bool((hits["timex3"] == row["timex3"]).any())
    spans = {(r["article_id"], s, e) for r, s, e in positives}
    predicted = matched = 0
    for row in {r["article_id"]: r for r, _, _ in positives}.values():
        for p in _extracted(row).itertuples():
            predicted += 1
            matched += any(a == row["article_id"] and p.start < e and p.end > s
                           for a, s, e in spans)
    assert found / len(positives) >= 0.95
    assert correct / len(positives) >= 0.95
    assert matched / predicted >= 0.95


def test_seed_gold_through_from_corpus() -> None:
    """The build's path (manifest anchors, live-blog entry stamps, writer zones) agrees with
    the hand-made gold on every gold expression it reads."""
    table = from_corpus(CORPUS, include_boilerplate=True)
    wrong = []
    for row, start, end in GOLD_LOCATED:
        hits = _overlapping(table[table["article_id"] == row["article_id"]], start, end)
        if row["kind"] == "none":
            wrong += [(row["surface"], h) for h in hits["surface"]]
        elif hits.empty or row["timex3"] not in set(hits["timex3"]):
            wrong.append((row["surface"], hits["timex3"].tolist()))
    assert not wrong


def test_interpreter_deictics_follow_the_writers_calendar() -> None:
    """The London live blog's last stamp is 23:13 GMT on 16 Dec, already 17 Dec in Damascus:
    its "today" and "this morning" are still the 16th."""
    table = from_corpus(CORPUS)
    blog = table[table["article_id"] == "interpreter-2016-12-16"]
    deictic = blog[blog["surface"].str.lower().str.contains("today|this morning|tonight|this "
                                                             "afternoon|this evening")]
    assert len(deictic) >= 10
    assert {t[:10] for t in deictic["timex3"]} == {"2016-12-16"}
    # the intervals are still built in the event zone: the morning is 04:00-12:00 Damascus
    morning = deictic[deictic["timex3"] == "2016-12-16TMO"].iloc[0]
    assert morning["value_start_utc"] == pd.Timestamp("2016-12-16 02:00Z")


def test_writer_zone_on_extract() -> None:
    late = datetime(2016, 12, 16, 23, 13, tzinfo=UTC)
    text = "Buses left this morning; talks resume today at 5pm; it rained yesterday."
    damascus = extract(text, late).set_index("surface")["timex3"]
    london = extract(text, late, writer_tz="Europe/London").set_index("surface")["timex3"]
    assert damascus["this morning"] == "2016-12-17TMO"
    assert london["this morning"] == "2016-12-16TMO"
    assert london["yesterday"] == "2016-12-15"
    # a clock time without a zone is still read in the event zone, on the writer's day
    assert london["today at 5pm"] == "2016-12-16T17:00"
    assert extract(text, late, writer_tz="Europe/London").equals(
        extract(text, late, local_tz="Asia/Damascus", writer_tz=ZoneInfo("Europe/London")))


def test_from_corpus_zones_from_story() -> None:
    corpus = _corpus()
    corpus.story = {"event_timezone": "America/New_York"}
    corpus.articles["timezone"] = ["America/New_York", None]
    by = from_corpus(corpus).set_index("timex_id")
    # 12:09Z on the 16th is 07:09 in New York: the same day; the writer zone of a2 falls back
    # to the story's, where 01:30Z on the 17th is still the evening of the 16th
    assert by.loc["a1-s001-t00", "timex3"] == "2016-12-16TMO"
    assert by.loc["a2-s000-t00", "timex3"] == "2016-12-16TMO"
    row = by.loc["a1-s001-t00"]
    assert row["value_start_utc"] == pd.Timestamp("2016-12-16 09:00Z")  # 04:00 in New York


# (text, anchor, surface, kind, timex3)
CASES = [
    ("Clashes resumed on Thursday.", FRI, "Thursday", "date", "2016-12-15"),
    ("SANA reported on Friday that buses left.", FRI, "Friday", "date", "2016-12-16"),
    ("Talks will resume on Monday.", FRI, "Monday", "date", "2016-12-19"),
    ("It happened last Monday.", FRI, "last Monday", "date", "2016-12-12"),
    ("They meet next Tuesday.", FRI, "next Tuesday", "date", "2016-12-20"),
    ("On Tuesday evening the bus left.", WED, "Tuesday evening", "part_of_day", "2016-12-13TEV"),
    ("They clashed on Tuesday night.", WED, "Tuesday night", "part_of_day", "2016-12-13TNI"),
    ("Fighting eased on Thursday morning.", FRI, "Thursday morning", "part_of_day",
     "2016-12-15TMO"),
    ("The convoy left early this morning.", FRI, "early this morning", "part_of_day",
     "2016-12-16TMO"),
    ("More buses are due this afternoon.", FRI, "this afternoon", "part_of_day",
     "2016-12-16TAF"),
    ("Shelling was heard tonight.", FRI, "tonight", "part_of_day", "2016-12-16TNI"),
    ("Shelling was heard last night.", FRI, "last night", "part_of_day", "2016-12-15TNI"),
    ("It was agreed yesterday.", FRI, "yesterday", "date", "2016-12-15"),
    ("It was agreed earlier today.", FRI, "earlier today", "date", "2016-12-16"),
    ("It starts tomorrow.", FRI, "tomorrow", "date", "2016-12-17"),
    ("Published 16/12/2016.", FRI, "16/12/2016", "date", "2016-12-16"),
    ("Posted 14 December, 2016 by staff.", FRI, "14 December, 2016", "date", "2016-12-14"),
    ("A deal was struck on December 15.", FRI, "December 15", "date", "2016-12-15"),
    ("A deal was struck on 2016-12-15.", FRI, "2016-12-15", "date", "2016-12-15"),
    ("Dec 16, 2016 23:13 (GMT)", FRI, "Dec 16, 2016 23:13 (GMT)", "time", "2016-12-16T23:13"),
    ("Monday, December 12, 2016", FRI, "Monday, December 12, 2016", "date", "2016-12-12"),
    ("The bus left at 12:30 GMT.", FRI, "12:30 GMT", "time", "2016-12-16T12:30"),
    ("It left at about 12:30 GMT.", FRI, "about 12:30 GMT", "time", "2016-12-16T12:30"),
    ("Buses leave at 5am local time.", WED, "5am local time", "time", "2016-12-14T05:00"),
    ("Buses leave at 5 a.m.", WED, "5 a.m.", "time", "2016-12-14T05:00"),
    ("The vote was held on Friday at 3pm.", FRI, "Friday at 3pm", "time", "2016-12-16T15:00"),
    ("He was seen at noon.", FRI, "noon", "time", "2016-12-16T12:00"),
    ("It fell this week.", WED, "this week", "date", "2016-W50"),
    ("It fell last week.", WED, "last week", "date", "2016-W49"),
    ("It will open next month.", WED, "next month", "date", "2017-01"),
    ("It closed last year.", WED, "last year", "date", "2015"),
    ("As reported earlier this month.", FRI, "earlier this month", "date", "2016-12"),
    ("The siege began in July.", FRI, "July", "date", "2016-07"),
    ("Aid arrived in March 2015.", FRI, "March 2015", "date", "2015-03"),
    ("The war began in 2011.", FRI, "2011", "date", "2011"),
    ("Aleppo was a trading hub in the 1990s.", FRI, "the 1990s", "date", "199"),
    ("They fled two days ago.", FRI, "two days ago", "date", "2016-12-14"),
    ("They fled three years ago.", FRI, "three years ago", "date", "2013"),
    ("They arrived minutes ago.", FRI, "minutes ago", "date", "PAST_REF"),
    ("It is over now.", FRI, "now", "date", "PRESENT_REF"),
    ("Aleppo is at present quiet.", FRI, "present", "date", "PRESENT_REF"),
    ("Over 8,000 left in the last 24 hours.", FRI, "the last 24 hours", "duration", "PT24H"),
    ("In the last hour he reported.", FRI, "the last hour", "duration", "PT1H"),
    ("It may fall in the coming hours.", FRI, "the coming hours", "duration", "PTXH"),
    ("Gains over the past weeks.", FRI, "the past weeks", "duration", "PXW"),
    ("the six-year war", FRI, "six-year", "duration", "P6Y"),
    ("They stopped them for 15 minutes.", FRI, "15 minutes", "duration", "PT15M"),
    ("Resistance may end in 2-3 days.", FRI, "2-3 days", "duration", "PXD"),
    ("Wait for half an hour.", FRI, "half an hour", "duration", "PT30M"),
    ("Aid arrives every day.", FRI, "every day", "set", "P1D"),
    ("Markets open on Fridays.", FRI, "Fridays", "set", "XXXX-WXX-5"),
    ("The talks in the summer of 2015 failed.", FRI, "the summer of 2015", "date", "2015-SU"),
    ("Prices fell in the first quarter of 2016.", FRI, "the first quarter of 2016", "date",
     "2016-Q1"),
]


@pytest.mark.parametrize(("text", "anchor", "surface", "kind", "timex3"), CASES,
                         ids=[c[0][:40] for c in CASES])
def test_rules(text: str, anchor: datetime, surface: str, kind: str, timex3: str) -> None:
    df = extract(text, anchor)
    row = df[df["surface"] == surface]
    assert len(row) == 1, df[["surface", "timex3"]].to_dict("records")
    assert (row.iloc[0]["kind"], row.iloc[0]["timex3"]) == (kind, timex3)


NEGATIVES = [
    "Aleppo deal off 4 now. Army said rebels violated agreement",
    "3,000+ militants leave E. Aleppo on Day 1 of evacuation operation",
    "2 min read",
    "to the Er-Rashidin-4 district on its western outskirts",
    "over 2,300 terrorists and 2000 people left; 4,500 militants and 337 wounded",
    "a 21km humanitarian corridor; 2.5 square kilometers; 23 mm machine gun",
    "negotiations have for now been halted",
    "a six-year-old boy was wounded",
    "May I ask why? You may not.",
    "the fall of Aleppo was a turning point",
    "With 1000s Trapped",
    "the Daily Mail reported",
    "Aleppo 24 said; ISIS attacks thwarted in Moscow, 4 arrested - FSB",
    "Over 40 percent of 3,475 men, 3,137 women",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negatives(text: str) -> None:
    df = extract(text, FRI)
    assert df.empty, df[["surface", "timex3"]].to_dict("records")


def test_intervals_and_zones() -> None:
    df = extract("On Tuesday evening; at 5am local time; at 12:30 GMT; 16/12/2016", WED)
    by = df.set_index("surface")
    # 5am in Damascus (UTC+2 in December 2016) is 03:00 UTC
    assert by.loc["5am local time", "value_start_utc"] == pd.Timestamp("2016-12-14 03:00Z")
    assert by.loc["12:30 GMT", "value_start_utc"] == pd.Timestamp("2016-12-14 12:30Z")
    # a day is local midnight to midnight
    assert by.loc["16/12/2016", "value_start_utc"] == pd.Timestamp("2016-12-15 22:00Z")
    assert by.loc["16/12/2016", "value_end_utc"] == pd.Timestamp("2016-12-16 22:00Z")
    assert by.loc["16/12/2016", "anchor"] == "absolute"
    assert by.loc["Tuesday evening", "anchor"] == WED.isoformat()
    utc = extract("16/12/2016", WED, local_tz="UTC").iloc[0]
    assert utc["value_start_utc"] == pd.Timestamp("2016-12-16 00:00Z")


def test_span_ending_at_anchor() -> None:
    row = extract("in last 24 hours", FRI).iloc[0]
    assert row["value_end_utc"] == pd.Timestamp(FRI)
    assert row["value_end_utc"] - row["value_start_utc"] == timedelta(hours=24)


def test_confidence_order() -> None:
    df = extract("On 16/12/2016, on Thursday, now", FRI).set_index("surface")
    assert df.loc["16/12/2016", "confidence"] > df.loc["Thursday", "confidence"] \
        > df.loc["now", "confidence"]


def test_columns_and_empty() -> None:
    assert list(extract("nothing to see", FRI).columns[:10]) == CONTRACT
    assert list(extract("", FRI).columns) == COLUMNS
    df = extract("on Thursday", FRI)
    assert str(df["value_start_utc"].dtype) == "datetime64[ns, UTC]" or \
        df["value_start_utc"].dt.tz is not None


def test_naive_published_rejected() -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        extract("on Thursday", datetime(2016, 12, 16))


@settings(deadline=None, max_examples=150)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
       | st.lists(st.sampled_from(["on", "Thursday", "12:30", "GMT", "5", "am", "2016", "/",
                                   "12", "last", "week", "ago", "two", "days", "-", "the",
                                   "1990s", "May", ",", "Dec", "every", "now", "4"]),
                  max_size=12).map(" ".join))
def test_never_raises_and_offsets_round_trip(text: str) -> None:
    df = extract(text, FRI)
    assert list(df["start"]) == sorted(df["start"])
    for row in df.itertuples():
        assert text[row.start:row.end] == row.surface
    assert df["confidence"].between(0, 1).all()


def _corpus() -> SimpleNamespace:
    texts = {"a1": "Buses left on Thursday. Fighting resumed this morning. Share today.",
             "a2": "Dec 16, 2016 entry. The convoy was stopped this morning."}
    sentences = pd.DataFrame({
        "sentence_id": ["a1-s000", "a1-s001", "a1-s002", "a2-s000"],
        "article_id": ["a1", "a1", "a1", "a2"], "paragraph": [0, 0, 1, 0],
        "position": [0, 1, 2, 0], "start": [0, 24, 55, 20], "end": [23, 54, 67, 56],
        "kind": ["body", "body", "boilerplate", "body"],
        "entry": [None, None, None, "e1"],
        "entry_time_utc": [pd.NaT, pd.NaT, pd.NaT, pd.Timestamp("2016-12-17 01:30Z")],
    })
    sentences["text"] = [texts[a][s:e] for a, s, e in
                         zip(sentences["article_id"], sentences["start"], sentences["end"])]
    articles = pd.DataFrame({"article_id": ["a1", "a2"],
                             "published_utc": [pd.Timestamp("2016-12-16 12:09Z")] * 2})
    return SimpleNamespace(articles=articles, sentences=sentences, texts=texts)


def test_from_corpus() -> None:
    corpus = _corpus()
    df = from_corpus(corpus)
    assert list(df.columns[:3]) == ["timex_id", "article_id", "sentence_id"]
    assert set(CONTRACT) <= set(df.columns) and set(CORPUS_COLUMNS) <= set(df.columns)
    for row in df.itertuples():
        assert corpus.texts[row.article_id][row.start:row.end] == row.surface
    by = df.set_index("timex_id")
    assert by.loc["a1-s000-t00", "timex3"] == "2016-12-15"
    assert by.loc["a1-s001-t00", "timex3"] == "2016-12-16TMO"
    # the live-blog entry is anchored on its own stamp (01:30Z on the 17th = 03:30 Damascus)
    assert by.loc["a2-s000-t00", "timex3"] == "2016-12-17TMO"
    assert by.loc["a2-s000-t00", "anchor"] == "2016-12-17T01:30:00+00:00"
    assert "a1-s002" not in set(df["sentence_id"])
    assert df.equals(from_corpus(corpus))
    assert "a1-s002" in set(from_corpus(corpus, include_boilerplate=True)["sentence_id"])
    assert list(df["article_id"]) == sorted(df["article_id"])
