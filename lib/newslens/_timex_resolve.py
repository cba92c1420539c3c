"""Rule handlers behind :mod:`newslens.timex`: one function per rule turns a regex match
into a resolved expression (:class:`~newslens._timex_values.Res`), or None to reject it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from newslens import _timex_patterns as P
from newslens import _timex_ranges as R
from newslens import _timex_values as V
from newslens.numwords import words_to_number

def _h_date(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
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
        mo, d = P.MONTHS[month], V.day_number(dword)
        if not yword:
            y = V.year_for(mo, d, ctx, s, e)
            return V.day_res(s, e, date(y, mo, d), ctx, rel=True, conf=0.8)
        y = int(yword)
    return V.day_res(s, e, date(y, mo, d), ctx, rel=False, conf=0.95)


def _h_month_year(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    word, y = (m["m"], m["y"]) if m["m"] else (m["m2"], m["y2"])
    return V.month_res(m.start(), m.end(), int(y), P.MONTHS[word.rstrip(".").lower()], ctx,
                     rel=False, conf=0.9, mod=V.MODS.get(V.norm(m["mod"])))


def _h_month(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    word, pre = m["m"], V.norm(m["pre"])
    month = word.rstrip(".").lower()
    if not word[0].isupper() or (not pre and (len(month) < 5 or month == "march")):
        return None
    direction = pre if pre in ("last", "next", "this") else ""
    y = V.month_year_for(P.MONTHS[month], direction, ctx, m.start(), m.end())
    return V.month_res(m.start(), m.end(), y, P.MONTHS[month], ctx, rel=True, conf=0.7,
                     mod=V.MODS.get(pre))


def _h_year(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    y, mod = int(m["y"]), V.norm(m["mod"])
    if not mod:
        nxt = V.NOT_YEAR_NEXT.match(ctx.text, m.end())
        word = nxt.group(1) if nxt else ""
        if y < 1900 or word in V.NOUNISH or (word.endswith("s") and word not in V.S_WORDS):
            return None
    if mod.endswith(" of") and mod.split()[-2] in P.SEASONS:
        code, first = P.SEASONS[mod.split()[-2]]
        return _season(m.start(), m.end(), y, code, first, ctx, rel=False, conf=0.85)
    return V.year_res(m.start(), m.end(), y, ctx, rel=False, conf=0.85, mod=V.MODS.get(mod))


def _h_decade(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    if m["c"]:
        c = int(m["c"])
        if not 1 <= c <= 30:
            return None
        return V.Res(m.start(), m.end(), "date", f"{c - 1:02d}", V.at(date(max(1, (c - 1) * 100), 1, 1),
                   ctx.tz), V.at(date(c * 100, 1, 1), ctx.tz) if c < 100 else None, "century",
                   False, 0.85)
    if m["y"]:
        y, mod = int(m["y"]), m["mod"]
    else:  # "the nineties", "the '90s": the twentieth century's, as English means them
        y, mod = 1900 + (int(m["yy"]) if m["yy"] else 10 * P.DECADES[m["dw"].lower()]), m["mod2"]
    return V.res(m.start(), m.end(), "date", f"{y // 10}", date(y, 1, 1), date(y + 10, 1, 1),
                "decade", ctx, rel=False, conf=0.85, mod=V.MODS.get(V.norm(mod)))


def _h_weekday(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    word = m["wd"].lower()
    if word.endswith("s"):
        wd = P.WEEKDAYS[word[:-1]]
        return V.Res(m.start(), m.end(), "set", f"XXXX-WXX-{wd + 1}", None, None, "day", False, 0.7)
    direction = V.norm(m["dir"])
    future = not direction and V.future(ctx, m.start(), m.end())
    d = V.weekday_date(P.WEEKDAYS[word], direction, ctx.ref.date(), future)
    if m["wk"]:  # "Tuesday of last week": that weekday inside the named week
        week = ctx.ref.date() + timedelta(7 * _STEPS[V.norm(m["wk"])])
        d = week - timedelta(week.weekday() - P.WEEKDAYS[word])
    kw = {"rel": True, "conf": 0.8 if direction else 0.7, "mod": V.MODS.get(V.norm(m["mod"]))}
    if m["pod"]:
        return V.pod_res(m.start(), m.end(), d, m["pod"], ctx, **kw)
    return V.day_res(m.start(), m.end(), d, ctx, **kw)


_DAY_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "overnight": -1,
                "last night": -1, "the day before yesterday": -2, "the day after tomorrow": 2}
_STEPS = {"this": 0, "last": -1, "the previous": -1, "next": 1, "the following": 1,
          "the coming": 1}


def _h_deictic(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    s, e, ref_d = m.start(), m.end(), ctx.ref.date()
    kw: dict[str, Any] = {"rel": True, "conf": 0.85, "mod": V.MODS.get(V.norm(m["mod"]))}
    if m["rel"]:
        rel = V.norm(m["rel"])
        d = ref_d + timedelta(_DAY_OFFSETS[rel])
        pod = m["pod"] or ("night" if rel in ("tonight", "overnight", "last night") else None)
        return V.pod_res(s, e, d, pod, ctx, **kw) if pod else V.day_res(s, e, d, ctx, **kw)
    return _calendar_unit(s, e, V.norm(m["unit"]), _STEPS[V.norm(m["dir"])], ctx, **kw)


def _calendar_unit(s: int, e: int, unit: str, step: int, ctx: V.Ctx, **kw: Any) -> V.Res:
    ref_d = ctx.ref.date()
    if unit == "day":
        return V.day_res(s, e, ref_d + timedelta(step), ctx, **kw)
    if unit in ("week", "weekend"):
        return V.week_res(s, e, ref_d + timedelta(7 * step), ctx, weekend=unit == "weekend", **kw)
    if unit == "month":
        return V.month_res(s, e, *V.add_months(ref_d.year, ref_d.month, step), ctx, **kw)
    if unit == "year":
        return V.year_res(s, e, ref_d.year + step, ctx, **kw)
    if unit == "quarter":
        y, mo = V.add_months(ref_d.year, (ref_d.month - 1) // 3 * 3 + 1, 3 * step)
        return _quarter(s, e, y, (mo - 1) // 3 + 1, ctx, **kw)
    if unit in P.SEASONS:
        code, first = P.SEASONS[unit]
        y = ref_d.year - (1 if code == "WI" and ref_d.month < 3 else 0) + step
        return _season(s, e, y, code, first, ctx, **kw)
    return V.pod_res(s, e, ref_d + timedelta(step), unit, ctx, **kw)


def _quarter(s: int, e: int, y: int, q: int, ctx: V.Ctx, **kw: Any) -> V.Res:
    ny, nm = V.add_months(y, 3 * q - 2, 3)
    return V.res(s, e, "date", f"{y}-Q{q}", date(y, 3 * q - 2, 1), date(ny, nm, 1), "quarter",
                ctx, **kw)


def _season(s: int, e: int, y: int, code: str, first: int, ctx: V.Ctx, **kw: Any) -> V.Res:
    ny, nm = V.add_months(y, first, 3)
    return V.res(s, e, "date", f"{y}-{code}", date(y, first, 1), date(ny, nm, 1), "season",
                ctx, **kw)


def _h_period(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    unit, mod = (m["unit"], m["mod"]) if m["unit"] else (m["unit2"], m["mod2"])
    return _calendar_unit(m.start(), m.end(), V.norm(unit), 0, ctx, rel=True, conf=0.75,
                          mod=V.MODS.get(V.norm(mod)))


def _h_pod(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    word = V.norm(m["pod"] or m["pod2"])
    d = ctx.ref.date() - timedelta(1 if word == "overnight" else 0)
    return V.pod_res(m.start(), m.end(), d, word, ctx, rel=True, conf=0.5,
                   mod=V.MODS.get(V.norm(m["mod"])))


def _h_time(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    g = m.groupdict()
    zone, stated = V.zone_of(g["zone"], g["off"])
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
        hour, minute = value % 12 + (12 if V.norm(g["ampm2"]).startswith("p") else 0), 0
    elif g["named"]:
        hour, minute = (0 if g["named"].lower() == "midnight" else 12), 0
    elif g["h3"]:
        hour, minute = int(g["h3"]), 0
    else:
        clock = _spoken_clock(g)
        if clock is None:
            return None
        hour, minute = clock
    if g["dp"] and hour < 12 and not V.norm(g["dp"]).endswith("morning"):
        hour += 12 if hour >= 5 or V.norm(g["dp"]).endswith("afternoon") else 0
    d = ctx.ref.astimezone(zone or ctx.tz).date()
    mod = "APPROX" if g["approx"] else None
    return V.time_res(m.start(), m.end(), d, (hour, minute, zone), ctx, rel=True, conf=conf,
                    mod=mod)


def _word_or_digits(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else words_to_number(raw.lower())


def _spoken_clock(g: dict[str, Any]) -> tuple[int, int] | None:
    """(hour, minute) of "half past three", "20 minutes past eight", "quarter to five",
    or of a bare hour before a part of day ("3 in the afternoon")."""
    hour = _word_or_digits(g["fh"] or g["h4"] or "")
    if hour is None or not 0 <= hour <= 23 or (g["h4"] and not 1 <= hour <= 12):
        return None
    if not g["frac"]:
        return hour, 0
    frac = V.norm(g["frac"]).removeprefix("a ")
    minutes = {"half": 30, "quarter": 15}.get(frac) or _word_or_digits(frac)
    if minutes is None or not 1 <= minutes <= 59:
        return None
    if V.norm(g["rel"]) == "to":
        return (hour - 1) % 24, 60 - minutes
    return hour, minutes


def _shifted(s: int, e: int, n: float, unit: str, ctx: V.Ctx, **kw: Any) -> V.Res:
    t = V.shift(ctx.ref, n, unit)
    gran = V.GRAN.get(unit, unit)
    if gran in ("second", "minute", "hour"):  # an instant: shown on the event zone's clock
        t = t.astimezone(ctx.tz)
        return V.time_res(s, e, t.date(), (t.hour, t.minute, None), ctx, **kw)
    if gran == "day":
        return V.day_res(s, e, t.date(), ctx, **kw)
    if gran == "week":  # TimeML: the resolved point at the stated granularity, an ISO week
        return V.week_res(s, e, t.date(), ctx, **kw)
    if gran == "month":
        return V.month_res(s, e, t.year, t.month, ctx, **kw)
    return V.year_res(s, e, t.year, ctx, **kw)


def _h_ago(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    s, e = m.start(), m.end()
    if m["unit"]:
        unit, direction = V.unit_key(m["unit"]), V.norm(m["dir"])
        n = V.number(m["num"])
        sign = -1 if direction in ("ago", "earlier") else 1
        if n is None:
            if direction != "ago" or not m["unit"].lower().endswith("s"):
                return None
            return V.Res(s, e, "date", "PAST_REF", None, ctx.ref, V.GRAN.get(unit, unit), True, 0.5)
        return _shifted(s, e, sign * n, unit, ctx, rel=True, conf=0.8)
    unit, n = V.unit_key(m["unit2"]), V.number(m["num2"])
    if n is None:
        return None
    if m["in"].lower() == "in" and V.future(ctx, s, e):
        return _shifted(s, e, n, unit, ctx, rel=True, conf=0.7)
    timex = V.dur(n, unit)
    hi = V.shift(ctx.ref, n, unit) if m["in"].lower() == "within" else None
    return V.Res(s, e, "duration", timex, ctx.ref if hi else None, hi, V.GRAN.get(unit, unit),
               hi is not None, 0.8, dmin=timex, dmax=timex)


def _h_span(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    unit, direction = V.unit_key(m["unit"]), V.norm(m["dir"])
    plural = m["unit"].lower().endswith("s") or unit == "century" and m["unit"].lower() != "century"
    n = V.number(m["num"]) if m["num"] else (None if plural else 1.0)
    if direction == "recent" and not plural:
        return None
    timex = V.dur(n, unit)
    back = direction in ("last", "past", "previous", "recent")
    far = V.shift(ctx.ref, -n if back else n, unit) if n else None
    lo, hi = (far, ctx.ref) if back else (ctx.ref, far)
    return V.Res(m.start(), m.end(), "duration", timex, lo, hi, V.GRAN.get(unit, unit), True,
               0.8 if n else 0.6, dmin=timex if n else None, dmax=timex if n else None)


def _h_duration(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    vague = m["vague"] or m["long"]
    if vague:
        unit = V.unit_key(vague)
        return V.Res(m.start(), m.end(), "duration", V.dur(None, unit), None, None,
                   V.GRAN.get(unit, unit), False, 0.6)
    unit, raw = V.unit_key(m["unit"]), V.norm(m["num"])
    # "2 min read" is page chrome, "six-year-old" an age, "a second time" an ordinal
    if m["trail"] or (unit == "second" and raw in ("a", "an")):
        return None
    n = V.number(raw)
    if n is not None and (m["half"] or m["half2"]):
        n += 0.5
    low = high = V.dur(n, unit) if n is not None else None
    if m["num2"]:
        n2 = V.number(m["num2"])
        if n is None or n2 is None or n2 <= n:
            return None
        high = V.dur(n2, unit)
    timex = low if low == high else V.dur(None, unit)
    return V.Res(m.start(), m.end(), "duration", timex, None, None, V.GRAN.get(unit, unit), False,
               0.85 if low else 0.6, dmin=low, dmax=high)


def _h_set(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    s, e = m.start(), m.end()
    if m["adv"]:
        if m["adv"][0].isupper() and s > 0 and ctx.text[:s].rstrip()[-1:] not in ".!?\n":
            return None  # "Daily Mail", "Weekly Standard"
        return V.Res(s, e, "set", V.SET_ADVERBS[m["adv"].lower()], None, None, "set", False, 0.7)
    if m["wd"]:
        wd = P.WEEKDAYS[m["wd"].lower().rstrip("s")]
        return V.Res(s, e, "set", f"XXXX-WXX-{wd + 1}", None, None, "day", False, 0.75)
    unit = V.unit_key(m["unit"] or m["unit2"])
    n = (V.number(m["num"]) or 1.0) * (2 if m["other"] else 1) if not m["freq"] else 1.0
    return V.Res(s, e, "set", V.dur(n, unit), None, None, V.GRAN.get(unit, unit), False, 0.75)


def _h_ref(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    s, e = m.start(), m.end()
    if m["present"]:
        # "4 now" / "for now" mean "for the time being", not a reference to the present
        if V.FOR_NOW.search(ctx.text[max(0, s - 8):s]):
            return None
        return V.Res(s, e, "date", "PRESENT_REF", ctx.ref, ctx.ref, "present", True, 0.5)
    if m["past"]:
        return V.Res(s, e, "date", "PAST_REF", None, ctx.ref, "past", True, 0.5)
    return V.Res(s, e, "date", "FUTURE_REF", ctx.ref, None, "future", True, 0.5)


def _h_quarter(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    if m["ord"]:
        q = 4 if m["ord"].lower() == "last" else int(V.day_number(m["ord"]))
        y, rel = (int(m["y"]), False) if m["y"] else (ctx.ref.year, True)
    else:
        q, y, rel = int(m["q"] or m["q3"]), int(m["y2"] or m["y3"]), False
    return _quarter(m.start(), m.end(), y, q, ctx, rel=rel, conf=0.8)


def _h_season(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    word, pre = m["s"].lower(), V.norm(m["pre"])
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
    "range": R.h_range,
}


