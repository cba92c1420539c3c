"""Tests for newslens.numwords: spelled cardinals and where "and" may join them."""

from __future__ import annotations

import re

import pytest

from newslens.numwords import NUMBER_WORDS_RE, words_to_number


@pytest.mark.parametrize(("text", "value"), [
    ("four", 4), ("twenty-one", 21), ("twenty one", 21), ("one hundred and fifty", 150),
    ("two thousand three hundred", 2300), ("three thousand and six", 3006),
    ("one million two hundred thousand", 1_200_000), ("a", None), ("Ninety-Nine", 99),
    ("five hundred and twenty-one", 521),
])
def test_words_to_number(text, value):
    assert words_to_number(text) == value


@pytest.mark.parametrize("text", ["ten and fifteen", "two and three", "twenty and one",
                                  "and five", "hundred and", "five and"])
def test_and_joins_only_after_a_scale_word(text):
    assert words_to_number(text) is None


@pytest.mark.parametrize(("text", "spans"), [
    ("between ten and fifteen people", ["ten", "fifteen"]),
    ("one hundred and fifty people", ["one hundred and fifty"]),
    ("two thousand and five hundred", ["two thousand and five hundred"]),
    ("thirty and forty", ["thirty", "forty"]),
    ("Three Hundred And Six", ["Three Hundred And Six"]),
])
def test_number_words_pattern_splits_at_a_plain_and(text, spans):
    assert [m.group(0) for m in NUMBER_WORDS_RE.finditer(text)] == spans


def test_every_match_has_a_value():
    text = "ten and fifteen, one hundred and six, twenty-two and a thousand and one"
    for m in NUMBER_WORDS_RE.finditer(text):
        assert words_to_number(m.group(0)) is not None, m.group(0)


def test_pattern_compiles_inside_a_verbose_case_insensitive_pattern():
    from newslens.numwords import NUMBER_WORDS

    rx = re.compile(rf"(?P<n>{NUMBER_WORDS})\s+days", re.IGNORECASE | re.VERBOSE)
    assert rx.search("after Ten And Five days").group("n") == "Five"
