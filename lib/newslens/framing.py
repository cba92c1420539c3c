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
``tests/test_framing_fast.py`` for the per-segment definitions they are held to.)

The stored ``terms`` table is sparse (``count(..., zeros=False)``) and ``voice_words`` holds
each article's words per voice; ``with_zeros``, ``rates`` and ``actor_shares`` work from those
two tables, so notebooks never need the dense article × term grid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from newslens.framing_lexicon import (
    Category,
    Lexicon,
    Term,
    compile_terms,
    load_lexicon,
    find_terms,
    parse_lexicon,
    plain_spaces,
    variant_key,
)
from newslens.logodds import flag_findings, outlet_term_test

__all__ = [
    "Category", "Lexicon", "Term", "compile_terms", "load_lexicon", "parse_lexicon", "variant_key",
    "quote_spans", "segments", "count", "voice_words", "with_zeros", "in_voice", "rates",
    "actor_shares", "actor_labels", "kwic", "sentence_terms", "permutation_test", "distinctive_terms",
]

VOICE_OF_KIND = MappingProxyType(
    {"body": "own", "quote": "quoted", "social": "quoted", "caption": None, "boilerplate": None}
)
VOICES = ("own", "quoted")
MIN_WORDS = 300  # below this many words of a voice, an outlet's rates are anecdotes, not findings
MIN_COUNT = 5  # a term seen fewer times in the whole corpus gets no p-value
TERM_COLUMNS = ["article_id", "category", "term", "voice", "count", "n_words", "per_1000_words", "actor", "ambiguous"]
_WORD = re.compile(r"\w+(?:['’\-\u2010\u2011]\w+)*")
_QUOTE_MARK = re.compile('[“”"]')
_TOKEN = re.compile(r"\S+")


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


_VOICE_CODES = {"own": 1, "quoted": 2}
_VOICE_NAMES = np.array([None, "own", "quoted"], dtype=object)
_SEGMENT_COLUMNS = ["article_id", "sentence_id", "kind", "voice", "start", "end"]


class _Segments(NamedTuple):
    """``segments`` as arrays, plus every text joined (non-breaking spaces as spaces)."""

    sentences: pd.DataFrame  # sorted by article and start
    row: np.ndarray  # per segment: its sentence's row in ``sentences``
    start: np.ndarray
    end: np.ndarray
    voice: np.ndarray  # 0 none, 1 own, 2 quoted
    text: str  # the articles' texts one after another, in ``sentences`` order
    code_points: np.ndarray  # of ``text``
    at: np.ndarray  # per segment: where its article's text begins in ``text``
    article: np.ndarray  # per segment: which text of ``text`` (0, 1, ...) is its article's
    length: np.ndarray  # per segment: the length of its article's text


