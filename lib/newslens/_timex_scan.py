"""Candidate search behind :mod:`newslens.timex`: head tokens, rule tries around them,
longest-match selection, gluing a day to its clock time, trimming leading signal words.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from newslens import _timex_patterns as P
from newslens import _timex_values as V
from newslens._timex_ranges import merge
from newslens._timex_resolve import HANDLERS

# A leading signal word belongs to the sentence, not to the TIMEX3 extent ("in 2016").
_LEAD_RE = re.compile(r"(?:in|on|at|over|during|for|within|throughout|since|until|till|by|"
                      r"from|through|before|after|of|to|between|and|or)\s+",
                      re.IGNORECASE)


class _Cand(NamedTuple):
    length: int
    start: int
    rule: int
    res: V.Res


def _zone(local_tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(local_tz) if isinstance(local_tz, str) else local_tz


def context(text: str, published: datetime, local_tz: str | tzinfo, dayfirst: bool,
             writer_tz: str | tzinfo | None = None) -> V.Ctx:
    if not isinstance(published, datetime) or published.tzinfo is None \
            or published.utcoffset() is None:
        raise ValueError(
            f"published must be a tz-aware datetime (got {published!r}); "
            "localise it first, e.g. pd.Timestamp(value).tz_localize('UTC')")
    tz = _zone(local_tz)
    # The writer's calendar decides which day "today" is; intervals stay in the event zone.
    ref = published.astimezone(tz if writer_tz is None else _zone(writer_tz))
    anchor = published.astimezone(timezone.utc).isoformat()
    return V.Ctx(text=text, ref=ref, tz=tz, anchor=anchor, dayfirst=dayfirst)


_DIGITS_RE = re.compile(r"\d+")


_DATE_WORDS = frozenset(w for w, kind in P.HEAD_WORDS.items() if kind in ("mon", "wd"))


def _heads(text: str) -> list[tuple[int, str, str]]:
    """(offset, head kind, word) of every token that can carry an expression."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ")
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _word_heads(lower, P.HEAD_SET.intersection(P.WORD_RE.findall(lower))) + \
        _number_heads(lower)


def _word_heads(lower: str, words: set[str] | frozenset[str]) -> list[tuple[int, str, str]]:
    heads = []
    for word in words:
        kind, size, at = P.HEAD_WORDS[word], len(word), lower.find(word)
        while at >= 0:
            if not (at and lower[at - 1].isalnum()) and \
                    not lower[at + size:at + size + 1].isalnum():
                heads.append((at, kind, word))
            at = lower.find(word, at + size)
    return heads


def _number_heads(lower: str) -> list[tuple[int, str, str]]:
    """Numbers that may carry an expression; a letter glued before one ("q1", "w50") opens it.
    A plain number is one when it looks like a year, carries letters, is glued to another
    number or sits next to a time word (``NUMBER_HEAD_RE``), or follows a month or weekday."""
    found = []
    number_head = P.NUMBER_HEAD_RE.match
    for m in _DIGITS_RE.finditer(lower):
        at = m.start()
        if at and lower[at - 1].isalnum():
            if not (at > 1 and lower[at - 2].isalnum()):
                found.append((at - 1, "num", "#"))
        elif number_head(lower, at) is not None:
            found.append((at, "num", "#"))
        else:
            previous = lower[max(0, at - 12):at].rstrip().rsplit(None, 1)[-1:]
            if previous and previous[0].lower().rstrip(".,") in _DATE_WORDS:
                found.append((at, "num", "#"))
    return found


def _openers(text: str, head: int) -> list[tuple[int, str]]:
    """(start, lower-case word) of the few words just before a head, nearest last."""
    before = list(P.WORD_RE.finditer(text, max(0, head - P.LOOKBACK_CHARS), head))
    return [(w.start(), w.group().lower()) for w in before[-P.LOOKBACK_WORDS:]]


_starting = functools.lru_cache(maxsize=1024)(P.head_start_rules)


@functools.lru_cache(maxsize=4096)
def _opened(kind: str, word: str) -> tuple[int, ...]:
    """The rules of a head kind that the word before the head may open."""
    numeric = word[0].isdigit()
    return tuple(idx for idx in P.HEAD_RULES[kind]
                 if word in P.OPENERS[idx] or numeric and P.NUMBER_OPENED[idx])


_RULES = tuple((pattern.match, HANDLERS[name]) for name, pattern in P.RULES)


def _candidates(ctx: V.Ctx, heads: list[tuple[int, str, str]] | None = None) -> list[_Cand]:
    text, rules = ctx.text, _RULES
    tried: set[tuple[int, int]] = set()
    found: list[_Cand] = []
    for head, kind, word in _heads(text) if heads is None else heads:
        tries = [(head, idx) for idx in _starting(kind, word)]
        for start, before in _openers(text, head):
            tries.extend((start, idx) for idx in _opened(kind, before))
        for start, idx in tries:
            if (idx, start) in tried:
                continue
            tried.add((idx, start))
            match_at, handler = rules[idx]
            match = match_at(text, start)
            if match is None or match.end() == start:
                continue
            try:
                res = handler(match, ctx)
            except (ValueError, OverflowError, KeyError):
                continue  # impossible calendar values ("31/02/2016") are not dates
            if res is not None:
                found.append(_Cand(res.end - res.start, res.start, idx, res))
    return found


