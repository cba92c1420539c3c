"""Resolved values behind :mod:`newslens.timex`: the context a rule is resolved in, the
resolved expression, and the small calendar helpers that build TIMEX3 values and intervals.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from newslens._timex_patterns import (CLAUSE_BREAK_RE, FUTURE_CUE_RE, ORDINAL_WORDS,
                                      PARTS_OF_DAY, UNITS, VAGUE_NUMBERS, ZONES)
from newslens.numwords import words_to_number

class Ctx(NamedTuple):
    text: str
    ref: datetime  # the anchor instant on the writer's clock (their calendar for "today")
    tz: tzinfo  # the event zone: bare clock times and every interval
    anchor: str
    dayfirst: bool


class Res(NamedTuple):
    start: int
    end: int
    kind: str
    timex3: str
    lo: datetime | None
    hi: datetime | None
    gran: str
    rel: bool
    conf: float
    mod: str | None = None
    day: date | None = None  # set when a clock time may be glued onto this day
    clock: tuple[int, int, tzinfo | None] | None = None  # (hour, minute, zone or None=local)
    dmin: str | None = None
    dmax: str | None = None


MODS = {"early": "START", "earlier": None, "late": "END", "later": None, "mid": "MID",
         "the end of": "END", "end of": "END", "the beginning of": "START",
         "beginning of": "START", "the start of": "START", "the middle of": "MID",
         "start of": "START", "middle of": "MID", "end": "END", "beginning": "START",
         "start": "START", "middle": "MID"}
GRAN = {"sec": "second", "min": "minute", "hr": "hour", "yr": "year", "night": "day",
         "fortnight": "week"}
MONTHS_PER = {"month": 1, "year": 12, "yr": 12, "decade": 120, "century": 1200}
SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
                "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}
NOT_YEAR_NEXT = re.compile(r"\s+([a-z]+)")
S_WORDS = frozenset({"was", "has", "is", "as", "this", "its", "his", "thus", "across",
                      "towards", "afterwards", "perhaps", "unless", "whereas", "plus", "was"})
NOUNISH = frozenset({"people", "men", "women", "children", "police", "staff", "personnel",
                      "more", "other", "fighters", "dead", "killed", "injured", "wounded"})
_CLAUSE_BREAKS = ".!?;\n"  # the characters of CLAUSE_BREAK_RE
FOR_NOW = re.compile(r"(?:\bfor|(?<!\w)4)\s+$", re.IGNORECASE)


def norm(word: str | None) -> str:
    return " ".join((word or "").lower().split())


def at(d: date, tz: tzinfo, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(hours=hour, minutes=minute)


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    t = year * 12 + month - 1 + k
    return t // 12, t % 12 + 1


def res(s: int, e: int, kind: str, timex3: str, lo: date, hi: date, gran: str, ctx: Ctx,
         *, rel: bool, conf: float, mod: str | None = None, day: date | None = None) -> Res:
    return Res(s, e, kind, timex3, at(lo, ctx.tz), at(hi, ctx.tz), gran, rel, conf, mod,
               day=day)


def day_res(s: int, e: int, d: date, ctx: Ctx, **kw: Any) -> Res:
    return res(s, e, "date", d.isoformat(), d, d + timedelta(1), "day", ctx, day=d, **kw)


def month_res(s: int, e: int, y: int, mo: int, ctx: Ctx, **kw: Any) -> Res:
    ny, nm = add_months(y, mo, 1)
    return res(s, e, "date", f"{y:04d}-{mo:02d}", date(y, mo, 1), date(ny, nm, 1), "month",
                ctx, **kw)


def year_res(s: int, e: int, y: int, ctx: Ctx, **kw: Any) -> Res:
    return res(s, e, "date", f"{y:04d}", date(y, 1, 1), date(y + 1, 1, 1), "year", ctx, **kw)


def week_res(s: int, e: int, d: date, ctx: Ctx, *, weekend: bool = False, **kw: Any) -> Res:
    iso_year, week, _ = d.isocalendar()
    monday = d - timedelta(d.weekday())
    if weekend:
        return res(s, e, "date", f"{iso_year}-W{week:02d}-WE", monday + timedelta(5),
                    monday + timedelta(7), "weekend", ctx, **kw)
    return res(s, e, "date", f"{iso_year}-W{week:02d}", monday, monday + timedelta(7), "week",
                ctx, **kw)


def pod_res(s: int, e: int, d: date, word: str, ctx: Ctx, **kw: Any) -> Res:
    code, h0, h1 = PARTS_OF_DAY[word.lower()]
    return Res(s, e, "part_of_day", f"{d.isoformat()}T{code}", at(d, ctx.tz, h0),
               at(d, ctx.tz, h1), "part_of_day", day=d, **kw)


def time_res(s: int, e: int, d: date, clock: tuple[int, int, tzinfo | None], ctx: Ctx,
             **kw: Any) -> Res:
    hour, minute, zone = clock
    lo = at(d, zone or ctx.tz, hour, minute)
    return Res(s, e, "time", f"{d.isoformat()}T{hour:02d}:{minute:02d}", lo,
               lo + timedelta(minutes=1), "minute", clock=clock, **kw)


def number(raw: str | None) -> float | None:
    """Numeric value of a count word; None for vague counts ("a few", "several")."""
    word = norm(raw)
    if word in ("a", "an", "one"):
        return 1.0
    if word.startswith("half"):
        return 0.5
    if word in VAGUE_NUMBERS or not word:
        return None
    try:
        return float(word)
    except ValueError:
        value = words_to_number(word)
        return None if value is None else float(value)


def unit_key(word: str) -> str:
    w = word.lower()
    return "century" if w.startswith("centur") else w.rstrip("s")


def dur(n: float | None, unit: str) -> str:
    letter, is_time, _ = UNITS[unit]
    if unit == "fortnight" and n is not None:
        n *= 2
    qty = "X" if n is None else f"{n:g}"
    if n is not None and n < 1 and letter in ("H", "D") and (n * (60 if is_time else 24)) % 1 == 0:
        # "half an hour" is PT30M in TimeML, not PT0.5H
        return f"PT{n * 60:g}M" if is_time else f"PT{n * 24:g}H"
    return f"P{'T' if is_time else ''}{qty}{letter}"


def shift(ref: datetime, n: float, unit: str) -> datetime:
    if unit in MONTHS_PER:
        y, mo = add_months(ref.year, ref.month, round(n * MONTHS_PER[unit]))
        return ref.replace(year=y, month=mo, day=min(ref.day, 28))
    return ref + UNITS[unit][2] * n


# The only characters whose case crosses into ASCII letters (found by testing every code
# point): without them, a case-insensitive pattern of lower-case ASCII words matches a text
# exactly where its case-sensitive twin matches the lower-cased text, several times faster.
CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")
_FUTURE_CUE_LOWER = re.compile(FUTURE_CUE_RE.pattern)
# A word of every future cue ("to" stands for "going to", "due to", "to be held" and the like).
_FUTURE_WORDS = ("to", "will", "won't", "shall", "scheduled", "planned", "upcoming", "'ll")


def future_cue(text: str) -> bool:
    """Whether ``FUTURE_CUE_RE`` finds a cue in ``text``."""
    if not text.isascii() and any(c in text for c in CASE_ODD):
        return FUTURE_CUE_RE.search(text) is not None
    lower = text.lower()
    return any(w in lower for w in _FUTURE_WORDS) and _FUTURE_CUE_LOWER.search(lower) is not None


def future(ctx: Ctx, start: int, end: int) -> bool:
    """A future cue earlier in the clause ("will resume on Monday")."""
    left = ctx.text[max(0, start - 120):start]
    left = left[max(map(left.rfind, _CLAUSE_BREAKS)) + 1:]  # the clause the expression is in
    if future_cue(left):
        return True
    if norm(left) in ("", "on", "by"):
        right = CLAUSE_BREAK_RE.split(ctx.text[end:end + 80], maxsplit=1)[0]
        return future_cue(right)
    return False


def year_for(mo: int, d: int, ctx: Ctx, s: int, e: int) -> int:
    ref_d = ctx.ref.date()
    y = ref_d.year
    if future(ctx, s, e):
        return y if date(y, mo, d) >= ref_d else y + 1
    return y if date(y, mo, min(d, 28 if mo == 2 else d)) <= ref_d else y - 1


def month_year_for(mo: int, direction: str, ctx: Ctx, s: int, e: int) -> int:
    y, rm = ctx.ref.year, ctx.ref.month
    if direction == "last":
        return y if mo < rm else y - 1
    if direction == "next":
        return y if mo > rm else y + 1
    if direction == "this":
        return y
    if future(ctx, s, e):
        return y if mo >= rm else y + 1
    return y if mo <= rm else y - 1


def weekday_date(wd: int, direction: str, ref_d: date, future: bool) -> date:
    back = (ref_d.weekday() - wd) % 7
    ahead = (wd - ref_d.weekday()) % 7
    if direction in ("last", "previous", "past", "this past"):
        return ref_d - timedelta(back or 7)
    if direction in ("next", "following", "coming", "this coming"):
        return ref_d + timedelta(ahead or 7)
    if direction == "this":
        return ref_d - timedelta(ref_d.weekday() - wd)
    return ref_d + timedelta(ahead) if future else ref_d - timedelta(back)


def day_number(word: str) -> int:
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    parts = re.split(r"[\s-]+", word.lower())
    tens = {"twenty": 20, "thirty": 30}
    return sum(tens.get(p, 0) or ORDINAL_WORDS[p] for p in parts)


def zone_of(word: str | None, offset: str | None) -> tuple[tzinfo | None, bool]:
    """(zone, stated): zone None means the local zone."""
    if word is None:
        return None, False
    zone = ZONES[norm(word)]
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    if offset and zone is timezone.utc:
        sign = -1 if offset.strip().startswith("-") else 1
        digits = re.sub(r"\D", "", offset)
        hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return zone, True  # type: ignore[return-value]

