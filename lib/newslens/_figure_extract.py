"""Extraction engine behind :mod:`newslens.figures`: the anchor-based scan and its row builder.

What counts as a figure is documented in :mod:`newslens.figures`; the patterns and word tables
are in :mod:`newslens._figure_patterns`.
"""


from __future__ import annotations

import pandas as pd

from newslens import _figure_patterns as fp
from newslens._figure_context import _entity, _event, _head_noun
from newslens.numwords import words_to_number

COLUMNS = ["start", "end", "surface", "value_low", "value_high", "approx", "unit", "entity",
           "event"]
_DTYPES = {"start": "int64", "end": "int64", "surface": "str", "value_low": "float64",
           "value_high": "float64", "approx": "str", "unit": "str", "entity": "str",
           "event": "str"}
_AGE_HINT = "age"


def extract(text: str) -> pd.DataFrame:
    """Every quantity stated in ``text``, one row each, sorted by ``start``.

    >>> extract("Around 60,000 Syrians are trapped.").loc[0, ["approx", "event"]].tolist()
    ['approximate', 'trapped']
    """
    rows = extract_rows(text)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _DTYPES.items()})
    return pd.DataFrame(rows, columns=COLUMNS)


def extract_rows(text: str) -> list[tuple]:
    """The rows of :func:`extract` as plain tuples in ``COLUMNS`` order, without a DataFrame.

    A corpus-level caller collects these for many articles and builds one frame at the end.

    >>> extract_rows("Around 60,000 Syrians are trapped.")
    [(0, 13, 'Around 60,000', 60000.0, 60000.0, 'approximate', 'count', 'syrians', 'trapped')]
    """
    rows = []
    consumed = 0
    for anchor in _anchors(text):
        if anchor < consumed:
            continue
        if _glued_to_word(text, anchor):
            consumed = _token_end(text, anchor)
            continue
        m = _match_at(text, anchor)
        if m is None:
            continue
        consumed = m.end()
        row = _row(text, m) if m.group("q") is not None else None
        if row is not None:
            rows.append(row)
    return _join_bounds(text, rows)


_LOWER_BOUNDS = frozenset({"more_than", "at_least"})
_UPPER_BOUNDS = frozenset({"less_than", "up_to"})


def _join_bounds(text: str, rows: list[tuple]) -> list[tuple]:
    """"more than 20 and less than 35" is one range, not two hedged numbers.

    Two neighbouring rows join when one is a lower and the other an upper bound, only "and" or
    "but" separates them, the units agree and the bounds leave room between them.
    """
    out: list[tuple] = []
    for row in rows:
        prev = out[-1] if out else None
        if prev is not None and _bounds_pair(text, prev, row):
            low, high = min(prev[3], row[3]), max(prev[4], row[4])
            out[-1] = (prev[0], row[1], text[prev[0]:row[1]], low, high, "range", row[6],
                       row[7] or prev[7], row[8] or prev[8])
        else:
            out.append(row)
    return out


def _bounds_pair(text: str, first: tuple, second: tuple) -> bool:
    kinds = {first[5], second[5]}
    if not (kinds & _LOWER_BOUNDS and kinds & _UPPER_BOUNDS) or first[6] != second[6]:
        return False
    low, high = (first, second) if first[5] in _LOWER_BOUNDS else (second, first)
    return low[3] < high[3] and fp.BOUNDS_JOIN_RE.fullmatch(text, first[1], second[0]) is not None


def _anchors(text: str) -> list[int]:
    """Sorted positions of digits, currency signs and number words in ``text``."""
    digits = [m.start() for m in fp.DIGIT_ANCHOR_RE.finditer(text)]  # in order, each once
    # Which number words occur at all is decided on an ASCII letters-only copy (C-speed
    # translate and split); only those few words are then located in the text.
    letters = text.encode("utf-8", "ignore").translate(fp.LETTERS_ONLY).decode("ascii")
    present = fp.ANCHOR_WORDS.intersection(letters.split())
    if not present:
        return digits
    found = set(digits)
    low = text.lower()
    if len(low) != len(text):  # a few non-ASCII letters change length when lowered
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    for word in present:
        at = low.find(word)
        while at >= 0:
            stop = at + len(word)
            if not (at and low[at - 1].isalpha() or low[stop:stop + 1].isalpha()):
                found.add(at)
            at = low.find(word, stop)
    return sorted(found)


