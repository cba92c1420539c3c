"""Clean text that keeps its way back to the raw file.

`clean(raw)` returns a `CleanText`: the normalised text every extractor works on, plus an
offset map so that any span of the clean text can be shown in the raw file (character offset
and line). Normalisation is deliberately small and reversible:

- Unicode NFC; non-breaking and other odd spaces become plain spaces (same length);
- a byte-order mark, zero-width characters and carriage returns are dropped;
- markdown links ``[text](#)`` keep their text; ``**bold**`` and ``*italic*`` markers are dropped.

Curly quotes, dashes and entities such as ``&lt;`` are kept as written: the quote marks carry
meaning (who said what) and un-escaping markup would turn data into markup.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

# Spaces that look like a space to a reader but defeat `\s`-free matching of multiword terms.
_SPACE_CHARS = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_DROP_CHARS = "\ufeff\u200b\u200c\u200d\u2060\r"

# Markup the seeds' exports carry: markdown links with empty targets, emphasis markers.
# Every alternative starts with a literal "[" or "*" (the look-behinds come after the marker
# they test), so a search skips straight to those characters instead of trying each position.
_MARKUP_RE = re.compile(
    r"\[(?P<link>[^\]\n]{1,300})\]\((?:#|[^)\s]{0,500})\)"  # [text](#) or [text](url)
    r"|\*\*(?=\S)|\*\*(?<=\S\*\*)"  # **bold**
    r"|\*(?<![\w*]\*)(?=[“\"'‘\w])|\*(?<=[”\"'’\w.!?]\*)(?![\w*])"  # *italic*
)
_DROP_RE = re.compile(f"[{_DROP_CHARS}]")
_SPACE_RE = re.compile(f"[{_SPACE_CHARS}]")
_NEWLINE_RE = re.compile("\n")


@dataclass(frozen=True)
class CleanText:
    """Normalised text plus the segments that map it back to the raw text.

    ``segments`` holds ``(clean_start, raw_start, length)`` runs copied verbatim; a clean
    position outside every run (never produced today) maps to the nearest run start.
    """

    text: str
    raw: str
    segments: tuple[tuple[int, int, int], ...]
    _newlines: list[int] | None = field(default=None, repr=False, compare=False)
    _starts: list[int] | None = field(default=None, repr=False, compare=False)

    def to_raw(self, pos: int) -> int:
        """Raw character offset of clean offset ``pos`` (0 <= pos <= len(text))."""
        if not self.segments:
            return 0
        if self._starts is None:
            object.__setattr__(self, "_starts", [s[0] for s in self.segments])
        starts = self._starts
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        c0, r0, n = self.segments[i]
        return r0 + min(pos - c0, n)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets of the clean span [start, end)."""
        if end <= start:
            r = self.to_raw(start)
            return r, r
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def raw_places(self, spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """``(raw_line(start), *raw_span(start, end))`` of each clean span, in one pass."""
        if self._newlines is None:
            object.__setattr__(self, "_newlines", [m.start() for m in _NEWLINE_RE.finditer(self.raw)])
        if not self.segments:
            return [(self.raw_line(start), *self.raw_span(start, end)) for start, end in spans]
        if self._starts is None:
            object.__setattr__(self, "_starts", [s[0] for s in self.segments])
        starts, segments, newlines = self._starts, self.segments, self._newlines
        right, left = bisect.bisect_right, bisect.bisect_left
        out = []
        for start, end in spans:  # to_raw, inlined
            c0, r0, n = segments[max(right(starts, start) - 1, 0)]
            raw_start = r0 + min(start - c0, n)
            if end <= start:
                raw_end = raw_start
            else:
                c0, r0, n = segments[max(right(starts, end - 1) - 1, 0)]
                raw_end = r0 + min(end - 1 - c0, n) + 1
            out.append((left(newlines, raw_start) + 1, raw_start, raw_end))
        return out

    def raw_line(self, pos: int) -> int:
        """1-based line number in the raw text of clean offset ``pos``."""
        if self._newlines is None:
            object.__setattr__(self, "_newlines", [m.start() for m in _NEWLINE_RE.finditer(self.raw)])
        return bisect.bisect_left(self._newlines, self.to_raw(pos)) + 1


class _Builder:
    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, int]] = []
        self.length = 0

    def copy(self, raw_start: int, raw_end: int) -> None:
        """Copy raw[raw_start:raw_end] with one-to-one character fixes (spaces)."""
        if raw_end <= raw_start:
            return
        piece = _SPACE_RE.sub(" ", self.raw[raw_start:raw_end])
        # Drop characters by splitting the run, so every kept character keeps its raw index.
        pos = raw_start
        for m in _DROP_RE.finditer(piece):
            self._emit(piece[pos - raw_start : m.start()], pos)
            pos = raw_start + m.end()
        self._emit(piece[pos - raw_start :], pos)

    def _emit(self, chunk: str, raw_start: int) -> None:
        if not chunk:
            return
        if not chunk.isascii() and not unicodedata.is_normalized("NFC", chunk):
            self._emit_nfc(chunk, raw_start)
            return
        self.segments.append((self.length, raw_start, len(chunk)))
        self.parts.append(chunk)
        self.length += len(chunk)

    def _emit_nfc(self, chunk: str, raw_start: int) -> None:
        # Normalise cluster by cluster (a starter plus its combining marks) so that a
        # composed character maps to the raw start of the cluster it came from.
        i = 0
        while i < len(chunk):
            j = i + 1
            while j < len(chunk) and unicodedata.combining(chunk[j]):
                j += 1
            cluster = unicodedata.normalize("NFC", chunk[i:j])
            self.segments.append((self.length, raw_start + i, len(cluster)))
            self.parts.append(cluster)
            self.length += len(cluster)
            i = j

    def result(self) -> CleanText:
        return CleanText("".join(self.parts), self.raw, tuple(self.segments))