def _select(cands: list[_Cand]) -> list[V.Res]:
    """Longest match wins; ties go to the earlier start, then the earlier rule."""
    taken: list[V.Res] = []
    for cand in sorted(cands, key=lambda c: (-c.length, c.start, c.rule)):
        res = cand.res
        if all(res.end <= t.start or res.start >= t.end for t in taken):
            taken.append(res)
    return sorted(taken, key=lambda r: r.start)


def _join(items: list[V.Res], ctx: V.Ctx) -> list[V.Res]:
    """Glue a day and an adjacent clock time into one expression ("Dec 16, 2016 23:13 GMT")."""
    out: list[V.Res] = []
    joined = False
    for res in items:
        prev = out[-1] if out else None
        gap = ctx.text[prev.end:res.start] if prev is not None else "\n"
        if prev is not None and not joined and "\n" not in gap and P.JOIN_RE.match(gap):
            day, clock = (prev.day, res.clock) if prev.day and res.clock else \
                (res.day, prev.clock) if res.day and prev.clock else (None, None)
            if day is not None and clock is not None:
                glued = V.time_res(prev.start, res.end, day, clock, ctx, rel=prev.rel or res.rel,
                                  conf=min(prev.conf, res.conf), mod=prev.mod or res.mod)
                out[-1], joined = glued, True
                continue
        out.append(res)
        joined = False
    return out


def _trim(res: V.Res, text: str) -> V.Res:
    start = res.start
    while (lead := _LEAD_RE.match(text, start, res.end)) and lead.end() < res.end:
        start = lead.end()
    return res._replace(start=start) if start != res.start else res


# Without the characters of ``V.CASE_ODD``, ``GATE_RE`` (IGNORECASE) matches a text exactly
# where its case-sensitive twin matches the lower-cased text, which runs several times faster.
_GATE_LOWER_RE = re.compile(P.GATE_RE.pattern)


_GATE_HEADS = frozenset(w for w in P.HEAD_SET if _GATE_LOWER_RE.search(w))


def gated(text: str, lower: str) -> bool:
    """``GATE_RE.search(text)``; ``lower`` is ``text.lower()``."""
    if text.isascii() or not any(c in text for c in V.CASE_ODD):
        return _GATE_LOWER_RE.search(lower) is not None
    return P.GATE_RE.search(text) is not None


# ``WORD_RE`` over a lower-cased text, done on its UTF-8 bytes: ASCII letters and digits stay,
# every other byte (those of non-ASCII characters too) separates words.
_WORD_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
_HEAD_BYTES = {w.encode(): w for w in P.HEAD_SET}
_HEAD_KEYS = frozenset(_HEAD_BYTES)
_ASCII_DIGITS = b"0123456789"


def _head_words(lower: str) -> tuple[set[str], bool]:
    """The head words among the words of ``lower`` and whether it holds a digit."""
    raw = lower.encode()
    words = {_HEAD_BYTES[w] for w in _HEAD_KEYS.intersection(raw.translate(_WORD_BYTES).split())}
    digit = len(raw.translate(None, _ASCII_DIGITS)) < len(raw) or \
        not raw.isascii() and _DIGITS_RE.search(lower) is not None
    return words, digit


def sentence(text: str, base: V.Ctx) -> list[V.Res]:
    """``rows`` of a non-empty ``text`` in the context ``base`` (its text replaced), skipping
    the work for texts without a head token or failing the gate."""
    lower = text.lower()
    if len(lower) != len(text):
        return scan(base._replace(text=text)) if P.GATE_RE.search(text) else []
    words, digit = _head_words(lower)
    if not words and not digit:
        return []
    # A digit passes the gate; so does a head word holding a gate word, unless a character
    # whose case crosses into ASCII makes the lower-cased text a different string to match.
    if not digit and (_GATE_HEADS.isdisjoint(words) or not text.isascii()) \
            and not gated(text, lower):
        return []
    heads = _word_heads(lower, words) + _number_heads(lower) if digit else _word_heads(lower, words)
    return scan(base._replace(text=text), heads) if heads else []


def scan(ctx: V.Ctx, heads: list[tuple[int, str, str]] | None = None) -> list[V.Res]:
    """The expressions of ``ctx.text`` (a non-empty text that passed the gate)."""
    text = ctx.text
    return merge([_trim(r, text) for r in _join(_select(_candidates(ctx, heads)), ctx)], ctx)


def rows(text: str, published: datetime, *, local_tz: str | tzinfo = "Asia/Damascus",
          writer_tz: str | tzinfo | None = None, dayfirst: bool = True) -> list[V.Res]:
    ctx = context(text, published, local_tz, dayfirst, writer_tz)
    if not isinstance(text, str) or not text or not P.GATE_RE.search(text):
        return []
    return scan(ctx)


