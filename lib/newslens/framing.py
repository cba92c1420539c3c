"""Framing vocabulary: which words each outlet uses for the sides, the people and the event.

The lexicon (``data/lexicons/framing.yaml``) groups spellings into terms and terms into
categories. Counting separates the outlet's own voice from what it quotes:

- own: body and caption sentences, minus the spans between double quotes (“…” or "…") in them;
- quoted: sentences of kind ``quote`` and ``social`` (embedded posts), plus those quoted spans;
- boilerplate (page chrome) counts in no voice.

A quote mark left open runs to the end of its paragraph (the convention for quotes that go on
into the next paragraph); a closing mark with no opening one is ignored as a typo.
Non-breaking spaces count as spaces. One compiled pattern of all spellings runs over each text,
so a word is counted once, as the longest listed form that covers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from newslens.lexicons import YamlDoc, data_dir, load_yaml
from newslens.logodds import flag_findings, outlet_term_test

VOICE_OF_KIND = MappingProxyType(
    {"body": "own", "caption": "own", "quote": "quoted", "social": "quoted", "boilerplate": None}
)
VOICES = ("own", "quoted")
MIN_WORDS = 300  # below this many words of a voice, an outlet's rates are anecdotes, not findings
MIN_COUNT = 5  # a term seen fewer times in the whole corpus gets no p-value
_CATEGORY_KEYS = {"description", "actor", "terms"}
_TERM_KEYS = {"term", "variants", "ambiguous", "note"}
_HYPHENS = "-\u2010\u2011"
_CHAR_REGEX = {" ": r"\s+", "-": f"[{_HYPHENS}]"}
_WORD = re.compile(r"\w+(?:['’\-\u2010\u2011]\w+)*")
_QUOTE_MARK = re.compile('[“”"]')
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Term:
    name: str
    category: str
    variants: tuple[str, ...]
    ambiguous: bool = False
    note: str = ""


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    actor: str | None
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Lexicon:
    """Validated framing vocabulary plus its compiled matcher (see ``load_lexicon``)."""

    path: str
    categories: tuple[Category, ...]
    index: Mapping[str, Term] = field(compare=False, repr=False)
    pattern: re.Pattern[str] = field(compare=False, repr=False)

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(t for c in self.categories for t in c.terms)

    def category(self, name: str) -> Category:
        return {c.name: c for c in self.categories}[name]

    def term_of(self, surface: str) -> Term:
        """The term a matched piece of text counts as."""
        return self.index[variant_key(surface)]


def _spaces(text: str) -> str:
    """Non-breaking spaces as plain spaces; same length, so offsets hold."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")


def variant_key(text: str) -> str:
    """Spelling as compared: lower case, single spaces, plain hyphens.

    >>> variant_key("Pro\u2011Regime  Forces")
    'pro-regime forces'
    """
    text = re.sub(f"[{_HYPHENS}]", "-", _spaces(text))
    return " ".join(text.lower().split())


