"""Page layout: which lines of an article are chrome, captions, embeds, headlines or text.

The rules are data (`data/lexicons/layout.yaml`); this module only applies them. It works on
lines of the cleaned text and returns `Line` records with the kind and role of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from re import _constants as _const, _parser  # pattern structure, read for the prefilter in _AnyRule

import pandas as pd

from newslens._prefilter import caseless
from newslens.lexicons import LexiconError, data_dir, load_yaml

SECTIONS = ("boilerplate", "dateline", "stamp", "signature", "caption", "social", "embed_start")
# Capital letters matter for these two; every other rule ignores case.
CASE_SENSITIVE = {"signature", "social"}
SMALL_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "over",
    "the", "to", "with", "vs", "via", "after", "before", "but", "off", "out", "up",
}
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_TERMINAL_RE = re.compile(r"[.!:;,…]['\"”’)\]]*$")
_TERMINAL_MARKS, _CLOSERS = frozenset(".!:;,…"), "'\"”’)]"


def _terminal(line: str) -> bool:
    """``_TERMINAL_RE.search(line)``, read from the end of the line instead of searched for."""
    if line.endswith("\n"):  # `$` also matches before a final newline
        return _TERMINAL_RE.search(line) is not None
    return line.rstrip(_CLOSERS)[-1:] in _TERMINAL_MARKS


@dataclass(frozen=True)
class Rule:
    section: str
    pattern: re.Pattern[str]
    role: str
    outlets: frozenset[str]

    def applies(self, line: str, outlet: str) -> re.Match[str] | None:
        if self.outlets and outlet.casefold() not in self.outlets:
            return None
        return self.pattern.search(line)


@dataclass(frozen=True)
class Layout:
    rules: tuple[Rule, ...]
    path: str = ""
    _combined: dict = field(default_factory=dict, repr=False, compare=False)

    def _pattern(self, section: str, outlet: str) -> tuple[re.Pattern[str] | None, list[Rule]]:
        """One alternation per section and outlet (first rule wins), compiled once."""
        key = (section, outlet.casefold())
        if key not in self._combined:
            rules = [r for r in self.rules if r.section == section and (not r.outlets or key[1] in r.outlets)]
            flags = 0 if section in CASE_SENSITIVE else re.IGNORECASE
            alt = "|".join(f"(?P<r{i}>{r.pattern.pattern})" for i, r in enumerate(rules))
            self._combined[key] = (re.compile(alt, flags) if rules else None, rules)
        return self._combined[key]

    def any_rule(self, line: str, outlet: str) -> bool:
        """Whether any rule of any section could match ``line`` (see `_AnyRule`)."""
        key = ("*", outlet.casefold())
        if key not in self._combined:
            self._combined[key] = _AnyRule([r for r in self.rules if not r.outlets or key[1] in r.outlets])
        return self._combined[key](line)

    def match(self, section: str, line: str, outlet: str) -> Rule | None:
        pattern, rules = self._pattern(section, outlet)
        m = pattern.search(line) if pattern else None
        if m is None:
            return None
        # The earliest-starting alternative wins the search; report the first rule that matches.
        for rule in rules:
            if rule.applies(line, outlet):
                return rule
        return None

    def stamp(self, line: str, outlet: str) -> pd.Timestamp | None:
        for rule in self.rules:
            if rule.section == "stamp":
                m = rule.applies(line, outlet)
                if m:
                    return parse_stamp(m.group("stamp"), m.group("tz"))
        return None


class _AnyRule:
    """Whether any of ``rules`` matches a line, as cheaply as the rules allow.

    Rules anchored with ^ are joined into one pattern tried at the start of the line only. Each
    rule's possible first characters are read from its pattern, so the alternation tried on a
    line holds only the rules that can start with the line's first character. An unanchored rule
    that begins with literal text (``photo (?:via|by)``) is searched only in lines containing that
    text. Both tests compare `caseless` text, which keeps every match of a case-insensitive rule.
    """

    def __init__(self, rules: list[Rule]) -> None:
        anchored = [r for r in rules if r.pattern.pattern.startswith("^")]
        self._scoped = [f"(?:{r.pattern.pattern})" if r.section in CASE_SENSITIVE else f"(?i:{r.pattern.pattern})"
                        for r in anchored]
        every = tuple(range(len(anchored)))
        # A numbered back-reference would point elsewhere in a different alternation: keep them all.
        plain = not any(_BACKREF_RE.search(r.pattern.pattern) for r in anchored)
        firsts = [_first_chars(r.pattern) if plain else None for r in anchored]
        self._by_char = {chr(c): tuple(i for i, f in enumerate(firsts) if f is None or chr(c) in f) for c in range(128)}
        self._every = every
        self._alternations: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        self._others = [(_literal_prefix(r.pattern), r.pattern) for r in rules if not r.pattern.pattern.startswith("^")]

    def _alternation(self, which: tuple[int, ...]) -> re.Pattern[str] | None:
        if which not in self._alternations:
            self._alternations[which] = re.compile("|".join(self._scoped[i] for i in which)) if which else None
        return self._alternations[which]

    def __call__(self, line: str) -> bool:
        low = caseless(line)
        start = self._alternation(self._by_char.get(low[:1], self._every))
        if start is not None and start.match(line):
            return True
        return any((not text or text in low) and p.search(line) for text, p in self._others)


_BACKREF_RE = re.compile(r"\\[1-9]|\(\?P=")


def _fold(c: str) -> str | None:
    """``c`` as `caseless` text holds it: ASCII lowercased, other uncased characters as they are
    (only non-ASCII line starts can meet them, and those try every rule); None for other cased
    characters, whose case-insensitive matches this reading does not follow."""
    if c.isascii():
        return c.lower()
    return c if c.lower() == c == c.upper() else None


def _first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The ASCII characters (`caseless`) a match at the start of a line can begin with; None when
    the pattern is beyond this simple reading (then it is tried on every line)."""
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a hint only; the rule itself was compiled already
        return None
    return _first_of(items)


