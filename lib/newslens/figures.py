"""Figures: the quantities a text states, with their hedges, units, entities and events.

``extract(text)`` returns one row per quantity with columns ``start, end, surface, value_low,
value_high, approx, unit, entity, event``; ``text[start:end] == surface``. It uses compiled
regular expressions and word tables only (see :mod:`newslens._figure_patterns`), never a model.

>>> row = extract("Over 4,500 militants have been evacuated.").iloc[0]
>>> float(row.value_low), row.approx, row.entity, row.event
(4500.0, 'more_than', 'militants', 'evacuated')

What counts as a figure
-----------------------
- Digits with separators and decimals ("3,000", "4.5"), scale words and suffixes ("1.5 million",
  "$2bn", "5k"), spelled numbers ("twenty-one", "a dozen" = 12, "half a dozen" = 6).
- Ranges ("4,000 to 5,000", "4,000-5,000", "between X and Y", "2-3 days"): approx ``range``.
- Hedges before the number ("over", "at least", "up to", "about", "an estimated"...) and after
  it ("3,000+", "or more", "40-odd") set ``approx``; "a total of" and "only" are neutral.
- Fractions ("half of them", "two thirds") are values below 1 with unit ``fraction``; they are
  not converted to percent, because the base ("them") is rarely stated in the same clause.
- Ages ("over the age of 12", "aged 12") are reported with unit ``years`` and entity ``age``:
  a threshold in a claim ("all males over the age of 12") is worth comparing across outlets.
- Vague quantities get ``approx="vague"`` and a nominal range:

  ==================== =====================
  phrase               value_low-value_high
  ==================== =====================
  tens of / 10s of     20-99
  dozens               24-99
  scores of            40-99
  hundreds / 100s      200-999
  thousands / 1000s    2,000-9,999
  tens of thousands    20,000-99,999
  hundreds of thousands 200,000-999,999
  millions             2,000,000-9,999,999
  several hundred      300-999 (several N: 3N to 10N-1)
  a few thousand       2,000-5,000 (a few N: 2N to 5N)
  a handful of         3-5
  a couple of          2-3
  ==================== =====================

Not figures: dates ("December 15", "16/12/2016"), years ("2016", "the 1990s") unless a count
noun follows ("2000 people"), clock times ("12:30 GMT", "5am"), ordinals ("22nd", "first"),
labels ("Day 1", "Phase 2"), names with numbers ("Er-Rashidin-4", "F-16", "Aleppo 24 said"),
text-speak ("4 now"), phone numbers, IP addresses, page chrome ("2 min read"), weapon calibres
("23 mm machine gun": it names a weapon, it does not count anything), relative times ("3 days
ago"), and a bare "one" unless a unit or a known noun follows ("one of them" is not a count).

Entities and events
-------------------
``entity`` is the head noun after the number in the same clause, normalised through a table
(plural, lower case: "busses" -> "buses", "cars" -> "vehicles", "armed men" -> "fighters"); the
outlet's framing words ("terrorists", "militants", "rebels") are kept as written. An unknown
plural noun is kept as written (lower case). For measures (km, days, percent, money) the entity is
the unit, except "N percent of the people" -> "people".
``event`` comes from the nearest event word after the entity in the same sentence (else the
nearest before it): evacuated, trapped, killed, wounded, pardoned, detained, planned (future or
intention), controlled, provided. Vehicles that "will evacuate" are ``provided``. Distances and
durations get no event.
"""

from newslens._figure_extract import COLUMNS, extract
