"""The event lexicon (``data/lexicons/events.yaml``): event types, their triggers in a small
pattern syntax (``halt*``, ``(a|b)``, ``[was]``, ``...``), optional context and exclusion
patterns, and the negation cues. `load_lexicon` reads and checks the file; every pattern carries
a word `Prefilter` so that sentences which cannot match are not scanned (`newslens.timeline`
finds events with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from newslens._prefilter import Prefilter, Words, fold
from newslens.lexicons import LexiconError, YamlDoc, cached_load, data_dir, load_yaml

_TYPE_KEYS = {"label", "description", "triggers", "context", "exclude"}
_TOP_KEYS = {"types", "negation"}
_GAP = r"(?:\s+[^\s.;:!?]+){0,4}"
_WORD = re.compile(r"^[\w'’.,&-]+\*?$")
_PREFILTERS: dict[re.Pattern[str], Prefilter] = {}  # patterns from `_any_of`, by the triggers they join


@dataclass(frozen=True)
class EventType:
    """One event type: its triggers and the optional context/exclusion patterns."""

    name: str
    label: str
    description: str
    triggers: tuple[tuple[str, re.Pattern[str]], ...]
    context: re.Pattern[str] | None = None
    exclude: re.Pattern[str] | None = None


@dataclass(frozen=True)
class EventLexicon:
    """Event types in file order, plus the negation cues (see `load_lexicon`)."""

    types: tuple[EventType, ...]
    negation: re.Pattern[str] | None = None

    def labels(self) -> dict[str, str]:
        return {t.name: t.label for t in self.types}

    @cached_property
    def _prefilter(self) -> tuple[list[tuple[int, int]], Prefilter]:
        ids = [(ti, gi) for ti, t in enumerate(self.types) for gi in range(len(t.triggers))]
        return ids, Prefilter([_trigger_words(*self.types[ti].triggers[gi]) for ti, gi in ids])

    def live_triggers(self, folded: Words) -> dict[int, list[int]]:
        """type index → indices of its triggers that may match the folded text, in order."""
        ids, prefilter = self._prefilter
        out: dict[int, list[int]] = {}
        for i in prefilter.candidates(folded):
            out.setdefault(ids[i][0], []).append(ids[i][1])
        return out


def trigger_regex(trigger: str) -> str:
    """Regex source for one trigger of the mini-syntax (``halt*``, ``(a|b)``, ``[was]``, ``...``).

    >>> bool(re.fullmatch(trigger_regex("turn* ... back"), "turned evacuees back"))
    True
    """
    tokens = trigger.split()
    if not tokens or tokens[0] == "..." or tokens[-1] == "...":
        raise ValueError("a trigger needs words, and cannot start or end with '...'")
    out, sep = "", ""
    for tok in tokens:
        if tok == "...":
            out += _GAP
            continue
        optional = tok.startswith("[") and tok.endswith("]")
        body = tok[1:-1] if optional or (tok.startswith("(") and tok.endswith(")")) else tok
        alts = body.split("|")
        if any(not _WORD.match(w) for w in alts):
            raise ValueError(f"cannot read {tok!r}: use words, word*, (a|b) or [optional]")
        alt = "|".join(re.escape(w[:-1]) + r"[\w'-]*" if w.endswith("*") else re.escape(w)
                       for w in alts)
        if optional and sep:
            out += f"(?:\\s+(?:{alt}))?"
        elif optional:  # a leading optional word carries its own space
            out += f"(?:(?:{alt})\\s+)?"
        else:
            out += sep + f"(?:{alt})"
            sep = r"\s+"
    return r"(?<![\w-])" + out + r"(?![\w-])"


def _trigger_words(trigger: str, pattern: re.Pattern[str]) -> list[tuple[str, ...]] | None:
    """The required words of a trigger, each as its alternatives (a `Prefilter` entry); None
    when `pattern` is not the trigger's own."""
    trigger = fold(trigger)
    try:
        if pattern.pattern != trigger_regex(trigger):
            return None
    except ValueError:
        return None
    return [tuple(tok.strip("()").split("|")) for tok in trigger.split()
            if tok != "..." and not (tok.startswith("[") and tok.endswith("]"))]


def _compile(doc: YamlDoc, items: Any, *key: Any) -> list[tuple[str, re.Pattern[str]]]:
    if not isinstance(items, list) or not items:
        raise doc.error(*key, what=f"{key[-1]} must be a non-empty list of words or phrases",
                        todo="write one trigger per line as `- \"phrase\"`")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise doc.error(*key, i, what=f"empty or non-text entry in {key[-1]}",
                            todo="remove it or write a word or phrase in quotes")
        try:
            out.append((item.strip(), re.compile(trigger_regex(fold(item.strip())), re.I)))
        except (ValueError, re.error) as exc:
            raise doc.error(*key, i, what=f"trigger {item!r}: {exc}") from None
    return out


def _any_of(pairs: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    pattern = re.compile("|".join(p.pattern for _, p in pairs), re.I)
    _PREFILTERS[pattern] = Prefilter([_trigger_words(*pair) for pair in pairs])
    return pattern


def may_match(pattern: re.Pattern[str], text: Words) -> bool:
    """False when `pattern` (from `_any_of`) cannot match the text; True when it may."""
    prefilter = _PREFILTERS.get(pattern)
    return prefilter is None or bool(prefilter.candidates(text))


def _event_type(doc: YamlDoc, name: str, spec: Any) -> EventType:
    if not isinstance(spec, dict):
        raise doc.error("types", name, what=f"event type {name!r} must be a mapping with triggers")
    for key in sorted(set(spec) - _TYPE_KEYS):
        raise doc.error("types", name, key, what=f"unknown key {key!r} in event type {name!r}",
                        todo=f"use one of {sorted(_TYPE_KEYS)}")
    triggers = _compile(doc, spec.get("triggers"), "types", name, "triggers")
    optional = {k: _any_of(_compile(doc, spec[k], "types", name, k)) for k in ("context", "exclude")
                if k in spec}
    return EventType(name, str(spec.get("label") or name.replace("_", " ")),
                     str(spec.get("description") or ""), tuple(triggers), **optional)


def load_lexicon(path: str | Path | None = None) -> EventLexicon:
    """Read and check ``data/lexicons/events.yaml``; errors name the file and line."""
    return cached_load(_parse_lexicon, Path(path or data_dir() / "lexicons" / "events.yaml"))


def _parse_lexicon(path: Path) -> EventLexicon:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("types"), dict) or not doc.data["types"]:
        raise LexiconError(doc.path, 1, "no `types:` mapping of event types", "see the header of events.yaml")
    for key in sorted(set(doc.data) - _TOP_KEYS):
        raise doc.error(key, what=f"unknown top-level key {key!r}", todo=f"use one of {sorted(_TOP_KEYS)}")
    types = tuple(_event_type(doc, str(name), spec) for name, spec in doc.data["types"].items())
    seen: dict[str, str] = {}
    for t in types:
        for i, (trig, _) in enumerate(t.triggers):
            norm = " ".join(trig.lower().split())
            if norm in seen:
                raise doc.error("types", t.name, "triggers", i,
                                what=f"trigger {trig!r} is listed under both {seen[norm]!r} and {t.name!r}",
                                todo="keep it under one event type")
            seen[norm] = t.name
    negation = _any_of(_compile(doc, doc.data["negation"], "negation")) if "negation" in doc.data else None
    return EventLexicon(types, negation)


__all__ = ["EventType", "EventLexicon", "trigger_regex", "load_lexicon", "may_match"]
