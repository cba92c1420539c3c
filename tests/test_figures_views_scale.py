"""The figures notebook's views stay readable and bounded at any corpus size: per-figure marks
for a small selection, sums per claim × outlet × voice for a large one; bounded tables; the
stored tables read through `newslens.dataset.Dataset` give what the notebook showed before."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from newslens import charts, claims, store
from newslens import figures_views as views
from newslens.dataset import ENGINES, Dataset

RULES = claims.load_rules()
PROCESSED = Path(__file__).resolve().parents[1] / "data" / "processed"
TEXTS = {
    "people": "More than {v:,} people have been evacuated, the centre said.",
    "buses": "Some {v:,} buses were provided.",
}


def fig(i: int, *, outlet: str, value: int, entity: str = "people", event: str = "evacuated", voice: str = "stated",
        day: str = "2016-12-16", article: str | None = None, approx: str = "exact", role: str = "text",
        k: int = 0) -> dict:
    """One figures-table row of a generated article ``article`` (default: one article per figure)."""
    article = article or f"{outlet.lower()}-{i:05d}"
    text = TEXTS["buses" if entity == "buses" else "people"].format(v=value)
    surface = f"{value:,}"
    at = text.index(surface)
    sentence = f"{article}-s0001"
    source = outlet if voice == "stated" else "Russian centre"
    return {"figure_id": f"{sentence}-f{k:02d}", "article_id": article, "sentence_id": sentence, "start": at,
            "end": at + len(surface), "surface": surface, "value_low": float(value), "value_high": float(value),
            "approx": approx, "unit": "count", "entity": entity, "event": event, "attributed_to": source,
            "source_type": "outlet" if voice == "stated" else "military", "voice": voice, "as_of_date": day,
            "time_zone": "Asia/Damascus", "time_ref_basis": "published", "outlet": outlet, "kind": "body",
            "role": role, "sentence_start": 0, "text": text}


def many(n_per: int, outlets=("A", "B", "C"), days=("2016-12-15", "2016-12-16")) -> pd.DataFrame:
    rows, i = [], 0
    for outlet in outlets:
        for day in days:
            for voice in ("stated", "attributed"):
                for j in range(n_per):
                    rows.append(fig(i, outlet=outlet, value=4000 + 10 * j, voice=voice, day=day))
                    i += 1
    return pd.DataFrame(rows)


# --- the claim chart -----------------------------------------------------------------------------


def test_small_selection_draws_one_line_per_figure():
    f = many(2)  # 24 figures, far under the threshold
    c = claims.compare(f, rules=RULES)
    data = views.chart_data(f, c, rules=RULES)
    assert "n_figures" not in data.columns
    assert len(data) == len(f) and sorted(data["figure_id"]) == sorted(f["figure_id"])
    assert set(data["interval"]) == {views.INTERVALS[0]}  # exact figures: closed intervals


def test_small_path_is_the_same_whether_or_not_figures_come_assigned():
    f = many(2)
    c = claims.compare(f, rules=RULES)
    pd.testing.assert_frame_equal(views.chart_data(f, c, rules=RULES),
                                  views.chart_data(claims.assign(f, rules=RULES), c, rules=RULES))


def test_large_selection_sums_up_per_claim_outlet_and_voice():
    f = many(100)  # 1,200 figures in 2 claims: over MAX_FIGURE_MARKS
    assert len(f) > views.MAX_FIGURE_MARKS
    c = claims.compare(f, rules=RULES)
    data = views.chart_data(f, c, rules=RULES)
    assert len(data) == 2 * 3 * 2  # claims × outlets × voices
    assert data["n_figures"].sum() == len(f)
    row = data[(data["track"] == "A") & (data["mark"] == "stated")].iloc[0]
    assert (row["low"], row["best"], row["high"]) == (4000.0, 4495.0, 4990.0)  # smallest, median, largest
    assert row["figure_id"] in set(f["figure_id"]) and row["sentence"].startswith("More than")  # an example, with provenance
    assert "100 figures" in row["surface"]
    svg = charts.to_svg(views.claims_chart(data))
    rules_drawn = sum(g.count("<line") + g.count("<path") for g in
                      re.findall(r'<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S))
    assert rules_drawn == len(data)


def test_large_selection_keeps_the_claims_with_the_most_figures_and_stays_under_the_row_limit():
    days = tuple(f"2016-12-{d:02d}" for d in range(1, 31))
    f = many(20, outlets=tuple(f"O{i:02d}" for i in range(20)), days=days)  # 24,000 figures, 30 claims
    c = claims.compare(f, rules=RULES)
    data = views.chart_data(f, c, rules=RULES)
    assert data["claim_id"].nunique() == views.MAX_CLAIM_PANELS
    assert len(data) < charts.MAX_ROWS and len(data) == views.MAX_CLAIM_PANELS * 20 * 2


# --- bounded tables ------------------------------------------------------------------------------


def test_tables_are_unchanged_when_small_and_bounded_with_a_line_when_large(capsys):
    small = claims.compare(many(2), rules=RULES)
    out = views.claims_table(small)
    assert len(out) == len(small) and capsys.readouterr().out == ""
    big = claims.compare(many(2, outlets=tuple(f"O{i:02d}" for i in range(20)),
                              days=tuple(f"2016-12-{d:02d}" for d in range(1, 11))), rules=RULES)
    assert len(big) > views.MAX_TABLE_ROWS
    out = views.claims_table(big)
    assert len(out) == views.MAX_TABLE_ROWS
    assert f"{len(big):,} claim × outlet rows in all; showing the {views.MAX_TABLE_ROWS}" in capsys.readouterr().out


def test_figure_table_shows_the_first_figures_of_each_outlet(capsys):
    f = many(40)  # 480 figures, 3 outlets
    assert len(views.figure_table(f, max_rows=None)) == len(f)
    capsys.readouterr()
    shown = views.figure_table(f)
    assert len(shown) <= views.MAX_FIGURE_ROWS and set(shown["outlet"]) == {"A", "B", "C"}
    assert (shown.groupby("outlet").size() == views.MAX_FIGURE_ROWS // 3).all()
    assert "480 figures in all" in capsys.readouterr().out


def test_explorer_shows_and_offers_a_bounded_selection():
    f = many(40)
    widget = views.explorer(f, rules=RULES, corrections_path="unused.csv", max_rows=30)
    assert len(widget.children[-1].children[0].options) <= 30  # the correction form's figures


# --- what an article contradicts itself on -----------------------------------------------------------


def breakdown_article(article: str) -> list[dict]:
    total = fig(0, outlet="Fars", value=8079, entity="militants", article=article)
    text = "3,475 men, 3,137 women and 2,359 children have left Aleppo."
    parts = []
    for k, (surface, entity) in enumerate([("3,475", "men"), ("3,137", "women"), ("2,359", "children")]):
        at = text.index(surface)
        parts.append({**total, "figure_id": f"{article}-s0002-f{k:02d}", "sentence_id": f"{article}-s0002",
                      "start": 100 + at, "end": 100 + at + len(surface), "surface": surface,
                      "value_low": float(surface.replace(",", "")), "value_high": float(surface.replace(",", "")),
                      "entity": entity, "sentence_start": 100, "text": text})
    return [total, *parts]


def test_self_contradictions_checks_the_first_articles_that_could_contradict_themselves(capsys):
    rows = []
    for i in range(30):
        rows += breakdown_article(f"fars-{i:03d}") if i % 2 else [fig(i, outlet="RT", value=5000, article=f"fars-{i:03d}")]
    f = pd.DataFrame(rows)
    small = views.self_contradictions(f, rules=RULES, max_articles=100)
    assert len(small) == 15 and capsys.readouterr().out == ""  # small: every article, as before
    pd.testing.assert_frame_equal(small, claims.inconsistencies(f, rules=RULES))
    big = views.self_contradictions(f, rules=RULES, max_articles=4)
    assert list(big["article_id"]) == ["fars-001", "fars-003", "fars-005", "fars-007"]
    assert "30 articles: checked the first 4" in capsys.readouterr().out


def test_candidate_articles_hold_every_article_with_a_finding():
    f = store.read_table(PROCESSED, "figures")
    found = set(claims.inconsistencies(f, rules=RULES)["article_id"])
    assert found and found <= set(views.candidate_articles(claims.assign(f, rules=RULES), rules=RULES))


# --- reading through the Dataset ---------------------------------------------------------------------


@pytest.fixture(scope="module", params=ENGINES)
def data(request):
    pytest.importorskip({"pandas": "pandas", "duckdb": "duckdb", "dask": "dask"}[request.param])
    return Dataset(PROCESSED, request.param)


@pytest.mark.parametrize("kwargs", [{}, {"outlets": ["RT", "Fars"]}, {"entities": ["people", "militants"]},
                                    {"since": "2016-12-15", "until": "2016-12-16"}, {"outlets": ["nobody"]}])
def test_read_selection_keeps_what_select_kept(data, kwargs):
    everything = store.read_table(PROCESSED, "figures")
    got = views.read_selection(data, **kwargs)
    pd.testing.assert_frame_equal(got, views.select(everything, **kwargs)[views.READ_COLUMNS])


def test_stored_claims_stand_in_for_a_fresh_comparison_of_every_figure(data):
    from newslens import figures

    everything = store.read_table(PROCESSED, "figures")
    ref = figures.load_reference()
    fresh = figures.compare(everything, disputes=store.read_table(PROCESSED, "disputes"), reference=ref)
    figs = views.read_selection(data)
    pd.testing.assert_frame_equal(views.claims_for(data, figs, selected=False, reference=ref), fresh)
    pd.testing.assert_frame_equal(views.claims_for(data, figs, selected=True, reference=ref), fresh)


def test_stored_claims_check_in_full_or_on_the_smallest_claims(data):
    stored = data.table("claims")
    assert views.check_stored_claims(data, stored) == "stored claims match a fresh comparison: True"
    sample = views.check_stored_claims(data, stored, limit=10)
    assert sample.startswith("stored claims match a fresh comparison (the ") and sample.endswith("figures): True")
    figs = views.assigned(views.read_selection(data))
    assert views.check_stored_claims(data, stored, figures=figs, limit=10) == sample


def test_voices_by_outlet_counts_in_the_engine_what_a_groupby_counted(data):
    everything = store.read_table(PROCESSED, "figures")
    expected = everything.groupby(["outlet", "voice"]).size().unstack(fill_value=0)
    pd.testing.assert_frame_equal(views.voices_by_outlet(data), expected)
