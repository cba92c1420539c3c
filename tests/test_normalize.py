"""Normalisation: what it changes, what it must keep, and properties over arbitrary text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newslens.corpus import split_article
from newslens.layout import load_layout
from newslens.normalize import clean, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[READ MORE: Aid arrives](#)", "READ MORE: Aid arrives"),
        ("**Trends** [Syria](#), [Aleppo](#)", "Trends Syria, Aleppo"),
        ("*“They are afraid.”*", "“They are afraid.”"),
        ("a\u00a0b\u202fc", "a b c"),
        ("\ufeffHello\r\nworld", "Hello\nworld"),
        ("Cafe\u0301", "Caf\u00e9"),
        # Kept as written: quotes, dashes, escaped markup (data, never markup).
        ("“quoted” – dash", "“quoted” – dash"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("3 * 4 = 12", "3 * 4 = 12"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw).text == expected


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400)
newsy = st.lists(
    st.sampled_from(["Aleppo", "4,500", "“We", "left.”", "[READ MORE: x](#)", "**Trends**", "\u00a0", "\n",
                     "\n\n", "E.", "U.S.", "—", "@handle", "*", "said", "Dec 16, 2016 23:13 (GMT)", "— Pierre Vaux"]),
    max_size=60,
).map(" ".join)


@given(st.one_of(texts, newsy))
def test_offsets_round_trip(raw):
    c = clean(raw)
    assert len(c.text) == sum(n for _, _, n in c.segments)
    for pos, ch in enumerate(c.text):
        r = c.to_raw(pos)
        assert 0 <= r < len(raw)
        src = raw[r]
        assert ch == src or ch == " " or unicodedata.normalize("NFC", src) != src or unicodedata.combining(ch) or \
            unicodedata.normalize("NFC", raw[r : r + 4])[:1] == ch


@given(st.one_of(texts, newsy))
def test_normalisation_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


LAYOUT = load_layout()


@given(st.one_of(texts, newsy))
def test_loading_arbitrary_text_never_crashes_and_sentences_slice(raw):
    text = clean(raw).text
    rows, _, _ = split_article(text, "Any Outlet", LAYOUT)
    for r in rows:
        assert 0 <= r["start"] <= r["end"] <= len(text)
        assert text[r["start"] : r["end"]] == r["text"]
        assert r["kind"] in {"body", "quote", "social", "caption", "boilerplate"}
