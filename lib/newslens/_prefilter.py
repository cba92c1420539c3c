"""The word-based prefilter shared by the extractors (`sources`, `disputes`, `timeline`).

Running dozens of case-insensitive patterns over every sentence is slow, and most sentences
can match none of them. `Prefilter` knows the words every match of each pattern must contain
and tells, from a sentence's words alone, which patterns may match it: exactly (a pattern that
matches is never left out), and much more cheaply than trying them. `Words` holds a text as the
prefilter reads it, so that one split serves several prefilters; `fold` and `caseless` are the
two foldings the callers apply before matching.

>>> Prefilter([[("halt*",)], [("agreement",)]]).candidates("Evacuations were halted.")
[0]
"""

from __future__ import annotations

import re
from collections import Counter

# Every byte but ASCII letters and digits (UTF-8 continuation bytes too) separates words.
_WORD_BYTES = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def fold(text: str) -> str:
    """Curly apostrophes and no-break spaces folded, so "Iran’s" matches "Iran's"; same length,
    so offsets found in the folded text are offsets into the original."""
    if text.isascii():
        return text
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ").replace("\u202f", " ")


def caseless(text: str) -> str:
    """`text` lowercased so that `needle in caseless(text)` holds wherever an ASCII needle matches
    `text` under `re.IGNORECASE` (which also matches İ and ı to i, ſ to s); offsets may shift."""
    if text.isascii():
        return text.lower()
    return text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s").lower()


def _needle(word: str) -> tuple[str, bool] | None:
    """How to test that a text may hold lowercase `word` (trailing ``*``: a word it begins), where
    a pattern matches it between non-word characters: (run, True) when its leading run of ASCII
    letters and digits must be a word of the text, (word, False) when it must be a substring;
    None when it cannot be tested (not ASCII)."""
    prefix, word = word.endswith("*"), word.rstrip("*")
    run = re.match(r"[a-z0-9]*", word).group()
    if not word.isascii() or not word:
        return None
    return (word, False) if not run or (prefix and run == word) else (run, True)


class Words:
    """A text as `Prefilter` reads it: `caseless`, and its runs of ASCII letters and digits
    (one object serves several prefilters)."""

    __slots__ = ("low", "words")

    def __init__(self, text: str):
        self.low = caseless(text)
        self.words = self.low.encode().translate(_WORD_BYTES).split()


class Prefilter:
    """Which of several case-insensitive patterns may match a text, from the words every match
    of each must contain: exact (no pattern that matches is left out), and much cheaper than the
    patterns. ``words[i]``: the words (`_needle` syntax) pattern i matches in order between
    non-word characters, each a tuple of alternatives; None: pattern i is always a candidate."""

    def __init__(self, words: list[list[tuple[str, ...]] | None]):
        groups = {i: [[_needle(w.lower()) for w in alts] for alts in seq or ()] for i, seq in enumerate(words)}
        groups = {i: [g for g in seq if all(g)] for i, seq in groups.items()}
        self._always = frozenset(i for i, seq in groups.items() if not seq)
        # Each pattern is looked up by its rarest word (fewest candidates to check), then checked
        # for the others: (pattern, the words that must all be present, the other groups as
        # `_holds` reads them).
        self._by_word: dict[bytes, list[tuple[int, frozenset[bytes], list[_Group]]]] = {}
        self._by_text: list[tuple[str, int, frozenset[bytes], list[_Group]]] = []
        uses = Counter(k for seq in groups.values() for g in seq for k in g)
        vocabulary: set[bytes] = set()
        for i, seq in groups.items():
            if not seq:
                continue
            first = min(seq, key=lambda g: (max(uses[k] for k in g), -min(len(k) for k, _ in g)))
            rest = [(frozenset(k.encode() for k, whole in g if whole), tuple(k for k, whole in g if not whole))
                    for g in seq if g is not first]
            need = frozenset(w for ws, subs in rest if len(ws) == 1 and not subs for w in ws)
            other = [(ws, subs) for ws, subs in rest if len(ws) != 1 or subs]
            vocabulary.update(*(ws for ws, _ in rest))
            for key, whole in first:
                if whole:
                    self._by_word.setdefault(key.encode(), []).append((i, need, other))
                else:
                    self._by_text.append((key, i, need, other))
        self._vocabulary = frozenset(self._by_word).union(vocabulary)

    def candidates(self, text: str | Words) -> list[int]:
        """Indices of the patterns that may match `text`, in order."""
        text = text if isinstance(text, Words) else Words(text)
        low = text.low
        present = self._vocabulary.intersection(text.words)
        found = set(self._always)
        by_word = self._by_word
        for word in present:
            for i, need, other in by_word.get(word, ()):
                if need <= present and (not other or _holds(other, present, low)):
                    found.add(i)
        for key, i, need, other in self._by_text:
            if key in low and need <= present and (not other or _holds(other, present, low)):
                found.add(i)
        return sorted(found)


_Group = tuple[frozenset[bytes], tuple[str, ...]]  # words of which one must be present, or substrings


def _holds(groups: list[_Group], present: frozenset[bytes], low: str) -> bool:
    """Whether every group has a word in `present` or a substring in `low`."""
    for words, substrings in groups:
        if words.isdisjoint(present) and not any(k in low for k in substrings):
            return False
    return True


__all__ = ["Prefilter", "Words", "caseless", "fold"]