def _match_at(text: str, anchor: int):
    """The skip or quantity match that covers ``anchor``, trying earlier word starts first."""
    for start in _candidate_starts(text, anchor):
        m = fp.SCAN_RE.match(text, start)
        if m is not None and m.end() > anchor and _month_case_ok(text, m):
            return m
    return None


def _candidate_starts(text: str, anchor: int) -> list[int]:
    """``anchor``, the start of the token it sits in, and earlier words that open a phrase."""
    lo = max(0, anchor - 48)
    window = text[lo:anchor]
    words = window.split()
    starts = [anchor]
    pos = len(window)
    if words and not window[-1:].isspace():
        pos = window.rfind(words.pop())
        starts.append(lo + pos)
    for word in reversed(words[-4:]):
        pos = window.rfind(word, 0, pos)
        bare = word.lstrip(_OPENERS)
        if bare.lower().rstrip(",") in fp.START_WORDS:
            starts.append(lo + pos + len(word) - len(bare))
    return starts[::-1]


_OPENERS = "\"“‘'([*_"


def _glued_to_word(text: str, anchor: int) -> bool:
    """A digit right after a letter ("Aleppo24", "Er-Rashidin-4") is part of a name."""
    if not text[anchor].isdigit() or anchor == 0:
        return False
    before = text[anchor - 1]
    return before.isalpha() or (before == "-" and anchor > 1 and text[anchor - 2].isalpha())


def _token_end(text: str, anchor: int) -> int:
    end = anchor
    while end < len(text) and (text[end].isalnum() or text[end] in "-_"):
        end += 1
    return end


def _month_case_ok(text: str, m) -> bool:
    """"May 5" is a date, "may 5" is not: the only case-sensitive rule of the scan."""
    return m.group("skip") is None or text[m.start():m.start() + 3] not in ("may", "mar")


def _row(text: str, m) -> tuple | None:
    body = m.group("body")
    parsed = parse_quantity(body, following=text[m.end("body"):m.end("body") + 30])
    if parsed is None:
        return None
    low, high, kind, unit = parsed
    start, end = m.start("q"), m.end("q")
    before, after = text[max(0, start - 40):start], text[end:end + 80]
    noun = _head_noun(after)
    if kind == "single" and _not_a_figure(body, low, unit, m.group("hedge"), before, after,
                                          noun=noun[0]):
        return None
    if kind == "range" and unit == "count" and _is_year_span(low, high, body):
        return None
    if unit == "m":  # the value read "m" as million: right before a count noun ("10m people")
        if noun[0]:
            unit = "count"
        elif fp.GLUED_M_RE.search(body):
            low, high = low / 1e6, high / 1e6  # "a 100m dash": metres
    approx = _approx(kind, m.group("hedge"), m.group("suffix"))
    age = fp.HEDGE_BEFORE_AGE_RE.search(before) if _AGE_HINT in before.lower() else None
    if age and kind == "single" and unit == "count":
        start -= len(before) - age.start()
        unit, approx = "years", fp.HEDGES.get(_norm(age.group("hedge") or ""), approx)
    entity, entity_end = _entity(text, end, unit, age is not None, noun=noun)
    event = "" if unit in fp.MEASURE_UNITS else _event(text, start, entity_end, entity)
    return (start, end, text[start:end], float(low), float(high), approx, unit, entity, event)


