"""The claim groups of ``data/lexicons/claims.yaml`` (see its header) and the hedge factors,
read and checked: a mistake raises LexiconError naming the file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newslens.lexicons import YamlDoc, data_dir, load_yaml

WINDOWS = ("day", "story")
_CONDITION_KEYS = {"entities", "events", "units", "after", "before", "sentence", "not_sentence"}
_GROUP_KEYS = _CONDITION_KEYS | {"label", "window", "match", "complement_if"}


@dataclass(frozen=True)
class Condition:
    """One set of conditions a figure must meet (all of them) to join a group."""

    entities: frozenset[str] | None = None
    events: frozenset[str] | None = None
    units: frozenset[str] = frozenset({"count"})
    after: tuple[re.Pattern[str], ...] = ()
    before: tuple[re.Pattern[str], ...] = ()
    sentence: tuple[re.Pattern[str], ...] = ()
    not_sentence: tuple[re.Pattern[str], ...] = ()

    def holds(self, fig: dict[str, Any], before: str, after: str) -> bool:
        return self.fits(fig["entity"], fig["event"], fig["unit"]) and self.reads(fig["text"], before, after)

    def fits(self, entity: Any, event: Any, unit: Any) -> bool:
        """The word conditions: entity, event and unit."""
        return ((self.entities is None or entity in self.entities)
                and (self.events is None or event in self.events)
                and unit in self.units)

    def reads(self, text: str, before: str, after: str) -> bool:
        """The pattern conditions: the sentence, and its text before and after the figure."""
        return ((not self.after or any(p.search(after) for p in self.after))
                and (not self.before or any(p.search(before) for p in self.before))
                and (not self.sentence or any(p.search(text) for p in self.sentence))
                and not any(p.search(text) for p in self.not_sentence))

    @property
    def has_patterns(self) -> bool:
        return bool(self.after or self.before or self.sentence or self.not_sentence)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    window: str
    conditions: tuple[Condition, ...]
    complement_if: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Rules:
    """Claim groups in order (the first that matches wins), hedge factors, tolerance."""

    groups: tuple[Group, ...]
    hedges: dict[str, tuple[float | None, float | None, float | None]]
    tolerance: float
    breakdown_parts: frozenset[str]

    def group_for(self, fig: dict[str, Any]) -> Group | None:
        at = int(fig["start"]) - int(fig["sentence_start"])
        before, after = fig["text"][:at], fig["text"][at + len(fig["surface"]):]
        return next((g for g in self.groups if any(c.holds(fig, before, after) for c in g.conditions)), None)


def _patterns(doc: YamlDoc, value: Any, *key: Any) -> tuple[re.Pattern[str], ...]:
    items = [value] if isinstance(value, str) else value or []
    out = []
    for i, item in enumerate(items):
        try:
            out.append(re.compile(str(item), re.IGNORECASE))
        except re.error as exc:
            raise doc.error(*key, i, what=f"bad regular expression {item!r}: {exc}",
                            todo="fix it, or escape special characters with a backslash") from None
    return tuple(out)


def _words(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset("" if v is None else str(v).lower() for v in ([value] if isinstance(value, str) else value))


def _condition(doc: YamlDoc, spec: dict[str, Any], *key: Any) -> Condition:
    return Condition(
        entities=_words(spec.get("entities")), events=_words(spec.get("events")),
        units=_words(spec.get("units")) or frozenset({"count"}),
        **{k: _patterns(doc, spec.get(k), *key, k) for k in ("after", "before", "sentence", "not_sentence")})


def _group(doc: YamlDoc, key: str, spec: Any) -> Group:
    if not isinstance(spec, dict):
        raise doc.error("groups", key, what=f"group {key!r} is not a mapping", todo="indent its keys under it")
    unknown = sorted(set(spec) - _GROUP_KEYS)
    if unknown:
        raise doc.error("groups", key, unknown[0], what=f"unknown key {unknown[0]!r} in group {key!r}",
                        todo=f"use only: {', '.join(sorted(_GROUP_KEYS))}")
    window = spec.get("window", "day")
    if window not in WINDOWS:
        raise doc.error("groups", key, "window", what=f"window {window!r}", todo="write 'day' or 'story'")
    matches = spec.get("match") or [{k: v for k, v in spec.items() if k in _CONDITION_KEYS}]
    conditions = tuple(_condition(doc, m, "groups", key, "match", i) for i, m in enumerate(matches))
    return Group(key, str(spec.get("label") or key), window, conditions,
                 _patterns(doc, spec.get("complement_if"), "groups", key, "complement_if"))


def _hedge(doc: YamlDoc, name: str, spec: Any) -> tuple[float | None, float | None, float | None]:
    if not isinstance(spec, dict) or set(spec) != {"low", "best", "high"}:
        raise doc.error("hedges", name, what=f"hedge {name!r} needs low, best and high factors",
                        todo="write {low: 0.9, best: 1.0, high: 1.1} (null leaves that end open)")
    return tuple(None if spec[k] is None else float(spec[k]) for k in ("low", "best", "high"))  # type: ignore[return-value]


def load_rules(path: str | Path | None = None) -> Rules:
    """Claim groups and hedge factors (default ``data/lexicons/claims.yaml``); a mistake raises
    LexiconError naming the file and line."""
    doc = load_yaml(path or data_dir() / "lexicons" / "claims.yaml")
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(data.get("groups"), dict) or not data["groups"]:
        raise doc.error(what="no 'groups:' mapping", todo="see the header of data/lexicons/claims.yaml")
    hedges = {name: _hedge(doc, name, spec) for name, spec in (data.get("hedges") or {}).items()}
    hedges.setdefault("exact", (1.0, 1.0, 1.0))
    return Rules(tuple(_group(doc, str(k), v) for k, v in data["groups"].items()), hedges,
                 float(data.get("tolerance", 0.02)), frozenset(map(str, data.get("breakdown_parts") or [])))
