"""Entities and events of figures: the counted noun after a number and the event word around it.

Used by :mod:`newslens._figure_extract`; the conventions are documented in
:mod:`newslens.figures`.
"""

from __future__ import annotations

import re
from itertools import islice

from newslens import _figure_patterns as fp

_WINDOW = 160
_MAX_WORDS = 18
_BACK_WINDOW = 90

# --- events ------------------------------------------------------------------------------------
# Read word by word (a regex over the clause costs far more). A phrase is the first word and the
# words that must follow it; phrases are checked before the single word. Tokens are split on
# whitespace, so "rebel-held" or "militant-controlled" (place adjectives) never match "held".
_EVENT_WORDS: dict[str, str] = {
    "planned": "will would shall expected expect",
    "evacuated": "evacuated evacuating evacuation evacuate evacuates left leave leaves leaving "
                 "pullout withdrew withdrawn departed departure depart exit exited relocated "
                 "relocating transferred fled",
    "trapped": "trapped remain remains remained remaining stuck encircled",
    "killed": "killed killing executed eliminated died dead murdered massacred slain liquidated",
    "wounded": "wounded injured injuring hurt",
    "pardoned": "pardoned amnestied",
    "detained": "detained captured arrested kidnapped abducted seized imprisoned jailed",
    "controlled": "control controls controlled held hold holds recaptured retaken",
    "provided": "provided used deployed allocated supplied sent",
}
EVENT_WORDS: dict[str, str] = {
    word: event for event, words in _EVENT_WORDS.items() for word in words.split()
}
_EVENT_PHRASES: dict[str, tuple[str, ...]] = {
    "planned": ("are to", "is to", "set to", "due to", "plans to", "planned to", "plan to",
                "preparing to", "to be evacuated", "to evacuate", "to leave", "to be released",
                "to be moved"),
    "evacuated": ("moved out", "pulled out", "pull out", "bused out"),
    "trapped": ("still inside", "still in", "are besieged", "were besieged", "is besieged",
                "was besieged", "been besieged", "remain besieged"),
    "killed": ("lost their lives", "shot dead"),
    "pardoned": ("granted amnesty",),
    "detained": ("taken hostage", "held hostage"),
    "controlled": ("taken back",),
    "": ("sent back",),  # returned, not provided
}
EVENT_PHRASES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _event, _phrases in _EVENT_PHRASES.items():
    for _phrase in _phrases:
        _first, *_rest = _phrase.split()
        EVENT_PHRASES.setdefault(_first, []).append((tuple(_rest), _event))
EVENT_TRIGGERS = frozenset(EVENT_WORDS) | frozenset(EVENT_PHRASES)
# Forward search for the event stops at these: what follows belongs to another clause.
EVENT_STOP_WORDS = frozenset(
    "where while whereas because although but after before when until since adding added "
    "saying according".split()
)
BACK_STOP_WORDS = frozenset(
    "where while whereas because although but after before when until since".split()
)
EVENT_STOP_CHAR_RE = re.compile(r"[()“”\"]")
# ", including the wounded," is an aside: its words are not the event of the main clause.
ASIDE_WORDS = frozenset({"including"})
# "108 wounded", "the wounded", "critically wounded" name people, not what happened to them.
WOUNDED_NOUN_BEFORE = frozenset({"the", "and", "critically", "seriously", "badly", "lightly"})

def _entity(text: str, end: int, unit: str, is_age: bool, *,
            noun: tuple[str, int]) -> tuple[str, int]:
    """Normalised entity for the quantity ending at ``end``, and where its noun ends."""
    if is_age:
        return "age", end
    if unit == "percent":
        noun = _head_noun(text[end:end + 80], strict=True)
    noun, offset = noun
    if unit == "percent":
        return (noun, end + offset) if noun else ("percent", end)
    if unit != "count" and unit != "fraction":
        return unit, end
    return noun, end + offset


