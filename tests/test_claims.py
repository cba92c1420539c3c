"""Claims on figure tables built here: grouping, low/best/high, disagreement, repeats vs disputes,
internal inconsistencies, reference placement, rules validation, and the claim chart offline."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from newslens import charts, claims
from newslens import figures_views as views
from newslens.lexicons import LexiconError

RULES = claims.load_rules()


def fig(text: str, surface: str, *, outlet: str = "RT", article_id: str = "a1", sentence: str = "a1-s0001",
        value: float | None = None, high: float | None = None, approx: str = "exact", entity: str = "people",
        event: str = "evacuated", unit: str = "count", attributed_to: str | None = None, role: str = "text",
        day: str = "2016-12-16", offset: int = 0, k: int = 0) -> dict:
    """One figures-table row; the value is read from the surface's digits unless given."""
    at = text.index(surface)
    low = value if value is not None else float(re.sub(r"[^\d.]", "", surface))
    who = attributed_to or outlet
    return {"figure_id": f"{sentence}-f{k:02d}", "article_id": article_id, "sentence_id": sentence,
            "start": offset + at, "end": offset + at + len(surface), "surface": surface, "value_low": low,
            "value_high": high if high is not None else low, "approx": approx, "unit": unit, "entity": entity,
            "event": event, "attributed_to": who, "source_type": "outlet" if who == outlet else "unknown",
            "voice": "stated" if who == outlet else "attributed", "as_of_date": day, "time_zone": "Asia/Damascus",
            "time_ref_basis": "published", "outlet": outlet, "kind": "body", "role": role,
            "sentence_start": offset, "text": text}


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


# --- low / best / high -------------------------------------------------------------------------------

NAN = math.nan


@pytest.mark.parametrize("approx, lo, hi, expected", [
    ("exact", 337, 337, (337, 337, 337)),
    ("approximate", 900, 900, (810, 900, 990)),
    ("more_than", 4500, 4500, (4500, 4500, NAN)),
    ("at_least", 8079, 8079, (8079, 8079, NAN)),
    ("up_to", 100000, 100000, (NAN, 100000, 100000)),
    ("less_than", 50, 50, (NAN, 50, 50)),
    ("range", 4000, 5000, (4000, 4500, 5000)),
    ("vague", 2000, 9999, (2000, NAN, 9999)),
])
def test_interval_follows_ucdp_low_best_high(approx, lo, hi, expected):
    got = claims.interval(approx, float(lo), float(hi), rules=RULES)
    assert all((math.isnan(g) and math.isnan(e)) or g == pytest.approx(e) for g, e in zip(got, expected))


# --- grouping ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, surface, entity, event, unit, group", [
    ("Media said 8,079 militants and their families have been evacuated.", "8,079", "militants", "evacuated", "count", "people_evacuated"),
    ("Evacuation of 5,000 militants with families begins", "5,000", "militants", "evacuated", "count", "people_evacuated"),
    ("3,000+ militants & their families leave E. Aleppo", "3,000+", "militants", "evacuated", "count", "people_evacuated"),
    ("Over 4,500 militants have been evacuated along with their families.", "4,500", "militants", "evacuated", "count", "militants_evacuated"),
    ("A total of over 9,500 people have been moved out.", "9,500", "people", "evacuated", "count", "people_evacuated"),
    ("A convoy carrying some 900 people was stopped.", "some 900", "people", "", "count", "convoy_size"),
    ("Reports that one of the convoys carrying 950 militants was turned back", "950", "militants", "", "count", "convoy_size"),
    ("Relocating thousands of civilians from Fua’a and Kafraya.", "thousands", "civilians", "evacuated", "count", "fuaa_kefraya"),
    ("About 2,000 armed men moved to al-Ramouseh and prevent the exit of militants.", "2,000", "fighters", "evacuated", "count", ""),
    ("Around 60,000 Syrians are trapped.", "60,000", "syrians", "trapped", "count", "trapped"),
    ("Twenty passenger busses and 10 ambulances have been provided.", "10", "ambulances", "provided", "count", "ambulances"),
    ("10 cargos of vehicles have evacuated people.", "10", "vehicles", "provided", "count", ""),
    ("A 21km humanitarian corridor has been set up.", "21", "km", "", "km", ""),
])
def test_groups_follow_the_yaml_rules(text, surface, entity, event, unit, group):
    row = fig(text, surface, entity=entity, event=event, unit=unit, value=1.0)
    assert claims.assign(table(row), rules=RULES).loc[0, "group"] == group


