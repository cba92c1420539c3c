"""Compiled patterns and word tables behind :mod:`newslens.figures` (used by :mod:`newslens._figure_extract`).

Everything here is built once at import. ``SCAN_RE`` is the one combined pattern that walks a text:
its ``skip`` branch consumes things that look numeric but are not quantities (dates, clock times,
ordinals, labels such as "Day 1", names such as "Er-Rashidin-4", calibres, page chrome), so the
``q`` branch never sees them.
"""

from __future__ import annotations

import re

from newslens.numwords import SCALES, TENS
from newslens.numwords import UNITS as _UNIT_WORDS

# --- hedges -----------------------------------------------------------------------------------
# Phrase before the number -> approx label. Longest phrases are tried first.
HEDGES: dict[str, str] = {
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "above": "more_than", "exceeding": "more_than",
    "greater than": "more_than", "larger than": "more_than", "higher than": "more_than",
    "just over": "more_than", "well over": "more_than", "north of": "more_than",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "not less than": "at_least", "a minimum of": "at_least",
    "fewer than": "less_than", "less than": "less_than", "under": "less_than",
    "below": "less_than", "just under": "less_than", "smaller than": "less_than",
    "lower than": "less_than", "bigger than": "more_than",
    "less than or equal to": "up_to", "less or equal than": "up_to",
    "greater than or equal to": "at_least", "more than or equal to": "at_least",
    "higher or equal than": "at_least", "bigger or equal than": "at_least",
    "smaller or equal than": "up_to", "lower or equal than": "up_to",
    "up to": "up_to", "as many as": "up_to", "at most": "up_to", "no more than": "up_to",
    "not more than": "up_to", "a maximum of": "up_to", "as much as": "up_to",
    "about": "approximate", "around": "approximate", "some": "approximate",
    "nearly": "approximate", "almost": "approximate", "roughly": "approximate",
    "approximately": "approximate", "approx.": "approximate", "an estimated": "approximate",
    "an estimated number of": "approximate", "estimated": "approximate", "circa": "approximate",
    "close to": "approximate", "nearly some": "approximate", "somewhere around": "approximate",
    "an approximate": "approximate", "round about": "approximate", "approaching": "approximate",
}
# Words after the number that change its meaning ("3,000+", "500 or more", "40-odd").
SUFFIX_HEDGES: dict[str, str] = {
    "+": "more_than", "plus": "more_than", "or more": "at_least", "or over": "at_least",
    "and more": "at_least", "or so": "approximate", "odd": "approximate",
    "or fewer": "up_to", "or less": "up_to",
}

# --- vague quantities --------------------------------------------------------------------------
# Nominal ranges, used as value_low/value_high with approx "vague":
#   tens of 20-99 | dozens 24-99 | scores of 40-99 | hundreds 200-999 | thousands 2,000-9,999
#   tens of thousands 20,000-99,999 | hundreds of thousands 200,000-999,999 | millions 2-9.99 m
#   several N 3N-(10N-1) | a few N 2N-5N | a handful of 3-5 | a couple of 2-3
VAGUE: dict[str, tuple[float, float]] = {
    "tens of": (20, 99), "dozens": (24, 99), "scores of": (40, 99),
    "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2e6, 9_999_999), "tens of millions": (2e7, 99_999_999),
    "hundreds of millions": (2e8, 999_999_999), "billions": (2e9, 9_999_999_999),
    "several dozen": (36, 119), "several hundred": (300, 999), "several thousand": (3_000, 9_999),
    "several million": (3e6, 9_999_999),
    "a few dozen": (24, 60), "a few hundred": (200, 500), "a few thousand": (2_000, 5_000),
    "a few million": (2e6, 5e6), "a handful of": (3, 5), "a couple of": (2, 3),
    "10s of": (20, 99), "100s": (200, 999), "1000s": (2_000, 9_999), "1,000s": (2_000, 9_999),
    "10,000s": (20_000, 99_999), "100s of": (200, 999), "1000s of": (2_000, 9_999),
}

