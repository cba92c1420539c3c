"""Text reuse: near copies found with offsets, unrelated text never matched, seed gold."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from newslens.reuse import COLUMNS, find, normalize_word

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = (
    "The pullout of more than 5,000 militants and their families through a humanitarian corridor has begun "
    "in eastern Aleppo, the Russian General Staff said. Wounded rebels will be evacuated by the Russian "
    "Reconciliation Center with International Red Cross involvement. The evacuation operation will be "
    "monitored by web cameras that the Russian Defense Ministry has installed along the corridors, as well "
    "as surveillance drones. Livestream footage will be available at the ministry's website. On Monday, the "
    "Russian Defense Ministry said that up to 100,000 people, including 40,000 children, have been evacuated."
)


def make_corpus(texts: dict[str, str], published: dict[str, str] | None = None) -> SimpleNamespace:
    times = [pd.Timestamp((published or {}).get(a), tz="UTC") if (published or {}).get(a) else pd.NaT for a in texts]
    return SimpleNamespace(texts=dict(texts), articles=pd.DataFrame({"article_id": list(texts), "published_utc": times}))


def test_near_copy_with_offsets_and_direction():
    copy = "Officials added: " + SEED_TEXT.replace("will be monitored", "monitored").replace("Monday", "Tuesday")
    corpus = make_corpus({"b": copy, "a": SEED_TEXT, "c": "An unrelated note about the weather in Lisbon today."},
                         {"a": "2016-12-15", "b": "2016-12-17"})
    table = find(corpus)
    assert list(table.columns) == COLUMNS
    assert set(zip(table["article_a"], table["article_b"])) == {("a", "b")}
    assert (table["direction"] == "a→b").all()
    row = table.iloc[0]
    assert corpus.texts["a"][row.start_a:row.end_a] == row.text_a
    assert corpus.texts["b"][row.start_b:row.end_b] == row.text_b
    assert "web cameras" in row.text_a and "web cameras" in row.text_b
    assert 0.8 < row.similarity <= 1.0 and row.n_words >= 60


def test_short_overlap_and_same_article_ignored():
    phrase = "the convoy was stopped at the checkpoint and sent back"
    corpus = make_corpus({"a": f"{phrase}. Later {phrase}.", "b": "Reports say the convoy was stopped at dawn."})
    assert find(corpus).empty  # repeats inside one article are not reuse; 4 shared words < min_words


def test_frequent_shingles_are_capped():
    stock = "You might also like more from this author and comments are closed here today"
    texts = {f"x{i:02d}": f"{stock}. Unique words {i} " + " ".join(f"w{i}x{j}" for j in range(20)) for i in range(12)}
    assert find(make_corpus(texts), max_df=10).empty
    assert len(find(make_corpus(texts), max_df=20)) == 12 * 11 // 2


def test_deterministic():
    texts = {"a": SEED_TEXT, "b": SEED_TEXT[100:], "c": SEED_TEXT[:300]}
    pd.testing.assert_frame_equal(find(make_corpus(texts)), find(make_corpus(dict(reversed(texts.items())))))


@pytest.mark.parametrize("word, norm", [("4,500", "4500"), ("Aleppo’s", "aleppos"), ("ＡＢＣ", "abc"), ("21km", "21km")])
def test_normalize_word(word, norm):
    assert normalize_word(word) == norm


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_shuffled_real_text_is_never_reuse(seed):
    rng = random.Random(seed)
    words = (SEED_TEXT * 3).split()
    texts = {}
    for name in "abcd":
        rng.shuffle(words)
        texts[name] = " ".join(words)
    assert find(make_corpus(texts)).empty


def test_gold_reuse_on_seeds(seed_corpus):
    corpus = seed_corpus
    table = find(corpus)
    gold = pd.read_csv(ROOT / "tests" / "gold" / "reuse_seeds.csv", dtype=str)
    for g in gold.itertuples():
        rows = table[(table["article_a"] == g.article_a) & (table["article_b"] == g.article_b)]
        assert any(g.phrase_a in r.text_a and g.phrase_b in r.text_b for r in rows.itertuples()), g
    assert not (table[["article_a", "article_b"]] == "newarab-2016-12-14").any(axis=None)  # unrelated outlet
    for r in table.itertuples():
        assert corpus.texts[r.article_a][r.start_a:r.end_a] == r.text_a
