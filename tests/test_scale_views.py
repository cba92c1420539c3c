"""The corpus and sources notebooks at scale: views read through `Dataset` give what the plain
per-row code gives, stay bounded above their thresholds, and are unchanged below them."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from newslens import charts, pipeline, sourcing, summary
from newslens.dataset import ENGINES, Dataset
from newslens.sourcing import OWN_VOICE, UNIDENTIFIED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402  (the benchmark corpus generator)

N_ARTICLES = 90  # above summary.MAX_ARTICLE_BARS and sourcing.MAX_MAP_ARTICLES


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    raw = make_corpus.write(N_ARTICLES, tmp_path_factory.mktemp("gen") / "raw", seed=11, words=400)
    out = tmp_path_factory.mktemp("processed")
    pipeline.build(raw, out, workers=1, chunk_size=30)
    return out


@pytest.fixture(scope="module")
def tables(processed):
    data = Dataset(processed)
    return {name: data.table(name) for name in ("articles", "sentences", "voice", "attributions", "disputes", "figures")}


# Plain per-row versions of the views, as they were written for five articles ----------------

def plain_sentence_profile(sentences, voice, attributions, articles, by="outlet"):
    sent = sentences[sentences["kind"].isin(summary.TEXT_KINDS) & sentences["article_id"].isin(articles["article_id"])]
    rows = sent[["sentence_id", "article_id"]].merge(voice[["sentence_id", "voice"]], on="sentence_id", how="left")
    types = attributions.drop_duplicates(["sentence_id", "source_type"])[["sentence_id", "source_type"]]
    types = types.assign(weight=1 / types.groupby("sentence_id")["source_type"].transform("size"))
    rows = rows.merge(types, on="sentence_id", how="left")
    cited = rows["voice"].eq("attributed")
    rows["category"] = np.where(cited, rows["source_type"].fillna(UNIDENTIFIED), OWN_VOICE)
    rows["weight"] = np.where(cited, rows["weight"].fillna(1.0),
                              1.0 / rows.groupby("sentence_id")["sentence_id"].transform("size"))
    rows[by] = rows["article_id"].map(articles.set_index("article_id")[by])
    return sourcing._shares(rows, by=by, value="sentences")


def plain_figure_categories(figures, attributions, types):
    here = attributions.drop_duplicates(["sentence_id", "source"]).set_index(["sentence_id", "source"])["source_type"]
    anywhere = attributions.drop_duplicates("source").set_index("source")["source_type"]
    cats = []
    for sid, source, voice in zip(figures["sentence_id"], figures["attributed_to"], figures["voice"]):
        if pd.isna(source) or not str(source).strip():
            cats.append(UNIDENTIFIED if voice == "attributed" else OWN_VOICE)
        elif voice == "stated":
            cats.append(OWN_VOICE)
        else:
            cats.append(here.get((sid, source)) or anywhere.get(source) or types.get(source) or "unknown")
    return cats


# Sources ---------------------------------------------------------------------------------------

def test_sentence_profile_equals_the_per_row_version(tables):
    t = tables
    chosen = sourcing.select(t["articles"])
    expected = plain_sentence_profile(t["sentences"], t["voice"], t["attributions"], chosen)
    pdt.assert_frame_equal(sourcing.sentence_profile(t["sentences"], t["voice"], t["attributions"], chosen), expected)
    # voice rows in another order than the sentences: looked up, same result
    shuffled = t["voice"].sample(frac=1, random_state=3).reset_index(drop=True)
    pdt.assert_frame_equal(sourcing.sentence_profile(t["sentences"], shuffled, t["attributions"], chosen), expected)


def test_sentence_profile_is_one_row_per_outlet_and_category(tables):
    t = tables
    profile = sourcing.sentence_profile(t["sentences"], t["voice"], t["attributions"], sourcing.select(t["articles"]))
    assert not profile.duplicated(["outlet", "category"]).any()
    assert len(profile) <= t["articles"]["outlet"].nunique() * len(sourcing.CATEGORIES)
    assert profile.groupby("outlet")["share"].sum().round(3).eq(1).all()


def test_figure_profile_equals_the_per_row_version(tables):
    t = tables
    chosen = sourcing.select(t["articles"])
    types = {"SANA": "Syrian government/state media"}
    figures = t["figures"].copy()
    figures.loc[figures.index[:5], "attributed_to"] = [None, "", "  ", "SANA", "nobody at all"]
    figures.loc[figures.index[:5], "voice"] = "attributed"
    got = sourcing.figure_profile(figures, t["attributions"], chosen, types=types)
    rows = pd.DataFrame({"outlet": figures["article_id"].map(chosen.set_index("article_id")["outlet"]),
                         "category": plain_figure_categories(figures, t["attributions"], types), "weight": 1.0})
    pdt.assert_frame_equal(got, sourcing._shares(rows, by="outlet", value="figures"))


def test_source_matrix_reads_examples_through_the_dataset(processed, tables):
    t = tables
    chosen = sourcing.select(t["articles"])
    from_frame = sourcing.source_matrix(t["attributions"], t["sentences"], chosen)
    for engine in ENGINES:
        pdt.assert_frame_equal(sourcing.source_matrix(t["attributions"], Dataset(processed, engine), chosen), from_frame)
    first = from_frame.iloc[0]
    cited = t["attributions"][(t["attributions"]["source"] == first.source)
                              & t["attributions"]["article_id"].map(chosen.set_index("article_id")["outlet"]).eq(first.outlet)]
    assert first.sentences == cited["sentence_id"].nunique()
    assert first.example == t["sentences"].set_index("sentence_id").loc[cited["sentence_id"].min(), "text"][:200]


def test_source_matrix_keeps_the_most_cited_sources(tables, capsys):
    t = tables
    chosen = sourcing.select(t["articles"])
    full = sourcing.source_matrix(t["attributions"], t["sentences"], chosen)
    assert capsys.readouterr().out == ""
    bounded = sourcing.source_matrix(t["attributions"], t["sentences"], chosen, max_sources=5, max_outlets=4)
    note = capsys.readouterr().out
    assert f"{full['source'].nunique()} sources in all; the 5 with the most sentences" in note
    assert "outlets in all; the 4 with the most sentences" in note
    assert bounded["source"].nunique() == 5 and bounded["outlet"].nunique() == 4
    top = full.groupby("source")["total"].first().sort_values(ascending=False)
    assert set(bounded["source"]) <= set(top.index[:10])
    assert bounded["total"].min() >= top.iloc[5:].max()  # nothing cited more was left out
    kept = full.merge(bounded[["source", "outlet"]])
    pdt.assert_frame_equal(bounded, kept, check_like=True)


def test_disputes_table_reads_the_text_of_the_rows_shown(processed, tables):
    t = tables
    chosen = sourcing.select(t["articles"])
    full = sourcing.disputes_table(t["disputes"], t["sentences"], chosen)
    for engine in ENGINES:
        shown = sourcing.disputes_table(t["disputes"], Dataset(processed, engine), chosen, n=7)
        pdt.assert_frame_equal(shown, full.head(7))
    assert full["sentence"].notna().all()


def test_dispute_counts_add_up(tables):
    t = tables
    counts = sourcing.dispute_counts(t["disputes"], sourcing.select(t["articles"]))
    assert counts["disputes"].sum() == len(t["disputes"])
    assert counts["disputes"].is_monotonic_decreasing
    assert counts["first"].isin(t["disputes"]["sentence_id"]).all()


def test_sanity_holds_on_a_build_and_in_any_row_order(tables):
    t = tables
    reuse = pd.DataFrame(columns=["article_a", "article_b", "start_a", "end_a", "text_a"])
    checks = sourcing.sanity(t["sentences"], t["attributions"], t["voice"], t["disputes"], reuse)
    assert checks["holds"].all()
    shuffled = sourcing.sanity(t["sentences"].sample(frac=1, random_state=1), t["attributions"],
                               t["voice"].sample(frac=1, random_state=2), t["disputes"], reuse)
    assert shuffled["holds"].all()
    twice = sourcing.sanity(t["sentences"], t["attributions"], pd.concat([t["voice"], t["voice"].head(1)]),
                            t["disputes"], reuse)
    assert not twice.set_index("check").loc["every sentence has exactly one voice", "holds"]


def test_scope_reads_only_the_chosen_articles(processed, tables):
    t = tables
    data = Dataset(processed)
    assert sourcing.scope(sourcing.select(t["articles"]), t["articles"]) is None
    chosen = sourcing.select(t["articles"], outlets=["RT", "TASS"])
    where = sourcing.scope(chosen, t["articles"])
    attributions = data.table("attributions", columns=sourcing.COLUMNS["attributions"], where=where)
    assert set(attributions["article_id"]) <= set(chosen["article_id"])
    full = sourcing.sentence_profile(t["sentences"], t["voice"], t["attributions"], chosen)
    read = sourcing.sentence_profile(data.table("sentences", columns=sourcing.COLUMNS["sentences"], where=where),
                                     data.table("voice", columns=sourcing.COLUMNS["voice"], where=where),
                                     attributions, chosen)
    pdt.assert_frame_equal(read, full)
    assert sourcing.read_reuse(data, where).empty or sourcing.read_reuse(data, where)["article_a"].isin(chosen["article_id"]).all()


def test_profile_charts_stay_under_the_row_limit(tables, capsys):
    t = tables
    profile = sourcing.sentence_profile(t["sentences"], t["voice"], t["attributions"], sourcing.select(t["articles"]))
    many = pd.concat([profile.assign(outlet=profile["outlet"] + f" {i}") for i in range(30)], ignore_index=True)
    shown = sourcing.busiest(many, "outlet", value="sentences", n=sourcing.MAX_OUTLETS, what="outlets")
    assert shown["outlet"].nunique() == sourcing.MAX_OUTLETS and "outlets in all" in capsys.readouterr().out
    assert len(charts.chart_data(sourcing.profile_chart(shown))) <= charts.MAX_ROWS


# Reuse -------------------------------------------------------------------------------------------

def _many_passages(n_articles: int, n_pairs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"x{i:03d}" for i in range(n_articles)]
    articles = pd.DataFrame({"article_id": ids, "outlet": [f"O{i % 7}" for i in range(n_articles)],
                             "published_utc": pd.date_range("2016-12-10", periods=n_articles, freq="h", tz="UTC"),
                             "published_precision": "minute"})
    rows = []
    for p in range(n_pairs):
        a, b = ids[p % n_articles], ids[(p * 7 + 1) % n_articles]
        if a == b:
            continue
        a, b = min(a, b), max(a, b)
        for k in range(1 + p % 3):
            text = f"passage {p} {k} " + "word " * (8 + p % 11)
            rows.append({"article_a": a, "article_b": b, "start_a": 100 * k, "end_a": 100 * k + len(text),
                         "start_b": 50 * k, "end_b": 50 * k + len(text), "n_words": 10 + p % 11, "similarity": 0.9,
                         "text_a": text, "text_b": text, "direction": "a→b"})
    return pd.DataFrame(rows).drop_duplicates(["article_a", "article_b", "start_a"]), articles


def test_large_reuse_is_bounded(capsys):
    reuse, articles = _many_passages(200, 120)
    passages = sourcing.reuse_passages(reuse, articles)
    pairs = sourcing.reuse_pairs(passages)
    drawn = pairs.head(sourcing.MAX_PAIRS)
    placed = sourcing.map_articles(drawn, articles)
    assert set(placed["article_id"]) == set(drawn["earlier"]) | set(drawn["later"])
    chart = sourcing.reuse_map(drawn, placed)
    assert len(charts.chart_data(chart)) <= sourcing.MAX_PAIRS
    shown = sourcing.top_passages(passages, pairs)
    assert len(shown) == sourcing.MAX_PASSAGES and "shared passages in all" in capsys.readouterr().out
    first = pairs.iloc[0]
    assert (shown.iloc[0].earlier, shown.iloc[0].later) == (first.earlier, first.later)  # most words first


def test_small_reuse_is_left_as_it_is(capsys):
    reuse, articles = _many_passages(6, 4)
    passages = sourcing.reuse_passages(reuse, articles)
    pairs = sourcing.reuse_pairs(passages)
    assert sourcing.map_articles(pairs, articles) is articles  # every article placed, as before
    assert sourcing.top_passages(passages, pairs) is passages
    assert capsys.readouterr().out == ""


def test_reuse_is_read_for_the_chosen_articles(processed):
    data = Dataset(processed)
    articles = data.table("articles", columns=sourcing.COLUMNS["articles"])
    every = data.table("reuse")
    assert len(every)  # the generated corpus repeats seed paragraphs
    chosen = articles[articles["article_id"].isin(every["article_a"].head(1)) | articles["article_id"].isin(every["article_b"].head(1))]
    read = sourcing.read_reuse(data, sourcing.scope(chosen, articles))
    ids = set(chosen["article_id"])
    pdt.assert_frame_equal(read, every[every["article_a"].isin(ids) & every["article_b"].isin(ids)].reset_index(drop=True))


def test_an_empty_reuse_table_reads_for_any_selection(tmp_path):
    from newslens import reuse, store

    store.write_tables(tmp_path, {"reuse": pd.DataFrame(columns=reuse.COLUMNS)}, {})
    for engine in ENGINES:
        empty = sourcing.read_reuse(Dataset(tmp_path, engine), {"article_id": ["a1", "a2"]})
        chosen = pd.DataFrame({"article_id": ["a1", "a2"], "outlet": ["A", "B"],
                               "published_utc": pd.to_datetime(["2016-12-14", "2016-12-15"], utc=True)})
        pairs = sourcing.reuse_pairs(sourcing.reuse_passages(empty, chosen))
        assert pairs.empty and sourcing.map_articles(pairs, chosen) is chosen


# Corpus ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_corpus_readers_show_the_first_rows_and_count_them_all(processed, tables, engine):
    data = Dataset(processed, engine)
    sentences, articles = tables["sentences"], tables["articles"]
    counts = data.count("sentences", by=["article_id", "kind"], sums=["n_words"])
    aside, total = summary.read_set_aside(data, counts)
    every = summary.set_aside(sentences)
    assert total == len(every) > summary.MAX_ROWS
    pdt.assert_frame_equal(aside, every.head(summary.MAX_ROWS))
    entries, n_entries = summary.read_live_blog_entries(data, articles)
    all_entries = summary.live_blog_entries(sentences, articles)
    assert n_entries == len(all_entries)
    pdt.assert_frame_equal(entries, all_entries.head(summary.MAX_ROWS))
    pdt.assert_frame_equal(summary.words_by_kind(counts, articles), summary.words_by_kind(sentences, articles))
    pdt.assert_frame_equal(summary.set_aside_counts(data.count("sentences", by=["kind", "role"])),
                           summary.set_aside_counts(sentences))


def test_corpus_readers_return_everything_when_small(processed, tables):
    data = Dataset(processed)
    counts = data.count("sentences", by=["article_id", "kind"], sums=["n_words"])
    aside, total = summary.read_set_aside(data, counts, n=10_000)
    pdt.assert_frame_equal(aside, summary.set_aside(tables["sentences"]))
    entries, n = summary.read_live_blog_entries(data, tables["articles"], n=10_000)
    pdt.assert_frame_equal(entries, summary.live_blog_entries(tables["sentences"], tables["articles"]))


def test_outlets_overview_sums_the_articles(tables):
    articles = tables["articles"]
    outlets = summary.outlets_overview(articles)
    assert outlets["articles"].sum() == len(articles) and outlets["words"].sum() == articles["n_words"].sum()
    assert outlets["articles"].is_monotonic_decreasing


def test_problems_list_errors_first():
    problems = pd.DataFrame({"severity": ["warning", "error", "warning", "error"], "what": list("abcd")})
    assert list(summary.problems_view(problems)["what"]) == ["b", "d", "a", "c"]