# --- units -------------------------------------------------------------------------------------
# (pattern, unit) tried in order on the unit text after a number; first full match wins.
UNITS: list[tuple[str, str]] = [
    (r"percentage\s+points?", "percentage_points"),
    (r"%|per\s?cents?|percents?|percentage|pct", "percent"),
    (r"square\s+kilomet(?:er|re)s?|sq\.?\s?km|km2|km²|km\^2|kilomet(?:er|re)s?\s+squared"
     r"|km\s+squared", "km2"),
    (r"square\s+(?:miles?|mi)|sq\.?\s?mi", "mi2"),
    (r"km/h|kph|kmh|kilomet(?:er|re)s?\s+per\s+hour", "km/h"),
    (r"mph|miles\s+per\s+hour", "mph"),
    (r"kilomet(?:er|re)s?|kms?", "km"),
    (r"miles?", "miles"),
    (r"met(?:er|re)s?|m", "m"),
    (r"centimet(?:er|re)s?|cm", "cm"),
    (r"millimet(?:er|re)s?|mm", "mm"),
    (r"hectares?|ha", "hectares"),
    (r"acres?", "acres"),
    (r"kilograms?|kilos?|kg", "kg"),
    (r"milligrams?|mg", "mg"),
    (r"millilit(?:er|re)s?|ml", "ml"),
    (r"tonnes?|tons?", "tonnes"),
    (r"lbs?|pounds?\s+of", "lb"),
    (r"seconds?|secs?", "seconds"),
    (r"minutes?|mins?", "minutes"),
    (r"hours?|hrs?", "hours"),
    (r"days?", "days"),
    (r"weeks?", "weeks"),
    (r"months?", "months"),
    (r"years?|yrs?", "years"),
    (r"decades?", "decades"),
    (r"dollars?|usd|us\s+dollars?", "usd"),
    (r"pounds?(?:\s+sterling)?|gbp", "gbp"),
    (r"euros?|eur", "eur"),
    (r"(?:russian\s+)?roubles?|rubles?", "rub"),
    (r"yuan", "cny"),
    (r"yen", "jpy"),
    (r"times", "times"),
    (r"degrees?(?:\s+(?:celsius|fahrenheit|c|f))?|°\s?[cf]?", "degrees"),
    (r"litres?|liters?", "litres"),
    (r"[kmgtp]b|(?:kilo|mega|giga|tera|peta)?bytes?", "bytes"),
    (r"[kmg]?hz|(?:kilo|mega|giga)?hertz", "hz"),
    (r"[kmg]wh?|(?:kilo|mega|giga)?watts?(?:[\s-]hours?)?", "watts"),
    (r"gallons?", "gallons"),
]
# Plain spellings looked up before trying the patterns above.
UNIT_WORDS: dict[str, str] = {
    word: unit for unit, words in {
        "percent": "% percent per cent", "km": "km kilometres kilometers kilometre kilometer",
        "km2": "km2 km²", "miles": "miles mile", "minutes": "minutes minute mins min",
        "hours": "hours hour hrs", "days": "days day", "weeks": "weeks week",
        "months": "months month", "years": "years year", "usd": "dollars dollar",
        "tonnes": "tonnes tons", "kg": "kg",
    }.items() for word in words.split(" ") if word
}
UNIT_WORDS["per cent"] = "percent"
PLAIN_NUMBER_RE = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9,.]|[kmbKMB½¼¾])")
UNIT_MATCHERS = [(re.compile(p, re.IGNORECASE), u) for p, u in UNITS]
CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "usd", "$": "usd", "usd": "usd", "£": "gbp", "gbp": "gbp", "€": "eur", "eur": "eur",
    "¥": "jpy", "rs": "inr", "rs.": "inr", "₹": "inr", "inr": "inr",
}
SCALE_WORDS: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6,
    "m": 1e6, "mm": 1e6, "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12,
    "tn": 1e12, "tln": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
    "dozen": 12, "dozens": 12,
}
# Units that describe size or time, not a claim about people or things: no event is read for
# them, and the entity is the unit itself.
MEASURE_UNITS = frozenset({
    "km", "miles", "m", "cm", "mm", "hectares", "acres", "kg", "tonnes", "lb", "seconds",
    "minutes", "hours", "days", "weeks", "months", "years", "decades", "degrees", "litres",
    "gallons", "times", "mi2", "km/h", "mph", "mg", "ml", "bytes", "hz", "watts",
})

