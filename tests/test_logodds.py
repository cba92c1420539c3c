"""Known answers and properties of the weighted log-odds (Monroe, Colaresi & Quinn 2008)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslens.logodds import (
    benjamini_hochberg,
    group_vs_rest_z,
    log_odds,
    log_odds_by_group,
    permutation_z,
)

# every corpus names every term: with a one-term vocabulary y = n and the odds are infinite
counts = st.fixed_dictionaries({t: st.integers(0, 50) for t in ["regime", "rebels", "militants", "evacuation"]})


def test_log_odds_worked_example():
    # a = {regime: 8, government: 2}, b = {regime: 2, government: 8}, prior 1 per term:
    # n_a = n_b = 10, alpha0 = 2.
    # regime: a: (8+1)/(10+2-8-1) = 9/3 = 3      b: (2+1)/(10+2-2-1) = 3/9 = 1/3
    #   delta = log 3 - log(1/3) = 2 log 3 = 2.197225
    #   variance = 1/9 + 1/3 = 4/9; z = 2 log 3 / (2/3) = 3 log 3 = 3.295837
    t = log_odds({"regime": 8, "government": 2}, {"regime": 2, "government": 8}, prior=1).set_index("term")
    assert list(t.columns) == ["delta", "variance", "z"]
    assert t.loc["regime", "delta"] == pytest.approx(2 * math.log(3), abs=1e-12)
    assert t.loc["regime", "variance"] == pytest.approx(4 / 9, abs=1e-12)
    assert t.loc["regime", "z"] == pytest.approx(3 * math.log(3), abs=1e-12)
    assert t.loc["government", "z"] == pytest.approx(-3 * math.log(3), abs=1e-12)


def test_log_odds_union_of_terms_prior_mapping_and_word_totals():
    # "rebels" only in b: y_a = 0. Prior mapping {rebels: 0.5, regime: 1.5}: alpha0 = 2.
    # n_a = 100 words, n_b = 50 words given explicitly.
    # rebels: a: 0.5/(100+2-0-0.5) = 0.5/101.5  b: (4+0.5)/(50+2-4-0.5) = 4.5/47.5
    t = log_odds({"regime": 3}, {"rebels": 4}, prior={"rebels": 0.5, "regime": 1.5}, n_a=100, n_b=50)
    t = t.set_index("term")
    assert list(t.index) == ["rebels", "regime"]
    assert t.loc["rebels", "delta"] == pytest.approx(math.log(0.5 / 101.5) - math.log(4.5 / 47.5), abs=1e-12)
    assert t.loc["rebels", "variance"] == pytest.approx(1 / 0.5 + 1 / 4.5, abs=1e-12)


@given(counts, counts, st.floats(0.01, 5))
@settings(deadline=None, max_examples=60)
def test_swapping_corpora_flips_sign(a, b, prior):
    ab, ba = log_odds(a, b, prior), log_odds(b, a, prior)
    np.testing.assert_allclose(ab["delta"], -ba["delta"], atol=1e-12)
    np.testing.assert_allclose(ab["z"], -ba["z"], atol=1e-12)
    np.testing.assert_allclose(ab["variance"], ba["variance"], atol=1e-12)


@given(counts, st.floats(0.01, 5))
@settings(deadline=None, max_examples=60)
def test_corpus_against_itself_gives_zero(a, prior):
    t = log_odds(a, dict(a), prior)
    assert (t["z"].abs() <= 1e-12).all()
    assert (t["delta"].abs() <= 1e-12).all()


def test_term_used_more_by_a_has_positive_z():
    t = log_odds({"regime": 20, "government": 5}, {"regime": 5, "government": 20}).set_index("term")
    assert t.loc["regime", "z"] > 0 > t.loc["government", "z"]


# tidylo's documented example (reference/bind_log_odds.html): mtcars %>% count(vs, gear)
MTCARS = pd.DataFrame({"vs": [0, 0, 0, 1, 1, 1], "gear": [3, 4, 5, 3, 4, 5], "n": [12, 2, 4, 3, 10, 1]})


def test_by_group_matches_tidylo_empirical_bayes():
    out = log_odds_by_group(MTCARS, "vs", "gear")
    expected = [1.1728347, -1.3767516, 0.4033125, -1.1354777, 1.5661168, -0.4362340]
    np.testing.assert_allclose(out["log_odds_weighted"], expected, atol=5e-8)
    assert list(out.columns) == ["vs", "gear", "n", "log_odds", "log_odds_weighted"]


def test_by_group_matches_tidylo_uninformative():
    out = log_odds_by_group(MTCARS, "vs", "gear", uninformative=True)
    np.testing.assert_allclose(
        out["log_odds"], [0.6968169, -1.2527630, 0.3249262, -0.9673459, 1.1451323, -0.5268260], atol=5e-8
    )
    np.testing.assert_allclose(
        out["log_odds_weighted"], [1.8912729, -1.9691060, 0.5549172, -1.7407107, 2.8421436, -0.6570674], atol=5e-8
    )


def test_by_group_hand_arithmetic():
    # Uninformative (alpha = 1): y = n + 1. Set A: gear 3 -> 13, gear 4 -> 3; n_A = 16.
    # Set B: gear 3 -> 4, gear 4 -> 11; n_B = 15. Feature totals: y_3 = 17, y_4 = 14; N = 31.
    # Row (A, 3): log(13/3) - log(17/14) = 1.272966; sigma2 = 1/13 + 1/17.
    t = pd.DataFrame({"set": ["A", "A", "B", "B"], "f": [3, 4, 3, 4], "n": [12, 2, 3, 10]})
    out = log_odds_by_group(t, "set", "f", uninformative=True)
    lo = math.log(13 / 3) - math.log(17 / 14)
    assert out["log_odds"].iloc[0] == pytest.approx(lo, abs=1e-12)
    assert out["log_odds_weighted"].iloc[0] == pytest.approx(lo / math.sqrt(1 / 13 + 1 / 17), abs=1e-12)


def test_by_group_keeps_row_order_and_rejects_duplicates():
    shuffled = MTCARS.iloc[[4, 0, 5, 2, 1, 3]]
    out = log_odds_by_group(shuffled, "vs", "gear")
    assert list(out.index) == [4, 0, 5, 2, 1, 3]
    with pytest.raises(ValueError, match="one row per"):
        log_odds_by_group(pd.concat([MTCARS, MTCARS.head(1)]), "vs", "gear")


@pytest.mark.parametrize("uninformative", [False, True])
def test_by_group_feature_counted_nowhere_is_dropped(uninformative):
    # a grid with zeros re-added: feature y is zero in every set
    t = pd.DataFrame({"s": list("aaabbb"), "f": list("xyzxyz"), "n": [3, 0, 2, 1, 0, 4]})
    out = log_odds_by_group(t, "s", "f", uninformative=uninformative)
    assert list(out.index) == [0, 2, 3, 5]
    assert out["log_odds_weighted"].notna().all()
    without = log_odds_by_group(t[t.f != "y"], "s", "f", uninformative=uninformative)
    pd.testing.assert_frame_equal(out, without)


def test_benjamini_hochberg_by_hand():
    # sorted p: 0.01, 0.02, 0.03, 0.5 (m = 4): scaled 0.04, 0.04, 0.04, 0.5
    q = benjamini_hochberg([0.03, 0.5, 0.01, np.nan, 0.02])
    np.testing.assert_allclose(q, [0.04, 0.5, 0.04, np.nan, 0.04])
    assert np.isnan(benjamini_hochberg([np.nan])).all()


def test_group_vs_rest_is_log_odds_of_two_groups():
    c = np.array([[5.0, 1.0], [2.0, 7.0]])
    words = np.array([100.0, 80.0])
    z = group_vs_rest_z(c, words, prior=0.01)
    ref = log_odds({"a": 5, "b": 1}, {"a": 2, "b": 7}, prior=0.01, n_a=100, n_b=80)
    np.testing.assert_allclose(z[0], ref["z"], atol=1e-12)
    np.testing.assert_allclose(z[1], -ref["z"], atol=1e-12)


def test_permutation_p_values_are_seeded_and_bounded():
    rng = np.random.default_rng(1)
    c = rng.integers(0, 3, size=(40, 3))
    words = rng.integers(5, 20, size=40)
    groups = np.repeat([0, 1, 2, 3], 10)
    z1, p1 = permutation_z(c, words, groups, permutations=199, seed=7)
    z2, p2 = permutation_z(c, words, groups, permutations=199, seed=7)
    np.testing.assert_array_equal(p1, p2)
    assert z1.shape == p1.shape == (4, 3)
    assert ((p1 >= 1 / 200) & (p1 <= 1)).all()
    assert not np.array_equal(p1, permutation_z(c, words, groups, permutations=199, seed=8)[1])


def test_permutation_identical_groups_are_not_distinctive():
    c = np.tile([[2.0, 1.0]], (6, 1))
    z, p = permutation_z(c, np.full(6, 10.0), np.array([0, 0, 0, 1, 1, 1]), permutations=50)
    assert np.abs(z).max() <= 1e-12
    assert (p == 1).all()


def test_permutation_clear_difference_has_smallest_p():
    c = np.array([[4, 0]] * 10 + [[0, 4]] * 10, dtype=float)
    # with a tiny uniform prior a zero count would make the variance 1/0.01 and hide this
    z, p = permutation_z(c, np.full(20, 10.0), np.repeat([0, 1], 10), permutations=999, prior=None)
    assert z[0, 0] > 0 > z[0, 1]
    assert (p < 0.01).all()  # only a shuffle that recreates the split (about 1 in 92,000) ties


def test_empirical_prior_does_not_favour_a_short_text():
    # both groups use every term at the same rate per word; one wrote ten times less.
    # Prior pseudo-counts 33, 66, 11 and alpha0 = all 3,300 words: group 0's odds
    # (3 + 33) / (300 + 3300 - 36) = 1/99 equal the rest's (30 + 33) / (3000 + 3300 - 63) = 1/99.
    z = group_vs_rest_z(np.array([[3, 6, 1], [30, 60, 10]]), np.array([300, 3000]))
    np.testing.assert_allclose(z, 0, atol=1e-9)