def _head_noun(after: str, *, strict: bool = False) -> tuple[str, int]:
    """(entity, end offset) of the counted noun at the start of ``after``; ("", 0) if none.

    >>> _head_noun(" passenger busses and 10 ambulances")
    ('buses', 17)
    """
    clause = fp.CLAUSE_END_RE.search(after)
    segment = after[:clause.start()] if clause else after
    dash = segment.find(" - ")
    segment = segment[:dash] if dash >= 0 else segment
    words = list(islice(fp.WORD_RE.finditer(segment), 6))
    lowered = [w.group(0).lower() for w in words]
    i = 0
    while i < len(words) and lowered[i] in ("of", "the", "their", "our", "its"):
        i += 1
    seen = 0
    while i < len(words) and seen < (1 if strict else 4):
        word = lowered[i].replace("’", "'")
        pair = f"{word} {lowered[i + 1]}" if i + 1 < len(words) else ""
        if pair in fp.ENTITY_MAP:
            return fp.ENTITY_MAP[pair], words[i + 1].end()
        if word in fp.STATE_ADJECTIVES and i + 1 < len(words):
            following = lowered[i + 1]
            if following in fp.ENTITY_MAP:
                return fp.ENTITY_MAP[following], words[i + 1].end()
        if word in fp.ENTITY_MAP:
            return fp.ENTITY_MAP[word], words[i].end()
        if word in fp.ENTITY_STOP:
            break
        if word in fp.CONTAINERS and pair.endswith(" of"):
            i += 2
            seen += 1
            continue
        if _looks_plural(word) and not strict:
            return word, words[i].end()
        i += 1
        seen += 1
    return "", 0


def _looks_plural(word: str) -> bool:
    return (len(word) > 3 and word.endswith("s") and "'" not in word
            and not word.endswith(("ss", "us", "is", "ous", "ics")))


def _event(text: str, start: int, after_entity: int, entity: str) -> str:
    """Event read from the sentence around the quantity: nearest word after, else before."""
    tail_end = fp.SENTENCE_END_RE.search(text, after_entity, after_entity + _WINDOW)
    tail = text[after_entity:tail_end.start() if tail_end else after_entity + _WINDOW]
    events = _events(_forward_tokens(tail), entity)
    found = events[0] if events else None
    if found is None:
        head = text[max(_sentence_start(text, start), start - _BACK_WINDOW):start]
        events = _events(_backward_tokens(head), entity)
        found = events[-1] if events else None
    if found is None:
        return _state_adjective(text, start, after_entity)
    event, word = found
    if entity in fp.VEHICLES and (event == "planned" or word.startswith("evacuat")):
        return "provided"
    return event


def _forward_tokens(segment: str) -> list[str]:
    """Lower-case words of ``segment`` up to a clause break, without asides."""
    words: list[str] = []
    aside = False
    stop = EVENT_STOP_CHAR_RE.search(segment)
    head = (segment[:stop.start()] if stop else segment).lower()
    for raw in head.split(None, _MAX_WORDS)[:_MAX_WORDS]:
        word = raw.strip(fp.TOKEN_STRIP)
        if word in EVENT_STOP_WORDS:
            break
        if aside or word in ASIDE_WORDS:
            aside = not raw.endswith(",")
            continue
        words.append(word)
    return words


def _backward_tokens(segment: str) -> list[str]:
    words = [raw.strip(fp.TOKEN_STRIP) for raw in segment.lower().split()[-_MAX_WORDS:]]
    cut = max((i for i, w in enumerate(words) if w in BACK_STOP_WORDS), default=-1)
    return words[cut + 1:]


def _events(words: list[str], entity: str) -> list[tuple[str, str]]:
    """(event, word) for each event word or phrase in ``words``, in order."""
    found: list[tuple[str, str]] = []
    if EVENT_TRIGGERS.isdisjoint(words):
        return found
    i = 0
    while i < len(words):
        word = words[i]
        if word not in EVENT_TRIGGERS:
            i += 1
            continue
        phrases = EVENT_PHRASES.get(word)
        phrase = None if phrases is None else next(
            ((rest, ev) for rest, ev in phrases if tuple(words[i + 1:i + 1 + len(rest)]) == rest), None)
        if phrase is not None:
            if phrase[1]:
                found.append((phrase[1], word))
            i += 1 + len(phrase[0])
            continue
        event = EVENT_WORDS.get(word)
        if event == "wounded" and _wounded_names_people(words, i, entity):
            event = None  # "108 wounded", "wounded rebels": who, not what happened
        if event:
            found.append((event, word))
        i += 1
    return found


def _wounded_names_people(words: list[str], i: int, entity: str) -> bool:
    before = words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    return (entity == "wounded" or before[:1].isdigit() or before in WOUNDED_NOUN_BEFORE
            or after in fp.ENTITY_MAP)


def _state_adjective(text: str, start: int, after_entity: int) -> str:
    words = fp.WORD_RE.findall(text, start, after_entity)
    return next((fp.STATE_ADJECTIVES[w.lower()] for w in words
                 if w.lower() in fp.STATE_ADJECTIVES and w.lower() != words[-1].lower()), "")


def _sentence_start(text: str, start: int) -> int:
    lo = max(0, start - _WINDOW)
    window = text[lo:start]
    cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "), window.rfind("; "),
              window.rfind("\n"))
    return lo + cut + 1 if cut >= 0 else lo