def _segment_arrays(corpus) -> _Segments:
    """``segments`` vectorised over sentences; only paragraphs with a quote mark and own-voice
    sentences in them are cut up in Python (``quote_spans`` and ``_subtract``, as for one
    paragraph)."""
    s = corpus.sentences.sort_values(["article_id", "start"], kind="stable")
    kinds = s["kind"].tolist()
    codes = {k: _VOICE_CODES.get(v, 0) for k, v in VOICE_OF_KIND.items()}
    try:
        vcode = np.array([codes[k] for k in kinds], dtype=np.int8)
    except (KeyError, TypeError):
        first = next(i for i, k in enumerate(kinds) if k not in VOICE_OF_KIND)
        raise ValueError(f"sentence {s['sentence_id'].iloc[first]}: unknown kind {kinds[first]!r}; "
                         f"expected one of {sorted(VOICE_OF_KIND)}") from None
    n = len(kinds)
    article = s["article_id"].to_numpy(dtype=object)
    start = s["start"].to_numpy().astype(int)
    end = s["end"].to_numpy().astype(int)
    # paragraphs: runs of equal (article, paragraph) in sorted order, as itertools.groupby
    paragraph = s["paragraph"].to_numpy()
    new_article = np.ones(n, dtype=bool)
    new_article[1:] = article[1:] != article[:-1]
    new = new_article.copy()
    new[1:] |= paragraph[1:] != paragraph[:-1]
    first_row = np.flatnonzero(new)
    voiced = vcode > 0
    if n:
        has_voiced = np.logical_or.reduceat(voiced, first_row)
        big = np.iinfo(np.int64).max
        lo = np.where(has_voiced, np.minimum.reduceat(np.where(voiced, start, big), first_row), 0)
        hi = np.where(has_voiced, np.maximum.reduceat(np.where(voiced, end, -big), first_row), 0)
    else:
        has_voiced = lo = hi = np.zeros(0, dtype=np.int64)
    # spans of the paragraphs whose voiced stretch holds a quote mark, found in all texts at once
    texts = [corpus.texts[a] for a in article[new_article].tolist()]
    offset = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=offset[1:])
    full = plain_spaces("".join(texts))
    cp = _code_points(full)
    marks = np.flatnonzero((cp == ord('"')) | (cp == ord("“")) | (cp == ord("”")))
    text_of_row = np.cumsum(new_article) - 1
    at = offset[text_of_row[first_row]]
    size = np.diff(offset)[text_of_row[first_row]]
    # (offsets outside the text are looked at as they are; a paragraph wrongly taken is harmless)
    quoted = (np.searchsorted(marks, at + hi) > np.searchsorted(marks, at + lo)) | (lo < 0) | (hi > size)
    last_row = np.append(first_row[1:], n)
    cut: dict[int, list] = {}  # sentence row -> its own/quoted parts
    for g in np.flatnonzero(has_voiced & quoted).tolist():
        r0 = first_row[g]
        text = corpus.texts[article[r0]]
        a, b = int(lo[g]), int(hi[g])
        spans = [(a + x, a + y) for x, y in quote_spans(text[a:b])]
        for r in range(r0, last_row[g]):
            if vcode[r] == 1:
                cut[r] = [(p, q, _VOICE_CODES[v]) for p, q, v in _subtract(int(start[r]), int(end[r]), spans)]
    # every other sentence is one segment (an own sentence only when it is not empty)
    whole = np.ones(n, dtype=bool)
    whole[(vcode == 1) & (start >= end)] = False
    if cut:
        rows_cut = np.fromiter(cut, dtype=np.int64, count=len(cut))
        whole[rows_cut] = False
        parts = [(r, p, q, v) for r, ps in cut.items() for p, q, v in ps]
        extra = np.array(parts, dtype=np.int64).reshape(-1, 4)
        row = np.concatenate([np.flatnonzero(whole), extra[:, 0]])
        order = np.argsort(row, kind="stable")
        row = row[order]
        seg_start = np.concatenate([start[whole], extra[:, 1]])[order]
        seg_end = np.concatenate([end[whole], extra[:, 2]])[order]
        seg_voice = np.concatenate([vcode[whole], extra[:, 3].astype(np.int8)])[order]
    else:
        row = np.flatnonzero(whole)
        seg_start, seg_end, seg_voice = start[whole], end[whole], vcode[whole]
    article_of = text_of_row[row]
    return _Segments(s, row, seg_start, seg_end, seg_voice, full, cp, offset[article_of], article_of,
                     np.diff(offset)[article_of])


def segments(corpus) -> pd.DataFrame:
    """Voice of every stretch of sentence text: ``article_id, sentence_id, kind, voice, start, end``.

    Boilerplate gets voice None. Offsets are into ``corpus.texts[article_id]``.
    """
    g = _segment_arrays(corpus)
    return _segment_frame(g.sentences, g.row, g.start, g.end, g.voice)


def _segment_frame(s: pd.DataFrame, row: np.ndarray, start, end, voice) -> pd.DataFrame:
    if not len(row):
        return pd.DataFrame([], columns=_SEGMENT_COLUMNS)
    columns = {c: s[c].to_numpy(dtype=object)[row] for c in ("article_id", "sentence_id", "kind")}
    return pd.DataFrame({**columns, "voice": _VOICE_NAMES[voice], "start": start, "end": end}, columns=_SEGMENT_COLUMNS)


_WORD_CHAR = re.compile(r"\w")
_JOINER = re.compile(r"['’\-\u2010\u2011]")  # joins two parts of one _WORD
_CHAR_CLASS = np.full(0, -1, dtype=np.int8)  # code point -> 1 word character, 2 joiner, 0 other, -1 not yet known


def _char_classes(cp: np.ndarray) -> np.ndarray:
    """The class (see ``_CHAR_CLASS``) of every code point in ``cp``; classes are worked out
    with the regex engine itself, once per code point and process."""
    global _CHAR_CLASS
    top = int(cp.max(initial=0))
    if top >= len(_CHAR_CLASS):
        _CHAR_CLASS = np.concatenate([_CHAR_CLASS, np.full(top + 1 - len(_CHAR_CLASS), -1, dtype=np.int8)])
    cls = _CHAR_CLASS[cp]
    if (cls < 0).any():
        for c in np.unique(cp[cls < 0]).tolist():
            ch = chr(c)
            _CHAR_CLASS[c] = 1 if _WORD_CHAR.fullmatch(ch) else 2 if _JOINER.fullmatch(ch) else 0
        cls = _CHAR_CLASS[cp]
    return cls


