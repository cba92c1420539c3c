"""Where each voice's text is, and how many words each voice has (see ``newslens.framing``).

- own: body sentences, minus the spans between double quotes (“…” or "…") in them;
- quoted: sentences of kind ``quote`` and ``social`` (embedded posts), plus those quoted spans;
- captions and boilerplate count in no voice.

A quote mark left open runs to the end of its paragraph; a closing mark with no opening one is
ignored as a typo. ``segments`` and ``voice_words`` work on all sentences at once: voices from
arrays, words counted over the joined texts, the lexicon's pattern run once over the joined
voiced pieces (``tests/test_framing_fast.py`` holds them to the per-segment definitions).
``newslens.framing`` re-exports the public names; this module does not import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd

from newslens.framing_lexicon import Lexicon, find_terms, plain_spaces

__all__ = ["VOICE_OF_KIND", "VOICES", "quote_spans", "segments", "voice_words"]

VOICE_OF_KIND = MappingProxyType(
    {"body": "own", "quote": "quoted", "social": "quoted", "caption": None, "boilerplate": None}
)
VOICES = ("own", "quoted")

_WORD = re.compile(r"\w+(?:['’\-\u2010\u2011]\w+)*")
_QUOTE_MARK = re.compile('[“”"]')


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


def _in_voices(voice: np.ndarray, voices: Sequence[str]) -> list[np.ndarray]:
    """Per requested voice, which of the voice codes (1 own, 2 quoted) belong to it."""
    return [(voice > 0) if v == "all" else (voice == _VOICE_CODES[v]) for v in voices]


def _words_per_voice(corpus, v: _Voiced, voices: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(sorted article ids, each voiced segment's position among them or -1, words per
    article × requested voice); articles without words in a voice have 0."""
    ids = sorted(set(corpus.articles["article_id"].astype(str).tolist()))
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
    """``article_id, voice, n_words``: every article × voice, articles first."""
    voices = list(voices)
    if not ids or not voices:  # empty: the column types of the article × voice grid
        grid = pd.MultiIndex.from_product([ids, voices], names=["article_id", "voice"])
        return pd.Series(words.ravel(), index=grid, name="n_words").reset_index()
    return pd.DataFrame({"article_id": np.repeat(np.array(ids, dtype=object), len(voices)),
                         "voice": np.array(voices * len(ids), dtype=object), "n_words": words.ravel()})


def voice_words(corpus) -> pd.DataFrame:
    """The ``voice_words`` table: ``article_id, voice, n_words`` for the own and quoted voice of
    every article (0 where an article has no words in a voice). The denominators of every rate."""
    ids, _, words = _words_per_voice(corpus, _voiced_arrays(corpus, None), VOICES)
    return _words_frame(ids, words, VOICES)