def test_a_share_stated_from_the_other_side_is_complemented():
    f = table(fig("Only 2 percent of Aleppo is still controlled by a few militants.", "2", entity="percent",
                  event="controlled", unit="percent"),
              fig("98 percent of Aleppo city was under the control of the Army.", "98", entity="percent",
                  event="controlled", unit="percent", sentence="a1-s0002"))
    a = claims.assign(f, rules=RULES)
    assert list(a["best"]) == [98.0, 98.0] and set(a["claim_id"]) == {"share_held@story"}


def test_day_windows_keep_cumulative_counts_of_different_days_apart():
    text = "More than 9,500 people have been evacuated."
    f = table(fig(text, "9,500", approx="more_than", day="2016-12-16"),
              fig(text, "9,500", approx="more_than", day="2016-12-17", outlet="Fars", article_id="a2", sentence="a2-s0001"))
    c = claims.compare(f, rules=RULES)
    assert list(c["claim_id"]) == ["people_evacuated@2016-12-16", "people_evacuated@2016-12-17"]


# --- comparison --------------------------------------------------------------------------------------


def two_outlets(a_surface: str, a_approx: str, b_surface: str, b_approx: str) -> pd.DataFrame:
    ta, tb = f"Some {a_surface} people have been evacuated.", f"Some {b_surface} people have been evacuated."
    return table(fig(ta, a_surface, approx=a_approx, outlet="RT"),
                 fig(tb, b_surface, approx=b_approx, outlet="The New Arab", article_id="a2", sentence="a2-s0001"))


def test_outlets_whose_intervals_do_not_overlap_disagree():
    c = claims.compare(two_outlets("3,000", "exact", "9,500", "more_than"), rules=RULES).set_index("outlet")
    assert c["disagrees"].all()
    assert c.loc["RT", "disagrees_with"] == "The New Arab" and c.loc["The New Arab", "disagrees_with"] == "RT"
    assert c.loc["RT", "spread"] == pytest.approx(9500 / 3000, abs=0.01)
    assert c.loc["The New Arab", "low"] == 9500 and math.isnan(c.loc["The New Arab", "high"])


@pytest.mark.parametrize("a, a_approx, b, b_approx", [
    ("9,500", "more_than", "20,000", "exact"),    # "over" has no ceiling
    ("900", "approximate", "950", "exact"),       # "some 900" reaches 990
    ("4,500", "more_than", "5,000", "approximate"),
])
def test_hedges_are_part_of_the_claim(a, a_approx, b, b_approx):
    c = claims.compare(two_outlets(a, a_approx, b, b_approx), rules=RULES)
    assert not c["disagrees"].any() and (c["n_outlets"] == 2).all()


def test_an_outlet_interval_is_the_union_of_its_figures_and_best_their_median():
    text = "A convoy carrying some 900 people, then a convoy carrying some 800 people."
    f = table(fig(text, "900", approx="approximate", k=0), fig(text, "800", approx="approximate", k=1))
    row = claims.compare(f, rules=RULES).iloc[0]
    assert (row["low"], row["best"], row["high"], row["n_figures"]) == (720, 850, 990, 2)
    assert row["figure_ids"] == "a1-s0001-f00; a1-s0001-f01"


def test_repeating_a_source_versus_disputing_it():
    said = "The center said 950 people have been evacuated."
    f = table(fig(said, "950", outlet="The Interpreter", attributed_to="Russian Reconciliation Center"),
              fig(said, "950", outlet="RT", article_id="a2", sentence="a2-s0001", attributed_to="Russian Reconciliation Center"),
              fig("Some 800 people have been evacuated.", "800", outlet="The New Arab", article_id="a3", sentence="a3-s0001"))
    disputes = pd.DataFrame({"sentence_id": ["a1-s0003"], "article_id": ["a1"], "cue": ["both these statements are false"],
                             "target_source": ["Russian Reconciliation Center"], "start": [0], "end": [5],
                             "disputer": ["The Interpreter"], "disputer_kind": ["outlet"]})
    c = claims.compare(f, rules=RULES, disputes=disputes).set_index("outlet")
    assert c.loc["The Interpreter", "disputes_source"] and not c.loc["The Interpreter", "repeats_source"]
    assert c.loc["RT", "repeats_source"] and not c.loc["RT", "disputes_source"]
    assert c.loc["RT", "repeated_sources"] == "Russian Reconciliation Center"
    assert not c.loc["The New Arab", "repeats_source"] and not c.loc["The New Arab", "disputes_source"]