def _word_begins(cls: np.ndarray) -> np.ndarray:
    """Where ``_WORD`` matches begin in a text, from the character classes of ``"\\0\\0" + text``.

    A ``_WORD`` match is a maximal chain of word-character runs joined by single joiners, so
    matches are counted by their first characters: a word character that follows neither a word
    character nor a joiner that follows one.
    """
    word = cls == 1
    return word[2:] & ~word[1:-1] & ~((cls[1:-1] == 2) & word[:-2])


def _word_counts(cls: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``len(_WORD.findall(text[s:e]))`` for each ``start, end``, from the character classes of
    ``"\\0\\0" + text``: the matches beginning in the piece of the whole text, corrected for
    the piece's first two characters, which the slice cuts off from what came before."""
    begins = _word_begins(cls)
    if not len(begins):
        return np.zeros(len(start), dtype=np.int64)
    where = np.flatnonzero(begins)
    n = np.searchsorted(where, end) - np.searchsorted(where, start)
    word = cls == 1
    first = np.minimum(start, len(begins) - 1)
    second = np.minimum(start + 1, len(begins) - 1)
    n += (start < end) * (word[first + 2].astype(np.int64) - begins[first])
    n += (start + 1 < end) * ((word[second + 2] & ~word[first + 2]).astype(np.int64) - begins[second])
    return n


def _code_points(text: str) -> np.ndarray:
    """One array element per character (UTF-16 when no character needs two units)."""
    data = text.encode("utf-16-le")
    if len(data) == 2 * len(text):
        return np.frombuffer(data, dtype=np.uint16)
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class _Voiced(NamedTuple):
    """Voiced segments (own or quoted) as arrays, and the lexicon's matches in them."""

    sentences: pd.DataFrame  # sorted as for ``segments``
    row: np.ndarray  # per segment: its sentence's row in ``sentences``
    start: np.ndarray
    end: np.ndarray
    voice: np.ndarray  # 1 own, 2 quoted
    n_words: np.ndarray
    hit_segment: np.ndarray  # by_segment=False: a segment of the same article and voice
    hit_term: np.ndarray  # index into ``lexicon.terms``
    hit_start: np.ndarray | None  # by_segment=True only
    hit_end: np.ndarray | None
    surface: Callable[[], list[str]]  # the text of each hit, by_segment=True only


def _voiced_arrays(corpus, lexicon: Lexicon | None, *, by_segment: bool = True) -> _Voiced:
    """Words are counted over all texts at once; the voiced pieces of text are joined (NUL
    between them: no spelling or space crosses it) so spellings are found in one pass, not one
    per segment. ``by_segment=False``: only which article and voice each match is in, which
    needs no match positions (the pieces are joined by article and voice)."""
    g = _segment_arrays(corpus)
    keep = g.voice > 0
    s, row, start, end, voice = g.sentences, g.row[keep], g.start[keep], g.end[keep], g.voice[keep]
    at, length, article = g.at[keep], g.length[keep], g.article[keep]
    stop = np.maximum(start, end)  # a piece ending before it starts is empty either way
    inside = bool(((start >= 0) & (stop <= length)).all())
    if inside:
        cls = _char_classes(np.concatenate([np.zeros(2, dtype=g.code_points.dtype), g.code_points]))
        n_words = _word_counts(cls, at + start, at + stop)
    empty = np.zeros(0, dtype=np.int64)
    hit_segment, hit_term, hit_start, hit_end = empty, empty, None, None
    joined, spans = "", np.zeros((0, 2), dtype=np.int64)
    if lexicon is not None or not inside:
        order = np.arange(len(row)) if by_segment else np.lexsort((voice, article))
        if inside:
            pieces = [g.text[p:q] for p, q in zip((at + start)[order].tolist(), (at + stop)[order].tolist())]
        else:  # offsets outside the text: slice each text as it is
            clean = {a: plain_spaces(t) for a, t in corpus.texts.items()}
            names = s["article_id"].to_numpy(dtype=object)[row[order]].tolist()
            pieces = [clean[a][p:q] for a, p, q in zip(names, start[order].tolist(), end[order].tolist())]
        joined = "\0".join(pieces)
        bounds = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum([len(p) + 1 for p in pieces], out=bounds[1:])
        if not inside:
            n_words = np.empty(len(order), dtype=np.int64)
            n_words[order] = _word_counts(_char_classes(_code_points("\0\0" + joined)), bounds[:-1], bounds[1:] - 1)
        cp = g.code_points if inside else None
        if lexicon is not None and by_segment:
            spans, hit_term = find_terms(lexicon, joined, cp)
            hit_segment = np.searchsorted(bounds, spans[:, 0], side="right") - 1
            offset = start[hit_segment] - bounds[hit_segment]
            hit_start, hit_end = spans[:, 0] + offset, spans[:, 1] + offset
        elif lexicon is not None and len(order):
            key = (article * 3 + voice)[order]
            first = np.flatnonzero(np.append(True, key[1:] != key[:-1]))
            part, hit_term = find_terms(lexicon, joined, cp, parts=bounds[np.append(first[1:], len(order))] - 1)
            hit_segment = order[first[part]]
    return _Voiced(s, row, start, end, voice, n_words.astype("int64"), hit_segment, hit_term, hit_start, hit_end,
                   lambda: [joined[a:b] for a, b in spans.tolist()])


def _voiced(corpus, lexicon: Lexicon | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(segments with ``n_words``, matches with ``category, term``) for the voiced segments;
    no matches without a lexicon."""
    v = _voiced_arrays(corpus, lexicon)
    segs = _segment_frame(v.sentences, v.row, v.start, v.end, v.voice) if len(v.row) else (
        segments(corpus).iloc[:0].reset_index(drop=True))
    segs["n_words"] = v.n_words
    found = list(zip(v.hit_segment.tolist(), v.hit_start.tolist(), v.hit_end.tolist(), v.surface()))
    hits = pd.DataFrame(found, columns=["segment", "start", "end", "surface"])
    terms = [lexicon.terms[i] for i in v.hit_term.tolist()] if lexicon is not None else []
    of_segment = segs.iloc[hits["segment"].to_numpy(dtype=int)]
    hits = hits.assign(category=[t.category for t in terms], term=[t.name for t in terms],
                       **{c: of_segment[c].to_numpy() for c in ("article_id", "sentence_id", "voice")})
    return segs, hits


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


def term_table(lexicon: Lexicon) -> pd.DataFrame:
    """Every term of the lexicon: ``category, term, actor, ambiguous``, in lexicon order."""
    actor = {c.name: c.actor for c in lexicon.categories}
    return pd.DataFrame(
        [(t.category, t.name, actor[t.category], t.ambiguous) for t in lexicon.terms],
        columns=["category", "term", "actor", "ambiguous"],
    )


def _in_voices(voice: np.ndarray, voices: Sequence[str]) -> list[np.ndarray]:
    """Per requested voice, which of the voice codes (1 own, 2 quoted) belong to it."""
    return [(voice > 0) if v == "all" else (voice == _VOICE_CODES[v]) for v in voices]


def _words_per_voice(corpus, v: _Voiced, voices: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(sorted article ids, each voiced segment's position among them or -1, words per
    article × requested voice); articles without words in a voice have 0."""
    ids = sorted(set(corpus.articles["article_id"].astype(str)))
    position = {a: i for i, a in enumerate(ids)}
    article = v.sentences["article_id"].to_numpy(dtype=object)[v.row].tolist()
    seg_article = np.array([position.get(a, -1) for a in article], dtype=np.int64)
    listed = seg_article >= 0
    words = np.zeros((len(ids), len(voices)), dtype=np.int64)
    for j, member in enumerate(_in_voices(v.voice, voices)):
        take = member & listed
        words[:, j] = np.bincount(seg_article[take], weights=v.n_words[take], minlength=len(ids)).astype(np.int64)
    return ids, seg_article, words


def _words_frame(ids: list[str], words: np.ndarray, voices: Sequence[str]) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product([ids, list(voices)], names=["article_id", "voice"])
    return pd.Series(words.ravel(), index=grid, name="n_words").reset_index()


def voice_words(corpus) -> pd.DataFrame:
    """The ``voice_words`` table: ``article_id, voice, n_words`` for the own and quoted voice of
    every article (0 where an article has no words in a voice). The denominators of every rate."""
    ids, _, words = _words_per_voice(corpus, _voiced_arrays(corpus, None), VOICES)
    return _words_frame(ids, words, VOICES)


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
            term = lexicon.index.get(variant_key(m.group())) if lexicon is not None else None
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
