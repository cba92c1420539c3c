"""newslens.framing from the stored tables: sparse terms, voice_words, zeros re-added, rates,
actor shares, and a corpus rebuilt from the articles and sentences tables."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens import framing, framing_lexicon, tables
from test_framing import LEXICON, make_corpus

CORPUS = make_corpus([
    ("b", "O2", [[("body", "The rebels and the rebels. “Regime” words here.")],
                 [("caption", "Terrorist in Aleppo")], [("caption", "Terrorist in Aleppo")]]),
    ("a", "O1", [[("boilerplate", "militants")]]),
    ("c", "O1", [[("body", "Militants left; militants stayed and the regime spoke.")], [("quote", "“Terrorists,” he said.")]]),
])


def test_lexicon_module_is_the_one_framing_uses():
    assert framing.load_lexicon is framing_lexicon.load_lexicon
    assert isinstance(LEXICON, framing_lexicon.Lexicon)


def test_sparse_count_is_the_dense_grid_without_zeros():
    dense = framing.count(CORPUS, LEXICON, voice=["own", "quoted"])
    sparse = framing.count(CORPUS, LEXICON, voice=["own", "quoted"], zeros=False)
    assert list(sparse.columns) == framing.TERM_COLUMNS
    assert (sparse["count"] > 0).all() and len(sparse) == (dense["count"] > 0).sum()
    pd.testing.assert_frame_equal(sparse, dense[dense["count"] > 0].reset_index(drop=True))


def test_captions_count_in_no_voice():
    t = framing.count(CORPUS, LEXICON, voice=["own", "quoted", "all"], zeros=False)
    assert t[(t.article_id == "b") & (t.term == "terrorists")].empty
    assert set(t[t.article_id == "c"].query("term == 'terrorists'")["voice"]) == {"quoted", "all"}


def test_voice_words_every_article_and_voice():
    w = framing.voice_words(CORPUS)
    assert list(w.columns) == ["article_id", "voice", "n_words"]
    got = {(r.article_id, r.voice): r.n_words for r in w.itertuples()}
    assert got == {("a", "own"): 0, ("a", "quoted"): 0, ("b", "own"): 7, ("b", "quoted"): 1,
                   ("c", "own"): 8, ("c", "quoted"): 3}  # captions and boilerplate have no words


def test_with_zeros_restores_the_dense_grid():
    sparse = framing.count(CORPUS, LEXICON, voice=["own", "quoted"], zeros=False)
    dense = framing.count(CORPUS, LEXICON, voice=["own", "quoted"])
    pd.testing.assert_frame_equal(framing.with_zeros(sparse, framing.voice_words(CORPUS), LEXICON), dense)


@pytest.mark.parametrize(
    "voice, outlet, category, count, n_words",
    [
        ("own", "O1", "opposition", 2, 8),  # a's boilerplate "militants" is not counted
        ("own", "O1", "government", 1, 8),
        ("quoted", "O1", "opposition", 1, 3),
        ("all", "O1", "opposition", 3, 11),
        ("own", "O2", "opposition", 2, 7),  # the caption's "Terrorist" is not counted
        ("quoted", "O2", "government", 1, 1),
        ("own", "O2", "allies", 0, 7),  # zeros come back from the lexicon
    ],
)
def test_rates_from_stored_tables(voice, outlet, category, count, n_words):
    sparse = framing.count(CORPUS, LEXICON, voice=["own", "quoted"], zeros=False)
    r = framing.rates(sparse, framing.voice_words(CORPUS), CORPUS.articles, LEXICON, voice=voice)
    assert len(r) == 2 * len(LEXICON.categories)
    row = r[(r.outlet == outlet) & (r.category == category)].iloc[0]
    assert (row["count"], row["n_words"]) == (count, n_words)
    assert row["per_1000_words"] == pytest.approx(1000 * count / n_words)
    assert row["n_articles"] == {"O1": 2, "O2": 1}[outlet]


def test_rates_by_term_and_outlet_filter():
    sparse = framing.count(CORPUS, LEXICON, voice=["own", "quoted"], zeros=False)
    arts = framing.select_outlets(CORPUS.articles, ["O2"])
    r = framing.rates(sparse, framing.voice_words(CORPUS), arts, LEXICON, by="term")
    assert set(r["outlet"]) == {"O2"} and len(r) == len(LEXICON.terms)
    assert r.set_index("term").loc["rebels", "count"] == 2
    with pytest.raises(ValueError, match="choose from"):
        framing.select_outlets(CORPUS.articles, ["Nowhere"])


def test_actor_shares_from_sparse_terms_equal_actor_labels_of_the_corpus():
    sparse = framing.count(CORPUS, LEXICON, voice=["own", "quoted"], zeros=False)
    shares = framing.actor_shares(sparse, CORPUS.articles, LEXICON, voice="own")
    pd.testing.assert_frame_equal(shares, framing.actor_labels(CORPUS, LEXICON, voice="own"))
    o1 = shares[(shares.outlet == "O1") & (shares.actor == "opposition")].set_index("term")["share"]
    assert o1["militants"] == 1.0
    assert shares[(shares.outlet == "O2") & (shares.actor == "allies")]["share"].isna().all()


def test_kwic_of_a_lexicon_term_is_what_count_counts():
    c = make_corpus([("a", "O", [[("body", "Pro-regime militias, the regime and Free Syrian Army; the Syrian Army.")]])])
    assert list(framing.kwic(c, "regime", lexicon=LEXICON)["match"]) == ["regime"]
    assert list(framing.kwic(c, "regime")["match"]) == ["regime", "regime"]  # plain word: also inside compounds
    gov = framing.kwic(c, "government", lexicon=LEXICON)
    assert list(gov["term"]) == ["regime", "Syrian Army"]  # not the "Syrian Army" inside "Free Syrian Army"


# --- a corpus from the stored tables ---------------------------------------------------------


def test_rebuilt_corpus_keeps_offsets_and_counts(seed_corpus):
    rebuilt = tables.from_tables(seed_corpus.articles, seed_corpus.sentences)
    for r in rebuilt.sentences.itertuples():
        assert rebuilt.texts[r.article_id][r.start : r.end] == r.text
    pd.testing.assert_frame_equal(
        framing.count(rebuilt, LEXICON, voice=["own", "quoted"]), framing.count(seed_corpus, LEXICON, voice=["own", "quoted"])
    )
    pd.testing.assert_frame_equal(framing.voice_words(rebuilt), framing.voice_words(seed_corpus))
    pd.testing.assert_frame_equal(framing.kwic(rebuilt, "militants", lexicon=LEXICON).drop(columns=["left", "right"]),
                                  framing.kwic(seed_corpus, "militants", lexicon=LEXICON).drop(columns=["left", "right"]))


def test_rebuilt_corpus_follows_the_articles_it_is_given(seed_corpus):
    one = seed_corpus.articles.head(1)
    rebuilt = tables.from_tables(one, seed_corpus.sentences)
    assert list(rebuilt.texts) == list(one["article_id"])
    assert set(rebuilt.sentences["article_id"]) == set(one["article_id"])


def test_rebuild_text_refuses_overlapping_sentences():
    s = pd.DataFrame({"start": [0, 2], "end": [3, 5], "paragraph": [0, 0], "text": ["abc", "cde"]})
    with pytest.raises(ValueError, match="overlaps"):
        tables.rebuild_text(s)