def test_a_source_disputing_a_source_does_not_make_the_outlet_dispute_it():
    said = "The center said 950 people have been evacuated."
    f = table(fig(said, "950", outlet="RT", attributed_to="Russian Reconciliation Center"))
    disputes = pd.DataFrame({"sentence_id": ["a1-s0002"], "article_id": ["a1"], "cue": ["denied"],
                             "target_source": ["Russian Reconciliation Center"], "start": [0], "end": [5],
                             "disputer": ["ICRC"], "disputer_kind": ["source"]})
    assert claims.compare(f, rules=RULES, disputes=disputes).loc[0, "repeats_source"]


def test_cross_links_are_not_compared():
    f = table(fig("Read more 3,000+ militants & their families leave on Day 1", "3,000+", approx="more_than", role="crosslink"))
    assert claims.compare(f, rules=RULES).empty


# --- internal inconsistencies --------------------------------------------------------------------------


def fars_like() -> pd.DataFrame:
    total = "10 cargos of vehicles have evacuated 8,079 militants and their family members."
    parts = "3,475 men, 3,137 women, 2,359 children and 108 wounded have left Aleppo."
    rows = [fig(total, "8,079", entity="militants", outlet="Fars", sentence="a1-s0041")]
    for k, (surface, entity) in enumerate([("3,475", "men"), ("3,137", "women"), ("2,359", "children"), ("108", "wounded")]):
        rows.append(fig(parts, surface, entity=entity, outlet="Fars", sentence="a1-s0049", offset=500, k=k))
    return table(*rows)


def test_a_breakdown_that_does_not_add_up_to_its_total():
    inc = claims.inconsistencies(fars_like(), rules=RULES)
    assert list(inc["kind"]) == ["breakdown does not add up"]
    row = inc.iloc[0]
    assert row["difference"] == 892  # 3,475 + 3,137 + 2,359 = 8,971; with the wounded 9,079
    assert "8,971" in row["detail"] and "9,079" in row["detail"] and "+1,000" in row["detail"]
    assert row["figure_ids"].startswith("a1-s0041-f00;")


def test_a_breakdown_that_adds_up_is_not_reported():
    f = fars_like()
    f.loc[0, ["value_low", "value_high"]] = 8971.0
    assert claims.inconsistencies(f, rules=RULES).empty


def test_one_convoy_given_two_sizes_in_one_article():
    a = "As we reported earlier, a convoy carrying some 900 people was stopped."
    b = "The evacuation was halted, with a convoy carrying some 800 people halted."
    c = "Reports that one of the convoys carrying 950 militants was turned back are false."
    f = table(fig(a, "900", approx="approximate", outlet="The Interpreter", sentence="a1-s0006"),
              fig(b, "800", approx="approximate", outlet="The Interpreter", sentence="a1-s0083", offset=900),
              fig(c, "950", entity="militants", event="", outlet="The Interpreter", sentence="a1-s0025", offset=400,
                  attributed_to="Russian Reconciliation Center"))
    inc = claims.inconsistencies(f, rules=RULES)
    assert list(inc["kind"]) == ["same claim, different values"]
    assert inc.loc[0, "surfaces"] == "900; 800" and inc.loc[0, "difference"] == 100


def test_a_figure_within_anothers_hedge_is_consistent():
    text = "Over 3,000 militants have left, a total of 3,033 militants."
    f = table(fig(text, "3,000", approx="more_than", entity="militants", k=0),
              fig(text, "3,033", entity="militants", k=1))
    assert claims.inconsistencies(f, rules=RULES).empty


def test_a_headline_that_drops_the_hedge_of_its_lead():
    head = "Evacuation of 5,000 militants with families begins"
    lead = "The pullout of more than 5,000 militants and their families has begun."
    f = table(fig(head, "5,000", entity="militants", role="headline", sentence="a1-s0000"),
              fig(lead, "5,000", approx="more_than", entity="militants", sentence="a1-s0001", offset=100))
    inc = claims.inconsistencies(f, rules=RULES)
    assert list(inc["kind"]) == ["headline and lead differ"] and "more_than" in inc.loc[0, "detail"]