def parse_quantity(body: str, *, following: str = "") -> tuple[float, float, str, str] | None:
    """(value_low, value_high, kind, unit) of a matched quantity; kind is single/range/vague.

    >>> parse_quantity("4,000 to 5,000")
    (4000.0, 5000.0, 'range', 'count')
    >>> parse_quantity("$2bn")
    (2000000000.0, 2000000000.0, 'single', 'usd')
    """
    plain = fp.PLAIN_NUMBER_RE.match(body)
    if plain is not None:  # the common case, "4,500" or "21km": no need for the full pattern
        unit = _unit_of(body[plain.end():])
        if unit is not None:
            value = float(plain.group(0).replace(",", ""))
            return value, value, "single", unit
    key = _norm(body.lower())
    vague = fp.VAGUE.get(key[5:] if key.startswith("many ") else key)
    if vague is not None:
        return float(vague[0]), float(vague[1]), "vague", "count"
    # "half" is a number only before "of"/"the"...: the look-ahead needs the following text.
    source = body + following
    numbers = []
    at = 0
    while len(numbers) < 2 and at < len(body):  # a number found at or after the body's end is not in it
        n = fp.NUMBER_RE.search(source, at)
        if n is None or n.end() > len(body):
            break
        numbers.append(n)
        at = n.end()
    values = [_number_value(n.group(0)) for n in numbers]
    if not values or None in values:
        return None
    unit = _unit(body, numbers)
    low, high = min(values[0], values[-1]), max(values[0], values[-1])
    return low, high, ("range" if len(values) > 1 else "single"), unit


def _number_value(token: str) -> float | None:
    """Numeric value of one number token: digits with scale, spelled words or a fraction."""
    sign = fp.SIGN_RE.match(token)
    if sign:
        value = _number_value(token[sign.end():])
        return None if value is None else -value
    mixed = fp.MIXED_RE.search(token)
    if mixed:
        return _mixed_value(token[:mixed.start()], mixed.group(0))
    currency = fp.CURRENCY_RE.match(token)
    token = (token[currency.end():] if currency else token).strip().replace("−", "-")
    lowered = _norm(token.lower())
    if lowered and lowered[-1] in fp.UNICODE_FRACTIONS:
        head = lowered[:-1].strip()
        whole = _digits_value(head) if head else 0.0
        return None if whole is None else whole + fp.UNICODE_FRACTIONS[lowered[-1]]
    if "/" in lowered:
        return _slash_value(lowered)
    if lowered[:1].isdigit() or lowered[:1] in "-.":
        return _digits_value(token)
    return _words_value(lowered)


def _slash_value(token: str) -> float | None:
    """"1/4" -> 0.25, "2 1/2" -> 2.5 (the pattern admits only common proper fractions)."""
    whole, _, fraction = token.rpartition(" ")
    numerator, _, denominator = fraction.partition("/")
    try:
        return float(whole or 0) + int(numerator) / int(denominator)
    except ValueError:
        return None


def _mixed_value(head: str, tail: str) -> float | None:
    """"five and a half" -> 5.5; "five and a half million" -> 5.5e6; "3 million and a half"
    -> 3.5e6 (a fraction after a million or more is a fraction of that scale)."""
    words = tail.lower().split()[1:]  # without "and"
    scale = fp.SCALE_WORDS.get(words[-1], 1.0) if words[-1] in fp.SCALE_WORDS else 1.0
    words = words[:-1] if scale != 1.0 else words
    count = 1 if words[0] in ("a", "one") else words_to_number(words[0])
    fraction = count / fp.FRACTION_WORDS[words[1]]
    whole = _number_value(head.strip())
    if whole is None:
        return None
    if scale != 1.0:
        return (whole + fraction) * scale
    head_scale = fp.SCALE_TAIL_RE.search(head.strip())
    unit = fp.SCALE_WORDS.get(_norm(head_scale.group(0).lower()), 1.0) if head_scale else 1.0
    return whole + fraction * (unit if unit >= 1e6 else 1.0)


def _digits_value(token: str) -> float | None:
    scale = fp.SCALE_TAIL_RE.search(token)
    number = token[:scale.start()] if scale else token
    try:
        value = float(number.replace(",", "").replace("\u202f", "").strip())
    except ValueError:
        return None
    return value * fp.SCALE_WORDS[_norm(scale.group(0).lower())] if scale else value