# --- entities ----------------------------------------------------------------------------------
# Head noun (lower case, singular or plural) -> normalised entity. Framing words ("terrorists",
# "militants", "rebels") are kept apart on purpose: which word an outlet chose is the finding.
# Cars, trucks and lorries map to "vehicles" so that "100 cars" and "100 vehicles" compare.
_ENTITY_GROUPS: dict[str, tuple[str, ...]] = {
    "militants": ("militant", "militants"),
    "terrorists": ("terrorist", "terrorists"),
    "rebels": ("rebel", "rebels"),
    "fighters": ("fighter", "fighters", "combatant", "combatants", "gunman", "gunmen",
                 "armed men"),
    "jihadists": ("jihadist", "jihadists"),
    "insurgents": ("insurgent", "insurgents"),
    "radicals": ("radical", "radicals"),
    "civilians": ("civilian", "civilians"),
    "people": ("people", "person", "persons", "individuals", "individual"),
    "residents": ("resident", "residents", "inhabitant", "inhabitants"),
    "families": ("family", "families", "family members"),
    "children": ("child", "children", "kids", "minors", "boys", "girls"),
    "women": ("woman", "women"),
    "men": ("man", "men", "males"),
    "wounded": ("wounded", "injured"),
    "dead": ("dead", "bodies", "body"),
    "deaths": ("death", "deaths", "fatalities"),
    "casualties": ("casualty", "casualties"),
    "victims": ("victim", "victims"),
    "patients": ("patient", "patients", "sick"),
    "elderly": ("elderly",),
    "prisoners": ("prisoner", "prisoners", "pows", "pow", "captives", "captive"),
    "detainees": ("detainee", "detainees"),
    "hostages": ("hostage", "hostages"),
    "soldiers": ("soldier", "soldiers", "servicemen", "serviceman"),
    "troops": ("troops",),
    "evacuees": ("evacuee", "evacuees"),
    "refugees": ("refugee", "refugees"),
    "displaced": ("displaced",),
    "buses": ("bus", "buses", "busses", "coaches", "busloads"),
    "ambulances": ("ambulance", "ambulances"),
    "vehicles": ("vehicle", "vehicles", "car", "cars", "truck", "trucks", "lorry", "lorries"),
    "neighbourhoods": ("neighbourhood", "neighbourhoods", "neighborhood", "neighborhoods"),
    "districts": ("district", "districts"),
    "towns": ("town", "towns"),
    "villages": ("village", "villages"),
    "cities": ("city", "cities"),
    "homes": ("home", "homes", "house", "houses"),
    "airstrikes": ("airstrike", "airstrikes", "air strikes", "air raids", "raids"),
    "blasts": ("blast", "blasts", "explosion", "explosions"),
    "volunteers": ("volunteer", "volunteers"),
    "journalists": ("journalist", "journalists"),
    "doctors": ("doctor", "doctors"),
}
ENTITY_MAP: dict[str, str] = {
    word: canon for canon, words in _ENTITY_GROUPS.items() for word in words
}
# Adjectives that name a state of the counted people; "150 injured civilians" counts civilians.
STATE_ADJECTIVES: dict[str, str] = {
    "wounded": "wounded", "injured": "wounded", "dead": "killed", "displaced": "",
}
VEHICLES = frozenset({"buses", "ambulances", "vehicles"})
# "10 cargos of vehicles", "groups of militants": the count is of what follows "of".
CONTAINERS = frozenset({"cargos", "cargoes", "loads", "truckloads", "groups", "batches",
                        "convoys", "waves"})