def _first_of(items: list) -> frozenset[str] | None:
    for op, av in items:
        if op is _const.AT:  # ^ and \b consume nothing
            continue
        if op is _const.LITERAL:
            c = _fold(chr(av))
            return None if c is None else frozenset(c) if c.isascii() else frozenset()
        if op is _const.IN:
            return _class_chars(av)
        if op is _const.SUBPATTERN:
            return _first_of(list(av[-1]))
        if op in (_const.MAX_REPEAT, _const.MIN_REPEAT, _const.POSSESSIVE_REPEAT):
            return _first_of(list(av[2])) if av[0] >= 1 else None
        if op is _const.BRANCH:
            alts = [_first_of(list(alt)) for alt in av[1]]
            return None if any(a is None for a in alts) else frozenset().union(*alts)
        return None
    return None


def _class_chars(items: list) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _const.LITERAL:
            codes = [av]
        elif op is _const.RANGE and av[1] - av[0] < 256:
            codes = list(range(av[0], av[1] + 1))
        elif op is _const.CATEGORY and av is _const.CATEGORY_DIGIT:
            codes = list(range(ord("0"), ord("9") + 1))
        else:
            return None
        for code in codes:
            c = _fold(chr(code))
            if c is None:
                return None
            if c.isascii():
                chars.add(c)
    return frozenset(chars)


def _literal_prefix(pattern: re.Pattern[str]) -> str:
    """The ASCII text (`caseless`) every match of ``pattern`` begins with ('' if none is read)."""
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a hint only
        return ""
    text = []
    for op, av in items:
        if op is _const.AT and not text:
            continue
        if op is not _const.LITERAL or av >= 128:
            break
        text.append(chr(av).lower())
    return "".join(text)


def load_layout(path: str | Path | None = None) -> Layout:
    """Load and validate the layout rules (errors name the file and line)."""
    doc = load_yaml(path or data_dir() / "lexicons" / "layout.yaml")
    if not isinstance(doc.data, dict):
        raise doc.error(what="expected a mapping of sections", todo=f"use the sections {', '.join(SECTIONS)}")
    rules: list[Rule] = []
    for section, items in doc.data.items():
        if section not in SECTIONS:
            raise doc.error(section, what=f"unknown section {section!r}", todo=f"use one of {', '.join(SECTIONS)}")
        if not isinstance(items, list):
            raise doc.error(section, what="expected a list of rules", todo="start each rule with '- '")
        for i, item in enumerate(items):
            spec = {"pattern": item} if isinstance(item, str) else item
            if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str):
                raise doc.error(section, i, what="rule without a pattern", todo="give it `pattern: '<regex>'`")
            unknown = set(spec) - {"pattern", "role", "note", "outlets"}
            if unknown:
                raise doc.error(section, i, what=f"unknown key(s) {sorted(unknown)}", todo="use pattern, role, note, outlets")
            flags = 0 if section in CASE_SENSITIVE else re.IGNORECASE
            try:
                pattern = re.compile(spec["pattern"], flags)
            except re.error as exc:
                raise doc.error(section, i, what=f"bad regular expression: {exc}", todo="fix the pattern") from None
            if section == "stamp" and not {"stamp", "tz"} <= set(pattern.groupindex):
                raise doc.error(section, i, what="stamp rule needs named groups `stamp` and `tz`", todo="add (?P<stamp>...) and (?P<tz>...)")
            outlets = frozenset(str(o).casefold() for o in spec.get("outlets") or [])
            rules.append(Rule(section, pattern, str(spec.get("role") or section), outlets))
    return Layout(tuple(rules), doc.path)


