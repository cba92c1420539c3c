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
