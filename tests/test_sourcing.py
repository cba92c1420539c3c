"""Sources and syndication for the notebook: known-answer shares, escaping, charts that render."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from newslens import charts, sourcing
from newslens.sourcing import OWN_VOICE, UNIDENTIFIED

RU, UN, OPP = "Russian government/military", "UN/ICRC/NGO", "opposition media/activists"
XSS = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
]


def articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a1", "a2", "b1"],
        "outlet": ["Alpha", "Alpha", "Beta"],
        "published_utc": pd.to_datetime(["2016-12-15T12:00Z", "2016-12-16T08:30Z", "2016-12-14T00:00Z"]),
        "published_precision": ["minute", "minute", "day"],
    })


def sentences() -> pd.DataFrame:
    rows = [  # sentence_id, article_id, kind, start, end
        ("a1-s0", "a1", "body", 0, 40), ("a1-s1", "a1", "body", 41, 90), ("a1-s2", "a1", "quote", 91, 120),
        ("a1-s3", "a1", "boilerplate", 121, 130), ("a2-s0", "a2", "body", 0, 50), ("b1-s0", "b1", "body", 0, 60),
        ("b1-s1", "b1", "body", 61, 99),
    ]
    df = pd.DataFrame(rows, columns=["sentence_id", "article_id", "kind", "start", "end"])
    return df.assign(text=[f"Sentence {i} <b>bold</b>" for i in range(len(df))])


def attributions() -> pd.DataFrame:
    rows = [  # sentence_id, article_id, source, source_type, start, end, carried
        ("a1-s0", "a1", "Russian General Staff", RU, 0, 10, False),
        ("a1-s1", "a1", "Russian General Staff", RU, 41, 50, False),
        ("a1-s1", "a1", "ICRC", UN, 60, 64, False),
        ("a2-s0", "a2", "Russian General Staff", RU, 0, 8, False),
        ("b1-s0", "b1", "activists", OPP, 5, 14, False),
        ("b1-s0", "b1", "Aleppo 24", OPP, 20, 29, False),
    ]
    return pd.DataFrame(rows, columns=["sentence_id", "article_id", "source", "source_type", "start", "end", "carried"])


def voice() -> pd.DataFrame:
    v = {"a1-s0": "attributed", "a1-s1": "attributed", "a1-s2": "attributed", "a1-s3": "stated",
         "a2-s0": "attributed", "b1-s0": "attributed", "b1-s1": "stated"}
    return pd.DataFrame({"sentence_id": list(v), "article_id": [k.split("-")[0] for k in v], "voice": list(v.values())})


def reuse(text_a: str = "The corridor will be monitored by web cameras along the road today",
          text_b: str = "The corridor monitored by web cameras along the road today, officials said") -> pd.DataFrame:
    return pd.DataFrame([
        {"article_a": "a1", "article_b": "b1", "start_a": 0, "end_a": len(text_a), "start_b": 0, "end_b": len(text_b),
         "n_words": 10, "similarity": 0.9, "text_a": text_a, "text_b": text_b, "direction": "b→a"},
        {"article_a": "a1", "article_b": "a2", "start_a": 5, "end_a": 11, "start_b": 0, "end_b": 6,
         "n_words": 6, "similarity": 1.0, "text_a": "x " * 3, "text_b": "x " * 3, "direction": "a→b"},
        {"article_a": "a2", "article_b": "b1", "start_a": 0, "end_a": 20, "start_b": 30, "end_b": 50,
         "n_words": 12, "similarity": 0.8, "text_a": "y" * 20, "text_b": "z" * 20, "direction": "unknown"},
    ])


def shares(profile: pd.DataFrame, group: str) -> dict[str, float]:
    return dict(zip(*profile[profile["outlet"] == group][["category", "share"]].T.values))


# Profiles --------------------------------------------------------------------------------------

def test_sentence_profile_known_shares():
    profile = sourcing.sentence_profile(sentences(), voice(), attributions(), articles())
    # Alpha: s0 Russian; s1 half Russian, half UN; s2 a quote with no source found; a2-s0 Russian.
    assert shares(profile, "Alpha") == {RU: 0.625, UN: 0.125, UNIDENTIFIED: 0.25}
    # Beta: two opposition sources in one sentence count once; one sentence in its own voice.
    assert shares(profile, "Beta") == {OPP: 0.5, OWN_VOICE: 0.5}
    assert profile.groupby("outlet")["share"].sum().round(6).eq(1).all()
    assert profile.set_index("outlet")["total"].to_dict() == {"Alpha": 4, "Beta": 2}  # boilerplate left out


def test_profile_follows_the_article_selection():
    chosen = sourcing.select(articles(), outlets=["Beta"])
    profile = sourcing.sentence_profile(sentences(), voice(), attributions(), chosen)
    assert set(profile["outlet"]) == {"Beta"}


def test_select_rejects_an_unknown_outlet():
    with pytest.raises(ValueError, match="Gamma"):
        sourcing.select(articles(), outlets=["Gamma"])


def test_figure_profile_known_shares():
    figures = pd.DataFrame({
        "figure_id": ["f1", "f2", "f3", "f4", "f5", "f6"],
        "article_id": ["a1", "a1", "a1", "a2", "b1", "b1"],
        "sentence_id": ["a1-s0", "a1-s1", "a1-s2", "a2-s0", "b1-s0", "b1-s1"],
        "attributed_to": ["Russian General Staff", "ICRC", None, "SANA", "activists", None],
        "voice": ["attributed", "attributed", "attributed", "attributed", "attributed", "stated"],
    })
    profile = sourcing.figure_profile(figures, attributions(), articles(),
                                      types={"SANA": "Syrian government/state media"})
    assert shares(profile, "Alpha") == {RU: 0.25, "Syrian government/state media": 0.25, UN: 0.25, UNIDENTIFIED: 0.25}
    assert shares(profile, "Beta") == {OPP: 0.5, OWN_VOICE: 0.5}
    unknown = sourcing.figure_profile(figures.assign(attributed_to="Nobody"), attributions(), articles())
    assert set(unknown["category"]) == {"unknown", OWN_VOICE}


def test_figure_profile_without_a_figures_table_is_empty():
    assert sourcing.figure_profile(None, attributions(), articles()).empty


def test_categories_keep_new_source_types_before_the_voiceless():
    cats = sourcing.categories([OWN_VOICE, "unknown", "a new type", RU])
    assert cats == [RU, "a new type", "unknown", OWN_VOICE]
    assert len(set(sourcing.colors(cats))) == len(cats)


# Tables ----------------------------------------------------------------------------------------

def test_source_matrix_counts_sentences_per_outlet():
    m = sourcing.source_matrix(attributions(), sentences(), articles())
    cell = m.set_index(["source", "outlet"])
    assert cell.loc[("Russian General Staff", "Alpha"), "sentences"] == 3
    assert cell.loc[("Russian General Staff", "Alpha"), "articles"] == 2
    assert cell.loc[("Russian General Staff", "Alpha"), "example"] == "Sentence 0 <b>bold</b>"
    assert list(m["source_type"].drop_duplicates()) == [RU, UN, OPP]


def test_disputes_table_names_both_sides_with_the_sentence():
    disputes = pd.DataFrame([{"sentence_id": "b1-s1", "article_id": "b1", "cue": "false", "target_source": None,
                              "start": 70, "end": 75, "disputer": "Beta", "disputer_kind": "outlet"}])
    table = sourcing.disputes_table(disputes, sentences(), articles())
    row = table.iloc[0]
    assert (row.outlet, row.disputer_kind, row.target_source) == ("Beta", "the outlet itself", "(not resolved)")
    assert row.sentence == "Sentence 6 <b>bold</b>"


def test_reuse_passages_put_the_earlier_article_first():
    p = sourcing.reuse_passages(reuse(), articles(), min_words=8)
    assert list(zip(p["earlier"], p["later"])) == [("a2", "b1"), ("b1", "a1")]  # 6-word passage left out
    swapped = p[p["earlier"] == "b1"].iloc[0]
    assert swapped.text_earlier.endswith("officials said") and swapped.text_later.endswith("today")
    unordered = p[p["earlier"] == "a2"].iloc[0]
    assert (unordered.text_earlier, unordered.text_later, unordered.known_order) == ("y" * 20, "z" * 20, False)
    assert p.set_index("earlier")["timing"].to_dict() == {"b1": "next day (date only)", "a2": "order unknown"}
    assert p["hours_apart"].isna().all()  # b1 is dated to the day only


def test_reuse_passages_hours_when_both_times_are_known():
    p = sourcing.reuse_passages(reuse(), articles(), min_words=1)
    row = p[p["later"] == "a2"].iloc[0]
    assert (row.hours_apart, row.timing) == (20.5, "20.5 h later")


def test_reuse_pairs_sum_words_and_weight_similarity():
    text = reuse()
    extra = text.iloc[[0]].assign(n_words=30, similarity=0.5, start_a=100)
    pairs = sourcing.reuse_pairs(sourcing.reuse_passages(pd.concat([text, extra]), articles()))
    first = pairs.iloc[0]
    assert (first.earlier, first.later, first.passages, first.words) == ("b1", "a1", 2, 40)
    assert first.similarity == round((10 * 0.9 + 30 * 0.5) / 40, 3)


def test_sanity_checks_hold_on_consistent_tables():
    checks = sourcing.sanity(sentences(), attributions(), voice(), pd.DataFrame({"sentence_id": []}),
                             reuse().assign(end_a=lambda d: d["start_a"] + d["text_a"].str.len()))
    assert checks["holds"].all()
    stray = attributions().assign(end=500, sentence_id=["nope"] + list(attributions()["sentence_id"][1:]))
    broken = sourcing.sanity(sentences(), stray, voice().iloc[1:], pd.DataFrame({"sentence_id": ["nope"]}),
                             reuse().assign(article_b="a1", end_a=1))
    assert not broken["holds"].any()


# Word differences and escaping -----------------------------------------------------------------

@pytest.mark.parametrize("a, b, left, right", [
    ("the convoy will be monitored", "the convoy monitored", "the convoy <del>will be</del> monitored",
     "the convoy monitored"),
    ("only radicals remain", "only militants remain", "only <del>radicals</del> remain",
     "only <mark>militants</mark> remain"),
    # Case and punctuation are not differences worth marking.
    ("Eastern Aleppo, today", "eastern Aleppo today", "Eastern Aleppo, today", "eastern Aleppo today"),
    ("same words", "same words", "same words", "same words"),
])
def test_word_diff(a, b, left, right):
    assert sourcing.word_diff(a, b) == (left, right)


@pytest.mark.parametrize("payload", XSS)
def test_word_diff_escapes_article_text(payload):
    left, right = sourcing.word_diff(f"before {payload} after", f"before {payload} changed after")
    for out in (left, right):
        assert "<script" not in out and "<img" not in out and "</script" not in out
    assert "&lt;/script&gt;&lt;script&gt;" in left or "&lt;img" in left
    assert right.count("<mark>") == 1


def test_passages_html_escapes_every_field():
    bad = " ".join(XSS)
    r = reuse(text_a=f"The corridor {bad} was opened", text_b=f"The corridor {XSS[0]} was opened")
    arts = articles().assign(outlet=["<i>Alpha</i>", "<i>Alpha</i>", "Beta<script>"])
    out = sourcing.passages_html(sourcing.reuse_passages(r, arts))
    tags = set(re.findall(r"</?([a-zA-Z]+)", out))
    assert tags <= {"table", "tr", "th", "td", "br", "mark", "del"}
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "&lt;i&gt;Alpha&lt;/i&gt;" in out and "Beta&lt;script&gt;" in out
    assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in out  # added by the later text


def test_passages_html_says_when_there_is_nothing():
    assert "No shared passages" in sourcing.passages_html(sourcing.reuse_passages(reuse(), articles(), min_words=99))


# Charts (rendered offline) ----------------------------------------------------------------------

def marks(svg: str, role: str) -> int:
    """Marks of one kind in a rendered SVG ("bar", "rect mark", "rule mark", "point")."""
    return svg.count(f'aria-roledescription="{role}"')


def test_profile_chart_draws_one_segment_per_share():
    profile = sourcing.sentence_profile(sentences(), voice(), attributions(), articles())
    svg = charts.to_svg(sourcing.profile_chart(profile, title="Whom each outlet lets speak"))
    assert marks(svg, "bar") == len(profile)
    assert "62%" in svg and "50%" in svg  # segments wide enough carry their share


def test_matrix_chart_draws_one_cell_per_source_and_outlet():
    m = sourcing.source_matrix(attributions(), sentences(), articles())
    svg = charts.to_svg(sourcing.matrix_chart(m, title="Who cites whom"))
    assert marks(svg, "rect mark") == len(m)
    assert "Russian General Staff" in svg and RU in svg


def test_reuse_map_draws_articles_and_links():
    arts = articles()
    pairs = sourcing.reuse_pairs(sourcing.reuse_passages(reuse(), arts))
    svg = charts.to_svg(sourcing.reuse_map(pairs, arts, title="Shared passages"))
    assert marks(svg, "rule mark") == len(pairs) == 2
    assert marks(svg, "point") == len(arts)
    assert "Beta · 14 Dec" in svg and "10 words" in svg


def test_chart_text_is_escaped_in_svg():
    arts = articles().assign(outlet=["<img src=x onerror=alert(1)>"] * 2 + ["Beta"])
    profile = sourcing.sentence_profile(sentences(), voice(), attributions(), arts)
    svg = charts.to_svg(sourcing.profile_chart(profile))
    assert "<img" not in svg and "&lt;img" in svg
