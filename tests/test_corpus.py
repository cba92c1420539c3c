"""The loader on the seed corpus: sentences, kinds, live-blog entries, offsets."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens import sentences as sent
from newslens.corpus import KINDS, load
from newslens.layout import is_headline


def test_loads_the_five_seeds_without_problems(seed_corpus):
    assert sorted(seed_corpus.articles["article_id"]) == [
        "fars-2016-12-17", "interpreter-2016-12-16", "newarab-2016-12-14", "rt-2016-12-15", "rt-2016-12-16",
    ]
    assert seed_corpus.problems.empty
    assert seed_corpus.articles["published_utc"].dt.tz is not None


def test_sentence_offsets_slice_back_to_clean_and_raw_text(seed_corpus):
    for r in seed_corpus.sentences.itertuples():
        clean = seed_corpus.texts[r.article_id]
        assert clean[r.start : r.end] == r.text
        raw = seed_corpus.cleaned[r.article_id].raw
        # The raw span holds the same words (markdown markers aside).
        assert raw[r.raw_start : r.raw_end].replace("**", "").replace("*", "")[:20].split()[0] in r.text


def test_every_sentence_has_a_known_kind(seed_corpus):
    assert set(seed_corpus.sentences["kind"]) <= set(KINDS)


def _kind_of(corpus, article_id: str, prefix: str) -> tuple[str, str]:
    s = corpus.sentences
    hit = s[(s["article_id"] == article_id) & s["text"].str.startswith(prefix)]
    assert len(hit) >= 1, f"no sentence starting {prefix!r} in {article_id}"
    return hit.iloc[0]["kind"], hit.iloc[0]["role"]


@pytest.mark.parametrize(
    ("article_id", "prefix", "kind", "role"),
    [
        ("rt-2016-12-16", "---", "boilerplate", "rule"),
        ("rt-2016-12-16", "16/12/2016", "boilerplate", "dateline"),
        ("rt-2016-12-16", "Trends Russian anti-terror", "boilerplate", "chrome"),
        ("rt-2016-12-16", "READ MORE: Liberation", "boilerplate", "crosslink"),
        ("rt-2016-12-16", "Read more 3,000+ militants", "boilerplate", "crosslink"),
        ("rt-2016-12-16", "Lizzie Phelan @LizziePhelan Aleppo deal off", "social", "post"),
        ("rt-2016-12-16", "“They are afraid", "quote", "text"),
        ("rt-2016-12-16", "E. Aleppo evacuations halted", "body", "headline"),
        ("newarab-2016-12-14", "2 min read", "boilerplate", "chrome"),
        ("newarab-2016-12-14", "14 December, 2016", "boilerplate", "dateline"),
        ("newarab-2016-12-14", "Civilians are waiting", "caption", "caption"),
        ("fars-2016-12-17", "Terrorist in Aleppo", "caption", "repeated_caption"),
        ("fars-2016-12-17", "Facebook Comments", "boilerplate", "chrome"),
        ("interpreter-2016-12-16", "View full page", "boilerplate", "embed"),
        ("interpreter-2016-12-16", "@Mr.Alhamdo (@Mr_Alhamdo) on Periscope", "boilerplate", "embed"),
        ("interpreter-2016-12-16", "Dec 16, 2016 23:13 (GMT)", "boilerplate", "stamp"),
        ("interpreter-2016-12-16", "— Pierre Vaux", "boilerplate", "signature"),
        ("interpreter-2016-12-16", "Aleppo evacuation suspended as blasts", "social", "embed"),
        ("interpreter-2016-12-16", "The evacuation convoy that was halted", "caption", "caption"),
        ("rt-2016-12-15", "You might also like", "boilerplate", "chrome"),
        ("rt-2016-12-15", "Comments are closed.", "boilerplate", "chrome"),
        ("rt-2016-12-15", "Mona Kurdy from the sister organization", "body", "text"),
        ("rt-2016-12-15", "“We expect that during the day", "quote", "text"),
    ],
)
def test_line_kinds(seed_corpus, article_id, prefix, kind, role):
    assert _kind_of(seed_corpus, article_id, prefix) == (kind, role)


def test_sentence_broken_across_a_blank_line_is_joined(seed_corpus):
    kind, _ = _kind_of(seed_corpus, "rt-2016-12-16", "The wounded\n\nmilitants have been evacuated")
    assert kind == "body"


def test_live_blog_entries_have_their_own_times(seed_corpus):
    arts = seed_corpus.articles.set_index("article_id")
    assert bool(arts.at["interpreter-2016-12-16", "live_blog"])
    assert not arts.loc[["rt-2016-12-16", "fars-2016-12-17"], "live_blog"].any()
    s = seed_corpus.sentences
    blog = s[s["article_id"] == "interpreter-2016-12-16"]
    times = blog.dropna(subset=["entry_time_utc"]).groupby("entry")["entry_time_utc"].first()
    stamps = {t.strftime("%H:%M") for t in times}
    assert stamps == {"13:45", "16:45", "23:13"}
    # Entry titles open entries; newest first, so the 23:13 entry comes before the 13:45 one.
    first = blog[blog["text"].str.startswith("What Happened In Aleppo Today")].iloc[0]
    jfs = blog[blog["text"].str.startswith("Jabhat Fateh al-Sham Reportedly")].iloc[0]
    assert first["entry_time_utc"].strftime("%H:%M") == "23:13"
    assert jfs["entry_time_utc"].strftime("%H:%M") == "13:45"
    assert blog["entry"].nunique() >= 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lt. Gen. Viktor Poznikhir said so. Then he left.", ["Lt. Gen. Viktor Poznikhir said so.", "Then he left."]),
        ("Evacuations from E. Aleppo halted. Talks go on.", ["Evacuations from E. Aleppo halted.", "Talks go on."]),
        ("The U.S. said 4.5 km. Russia said 6.", ["The U.S. said 4.5 km.", "Russia said 6."]),
        ("“It is over.” He left.", ["“It is over.”", "He left."]),
        ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
        ("Aleppo deal off 4 now. Army said rebels violated it", ["Aleppo deal off 4 now.", "Army said rebels violated it"]),
        ("Mr. Smith met Dr. Jones on Dec. 16 in St. Petersburg.", ["Mr. Smith met Dr. Jones on Dec. 16 in St. Petersburg."]),
        ("", []),
    ],
)
def test_sentence_splitting(text, expected):
    assert [text[a:b] for a, b in sent.split(text)] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("What Happened In Aleppo Today?", True),
        ("Would-Be Evacuees Report Regime Executed 4 People Before Sending Convoy Back", True),
        ("The image appears to be new and looks authentic.", False),
        ("Regime-allied forces then barricaded the road out with rubble:", False),
        ("Aleppo evacuation suspended as blasts heard at departure point", False),
    ],
)
def test_headline_detection(line, expected):
    assert is_headline(line) is expected


def test_n_words_counts_analysed_text_only(seed_corpus):
    s = seed_corpus.sentences
    for r in seed_corpus.articles.itertuples():
        mine = s[(s["article_id"] == r.article_id) & s["kind"].isin(["body", "quote", "social"])]
        assert r.n_words == int(mine["n_words"].sum()) > 200


def test_locate_points_at_the_raw_line(seed_corpus):
    s = seed_corpus.sentences
    row = s[s["text"].str.startswith("It added that over 4,500 militants")].iloc[0]
    where = seed_corpus.locate(row["article_id"], row["start"], row["end"])
    raw_lines = seed_corpus.cleaned[row["article_id"]].raw.split("\n")
    assert raw_lines[where["line"] - 1].startswith("It added that over 4,500 militants")
    assert where["file"] == "articles/rt-2016-12-16-evacuations-halted.txt"


def test_loading_is_deterministic(seed_raw):
    a, b = load(seed_raw), load(seed_raw)
    pd.testing.assert_frame_equal(a.sentences, b.sentences)
    pd.testing.assert_frame_equal(a.articles, b.articles)
