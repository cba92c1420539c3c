"""newslens.framing: lexicon validation, voice-aware counting, kwic, actor labels, guarded stats."""

from __future__ import annotations

import re
import time
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslens import framing
from newslens.lexicons import LexiconError

LEXICON = framing.load_lexicon()
GOLD = Path(__file__).parent / "gold" / "framing_counts.csv"
RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def make_corpus(articles):
    """Corpus-shaped object from [(article_id, outlet, [paragraph, ...])], a paragraph being a
    list of (kind, text) sentences. Sentences are joined by a space, paragraphs by a blank line."""
    sentences, texts, meta = [], {}, []
    for article_id, outlet, paragraphs in articles:
        text = ""
        for p, paragraph in enumerate(paragraphs):
            text += "\n\n" if text else ""
            for i, (kind, sentence) in enumerate(paragraph):
                text += " " if i else ""
                sentences.append(
                    dict(sentence_id=f"{article_id}:{p}:{i}", article_id=article_id, paragraph=p, position=i,
                         start=len(text), end=len(text) + len(sentence), kind=kind, text=sentence,
                         entry=None, entry_time_utc=None)
                )
                text += sentence
        texts[article_id] = text
        meta.append(dict(article_id=article_id, outlet=outlet, n_words=len(text.split())))
    return types.SimpleNamespace(articles=pd.DataFrame(meta), sentences=pd.DataFrame(sentences), texts=texts)


def one(text, kind="body"):
    return make_corpus([("a", "Outlet", [[(kind, text)]])])


def found(corpus, voice="own", lexicon=LEXICON):
    t = framing.count(corpus, lexicon, voice=voice)
    return {r.term: r.count for r in t.itertuples() if r.count}


# --- the lexicon -----------------------------------------------------------------------------


def test_shipped_lexicon_has_the_categories_and_actors():
    names = {c.name: c.actor for c in LEXICON.categories}
    assert names == {
        "opposition": "opposition", "government": "government", "allies": "allies", "event": None,
        "civilians": None, "violence": None, "humanitarian": None,
    }
    fighters = next(t for t in LEXICON.terms if t.name == "fighters")
    assert fighters.ambiguous and fighters.note
    assert LEXICON.term_of("Militant‑Held").name == "militant-held"


def write(tmp_path, text):
    path = tmp_path / "lex.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
categories:
  opposition:
    actor: opposition
    terms:
      - term: rebels
        variants: [rebel]
      - militants