def _words_value(words: str) -> float | None:
    words = words.replace("-", " ")
    parts = words.split()
    if parts and parts[0] in ("a", "an"):
        parts[0] = "one"
    if parts and parts[-1] in fp.FRACTION_WORDS and len(parts) == 2:
        count = 1 if parts[0] == "half" else words_to_number(parts[0])
        return None if count is None else count / fp.FRACTION_WORDS[parts[-1]]
    multiplier = 1.0
    if parts[:1] == ["half"]:
        parts = [p for p in parts[1:] if p not in ("a", "an")] or ["one"]
        multiplier = 0.5
    extra = 0.0
    if parts[-3:] == ["and", "a", "half"]:
        parts, extra = parts[:-3], 0.5
    if parts and parts[-1] in ("dozen", "dozens"):
        parts, multiplier = parts[:-1] or ["one"], multiplier * 12
    value = words_to_number(" ".join(parts))
    return None if value is None else (value + extra) * multiplier



def _unit(body: str, numbers) -> str:
    first = numbers[0].group(0)
    sign = fp.SIGN_RE.match(first)
    currency = fp.CURRENCY_RE.match(first[sign.end():] if sign else first)
    if currency:
        return fp.CURRENCY_SYMBOLS.get(_norm(currency.group(0).lower()), "usd")
    tail = body[numbers[-1].end():].strip(" -\u00a0\t\n")
    if not tail:
        last = numbers[-1].group(0)
        if last[-1:] == "m" and last[-2:-1].isdigit():
            return "m"  # lower-case "m" glued to digits is metres unless a count noun follows
        value = _number_value(last)
        spelled = not last[:1].isdigit() or "/" in last
        return "fraction" if spelled and value is not None and 0 < value < 1 else "count"
    return _unit_of(tail) or "count"


def _unit_of(tail: str) -> str | None:
    """Unit named by the text after a number ("" -> "count"), or None when it is not a unit."""
    tail = tail.strip(" -\u00a0\t\n")
    if not tail:
        return "count"
    known = fp.UNIT_WORDS.get(tail.lower())
    if known is not None:
        return known
    return next((u for rx, u in fp.UNIT_MATCHERS if rx.fullmatch(tail)), None)


def _not_a_figure(body: str, value: float, unit: str, hedge: str | None, before: str,
                  after: str, *, noun: str) -> bool:
    """Context rules that drop a single number: years, names, relative times, a bare "one"."""
    if fp.TIME_AGO_RE.match(after):
        return True
    bare = unit == "count" and not hedge and body.strip().replace(".", "").isdigit()
    words = before.split()
    last = words[-1] if words and before[-1:].isspace() else ""
    if bare and len(body.strip()) == 4 and fp.YEAR_MIN <= value <= fp.YEAR_MAX:
        if last.lower() in fp.YEAR_CUES or not noun:
            return True
    if bare and not noun and last.isalpha() and last[0].isupper():
        if last.lower() not in _FUNCTION_WORDS:
            return True  # "Aleppo 24 said", "Voyager 2": a name, not a count
    if body.strip().lower() == "one" and not hedge and unit == "count":
        return _head_noun(after, strict=True)[0] == "" or after.lstrip().lower().startswith("of")
    return False


_FUNCTION_WORDS = frozenset(
    "the a an and of in on at to for by with from over about around some nearly almost only "
    "just all another total sum including least most than up as between if when while but "
    "reportedly roughly approximately estimated further".split()
)


def _is_year_span(low: float, high: float, body: str) -> bool:
    """"2016-17" and "1995-01" are spans of years, not ranges of counts."""
    first = fp.NUMBER_RE.search(body).group(0)
    return (len(first) == 4 and first.isdigit() and fp.YEAR_MIN <= int(first) <= fp.YEAR_MAX
            and (high < low or high - low <= 10 or int(first) == high))


def _approx(kind: str, hedge: str | None, suffix: str | None) -> str:
    if kind in ("vague", "range"):
        return kind
    if suffix:
        return fp.SUFFIX_HEDGES.get(_norm(suffix.lower().strip(" -")), "exact")
    if hedge:
        return fp.HEDGES.get(_norm(hedge.lower()), "exact")
    return "exact"


def _norm(phrase: str) -> str:
    return " ".join(phrase.split())
