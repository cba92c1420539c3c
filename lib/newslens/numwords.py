"""Spelled-out English numbers: "four", "twenty-one", "a dozen", "one hundred and fifty".

Shared by the figure and time extractors so both read numbers the same way. Pure functions,
patterns compiled once at import.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES: dict[str, int] = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Words that stand for a number on their own ("a dozen", "a couple of", "half").
NOUN_NUMBERS: dict[str, float] = {
    "dozen": 12, "score": 20, "couple": 2, "pair": 2, "half": 0.5, "quarter": 0.25,
    "third": 1 / 3,
}

_ATOM = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_SCALE = "|".join(SCALES)
# "twenty-one", "twenty one", "one hundred and fifty", "two thousand three hundred"
_TOKEN = rf"(?:(?:{_ATOM})(?:[-\s](?:{_ATOM}))?|{_SCALE})"
# "and" joins only after a scale word: "one hundred and fifty" is one number, "ten and fifteen"
# is two.
_AFTER_SCALE = "|".join(f"(?<={word})" for word in SCALES)
NUMBER_WORDS = rf"(?:(?:{_TOKEN})(?:(?:(?:{_AFTER_SCALE})\s+and\s+|[\s-]+)(?:{_TOKEN}))*)"
NUMBER_WORDS_RE = re.compile(rf"\b{NUMBER_WORDS}\b", re.IGNORECASE)

_SPLIT_RE = re.compile(r"[\s-]+")


def words_to_number(text: str) -> int | None:
    """Value of a spelled-out cardinal, or None when ``text`` is not one.

    >>> words_to_number("twenty-one")
    21
    >>> words_to_number("one hundred and fifty")
    150
    >>> words_to_number("two thousand three hundred")
    2300
    >>> words_to_number("ten and fifteen") is None
    True
    """
    total = 0
    current = 0
    seen = False
    previous = ""
    for raw in _SPLIT_RE.split(text.strip().lower()):
        word = raw.strip(",")
        if not word:
            continue
        if word == "and":
            if previous not in SCALES:
                return None  # "ten and fifteen" is two numbers, not 25
            previous = word
            continue
        previous = word
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    if previous == "and":
        return None
    return total + current if seen else None