# --- the documented record ------------------------------------------------------------------------------


def reference(*rows: tuple) -> pd.DataFrame:
    ref = pd.DataFrame(rows, columns=["quantity", "value_low", "value_high", "as_of_utc", "source"])
    return ref.assign(entity="", event="", url="", confidence="high", note="n",
                      as_of_utc=pd.to_datetime(ref["as_of_utc"], utc=True))[claims.REFERENCE_COLUMNS]


def test_reference_values_sit_beside_claims_of_the_same_quantity_and_day():
    f = two_outlets("9,500", "more_than", "8,079", "at_least")
    ref = reference(("people_evacuated", 6462.0, 6462.0, "2016-12-16T06:00:00Z", "Russian centre"),
                    ("people_evacuated", 35000.0, 35000.0, "2016-12-22T18:25:00Z", "ICRC"),
                    ("buses", 20.0, 20.0, "2016-12-16T06:00:00Z", "AFP"))
    c = claims.compare(f, rules=RULES, reference=ref)
    assert (c["reference"] == "6,462 (Russian centre, 2016-12-16)").all()
    assert (c["reference_low"] == 6462).all() and c["differs_from_reference"].all()


def test_reference_days_are_read_in_the_storys_time_zone():
    f = two_outlets("9,500", "more_than", "8,079", "at_least")
    late = reference(("people_evacuated", 9000.0, np.nan, "2016-12-15T22:30:00Z", "SANA"))  # 00:30 on the 16th in Aleppo
    c = claims.compare(f, rules=RULES, reference=late)
    assert (c["reference"] == "over 9,000 (SANA, 2016-12-16)").all() and not c["differs_from_reference"].any()


def test_load_reference_reads_the_shipped_file_and_refuses_missing_columns(tmp_path):
    ref = claims.load_reference()
    assert list(ref.columns) == claims.REFERENCE_COLUMNS and len(ref) >= 20
    assert set(ref["quantity"]) <= {g.key for g in RULES.groups}
    assert {35000.0, 308.0, 61.0, 1231.0, 734.0, 6462.0} <= set(ref["value_low"])
    bad = tmp_path / "figures.csv"
    bad.write_text("quantity,value_low\npeople_evacuated,1\n")
    with pytest.raises(ValueError, match="missing column"):
        claims.load_reference(bad)


# --- rules file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, message", [
    ("groups:\n  a:\n    label: x\n    after: ['(unclosed']\n", "bad regular expression"),
    ("groups:\n  a:\n    label: x\n    colour: red\n", "unknown key 'colour'"),
    ("groups:\n  a:\n    window: week\n", "window 'week'"),
    ("hedges:\n  exact: {low: 1}\ngroups:\n  a: {label: x}\n", "needs low, best and high"),
    ("tolerance: 0.1\n", "no 'groups:'"),
])
def test_rules_errors_name_the_file_and_line(tmp_path, body, message):
    path = tmp_path / "claims.yaml"
    path.write_text(body)
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        claims.load_rules(path)
    assert str(path) in str(err.value)


# --- views and chart -----------------------------------------------------------------------------------------


