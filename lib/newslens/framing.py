"""Framing vocabulary: which words each outlet uses for the sides, the people and the event.

The lexicon (``data/lexicons/framing.yaml``, loaded by ``newslens.framing_lexicon``) groups
spellings into terms and terms into categories. Counting separates the outlet's own voice from
what it quotes:

- own: body sentences, minus the spans between double quotes (“…” or "…") in them;
- quoted: sentences of kind ``quote`` and ``social`` (embedded posts), plus those quoted spans;
- captions and boilerplate (page chrome) count in no voice, as everywhere in newslens: a photo
  caption repeated three times would otherwise triple its words. ``kwic`` still shows them,
  with voice 'none'.

A quote mark left open runs to the end of its paragraph (the convention for quotes that go on
into the next paragraph); a closing mark with no opening one is ignored as a typo.
Non-breaking spaces count as spaces. One compiled pattern of all spellings runs over each text,
so a word is counted once, as the longest listed form that covers it.
(``count`` and ``voice_words`` do this for all sentences at once: voices from arrays, words
counted over the joined texts, the pattern run once over the joined voiced pieces; see
``tests/test_framing_fast.py`` for the per-segment definitions they are held to.) The voice
splitting and word counting live in ``newslens.framing_voice``; their public names are
importable from here.

The stored ``terms`` table is sparse (``count(..., zeros=False)``) and ``voice_words`` holds
each article's words per voice; ``with_zeros``, ``rates`` and ``actor_shares`` work from those
two tables, so notebooks never need the dense article × term grid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from newslens.framing_lexicon import (
    Category,
    Lexicon,
    Term,
    compile_terms,
    load_lexicon,
    parse_lexicon,
    plain_spaces,
    variant_key,
)
from newslens.framing_voice import (  # re-exported: framing is the public face of both
    _WORD,
    VOICE_OF_KIND,
    VOICES,
    _char_classes,
    _in_voices,
    _relabel,
    _subtract,
    _voiced,
    _voiced_arrays,
    _Voiced,
    _voices,
    _word_counts,
    _words_frame,
    _words_per_voice,
    quote_spans,
    segments,
    voice_words,
)
from newslens.logodds import flag_findings, outlet_term_test

__all__ = [
    "Category", "Lexicon", "Term", "compile_terms", "load_lexicon", "parse_lexicon", "variant_key",
    "VOICE_OF_KIND", "VOICES", "quote_spans", "segments", "count", "voice_words", "with_zeros", "in_voice", "rates",
    "actor_shares", "actor_labels", "kwic", "sentence_terms", "permutation_test", "distinctive_terms",
]

MIN_WORDS = 300  # below this many words of a voice, an outlet's rates are anecdotes, not findings
MIN_COUNT = 5  # a term seen fewer times in the whole corpus gets no p-value
TERM_COLUMNS = ["article_id", "category", "term", "voice", "count", "n_words", "per_1000_words", "actor", "ambiguous"]
_TOKEN = re.compile(r"\S+")


def term_table(lexicon: Lexicon) -> pd.DataFrame:
    """Every term of the lexicon: ``category, term, actor, ambiguous``, in lexicon order."""
    actor = {c.name: c.actor for c in lexicon.categories}
    return pd.DataFrame(
        [(t.category, t.name, actor[t.category], t.ambiguous) for t in lexicon.terms],
        columns=["category", "term", "actor", "ambiguous"],
    )


def count(corpus, lexicon: Lexicon, voice: str | Sequence[str] = "own", *, zeros: bool = True) -> pd.DataFrame:
    """The ``terms`` table: article × term × requested voice.

    Columns ``article_id, category, term, voice, count, n_words, per_1000_words, actor,
    ambiguous``; ``n_words`` is the article's word count in that voice and ``per_1000_words`` is
    NaN where that voice has no words. ``voice`` is 'own', 'quoted', 'all' (both, labelled
    'all') or a list of these. ``zeros=True`` gives every article × term × voice; ``zeros=False``
    only the non-zero counts (what the build stores; ``with_zeros`` restores the rest).
    Sorted by article_id, category, term, voice.
    """
    voices = _voices(voice)
    v = _voiced_arrays(corpus, lexicon, by_segment=False)
    ids, seg_article, words = _words_per_voice(corpus, v, voices)
    if not len(v.hit_term):  # built from empty frames as always, for the same column types
        hits = _voiced(corpus, lexicon)[1]
        keys = ["article_id", "category", "term"]
        sparse = pd.concat(
            [_relabel(hits, v).groupby(keys).size().rename("count").reset_index().assign(voice=v) for v in voices],
            ignore_index=True,
        )
        sparse = sparse.merge(_words_frame(ids, words, voices), on=["article_id", "voice"], how="left")
        sparse = _finish(sparse, lexicon)
    else:
        sparse = _sparse_counts(lexicon, v, ids, seg_article, words, voices)
    return with_zeros(sparse, _words_frame(ids, words, voices), lexicon) if zeros else sparse


def _sparse_counts(lexicon: Lexicon, v: _Voiced, ids: list[str], seg_article: np.ndarray, words: np.ndarray,
                   voices: Sequence[str]) -> pd.DataFrame:
    """The non-zero rows of ``count``: one key per hit (article, term in category/term order,
    requested voice in name order), counted with ``np.unique``, which also sorts."""
    article = seg_article[v.hit_segment]
    if (article < 0).any():
        missing = v.sentences["article_id"].iloc[v.row[v.hit_segment[article < 0][0]]]
        raise ValueError(f"article {missing!r} has sentences but no row in the articles table")
    table = term_table(lexicon)
    pairs = list(zip(table["category"].tolist(), table["term"].tolist()))
    by_name = np.array(sorted(range(len(pairs)), key=pairs.__getitem__), dtype=np.int64)
    rank = np.empty(len(table), dtype=np.int64)
    rank[by_name] = np.arange(len(table))
    voice_order = sorted(range(len(voices)), key=voices.__getitem__)  # stable: repeats stay apart
    slot_of = {j: slot for slot, j in enumerate(voice_order)}
    n_terms, n_voices = len(table), len(voices)
    base = (article * n_terms + rank[v.hit_term]) * n_voices
    keys = [base[member[v.hit_segment]] + slot_of[j] for j, member in enumerate(_in_voices(v.voice, voices))]
    key, n = np.unique(np.concatenate(keys), return_counts=True)
    art, rest = np.divmod(key, n_terms * n_voices)
    term_rank, slot = np.divmod(rest, n_voices)
    term = by_name[term_rank]
    j = np.array(voice_order, dtype=np.int64)[slot]
    n_words = words[art, j]
    out = table.take(term).reset_index(drop=True)
    text = table["term"].dtype  # pandas' type for text, kept when no rows are left
    out.insert(0, "article_id", pd.array(np.array(ids, dtype=object)[art], dtype=text))
    out.insert(3, "voice", pd.array(np.array(voices, dtype=object)[j], dtype=text))
    out.insert(4, "count", n.astype("int64"))
    out.insert(5, "n_words", n_words)
    out.insert(6, "per_1000_words", (1000 * out["count"] / out["n_words"].where(out["n_words"] > 0)).astype(float))
    return out


def _finish(table: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    table = table.drop(columns=["actor", "ambiguous"], errors="ignore").merge(
        term_table(lexicon), on=["category", "term"], how="left")
    table["count"] = table["count"].astype("int64")
    table["n_words"] = table["n_words"].astype("int64")
    table["per_1000_words"] = (1000 * table["count"] / table["n_words"].where(table["n_words"] > 0)).astype(float)
    return table[TERM_COLUMNS].sort_values(["article_id", "category", "term", "voice"], ignore_index=True)


def with_zeros(terms: pd.DataFrame, voice_words: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """The dense ``terms`` grid from the sparse one: every article and voice of ``voice_words``
    × every term of ``lexicon``, count 0 where ``terms`` has no row. Terms the lexicon no longer
    lists are dropped. Only for small corpora or after filtering: it is articles × terms rows."""
    grid = voice_words[["article_id", "voice", "n_words"]].merge(term_table(lexicon)[["category", "term"]], how="cross")
    counts = terms.groupby(["article_id", "voice", "category", "term"])["count"].sum()
    grid = grid.join(counts, on=["article_id", "voice", "category", "term"])
    return _finish(grid.fillna({"count": 0}), lexicon)


def in_voice(table: pd.DataFrame, voice: str, value: str) -> pd.DataFrame:
    """Rows of ``table`` (terms or voice_words) in ``voice``; 'all' sums own and quoted rows of
    ``value`` unless the table already has 'all' rows."""
    _voices(voice)
    if voice != "all" or (table["voice"] == "all").any():
        return table[table["voice"] == voice]
    keys = [c for c in table.columns if c not in {value, "voice", "n_words", "per_1000_words"}]
    both = table[table["voice"].isin(VOICES)]
    return both.groupby(keys, as_index=False, dropna=False)[value].sum().assign(voice="all")


def select_outlets(articles: pd.DataFrame, outlets: Sequence[str] | None) -> pd.DataFrame:
    """The articles of ``outlets`` (None: all); an outlet not in the table is an error naming
    the ones that are."""
    if outlets is None:
        return articles
    known = set(articles["outlet"])
    unknown = [o for o in outlets if o not in known]
    if unknown:
        raise ValueError(f"outlets {unknown} are not in the articles table; choose from {sorted(known)}")
    return articles[articles["outlet"].isin(list(outlets))].reset_index(drop=True)


def _of_outlets(table: pd.DataFrame, outlet: pd.Series) -> pd.DataFrame:
    """Rows of the articles in ``outlet`` (article_id → outlet), with their outlet."""
    table = table[table["article_id"].isin(outlet.index)]
    return table.assign(outlet=table["article_id"].map(outlet))


def rates(terms: pd.DataFrame, voice_words: pd.DataFrame, articles: pd.DataFrame, lexicon: Lexicon,
          *, voice: str = "own", by: str = "category") -> pd.DataFrame:
    """Uses per 1,000 words of ``voice`` for each outlet × category (``by='category'``) or
    outlet × term (``by='term'``), from the stored tables; zeros included.

    Columns ``outlet, category[, term], count, n_words, per_1000_words, n_articles``; an outlet's
    words are the sum over its articles in ``articles``. Rows follow the lexicon's order.
    """
    keys = {"category": ["category"], "term": ["category", "term"]}[by]
    outlet = articles.set_index("article_id")["outlet"]
    used = _of_outlets(in_voice(terms, voice, "count"), outlet)
    words = _of_outlets(in_voice(voice_words, voice, "n_words"), outlet)
    grid = pd.DataFrame({"outlet": sorted(outlet.unique())}).merge(
        term_table(lexicon)[keys].drop_duplicates(), how="cross")
    grid = grid.join(used.groupby(["outlet", *keys])["count"].sum(), on=["outlet", *keys])
    grid["count"] = grid["count"].fillna(0).astype("int64")
    grid["n_words"] = grid["outlet"].map(words.groupby("outlet")["n_words"].sum()).fillna(0).astype("int64")
    grid["per_1000_words"] = (1000 * grid["count"] / grid["n_words"].where(grid["n_words"] > 0)).astype(float)
    grid["n_articles"] = grid["outlet"].map(outlet.value_counts()).astype("int64")
    return grid.assign(voice=voice)


def actor_shares(terms: pd.DataFrame, articles: pd.DataFrame, lexicon: Lexicon, *, voice: str = "own") -> pd.DataFrame:
    """Share of each label an outlet gives each actor, from the (sparse) ``terms`` table:
    ``outlet, actor, category, term, ambiguous, count, share, voice``.

    Share is the term's part of all labels the outlet used for that actor (NaN if it used none).
    Every outlet × actor term is listed, zeros included; sorted by outlet, actor, term.
    """
    outlet = articles.set_index("article_id")["outlet"]
    used = _of_outlets(in_voice(terms, voice, "count"), outlet)
    labels = term_table(lexicon).dropna(subset=["actor"])
    table = pd.DataFrame({"outlet": sorted(outlet.unique())}).merge(labels, how="cross")
    table = table.join(used.groupby(["outlet", "category", "term"])["count"].sum(), on=["outlet", "category", "term"])
    table["count"] = table["count"].fillna(0).astype("int64")
    total = table.groupby(["outlet", "actor"])["count"].transform("sum")
    table["share"] = (table["count"] / total.where(total > 0)).astype(float)
    columns = ["outlet", "actor", "category", "term", "ambiguous", "count", "share"]
    return table[columns].assign(voice=voice).sort_values(["outlet", "actor", "term"], ignore_index=True)


def actor_labels(corpus, lexicon: Lexicon, *, voice: str = "own") -> pd.DataFrame:
    """``actor_shares`` counted straight from a corpus."""
    return actor_shares(count(corpus, lexicon, voice=voice, zeros=False), corpus.articles, lexicon, voice=voice)


def kwic(corpus, pattern: str | re.Pattern[str], window: int = 8, *, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Keyword in context over every sentence, captions, boilerplate and quotes included.

    ``pattern``: a compiled pattern (its flags honoured); with ``lexicon``, a category or term
    name of it, whose rows are then exactly the occurrences ``count`` finds (every spelling of the
    term, the longest listed form winning: "regime" does not list "pro-regime"); otherwise a
    plain word matched case-insensitively as a whole word, also inside compounds ("regime" finds
    "pro-regime"). ``start/end`` are offsets into the article's clean text; ``left``/``right``
    hold up to ``window`` words around the match; ``category``/``term`` name the lexicon term
    (None without a lexicon); ``voice`` is 'none' for captions and boilerplate.
    Sorted by article_id, start.
    """
    rx, keep = _kwic_matcher(pattern, lexicon)
    reach = 40 * (window + 1)  # characters enough for `window` words, so context stays O(window)
    voice_at: dict[Any, list] = {}
    for sid, s, e, voice in segments(corpus)[["sentence_id", "start", "end", "voice"]].itertuples(index=False):
        voice_at.setdefault(sid, []).append((e, "none" if pd.isna(voice) else voice))
    rows = []
    for a, sid, kind, s, e in corpus.sentences[["article_id", "sentence_id", "kind", "start", "end"]].itertuples(index=False):
        text = corpus.texts[a]
        for m in rx.finditer(plain_spaces(text[s:e])):
            term = lexicon.lookup(m.group()) if lexicon is not None else None
            if not keep(term):
                continue
            start, end = s + m.start(), s + m.end()
            voice = next(v for seg_end, v in voice_at[sid] if start < seg_end)
            left = " ".join(_TOKEN.findall(text[max(0, start - reach) : start])[-window:]) if window else ""
            right = " ".join(_TOKEN.findall(text[end : end + reach])[:window])
            rows.append((a, sid, kind, voice, start, end, left, text[start:end], right,
                         term.category if term else None, term.name if term else None))
    columns = ["article_id", "sentence_id", "kind", "voice", "start", "end", "left", "match", "right", "category", "term"]
    return pd.DataFrame(rows, columns=columns).sort_values(["article_id", "start"], kind="stable", ignore_index=True)