"""


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("categories:\n  opp:\n    terms: [rebels]\n    colour: red\n", 4, "unknown key 'colour'"),
        ("categories:\n  opp:\n    terms:\n      - term: rebels\n        varients: [rebel]\n", 5, "unknown key 'varients'"),
        ("version: 2\ncategories:\n  opp:\n    terms: [rebels]\n", 1, "unknown key 'version'"),
        ("categories:\n  opp:\n    terms:\n      - rebels\n      - ''\n", 5, "empty term"),
        ("categories:\n  opp:\n    terms:\n      - rebels\n      - 42\n", 5, "not text"),
        ("categories:\n  opp:\n    terms:\n      - yes\n", 4, "not text"),
        ("categories:\n  opp:\n    terms: []\n", 2, "has no terms"),
        ("categories:\n  opp:\n    terms:\n      - term: rebels\n        variants: [rebel, '']\n", 5, "empty or not text"),
        ("categories:\n  opp:\n    terms:\n      - term: rebels\n        variants: rebel\n", 5, "must be a list"),
        ("categories:\n  opp:\n    terms:\n      - term: rebels\n        ambiguous: maybe\n", 5, "true or false"),
        (
            "categories:\n  opp:\n    terms:\n      - term: rebels\n        variants: [rebel]\n"
            "      - term: insurgents\n        variants: [Rebel]\n",
            7, "listed twice: here and under opp/rebels (line 5)",
        ),
        (
            "categories:\n  opp:\n    terms: [militants]\n  gov:\n    terms:\n      - regime\n      - militants\n",
            7, "under opp/militants",
        ),
        ("terms: [a]\n", None, "needs a 'categories:' mapping"),
    ],
)
def test_lexicon_errors_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(LexiconError) as err:
        framing.load_lexicon(path)
    assert message in str(err.value)
    assert err.value.path == str(path)
    if line is not None:
        assert err.value.line == line


def test_small_lexicon_loads_with_plain_and_full_terms(tmp_path):
    lex = framing.load_lexicon(write(tmp_path, GOOD))
    assert [t.name for t in lex.terms] == ["rebels", "militants"]
    assert lex.terms[0].variants == ("rebels", "rebel")


# --- matching rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The militants left.", {"militants": 1}),
        ("MILITANTS and a Militant", {"militants": 2}),
        ("militantsX and xmilitants", {}),  # whole words only
        ("the regimes of the region", {}),  # plurals only when listed
        ("pro-regime militias", {"pro-regime": 1, "militias": 1}),  # compound, not also "regime"
        ("pro\u2011regime forces", {"pro-regime": 1}),  # non-breaking hyphen, variant with forces
        ("militant-held areas", {"militant-held": 1}),
        ("militant-controlled parts", {"militant-held": 1}),
        ("regime-backed gunmen", {"regime": 1, "gunmen": 1}),  # unlisted compound: its listed part
        ("the Free Syrian Army and the Syrian Army", {"Free Syrian Army": 1, "Syrian Army": 1}),
        ("Syrian army’s PoWs", {"Syrian Army": 1}),
        ("rebel fighters", {"rebels": 1}),  # not also the ambiguous "fighters"
        ("regime-allied Hezbollah fighters", {"regime-allied": 1, "Hezbollah": 1}),
        ("2,000 popular armed men", {"popular forces": 1}),  # not the opposition's "armed men"
        ("1,500 armed men", {"armed men": 1}),
        ("a humanitarian\ncorridor", {"humanitarian corridor": 1}),
        ("regime\u00a0forces", {"regime forces": 1}),  # NBSP
        ("pro govt forces", {"government forces": 1}),
        ("evacuate, evacuated, evacuations", {"evacuation": 3}),
        ("terrorists’ targeted", {"terrorists": 1}),
        ("", {}),
    ],
)
def test_matching(text, expected):
    assert found(one(text)) == expected


# --- voices ----------------------------------------------------------------------------------


def test_quoted_span_in_body_is_quoted_voice():
    c = one("SANA said the militants took “kidnapped rebels in the buses.”")
    assert found(c, "own") == {"militants": 1}
    assert found(c, "quoted") == {"rebels": 1, "kidnapped": 1}
    assert found(c, "all") == {"militants": 1, "rebels": 1, "kidnapped": 1}


def test_straight_quotes_and_kinds():
    c = make_corpus([("a", "O", [
        [("body", 'He called them "terrorists" but they are rebels.')],
        [("quote", "“The militants left,” he said.")],
        [("social", "Army says rebels violated deal")],
        [("boilerplate", "READ MORE: militants leave")],
        [("caption", "Regime forces at the crossing")],
    ])])
    assert found(c, "own") == {"rebels": 1}  # the caption's "Regime forces" counts nowhere
    assert found(c, "quoted") == {"terrorists": 1, "militants": 1, "army": 1, "rebels": 1, "violation": 1, "deal": 1}


def test_quote_spanning_sentences_of_a_paragraph():
    # the loader marks the first sentence as quote; the closing mark sits in the next one
    c = make_corpus([("a", "O", [[
        ("quote", "“To allow the militants leave, a corridor was set up."),
        ("body", "Of those, 6km go through militant-held areas,” he said of the rebels."),
    ]])])
    assert found(c, "own") == {"rebels": 1}
    assert found(c, "quoted") == {"militants": 1, "corridor": 1, "militant-held": 1}


def test_open_quote_runs_to_paragraph_end_only_and_stray_closer_is_ignored():
    c = make_corpus([("a", "O", [
        [("body", "He said “the militants will go."), ("body", "The rebels too.")],
        [("body", "The regime said so.”")],
    ])])
    assert found(c, "quoted") == {"militants": 1, "rebels": 1}
    assert found(c, "own") == {"regime": 1}


def test_count_table_shape_zeros_sort_and_rates():
    c = make_corpus([
        ("b", "O2", [[("body", "The rebels and the rebels. “Regime” words here.")]]),
        ("a", "O1", [[("boilerplate", "militants")]]),
    ])
    t = framing.count(c, LEXICON, voice=["own", "quoted"])
    assert list(t.columns) == [
        "article_id", "category", "term", "voice", "count", "n_words", "per_1000_words", "actor", "ambiguous",
    ]
    assert len(t) == 2 * 2 * len(LEXICON.terms)  # every article × term × voice, zeros included
    assert t.equals(t.sort_values(["article_id", "category", "term", "voice"], ignore_index=True))
    row = t[(t.article_id == "b") & (t.term == "rebels") & (t.voice == "own")].iloc[0]
    assert (row["count"], row["n_words"]) == (2, 7)  # own words exclude the quoted “Regime”
    assert row["per_1000_words"] == pytest.approx(2000 / 7)
    quoted = t[(t.article_id == "b") & (t.term == "regime") & (t.voice == "quoted")].iloc[0]
    assert (quoted["count"], quoted["n_words"], quoted["per_1000_words"]) == (1, 1, 1000.0)
    assert t[t.article_id == "a"]["per_1000_words"].isna().all()  # boilerplate only: no words


def test_unknown_voice_and_kind_are_errors():
    with pytest.raises(ValueError, match="voice"):
        framing.count(one("x"), LEXICON, voice="theirs")
    with pytest.raises(ValueError, match="unknown kind 'headline'"):
        framing.count(one("x", kind="headline"), LEXICON)


words = st.lists(st.sampled_from(["militants", "rebels", "regime", "pro-regime", "said", "the", "“", "”"]), max_size=30)


@given(words, st.sampled_from([" ", "\u00a0", "\n"]))
@settings(deadline=None, max_examples=80)
def test_all_is_own_plus_quoted_and_spaces_do_not_matter(tokens, space):
    c = one(space.join(tokens))
    t = framing.count(c, LEXICON, voice=["own", "quoted", "all"]).set_index(["term", "voice"])["count"]
    for term in ("militants", "rebels", "regime", "pro-regime"):
        assert t[(term, "all")] == t[(term, "own")] + t[(term, "quoted")]
    assert found(c, "all") == found(one(" ".join(tokens)), "all")


# --- kwic ------------------------------------------------------------------------------------


KWIC_CORPUS = make_corpus([
    ("b", "O", [[("body", "Rebels left. The regime said “the rebels lied”.")], [("boilerplate", "READ MORE: rebels")]]),
    ("a", "P", [[("body", "Pro-regime militias blocked Militants.")]]),
])


def test_kwic_plain_term_columns_offsets_and_voices():
    k = framing.kwic(KWIC_CORPUS, "rebels", window=2)
    assert list(k.columns) == [
        "article_id", "sentence_id", "kind", "voice", "start", "end", "left", "match", "right", "category", "term",
    ]
    assert list(k["voice"]) == ["own", "quoted", "none"]
    assert k["term"].isna().all()  # no lexicon: no term
    assert list(k["kind"]) == ["body", "body", "boilerplate"]
    for r in k.itertuples():
        assert KWIC_CORPUS.texts[r.article_id][r.start : r.end] == r.match
    assert k.iloc[1]["left"] == "said “the" and k.iloc[1]["right"] == "lied”. READ"


def test_kwic_compiled_pattern_keeps_its_flags_and_category_names_use_the_lexicon():
    assert list(framing.kwic(KWIC_CORPUS, re.compile(r"\bRebels\b"))["start"]) == [0]
    cat = framing.kwic(KWIC_CORPUS, "allies", lexicon=LEXICON, window=0)
    assert list(cat["match"]) == ["Pro-regime", "militias"] and set(cat["left"]) == {""}
    assert list(framing.kwic(KWIC_CORPUS, "regime")["article_id"]) == ["a", "b"]  # sorted; plain term finds compounds


# --- actor labels and statistics ---------------------------------------------------------------


def test_actor_labels_shares():
    c = make_corpus([
        ("a", "X", [[("body", "Militants, militants and rebels met the regime.")]]),
        ("b", "Y", [[("body", "The government spoke.")]]),
    ])
    t = framing.actor_labels(c, LEXICON)
    assert {"outlet", "actor", "term", "count", "share"} <= set(t.columns)
    x = t[(t.outlet == "X") & (t.actor == "opposition")].set_index("term")["share"]
    assert x["militants"] == pytest.approx(2 / 3) and x["rebels"] == pytest.approx(1 / 3)
    assert t[(t.outlet == "Y") & (t.actor == "opposition")]["share"].isna().all()  # no labels: no shares
    sums = t.groupby(["outlet", "actor"])["share"].sum(min_count=1).dropna()
    np.testing.assert_allclose(sums, 1.0)


def synthetic(n_sentences=40):
    own = [("body", "The militants left the city with their families today.")]
    other = [("body", "The rebels left the city with their families today.")]
    return make_corpus([
        ("a", "A", [own] * n_sentences),
        ("b", "B", [other] * n_sentences),
        ("c", "C", [[("body", "Short text about militants.")]]),
    ])


def test_permutation_test_columns_guards_and_determinism():
    c = synthetic()
    t = framing.permutation_test(c, LEXICON, permutations=200, seed=3, min_count=5, min_words=300)
    assert {"outlet", "term", "n", "n_words", "z", "p_value", "low_count", "enough_text"} <= set(t.columns)
    assert t.equals(framing.permutation_test(c, LEXICON, permutations=200, seed=3, min_count=5, min_words=300))
    a = t[(t.outlet == "A") & (t.term == "militants")].iloc[0]
    assert a["n"] == 40 and a["z"] > 0 and a["p_value"] == pytest.approx(1 / 201)
    assert t[t.term == "regime"]["p_value"].isna().all() and t[t.term == "regime"]["low_count"].all()
    assert dict(t.groupby("outlet")["enough_text"].first()) == {"A": True, "B": True, "C": False}


def test_distinctive_terms_never_calls_noise_a_finding():
    d = framing.distinctive_terms(synthetic(), LEXICON, permutations=200, min_words=300)
    findings = d[d["finding"]]
    assert set(zip(findings.outlet, findings.term, findings.direction)) >= {("A", "militants", "more"), ("B", "rebels", "more")}
    assert not d[(d.outlet == "C") | d.low_count]["finding"].any()
    assert (findings["q_value"] < 0.05).all()
    same = make_corpus([(x, x, [[("body", "The militants left the city today.")]] * 30) for x in "AB"])
    assert not framing.distinctive_terms(same, LEXICON, permutations=200)["finding"].any()


# --- the real seeds --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds():
    corpus = pytest.importorskip("newslens.corpus", reason="newslens.corpus (the loader) is not importable yet")
    if not (RAW / "manifest.csv").exists():
        pytest.skip("data/raw/manifest.csv is missing")
    return corpus.load(RAW)


def test_counts_match_hand_counted_gold(seeds):
    """Every occurrence of an opposition, government or event term, per seed and voice, was
    counted by reading (tests/gold/README_framing.md); absent rows are zero."""
    gold = pd.read_csv(GOLD)
    got = framing.count(seeds, LEXICON, voice=["own", "quoted"])
    got = got[got["category"].isin(gold["category"].unique()) & (got["count"] > 0)]
    merged = got.merge(gold, on=["article_id", "category", "term", "voice"], how="outer", suffixes=("", "_gold"))
    merged = merged.fillna({"count": 0, "count_gold": 0})
    wrong = merged[merged["count"] != merged["count_gold"]]
    assert wrong.empty, wrong[["article_id", "term", "voice", "count", "count_gold"]].to_string()


def test_seed_kwic_round_trips_and_permutations_are_fast(seeds):
    k = framing.kwic(seeds, "militants", lexicon=LEXICON)
    assert len(k) > 50
    assert all(seeds.texts[r.article_id][r.start : r.end] == r.match for r in k.itertuples())
    started = time.perf_counter()
    d = framing.distinctive_terms(seeds, LEXICON, permutations=1000, seed=0)
    assert time.perf_counter() - started < 5
    assert d["p_value"].dropna().between(1 / 1001, 1).all()
    assert d["enough_text"].all()  # every seed outlet has at least 300 own-voice words
