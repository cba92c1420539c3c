"""Corpus summaries stay chartable at any corpus size."""

import pandas as pd

from newslens import summary


def _corpus(n: int):
    articles = pd.DataFrame({"article_id": [f"a{i:04d}" for i in range(n)], "outlet": [f"O{i % 3}" for i in range(n)]})
    sentences = pd.DataFrame({"article_id": list(articles["article_id"]) * 2, "kind": ["body"] * n + ["quote"] * n,
                              "n_words": [10] * n + [5] * n})
    return articles, sentences


def test_small_corpus_has_a_bar_per_article():
    articles, sentences = _corpus(5)
    words = summary.words_by_kind(sentences, articles)
    assert len(words) == 10 and words["words"].sum() == 75


def test_large_corpus_aggregates_to_outlets():
    articles, sentences = _corpus(10_000)
    words = summary.words_by_kind(sentences, articles)
    assert len(words) == 6  # 3 outlets × 2 kinds, far under the chart row limit
    assert words["words"].sum() == 150_000


def test_counts_give_the_words_of_the_rows():
    for n in (5, 200):
        articles, sentences = _corpus(n)
        counts = sentences.groupby(["article_id", "kind"], as_index=False)["n_words"].sum().assign(n=1)
        pd.testing.assert_frame_equal(summary.words_by_kind(counts, articles), summary.words_by_kind(sentences, articles))


def test_set_aside_counts_from_rows_or_counts():
    sentences = pd.DataFrame({"sentence_id": list("abcde"), "kind": ["body", "caption", "boilerplate", "boilerplate", "quote"],
                              "role": ["text", "caption", "chrome", "chrome", None]})
    rows = summary.set_aside_counts(sentences)
    counts = sentences.groupby(["kind", "role"], dropna=False).size().reset_index(name="n")
    pd.testing.assert_frame_equal(summary.set_aside_counts(counts), rows)
    assert rows.to_dict("list") == {"kind": ["boilerplate", "caption"], "role": ["chrome", "caption"], "sentences": [2, 1]}


def test_bounded_shows_the_first_rows_and_says_how_many(capsys):
    frame = pd.DataFrame({"x": range(120)})
    assert len(summary.bounded(frame, "rows", order="in order")) == summary.MAX_ROWS
    assert capsys.readouterr().out == "120 rows in all; the first 50 in order are shown.\n"
    assert len(summary.bounded(frame.head(7), "rows", order="in order")) == 7
    assert capsys.readouterr().out == ""  # a short table prints nothing: the small case is unchanged
    summary.bounded(frame.head(3), "entries", order="by entry", total=4_000)
    assert capsys.readouterr().out.startswith("4,000 entries in all; the first 3")


def test_isin_agrees_with_pandas():
    values = pd.Series(["a", None, "b", "c"], dtype="str")
    assert list(summary.isin(values, ["a", "c"])) == [True, False, False, True]
    assert list(summary.isin(values.astype(object), pd.Series(["b"]))) == [False, False, True, False]
    assert list(summary.isin(pd.Series([1, 2, 3]), [2, 5])) == [False, True, False]
    assert list(summary.isin(pd.Series(["x"]), [])) == [False]
    assert summary.isin(pd.Series([], dtype=object), ["x"]).shape == (0,)


def test_unique_ids():
    assert summary.unique_ids(pd.Series(["a", "b", "c"]))
    assert summary.unique_ids(pd.Series(["c", "a", "b"]))
    assert not summary.unique_ids(pd.Series(["a", "b", "a"]))
    assert not summary.unique_ids(pd.Series(["a", "a"]))
