"""Sentence splitting and quoted-speech spans for news text.

Survives "E. Aleppo", "Lt. Gen.", "U.S.", "4.5", closing quotes after the full stop, and
tweets. Rule-based on purpose: a model would need a download and would not explain itself.
"""

from __future__ import annotations

import re

# Lower-cased, without the final period.
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt cpt sgt cmdr adm brig gov sen rep rev st mt ft
jr sr inc ltd co corp dept univ no nos vol fig approx est vs etc al e.g i.e cf
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
u.s u.k u.n e.u u.s.a
""".split())

# A full stop, question or exclamation mark, optional closing quotes/brackets, then space and
# something that can start a sentence. (Spelled [.!?…][.!?…]* rather than [.!?…]+ so that the
# regex engine skips straight to the punctuation instead of trying every position.)
_BOUNDARY_RE = re.compile(r"[.!?…][.!?…]*['\"”’)\]]*(?=\s+['\"“‘(\[]?[A-Z0-9@#“\"])")
_PREV_WORD_RE = re.compile(r"(\S+?)[.!?…]+['\"”’)\]]*$")
_INITIAL_RE = re.compile(r"^(?:[A-Za-z]\.)*[A-Z]$")
_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»")


def _is_abbreviation(before: str) -> bool:
    # A match cannot cross white space, so it lies in the last word: match there, not search.
    tail = before.rsplit(None, 1)
    m = _PREV_WORD_RE.match(tail[-1]) if tail and not before[-1:].isspace() else _PREV_WORD_RE.search(before)
    if not m:
        return False
    word = m.group(1).lstrip("(['\"“‘")
    if _INITIAL_RE.match(word):  # "E." in "E. Aleppo", "U.S" in "U.S."
        return True
    return word.casefold() in ABBREVIATIONS


def split(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of one block of text, stripped of surrounding space.

    >>> t = "Lt. Gen. Viktor Poznikhir said 4.5 km. E. Aleppo is quiet. “It is over.” He left."
    >>> [t[a:b] for a, b in split(t)]
    ['Lt. Gen. Viktor Poznikhir said 4.5 km.', 'E. Aleppo is quiet.', '“It is over.”', 'He left.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(text):
        if _is_abbreviation(text[start : m.end()]):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return out


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech (including the quote marks) in a block of text."""
    return [m.span() for m in _QUOTE_RE.finditer(text)]


def quoted_share(span: tuple[int, int], quotes: list[tuple[int, int]]) -> float:
    """Share of the non-space characters of ``span`` that lie inside quote spans."""
    a, b = span
    if b <= a:
        return 0.0
    inside = sum(max(0, min(b, qb) - max(a, qa)) for qa, qb in quotes)
    return inside / (b - a)


def quoted_shares(spans: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> list[float]:
    """``quoted_share`` of each span, for spans and quotes both in order and not overlapping
    (as `split` and `quote_spans` give them): each span looks only at the quotes that reach it."""
    out, j = [], 0
    for a, b in spans:
        if b <= a:
            out.append(0.0)
            continue
        while j < len(quotes) and quotes[j][1] <= a:
            j += 1
        inside, k = 0, j
        while k < len(quotes) and quotes[k][0] < b:
            qa, qb = quotes[k]
            inside += max(0, min(b, qb) - max(a, qa))
            k += 1
        out.append(inside / (b - a))
    return out
