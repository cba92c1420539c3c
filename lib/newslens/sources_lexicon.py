"""The source lexicon (`data/lexicons/sources.yaml`): canonical sources, their types, the aliases
that name them, and the anaphors ("he", "the center") that may point back to them.

`load_sources` reads and checks the file; `SourceLexicon.resolve` and `SourceLexicon.finditer`
find its aliases in text (`newslens.sources` attributes sentences with them).

>>> lex = load_sources()
>>> lex.resolve("the Russian Center for Reconciliation in Syria")[0]
'Russian Reconciliation Center'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from newslens._prefilter import Prefilter, Words, fold
from newslens.lexicons import YamlDoc, cached_load, data_dir, load_yaml

SOURCE_TYPES = (
    "Russian government/military", "Syrian government/state media", "Iranian state media",
    "armed opposition", "opposition media/activists", "UN/ICRC/NGO", "other media", "analyst",
    "armed pro-government", "unknown",
)
ANAPHOR_KINDS = ("person", "organisation", "any")


@dataclass(frozen=True)
class SourceLexicon:
    """Canonical sources and how to find them in text (see `load_sources`)."""

    types: dict[str, str]  # canonical name -> source_type
    aliases: dict[str, tuple[str, bool]]  # folded lowercase alias -> (name, names a person)
    refer_as: dict[str, frozenset[str]]  # name -> nouns for "the <noun>"
    anaphors: dict[str, str]  # "he" -> person, "the center" -> organisation
    pattern: re.Pattern[str]

    def resolve(self, text: str) -> tuple[str, str, int, int, bool] | None:
        """Longest alias named in `text`: (name, source_type, start, end, names a person).

        >>> load_sources().resolve("a source at the Syrian Army headquarters")[:2]
        ('Syrian Army', 'Syrian government/state media')
        """
        best = None
        for m in self.finditer(fold(text)):
            if best is None or m.end() - m.start() > best.end() - best.start():
                best = m
        if best is None:
            return None
        name, person = self.aliases[alias_key(best.group())]
        return name, self.types[name], best.start(), best.end(), person

    def finditer(self, folded: str, words: Words | None = None) -> Iterator[re.Match[str]]:
        """``pattern.finditer(folded)``, by a pattern of only the aliases the text may name
        (`words`: the folded text's, when the caller has them)."""
        if self._alternatives is None:
            return self.pattern.finditer(folded)
        alts, prefilter = self._alternatives
        found = prefilter.candidates(words or folded)
        return _alternation(tuple(map(alts.__getitem__, found))).finditer(folded) if found else iter(())

    @cached_property
    def _alternatives(self) -> tuple[list[str], Prefilter] | None:
        alts = sorted(self.aliases, key=len, reverse=True)
        if self.pattern.pattern != _alternation(tuple(alts)).pattern:
            return None
        return alts, Prefilter([[(w,) for w in a.split()] for a in alts])


def alias_key(alias: str) -> str:
    """How an alias or anaphor is looked up: folded, lowercase, single-spaced."""
    return " ".join(fold(alias).lower().split())


def _compile(aliases: Iterable[str]) -> re.Pattern[str]:
    return _alternation(tuple(sorted(aliases, key=len, reverse=True)))


@lru_cache(maxsize=4096)  # a sentence names few aliases, and the same few again and again
def _alternation(aliases: tuple[str, ...]) -> re.Pattern[str]:
    alts = [r"\s+".join(map(re.escape, a.split())) for a in aliases]
    return re.compile(rf"(?<![\w@])(?:{'|'.join(alts)})(?!\w)", re.IGNORECASE)


def _check_list(doc: YamlDoc, value: Any, *key: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise doc.error(*key, what="expected a list of names", todo="write [name, name] or one '- name' per line")
    for i, alias in enumerate(value):
        if not alias.strip():
            raise doc.error(*key, i, what="empty alias", todo="delete the entry or write the name")
    return value


def load_sources(path: str | Path | None = None) -> SourceLexicon:
    """Load and validate the source lexicon (default `data/lexicons/sources.yaml`).

    Raises LexiconError naming the file and line for an unknown source_type, an empty alias, or an
    alias claimed by two sources.
    """
    return cached_load(_parse_sources, Path(path or data_dir() / "lexicons" / "sources.yaml"))


def _parse_sources(path: Path) -> SourceLexicon:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("sources"), list):
        raise doc.error(what="no 'sources:' list", todo="see the header of data/lexicons/sources.yaml")
    anaphors = {alias_key(k): v for k, v in (doc.data.get("anaphors") or {}).items()}
    for word, kind in (doc.data.get("anaphors") or {}).items():
        if kind not in ANAPHOR_KINDS:
            raise doc.error("anaphors", word, what=f"unknown anaphor kind {kind!r}", todo=f"use one of {ANAPHOR_KINDS}")
    types: dict[str, str] = {}
    aliases: dict[str, tuple[str, bool]] = {}
    refer_as: dict[str, frozenset[str]] = {}
    for i, entry in enumerate(doc.data["sources"]):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise doc.error("sources", i, what="source without a name", todo="add 'name: <canonical name>'")
        if name in types:
            raise doc.error("sources", i, "name", what=f"source {name!r} listed twice", todo="merge the two entries")
        if entry.get("source_type") not in SOURCE_TYPES:
            raise doc.error("sources", i, "source_type", what=f"unknown source_type {entry.get('source_type')!r}",
                            todo=f"use one of: {', '.join(SOURCE_TYPES)}")
        types[name] = entry["source_type"]
        refer_as[name] = frozenset(map(str.lower, _check_list(doc, entry.get("refer_as"), "sources", i, "refer_as")))
        for field, person in (("aliases", False), ("people", True)):
            for j, alias in enumerate(_check_list(doc, entry.get(field), "sources", i, field)):
                key = alias_key(alias)
                if key in aliases and aliases[key][0] != name or key in anaphors:
                    other = aliases[key][0] if key in aliases else "anaphors"
                    raise doc.error("sources", i, field, j, what=f"alias {alias!r} also belongs to {other!r}",
                                    todo="keep each alias under one source only")
                aliases[key] = (name, person)
    return SourceLexicon(types, aliases, refer_as, anaphors, _compile(aliases))


__all__ = ["ANAPHOR_KINDS", "SOURCE_TYPES", "SourceLexicon", "alias_key", "load_sources"]