def test_claim_chart_draws_one_line_per_figure_and_a_dot_per_best_value_offline():
    f = table(fig("Some 900 people have been evacuated.", "900", approx="approximate", outlet="The Interpreter"),
              fig("Thousands of people remain trapped.", "Thousands", value=2000.0, high=9999.0, approx="vague",
                  entity="people", event="trapped", sentence="a1-s0002", outlet="The Interpreter"),
              fig("More than 9,500 people have been evacuated.", "9,500", approx="more_than", outlet="RT", article_id="a2", sentence="a2-s0001"),
              fig("At least 8,079 people have been evacuated.", "8,079", approx="at_least", outlet="Fars", article_id="a3", sentence="a3-s0001"))
    ref = reference(("trapped", np.nan, 50000.0, "2016-12-16T12:00:00Z", "UN"))
    c = claims.compare(f, rules=RULES, reference=ref)
    data = views.chart_data(f, c, reference=ref, rules=RULES)
    assert set(data["panel"]) == {"people trapped or remaining · as of 2016-12-16",
                                  "people evacuated (fighters with families) · as of 2016-12-16"}
    assert views.REFERENCE_TRACK in set(data["track"]) and data["sentence"].str.len().gt(0).all()
    svg = charts.to_svg(views.claims_chart(data))
    symbols = sum(g.count("<path") for g in re.findall(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S))
    rules_drawn = sum(g.count("<line") + g.count("<path") for g in re.findall(r'<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S))
    assert rules_drawn == len(data) == 5
    assert symbols == data["dot"].notna().sum() == 4  # a vague "thousands" has no best value
    assert "later documentation" in svg


def test_views_select_and_explore_filter_without_raising():
    f = fars_like()
    assert len(views.select(f, outlets=["Fars"], entities=["men", "women"])) == 2
    assert views.select(f, since="2016-12-17").empty and len(views.select(f, until="2016-12-16")) == 5
    shown = views.explore(claims.assign(f, rules=RULES), outlet="Fars", source="Fars")
    assert len(shown) == 5 and shown.columns[-1] == "text"
    assert views.explore(claims.assign(f, rules=RULES), outlet="nobody").empty


def test_later_record_lists_the_reference_values_no_claim_took():
    f = two_outlets("9,500", "more_than", "8,079", "at_least")
    ref = reference(("people_evacuated", 6462.0, 6462.0, "2016-12-16T06:00:00Z", "Russian centre"),
                    ("people_evacuated", 35000.0, 35000.0, "2016-12-22T18:25:00Z", "ICRC"))
    c = claims.compare(f, rules=RULES, reference=ref)
    assert list(views.later_record(f, c, ref)["value_low"]) == [35000.0]


def test_explorer_first_dropdown_picks_the_outlet_and_changes_the_table():
    widget = views.explorer(fars_like().assign(outlet=["Fars", "Fars", "RT", "RT", "RT"]), rules=RULES)
    outlet = widget.children[0].children[0]
    assert outlet.description == "Outlet" and [v for _, v in outlet.options] == ["", "Fars", "RT"]
    outlet.value = "RT"  # the callback runs; it must not raise
    outlet.value = "Fars"


def test_assign_groups_as_the_rules_do_one_figure_at_a_time(seed_corpus):
    from newslens import figures

    f = claims.assign(figures.from_corpus(seed_corpus), rules=RULES)
    expected = [(g.key if (g := RULES.group_for(row)) else "") for row in f.to_dict("records")]
    assert f["group"].tolist() == expected and (f["group"] != "").any()
    lows = [claims.interval(a, lo, hi, rules=RULES)[0] for a, lo, hi in zip(f["approx"], f["value_low"], f["value_high"])]
    assert np.allclose(f.loc[f["group"] != "share_held", "low"], pd.Series(lows, index=f.index)[f["group"] != "share_held"],
                       equal_nan=True)


def test_disagreement_is_pairwise_within_a_claim():
    f = table(fig("About 900 people were evacuated.", "900", approx="approximate", outlet="A", article_id="a1"),
              fig("Some 950 people were evacuated.", "950", outlet="B", article_id="a2", sentence="a2-s0001"),
              fig("5,000 people were evacuated.", "5,000", outlet="C", article_id="a3", sentence="a3-s0001"))
    c = claims.compare(f, rules=RULES).set_index("outlet")
    assert c["disagrees_with"].to_dict() == {"A": "C", "B": "C", "C": "A; B"}
    assert c["n_outlets"].tolist() == [3, 3, 3] and c.loc["A", "spread"] == round(5000 / 900, 2)


def test_claim_rows_part_by_part_give_the_same_claims(seed_corpus):
    from newslens import figures, sources

    attributions = sources.attribute(seed_corpus)
    figs = figures.from_corpus(seed_corpus, attributions=attributions)
    disputes = sources.disputes(seed_corpus, attributions)
    whole = claims.compare(figs, disputes=disputes)
    bounds = np.linspace(0, len(figs), 5).astype(int)
    parts = [claims.claim_rows(figs.iloc[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    pieced = claims.compare_rows(pd.concat(parts, ignore_index=True), disputes=disputes)
    assert len(whole) > 10
    pd.testing.assert_frame_equal(pieced, whole)
