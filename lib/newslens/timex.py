"""Temporal expressions in news text, resolved to TIMEX3 values and UTC intervals.

``extract(text, published)`` finds dates, clock times, parts of day, durations, sets and
deictic references ("yesterday", "this week", "now") with compiled rules, then resolves each
against the reference instant ``published``. ``from_corpus(corpus)`` runs it per sentence,
anchoring live-blog entries on their own timestamps.

Resolution rules (the conventions a reader of the output needs):

- Zones: an expression is read in the zone the text names ("12:30 GMT", "5am local time");
  otherwise in ``local_tz`` (default ``Asia/Damascus``, the zone of the shipped case study).
  "Today" is the anchor's calendar day in ``local_tz``. TIMEX3 values are wall-clock values
  in the expression's zone; ``value_start_utc``/``value_end_utc`` are the half-open interval
  in UTC. Bare clock times ("at 5am") are read in ``local_tz`` on the anchor's day.
- Weekdays, year-less dates ("December 15") and bare months ("in March") lean to the past,
  as news reports do: the most recent occurrence on or before the anchor ("on Thursday" in a
  Friday article is the day before; "on Friday" is that day). A future cue earlier in the
  same clause ("will", "expected to", "scheduled") or "next"/"coming" picks the first
  occurrence on or after it. "last Monday" is the latest Monday strictly before the anchor,
  "next Monday" the first one strictly after, "this Monday" the one in the anchor's ISO week.
- ``anchor`` is ``"absolute"`` for fully specified expressions, ``"none"`` for free-floating
  durations and sets, otherwise the ISO string of the reference instant used.
- Ranged durations ("2-3 days") get ``timex3`` ``PXD`` with the bounds in ``duration_min``
  and ``duration_max``. Extra columns after the contract: ``mod`` (TimeML APPROX, START,
  MID, END), ``duration_min``, ``duration_max``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pandas as pd

from newslens import _timex_patterns as P
from newslens.numwords import words_to_number

COLUMNS = ["start", "end", "surface", "kind", "timex3", "value_start_utc", "value_end_utc",
           "granularity", "anchor", "confidence", "mod", "duration_min", "duration_max"]
CORPUS_COLUMNS = ["timex_id", "article_id", "sentence_id", *COLUMNS]
# A leading signal word belongs to the sentence, not to the TIMEX3 extent ("in 2016").
_LEAD_RE = re.compile(r"(?:in|on|at|over|during|for|within|throughout|since|until|till|by|"
                      r"from|through|before|after|of|to|between|and|or)\s+",
                      re.IGNORECASE)


class Ctx(NamedTuple):
    text: str
    ref: datetime  # the anchor instant, in the local zone
    tz: tzinfo
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


_MODS = {"early": "START", "earlier": None, "late": "END", "later": None, "mid": "MID",
         "the end of": "END", "end of": "END", "the beginning of": "START",
         "beginning of": "START", "the start of": "START", "the middle of": "MID"}
_GRAN = {"sec": "second", "min": "minute", "hr": "hour", "yr": "year", "night": "day",
         "fortnight": "week"}
_MONTHS_PER = {"month": 1, "year": 12, "yr": 12, "decade": 120, "century": 1200}
_SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
                "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}
_NOT_YEAR_NEXT = re.compile(r"\s+([a-z]+)")
_S_WORDS = frozenset({"was", "has", "is", "as", "this", "its", "his", "thus", "across",
                      "towards", "afterwards", "perhaps", "unless", "whereas", "plus", "was"})
_NOUNISH = frozenset({"people", "men", "women", "children", "police", "staff", "personnel",
                      "more", "other", "fighters", "dead", "killed", "injured", "wounded"})
_FOR_NOW = re.compile(r"(?:\bfor|(?<!\w)4)\s+$", re.IGNORECASE)


def _norm(word: str | None) -> str:
    return " ".join((word or "").lower().split())


def _at(d: date, tz: tzinfo, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(hours=hour, minutes=minute)


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    t = year * 12 + month - 1 + k
    return t // 12, t % 12 + 1


def _res(s: int, e: int, kind: str, timex3: str, lo: date, hi: date, gran: str, ctx: Ctx,
         *, rel: bool, conf: float, mod: str | None = None, day: date | None = None) -> Res:
    return Res(s, e, kind, timex3, _at(lo, ctx.tz), _at(hi, ctx.tz), gran, rel, conf, mod,
               day=day)


def day_res(s: int, e: int, d: date, ctx: Ctx, **kw: Any) -> Res:
    return _res(s, e, "date", d.isoformat(), d, d + timedelta(1), "day", ctx, day=d, **kw)


def month_res(s: int, e: int, y: int, mo: int, ctx: Ctx, **kw: Any) -> Res:
    ny, nm = _add_months(y, mo, 1)
    return _res(s, e, "date", f"{y:04d}-{mo:02d}", date(y, mo, 1), date(ny, nm, 1), "month",
                ctx, **kw)


def year_res(s: int, e: int, y: int, ctx: Ctx, **kw: Any) -> Res:
    return _res(s, e, "date", f"{y:04d}", date(y, 1, 1), date(y + 1, 1, 1), "year", ctx, **kw)


def week_res(s: int, e: int, d: date, ctx: Ctx, *, weekend: bool = False, **kw: Any) -> Res:
    iso_year, week, _ = d.isocalendar()
    monday = d - timedelta(d.weekday())
    if weekend:
        return _res(s, e, "date", f"{iso_year}-W{week:02d}-WE", monday + timedelta(5),
                    monday + timedelta(7), "weekend", ctx, **kw)
    return _res(s, e, "date", f"{iso_year}-W{week:02d}", monday, monday + timedelta(7), "week",
                ctx, **kw)


def pod_res(s: int, e: int, d: date, word: str, ctx: Ctx, **kw: Any) -> Res:
    code, h0, h1 = P.PARTS_OF_DAY[word.lower()]
    return Res(s, e, "part_of_day", f"{d.isoformat()}T{code}", _at(d, ctx.tz, h0),
               _at(d, ctx.tz, h1), "part_of_day", day=d, **kw)


def time_res(s: int, e: int, d: date, clock: tuple[int, int, tzinfo | None], ctx: Ctx,
             **kw: Any) -> Res:
    hour, minute, zone = clock
    lo = _at(d, zone or ctx.tz, hour, minute)
    return Res(s, e, "time", f"{d.isoformat()}T{hour:02d}:{minute:02d}", lo,
               lo + timedelta(minutes=1), "minute", clock=clock, **kw)


def _number(raw: str | None) -> float | None:
    """Numeric value of a count word; None for vague counts ("a few", "several")."""
    word = _norm(raw)
    if word in ("a", "an", "one"):
        return 1.0
    if word.startswith("half"):
        return 0.5
    if word in P.VAGUE_NUMBERS or not word:
        return None
    try:
        return float(word)
    except ValueError:
        value = words_to_number(word)
        return None if value is None else float(value)


def _unit_key(word: str) -> str:
    w = word.lower()
    return "century" if w.startswith("centur") else w.rstrip("s")


def _dur(n: float | None, unit: str) -> str:
    letter, is_time, _ = P.UNITS[unit]
    if unit == "fortnight" and n is not None:
        n *= 2
    qty = "X" if n is None else f"{n:g}"
    if n is not None and n < 1 and letter in ("H", "D") and (n * (60 if is_time else 24)) % 1 == 0:
        # "half an hour" is PT30M in TimeML, not PT0.5H
        return f"PT{n * 60:g}M" if is_time else f"PT{n * 24:g}H"
    return f"P{'T' if is_time else ''}{qty}{letter}"


def _shift(ref: datetime, n: float, unit: str) -> datetime:
    if unit in _MONTHS_PER:
        y, mo = _add_months(ref.year, ref.month, round(n * _MONTHS_PER[unit]))
        return ref.replace(year=y, month=mo, day=min(ref.day, 28))
    return ref + P.UNITS[unit][2] * n


def _future(ctx: Ctx, start: int, end: int) -> bool:
    """A future cue earlier in the clause ("will resume on Monday")."""
    left = ctx.text[max(0, start - 120):start]
    breaks = [m.end() for m in P.CLAUSE_BREAK_RE.finditer(left)]
    left = left[breaks[-1]:] if breaks else left
    if P.FUTURE_CUE_RE.search(left):
        return True
    if _norm(left) in ("", "on", "by"):
        right = P.CLAUSE_BREAK_RE.split(ctx.text[end:end + 80], maxsplit=1)[0]
        return bool(P.FUTURE_CUE_RE.search(right))
    return False


def _year_for(mo: int, d: int, ctx: Ctx, s: int, e: int) -> int:
    ref_d = ctx.ref.date()
    y = ref_d.year
    if _future(ctx, s, e):
        return y if date(y, mo, d) >= ref_d else y + 1
    return y if date(y, mo, min(d, 28 if mo == 2 else d)) <= ref_d else y - 1


def _month_year_for(mo: int, direction: str, ctx: Ctx, s: int, e: int) -> int:
    y, rm = ctx.ref.year, ctx.ref.month
    if direction == "last":
        return y if mo < rm else y - 1
    if direction == "next":
        return y if mo > rm else y + 1
    if direction == "this":
        return y
    if _future(ctx, s, e):
        return y if mo >= rm else y + 1
    return y if mo <= rm else y - 1


def _weekday_date(wd: int, direction: str, ref_d: date, future: bool) -> date:
    back = (ref_d.weekday() - wd) % 7
    ahead = (wd - ref_d.weekday()) % 7
    if direction in ("last", "previous", "past", "this past"):
        return ref_d - timedelta(back or 7)
    if direction in ("next", "following", "coming", "this coming"):
        return ref_d + timedelta(ahead or 7)
    if direction == "this":
        return ref_d - timedelta(ref_d.weekday() - wd)
    return ref_d + timedelta(ahead) if future else ref_d - timedelta(back)


def _day_number(word: str) -> int:
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    parts = re.split(r"[\s-]+", word.lower())
    tens = {"twenty": 20, "thirty": 30}
    return sum(tens.get(p, 0) or P.ORDINAL_WORDS[p] for p in parts)


def _zone_of(word: str | None, offset: str | None) -> tuple[tzinfo | None, bool]:
    """(zone, stated): zone None means the local zone."""
    if word is None:
        return None, False
    zone = P.ZONES[_norm(word)]
    if isinstance(zone, str):
        zone = ZoneInfo(zone)
    if offset and zone is timezone.utc:
        sign = -1 if offset.strip().startswith("-") else 1
        digits = re.sub(r"\D", "", offset)
        hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return zone, True  # type: ignore[return-value]


def _h_date(m: re.Match[str], ctx: Ctx) -> Res | None:
    g = m.groupdict()
    s, e = m.start(), m.end()
    if g["iy"]:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["na"]:
        a, b, ny = int(g["na"]), int(g["nb"]), g["ny"]
        if g["sep"] == "." and len(ny) == 2:
            return None
        y = int(ny) + (0 if len(ny) == 4 else 2000 if int(ny) < 50 else 1900)
        if ctx.dayfirst:
            d, mo = (a, b) if b <= 12 else (b, a)
        else:
            mo, d = (a, b) if a <= 12 else (b, a)
    else:
        word, dword, yword = (g["m1"], g["d1"], g["y1"]) if g["m1"] else (g["m2"], g["d2"], g["y2"])
        month = word.rstrip(".").lower()
        if not yword and word.islower() and month in ("may", "march", "mar"):
            return None
        mo, d = P.MONTHS[month], _day_number(dword)
        if not yword:
            y = _year_for(mo, d, ctx, s, e)
            return day_res(s, e, date(y, mo, d), ctx, rel=True, conf=0.8)
        y = int(yword)
    return day_res(s, e, date(y, mo, d), ctx, rel=False, conf=0.95)


def _h_month_year(m: re.Match[str], ctx: Ctx) -> Res | None:
    word, y = (m["m"], m["y"]) if m["m"] else (m["m2"], m["y2"])
    return month_res(m.start(), m.end(), int(y), P.MONTHS[word.rstrip(".").lower()], ctx,
                     rel=False, conf=0.9, mod=_MODS.get(_norm(m["mod"])))


def _h_month(m: re.Match[str], ctx: Ctx) -> Res | None:
    word, pre = m["m"], _norm(m["pre"])
    month = word.rstrip(".").lower()
    if not word[0].isupper() or (not pre and (len(month) < 5 or month == "march")):
        return None
    direction = pre if pre in ("last", "next", "this") else ""
    y = _month_year_for(P.MONTHS[month], direction, ctx, m.start(), m.end())
    return month_res(m.start(), m.end(), y, P.MONTHS[month], ctx, rel=True, conf=0.7,
                     mod=_MODS.get(pre))


def _h_year(m: re.Match[str], ctx: Ctx) -> Res | None:
    y, mod = int(m["y"]), _norm(m["mod"])
    if not mod:
        nxt = _NOT_YEAR_NEXT.match(ctx.text, m.end())
        word = nxt.group(1) if nxt else ""
        if y < 1900 or word in _NOUNISH or (word.endswith("s") and word not in _S_WORDS):
            return None
    if mod.endswith(" of") and mod.split()[-2] in P.SEASONS:
        code, first = P.SEASONS[mod.split()[-2]]
        return _season(m.start(), m.end(), y, code, first, ctx, rel=False, conf=0.85)
    return year_res(m.start(), m.end(), y, ctx, rel=False, conf=0.85, mod=_MODS.get(mod))


def _h_decade(m: re.Match[str], ctx: Ctx) -> Res | None:
    if m["c"]:
        c = int(m["c"])
        if not 1 <= c <= 30:
            return None
        return Res(m.start(), m.end(), "date", f"{c - 1:02d}", _at(date(max(1, (c - 1) * 100), 1, 1),
                   ctx.tz), _at(date(c * 100, 1, 1), ctx.tz) if c < 100 else None, "century",
                   False, 0.85)
    y = int(m["y"])
    return _res(m.start(), m.end(), "date", f"{y // 10}", date(y, 1, 1), date(y + 10, 1, 1),
                "decade", ctx, rel=False, conf=0.85, mod=_MODS.get(_norm(m["mod"])))


def _h_weekday(m: re.Match[str], ctx: Ctx) -> Res | None:
    word = m["wd"].lower()
    if word.endswith("s"):
        wd = P.WEEKDAYS[word[:-1]]
        return Res(m.start(), m.end(), "set", f"XXXX-WXX-{wd + 1}", None, None, "day", False, 0.7)
    direction = _norm(m["dir"])
    future = not direction and _future(ctx, m.start(), m.end())
    d = _weekday_date(P.WEEKDAYS[word], direction, ctx.ref.date(), future)
    kw = {"rel": True, "conf": 0.8 if direction else 0.7, "mod": _MODS.get(_norm(m["mod"]))}
    if m["pod"]:
        return pod_res(m.start(), m.end(), d, m["pod"], ctx, **kw)
    return day_res(m.start(), m.end(), d, ctx, **kw)


_DAY_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "overnight": -1,
                "last night": -1, "the day before yesterday": -2, "the day after tomorrow": 2}
_STEPS = {"this": 0, "last": -1, "the previous": -1, "next": 1, "the following": 1,
          "the coming": 1}


def _h_deictic(m: re.Match[str], ctx: Ctx) -> Res | None:
    s, e, ref_d = m.start(), m.end(), ctx.ref.date()
    kw: dict[str, Any] = {"rel": True, "conf": 0.85, "mod": _MODS.get(_norm(m["mod"]))}
    if m["rel"]:
        rel = _norm(m["rel"])
        d = ref_d + timedelta(_DAY_OFFSETS[rel])
        pod = m["pod"] or ("night" if rel in ("tonight", "overnight", "last night") else None)
        return pod_res(s, e, d, pod, ctx, **kw) if pod else day_res(s, e, d, ctx, **kw)
    return _calendar_unit(s, e, _norm(m["unit"]), _STEPS[_norm(m["dir"])], ctx, **kw)


def _calendar_unit(s: int, e: int, unit: str, step: int, ctx: Ctx, **kw: Any) -> Res:
    ref_d = ctx.ref.date()
    if unit == "day":
        return day_res(s, e, ref_d + timedelta(step), ctx, **kw)
    if unit in ("week", "weekend"):
        return week_res(s, e, ref_d + timedelta(7 * step), ctx, weekend=unit == "weekend", **kw)
    if unit == "month":
        return month_res(s, e, *_add_months(ref_d.year, ref_d.month, step), ctx, **kw)
    if unit == "year":
        return year_res(s, e, ref_d.year + step, ctx, **kw)
    if unit == "quarter":
        y, mo = _add_months(ref_d.year, (ref_d.month - 1) // 3 * 3 + 1, 3 * step)
        return _quarter(s, e, y, (mo - 1) // 3 + 1, ctx, **kw)
    if unit in P.SEASONS:
        code, first = P.SEASONS[unit]
        y = ref_d.year - (1 if code == "WI" and ref_d.month < 3 else 0) + step
        return _season(s, e, y, code, first, ctx, **kw)
    return pod_res(s, e, ref_d + timedelta(step), unit, ctx, **kw)


def _quarter(s: int, e: int, y: int, q: int, ctx: Ctx, **kw: Any) -> Res:
    ny, nm = _add_months(y, 3 * q - 2, 3)
    return _res(s, e, "date", f"{y}-Q{q}", date(y, 3 * q - 2, 1), date(ny, nm, 1), "quarter",
                ctx, **kw)


def _season(s: int, e: int, y: int, code: str, first: int, ctx: Ctx, **kw: Any) -> Res:
    ny, nm = _add_months(y, first, 3)
    return _res(s, e, "date", f"{y}-{code}", date(y, first, 1), date(ny, nm, 1), "season",
                ctx, **kw)


def _h_period(m: re.Match[str], ctx: Ctx) -> Res | None:
    return _calendar_unit(m.start(), m.end(), _norm(m["unit"]), 0, ctx, rel=True, conf=0.75,
                          mod=_MODS.get(_norm(m["mod"])))


def _h_pod(m: re.Match[str], ctx: Ctx) -> Res | None:
    word = _norm(m["pod"] or m["pod2"])
    d = ctx.ref.date() - timedelta(1 if word == "overnight" else 0)
    return pod_res(m.start(), m.end(), d, word, ctx, rel=True, conf=0.5,
                   mod=_MODS.get(_norm(m["mod"])))


def _h_time(m: re.Match[str], ctx: Ctx) -> Res | None:
    g = m.groupdict()
    zone, stated = _zone_of(g["zone"], g["off"])
    conf = 0.9 if stated else 0.75
    if g["h1"]:
        hour, minute = int(g["h1"]), int(g["m1"] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
    elif g["h2"]:
        hour, minute = int(g["h2"]), int(g["m2"])
        conf = min(conf, 0.6 if not stated else conf)
    elif g["hm"]:
        hour, minute = int(g["hm"][:2]), int(g["hm"][2:])
    elif g["hw"]:
        value = words_to_number(g["hw"])
        if value is None or not 1 <= value <= 12:
            return None
        hour, minute = value % 12 + (12 if _norm(g["ampm2"]).startswith("p") else 0), 0
    elif g["named"]:
        hour, minute = (0 if g["named"].lower() == "midnight" else 12), 0
    else:
        hour, minute = int(g["h3"]), 0
    d = ctx.ref.astimezone(zone or ctx.tz).date()
    mod = "APPROX" if g["approx"] else None
    return time_res(m.start(), m.end(), d, (hour, minute, zone), ctx, rel=True, conf=conf,
                    mod=mod)


def _shifted(s: int, e: int, n: float, unit: str, ctx: Ctx, **kw: Any) -> Res:
    t = _shift(ctx.ref, n, unit)
    gran = _GRAN.get(unit, unit)
    if gran in ("second", "minute", "hour"):
        return time_res(s, e, t.date(), (t.hour, t.minute, None), ctx, **kw)
    if gran == "day":
        return day_res(s, e, t.date(), ctx, **kw)
    if gran == "week":
        return week_res(s, e, t.date(), ctx, **kw)
    if gran == "month":
        return month_res(s, e, t.year, t.month, ctx, **kw)
    return year_res(s, e, t.year, ctx, **kw)


def _h_ago(m: re.Match[str], ctx: Ctx) -> Res | None:
    s, e = m.start(), m.end()
    if m["unit"]:
        unit, direction = _unit_key(m["unit"]), _norm(m["dir"])
        n = _number(m["num"])
        sign = -1 if direction in ("ago", "earlier") else 1
        if n is None:
            if direction != "ago" or not m["unit"].lower().endswith("s"):
                return None
            return Res(s, e, "date", "PAST_REF", None, ctx.ref, _GRAN.get(unit, unit), True, 0.5)
        return _shifted(s, e, sign * n, unit, ctx, rel=True, conf=0.8)
    unit, n = _unit_key(m["unit2"]), _number(m["num2"])
    if n is None:
        return None
    if m["in"].lower() == "in" and _future(ctx, s, e):
        return _shifted(s, e, n, unit, ctx, rel=True, conf=0.7)
    timex = _dur(n, unit)
    hi = _shift(ctx.ref, n, unit) if m["in"].lower() == "within" else None
    return Res(s, e, "duration", timex, ctx.ref if hi else None, hi, _GRAN.get(unit, unit),
               hi is not None, 0.8, dmin=timex, dmax=timex)


def _h_span(m: re.Match[str], ctx: Ctx) -> Res | None:
    unit, direction = _unit_key(m["unit"]), _norm(m["dir"])
    plural = m["unit"].lower().endswith("s") or unit == "century" and m["unit"].lower() != "century"
    n = _number(m["num"]) if m["num"] else (None if plural else 1.0)
    if direction == "recent" and not plural:
        return None
    timex = _dur(n, unit)
    back = direction in ("last", "past", "previous", "recent")
    far = _shift(ctx.ref, -n if back else n, unit) if n else None
    lo, hi = (far, ctx.ref) if back else (ctx.ref, far)
    return Res(m.start(), m.end(), "duration", timex, lo, hi, _GRAN.get(unit, unit), True,
               0.8 if n else 0.6, dmin=timex if n else None, dmax=timex if n else None)


def _h_duration(m: re.Match[str], ctx: Ctx) -> Res | None:
    vague = m["vague"] or m["long"]
    if vague:
        unit = _unit_key(vague)
        return Res(m.start(), m.end(), "duration", _dur(None, unit), None, None,
                   _GRAN.get(unit, unit), False, 0.6)
    unit, raw = _unit_key(m["unit"]), _norm(m["num"])
    # "2 min read" is page chrome, "six-year-old" an age, "a second time" an ordinal
    if m["trail"] or (unit == "second" and raw in ("a", "an")):
        return None
    n = _number(raw)
    if n is not None and (m["half"] or m["half2"]):
        n += 0.5
    low = high = _dur(n, unit) if n is not None else None
    if m["num2"]:
        n2 = _number(m["num2"])
        if n is None or n2 is None or n2 <= n:
            return None
        high = _dur(n2, unit)
    timex = low if low == high else _dur(None, unit)
    return Res(m.start(), m.end(), "duration", timex, None, None, _GRAN.get(unit, unit), False,
               0.85 if low else 0.6, dmin=low, dmax=high)


def _h_set(m: re.Match[str], ctx: Ctx) -> Res | None:
    s, e = m.start(), m.end()
    if m["adv"]:
        if m["adv"][0].isupper() and s > 0 and ctx.text[:s].rstrip()[-1:] not in ".!?\n":
            return None  # "Daily Mail", "Weekly Standard"
        return Res(s, e, "set", _SET_ADVERBS[m["adv"].lower()], None, None, "set", False, 0.7)
    if m["wd"]:
        wd = P.WEEKDAYS[m["wd"].lower().rstrip("s")]
        return Res(s, e, "set", f"XXXX-WXX-{wd + 1}", None, None, "day", False, 0.75)
    unit = _unit_key(m["unit"] or m["unit2"])
    n = (_number(m["num"]) or 1.0) * (2 if m["other"] else 1) if not m["freq"] else 1.0
    return Res(s, e, "set", _dur(n, unit), None, None, _GRAN.get(unit, unit), False, 0.75)


def _h_ref(m: re.Match[str], ctx: Ctx) -> Res | None:
    s, e = m.start(), m.end()
    if m["present"]:
        # "4 now" / "for now" mean "for the time being", not a reference to the present
        if _FOR_NOW.search(ctx.text[max(0, s - 8):s]):
            return None
        return Res(s, e, "date", "PRESENT_REF", ctx.ref, ctx.ref, "present", True, 0.5)
    if m["past"]:
        return Res(s, e, "date", "PAST_REF", None, ctx.ref, "past", True, 0.5)
    return Res(s, e, "date", "FUTURE_REF", ctx.ref, None, "future", True, 0.5)


def _h_quarter(m: re.Match[str], ctx: Ctx) -> Res | None:
    if m["ord"]:
        q = 4 if m["ord"].lower() == "last" else int(_day_number(m["ord"]))
        y, rel = (int(m["y"]), False) if m["y"] else (ctx.ref.year, True)
    else:
        q, y, rel = int(m["q"] or m["q3"]), int(m["y2"] or m["y3"]), False
    return _quarter(m.start(), m.end(), y, q, ctx, rel=rel, conf=0.8)


def _h_season(m: re.Match[str], ctx: Ctx) -> Res | None:
    word, pre = m["s"].lower(), _norm(m["pre"])
    code, first = P.SEASONS[word]
    if m["y"]:
        return _season(m.start(), m.end(), int(m["y"]), code, first, ctx, rel=False, conf=0.85)
    if word == "fall" and pre not in _STEPS or pre == "the":
        return None  # "the fall of Aleppo"
    if pre in _STEPS:
        return _calendar_unit(m.start(), m.end(), word, _STEPS[pre], ctx, rel=True, conf=0.75)
    y = ctx.ref.year if first <= ctx.ref.month else ctx.ref.year - 1
    return _season(m.start(), m.end(), y, code, first, ctx, rel=True, conf=0.6)


HANDLERS = {
    "date": _h_date, "month_year": _h_month_year, "month": _h_month, "year": _h_year,
    "decade": _h_decade, "weekday": _h_weekday, "deictic": _h_deictic, "period": _h_period,
    "pod": _h_pod, "time": _h_time, "ago": _h_ago, "span": _h_span, "duration": _h_duration,
    "set": _h_set, "ref": _h_ref, "quarter": _h_quarter, "season": _h_season,
}


class _Cand(NamedTuple):
    length: int
    start: int
    rule: int
    res: Res


def _zone(local_tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(local_tz) if isinstance(local_tz, str) else local_tz


def _context(text: str, published: datetime, local_tz: str | tzinfo, dayfirst: bool) -> Ctx:
    if not isinstance(published, datetime) or published.tzinfo is None \
            or published.utcoffset() is None:
        raise ValueError(
            f"published must be a tz-aware datetime (got {published!r}); "
            "localise it first, e.g. pd.Timestamp(value).tz_localize('UTC')")
    tz = _zone(local_tz)
    ref = published.astimezone(tz)
    anchor = published.astimezone(timezone.utc).isoformat()
    return Ctx(text=text, ref=ref, tz=tz, anchor=anchor, dayfirst=dayfirst)


def _candidates(ctx: Ctx) -> list[_Cand]:
    found: list[_Cand] = []
    for idx, (name, pattern) in enumerate(P.RULES):
        handler = HANDLERS[name]
        for match in pattern.finditer(ctx.text):
            if match.end() == match.start():
                continue
            try:
                res = handler(match, ctx)
            except (ValueError, OverflowError, KeyError):
                # Impossible calendar values ("31/02/2016") are not dates.
                res = None
            if res is not None:
                found.append(_Cand(res.end - res.start, res.start, idx, res))
    return found


def _select(cands: list[_Cand]) -> list[Res]:
    """Longest match wins; ties go to the earlier start, then the earlier rule."""
    taken: list[Res] = []
    for cand in sorted(cands, key=lambda c: (-c.length, c.start, c.rule)):
        res = cand.res
        if all(res.end <= t.start or res.start >= t.end for t in taken):
            taken.append(res)
    return sorted(taken, key=lambda r: r.start)


def _join(items: list[Res], ctx: Ctx) -> list[Res]:
    """Glue a day and an adjacent clock time into one expression ("Dec 16, 2016 23:13 GMT")."""
    out: list[Res] = []
    for res in items:
        prev = out[-1] if out else None
        if prev is not None and P.JOIN_RE.match(ctx.text[prev.end:res.start]):
            day, clock = (prev.day, res.clock) if prev.day and res.clock else \
                (res.day, prev.clock) if res.day and prev.clock else (None, None)
            if day is not None and clock is not None:
                joined = time_res(prev.start, res.end, day, clock, ctx, rel=prev.rel or res.rel,
                                  conf=min(prev.conf, res.conf), mod=prev.mod or res.mod)
                out[-1] = joined
                continue
        out.append(res)
    return out


def _trim(res: Res, text: str) -> Res:
    start = res.start
    while (lead := _LEAD_RE.match(text, start, res.end)) and lead.end() < res.end:
        start = lead.end()
    return res._replace(start=start) if start != res.start else res


def _rows(text: str, published: datetime, *, local_tz: str | tzinfo = "Asia/Damascus",
          dayfirst: bool = True) -> list[Res]:
    ctx = _context(text, published, local_tz, dayfirst)
    if not isinstance(text, str) or not text or not P.GATE_RE.search(text):
        return []
    return [_trim(r, text) for r in _join(_select(_candidates(ctx)), ctx)]


def _anchor_label(res: Res, ctx_anchor: str) -> str:
    if res.rel:
        return ctx_anchor
    return "none" if res.kind in ("duration", "set") and res.lo is None else "absolute"


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    for col in ("value_start_utc", "value_end_utc"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    for col in ("start", "end"):
        frame[col] = frame[col].astype("int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    return frame


def _record(res: Res, text: str, anchor: str, offset: int = 0) -> dict[str, Any]:
    return {
        "start": res.start + offset, "end": res.end + offset,
        "surface": text[res.start:res.end], "kind": res.kind, "timex3": res.timex3,
        "value_start_utc": res.lo.astimezone(timezone.utc) if res.lo else None,
        "value_end_utc": res.hi.astimezone(timezone.utc) if res.hi else None,
        "granularity": res.gran, "anchor": _anchor_label(res, anchor),
        "confidence": round(res.conf, 2), "mod": res.mod,
        "duration_min": res.dmin, "duration_max": res.dmax,
    }


def extract(text: str, published: datetime, *, local_tz: str | tzinfo = "Asia/Damascus",
            dayfirst: bool = True) -> pd.DataFrame:
    """Temporal expressions in ``text``, resolved against the instant ``published``.

    ``published`` must be tz-aware. ``local_tz`` is the zone for expressions that name none;
    ``dayfirst`` reads ``04/05/2016`` as 4 May (set False for US sources).

    >>> from datetime import datetime, timezone
    >>> df = extract("Talks broke down on Tuesday evening.",
    ...              datetime(2016, 12, 14, 9, 0, tzinfo=timezone.utc))
    >>> df[["surface", "kind", "timex3"]].values.tolist()
    [['Tuesday evening', 'part_of_day', '2016-12-13TEV']]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    ctx_anchor = _context("", published, local_tz, dayfirst).anchor
    rows = _rows(text, published, local_tz=local_tz, dayfirst=dayfirst)
    return _frame([_record(r, text, ctx_anchor) for r in rows], COLUMNS)


