"""The framing notebook at scale: bounded permutation blocks, articles as units, views that read
sentences only for sampled articles, and bounded tables — with the small path unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from newslens import framing, framing_views as fv, logodds, pipeline, store, tables
from newslens.dataset import Dataset
from test_framing import LEXICON, make_corpus, synthetic

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
KEY_LABELS = ["militants", "rebels", "terrorists", "regime", "liberation", "evacuation", "opposition"]


def naive_permutation_z(counts, words, groups, *, permutations, seed):
    """The test as first written: every shuffle drawn at once, dense float64 products."""
    counts, words, groups = np.asarray(counts, float), np.asarray(words, float), np.asarray(groups)
    g = groups.max() + 1
    member = np.arange(g)[:, None] == groups[None, :]
    z_obs = logodds.group_vs_rest_z(member @ counts, member @ words)
    shuffled = np.random.default_rng(seed).permuted(np.broadcast_to(groups, (permutations, groups.size)), axis=1)
    member = (shuffled[:, None, :] == np.arange(g)[None, :, None]).astype(float)
    z = logodds.group_vs_rest_z(member @ counts, member @ words)
    exceed = (np.abs(z) >= np.abs(z_obs) * (1 - 1e-12)).sum(axis=0)
    return z_obs, np.where(np.isnan(z_obs), np.nan, (exceed + 1) / (permutations + 1))


@pytest.mark.parametrize("rows, cells, units", [(512, 1 << 22, 8192), (3, 7, 5), (1, 1, 1)])
def test_permutation_blocks_do_not_change_the_p_values(monkeypatch, rows, cells, units):
    rng = np.random.default_rng(4)
    counts = rng.poisson(0.7, size=(53, 6))
    counts[:, 5] = 0  # a term used nowhere: z and p NaN
    words = rng.integers(5, 40, size=53)
    groups = rng.integers(0, 4, size=53)
    want_z, want_p = naive_permutation_z(counts, words, groups, permutations=97, seed=11)
    monkeypatch.setattr(logodds, "_ONE_HOT_ROWS", rows)
    monkeypatch.setattr(logodds, "_LABEL_CELLS", cells)
    monkeypatch.setattr(logodds, "_UNITS_PER_PRODUCT", units)
    z, p = logodds.permutation_z(counts, words, groups, permutations=97, seed=11)
    np.testing.assert_array_equal(z, want_z)
    np.testing.assert_array_equal(p, want_p)


def test_group_sums_are_exact_beyond_float32(monkeypatch):
    counts = np.array([[2.0**24 + 1, 1], [1, 0], [3, 2]])  # float32 would lose the +1
    sums = logodds._group_sums(counts, np.array([10.0, 20, 30]), 2)(np.array([[0, 1, 0], [1, 1, 0]]))
    np.testing.assert_array_equal(sums[0][0], [[2.0**24 + 4, 3], [1, 0]])
    np.testing.assert_array_equal(sums[0][1], [[3, 2], [2.0**24 + 2, 1]])
    np.testing.assert_array_equal(sums[1], [[40, 20], [30, 30]])


def test_article_test_has_the_sentence_test_observations_and_its_own_null():
    corpus = synthetic()
    terms = framing.count(corpus, LEXICON, voice=list(framing.VOICES), zeros=False)
    words = framing.voice_words(corpus)
    by_sentence = framing.permutation_test(corpus, LEXICON, permutations=200, seed=3)
    by_article = framing.article_permutation_test(terms, words, corpus.articles, LEXICON, permutations=200, seed=3)
    same = ["outlet", "category", "term", "n", "n_words", "total", "low_count", "enough_text", "voice"]
    pdt.assert_frame_equal(by_article[same], by_sentence[same])
    np.testing.assert_allclose(by_article["z"], by_sentence["z"], rtol=1e-12)
    # three articles, one per outlet: every shuffle is one of 6 arrangements, so no p below 1/6
    assert by_article["p_value"].min() > 1 / 7 > by_sentence["p_value"].min()


def test_article_units_skip_articles_without_words_in_the_voice():
    corpus = make_corpus([("a", "A", [[("body", "The militants left.")]]),
                          ("b", "B", [[("quote", "“The rebels left.”")]])])
    terms = framing.count(corpus, LEXICON, voice=list(framing.VOICES), zeros=False)
    units, table, matrix = framing.article_terms(terms, framing.voice_words(corpus), corpus.articles, LEXICON)
    assert list(units["article_id"]) == ["a"] and matrix.shape == (1, len(table))
    assert matrix[0, table.index[table.term == "militants"][0]] == 1 and matrix.sum() == 1


# --- views over a Dataset: the seed build, small and (with a lower threshold) large ------------


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    pipeline.build(RAW, out, workers=1)
    return out


@pytest.fixture()
def seeds(processed):
    data = Dataset(processed)
    articles = data.table("articles", ["article_id", "outlet"])
    terms, words = fv.read_counts(data, articles)
    return data, articles, terms, words


@pytest.fixture()
def large(monkeypatch):
    """Treat the five seed articles as a large selection."""
    monkeypatch.setattr(fv, "MAX_ARTICLES_IN_DETAIL", 2)


def test_small_selection_reads_every_sentence_and_keeps_the_sentence_test(seeds, capsys):
    data, articles, terms, words = seeds
    source = fv.Sentences(data, articles, LEXICON)
    rebuilt = tables.from_tables(articles, store.read_table(data.dir, "sentences"))
    pdt.assert_frame_equal(source.corpus.sentences, rebuilt.sentences[source.corpus.sentences.columns])
    assert source.corpus.texts == rebuilt.texts
    got = fv.distinctive(source, terms, words, permutations=99)
    pdt.assert_frame_equal(got, framing.distinctive_terms(rebuilt, LEXICON, permutations=99))
    assert capsys.readouterr().out == ""


def test_large_selection_shuffles_articles_from_the_stored_counts(seeds, large, capsys):
    data, articles, terms, words = seeds
    source = fv.Sentences(data, articles, LEXICON)
    assert source.corpus is None
    got = fv.distinctive(source, terms, words, permutations=99)
    assert "whole articles are shuffled among outlets (5 articles with words in the own voice, 99 shuffles" in capsys.readouterr().out
    pdt.assert_frame_equal(got, framing.distinctive_articles(terms, words, articles, LEXICON, permutations=99))
    small = fv.distinctive(fv.Sentences(data, articles.head(2), LEXICON), *fv.read_counts(data, articles.head(2)),
                           permutations=9)
    assert set(small["outlet"]) == set(articles.head(2)["outlet"])


def test_large_selection_checks_recount_a_sample(seeds, large):
    data, articles, _, words = seeds
    got = fv.checks(fv.Sentences(data, articles, LEXICON), words).set_index("check")["holds"]
    assert got.all() and "recounting the stored sentences of 2 sampled articles (seed 0) gives the stored counts" in got.index


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask"])
@pytest.mark.parametrize("outlets", [None, ["RT", "Fars News Agency"]])
def test_stored_keyword_counts_equal_the_recount(processed, large, engine, outlets):
    data = Dataset(processed, engine)
    articles = framing.select_outlets(data.table("articles", ["article_id", "outlet"]), outlets)
    corpus = tables.from_tables(articles, store.read_table(processed, "sentences"))
    source = fv.Sentences(data, articles, LEXICON)
    pdt.assert_frame_equal(fv.kwic_counts(source, KEY_LABELS), fv.kwic_counts(corpus, KEY_LABELS, LEXICON))
    with pytest.raises(ValueError, match="not lexicon terms"):
        fv.kwic_counts(source, ["Aleppo"])
    source.prepare(KEY_LABELS)
    lines = fv.kwic_table(source, "militants", quiet=True)
    pdt.assert_frame_equal(lines, fv.kwic_table(fv.Sentences(Dataset(processed), articles, LEXICON), "militants", quiet=True))
    assert set(lines["outlet"]) <= set(articles["outlet"])


def test_large_keyword_table_samples_articles_and_says_so(seeds, large, capsys):
    data, articles, _, _ = seeds
    corpus = tables.from_tables(articles, store.read_table(data.dir, "sentences"))
    every = fv.kwic_table(corpus, "militants", LEXICON)
    source = fv.Sentences(data, articles, LEXICON)
    source.prepare(["militants"], max_lines=10)
    got = fv.kwic_table(source, "militants", max_lines=10)
    note = capsys.readouterr().out
    assert '"militants": 69 uses in 4 articles (own and quoted voice' in note and "showing 10 lines" in note
    assert len(got) == 10 and got.attrs["note"] in note
    assert got["outlet"].nunique() == 3  # spread: RT, Fars and The Interpreter use it
    assert set(map(tuple, got.to_numpy())) <= set(map(tuple, every.to_numpy()))  # same lines, same context
    again = fv.kwic_table(fv.Sentences(data, articles, LEXICON), "militants", max_lines=10, quiet=True)
    pdt.assert_frame_equal(got, again)
    word = fv.kwic_table(source, "Aleppo", quiet=True)
    assert "not in the lexicon" in word.attrs["note"] and len(word) <= fv.KWIC_MAX_LINES


def test_sentences_are_read_once_for_the_articles_asked(seeds, large, monkeypatch):
    data, articles, _, _ = seeds
    source = fv.Sentences(data, articles, LEXICON)
    reads = []
    real = data.table
    monkeypatch.setattr(data, "table", lambda name, *a, **k: reads.append((name, k.get("where"))) or real(name, *a, **k))
    ids = articles["article_id"].tolist()
    first = source.corpus_of(ids[:3])
    assert sorted(first.texts) == sorted(ids[:3]) and reads == [("sentences", {"article_id": ids[:3]})]
    again = source.corpus_of(ids[1:4])
    assert reads[1:] == [("sentences", {"article_id": ids[3:4]})]
    want = tables.from_tables(articles[articles.article_id.isin(ids[1:4])], store.read_table(data.dir, "sentences"))
    assert again.texts == want.texts
    pdt.assert_frame_equal(again.sentences, want.sentences[again.sentences.columns])


def test_small_keyword_table_is_whole_up_to_the_bound_then_sampled(capsys):
    corpus = make_corpus([(a, o, [[("body", "The militants left. " * 30)]]) for a, o in
                          [("a1", "A"), ("a2", "A"), ("b1", "B"), ("c1", "C")]])
    whole = fv.kwic_table(corpus, "militants", LEXICON, max_lines=200)
    assert len(whole) == 120 and capsys.readouterr().out == "" and whole.attrs["note"] == ""
    cut = fv.kwic_table(corpus, "militants", LEXICON, max_lines=30, seed=1)
    assert capsys.readouterr().out.strip() == '"militants": 120 occurrences; showing 30, drawn at random (seed 1) evenly across outlets.'
    assert list(cut.columns) == fv.KWIC_COLUMNS and cut["outlet"].value_counts().to_dict() == {"A": 10, "B": 10, "C": 10}
    pdt.assert_frame_equal(cut, fv.kwic_table(corpus, "militants", LEXICON, max_lines=30, seed=1, quiet=True))


def test_spread_sample_is_seeded_and_even():
    frame = pd.DataFrame({"outlet": ["A"] * 50 + ["B"] * 5 + ["C"] * 45, "x": range(100)})
    got = fv.spread_sample(frame, 20, seed=2)
    assert got["outlet"].value_counts().to_dict() == {"A": 8, "C": 7, "B": 5}
    assert got.index.is_monotonic_increasing
    pdt.assert_frame_equal(got, fv.spread_sample(frame, 20, seed=2))
    assert not got.equals(fv.spread_sample(frame, 20, seed=3))
    assert fv.spread_sample(frame, 100) is frame


def test_words_table_per_article_when_small_per_outlet_when_large():
    n = fv.MAX_ARTICLES_IN_DETAIL + 1
    articles = pd.DataFrame({"article_id": [f"x{i:03d}" for i in range(n)], "outlet": ["A", "B", "C"] * (n // 3) + ["A"] * (n % 3)})
    words = pd.concat([articles[["article_id"]].assign(voice=v, n_words=k) for v, k in [("own", 10), ("quoted", 1)]])
    small = fv.words_table(words, articles.head(fv.MAX_ARTICLES_IN_DETAIL))
    assert list(small.columns) == ["outlet", "article_id", "own", "quoted"] and len(small) == fv.MAX_ARTICLES_IN_DETAIL
    big = fv.words_table(words, articles)
    assert list(big.columns) == ["outlet", "articles", "own", "quoted"] and len(big) == 3
    assert big["articles"].sum() == n and big["own"].sum() == 10 * n and big["quoted"].sum() == n


def test_findings_and_tables_are_bounded_with_a_line_saying_so(capsys):
    rows = pd.DataFrame({
        "outlet": np.repeat(["A", "B"], 100), "category": "c", "term": [f"t{i:03d}" for i in range(100)] * 2,
        "n": 1, "total": 2, "n_words": 1000, "z": np.linspace(-3, 3, 200), "p_value": 0.01, "q_value": np.linspace(0.001, 0.2, 200),
        "direction": "more", "status": ["finding"] * 60 + ["not a finding"] * 140,
    })
    text = fv.describe_findings(rows, rows.head(0), limit=5).splitlines()
    assert text[0].startswith("60 of 200 outlet × term comparisons are findings")
    assert len(text) == 7 and text[-1] == "… and 55 more findings (listed here: the 5 with the smallest q-values)."
    shown = fv.findings_table(rows, limit=50)
    assert capsys.readouterr().out.strip() == ("Showing the first 50 of 200 outlet × term comparisons "
                                               "(findings first, then by outlet and p-value).")
    assert len(shown) == 50 and (shown["status"] == "finding").all()
    assert len(fv.findings_table(rows.head(40))) == 40 and capsys.readouterr().out == ""


def test_subset_of_a_rebuilt_corpus_is_the_rebuilt_subset(seed_corpus):
    articles, sentences = seed_corpus.articles, seed_corpus.sentences
    whole = tables.from_tables(articles, sentences)
    part = articles.iloc[[3, 1]]
    got, want = tables.subset(whole, part), tables.from_tables(part, sentences)
    pdt.assert_frame_equal(got.articles, want.articles)
    pdt.assert_frame_equal(got.sentences, want.sentences)
    assert got.texts == want.texts
    both = tables.combine(tables.from_tables(articles.head(2), sentences), tables.from_tables(articles.tail(3), sentences))
    assert both.texts == whole.texts