ENTITY_STOP = frozenset("""
is are was were be been being have has had will would can could may might should shall must
do does did of in on at to from for with by into onto as than that which who whom whose where
when while and or but per across over under lie lies lay said says say told according were
who're them they their it its this these those there here now then also still only just all
so such not no nor if because after before during since until till via out up down off
""".split())

TOKEN_STRIP = ",.;:!?'’‘\"“”()[]*"
SENTENCE_END_RE = re.compile(r"[.!?;](?=\s|$)|\n")
CLAUSE_END_RE = re.compile(r"[.,;:!?()\[\]\n\"“”–—]")
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*")


def _alt(phrases) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


# --- the scan ----------------------------------------------------------------------------------
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
          r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_ORDINAL_WORD = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
_LABEL = (r"(?:day|phase|stage|round|chapter|page|section|article|resolution|route|highway"
          r"|flight|gate|room|platform|no\.|number|#|vol\.?|volume|version|episode|season"
          r"|level|grade|class|category|zone|sector|building|block|brigade|division|corps"
          r"|battalion|regiment|squadron|channel|figure|paragraph)")
_WEAPON = (r"(?:guns?|cannons?|mortars?|shells?|rifles?|artillery|rounds?|howitzers?"
           r"|ammunition|calib(?:re|er)|machine|anti-aircraft|launchers?|bullets?)")
_SKIP_DIGIT = "|".join([
    # dates: "14 December, 2016", "13-16 December"
    rf"{_DAY}(?:\s*[-–]\s*{_DAY})?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b",
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",
    r"\d+(?:\.\d+){2,}\b",  # versions and IP addresses: "192.168.1.2"
    # clock times: "12:30 GMT", "5am", "2.17pm", "23:13"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?",
    r"\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\b\.?",
    r"\d{1,2}\s*o'clock\b",
    r"\d{4}\s*(?:GMT|UTC|hrs\b)",
    r"(?:1[5-9]|20)\d0'?s\b",  # decades: "the 1990s"
    r"\d+(?:st|nd|rd|th)\b",  # ordinals: "22nd"
    # phone numbers
    r"\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s*\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}\b",
    # calibres: "23 mm machine gun" names a weapon, not a count
    rf"\d+(?:\.\d+)?\s*-?\s*(?:mm|millimet(?:er|re)s?)\s+(?:[a-z-]+\s+){{0,2}}?{_WEAPON}",
    # page chrome: "2 min read", "12 comments"
    r"\d+\s*(?:min(?:ute)?s?\s+read|comments?|shares|retweets|likes|replies)\b",
    # "4 now", "2 u": text-speak for "for"/"to"
    r"[24]\s+(?=(?:now|u|ur|ever)\b)",
])
_SKIP_WORD = "|".join([
    r"https?://\S+|www\.\S+",
    # dates: "Dec 16, 2016", "December 2016"
    rf"{_MONTH}\s+{_DAY}(?:\s*[-–]\s*{_DAY})?(?:,?\s+\d{{4}})?\b(?!,\d{{3}}|\s*(?:%|per|km))",
    rf"{_MONTH}\s+\d{{4}}\b",
    rf"(?:{'|'.join(TENS)})[-\s]?{_ORDINAL_WORD}\b",  # "twenty-first"
    # labels and names: "Day 1", "F-16", "Aleppo24", "COVID-19"
    rf"{_LABEL}\s*\d{{1,3}}(?![\d,.])[A-Za-z]?\b",
    r"[A-Za-z]+-?\d[\w-]*",
])
# Each branch is entered only when its first character can start it: a failed match at an
# anchor is then cheap.
SKIP = (rf"(?=[0-9+(])(?<!\w)(?:{_SKIP_DIGIT})|(?<![A-Za-z])(?=[A-Za-z])(?:{_SKIP_WORD})"
        r"|'\d0s\b")

