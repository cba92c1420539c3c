"""newslens.framing_views: chart tables, charts rendered offline (marks counted), the explorer."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from newslens import charts, framing, framing_views as fv
from test_framing import LEXICON, make_corpus, synthetic

CORPUS = make_corpus([
    ("a", "Alpha", [[("body", "Militants, militants and rebels met the regime; the Syrian Army, fighters and Hezbollah.")]]),
    ("b", "Beta", [[("body", "The rebels and the <script>alert(1)</script> regime forces; evacuation began.")]]),
])
SPARSE = framing.count(CORPUS, LEXICON, voice=["own", "quoted"], zeros=False)
WORDS = framing.voice_words(CORPUS)


def marks(svg: str, kind: str) -> int:
    """Marks of one kind in an SVG from vl-convert (bars are 'bar', other marks '<kind> mark')."""
    return len(re.findall(f'aria-roledescription="{kind}"', svg))


def test_rates_heatmap_one_cell_and_label_per_outlet_and_category():
    r = framing.rates(SPARSE, WORDS, CORPUS.articles, LEXICON)
    svg = charts.to_svg(fv.rates_heatmap(r, LEXICON))
    n = 2 * len(LEXICON.categories)
    assert marks(svg, "rect mark") == n and marks(svg, "text mark") == n
    assert "outlet: Alpha; per 1,000 words: 307.7; count: 4; n_words: 13" in svg  # counts in the tooltip


def test_rate_label_says_when_an_outlet_has_no_text():
    r = framing.rates(SPARSE, WORDS.assign(n_words=0), CORPUS.articles, LEXICON)
    assert set(charts.chart_data(fv.rates_heatmap(r, LEXICON))["label"]) == {"no text"}


def test_actor_view_folds_rare_labels_and_keeps_outlets_without_labels():
    shares = framing.actor_shares(SPARSE, CORPUS.articles, LEXICON)
    view = fv.actor_view(shares, top=1)
    opp = view[view.actor == "opposition"]
    assert set(opp["label"]) == {"militants", fv.OTHER}
    alpha = opp[opp.outlet == "Alpha"].set_index("label")
    assert alpha.loc["militants", "share"] == pytest.approx(0.5)
    assert alpha.loc[fv.OTHER, "labels"] == "fighters 1, rebels 1"
    allies = view[(view.actor == "allies") & (view.outlet == "Beta")]
    assert list(allies["label"]) == ["none used"] and allies["share"].isna().all()
    shares_sum = view.dropna(subset=["share"]).groupby(["actor", "outlet"])["share"].sum()
    assert ((shares_sum - 1).abs() < 0.01).all()


def test_actor_bars_one_bar_segment_per_used_label():
    view = fv.actor_view(framing.actor_shares(SPARSE, CORPUS.articles, LEXICON))
    svg = charts.to_svg(fv.actor_bars(view))
    assert marks(svg, "bar") == (view["count"] > 0).sum() == 8
    assert "fighters (ambiguous)" in svg


@pytest.fixture(scope="module")
def distinctive():
    return framing.distinctive_terms(synthetic(), LEXICON, permutations=200, min_words=300)


def test_distinctive_view_status_never_promotes_noise(distinctive):
    view = fv.distinctive_view(distinctive)
    assert not distinctive.loc[distinctive["low_count"]].empty
    assert len(view) == (~distinctive["low_count"]).sum()  # untested terms are listed apart
    found = view[view.status == "finding"]
    assert set(zip(found.outlet, found.term)) == set(
        zip(*distinctive.loc[distinctive["finding"], ["outlet", "term"]].to_numpy().T))
    assert set(view[view.outlet == "C"]["status"]) == {"too little text"}
    assert set(fv.untested(distinctive)["term"]) == set(distinctive.loc[distinctive.low_count & (distinctive.total > 0), "term"])


def test_distinctive_chart_one_dot_per_tested_row_findings_stand_out(distinctive):
    view = fv.distinctive_view(distinctive)
    svg = charts.to_svg(fv.distinctive_chart(view))
    dots = re.findall(r'aria-label="([^"]*status: [^"]*)"', svg)
    assert len(dots) == len(view)
    assert sum("status: finding" in d for d in dots) == (view.status == "finding").sum() > 0
    assert "Benjamini" in svg


def test_kwic_table_and_counts_carry_outlet_and_voice():
    k = fv.kwic_table(CORPUS, "regime", LEXICON)
    assert list(k.columns) == fv.KWIC_COLUMNS
    assert list(k["outlet"]) == ["Alpha"]  # "regime forces" is its own term
    counts = fv.kwic_counts(CORPUS, ["rebels", "terrorists"], LEXICON)
    assert list(counts.columns) == ["label", "outlet", "own", "quoted", "none"]
    assert len(counts) == 4 and counts.set_index(["label", "outlet"]).loc[("terrorists", "Beta"), "own"] == 0


def test_kwic_explorer_searches_and_reports_errors_as_text(monkeypatch, capsys):
    pytest.importorskip("ipywidgets")
    box, _ = fv.kwic_explorer(CORPUS, LEXICON).children  # without a kernel, output goes to stdout
    for value in ["rebels", "opposition", "((", "   ", "<script>"]:
        box.value = value
    printed = capsys.readouterr().out
    assert "2 occurrences of 'rebels'" in printed and "Type a word" in printed
    monkeypatch.setattr(fv, "kwic_table", lambda *a, **k: 1 / 0)
    box.value = "militants"
    assert "Could not show 'militants': division by zero" in capsys.readouterr().out
