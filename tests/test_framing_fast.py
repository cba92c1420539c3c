"""The vectorised parts of newslens.framing give what the plain per-segment code would.

``count`` and ``voice_words`` segment all sentences at once, count words over whole texts and
run the lexicon once over the joined voiced text (case-folded where that changes nothing);
these tests hold each shortcut to the straightforward definition on adversarial text.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from newslens import framing
from newslens.framing_lexicon import find_terms, plain_spaces
from test_framing import LEXICON, make_corpus

# spellings in odd case and spacing, and characters where case folding or word edges are tricky;
# the last ones keep the lexicon from running over lower-cased text. (Not "ſ", "ı" or "İ": the
# case-insensitive pattern matches "corridorſ", whose variant_key no term has, a KeyError.)
_TRICKY = ["“", "”", '"', " ", "  ", "\u00a0", "\u202f", "-", "\u2010", "'", "’", ".", "\n", "\0", "_", "9",
           "é", "x", "ab", "\u212a", "😀", "Σ", "Ⅰ"]
_SPELLINGS = sorted(LEXICON.index)


@st.composite
def texts(draw, tricky=True):
    bits = []
    for _ in range(draw(st.integers(0, 14))):
        if draw(st.booleans()):
            word = draw(st.sampled_from(_SPELLINGS))
            word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
            bits.append(word.replace(" ", draw(st.sampled_from([" ", "  ", "\u00a0", "\n"]))))
        else:
            bits.append(draw(st.sampled_from(_TRICKY if tricky else _TRICKY[:-2])))
        bits.append(draw(st.sampled_from(["", " ", "-"])))
    return "".join(bits)


def slow_segments(corpus) -> pd.DataFrame:
    """``segments`` as one loop over paragraphs (the definition)."""
    s = corpus.sentences.sort_values(["article_id", "start"], kind="stable")
    rows = []
    for _, paragraph in groupby(zip(s["article_id"], s["paragraph"], s["sentence_id"], s["kind"], s["start"], s["end"]),
                                key=lambda r: r[:2]):
        paragraph = list(paragraph)
        voiced = [r for r in paragraph if framing.VOICE_OF_KIND[r[3]]]
        lo, hi = (voiced[0][4], max(r[5] for r in voiced)) if voiced else (0, 0)
        spans = [(lo + a, lo + b) for a, b in framing.quote_spans(corpus.texts[paragraph[0][0]][lo:hi])]
        for article_id, _, sid, kind, start, end in paragraph:
            voice = framing.VOICE_OF_KIND[kind]
            parts = framing._subtract(start, end, spans) if voice == "own" else [(start, end, voice)]
            rows += [(article_id, sid, kind, v, a, b) for a, b, v in parts]
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "kind", "voice", "start", "end"])


kinds = st.sampled_from(["body", "body", "body", "quote", "social", "caption", "boilerplate"])
corpora = st.lists(st.lists(st.lists(st.tuples(kinds, texts()), min_size=1, max_size=4), min_size=1, max_size=3),
                   min_size=1, max_size=3).map(
    lambda articles: make_corpus([(f"a{i}", "X", paragraphs) for i, paragraphs in enumerate(articles)]))


@settings(max_examples=150, deadline=None)
@given(corpora)
def test_segments_word_counts_and_term_counts_follow_the_definition(corpus):
    pd.testing.assert_frame_equal(framing.segments(corpus), slow_segments(corpus))
    segs = slow_segments(corpus)
    segs = segs[segs["voice"].notna()]
    words, terms = Counter(), Counter()
    for a, voice, s, e in zip(segs["article_id"], segs["voice"], segs["start"], segs["end"]):
        piece = plain_spaces(corpus.texts[a])[s:e]
        words[a, voice] += len(framing._WORD.findall(piece))
        for m in LEXICON.pattern.finditer(piece):
            terms[a, LEXICON.term_of(m.group()).name, voice] += 1
    got = framing.voice_words(corpus)
    assert {(a, v): n for a, v, n in got.itertuples(index=False) if n} == +words
    got = framing.count(corpus, LEXICON, voice=["own", "quoted"], zeros=False)
    assert dict(zip(zip(got["article_id"], got["term"], got["voice"]), got["count"])) == dict(terms)
    assert (got["n_words"] == [words[a, v] for a, v in zip(got["article_id"], got["voice"])]).all()


@settings(max_examples=300, deadline=None)
@given(st.booleans().flatmap(lambda tricky: st.lists(texts(tricky), max_size=5)))  # plain text: case-folded path
def test_find_terms_is_finditer_with_term_of(pieces):
    text = "\0".join(pieces)
    want = [(m.span(), LEXICON.terms.index(LEXICON.term_of(m.group()))) for m in LEXICON.pattern.finditer(text)]
    spans, terms = find_terms(LEXICON, text)
    assert [(tuple(s), t) for s, t in zip(spans.tolist(), terms.tolist())] == want
    ends = np.cumsum([len(p) + 1 for p in pieces]) - 1 if pieces else np.zeros(0, dtype=int)
    part, terms = find_terms(LEXICON, text, parts=ends)
    assert terms.tolist() == [t for _, t in want]
    assert part.tolist() == [int(np.searchsorted(ends, s)) for (s, _), _ in want]


@settings(max_examples=300, deadline=None)
@given(st.lists(texts(), max_size=6))
def test_word_counts_are_findall_per_piece(pieces):
    text = "".join(pieces)
    bounds = np.cumsum([0] + [len(p) for p in pieces])
    cp = np.frombuffer(("\0\0" + text).encode("utf-32-le"), dtype=np.uint32)
    got = framing._word_counts(framing._char_classes(cp), bounds[:-1], bounds[1:])
    assert got.tolist() == [len(framing._WORD.findall(p)) for p in pieces]