_CUR = r"(?:US\$|A\$|C\$|\$|£|€|¥|₹|USD\s?|GBP\s?|EUR\s?|INR\s?|Rs\.?\s?)"
_DIG = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\u202f\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_SCALE = (r"(?:\s*(?:hundred|thousand|million|billion|trillion|lakhs?|crores?|dozens?)\b"
          r"|\s?(?:mn|mln|bn|bln|tn|tln)\b|(?:k|m|b|K|M|B)(?![\w²]))")
_SLASH = (r"(?:(?:[1-9]\d{0,2}\s+)?(?:1/[2-9]|1/10|1/100|[23]/[34]|[2-4]/5|[357]/8)"
          r"(?![\d/]))")
# Mixed fractions: "five and a half", "3 million and a quarter", "two and three quarters".
MIXED = (r"\s+and\s+(?:a|one|two|three)\s+(?:half|quarters?|thirds?)\b"
         r"(?:\s+(?:million|billion|trillion)\b)?")
_SIGN = r"(?:(?:minus|negative)\s+)?"
FRACTION_WORDS: dict[str, float] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
}
UNICODE_FRACTIONS: dict[str, float] = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75}
_FRAC = (r"(?:an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+(?:"
         + "|".join(sorted(FRACTION_WORDS, key=len, reverse=True)) + r")\b"
         r"|half(?:\s+an?)?(?=\s+(?:of|the|their|its|his|her|them|all|million|billion|dozen"
         r"|hour|day|week|month|year|mile|kilomet\w+|km)\b)"
         r"(?:\s+(?:million|billion|dozen)\b)?|quarter(?=\s+(?:million|billion)\b)"
         r"\s+(?:million|billion)\b|[½⅓⅔¼¾]")
# Spelled cardinals where "and" may follow only a scale word: "one hundred and six" is one number,
# "ten and fifteen" is two (numwords.NUMBER_WORDS accepts "and" anywhere).
_ATOM = "|".join(sorted([*_UNIT_WORDS, *TENS], key=len, reverse=True))
_TOKEN = rf"(?:(?:{_ATOM})(?:[-\s](?:{_ATOM}))?|{'|'.join(SCALES)})"
_AFTER_SCALE = "|".join(f"(?<={w})" for w in SCALES)
SPELLED = rf"(?:{_TOKEN}(?:[\s-]+{_TOKEN}|(?:{_AFTER_SCALE})\s+and\s+{_TOKEN})*)"
_WORDS = (rf"(?:an?\s+(?=(?:dozen|hundred|thousand|million|billion|trillion)\b))?"
          rf"(?:{SPELLED})(?:{MIXED})?(?:\s+dozens?\b)?|an?\s+dozen\b")
NUMBER = (rf"(?<![\w.,:/]){_SIGN}(?:{_CUR}\s?)?[-−]?(?:{_SLASH}"
          rf"|(?:{_DIG}){_SCALE}?(?:\s*[½¼¾])?(?:{MIXED})?)"
          rf"|{_SIGN}(?=[A-Za-z½⅓⅔¼¾])\b(?:{_FRAC})|{_SIGN}(?=[A-Za-z])\b(?:{_WORDS})\b")
# The space and dash before a unit are matched atomically: a unit starts with a letter, "%" or "°",
# so giving back any of them could never let a unit match, and retrying would walk the long
# alternation of units once per character given back.
_UNIT = r"(?:(?>\s*-?\s*)(?:" + "|".join(p for p, _ in UNITS) + r")(?![A-Za-z]))"
SINGLE = rf"(?:{NUMBER}){_UNIT}?"
# "4,000-5,000", "2 to 3", "three or four"; the first part is matched once, the rest optional.
RANGE = (rf"(?=[bfBF])\b(?:between|from)\s+{SINGLE}\s+(?:and|to|-|–)\s+{SINGLE}"
         rf"|{SINGLE}(?:\s*(?:[-–—~]|-?\s*\bto\b|\bor\b|\bthrough\b)\s*{SINGLE})?")
