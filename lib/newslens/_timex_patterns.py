"""Tables, compiled patterns and value builders behind :mod:`newslens.timex`.

Everything here is built once at import and never mutated. Each rule pattern is a
verbose, case-insensitive regex with named groups; :mod:`newslens.timex` turns a match
into a resolved expression.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone

from newslens.numwords import NUMBER_WORDS, SCALES, TENS
from newslens.numwords import UNITS as UNITS_WORDS

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
# TimeML part-of-day codes and the local hours each one covers (end may pass midnight).
PARTS_OF_DAY: dict[str, tuple[str, int, int]] = {
    "morning": ("MO", 4, 12), "afternoon": ("AF", 12, 17), "evening": ("EV", 17, 21),
    "night": ("NI", 21, 28), "tonight": ("NI", 21, 28), "overnight": ("NI", 21, 28),
    "dawn": ("MO", 4, 7), "daybreak": ("MO", 4, 7), "dusk": ("EV", 17, 20),
    "midday": ("MI", 11, 14), "lunchtime": ("MI", 11, 14),
}
SEASONS: dict[str, tuple[str, int]] = {
    "spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9),
    "winter": ("WI", 12),
}
# unit -> (TIMEX3 duration letter, is a time unit (after "T"), approximate length)
UNITS: dict[str, tuple[str, bool, timedelta]] = {
    "second": ("S", True, timedelta(seconds=1)), "sec": ("S", True, timedelta(seconds=1)),
    "minute": ("M", True, timedelta(minutes=1)), "min": ("M", True, timedelta(minutes=1)),
    "hour": ("H", True, timedelta(hours=1)), "hr": ("H", True, timedelta(hours=1)),
    "day": ("D", False, timedelta(days=1)), "night": ("D", False, timedelta(days=1)),
    "week": ("W", False, timedelta(weeks=1)), "fortnight": ("W", False, timedelta(weeks=2)),
    "month": ("M", False, timedelta(days=30)), "year": ("Y", False, timedelta(days=365)),
    "yr": ("Y", False, timedelta(days=365)), "decade": ("DE", False, timedelta(days=3652)),
    "century": ("CE", False, timedelta(days=36524)),
}
VAGUE_NUMBERS: frozenset[str] = frozenset(
    {"few", "a few", "several", "some", "many", "couple", "a couple", "a couple of",
     "couple of", "a number of", "recent", "past", "coming", "next", "last"})
# Zone words after a clock time. None means "the local zone" (the extractor's local_tz).
ZONES: dict[str, object] = {
    "gmt": timezone.utc, "utc": timezone.utc, "z": timezone.utc, "zulu": timezone.utc,
    "local": None, "local time": None, "damascus time": "Asia/Damascus",
    "syrian time": "Asia/Damascus", "moscow time": "Europe/Moscow", "msk": "Europe/Moscow",
    "bst": timezone(timedelta(hours=1)), "cet": timezone(timedelta(hours=1)),
    "cest": timezone(timedelta(hours=2)), "eet": timezone(timedelta(hours=2)),
    "eest": timezone(timedelta(hours=3)), "est": timezone(timedelta(hours=-5)),
    "edt": timezone(timedelta(hours=-4)), "et": "America/New_York",
    "pst": timezone(timedelta(hours=-8)), "pdt": timezone(timedelta(hours=-7)),
    "pt": "America/Los_Angeles", "cst": timezone(timedelta(hours=-6)),
    "ist": timezone(timedelta(hours=5, minutes=30)), "jst": timezone(timedelta(hours=9)),
}

_MONTH = (r"(?:(?:january|february|march|april|may|june|july|august|september|october|"
          r"november|december)\b|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?)")
_WEEKDAY = (r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
            r"(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?)")
_WEEKDAY_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b"
_ORD = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_DAY = rf"(?:[0-3]?\d(?:st|nd|rd|th)?(?![\d:])|(?:twenty|thirty)[\s-](?:{_ORD})|{_ORD})"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d,.]\d)"
_POD = r"(?:morning|afternoon|evening|night)"
_NUM = (rf"(?:\d+(?:\.\d+)?|{NUMBER_WORDS}|an?|one|half\s+an?|a\s+few|few|several|some|"
        r"a\s+couple\s+of|a\s+couple|couple\s+of|many|a\s+number\s+of)")
_UNIT = (r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|"
         r"months?|years?|yrs?|decades?|century|centuries)\b")
_ZONE = (r"(?:\s*\(?\s*(?P<zone>GMT|UTC|Z|Zulu|local\s+time|local|Damascus\s+time|"
         r"Syrian\s+time|Moscow\s+time|MSK|BST|CEST|CET|EEST|EET|EST|EDT|ET|PST|PDT|PT|CST|"
         r"IST|JST)(?:\s*(?P<off>[+-]\s*\d{1,2}(?::?\d\d)?))?\s*\)?(?![\w]))")
_APPROX = r"(?:(?P<approx>about|around|approximately|roughly|circa|nearly|almost|shortly\s+(?:before|after))\s+)?"

DECADES: dict[str, int] = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5,
                           "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}
_DECADE_WORDS = "|".join(DECADES)
_RANGE_SEP = r"\s*(?:-|–|—|~|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b)\s*"
_AMPM = r"(?:[ap]\.\s?m\.?|[ap]\s?m\b)"
_DAYPART = r"(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)"

FLAGS = re.IGNORECASE | re.VERBOSE


def _rx(body: str, flags: int = FLAGS) -> re.Pattern[str]:
    """Compile a rule that may only start at a word start (so "a" is never mid-word)."""
    return re.compile(rf"(?<![\w'])(?:{body})", flags)


# Explicit calendar dates, optionally after a weekday ("Monday, December 12, 2016").
DATE_RE = _rx(rf"""
    (?:(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?
    (?:
        (?P<iy>\d{{4}})-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?![\d-])
      | (?<![\d.,/-])(?P<na>[0-3]?\d)(?P<sep>[/.-])(?P<nb>[0-3]?\d)(?P=sep)(?P<ny>\d{{4}}|\d\d)(?![\d/.-]\d)
      | (?P<d1>{_DAY})(?:\s+of)?[\s-]+(?P<m1>{_MONTH})(?:,?[\s-]+(?:of\s+)?(?P<y1>{_YEAR}))?
      | (?P<m2>{_MONTH})[\s/-]*(?:the\s+)?(?P<d2>{_DAY})(?:\s*,?\s*(?:of\s+)?(?P<y2>{_YEAR}))?
    )\b""", FLAGS)
MONTH_YEAR_RE = _rx(rf"""
    (?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|
        the\s+middle\s+of|end\s+of|beginning\s+of)[\s-]+)?
    (?:(?P<m>{_MONTH})[,\s/-]+(?:of\s+)?(?P<y>{_YEAR})|(?P<y2>{_YEAR})[\s/-]+(?P<m2>{_MONTH}))
    (?![\d])""", FLAGS)
MONTH_RE = _rx(rf"""
    (?:(?P<pre>in|since|until|till|by|during|from|through|before|after|of|to|between|
        and|or|last|next|this|early|mid|late|earlier\s+in|later\s+in)[\s-]+)?
    (?P<m>{_MONTH})(?!\s*\d)""", FLAGS)
YEAR_RE = _rx(rf"""
    (?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|
        the\s+middle\s+of|end\s+of|the\s+year|year|the\s+summer\s+of|the\s+winter\s+of)[\s-]+)?
    (?<![\w$£€#.,/:-])(?P<y>{_YEAR})\b(?![/:%-]|\.\d|\s*(?:%|per\s?cent|km|kg|m\b))""", FLAGS)
DECADE_RE = _rx(rf"""
    (?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<y>1[5-9]\d0|20\d0)\s?'?s\b
    | (?P<c>\d{{1,2}})(?:st|nd|rd|th)[\s-]+century\b
    | the\s+(?:(?P<mod2>early|mid|late)[\s-]+)?(?:['’]?(?P<yy>[1-9]0)['’]?s\b|(?P<dw>{_DECADE_WORDS})\b)""",
                 FLAGS)
WEEKDAY_RE = _rx(rf"""
    (?:(?P<mod>early|late|earlier|later)\s+(?:on\s+)?)?
    (?:(?P<dir>last|next|this|coming|this\s+coming|this\s+past|past|previous|following)\s+)?
    (?P<wd>{_WEEKDAY_FULL})(?!\s*\d)(?:'s)?
    (?:\s+(?P<pod>{_POD}))?
    (?:,?\s+(?:of\s+)?(?P<wk>next|last|this|the\s+following|the\s+previous)\s+week\b)?""",
                 FLAGS)
DEICTIC_RE = _rx(rf"""
    (?:(?P<mod>early|late|earlier|later|(?:the\s+)?(?:end|beginning|start|middle)\s+of)\s+)?
    (?:(?P<rel>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|
        tomorrow|tonight|overnight|last\s+night)(?:'s)?(?:\s+(?P<pod>{_POD}))?
     | (?:in\s+)?(?P<dir>this|last|next|the\s+previous|the\s+following|the\s+coming)\s+
       (?P<unit>{_POD}|week(?:end)?|month|year|quarter|spring|summer|autumn|fall|winter)\b
    )""", FLAGS)
PERIOD_RE = _rx(rf"""
    (?:(?P<mod>early|late|earlier|later)\s+(?:in|on)|during|throughout)\s+(?P<the>the|this)\s+
    (?P<unit>{_POD}|day|week|month|year)\b
    | (?:the\s+)?(?P<mod2>end|beginning|start|middle)\s+of\s+(?:the\s+)?(?P<unit2>week|month|year)\b
      (?!\s+(?:of|before|after)\b)""", FLAGS)
POD_RE = _rx(r"""
    (?:(?P<mod>early|late|later|earlier)\s+)?(?:in|during|at|by|through|throughout)\s+
    (?:the\s+)?(?P<pod>morning|afternoon|evening|night|dawn|dusk|daybreak)\b
    | (?P<pod2>overnight|lunchtime)\b""", FLAGS)
TIME_RE = _rx(rf"""
    {_APPROX}
    (?:
        (?P<h1>[01]?\d|2[0-3])(?:[:.](?P<m1>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]\s?m\b)
      | (?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)(?::(?P<s2>[0-5]\d))?(?![\d:])
      | (?P<hm>(?:[01]\d|2[0-3])[0-5]\d)(?=\s*(?:hrs\b|hours\s+(?:GMT|UTC|local)|GMT|UTC))(?:\s*hrs\b)?
      | (?P<hw>{NUMBER_WORDS})\s+(?:o'?\s?clock\b|(?P<ampm2>[ap]\.\s?m\.?|[ap]\s?m\b))
      | (?P<named>noon|midnight|midday)\b
      | (?P<h3>[01]?\d|2[0-3])\s*o'?\s?clock\b
      | (?P<frac>half|(?:a\s+)?quarter|[1-5]?\d|{NUMBER_WORDS})(?:\s+min(?:ute)?s?)?\s+
        (?P<rel>past|after(?=\s+(?:\d|{NUMBER_WORDS})\s*o'?\s?clock)|to(?<=quarter\s{{1}}to))\s+
        (?P<fh>[01]?\d|2[0-3]|{NUMBER_WORDS})(?![\d:])(?:\s*o'?\s?clock\b)?
      | (?<!\d[.,])(?P<h4>[01]?\d|2[0-3]|{NUMBER_WORDS})(?=\s+{_DAYPART})
    )(?:\s+(?P<dp>{_DAYPART}))?{_ZONE}?""", FLAGS)
AGO_RE = _rx(rf"""
    (?:(?P<num>{_NUM})[\s-]+)?(?P<unit>{_UNIT})\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b
    | (?P<in>in|within)\s+(?P<num2>{_NUM})\s+(?P<unit2>{_UNIT})(?!\s+(?:ago|of|earlier|later))""",
                    FLAGS)
SPAN_RE = _rx(rf"""
    (?:(?:in|over|during|for|within|throughout)\s+)?(?:the\s+)?
    (?P<dir>last|past|previous|next|coming|recent|following)\s+
    (?:(?P<num>{_NUM})\s+)?(?P<unit>{_UNIT})""", FLAGS)
DURATION_RE = _rx(rf"""
    (?P<num>{_NUM})(?:\s*(?:-|–|to|or)\s*(?P<num2>\d+|{NUMBER_WORDS}))?
    (?:\s+and\s+(?P<half>a\s+half|half))?[\s-]*(?P<unit>{_UNIT})
    (?:\s+and\s+(?P<half2>a\s+half|half))?
    (?P<trail>[\s-]+(?:old|read)\b|\s+of\s+age)?
    | (?:for|after|over|within)\s+(?P<vague>seconds|minutes|hours|days|weeks|months|years|decades)\b
    | (?P<long>seconds|minutes|hours|days|weeks|months|years|decades)[\s-]+long\b""", FLAGS)
SET_RE = _rx(rf"""
    (?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly)\b
    | (?:every|each)\s+(?P<other>other\s+)?(?:(?P<num>{_NUM})\s+)?(?P<unit>{_UNIT}|(?P<wd>{_WEEKDAY_FULL}))
    | (?P<freq>once|twice|\d+\s+times|{NUMBER_WORDS}\s+times)\s+(?:a|an|per|every|each)\s+(?P<unit2>{_UNIT})""",
                    FLAGS)
REF_RE = _rx(r"""
    (?P<present>(?:right\s+|just\s+|until\s+|up\s+to\s+|by\s+)?now\b(?!\s+that)|currently|
        at\s+present|at\s+the\s+moment|at\s+this\s+time|nowadays|these\s+days)
    | (?P<past>recently|lately|in\s+the\s+past\b(?!\s+(?:few|several|\d)))
    | (?P<future>in\s+the\s+(?:near\s+|distant\s+)?future)""", FLAGS)
QUARTER_RE = _rx(rf"""
    (?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter
    (?:\s+of\s+(?P<y>{_YEAR}))?
    | \bQ(?P<q>[1-4])[\s-]*(?P<y2>{_YEAR})
    | (?P<y3>{_YEAR})[\s-]*Q(?P<q3>[1-4])\b""", FLAGS)
SEASON_RE = _rx(rf"""
    (?:(?P<pre>in|during|this|last|next|the|since|by|until|over)\s+(?:the\s+)?)
    (?P<s>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?""", FLAGS)

# Ranges written as one phrase: "2014-2018", "March 3-5", "3-5 March", "Jan-Feb 2017",
# "5-6 pm", "between 10 and 11:30 am" (the first bound borrows what the second states).
RANGE_RE = _rx(rf"""
    (?:(?P<op>from|between)\s+)?
    (?:
        (?<![\d–-])(?P<y1>{_YEAR})(?:{_RANGE_SEP}|\s+and\s+(?<=between\s\d{{4}}\sand\s))
        (?P<y2>{_YEAR})\b(?![-–]\d)
      | (?P<m>{_MONTH})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?{_RANGE_SEP}(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?
        (?![\d:])(?:,?\s+(?P<y>{_YEAR}))?\b
      | (?P<e1>[0-3]?\d)(?:st|nd|rd|th)?{_RANGE_SEP}(?P<e2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?
        (?P<em>{_MONTH})(?:,?\s+(?P<ey>{_YEAR}))?
      | (?P<m1>{_MONTH}){_RANGE_SEP}(?P<m2>{_MONTH})[\s,]+(?P<my>{_YEAR})\b
      | (?P<h1>[01]?\d|2[0-3])(?:[:.](?P<n1>[0-5]\d))?\s*(?P<a1>{_AMPM})?
        (?:\s*(?:-|–|to|till|until)\s*|\s+and\s+)
        (?P<h2>[01]?\d|2[0-3])(?:[:.](?P<n2>[0-5]\d))?\s*(?P<a2>{_AMPM})
    )""", FLAGS)

RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date", DATE_RE), ("month_year", MONTH_YEAR_RE), ("month", MONTH_RE), ("year", YEAR_RE),
    ("decade", DECADE_RE), ("weekday", WEEKDAY_RE), ("deictic", DEICTIC_RE),
    ("period", PERIOD_RE), ("pod", POD_RE), ("time", TIME_RE), ("ago", AGO_RE),
    ("span", SPAN_RE), ("duration", DURATION_RE), ("set", SET_RE), ("ref", REF_RE),
    ("quarter", QUARTER_RE), ("season", SEASON_RE), ("range", RANGE_RE),
)
# Cheap gate: a text with none of these cannot hold an expression.
GATE_RE = re.compile(r"\d|day|now|night|morning|noon|tomorrow|time|week|month|year|ly\b|tonight|"
                     r"ago|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|"
                     r"autumn|fall|winter|hour|minute|second|century|decade|moment|future|"
                     r"past|present|quarter|midday|dawn|dusk|evening|ties", re.IGNORECASE)
# Words before a weekday/month/date that mark a future reference ("talks will resume on Monday").
FUTURE_CUE_RE = re.compile(r"\b(?:will|won't|shall|going\s+to|is\s+to|are\s+to|expected\s+to|"
                           r"scheduled|due\s+to|set\s+to|plans?\s+to|planned|upcoming|"
                           r"to\s+be\s+held)\b|'ll\b", re.IGNORECASE)
CLAUSE_BREAK_RE = re.compile(r"[.!?;\n]")
# Connectors that glue a date and a clock time into one expression.
JOIN_RE = re.compile(r"\A(?:\s*,?\s*(?:at|@|on|,|-|–)?\s*)\Z", re.IGNORECASE)

SET_ADVERB_WORDS = ("daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly")
# Every expression holds a head token; rules are only tried at word starts just before a head.
_HEAD_WORDS: dict[str, tuple[str, ...]] = {
    "mon": (*[m for m in MONTHS if m != "mar"], "mar"),
    "wd": (*WEEKDAYS, *(w + "s" for w in WEEKDAYS if len(w) > 5)),
    "deic": (*SET_ADVERB_WORDS, "today", "tomorrow", "yesterday", "tonight", "overnight", "now", "currently",
             "present", "moment", "nowadays", "these", "recently", "lately", "past", "future",
             "noon",
             "midnight", "midday", "lunchtime", "dawn", "dusk", "daybreak", "morning",
             "afternoon", "evening", "night", "clock", "am", "pm", *DECADES),
    "unit": (*(u for unit in UNITS for u in (unit, unit + "s")), "centuries", "weekend",
             "weekends", "quarter", *SEASONS, "every", "each", "once", "twice"),
}
HEAD_WORDS: dict[str, str] = {w: head for head, words in _HEAD_WORDS.items() for w in words}
# A plain count ("337 wounded") is no head: a number only starts a rule when it looks like a
# year, carries letters ("5am", "15th"), is glued to another number ("12:30", "2-3") or sits
# next to a time word ("24 hours", "14 December", "0730 GMT").
NUMBER_HEAD_RE = re.compile(
    r"(?:1[5-9]\d\d|20\d\d)(?!\d)|\d+[a-z]|\d+\s?[:/.\-–]\s?\d|\d+[\s-]+(?:and\s+a\s+half\s+)?"
    r"(?:[a-z]+[\s-]+)?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|"
    r"fortnights?|months?|years?|yrs?|decades?|century|centuries|[ap]\.?\s?m\b|o'?clock|"
    r"gmt|utc|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|times|of\s+[a-z]{3})",
    re.IGNORECASE)
HEAD_SET: frozenset[str] = frozenset(HEAD_WORDS)
WORD_RE = re.compile(r"[A-Za-z0-9]+")
LOOKBACK_WORDS, LOOKBACK_CHARS = 4, 40
_RULE_INDEX = {name: i for i, (name, _) in enumerate(RULES)}
# Words that may open each rule before its head ("at about 12:30", "the end of 2015").
_NUMERIC = frozenset({"a", "an", "half", "few", "several", "some", "many", "couple", "number",
                      *UNITS_WORDS, *TENS, *SCALES})
_MODIFIERS = frozenset({"early", "late", "earlier", "later", "mid", "the", "end", "beginning",
                        "start", "middle"})
_PREPOSITIONS = frozenset({"in", "since", "until", "till", "by", "during", "from", "through",
                           "before", "after", "of", "to", "between", "and", "or", "last",
                           "next", "this", "early", "mid", "late", "earlier", "later"})
_OPENERS: dict[str, frozenset[str]] = {
    "date": frozenset(WEEKDAYS) | frozenset(ORDINAL_WORDS) | {"the", "twenty", "thirty"},
    "month_year": _MODIFIERS, "month": _PREPOSITIONS,
    "year": _MODIFIERS | {"year", "summer", "winter"}, "decade": _MODIFIERS,
    "range": frozenset({"from", "between"}) | frozenset(MONTHS),
    "weekday": frozenset({"early", "late", "earlier", "later", "on", "last", "next", "this",
                          "coming", "past", "previous", "following"}),
    "deictic": frozenset({"early", "late", "earlier", "later", "the", "in", "this", "last",
                          "end", "beginning", "start", "middle",
                          "next"}),
    "period": frozenset({"early", "late", "earlier", "later", "in", "on", "during", "end",
                         "beginning", "start", "middle",
                         "throughout", "the"}),
    "pod": frozenset({"early", "late", "later", "earlier", "in", "during", "at", "by",
                      "through", "throughout", "the"}),
    "time": _NUMERIC | {"quarter", "past", "minutes", "minute", "mins", "min"} | frozenset({
                       "about", "around", "approximately", "roughly", "circa", "nearly",
                       "almost", "shortly"}),
    "ago": _NUMERIC | {"in", "within"},
    "span": _NUMERIC | {"in", "over", "during", "for", "within", "throughout", "the", "last",
                        "past", "previous", "next", "coming", "recent", "following"},
    "duration": _NUMERIC | {"and", "for", "after", "over", "within"},
    "set": _NUMERIC | {"every", "each", "once", "twice", "other"},
    "ref": frozenset({"right", "just", "until", "up", "by", "at", "in", "the", "these"}),
    "quarter": frozenset({"the", "first", "second", "third", "fourth", "last", "q"}),
    "season": frozenset({"in", "during", "this", "last", "next", "the", "since", "by", "until",
                         "over"}),
}
_NUMBER_OPENED = frozenset({"ago", "span", "duration", "set", "date", "quarter", "time", "range"})
OPENERS: tuple[frozenset[str], ...] = tuple(_OPENERS[name] for name, _ in RULES)
NUMBER_OPENED: tuple[bool, ...] = tuple(name in _NUMBER_OPENED for name, _ in RULES)
HEAD_RULES: dict[str, tuple[int, ...]] = {
    head: tuple(_RULE_INDEX[n] for n in names) for head, names in {
        "num": ("date", "month_year", "year", "decade", "time", "ago", "span", "duration",
                "set", "quarter", "season", "range"),
        "mon": ("date", "month_year", "month", "range"),
        "wd": ("date", "weekday", "set"),
        "deic": ("deictic", "ref", "pod", "period", "time", "set", "weekday", "date", "decade"),
        "unit": ("deictic", "period", "ago", "span", "duration", "set", "quarter", "season", "time",
                 "ref", "year", "pod"),
    }.items()}
# Rules whose match can begin with the head word itself (the others need an opener before it:
# "the last 3 days" never starts at "days").
_STARTS_AT_HEAD = {
    "num": frozenset({"date", "month_year", "year", "decade", "time", "ago", "duration", "set",
                      "quarter", "range"}),
    "mon": frozenset({"date", "month_year", "month", "range"}),
    "wd": frozenset({"date", "weekday"}),
    "deic": frozenset({"deictic", "ref", "pod", "time", "set", "weekday"}),
    "unit": frozenset({"ago", "duration", "set", "time", "year"}),
}
# Of the time words, only these begin a rule themselves ("now", but not "present": "at present").
_DEIC_STARTERS = {
    "deictic": frozenset({"today", "tomorrow", "yesterday", "tonight", "overnight"}),
    "ref": frozenset({"now", "currently", "nowadays", "these", "recently", "lately"}),
    "pod": frozenset({"overnight", "lunchtime"}), "time": frozenset({"noon", "midnight", "midday"}),
    "set": frozenset(SET_ADVERB_WORDS), "weekday": frozenset({"past"}),
}


def head_start_rules(kind: str, word: str) -> tuple[int, ...]:
    """Rules that may begin at a head word of this kind (time words: only their starters)."""
    return tuple(i for i in HEAD_RULES[kind] if RULES[i][0] in _STARTS_AT_HEAD[kind]
                 and (kind != "deic" or word in _DEIC_STARTERS.get(RULES[i][0], ())))
