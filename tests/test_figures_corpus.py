"""`newslens.figures.from_corpus` on the seed corpus and on sentences built here: provenance,
which sentences are read, who a figure is credited to (hand-written gold), and its as-of time."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from newslens import figures, sources, tables, timex

GOLD = Path(__file__).parent / "gold" / "figures_attribution_seeds.csv"


@pytest.fixture(scope="module")
def tables_of(seed_corpus):
    att = sources.attribute(seed_corpus)
    return {"attributions": att, "voice": sources.voice(seed_corpus, att), "timex": timex.from_corpus(seed_corpus)}


@pytest.fixture(scope="module")
def figs(seed_corpus, tables_of):
    return figures.from_corpus(seed_corpus, **tables_of)


def test_columns_ids_and_offsets_point_back_to_the_text(seed_corpus, figs):
    assert list(figs.columns) == figures.CORPUS_COLUMNS
    assert figs["figure_id"].is_unique
    assert figs["figure_id"].str.fullmatch(r".+-s\d{4}-f\d{2}").all()
    assert (figs["figure_id"].str.rsplit("-f", n=1).str[0] == figs["sentence_id"]).all()
    for row in figs.itertuples(index=False):
        assert seed_corpus.texts[row.article_id][row.start:row.end] == row.surface
        assert row.text[row.start - row.sentence_start:row.end - row.sentence_start] == row.surface


def test_which_sentences_are_read(seed_corpus, figs):
    kinds = figs.groupby("role")["kind"].unique().to_dict()
    assert set(figs["kind"]) <= {"body", "quote", "social", "boilerplate"}
    assert list(kinds["crosslink"]) == ["boilerplate"]  # cross-links are kept, marked …
    assert set(figs.loc[figs["kind"] == "boilerplate", "role"]) == {"crosslink"}  # … and only they
    heads = figs[figs["role"] == "headline"]
    assert {"5,000", "Thousands", "4", "1000s"} <= set(heads["surface"])
    with_chrome = figures.from_corpus(seed_corpus, include_boilerplate=True)
    assert "repeated_title" in set(with_chrome["role"]) and len(with_chrome) > len(figs)


def test_tables_not_given_are_computed(seed_corpus, figs):
    assert figures.from_corpus(seed_corpus).equals(figs)


def test_deterministic(seed_corpus, tables_of, figs):
    assert figures.from_corpus(seed_corpus, **tables_of).equals(figs)


# --- attribution against the hand-written gold ---------------------------------------------------------


def _gold() -> list[dict[str, str]]:
    with open(GOLD, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _find(figs: pd.DataFrame, row: dict[str, str]) -> pd.Series:
    hits = figs[(figs["article_id"] == row["article_id"]) & figs["text"].str.startswith(row["sentence_prefix"])
                & (figs["surface"] == row["surface"])]
    assert len(hits) >= 1, f"gold figure not extracted: {row}"
    return hits.iloc[0]


def test_attribution_precision_and_recall_on_seed_gold(figs):
    gold = _gold()
    assert len(gold) >= 60
    found = [(row, _find(figs, row)) for row in gold]
    voice_right = sum(got["voice"] == row["voice"] for row, got in found)
    credited = [(row, got) for row, got in found if got["voice"] == "attributed"]
    expected = [(row, got) for row, got in found if row["voice"] == "attributed"]
    precision = sum(got["attributed_to"] == row["attributed_to"] for row, got in credited) / len(credited)
    recall = sum(got["attributed_to"] == row["attributed_to"] for row, got in expected) / len(expected)
    assert voice_right / len(found) >= 0.9
    assert precision >= 0.95, f"precision {precision:.2f}"
    assert recall >= 0.85, f"recall {recall:.2f}"


@pytest.mark.parametrize("prefix, surface, source", [
    ("Read more 3,000+", "3,000+", "Russian Defence Ministry"),  # "– Russian MoD" credits a cross-link
    ("Evacuation of 5,000", "5,000", "Russian General Staff"),   # … and a headline
    ("Over 3,000 militants", "Over 3,000", "Russian General Staff"),  # "…, Poznikhir … said Thursday"
    ("At present, the militants", "2.5 square kilometers", "Russian Reconciliation Center"),  # "…, according to X."
    ("As we reported earlier, a convoy", "some 900", "The Interpreter"),  # "according to some sources" is about another clause
    ("With 1000s Trapped", "1000s", "The Interpreter"),  # "Russia Says X" credits only X
])
def test_must_not_change_attributions(figs, prefix, surface, source):
    row = figs[figs["text"].str.startswith(prefix) & (figs["surface"] == surface)].iloc[0]
    assert row["attributed_to"] == source


def test_a_nested_source_is_preferred_to_its_carrier():
    articles, sentences = _one_sentence("RIA Novosti cited a source at the Syrian Army headquarters as saying 300 fighters had left.")
    corpus = tables.from_tables(articles, sentences)
    att = sources.attribute(corpus)
    assert {"RIA Novosti", "Syrian Army"} <= set(att["source"])
    got = figures.from_corpus(corpus, attributions=att)
    assert got.loc[0, "attributed_to"] == "Syrian Army" and got.loc[0, "voice"] == "attributed"


def test_without_any_source_the_outlet_states_it():
    articles, sentences = _one_sentence("Some 300 fighters had left by noon.")
    got = figures.from_corpus(tables.from_tables(articles, sentences))
    assert (got.loc[0, "attributed_to"], got.loc[0, "voice"], got.loc[0, "source_type"]) == ("Test Wire", "stated", "outlet")


def _one_sentence(text: str, *, entry_time=pd.NaT):
    articles = pd.DataFrame({"article_id": ["t1"], "outlet": ["Test Wire"],
                             "published_utc": [pd.Timestamp("2016-12-16T12:00:00Z")], "timezone": [""]})
    sentences = pd.DataFrame({"sentence_id": ["t1-s0000"], "article_id": ["t1"], "paragraph": [0], "position": [0],
                              "start": [0], "end": [len(text)], "kind": ["body"], "role": ["text"], "text": [text],
                              "entry": [0], "entry_time_utc": pd.Series([entry_time], dtype="datetime64[ns, UTC]")})
    return articles, sentences


# --- as-of time ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix, surface, basis, day", [
    ("Media sources said on Friday morning", "at least 8,079", "sentence", "2016-12-16"),
    ("A total of over 2300", "over 2300", "sentence", "2016-12-15"),   # "on Thursday"
    ("A total of over 9,500", "over 9,500", "published", "2016-12-16"),  # "since … Thursday" is a start
    ("Around 60,000", "Around 60,000", "published", "2016-12-14"),  # "this week" is too coarse
    ("About 20 vehicles", "About 20", "entry", "2016-12-16"),         # live-blog entry stamped 16:45 GMT
    ("As we reported earlier, a convoy", "some 900", "entry", "2016-12-16"),  # 23:13 GMT, a London blog's day
])
def test_as_of_time_and_its_basis(figs, prefix, surface, basis, day):
    row = figs[figs["text"].str.startswith(prefix) & (figs["surface"] == surface)].iloc[0]
    assert (row["time_ref_basis"], row["as_of_date"]) == (basis, day)
    assert (row["time_ref_surface"] != "") == (basis == "sentence")


def test_entry_time_is_the_fallback_before_publication():
    articles, sentences = _one_sentence("Some 300 fighters had left.", entry_time=pd.Timestamp("2016-12-16T13:45:00Z"))
    got = figures.from_corpus(tables.from_tables(articles, sentences))
    assert got.loc[0, "time_ref_basis"] == "entry" and got.loc[0, "time_ref"] == pd.Timestamp("2016-12-16T13:45:00Z")


def test_stored_claims_match_the_seed_findings(figs, seed_corpus, tables_of):
    disputes = sources.disputes(seed_corpus, tables_of["attributions"])
    c = figures.compare(figs, disputes=disputes, reference=figures.load_reference()).set_index(["claim_id", "outlet"])
    assert c.loc[("convoy_size@2016-12-16", "The Interpreter"), "disputes_source"]
    assert c.loc[("people_evacuated@2016-12-16", "RT"), "reference"].startswith("6,462")
    inc = figures.inconsistencies(figs)
    assert {"breakdown does not add up", "same claim, different values", "headline and lead differ"} <= set(inc["kind"])
    fars = inc[inc["kind"] == "breakdown does not add up"].iloc[0]
    assert fars["article_id"] == "fars-2016-12-17" and fars["difference"] == 892


def test_a_corpus_without_analysed_sentences_gives_the_empty_table(seed_corpus, tables_of):
    import dataclasses

    empty = dataclasses.replace(seed_corpus, sentences=seed_corpus.sentences.iloc[:0])
    out = figures.from_corpus(empty, **tables_of)
    assert out.empty and list(out.columns) == figures.CORPUS_COLUMNS
    assert str(out["time_ref"].dtype).endswith("UTC]") and out["start"].dtype == "int64"