VAGUE_RE_TEXT = (rf"(?=[A-Za-z1])\b(?:many\s+)?(?:{_alt(VAGUE)})(?!\w)")
SUFFIX = r"\+(?!\d)|\s+or\s+(?:more|so|fewer|less|over)\b|\s+and\s+more\b|-odd\b|-?plus\b"

SCAN_RE = re.compile(
    rf"(?P<skip>{SKIP})"
    rf"|(?P<q>(?P<hedge>(?=[A-Za-z])\b(?:{_alt(HEDGES)})\s+)?"
    rf"(?P<body>{VAGUE_RE_TEXT}|{RANGE})(?P<suffix>{SUFFIX})?)(?!\w|[:/.,]\d)",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)
SIGN_RE = re.compile(r"(?:minus|negative)\s+", re.IGNORECASE)
MIXED_RE = re.compile(MIXED + "$", re.IGNORECASE)
GLUED_M_RE = re.compile(r"\dm\b")
BOUNDS_JOIN_RE = re.compile(r"\s*,?\s*(?:and|but)\s+", re.IGNORECASE)
CURRENCY_RE = re.compile(_CUR, re.IGNORECASE)
SCALE_TAIL_RE = re.compile(_SCALE + r"$", re.IGNORECASE)
HEDGE_BEFORE_AGE_RE = re.compile(
    rf"(?:\b(?P<hedge>{_alt(HEDGES)})\s+)?(?:the\s+)?\b(?:age|aged)\s+(?:of\s+)?$",
    re.IGNORECASE,
)
# A bare 4-digit number in this range is read as a year unless it clearly counts something.
YEAR_MIN, YEAR_MAX = 1800, 2100
YEAR_CUES = frozenset(
    "in since by of until till from the early late mid year during before after summer winter "
    "spring autumn fall through between and to circa c.".split()
)
TIME_AGO_RE = re.compile(r"^\s+ago\b", re.IGNORECASE)

# --- anchors: where a quantity or a skip can touch a number -------------------------------------
# Scanning every position with SCAN_RE costs microseconds per character; instead extract() visits
# only digits, currency signs and number words, and tries SCAN_RE.match there and at the start of
# the few words before them that can open a hedge, a date or a label.
UNITS_WORDS = (*_UNIT_WORDS, *TENS, *SCALES)
DIGIT_ANCHOR_RE = re.compile(r"[0-9$£€¥₹½⅓⅔¼¾]+")
# bytes -> bytes table: ASCII letters lowered, every other byte a space.
LETTERS_ONLY = bytes(
    (c | 0x20) if chr(c).isascii() and chr(c).isalpha() else 0x20 for c in range(256)
)
ANCHOR_WORDS = frozenset(sorted(
    {*UNITS_WORDS, "dozen", "dozens", "half", "minus", "negative", "hundreds", "thousands", "millions", "billions", "tens",
     "scores", "couple", "handful", "quarter", "quarters", "third", "thirds", "fifth",
     "fifths", "eighth", "eighths", "tenths", "sixths", "fourths", "halves"}
))
START_WORDS = frozenset(
    {phrase.split()[0] for phrase in HEDGES}
    | {"between", "from", "a", "an", "many", "several", "us", "usd", "gbp", "eur", "day",
       "minus", "negative", "rs", "rs.", "inr",
       "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
       "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october",
       "nov", "november", "dec", "december"}
    | {w.rstrip(".\\?") for w in re.findall(r"[a-z#.\\?]+", _LABEL)}
) - {"", "s", "in"}