def compile_terms(spellings: Sequence[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One whole-word pattern for all spellings; where forms overlap the longest one wins.

    The alternation is written as a prefix tree (``militant(?:s|-held)?``) so that each text
    position tries one branch instead of every spelling: about 7x faster than a flat
    longest-first alternation on news text, with the same matches.

    >>> [m.group() for m in compile_terms(["regime", "pro-regime"]).finditer("pro-regime, regimes")]
    ['pro-regime']
    """
    trie: dict = {}
    for key in {variant_key(s) for s in spellings}:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    return re.compile(r"(?<!\w)" + _trie_regex(trie) + r"(?!\w)", flags)


def _trie_regex(node: dict) -> str:
    # children start with distinct characters (or \s+ / a hyphen class), so at most one branch
    # can match and greedy `?` makes the longer form win, falling back if its boundary fails
    alts = [_CHAR_REGEX.get(ch, re.escape(ch)) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and validate a framing lexicon (default ``data/lexicons/framing.yaml``).

    Raises LexiconError naming file and line for unknown keys, empty or non-text terms, and a
    spelling listed twice.
    """
    doc = load_yaml(path if path is not None else data_dir() / "lexicons" / "framing.yaml")
    return parse_lexicon(doc)


def parse_lexicon(doc: YamlDoc) -> Lexicon:
    """Validate a parsed lexicon file; see ``load_lexicon``."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict) or not data["categories"]:
        raise doc.error(what="the file needs a 'categories:' mapping", todo="see the comments at the top of framing.yaml")
    for key in data:
        if key != "categories":
            raise doc.error(key, what=f"unknown key {key!r}", todo="only 'categories:' belongs at the top level")
    seen: dict[str, tuple[Term, tuple]] = {}
    categories = tuple(_parse_category(doc, name, body, seen) for name, body in data["categories"].items())
    index = MappingProxyType({k: term for k, (term, _) in seen.items()})
    return Lexicon(doc.path, categories, index, compile_terms(list(index)))


def _parse_category(doc: YamlDoc, name: Any, body: Any, seen: dict) -> Category:
    where = ("categories", name)
    if not isinstance(name, str) or not isinstance(body, dict):
        raise doc.error(*where, what=f"category {name!r} must be a name with description/actor/terms under it")
    for key in body:
        if key not in _CATEGORY_KEYS:
            raise doc.error(*where, key, what=f"unknown key {key!r}", todo=f"use one of {sorted(_CATEGORY_KEYS)}")
    actor = body.get("actor")
    if actor is not None and not isinstance(actor, str):
        raise doc.error(*where, "actor", what="actor must be text, e.g. opposition")
    items = body.get("terms")
    if not isinstance(items, list) or not items:
        raise doc.error(*where, what=f"category {name!r} has no terms", todo="add a 'terms:' list")
    terms = tuple(_parse_term(doc, (*where, "terms", i), name, item, seen) for i, item in enumerate(items))
    return Category(name, str(body.get("description") or ""), actor, terms)


def _parse_term(doc: YamlDoc, where: tuple, category: str, item: Any, seen: dict) -> Term:
    spec = item if isinstance(item, dict) else {"term": item}
    for key in spec:
        if key not in _TERM_KEYS:
            raise doc.error(*where, key, what=f"unknown key {key!r}", todo=f"use one of {sorted(_TERM_KEYS)}")
    name = spec.get("term")
    if not isinstance(name, str):
        raise doc.error(*where, what=f"term {name!r} is not text", todo="quote it, e.g. 'yes' or '1'")
    if not name.strip():
        raise doc.error(*where, what="empty term", todo="write the word or delete the entry")
    variants = spec.get("variants", [])
    if not isinstance(variants, list):
        raise doc.error(*where, "variants", what="variants must be a list, e.g. [rebel, rebels]")
    for key in ("ambiguous", "note"):
        if key in spec and not isinstance(spec[key], bool if key == "ambiguous" else str):
            raise doc.error(*where, key, what=f"{key} must be {'true or false' if key == 'ambiguous' else 'text'}")
    term = Term(name.strip(), category, (name.strip(), *variants), spec.get("ambiguous", False), spec.get("note", ""))
    for j, spelling in enumerate(term.variants):
        at = where if j == 0 else (*where, "variants", j - 1)
        if not isinstance(spelling, str) or not spelling.strip():
            raise doc.error(*at, what=f"variant {spelling!r} is empty or not text", todo="quote it or delete it")
        key = variant_key(spelling)
        if key in seen:
            other, other_at = seen[key]
            raise doc.error(
                *at,
                what=f"{spelling!r} is listed twice: here and under {other.category}/{other.name} (line {doc.line(*other_at)})",
                todo="keep it under one term only",
            )
        seen[key] = (term, at)
    return term


# --- where each voice's text is -------------------------------------------------------------


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Quoted spans of one paragraph, marks included.

    >>> quote_spans('He said “go” and "stay”. “Open')
    [(8, 12), (17, 23), (25, 30)]
    """
    spans, opened = [], None
    for m in _QUOTE_MARK.finditer(text):
        mark = m.group()
        if opened is None and mark != "”":
            opened = m.start()
        elif opened is not None and mark != "“":
            spans.append((opened, m.end()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def _subtract(start: int, end: int, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > pos:
            yield pos, s, "own"
        yield s, e, "quoted"
        pos = e
    if pos < end:
        yield pos, end, "own"


def segments(corpus) -> pd.DataFrame:
    """Voice of every stretch of sentence text: ``article_id, sentence_id, kind, voice, start, end``.

    Boilerplate gets voice None. Offsets are into ``corpus.texts[article_id]``.
    """
    s = corpus.sentences.sort_values(["article_id", "start"], kind="stable")
    columns = zip(s["article_id"], s["paragraph"], s["sentence_id"], s["kind"], s["start"].astype(int), s["end"].astype(int))
    rows = []
    # plain tuples, not a pandas groupby: this runs once per paragraph of every article
    for (article_id, _), paragraph in groupby(columns, key=lambda r: (r[0], r[1])):
        paragraph = list(paragraph)
        for _, _, sid, kind, _, _ in paragraph:
            if kind not in VOICE_OF_KIND:
                raise ValueError(f"sentence {sid}: unknown kind {kind!r}; expected one of {sorted(VOICE_OF_KIND)}")
        voiced = [r for r in paragraph if VOICE_OF_KIND[r[3]]]
        lo, hi = (voiced[0][4], max(r[5] for r in voiced)) if voiced else (0, 0)
        spans = [(lo + a, lo + b) for a, b in quote_spans(corpus.texts[article_id][lo:hi])]
        for _, _, sid, kind, start, end in paragraph:
            voice = VOICE_OF_KIND[kind]
            parts = _subtract(start, end, spans) if voice == "own" else [(start, end, voice)]
            rows += [(article_id, sid, kind, v, a, b) for a, b, v in parts]
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "kind", "voice", "start", "end"])


def _voiced(corpus, lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(segments with ``n_words``, matches with ``category, term``) for the voiced segments."""
    segs = segments(corpus)
    segs = segs[segs["voice"].notna()].reset_index(drop=True)
    clean = {a: _spaces(t) for a, t in corpus.texts.items()}
    n_words, found = [], []
    for i, (a, s, e) in enumerate(zip(segs["article_id"], segs["start"], segs["end"])):
        piece = clean[a][s:e]
        n_words.append(len(_WORD.findall(piece)))
        found += [(i, s + m.start(), s + m.end(), m.group()) for m in lexicon.pattern.finditer(piece)]
    segs["n_words"] = np.asarray(n_words, dtype="int64")
    hits = pd.DataFrame(found, columns=["segment", "start", "end", "surface"])
    terms = [lexicon.term_of(x) for x in hits["surface"]]
    of_segment = segs.iloc[hits["segment"].to_numpy(dtype=int)]
    hits = hits.assign(category=[t.category for t in terms], term=[t.name for t in terms],
                       **{c: of_segment[c].to_numpy() for c in ("article_id", "sentence_id", "voice")})
    return segs, hits


def _term_table(lexicon: Lexicon) -> pd.DataFrame:
    actor = {c.name: c.actor for c in lexicon.categories}
    return pd.DataFrame(
        [(t.category, t.name, actor[t.category], t.ambiguous) for t in lexicon.terms],
        columns=["category", "term", "actor", "ambiguous"],
    )


def _voices(voice: str | Sequence[str]) -> list[str]:
    wanted = [voice] if isinstance(voice, str) else list(voice)
    for v in wanted:
        if v not in (*VOICES, "all"):
            raise ValueError(f"voice {v!r}: use 'own', 'quoted', 'all' or a list of them")
    return wanted


def _relabel(table: pd.DataFrame, voice: str) -> pd.DataFrame:
    """Rows of one requested voice; 'all' is own and quoted together."""
    members = VOICES if voice == "all" else (voice,)
    return table[table["voice"].isin(members)].assign(voice=voice)


def count(corpus, lexicon: Lexicon, voice: str | Sequence[str] = "own") -> pd.DataFrame:
    """The ``terms`` table: every article × term × requested voice, zeros included.

    Columns ``article_id, category, term, voice, count, n_words, per_1000_words, actor,
    ambiguous``; ``n_words`` is the article's word count in that voice and ``per_1000_words`` is
    NaN where that voice has no words. ``voice`` is 'own', 'quoted', 'all' (both, labelled
    'all') or a list of these. Sorted by article_id, category, term, voice.
    """
    segs, hits = _voiced(corpus, lexicon)
    articles = pd.DataFrame({"article_id": corpus.articles["article_id"].astype(str).unique()})
    parts = []
    for v in _voices(voice):
        words = _relabel(segs, v).groupby("article_id")["n_words"].sum()
        counts = _relabel(hits, v).groupby(["article_id", "category", "term"]).size().rename("count")
        grid = articles.merge(_term_table(lexicon), how="cross").assign(voice=v)
        grid = grid.join(counts, on=["article_id", "category", "term"])
        grid["count"] = grid["count"].fillna(0).astype("int64")
        grid["n_words"] = grid["article_id"].map(words).fillna(0).astype("int64")
        parts.append(grid)
    table = pd.concat(parts, ignore_index=True)
    table["per_1000_words"] = (1000 * table["count"] / table["n_words"].where(table["n_words"] > 0)).astype(float)
    columns = ["article_id", "category", "term", "voice", "count", "n_words", "per_1000_words", "actor", "ambiguous"]
    return table[columns].sort_values(["article_id", "category", "term", "voice"], ignore_index=True)


def actor_labels(corpus, lexicon: Lexicon, *, voice: str = "own") -> pd.DataFrame:
    """Share of each label an outlet gives each actor: ``outlet, actor, term, count, share``.

    Share is the term's part of all labels the outlet used for that actor (NaN if none).
    """
    terms = count(corpus, lexicon, voice=voice)
    terms = terms[terms["actor"].notna()]
    outlets = corpus.articles.set_index("article_id")["outlet"]
    terms = terms.assign(outlet=terms["article_id"].map(outlets))
    keys = ["outlet", "actor", "category", "term", "ambiguous"]
    table = terms.groupby(keys, as_index=False)["count"].sum()
    total = table.groupby(["outlet", "actor"])["count"].transform("sum")
    table["share"] = (table["count"] / total.where(total > 0)).astype(float)
    return table.assign(voice=voice).sort_values(["outlet", "actor", "term"], ignore_index=True)


def kwic(corpus, pattern: str | re.Pattern[str], window: int = 8, *, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Keyword in context over every sentence, boilerplate and quotes included.

    ``pattern``: a compiled pattern (its flags honoured), a lexicon category name (when
    ``lexicon`` is given), or a plain term matched case-insensitively as whole words (a plain
    term also matches inside unlisted-or-listed compounds: "regime" finds "pro-regime").
    ``start/end`` are offsets into the article's clean text; ``left``/``right`` hold up to
    ``window`` words of the article around the match. Sorted by article_id, start.
    """
    if isinstance(pattern, re.Pattern):
        rx = pattern
    elif lexicon is not None and pattern in {c.name for c in lexicon.categories}:
        rx = compile_terms([v for t in lexicon.category(pattern).terms for v in t.variants])
    else:
        rx = compile_terms([pattern])
    reach = 40 * (window + 1)  # characters enough for `window` words, so context stays O(window)
    voice_at: dict[Any, list] = {}
    for sid, s, e, voice in segments(corpus)[["sentence_id", "start", "end", "voice"]].itertuples(index=False):
        voice_at.setdefault(sid, []).append((e, "none" if pd.isna(voice) else voice))
    rows = []
    for a, sid, kind, s, e in corpus.sentences[["article_id", "sentence_id", "kind", "start", "end"]].itertuples(index=False):
        text = corpus.texts[a]
        for m in rx.finditer(_spaces(text[s:e])):
            start, end = s + m.start(), s + m.end()
            voice = next(v for seg_end, v in voice_at[sid] if start < seg_end)
            left = " ".join(_TOKEN.findall(text[max(0, start - reach) : start])[-window:]) if window else ""
            right = " ".join(_TOKEN.findall(text[end : end + reach])[:window])
            rows.append((a, sid, kind, voice, start, end, left, text[start:end], right))
    columns = ["article_id", "sentence_id", "kind", "voice", "start", "end", "left", "match", "right"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["article_id", "start"], kind="stable", ignore_index=True)


# --- honest small-corpus statistics -----------------------------------------------------------


def sentence_terms(corpus, lexicon: Lexicon, *, voice: str = "own") -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(units, terms, matrix): one unit per sentence with words in ``voice`` (``article_id,
    sentence_id, outlet, n_words``), the lexicon's terms, and units × terms counts."""
    segs, hits = _voiced(corpus, lexicon)
    segs, hits = _relabel(segs, voice), _relabel(hits, voice)
    units = segs.groupby(["article_id", "sentence_id"], as_index=False, sort=True)["n_words"].sum()
    units["outlet"] = units["article_id"].map(corpus.articles.set_index("article_id")["outlet"])
    terms = _term_table(lexicon)
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
    table = outlet_term_test(
        units["outlet"], units["n_words"], matrix, terms[["category", "term"]],
        permutations=permutations, seed=seed, min_count=min_count, min_words=min_words, prior=prior,
    )
    return table.assign(voice=voice)


def distinctive_terms(corpus, lexicon: Lexicon, *, alpha: float = 0.05, **options) -> pd.DataFrame:
    """``permutation_test`` plus ``q_value`` (Benjamini–Hochberg over all tested rows),
    ``direction`` ('more' or 'less' than the other outlets) and ``finding``: True only when
    q < ``alpha``, the term passes the count guard and the outlet has enough text.
    Options are those of ``permutation_test``. Chart only rows where ``finding`` is True.
    """
    return flag_findings(permutation_test(corpus, lexicon, **options), alpha=alpha)
