"""Extractors never raise on text whose case folding differs from the lexicon's keys
(long s, dotted/dotless i, Kelvin sign, ligatures): such a match is looked up by its
case-folded NFKC key, and skipped when that is no lexicon term either."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslens import framing
from newslens.framing_lexicon import normal_key
from test_framing import LEXICON, one

ODD = "ſſıİKﬁßΣς\u0307"  # characters whose lower case / case folding are unusual


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("humanitarian corridorſ", {"humanitarian corridor": 1}),  # ſ folds to s
        ("Rebelſ took the town", {"rebels": 1}),
        ("Humanıtarian corridor", {}),  # dotless ı is no i: not a lexicon spelling
        ("HUMANİTARIAN CORRIDOR", {}),  # İ lowers to i + combining dot: not a lexicon spelling
        ("the regıme and the regİme", {}),
        ("İ ı ſ K ﬁ", {}),
        ("“humanitarian corridorſ” said the rebelſ", {"humanitarian corridor": 1, "rebels": 1}),
    ],
)
def test_odd_case_folding_is_looked_up_or_skipped(text, expected):
    counts = framing.count(one(text), LEXICON, voice="all", zeros=False)
    assert dict(zip(counts["term"], counts["count"])) == expected
    for name in ("humanitarian corridor", "rebels", "opposition"):  # a term name and a category
        framing.kwic(one(text), name, lexicon=LEXICON)
    k = framing.kwic(one(text), "humanitarian corridor", lexicon=LEXICON)
    assert len(k) == expected.get("humanitarian corridor", 0)  # kwic finds what count counts


def test_normal_key():
    assert normal_key("Corridor\u017f") == "corridors"
    assert normal_key("Pro\u2011Regime  Forces") == "pro-regime forces"
    assert LEXICON.lookup("no such spelling") is None
    with pytest.raises(KeyError):
        LEXICON.term_of("no such spelling")


words = st.sampled_from(["rebels", "regime", "humanitarian corridor", "forces", "said", "“", "”", "-"])
odd_text = st.lists(
    st.one_of(words, words.map(str.upper), st.text(alphabet=ODD + "aeinorsRE -", max_size=12)), max_size=12
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(odd_text, st.sampled_from(["body", "quote", "caption"]))
def test_count_and_kwic_never_raise_on_odd_characters(text, kind):
    corpus = one(text, kind=kind)
    sparse = framing.count(corpus, LEXICON, voice=["own", "quoted"], zeros=False)
    assert set(sparse["term"]) <= {t.name for t in LEXICON.terms}
    framing.count(corpus, LEXICON, voice="all")
    framing.voice_words(corpus)
    framing.kwic(corpus, "rebels", lexicon=LEXICON)
    framing.kwic(corpus, "government", lexicon=LEXICON)
    framing.kwic(corpus, "regime")
