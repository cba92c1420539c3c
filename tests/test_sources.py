"""Attribution, voice and disputes: table-driven cases, lexicon validation, seed gold."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from newslens import _prefilter, sources
from newslens.lexicons import LexiconError
from newslens.sources import SOURCE_TYPES, attribute, disputes, load_sources, unknown_sources, voice

ROOT = Path(__file__).resolve().parents[1]
LEX = load_sources()


def make_corpus(articles: dict[str, list]) -> SimpleNamespace:
    """A corpus from {article_id: [sentence | (kind, sentence) | None (paragraph break)]}."""
    texts, rows, meta = {}, [], []
    for aid, items in articles.items():
        text, para = "", 0
        for n, item in enumerate(items):
            if item is None:
                text, para = text + "\n\n", para + 1
                continue
            kind, sentence = item if isinstance(item, tuple) else ("body", item)
            start = len(text) + (1 if text and not text.endswith("\n") else 0)
            text = text[: len(text)] + (" " if start > len(text) else "") + sentence
            rows.append({"sentence_id": f"{aid}-s{n:04d}", "article_id": aid, "paragraph": para,
                         "position": n, "start": start, "end": len(text), "kind": kind,
                         "text": sentence, "entry": 0, "entry_time_utc": pd.NaT})
        texts[aid] = text
        meta.append({"article_id": aid, "outlet": f"Outlet {aid}", "published_utc": pd.NaT})
    return SimpleNamespace(texts=texts, sentences=pd.DataFrame(rows), articles=pd.DataFrame(meta))


def cited(sentences: list) -> list[tuple]:
    corpus = make_corpus({"a": sentences})
    table = attribute(corpus, LEX)
    return [(r.source, r.cue, r.nested_in if isinstance(r.nested_in, str) else None, r.carried)
            for r in table.itertuples()]


@pytest.mark.parametrize("sentences, expected", [
    (["RIA Novosti cited a source at the Syrian Army headquarters as saying that the militants opened fire."],
     [("RIA Novosti", "cited", None, False), ("Syrian Army", "cited", "RIA Novosti", False)]),
    (["Ali Rizk, Middle East affairs expert, told RT that the militants fear the aftermath."],
     [("Ali Rizk", "told", None, False)]),
    ([("social", "Lizzie Phelan @LizziePhelan Aleppo deal off 4 now.")], [("RT", "tweet", None, False)]),
    (["Earlier on Friday, the center said that all women and children have been evacuated.",
      "It added that over 4,500 militants have been evacuated."],
     [("Russian Reconciliation Center", "said", None, True), ("Russian Reconciliation Center", "added", None, True)]),
    (["According to the latest figures from the Russian Defense ministry, only 2 percent of Aleppo is still held."],
     [("Russian Defence Ministry", "according to", None, False)]),
    (["Syrian news agency SANA also reported on Friday that militants tried to smuggle weapons.",
      "The agency also reports that militants have opened fire."],
     [("SANA", "reported", None, False), ("SANA", "reports", None, True)]),
    (["“The militants are firing at Syrian troops,” the Russian Defense Ministry said in a statement."],
     [("Russian Defence Ministry", "said in a statement", None, False)]),
    (["The militants that remain have been firing at the Syrian forces, the center's statement added."],
     [("Russian Reconciliation Center", "added", None, True)]),
    (["Spokesperson for the ICRC in Syria, Ingy Sedky, told RT that it was going well.",
      "She added that there were no signs of an attack."],
     [("ICRC", "told", None, False), ("ICRC", "added", None, True)]),
    (["Local officials in Idlib said the road was closed."], [("Local officials in Idlib", "said", None, False)]),
    # hard negatives: nouns that look like verbs, passives, the outlet itself, pronouns with no antecedent
    (["It follows reports of disagreements between militias and Russia."], []),
    (["Around 150 injured civilians were told they would be the first to leave."], []),
    (["As we reported earlier, the convoy was stopped."], []),
    (["He added that the road was closed."], []),
    (["This stands at odds with media reports that thousands remain."], []),
])
def test_attribution_cases(sentences, expected):
    assert cited(sentences) == expected


def test_tweet_continuation_and_nested_claim():
    corpus = make_corpus({"a": [("social", "Lizzie Phelan @LizziePhelan Aleppo deal off 4 now."),
                                ("social", "Army said rebels violated the agreement.")]})
    table = attribute(corpus, LEX)
    second = table[table["sentence_id"] == "a-s0001"]
    assert set(second["source"]) == {"RT", "Syrian Army"}
    assert second.set_index("source").loc["Syrian Army", "nested_in"] == "RT"


def test_offsets_surface_and_unknowns_kept():
    corpus = make_corpus({"a": ["Intro sentence here.", "Kareem Shaheen reports that a deal is near.",
                                "Some local officials said the road was open."],
                          "b": [("boilerplate", "Reuters said nothing useful."), "Nothing cited here."]})
    table = attribute(corpus, LEX)
    for r in table.itertuples():
        assert corpus.texts[r.article_id][r.start:r.end] == r.surface
    assert list(table["source"]) == ["The Guardian", "Some local officials"]
    assert set(table["source_type"]) <= set(SOURCE_TYPES)
    assert list(unknown_sources(table)["source"]) == ["Some local officials"]
    assert "b" not in set(table["article_id"])  # boilerplate excluded by default


def test_voice_covers_every_sentence():
    corpus = make_corpus({"a": ["The convoy left at noon.", "The center said it was on time.",
                                ("quote", "“All is calm.”")]})
    v = voice(corpus, attribute(corpus, LEX))
    assert list(v["voice"]) == ["stated", "attributed", "attributed"]
    assert len(v) == len(corpus.sentences)


def test_disputes_outlet_versus_cited_source():
    corpus = make_corpus({"a": [
        "The TsPP claimed earlier this morning that all women and children had been evacuated – a claim at odds with almost all reports.",
        "Both these statements are false.",
        "The Russian military claims that no convoys were stopped, despite overwhelming evidence to the contrary.",
        "She said the account does not correspond with reality.",
    ]})
    d = disputes(corpus, attribute(corpus, LEX), sources=LEX)
    got = list(zip(d["cue"], d["disputer_kind"], d["target_source"]))
    assert got[:3] == [("a claim at odds with", "outlet", "Russian Reconciliation Center"),
                       ("both these statements are false", "outlet", "Russian Reconciliation Center"),
                       ("despite overwhelming evidence to the contrary", "outlet", "Russian Defence Ministry")]
    assert d["disputer"].iloc[0] == "Outlet a"


@pytest.mark.parametrize("yaml_text, message, line", [
    ("sources:\n  - name: A\n    source_type: analyst\n    aliases: [x]\n  - name: B\n    source_type: analyst\n    aliases: [y, X]\n",
     "also belongs to 'A'", 7),
    ("sources:\n  - name: A\n    source_type: pundit\n    aliases: [x]\n", "unknown source_type", 3),
    ("sources:\n  - name: A\n    source_type: analyst\n    aliases:\n      - x\n      - ''\n", "empty alias", 6),
])
def test_lexicon_errors_name_the_line(tmp_path, yaml_text, message, line):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as err:
        load_sources(path)
    assert err.value.line == line


def test_shipped_lexicon_aliases():
    for surface in ["Russian Reconciliation Center", "Russian Center for Reconciliation", "TsPP",
                    "Russian Center for the Reconciliation of the Warring Sides in Syria"]:
        assert LEX.resolve(surface)[0] == "Russian Reconciliation Center"
    assert LEX.resolve("Aleppo24 News")[0] == LEX.resolve("Aleppo 24")[0] == "Aleppo 24"


def test_gold_attributions_on_seeds(seed_corpus):
    corpus = seed_corpus
    table = attribute(corpus)
    gold = pd.read_csv(ROOT / "tests" / "gold" / "attributions_seeds.csv", dtype=str)
    sent = corpus.sentences
    ids = [sent[(sent["article_id"] == g.article_id) & sent["text"].str.startswith(g.sentence_prefix)]["sentence_id"]
           for g in gold.itertuples()]
    assert all(len(i) for i in ids), "every gold prefix starts a sentence"
    expected = {(i.iloc[0], g.source) for i, g in zip(ids, gold.itertuples())}
    found = set(zip(table["sentence_id"], table["source"]))
    precision, recall = len(found & expected) / len(found), len(found & expected) / len(expected)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, sorted(expected - found), sorted(found - expected))
    for r in table.itertuples():
        assert corpus.texts[r.article_id][r.start:r.end] == r.surface


# --- prefilters: cheap word tests that must never drop a regex match ---------------------------

TRICKY = ["Iran’s Foreign Ministry said", "İRAN said", "the ſyrian army said", "RUSSIAN\u00a0DEFENCE MINISTRY",
          "@LizziePhelan tweets", "according\u202fto the UN", "the U.N.'s envoy", "x-Syrian Army", "Syrian_Army"]


def test_caseless_keeps_every_case_insensitive_ascii_match():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for ch in "abcdefghijklmnopqrstuvwxyz0123456789":
        matches = set(re.findall(re.escape(ch), every, re.IGNORECASE))
        assert {_prefilter.caseless(m) for m in matches} == {ch}, ch
    non_word = re.sub(r"\w", "", every)
    assert not re.search(r"[a-z0-9]", _prefilter.caseless(non_word))


def _seed_sentences(seed_corpus) -> list[str]:
    return [_prefilter.fold(t) for t in seed_corpus.sentences["text"]] + [_prefilter.fold(t) for t in TRICKY]


def test_alias_prefilter_finds_what_the_full_pattern_finds(seed_corpus):
    for text in _seed_sentences(seed_corpus):
        full = [(m.span(), m.group()) for m in LEX.pattern.finditer(text)]
        assert [(m.span(), m.group()) for m in LEX.finditer(text)] == full, text


def test_cue_prefilter_keeps_every_sentence_with_a_cue(seed_corpus):
    patterns = [sources._CUE_VERB, sources._ACCORDING, sources._CITING, sources._FROM, sources._HANDLE]
    for text in _seed_sentences(seed_corpus):
        found = sources._CUES.candidates(text)
        assert all(k in found for k, p in enumerate(patterns) if p.search(text)), text


def test_prefilter_words_and_substrings():
    pre = _prefilter.Prefilter([[("halt*",)], [("agreement",), ("reached", "struck")], [("@",)], [("şam",)], None])
    assert pre.candidates("Talks HALTED; agreement struck") == [0, 1, 3, 4]
    assert pre.candidates("an agreement nobody reached") == [1, 3, 4]
    assert pre.candidates("agreements were reached") == [3, 4]  # "agreement" must be a whole word
    assert pre.candidates("@user") == [2, 3, 4]


def test_lexicon_is_parsed_once_per_content(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text((ROOT / "data" / "lexicons" / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    first = load_sources(path)
    assert load_sources(path) is first
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_sources(path) is not first


def test_dispute_prefilter_keeps_every_sentence_with_a_cue(seed_corpus):
    from newslens import disputes as d

    cues = ["Both these statements are FALSE.", "He falsely claimed", "a claim at odds with", "no evidence"]
    for text in _seed_sentences(seed_corpus) + cues:
        assert not d._DISPUTE.search(text) or d._CUES.candidates(text), text