_STAMP_FORMATS = ("%b %d, %Y %H:%M", "%B %d, %Y %H:%M")


def parse_stamp(stamp: str, tz: str) -> pd.Timestamp | None:
    for fmt in _STAMP_FORMATS:
        try:
            dt = datetime.strptime(stamp.strip().title(), fmt)
        except ValueError:
            continue
        # A stamp outside the era of news on the web is a typo or a generated number, not a time.
        if tz.strip().upper() in {"GMT", "UTC", "Z"} and 1990 <= dt.year <= 2100:
            return pd.Timestamp(dt, tz="UTC")
    return None


def is_headline(line: str) -> bool:
    """Title Case line without closing punctuation: a headline or a live-blog entry title."""
    if len(line) > 220 or _terminal(line):
        return False
    words = _WORD_RE.findall(line)
    content = [w for w in words if w.casefold() not in SMALL_WORDS]
    if len(words) < 3 or len(content) < 2:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


@dataclass
class Line:
    start: int
    end: int
    text: str
    kind: str = "body"
    role: str = "text"
    stamp: pd.Timestamp | None = None


def classify_lines(text: str, outlet: str, layout: Layout) -> list[Line]:
    """Split clean text into non-empty lines and give each a kind and role."""
    lines: list[Line] = []
    pos = 0
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        if stripped:
            lead = len(raw_line) - len(raw_line.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw_line) + 1

    counts: dict[str, int] = {}
    for ln in lines:
        counts[ln.text] = counts.get(ln.text, 0) + 1
    title: str | None = None
    in_embed = False
    for ln in lines:
        t = ln.text
        # One search tells whether any rule could apply; most body lines stop here.
        ruled = layout.any_rule(t, outlet)
        if ruled and (rule := layout.match("boilerplate", t, outlet)) is not None:
            ln.kind, ln.role = "boilerplate", rule.role
            if rule.role == "embed" and layout.match("embed_start", t, outlet):
                in_embed = True
            elif t.casefold().startswith("view full page"):
                in_embed = False
        elif ruled and layout.match("dateline", t, outlet):
            ln.kind, ln.role = "boilerplate", "dateline"
        elif ruled and (stamp := layout.stamp(t, outlet)) is not None:
            ln.kind, ln.role, ln.stamp = "boilerplate", "stamp", stamp
            in_embed = False
        elif ruled and layout.match("signature", t, outlet):
            ln.kind, ln.role = "boilerplate", "signature"
            in_embed = False
        elif title is None:
            title, ln.role = t, "headline"
        elif t == title:
            ln.kind, ln.role = "boilerplate", "repeated_title"
        elif ruled and layout.match("caption", t, outlet):
            ln.kind, ln.role = "caption", "caption"
        elif counts[t] > 1 and len(t.split()) <= 8 and not _terminal(t):
            # Short line printed more than once: an image's alt text or caption repeated by the page.
            ln.kind, ln.role = "caption", "repeated_caption"
        elif in_embed:
            ln.kind, ln.role = "social", "embed"
        elif ruled and layout.match("social", t, outlet):
            ln.kind, ln.role = "social", "post"
        elif is_headline(t):
            ln.role = "headline"
    return lines


def assign_entries(lines: list[Line]) -> tuple[list[int], bool]:
    """Number live-blog entries; returns (entry per line, whether the article is a live blog).

    An article is a live blog when it has two or more signature or stamp lines. An entry starts
    at a headline or at the first line after a signature.
    """
    n_marks = sum(1 for ln in lines if ln.role in {"signature", "stamp"})
    if n_marks < 2:
        return [0] * len(lines), False
    entries: list[int] = []
    entry, after_signature = 0, False
    for i, ln in enumerate(lines):
        starts = i > 0 and (after_signature or ln.role in {"headline", "repeated_title"})
        if starts and ln.role != "signature":
            entry += 1
            after_signature = False
        if ln.role == "signature":
            after_signature = True
        entries.append(entry)
    return entries, True


def entry_times(lines: list[Line], entries: list[int]) -> dict[int, pd.Timestamp]:
    """Latest stamp printed inside each entry: the entry was posted no earlier than that."""
    out: dict[int, pd.Timestamp] = {}
    for ln, e in zip(lines, entries):
        if ln.stamp is not None and (e not in out or ln.stamp > out[e]):
            out[e] = ln.stamp
    return out


def check_layout_file(path: str | Path) -> list[str]:
    """Validation messages for a layout file (empty when it loads)."""
    try:
        load_layout(path)
    except LexiconError as exc:
        return [str(exc)]
    return []