def _may_hold_markup(text: str) -> bool:
    """Whether ``text`` has a character every `_MARKUP_RE` match starts with (two plain
    substring tests are much faster than the regex's scan)."""
    return "*" in text or "[" in text


def _clean_once(raw: str) -> CleanText:
    b = _Builder(raw)
    pos = 0
    for m in _MARKUP_RE.finditer(raw) if _may_hold_markup(raw) else ():
        b.copy(pos, m.start())
        if m.group("link") is not None:
            b.copy(m.start("link"), m.end("link"))
        pos = m.end()
    b.copy(pos, len(raw))
    return b.result()


def _compose(first: CleanText, second: CleanText) -> CleanText:
    """``second`` (a cleaning of ``first.text``) mapped all the way back to ``first.raw``."""
    segments: list[tuple[int, int, int]] = []
    for c0, m0, n in second.segments:
        while n > 0:
            mid = first.to_raw(m0)
            # The run of `first` that holds position m0, and how much of it is left.
            i = max(bisect.bisect_right([s[0] for s in first.segments], m0) - 1, 0)
            cs, _, ln = first.segments[i]
            k = max(1, min(n, cs + ln - m0))
            segments.append((c0, mid, k))
            c0, m0, n = c0 + k, m0 + k, n - k
    return CleanText(second.text, first.raw, tuple(segments))


def clean(raw: str) -> CleanText:
    """Normalise ``raw`` for analysis, keeping the offset map back to it.

    >>> c = clean("[READ MORE: Aid](#) \u00a0**4,500** militants")
    >>> c.text
    'READ MORE: Aid  4,500 militants'
    >>> c.raw[c.to_raw(c.text.index("4,500"))]
    '4'
    """
    result = _clean_once(raw)
    # Removing markup can leave text that reads as markup again ("[*]()" → "*"): repeat until
    # nothing changes, so that cleaning clean text is a no-op.
    for _ in range(8):
        if not _may_hold_markup(result.text) or not _MARKUP_RE.search(result.text):
            break
        again = _clean_once(result.text)
        if again.text == result.text:
            break
        result = _compose(result, again)
    return result


def normalize_text(text: str) -> str:
    """The clean text alone (idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``)."""
    return clean(text).text