def _kwic_matcher(pattern, lexicon: Lexicon | None):
    """(compiled pattern, test on the matched lexicon term) for ``kwic``."""
    if isinstance(pattern, re.Pattern):
        return pattern, lambda term: True
    if lexicon is not None and pattern in {c.name for c in lexicon.categories}:
        return lexicon.pattern, lambda term: term is not None and term.category == pattern
    if lexicon is not None and variant_key(pattern) in lexicon.index:
        name = lexicon.index[variant_key(pattern)].name
        return lexicon.pattern, lambda term: term is not None and term.name == name
    return compile_terms([pattern]), lambda term: True


# --- honest small-corpus statistics -----------------------------------------------------------


def sentence_terms(corpus, lexicon: Lexicon, *, voice: str = "own") -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(units, terms, matrix): one unit per sentence with words in ``voice`` (``article_id,
    sentence_id, outlet, n_words``), the lexicon's terms, and units × terms counts."""
    segs, hits = _voiced(corpus, lexicon)
    segs, hits = _relabel(segs, voice), _relabel(hits, voice)
    units = segs.groupby(["article_id", "sentence_id"], as_index=False, sort=True)["n_words"].sum()
    units["outlet"] = units["article_id"].map(corpus.articles.set_index("article_id")["outlet"])
    terms = term_table(lexicon)
    unit_row = {key: i for i, key in enumerate(zip(units["article_id"], units["sentence_id"]))}
    term_col = {name: j for j, name in enumerate(terms["term"])}
    matrix = np.zeros((len(units), len(terms)))
    rows = [unit_row[key] for key in zip(hits["article_id"], hits["sentence_id"])]
    np.add.at(matrix, (rows, [term_col[t] for t in hits["term"]]), 1)
    return units, terms, matrix


