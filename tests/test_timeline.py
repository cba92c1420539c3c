"""Timeline: the event lexicon, trigger matching, time attachment, comparisons, the documented
record, the seeds against hand-written gold, and the charts (rendered offline)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from newslens import _prefilter, charts, sources, timeline, timeline_lexicon, timex
from newslens import timeline_views as tv
from newslens.lexicons import LexiconError

GOLD = Path(__file__).parent / "gold" / "events_seeds.csv"
TZ = "Asia/Damascus"
UTC = pd.Timestamp("2016-12-16T12:00Z")


# --- the lexicon -------------------------------------------------------------------------------


def test_shipped_lexicon_has_the_event_types_of_the_story():
    names = set(timeline.load_lexicon().labels())
    assert {"agreement", "evacuation_began", "convoy_left", "evacuation_halted", "convoy_turned_back",
            "ceasefire_violated", "attack", "detention_execution", "completion_claim",
            "evacuation_resumed", "evacuation_planned"} <= names


BAD_LEXICONS = [
    ("types:\n  a:\n    triggers: [x]\n    colour: red\n", 4, "unknown key 'colour'"),
    ("types:\n  a:\n    triggers: []\n", 3, "non-empty list"),
    ("types:\n  a:\n    triggers: ['x']\n  b:\n    triggers:\n      - 'y'\n      - 'X'\n", 7, "both 'a' and 'b'"),
    ("types:\n  a:\n    triggers:\n      - '... halted'\n", 4, "cannot start or end"),
    ("types:\n  a:\n    triggers:\n      - '(stopped|'\n", 4, "cannot read"),
    ("types:\n  a:\n    triggers: ['x']\nnegations: [no]\n", 4, "unknown top-level key"),
    ("kinds: {}\n", 1, "no `types:`"),
]


@pytest.mark.parametrize("text,line,what", BAD_LEXICONS)
def test_bad_lexicon_errors_name_the_line(tmp_path, text, line, what):
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        timeline.load_lexicon(path)
    assert err.value.line == line and what in str(err.value)


TRIGGERS = [
    ("halt*", "the evacuation was halted", True),
    ("halt*", "asphalt", False),
    ("turn* ... back", "militias turned evacuees back", True),
    ("turn* ... back", "turned back", True),
    ("turn* ... back", "turned. Back", False),
    ("agreement [was] reached", "agreement reached", True),
    ("agreement [was] reached", "an agreement was reached", True),
    ("[has|have] left (aleppo|the)", "left the district", True),
    ("[has|have] left (aleppo|the)", "has left Aleppo", True),
    ("deal off", "Aleppo deal off 4 now", True),
    ("deal off", "ideal offer", False),
]


@pytest.mark.parametrize("trigger,text,hit", TRIGGERS)
def test_trigger_syntax(trigger, text, hit):
    assert bool(re.search(timeline.trigger_regex(trigger), text, re.I)) is hit


FIND = [
    ("the evacuation expected to begin early this morning", ["evacuation_planned"]),
    ("The pullout has begun in eastern Aleppo.", ["evacuation_began"]),
    ("regime forces have begun piling up rubble to block evacuation routes", ["evacuation_halted"]),
    ("if detainees not released mil ops will resume", ["detention_execution"]),
    ("left the district only to be turned back shortly after, said the bus driver",
     ["convoy_left", "convoy_turned_back"]),
    ("Talks about the weather.", []),
]


@pytest.mark.parametrize("text,types", FIND)
def test_find_triggers_longest_match_context_and_exclusions(text, types):
    found = timeline.find_triggers(text, timeline.load_lexicon())
    assert [t for _, _, t, _ in found] == types


# --- events on a corpus built by hand (exact values) -------------------------------------------


def _corpus(sentences: list[tuple[str, str, str, object]]) -> SimpleNamespace:
    """One article 'a1' of the given (kind, role, text, entry time) sentences."""
    texts, rows, at = [], [], 0
    for pos, (kind, role, text, entry) in enumerate(sentences):
        rows.append({"sentence_id": f"a1-s{pos:04d}", "article_id": "a1", "start": at, "end": at + len(text),
                     "kind": kind, "role": role, "entry_time_utc": pd.Timestamp(entry) if entry else pd.NaT})
        texts.append(text)
        at += len(text) + 1
    articles = pd.DataFrame([{"article_id": "a1", "outlet": "Outlet A", "published_utc": UTC,
                              "published_precision": "minute"}])
    sents = pd.DataFrame(rows)
    sents["entry_time_utc"] = pd.to_datetime(sents["entry_time_utc"], utc=True)
    return SimpleNamespace(articles=articles, sentences=sents, texts={"a1": " ".join(texts)})


def _timex(corpus, rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """A timex table built by hand: (surface, kind, granularity, start_utc, end_utc) per row,
    located in the corpus text (exact values, whatever the extractor does today)."""
    text, out = corpus.texts["a1"], []
    for k, (surface, kind, gran, lo, hi) in enumerate(rows):
        at = text.index(surface)
        sent = corpus.sentences[(corpus.sentences["start"] <= at) & (corpus.sentences["end"] > at)].iloc[0]
        out.append({"timex_id": f"{sent['sentence_id']}-t{k:02d}", "article_id": "a1",
                    "sentence_id": sent["sentence_id"], "start": at, "end": at + len(surface),
                    "surface": surface, "kind": kind, "granularity": gran, "anchor": UTC.isoformat(),
                    "value_start_utc": pd.Timestamp(lo) if lo else pd.NaT,
                    "value_end_utc": pd.Timestamp(hi) if hi else pd.NaT})
    frame = pd.DataFrame(out, columns=["timex_id", "article_id", "sentence_id", "start", "end", "surface",
                                       "kind", "granularity", "anchor", "value_start_utc", "value_end_utc"])
    for col in ("value_start_utc", "value_end_utc"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def test_attachment_prefers_same_clause_then_dates_then_nearest():
    c = _corpus([("body", "text", "The convoy was stopped on Tuesday evening, but talks resumed on Wednesday.", None),
                 ("body", "text", "Over the last 24 hours, the evacuation was halted on Friday, daily.", None)])
    ev = timeline.events(c, _timex(c, [
        ("Tuesday evening", "part_of_day", "part_of_day", "2016-12-13T15:00Z", "2016-12-13T19:00Z"),
        ("Wednesday", "date", "day", "2016-12-13T22:00Z", "2016-12-14T22:00Z"),
        ("the last 24 hours", "duration", "hour", "2016-12-15T12:00Z", "2016-12-16T12:00Z"),
        ("Friday", "date", "day", "2016-12-15T22:00Z", "2016-12-16T22:00Z"),
        ("daily", "set", "set", "", ""),
    ]))
    stopped = ev[ev["event_type"] == "convoy_turned_back"].iloc[0]
    assert stopped["time_surface"] == "Tuesday evening" and stopped["precision"] == "part_of_day"
    halted = ev[ev["event_type"] == "evacuation_halted"].iloc[0]
    assert halted["time_surface"] == "Friday" and halted["precision"] == "day"
    assert halted["event_start_utc"] == pd.Timestamp("2016-12-15T22:00Z")


def test_fallback_to_report_time_and_live_blog_entry_stamp():
    c = _corpus([("body", "headline", "Evacuation Halted", None),
                 ("body", "text", "Militias turned the convoy back.", "2016-12-16T13:45Z"),
                 ("boilerplate", "stamp", "Evacuation halted 13:45", None)])
    ev = timeline.events(c, _timex(c, []))
    assert list(ev["event_id"]) == ["a1-s0000-e00", "a1-s0001-e00"]
    assert list(ev["role"]) == ["headline", "text"]
    assert (ev["precision"] == "report").all() and ev["timex_id"].eq("").all()
    assert ev["report_time_utc"].tolist() == [UTC, pd.Timestamp("2016-12-16T13:45Z")]
    assert (ev["event_start_utc"] == ev["report_time_utc"]).all()
    assert ev["voice"].eq("unknown").all()


def test_denial_is_kept_and_flagged_and_voice_comes_from_attributions():
    c = _corpus([("body", "text", "The ministry denied that evacuees were killed.", None),
                 ("body", "text", "Four people were executed minutes ago.", None)])
    att = pd.DataFrame(
        [{"sentence_id": "a1-s0000", "article_id": "a1", "source": "Ministry", "source_type": "x",
          "cue": "denied", "start": 4, "end": 12, "nested_in": None}])
    open_interval = ("minutes ago", "date", "minute", "", "2016-12-16T12:00Z")  # no start: never attached
    ev = timeline.events(c, _timex(c, [open_interval]), attributions=att)
    assert ev["precision"].tolist() == ["report", "report"]
    assert ev["negated"].tolist() == [True, False]
    assert ev["source"].tolist() == ["Ministry", "Outlet A"]
    assert ev["voice"].tolist() == ["attributed", "stated"]
    assert timeline.compare(ev)["mentions"].tolist() == [1]


def test_events_are_deterministic_with_unique_ids(seed_corpus):
    tx = timex.from_corpus(seed_corpus)
    a, b = timeline.events(seed_corpus, tx), timeline.events(seed_corpus, tx)
    pd.testing.assert_frame_equal(a, b)
    assert a["event_id"].is_unique and list(a.columns) == timeline.EVENT_COLUMNS
    assert not a["kind"].eq("boilerplate").any()


# --- compare and the documented record (known answers) -----------------------------------------


def _ev(outlet: str, etype: str, start: str, end: str, precision: str = "day", negated: bool = False) -> dict:
    return {"outlet": outlet, "event_type": etype, "event_start_utc": pd.Timestamp(start),
            "event_end_utc": pd.Timestamp(end), "precision": precision, "negated": negated,
            "event_id": f"{outlet}-{etype}-{start}"}


KNOWN = pd.DataFrame([
    _ev("A", "halted", "2016-12-16T02:00Z", "2016-12-16T10:00Z", "part_of_day"),
    _ev("A", "halted", "2016-12-16T12:00Z", "2016-12-16T12:00Z", "report"),
    _ev("B", "halted", "2016-12-16T22:00Z", "2016-12-17T22:00Z"),
    _ev("C", "halted", "2016-12-15T22:00Z", "2016-12-16T22:00Z"),
    _ev("C", "halted", "2016-12-18T00:00Z", "2016-12-18T01:00Z", "hour", negated=True),
    _ev("D", "halted", "2016-12-16T12:00Z", "2016-12-16T12:00Z", "report"),
])


def test_compare_known_answer():
    out = timeline.compare(KNOWN).set_index("outlet")
    assert out.loc["A", "mentions"] == 2 and out.loc["A", "timed_mentions"] == 1
    assert out.loc["A", "precision"] == "part_of_day"
    assert out.loc["A", "latest_utc"] == pd.Timestamp("2016-12-16T10:00Z")  # report time left out
    assert out.loc["A", "disagrees_with"] == "B" and out.loc["B", "disagrees_with"] == "A"
    assert out.loc["C", "mentions"] == 1 and not out.loc["C", "disagreement"]  # the denial is left out
    assert out.loc["D", "precision"] == "report" and not out.loc["D", "disagreement"]


def test_against_reference_known_answer():
    ref = pd.DataFrame([
        {"ref_id": "r02", "event_type": "halted;other", "start_utc": pd.Timestamp("2016-12-16T07:00Z"),
         "end_utc": pd.Timestamp("2016-12-16T10:00Z"), "precision": "part_of_day", "event": "halt", "confidence": "high"},
        {"ref_id": "r03", "event_type": "halted", "start_utc": pd.Timestamp("2016-12-22T18:00Z"),
         "end_utc": pd.Timestamp("2016-12-22T19:00Z"), "precision": "hour", "event": "later", "confidence": "high"},
    ])
    out = timeline.against_reference(KNOWN, ref).set_index("teller")
    assert out.loc["A", "offset_hours"] == 0 and out.loc["A", "ref_id"] == "r02"
    assert out.loc["B", "offset_hours"] == 12.0 and not out.loc["B", "matches_record"]
    assert out.loc["D", "offset_hours"] == 2.0
    record = out.loc[timeline.REFERENCE]
    # one row per documented event and type; 'other' has no outlet version but stays listed
    assert sorted(zip(record["ref_id"], record["event_type"])) == [("r02", "halted"), ("r02", "other"), ("r03", "halted")]


def test_shipped_reference_loads_and_keeps_its_original_columns():
    ref = timeline.load_reference()
    assert {"date_local", "event", "sources", "urls", "confidence", "event_type", "start_utc", "end_utc",
            "precision", "figure_entity", "figure_value_low", "figure_value_high"} <= set(ref.columns)
    assert (ref["end_utc"] > ref["start_utc"]).all()
    assert ref["ref_id"].is_unique


def test_bad_reference_row_is_named_by_line(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("event,event_type,start_utc,end_utc,precision\nx,agreement,2016-12-13T15:00Z,2016-12-13T17:00Z,hour\n"
                    "y,made_up,2016-12-13T15:00Z,2016-12-13T17:00Z,hour\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        timeline.load_reference(path)
    assert err.value.line == 3 and "made_up" in str(err.value)


# --- the seeds against hand-written gold -------------------------------------------------------


@pytest.fixture(scope="module")
def seed_events(seed_corpus):
    return timeline.events(seed_corpus, timex.from_corpus(seed_corpus),
                           attributions=sources.attribute(seed_corpus))


@pytest.fixture(scope="module")
def gold():
    return pd.read_csv(GOLD, dtype=str, keep_default_na=False)


def _match(events: pd.DataFrame, row) -> pd.DataFrame:
    return events[(events["article_id"] == row.article_id) & (events["event_type"] == row.event_type)
                  & events["text"].str.contains(row.hint, regex=False)]


def _days(ev: pd.Series) -> set[str]:
    a = ev["event_start_utc"].tz_convert(TZ)
    b = max(ev["event_end_utc"].tz_convert(TZ), a + pd.Timedelta(seconds=1))
    return {d.strftime("%Y-%m-%d") for d in pd.date_range(a.normalize(), b - pd.Timedelta(seconds=1), freq="D")}


def test_gold_hints_point_at_one_sentence_each(seed_corpus, gold):
    texts = seed_corpus.sentences.assign(text=[seed_corpus.texts[a][s:e] for a, s, e in
                                               zip(seed_corpus.sentences["article_id"], seed_corpus.sentences["start"],
                                                   seed_corpus.sentences["end"])])
    for row in gold.itertuples(index=False):
        hits = texts[(texts["article_id"] == row.article_id) & texts["text"].str.contains(row.hint, regex=False)]
        assert len(hits) == 1, row.hint


def test_recall_and_precision_against_gold(seed_events, gold):
    found = [len(_match(seed_events, r)) > 0 for r in gold.itertuples(index=False)]
    recall = sum(found) / len(found)
    in_gold_sentences = seed_events[[any(h in t for h in gold.loc[gold["article_id"] == a, "hint"])
                                     for a, t in zip(seed_events["article_id"], seed_events["text"])]]
    allowed = {(r.hint, r.event_type) for r in gold.itertuples(index=False)}
    correct = [any((h, e) in allowed for h in gold["hint"] if h in t)
               for t, e in zip(in_gold_sentences["text"], in_gold_sentences["event_type"])]
    precision = sum(correct) / len(correct)
    missed = [r.hint + " / " + r.event_type for r, f in zip(gold.itertuples(index=False), found) if not f]
    assert recall >= 0.9, missed
    assert precision >= 0.85


def test_event_days_agree_with_gold_except_known_issues(seed_events, gold):
    checked, agree, wrong = 0, 0, []
    for row in gold[gold["known_issue"] == ""].itertuples(index=False):
        hits = _match(seed_events, row)
        if hits.empty:
            continue
        checked += 1
        if any(row.day in _days(ev) for _, ev in hits.iterrows()):
            agree += 1
        else:
            wrong.append(row.hint)
    # The timex extractor is being improved: a tolerance, not an exact count.
    assert checked >= 30 and agree / checked >= 0.85, wrong


def test_stale_deictics_in_the_fars_compilation_are_visible(seed_events, gold, seed_corpus):
    stale = gold[gold["known_issue"] == "stale_deictic"]
    for row in stale.itertuples(index=False):
        hits = _match(seed_events, row)
        assert not hits.empty and all(row.day not in _days(ev) for _, ev in hits.iterrows())
    table = tv.deictic_events(seed_events, seed_corpus.articles.assign(
        republished_from=seed_corpus.articles["republished_from"]), tz=TZ)
    assert {"minutes ago", "today"} <= set(", ".join(table["deictic"]).split(", "))


# --- chart-ready tables and charts --------------------------------------------------------------


def _symbols(svg: str) -> int:
    groups = re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)
    return sum(g.count("<path") for g in groups)


def test_timeline_chart_draws_one_symbol_per_mark(seed_events):
    labels = timeline.load_lexicon().labels()
    ref = timeline.load_reference()
    table = tv.timeline_table(seed_events, ref, labels, tz=TZ)
    assert len(table) < charts.MAX_ROWS and (table["track"] == timeline.REFERENCE).any()
    svg = charts.to_svg(tv.timeline_chart(table, labels, tz=TZ))
    assert _symbols(svg) == len(table)
    assert f"event time ({TZ}, UTC+2)" in svg


def test_lag_and_versions_charts_render(seed_events):
    labels = timeline.load_lexicon().labels()
    lags = tv.lag_table(seed_events, tz=TZ)
    assert _symbols(charts.to_svg(tv.lag_chart(lags, tz=TZ))) == len(lags)
    versions = tv.versions_table(seed_events, timeline.load_reference(), labels, tz=TZ)
    assert _symbols(charts.to_svg(tv.versions_chart(versions, labels, tz=TZ))) == len(versions)


WHEN = [
    ("2016-12-15T22:00Z", "2016-12-16T22:00Z", "day", "Fri 16 Dec"),
    ("2016-12-16T02:00Z", "2016-12-16T10:00Z", "part_of_day", "Fri 16 Dec 04:00–12:00"),
    ("2016-12-15T12:30Z", "2016-12-15T12:31Z", "minute", "Thu 15 Dec 14:30"),
    ("2016-12-16T12:09Z", "2016-12-16T12:09Z", "report", "not stated (reported Fri 16 Dec 14:09)"),
]


@pytest.mark.parametrize("start,end,precision,label", WHEN)
def test_when_labels_in_the_display_zone(start, end, precision, label):
    assert tv.when(pd.Timestamp(start), pd.Timestamp(end), precision, TZ) == label


def test_sentences_for_an_event_type_are_in_time_order(seed_events):
    table = tv.sentences_for(seed_events, "evacuation_halted", tz=TZ)
    assert list(table.columns) == tv.SENTENCE_COLUMNS and len(table) >= 5
    order = seed_events.set_index("event_id").loc[table["event_id"], "event_start_utc"]
    assert order.is_monotonic_increasing


# --- prefilters: skipping patterns that cannot match changes nothing ---------------------------

TRICKY = ["Evacuation HALTED after İt began", "the ſhelling resumed", "convoys were turned\u00a0back",
          "Aleppo’s evacuation has begun", "no-one denied the ceasefire-violations", "re-started evacuations"]


def test_trigger_prefilter_never_skips_a_pattern_that_matches(seed_corpus):
    lex = timeline.load_lexicon()
    any_of = [p for t in lex.types for p in (t.context, t.exclude) if p is not None] + [lex.negation]
    for text in [_prefilter.fold(t) for t in seed_corpus.sentences["text"]] + [_prefilter.fold(t) for t in TRICKY]:
        words = _prefilter.Words(text)
        live = lex.live_triggers(words)
        for ti, etype in enumerate(lex.types):
            matching = [gi for gi, (_, p) in enumerate(etype.triggers) if p.search(text)]
            assert set(matching) <= set(live.get(ti, [])), (etype.name, text)
        assert all(timeline_lexicon.may_match(p, words) for p in any_of if p.search(text)), text
