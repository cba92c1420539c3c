"""Weighted log-odds of word use between groups, and a false-discovery correction.

The statistic is the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi &
Quinn (2008), "Fightin' Words", Political Analysis 16:372-403, eqs. 16-22; ``log_odds_by_group``
reproduces the empirical-Bayes version of R's tidylo ``bind_log_odds`` number for number.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def weighted_log_odds(y_a, y_b, n_a, n_b, alpha, alpha0):
    """Delta, variance and z of eqs. 16, 20, 22 for arrays that broadcast together.

    ``y`` are term counts, ``n`` the total counts of each corpus, ``alpha`` the term's
    pseudo-count and ``alpha0`` the sum of pseudo-counts over the vocabulary.

    >>> d, v, z = weighted_log_odds(2, 0, 10, 10, 1.0, 2.0)
    >>> round(float(d), 4), round(float(v), 4)
    (1.2993, 1.3333)
    """
    y_a, y_b = np.asarray(y_a, dtype=float), np.asarray(y_b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_a + alpha) / (n_a + alpha0 - y_a - alpha)) - np.log(
            (y_b + alpha) / (n_b + alpha0 - y_b - alpha)
        )
        variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
        z = delta / np.sqrt(variance)
    return delta, variance, z


def log_odds(
    counts_a: Mapping[str, float],
    counts_b: Mapping[str, float],
    prior: float | Mapping[str, float] = 0.01,
    *,
    n_a: float | None = None,
    n_b: float | None = None,
) -> pd.DataFrame:
    """Fightin' Words: how much more corpus a uses each term than corpus b.

    ``counts_*`` map term to count; a term missing from one side counts 0 there. ``prior`` is a
    pseudo-count for every term, or a mapping term to pseudo-count (missing terms get 0).
    ``n_a``/``n_b`` are the corpora's total word counts; by default the sum of their counts,
    which compares terms within the vocabulary rather than per word of text.

    Returns ``term, delta, variance, z`` sorted by term; positive z means a uses it more.

    >>> t = log_odds({"regime": 8, "government": 2}, {"regime": 2, "government": 8}, prior=1)
    >>> t.set_index("term").z.round(3).to_dict()
    {'government': -3.296, 'regime': 3.296}
    """
    terms = sorted(set(counts_a) | set(counts_b))
    y_a = np.array([counts_a.get(t, 0) for t in terms], dtype=float)
    y_b = np.array([counts_b.get(t, 0) for t in terms], dtype=float)
    if isinstance(prior, Mapping):
        alpha = np.array([prior.get(t, 0.0) for t in terms], dtype=float)
    else:
        alpha = np.full(len(terms), float(prior))
    tot_a = y_a.sum() if n_a is None else float(n_a)
    tot_b = y_b.sum() if n_b is None else float(n_b)
    delta, variance, z = weighted_log_odds(y_a, y_b, tot_a, tot_b, alpha, alpha.sum())
    return pd.DataFrame({"term": terms, "delta": delta, "variance": variance, "z": z})


def log_odds_by_group(
    df: pd.DataFrame,
    set: str,  # noqa: A002 - the name tidylo and the notebooks use
    feature: str,
    n: str = "n",
    uninformative: bool = False,
) -> pd.DataFrame:
    """Each set against the pooled total, as tidylo's ``bind_log_odds`` computes it.

    ``df`` has one row per (set, feature) with a count in column ``n``. The empirical-Bayes
    prior adds to every row the feature's total over all sets (``uninformative=True``: 1).
    With pseudo-counts y = n + alpha, tidylo compares the set's odds y / (n_set - y) with the
    odds of the feature in the pooled pseudo-counts of all sets, the set included:
    log_odds = log(y / (n_set - y)) - log(y_w / (N - y_w)), sigma2 = 1/y + 1/y_w,
    log_odds_weighted = log_odds / sqrt(sigma2). Adds ``log_odds`` and
    ``log_odds_weighted``; rows keep their order. Rows of a feature counted nowhere (zero in
    every set, as in a grid with zeros re-added) are dropped: with the empirical-Bayes prior its
    pseudo-counts are all 0 and its log-odds undefined, and it says nothing about any set.

    >>> t = pd.DataFrame({"vs": [0, 0, 0, 1, 1, 1], "gear": [3, 4, 5] * 2, "n": [12, 2, 4, 3, 10, 1]})
    >>> log_odds_by_group(t, "vs", "gear").log_odds_weighted.round(4).tolist()  # tidylo's own example
    [1.1728, -1.3768, 0.4033, -1.1355, 1.5661, -0.4362]
    """
    if df.duplicated([set, feature]).any():
        raise ValueError(f"log_odds_by_group needs one row per {set} and {feature}; aggregate first")
    df = df[df.groupby(feature, sort=False)[n].transform("sum").to_numpy(dtype=float) > 0]
    counts = df[n].to_numpy(dtype=float)
    if uninformative:
        alpha = np.ones(len(df))
    else:
        alpha = df.groupby(feature, sort=False)[n].transform("sum").to_numpy(dtype=float)
    y = counts + alpha
    pseudo = pd.DataFrame({"set": df[set].to_numpy(), "feature": df[feature].to_numpy(), "y": y})
    y_w = pseudo.groupby("feature", sort=False)["y"].transform("sum").to_numpy()
    n_i = pseudo.groupby("set", sort=False)["y"].transform("sum").to_numpy()
    total = y.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log(y / (n_i - y)) - np.log(y_w / (total - y_w))
        weighted = delta / np.sqrt(1.0 / y + 1.0 / y_w)
    return df.assign(log_odds=delta, log_odds_weighted=weighted)


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted.

    >>> benjamini_hochberg([0.01, 0.04, float("nan"), 0.03]).round(3).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p))
    if tested.size == 0:
        return q
    order = tested[np.argsort(p[tested], kind="stable")]
    m = order.size
    scaled = p[order] * m / np.arange(1, m + 1)
    # step-up: each q is the smallest scaled p at or above its rank
    q[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return q


def group_vs_rest_z(counts, words, prior=None) -> np.ndarray:
    """z of every group against all other groups pooled, per term, per word of text.

    ``counts`` (..., groups, terms) and ``words`` (..., groups); leading axes (permutations)
    broadcast. ``prior``: a pseudo-count per term (float or array over terms), or None for the
    empirical-Bayes prior of tidylo, each term's total count over all groups.

    With the empirical-Bayes prior the vocabulary is the listed terms plus one "every other word"
    entry whose pseudo-count is the rest of the text, so alpha0 is the total word count and each
    group is shrunk towards the pooled rate per word. Summing the listed terms only would put
    the prior's rate at a term's share of the *listed* words (ten times its rate per word or
    more) and push every term of a short text towards a positive z.
    """
    counts = np.asarray(counts, dtype=float)
    words = np.asarray(words, dtype=float)[..., None]
    total = counts.sum(axis=-2, keepdims=True)
    alpha = total if prior is None else np.broadcast_to(np.asarray(prior, dtype=float), counts.shape[-1:])
    rest_words = words.sum(axis=-2, keepdims=True) - words
    if prior is None:
        alpha0 = np.maximum(words.sum(axis=-2, keepdims=True), alpha.sum(axis=-1, keepdims=True))
    else:
        alpha0 = alpha.sum(axis=-1, keepdims=True)
    return weighted_log_odds(counts, total - counts, words, rest_words, alpha, alpha0)[2]


# Shuffles are summed block by block so that memory stays flat however many units (sentences or
# articles) and permutations there are: a block holds at most _LABEL_CELLS shuffled labels
# (permutations x units), and each matrix product at most _ONE_HOT_ROWS rows (permutations x
# groups) of _UNITS_PER_PRODUCT units. Products of that shape keep BLAS fast on a busy machine.
_LABEL_CELLS = 1 << 22
_ONE_HOT_ROWS = 512
_UNITS_PER_PRODUCT = 8192
_EXACT_FLOAT32 = 1 << 24  # whole numbers up to this, and sums up to it, are exact in float32


def permutation_z(
    counts,
    words,
    groups,
    *,
    permutations: int = 1000,
    seed: int = 0,
    prior=None,
    batch: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Observed group-vs-rest z and two-sided permutation p-values, (k + 1) / (B + 1).

    ``counts`` is a units × terms matrix (a unit is a sentence or an article), ``words`` the
    words per unit and ``groups`` an integer group per unit (0..G-1). Group labels are shuffled
    across units with a seeded numpy Generator, so each group keeps its number of units.
    ``prior`` as in ``group_vs_rest_z``; the default (term totals) stays fixed under shuffling
    and, unlike a tiny uniform prior, does not shrink z towards 0 for a term one group never
    uses. A term used nowhere gets z and p NaN.

    Shuffles are drawn and summed in blocks of at most ``batch`` permutations (fewer for many
    units or groups), so memory does not grow with ``permutations`` or units and time grows
    linearly with both. The shuffles, and so the p-values, do not depend on the block size.

    >>> z, p = permutation_z([[3, 0], [2, 0], [0, 3], [0, 2]], [10, 10, 10, 10], [0, 0, 1, 1], permutations=99)
    >>> p.round(2).tolist()
    [[0.36, 0.36], [0.36, 0.36]]
    """
    counts = np.asarray(counts, dtype=float)
    words = np.asarray(words, dtype=float)
    groups = np.asarray(groups, dtype=int)
    n_groups = int(groups.max()) + 1 if groups.size else 0
    sums = _group_sums(counts, words, n_groups)
    z_obs = group_vs_rest_z(*sums(groups[None, :]), prior)[0]
    rng = np.random.default_rng(seed)
    exceed = np.zeros(z_obs.shape)
    # a relative tolerance so ties with the observed value count as "as extreme"
    bar = np.abs(z_obs) * (1 - 1e-12)
    step = max(1, min(batch, _ONE_HOT_ROWS // max(1, n_groups), _LABEL_CELLS // max(1, groups.size)))
    for lo in range(0, permutations, step):
        # drawing block by block continues the stream of one draw of all permutations
        shuffled = rng.permuted(np.broadcast_to(groups, (min(step, permutations - lo), groups.size)), axis=1)
        z = group_vs_rest_z(*sums(shuffled), prior)
        exceed += (np.abs(z) >= bar).sum(axis=0)
    p = (exceed + 1) / (permutations + 1)
    return z_obs, np.where(np.isnan(z_obs), np.nan, p)


def _group_sums(counts: np.ndarray, words: np.ndarray, n_groups: int):
    """A function of shuffled labels (permutations × units) giving each group's summed counts
    (permutations × groups × terms) and words (permutations × groups), in float64.

    Counts are summed by matrix products of one-hot labels, in float32 (half the work) when
    every count is a whole number and no term's total reaches 2**24: float32 sums are then
    exact, the same numbers as in float64. Words are summed exactly by ``np.bincount``."""
    whole = bool(np.all((counts >= 0) & (counts == np.round(counts))))
    kind = np.float32 if whole and counts.sum(axis=0).max(initial=0) < _EXACT_FLOAT32 else np.float64
    matrix = counts.astype(kind)

    def sums(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n, units = labels.shape
        slot = labels + (np.arange(n) * n_groups)[:, None]  # row of (permutation, group)
        summed = np.zeros((n * n_groups, matrix.shape[1]), dtype=kind)
        for lo in range(0, units, _UNITS_PER_PRODUCT):
            part = slot[:, lo : lo + _UNITS_PER_PRODUCT]
            width = part.shape[1]
            one_hot = np.zeros((n * n_groups, width), dtype=kind)
            one_hot.ravel()[(part * width + np.arange(width)).ravel()] = 1
            summed += one_hot @ matrix[lo : lo + width]
        totals = np.bincount(slot.ravel(), weights=np.tile(words, n), minlength=n * n_groups)
        return summed.astype(np.float64).reshape(n, n_groups, -1), totals.reshape(n, n_groups)

    return sums


def outlet_term_test(
    groups,
    words,
    matrix,
    terms: pd.DataFrame,
    *,
    permutations: int = 1000,
    seed: int = 0,
    min_count: int = 5,
    min_words: int = 300,
    prior=None,
) -> pd.DataFrame:
    """Permutation test of every group (outlet) × term from a units × terms count matrix.

    ``groups`` and ``words`` give each unit's group label and word count; ``terms`` has one row
    per matrix column (its columns are repeated per group). Returns, sorted by group and the
    term columns: ``outlet`` (the group), the term columns, ``n`` (uses in the group),
    ``n_words``, ``total`` (uses overall), ``z``, two-sided ``p_value`` = (k + 1) / (B + 1),
    ``low_count`` (total < ``min_count``: p-value NaN) and ``enough_text``
    (``n_words`` >= ``min_words``).
    """
    labels = pd.Series(groups).astype(str)
    outlets = sorted(labels.unique())
    group = labels.map({o: i for i, o in enumerate(outlets)}).to_numpy(dtype=int)
    words = np.asarray(words, dtype=float)
    z, p = permutation_z(matrix, words, group, permutations=permutations, seed=seed, prior=prior)
    used, written = (a[0] for a in _group_sums(np.asarray(matrix, dtype=float), words, len(outlets))(group[None, :]))
    k = len(terms)
    table = pd.concat([terms.reset_index(drop=True)] * len(outlets), ignore_index=True)
    table.insert(0, "outlet", np.repeat(outlets, k))
    table["n"] = used.ravel().astype("int64")
    table["n_words"] = np.repeat(written, k).astype("int64")
    table["total"] = np.tile(np.asarray(matrix).sum(axis=0), len(outlets)).astype("int64")
    table["z"], table["p_value"] = z.ravel(), p.ravel()
    table["low_count"] = table["total"] < min_count
    table["enough_text"] = table["n_words"] >= min_words
    table.loc[table["low_count"], "p_value"] = np.nan
    return table.sort_values(["outlet", *terms.columns], ignore_index=True)


def flag_findings(table: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Add ``q_value`` (Benjamini–Hochberg), ``direction`` and ``finding`` to a test table:
    a finding needs q < ``alpha``, no ``low_count`` flag and ``enough_text``."""
    q = benjamini_hochberg(table["p_value"])
    return table.assign(
        q_value=q,
        direction=np.where(table["z"] > 0, "more", "less"),
        finding=(q < alpha) & ~table["low_count"].to_numpy() & table["enough_text"].to_numpy(),
    )