def permutation_test(
    corpus,
    lexicon: Lexicon,
    *,
    voice: str = "own",
    permutations: int = 1000,
    seed: int = 0,
    min_count: int = MIN_COUNT,
    min_words: int = MIN_WORDS,
    prior: float | None = None,
) -> pd.DataFrame:
    """Is an outlet's use of a term more than the luck of which sentences it wrote?

    Sentences (their part in ``voice``) are shuffled among outlets with a seeded generator;
    see ``newslens.logodds.outlet_term_test`` for the columns (``outlet, category, term, n,
    n_words, total, z, p_value, low_count, enough_text``). Terms used fewer than
    ``min_count`` times get no p-value; outlets with fewer than ``min_words`` words
    (default 300) in that voice are marked ``enough_text`` False.
    """
    units, terms, matrix = sentence_terms(corpus, lexicon, voice=voice)
    return _tested(units, terms, matrix, voice, permutations=permutations, seed=seed, min_count=min_count,
                   min_words=min_words, prior=prior)


def _tested(units: pd.DataFrame, terms: pd.DataFrame, matrix: np.ndarray, voice: str, **options) -> pd.DataFrame:
    """`outlet_term_test` over (units, terms, matrix), whatever the units are (sentences or articles)."""
    table = outlet_term_test(units["outlet"], units["n_words"], matrix, terms[["category", "term"]], **options)
    return table.assign(voice=voice)