def _sentence_anchor(entry_time: Any, published: Any) -> datetime:
    return published if entry_time is None or pd.isna(entry_time) else entry_time


def from_corpus(corpus: Any, *, include_boilerplate: bool = False,
                local_tz: str | tzinfo = "Asia/Damascus", dayfirst: bool = True) -> pd.DataFrame:
    """The timex table of a corpus: one row per expression, article-level offsets.

    Each sentence is anchored on its live-blog ``entry_time_utc`` when present, else on the
    article's ``published_utc``. Boilerplate sentences are skipped unless asked for.
    ``timex_id`` is ``f"{sentence_id}-t{k:02d}"`` with ``k`` the expression's rank in its
    sentence, so ids are stable across runs.

    >>> # from_corpus(load_corpus("data/raw")).head()   # doctest: +SKIP
    """
    published = dict(zip(corpus.articles["article_id"], corpus.articles["published_utc"]))
    sentences = corpus.sentences
    if not include_boilerplate:
        sentences = sentences[sentences["kind"] != "boilerplate"]
    has_entry = "entry_time_utc" in sentences.columns
    records: list[dict[str, Any]] = []
    for row in sentences.itertuples(index=False):
        anchor_at = _sentence_anchor(row.entry_time_utc if has_entry else None,
                                     published[row.article_id])
        text = corpus.texts[row.article_id][row.start:row.end]
        anchor = _context("", anchor_at, local_tz, dayfirst).anchor
        for k, res in enumerate(_rows(text, anchor_at, local_tz=local_tz, dayfirst=dayfirst)):
            record = _record(res, text, anchor, offset=int(row.start))
            record.update(timex_id=f"{row.sentence_id}-t{k:02d}", article_id=row.article_id,
                          sentence_id=row.sentence_id)
            records.append(record)
    frame = _frame(records, CORPUS_COLUMNS)
    return frame.sort_values(["article_id", "start", "end"], kind="stable",
                             ignore_index=True)


__all__ = ["COLUMNS", "CORPUS_COLUMNS", "extract", "from_corpus"]
