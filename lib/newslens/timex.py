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


def _h_date(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
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
        mo, d = P.MONTHS[month], P.day_number(dword)
        if not yword:
            y = P.year_for(mo, d, ctx, s, e)
            return P.day_res(s, e, date(y, mo, d), ctx, rel=True, conf=0.8)
        y = int(yword)
    return P.day_res(s, e, date(y, mo, d), ctx, rel=False, conf=0.95)


def _h_month_year(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    word, y = (m["m"], m["y"]) if m["m"] else (m["m2"], m["y2"])
    return P.month_res(m.start(), m.end(), int(y), P.MONTHS[word.rstrip(".").lower()], ctx,
                     rel=False, conf=0.9, mod=P.MODS.get(P.norm(m["mod"])))


def _h_month(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    word, pre = m["m"], P.norm(m["pre"])
    month = word.rstrip(".").lower()
    if not word[0].isupper() or (not pre and (len(month) < 5 or month == "march")):
        return None
    direction = pre if pre in ("last", "next", "this") else ""
    y = P.month_year_for(P.MONTHS[month], direction, ctx, m.start(), m.end())
    return P.month_res(m.start(), m.end(), y, P.MONTHS[month], ctx, rel=True, conf=0.7,
                     mod=P.MODS.get(pre))


def _h_year(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    y, mod = int(m["y"]), P.norm(m["mod"])
    if not mod:
        nxt = P.NOT_YEAR_NEXT.match(ctx.text, m.end())
        word = nxt.group(1) if nxt else ""
        if y < 1900 or word in P.NOUNISH or (word.endswith("s") and word not in P.S_WORDS):
            return None
    if mod.endswith(" of") and mod.split()[-2] in P.SEASONS:
        code, first = P.SEASONS[mod.split()[-2]]
        return _season(m.start(), m.end(), y, code, first, ctx, rel=False, conf=0.85)
    return P.year_res(m.start(), m.end(), y, ctx, rel=False, conf=0.85, mod=P.MODS.get(mod))


def _h_decade(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    if m["c"]:
        c = int(m["c"])
        if not 1 <= c <= 30:
            return None
        return P.Res(m.start(), m.end(), "date", f"{c - 1:02d}", P.at(date(max(1, (c - 1) * 100), 1, 1),
                   ctx.tz), P.at(date(c * 100, 1, 1), ctx.tz) if c < 100 else None, "century",
                   False, 0.85)
    y = int(m["y"])
    return P.res(m.start(), m.end(), "date", f"{y // 10}", date(y, 1, 1), date(y + 10, 1, 1),
                "decade", ctx, rel=False, conf=0.85, mod=P.MODS.get(P.norm(m["mod"])))


def _h_weekday(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    word = m["wd"].lower()
    if word.endswith("s"):
        wd = P.WEEKDAYS[word[:-1]]
        return P.Res(m.start(), m.end(), "set", f"XXXX-WXX-{wd + 1}", None, None, "day", False, 0.7)
    direction = P.norm(m["dir"])
    future = not direction and P.future(ctx, m.start(), m.end())
    d = P.weekday_date(P.WEEKDAYS[word], direction, ctx.ref.date(), future)
    if m["wk"]:  # "Tuesday of last week": that weekday inside the named week
        week = ctx.ref.date() + timedelta(7 * _STEPS[P.norm(m["wk"])])
        d = week - timedelta(week.weekday() - P.WEEKDAYS[word])
    kw = {"rel": True, "conf": 0.8 if direction else 0.7, "mod": P.MODS.get(P.norm(m["mod"]))}
    if m["pod"]:
        return P.pod_res(m.start(), m.end(), d, m["pod"], ctx, **kw)
    return P.day_res(m.start(), m.end(), d, ctx, **kw)


_DAY_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "overnight": -1,
                "last night": -1, "the day before yesterday": -2, "the day after tomorrow": 2}
_STEPS = {"this": 0, "last": -1, "the previous": -1, "next": 1, "the following": 1,
          "the coming": 1}


def _h_deictic(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    s, e, ref_d = m.start(), m.end(), ctx.ref.date()
    kw: dict[str, Any] = {"rel": True, "conf": 0.85, "mod": P.MODS.get(P.norm(m["mod"]))}
    if m["rel"]:
        rel = P.norm(m["rel"])
        d = ref_d + timedelta(_DAY_OFFSETS[rel])
        pod = m["pod"] or ("night" if rel in ("tonight", "overnight", "last night") else None)
        return P.pod_res(s, e, d, pod, ctx, **kw) if pod else P.day_res(s, e, d, ctx, **kw)
    return _calendar_unit(s, e, P.norm(m["unit"]), _STEPS[P.norm(m["dir"])], ctx, **kw)


def _calendar_unit(s: int, e: int, unit: str, step: int, ctx: P.Ctx, **kw: Any) -> P.Res:
    ref_d = ctx.ref.date()
    if unit == "day":
        return P.day_res(s, e, ref_d + timedelta(step), ctx, **kw)
    if unit in ("week", "weekend"):
        return P.week_res(s, e, ref_d + timedelta(7 * step), ctx, weekend=unit == "weekend", **kw)
    if unit == "month":
        return P.month_res(s, e, *P.add_months(ref_d.year, ref_d.month, step), ctx, **kw)
    if unit == "year":
        return P.year_res(s, e, ref_d.year + step, ctx, **kw)
    if unit == "quarter":
        y, mo = P.add_months(ref_d.year, (ref_d.month - 1) // 3 * 3 + 1, 3 * step)
        return _quarter(s, e, y, (mo - 1) // 3 + 1, ctx, **kw)
    if unit in P.SEASONS:
        code, first = P.SEASONS[unit]
        y = ref_d.year - (1 if code == "WI" and ref_d.month < 3 else 0) + step
        return _season(s, e, y, code, first, ctx, **kw)
    return P.pod_res(s, e, ref_d + timedelta(step), unit, ctx, **kw)


def _quarter(s: int, e: int, y: int, q: int, ctx: P.Ctx, **kw: Any) -> P.Res:
    ny, nm = P.add_months(y, 3 * q - 2, 3)
    return P.res(s, e, "date", f"{y}-Q{q}", date(y, 3 * q - 2, 1), date(ny, nm, 1), "quarter",
                ctx, **kw)


def _season(s: int, e: int, y: int, code: str, first: int, ctx: P.Ctx, **kw: Any) -> P.Res:
    ny, nm = P.add_months(y, first, 3)
    return P.res(s, e, "date", f"{y}-{code}", date(y, first, 1), date(ny, nm, 1), "season",
                ctx, **kw)


def _h_period(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    return _calendar_unit(m.start(), m.end(), P.norm(m["unit"]), 0, ctx, rel=True, conf=0.75,
                          mod=P.MODS.get(P.norm(m["mod"])))


def _h_pod(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    word = P.norm(m["pod"] or m["pod2"])
    d = ctx.ref.date() - timedelta(1 if word == "overnight" else 0)
    return P.pod_res(m.start(), m.end(), d, word, ctx, rel=True, conf=0.5,
                   mod=P.MODS.get(P.norm(m["mod"])))


def _h_time(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    g = m.groupdict()
    zone, stated = P.zone_of(g["zone"], g["off"])
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
        hour, minute = value % 12 + (12 if P.norm(g["ampm2"]).startswith("p") else 0), 0
    elif g["named"]:
        hour, minute = (0 if g["named"].lower() == "midnight" else 12), 0
    else:
        hour, minute = int(g["h3"]), 0
    d = ctx.ref.astimezone(zone or ctx.tz).date()
    mod = "APPROX" if g["approx"] else None
    return P.time_res(m.start(), m.end(), d, (hour, minute, zone), ctx, rel=True, conf=conf,
                    mod=mod)


def _shifted(s: int, e: int, n: float, unit: str, ctx: P.Ctx, **kw: Any) -> P.Res:
    t = P.shift(ctx.ref, n, unit)
    gran = P.GRAN.get(unit, unit)
    if gran in ("second", "minute", "hour"):  # an instant: shown on the event zone's clock
        t = t.astimezone(ctx.tz)
        return P.time_res(s, e, t.date(), (t.hour, t.minute, None), ctx, **kw)
    if gran == "day":
        return P.day_res(s, e, t.date(), ctx, **kw)
    if gran == "week":  # "in two weeks", "three weeks ago": a day, as readers count them
        return P.day_res(s, e, t.date(), ctx, **kw)
    if gran == "month":
        return P.month_res(s, e, t.year, t.month, ctx, **kw)
    return P.year_res(s, e, t.year, ctx, **kw)


def _h_ago(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    s, e = m.start(), m.end()
    if m["unit"]:
        unit, direction = P.unit_key(m["unit"]), P.norm(m["dir"])
        n = P.number(m["num"])
        sign = -1 if direction in ("ago", "earlier") else 1
        if n is None:
            if direction != "ago" or not m["unit"].lower().endswith("s"):
                return None
            return P.Res(s, e, "date", "PAST_REF", None, ctx.ref, P.GRAN.get(unit, unit), True, 0.5)
        return _shifted(s, e, sign * n, unit, ctx, rel=True, conf=0.8)
    unit, n = P.unit_key(m["unit2"]), P.number(m["num2"])
    if n is None:
        return None
    if m["in"].lower() == "in" and P.future(ctx, s, e):
        return _shifted(s, e, n, unit, ctx, rel=True, conf=0.7)
    timex = P.dur(n, unit)
    hi = P.shift(ctx.ref, n, unit) if m["in"].lower() == "within" else None
    return P.Res(s, e, "duration", timex, ctx.ref if hi else None, hi, P.GRAN.get(unit, unit),
               hi is not None, 0.8, dmin=timex, dmax=timex)


def _h_span(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    unit, direction = P.unit_key(m["unit"]), P.norm(m["dir"])
    plural = m["unit"].lower().endswith("s") or unit == "century" and m["unit"].lower() != "century"
    n = P.number(m["num"]) if m["num"] else (None if plural else 1.0)
    if direction == "recent" and not plural:
        return None
    timex = P.dur(n, unit)
    back = direction in ("last", "past", "previous", "recent")
    far = P.shift(ctx.ref, -n if back else n, unit) if n else None
    lo, hi = (far, ctx.ref) if back else (ctx.ref, far)
    return P.Res(m.start(), m.end(), "duration", timex, lo, hi, P.GRAN.get(unit, unit), True,
               0.8 if n else 0.6, dmin=timex if n else None, dmax=timex if n else None)


def _h_duration(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    vague = m["vague"] or m["long"]
    if vague:
        unit = P.unit_key(vague)
        return P.Res(m.start(), m.end(), "duration", P.dur(None, unit), None, None,
                   P.GRAN.get(unit, unit), False, 0.6)
    unit, raw = P.unit_key(m["unit"]), P.norm(m["num"])
    # "2 min read" is page chrome, "six-year-old" an age, "a second time" an ordinal
    if m["trail"] or (unit == "second" and raw in ("a", "an")):
        return None
    n = P.number(raw)
    if n is not None and (m["half"] or m["half2"]):
        n += 0.5
    low = high = P.dur(n, unit) if n is not None else None
    if m["num2"]:
        n2 = P.number(m["num2"])
        if n is None or n2 is None or n2 <= n:
            return None
        high = P.dur(n2, unit)
    timex = low if low == high else P.dur(None, unit)
    return P.Res(m.start(), m.end(), "duration", timex, None, None, P.GRAN.get(unit, unit), False,
               0.85 if low else 0.6, dmin=low, dmax=high)


def _h_set(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    s, e = m.start(), m.end()
    if m["adv"]:
        if m["adv"][0].isupper() and s > 0 and ctx.text[:s].rstrip()[-1:] not in ".!?\n":
            return None  # "Daily Mail", "Weekly Standard"
        return P.Res(s, e, "set", P.SET_ADVERBS[m["adv"].lower()], None, None, "set", False, 0.7)
    if m["wd"]:
        wd = P.WEEKDAYS[m["wd"].lower().rstrip("s")]
        return P.Res(s, e, "set", f"XXXX-WXX-{wd + 1}", None, None, "day", False, 0.75)
    unit = P.unit_key(m["unit"] or m["unit2"])
    n = (P.number(m["num"]) or 1.0) * (2 if m["other"] else 1) if not m["freq"] else 1.0
    return P.Res(s, e, "set", P.dur(n, unit), None, None, P.GRAN.get(unit, unit), False, 0.75)


def _h_ref(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    s, e = m.start(), m.end()
    if m["present"]:
        # "4 now" / "for now" mean "for the time being", not a reference to the present
        if P.FOR_NOW.search(ctx.text[max(0, s - 8):s]):
            return None
        return P.Res(s, e, "date", "PRESENT_REF", ctx.ref, ctx.ref, "present", True, 0.5)
    if m["past"]:
        return P.Res(s, e, "date", "PAST_REF", None, ctx.ref, "past", True, 0.5)
    return P.Res(s, e, "date", "FUTURE_REF", ctx.ref, None, "future", True, 0.5)


def _h_quarter(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    if m["ord"]:
        q = 4 if m["ord"].lower() == "last" else int(P.day_number(m["ord"]))
        y, rel = (int(m["y"]), False) if m["y"] else (ctx.ref.year, True)
    else:
        q, y, rel = int(m["q"] or m["q3"]), int(m["y2"] or m["y3"]), False
    return _quarter(m.start(), m.end(), y, q, ctx, rel=rel, conf=0.8)


def _h_season(m: re.Match[str], ctx: P.Ctx) -> P.Res | None:
    word, pre = m["s"].lower(), P.norm(m["pre"])
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
    res: P.Res


def _zone(local_tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(local_tz) if isinstance(local_tz, str) else local_tz


def _context(text: str, published: datetime, local_tz: str | tzinfo, dayfirst: bool,
             writer_tz: str | tzinfo | None = None) -> P.Ctx:
    if not isinstance(published, datetime) or published.tzinfo is None \
            or published.utcoffset() is None:
        raise ValueError(
            f"published must be a tz-aware datetime (got {published!r}); "
            "localise it first, e.g. pd.Timestamp(value).tz_localize('UTC')")
    tz = _zone(local_tz)
    # The writer's calendar decides which day "today" is; intervals stay in the event zone.
    ref = published.astimezone(tz if writer_tz is None else _zone(writer_tz))
    anchor = published.astimezone(timezone.utc).isoformat()
    return P.Ctx(text=text, ref=ref, tz=tz, anchor=anchor, dayfirst=dayfirst)


def _number_head(text: str, start: int) -> bool:
    if not text[start].isdigit():
        return True  # "Q1", "W50"
    previous = text[max(0, start - 12):start].rstrip().rsplit(None, 1)[-1:]
    return bool(P.NUMBER_HEAD_RE.match(text, start)) or \
        bool(previous and P.HEAD_WORDS.get(previous[0].lower().rstrip(".,")) in ("mon", "wd"))


def _heads(text: str) -> list[tuple[int, str]]:
    """(offset, head kind) of every token that can carry an expression."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ")
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    heads = []
    for word in P.HEAD_SET.intersection(P.WORD_RE.findall(lower)):
        kind, size, at = P.HEAD_WORDS[word], len(word), lower.find(word)
        while at >= 0:
            if not (at and lower[at - 1].isalnum()) and \
                    not lower[at + size:at + size + 1].isalnum():
                heads.append((at, kind))
            at = lower.find(word, at + size)
    heads.extend((m.start(), "num") for m in P.NUMBER_TOKEN_RE.finditer(lower)
                 if not (m.start() and lower[m.start() - 1].isalnum())
                 and _number_head(lower, m.start()))
    return heads


def _openers(text: str, head: int) -> list[tuple[int, str]]:
    """(start, lower-case word) of the few words just before a head, nearest last."""
    before = list(P.WORD_RE.finditer(text, max(0, head - P.LOOKBACK_CHARS), head))
    return [(w.start(), w.group().lower()) for w in before[-P.LOOKBACK_WORDS:]]


def _match(idx: int, start: int, ctx: P.Ctx) -> P.Res | None:
    name, pattern = P.RULES[idx]
    match = pattern.match(ctx.text, start)
    if match is None or match.end() == start:
        return None
    try:
        return HANDLERS[name](match, ctx)
    except (ValueError, OverflowError, KeyError):
        return None  # impossible calendar values ("31/02/2016") are not dates


def _candidates(ctx: P.Ctx) -> list[_Cand]:
    tried: set[tuple[int, int]] = set()
    found: list[_Cand] = []
    for head, kind in _heads(ctx.text):
        rules = P.HEAD_RULES[kind]
        tries = [(head, idx) for idx in rules]
        for start, word in _openers(ctx.text, head):
            numeric = word[0].isdigit()
            tries.extend((start, idx) for idx in rules
                         if word in P.OPENERS[idx] or numeric and P.NUMBER_OPENED[idx])
        for start, idx in tries:
            if (idx, start) not in tried:
                tried.add((idx, start))
                res = _match(idx, start, ctx)
                if res is not None:
                    found.append(_Cand(res.end - res.start, res.start, idx, res))
    return found


def _select(cands: list[_Cand]) -> list[P.Res]:
    """Longest match wins; ties go to the earlier start, then the earlier rule."""
    taken: list[P.Res] = []
    for cand in sorted(cands, key=lambda c: (-c.length, c.start, c.rule)):
        res = cand.res
        if all(res.end <= t.start or res.start >= t.end for t in taken):
            taken.append(res)
    return sorted(taken, key=lambda r: r.start)


def _join(items: list[P.Res], ctx: P.Ctx) -> list[P.Res]:
    """Glue a day and an adjacent clock time into one expression ("Dec 16, 2016 23:13 GMT")."""
    out: list[P.Res] = []
    joined = False
    for res in items:
        prev = out[-1] if out else None
        gap = ctx.text[prev.end:res.start] if prev is not None else "\n"
        if prev is not None and not joined and "\n" not in gap and P.JOIN_RE.match(gap):
            day, clock = (prev.day, res.clock) if prev.day and res.clock else \
                (res.day, prev.clock) if res.day and prev.clock else (None, None)
            if day is not None and clock is not None:
                glued = P.time_res(prev.start, res.end, day, clock, ctx, rel=prev.rel or res.rel,
                                  conf=min(prev.conf, res.conf), mod=prev.mod or res.mod)
                out[-1], joined = glued, True
                continue
        out.append(res)
        joined = False
    return out


def _trim(res: P.Res, text: str) -> P.Res:
    start = res.start
    while (lead := _LEAD_RE.match(text, start, res.end)) and lead.end() < res.end:
        start = lead.end()
    return res._replace(start=start) if start != res.start else res


def _rows(text: str, published: datetime, *, local_tz: str | tzinfo = "Asia/Damascus",
          writer_tz: str | tzinfo | None = None, dayfirst: bool = True) -> list[P.Res]:
    ctx = _context(text, published, local_tz, dayfirst, writer_tz)
    if not isinstance(text, str) or not text or not P.GATE_RE.search(text):
        return []
    return [_trim(r, text) for r in _join(_select(_candidates(ctx)), ctx)]


def _anchor_label(res: P.Res, ctx_anchor: str) -> str:
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


def _record(res: P.Res, text: str, anchor: str, offset: int = 0) -> dict[str, Any]:
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
            writer_tz: str | tzinfo | None = None, dayfirst: bool = True) -> pd.DataFrame:
    """Temporal expressions in ``text``, resolved against the instant ``published``.

    ``published`` must be tz-aware. ``local_tz`` is where the events happen: clock times
    that name no zone ("at 5am", "5am local time") are read there, and every interval is
    built there. ``writer_tz`` (default: ``local_tz``) is the zone of the writer's calendar:
    it decides which day "today", "this morning", "yesterday", "tonight", "this week" and
    bare weekdays name. ``dayfirst`` reads ``04/05/2016`` as 4 May (set False for US sources).

    >>> from datetime import datetime, timezone
    >>> df = extract("Talks broke down on Tuesday evening.",
    ...              datetime(2016, 12, 14, 9, 0, tzinfo=timezone.utc))
    >>> df[["surface", "kind", "timex3"]].values.tolist()
    [['Tuesday evening', 'part_of_day', '2016-12-13TEV']]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    ctx_anchor = _context("", published, local_tz, dayfirst).anchor
    rows = _rows(text, published, local_tz=local_tz, writer_tz=writer_tz, dayfirst=dayfirst)
    return _frame([_record(r, text, ctx_anchor) for r in rows], COLUMNS)


def _sentence_anchor(entry_time: Any, published: Any) -> datetime:
    return published if entry_time is None or pd.isna(entry_time) else entry_time


def _story_zone(corpus: Any) -> str:
    story = getattr(corpus, "story", None) or {}
    return story.get("event_timezone") or "UTC"


def _writer_zones(articles: pd.DataFrame) -> dict[str, str | None]:
    if "timezone" not in articles.columns:
        return {}
    return {a: (z if isinstance(z, str) and z else None)
            for a, z in zip(articles["article_id"], articles["timezone"])}


def from_corpus(corpus: Any, *, include_boilerplate: bool = False,
                local_tz: str | tzinfo | None = None, dayfirst: bool = True) -> pd.DataFrame:
    """The timex table of a corpus: one row per expression, article-level offsets.

    Each sentence is anchored on its live-blog ``entry_time_utc`` when present, else on the
    article's ``published_utc``. The event zone is ``local_tz`` when given, else the corpus
    story's ``event_timezone`` (UTC for a corpus without story settings); each article's
    ``timezone`` column, when present, is its writer's zone. Boilerplate sentences are
    skipped unless asked for. ``timex_id`` is ``f"{sentence_id}-t{k:02d}"`` with ``k`` the
    expression's rank in its sentence, so ids are stable across runs.

    >>> # from_corpus(load_corpus("data/raw")).head()   # doctest: +SKIP
    """
    zone = _story_zone(corpus) if local_tz is None else local_tz
    published = dict(zip(corpus.articles["article_id"], corpus.articles["published_utc"]))
    writers = _writer_zones(corpus.articles)
    sentences = corpus.sentences
    if not include_boilerplate:
        sentences = sentences[sentences["kind"] != "boilerplate"]
    has_entry = "entry_time_utc" in sentences.columns
    records: list[dict[str, Any]] = []
    for row in sentences.itertuples(index=False):
        anchor_at = _sentence_anchor(row.entry_time_utc if has_entry else None,
                                     published[row.article_id])
        text = corpus.texts[row.article_id][row.start:row.end]
        anchor = _context("", anchor_at, zone, dayfirst).anchor
        found = _rows(text, anchor_at, local_tz=zone, writer_tz=writers.get(row.article_id),
                      dayfirst=dayfirst)
        for k, res in enumerate(found):
            record = _record(res, text, anchor, offset=int(row.start))
            record.update(timex_id=f"{row.sentence_id}-t{k:02d}", article_id=row.article_id,
                          sentence_id=row.sentence_id)
            records.append(record)
    frame = _frame(records, CORPUS_COLUMNS)
    return frame.sort_values(["article_id", "start", "end"], kind="stable",
                             ignore_index=True)


__all__ = ["COLUMNS", "CORPUS_COLUMNS", "extract", "from_corpus"]