def distinctive_terms(corpus, lexicon: Lexicon, *, alpha: float = 0.05, **options) -> pd.DataFrame:
    """``permutation_test`` plus ``q_value`` (Benjamini–Hochberg over all tested rows),
    ``direction`` ('more' or 'less' than the other outlets) and ``finding``: True only when
    q < ``alpha``, the term passes the count guard and the outlet has enough text.
    Options are those of ``permutation_test``. Chart only rows where ``finding`` is True.
    """
    return flag_findings(permutation_test(corpus, lexicon, **options), alpha=alpha)


# --- the same test with whole articles as units, from the stored tables --------------------------


def article_terms(terms: pd.DataFrame, voice_words: pd.DataFrame, articles: pd.DataFrame, lexicon: Lexicon,
                  *, voice: str = "own") -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(units, terms, matrix) as ``sentence_terms`` gives them, with one unit per article of
    ``articles`` that has words in ``voice`` (``article_id, outlet, n_words``), counted from the
    stored (sparse) ``terms`` and ``voice_words`` tables: no sentence is read."""
    outlet = articles.set_index("article_id")["outlet"]
    words = _of_outlets(in_voice(voice_words, voice, "n_words"), outlet)
    units = (words.groupby("article_id", as_index=False, sort=True)["n_words"].sum()
             .query("n_words > 0").reset_index(drop=True))
    units["outlet"] = units["article_id"].map(outlet)
    table = term_table(lexicon)
    used = in_voice(terms[terms["article_id"].isin(units["article_id"])], voice, "count")
    row = pd.Index(units["article_id"]).get_indexer(used["article_id"])
    col = pd.MultiIndex.from_frame(table[["category", "term"]]).get_indexer(
        pd.MultiIndex.from_frame(used[["category", "term"]]))
    keep = col >= 0  # a term the lexicon no longer lists is not tested
    cell = row[keep] * len(table) + col[keep]
    matrix = np.bincount(cell, weights=used["count"].to_numpy(dtype=float)[keep], minlength=len(units) * len(table))
    matrix = matrix.reshape(len(units), len(table))
    return units[["article_id", "outlet", "n_words"]], table, matrix


def article_permutation_test(
    terms: pd.DataFrame,
    voice_words: pd.DataFrame,
    articles: pd.DataFrame,
    lexicon: Lexicon,
    *,
    voice: str = "own",
    permutations: int = 1000,
    seed: int = 0,
    min_count: int = MIN_COUNT,
    min_words: int = MIN_WORDS,
    prior: float | None = None,
) -> pd.DataFrame:
    """``permutation_test`` with whole articles shuffled among outlets instead of sentences,
    computed from the stored per-article ``terms`` and ``voice_words`` tables.

    Observed z, ``n``, ``n_words`` and ``total`` are the same as the sentence test gives; only
    the null differs: a shuffle keeps each article's words together (sentences of one article
    are not independent) and each outlet keeps its number of articles. Memory is one articles
    × terms matrix; time grows linearly with articles × permutations.
    """
    units, table, matrix = article_terms(terms, voice_words, articles, lexicon, voice=voice)
    return _tested(units, table, matrix, voice, permutations=permutations, seed=seed, min_count=min_count,
                   min_words=min_words, prior=prior)


def distinctive_articles(terms: pd.DataFrame, voice_words: pd.DataFrame, articles: pd.DataFrame, lexicon: Lexicon,
                         *, alpha: float = 0.05, **options) -> pd.DataFrame:
    """``distinctive_terms`` with whole articles as the shuffled units (see
    ``article_permutation_test``, whose options it takes)."""
    return flag_findings(article_permutation_test(terms, voice_words, articles, lexicon, **options), alpha=alpha)
