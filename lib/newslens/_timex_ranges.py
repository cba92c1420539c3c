"""Ranges behind :mod:`newslens.timex`: one expression from its two bounds.

A range's ``timex3`` is the ISO 8601 interval of its bounds' own values, ``"A/B"``
(``2014/2018``, ``2016-03-03/2016-03-05``, ``2016-11-07T17:00/2016-11-07T18:00``), its kind
``range``, its granularity the first bound's, and its interval runs from the start of the first
bound to the end of the second (both bounds inclusive, as "from 2014 to 2018" is read).
"""

from __future__ import annotations

import re
from datetime import date

from newslens import _timex_patterns as P
from newslens import _timex_values as V

# What may stand between two bounds, and what must open the range for the weaker connectors.
_GAP_RE = re.compile(r"\s*(?:(?P<dash>-|–|—|~|through|thru)|(?P<to>to|until|till)|(?P<and>and))\s*\Z",
                     re.IGNORECASE)
_OPENER_RE = re.compile(r"(?P<op>from|between)\s+\Z", re.IGNORECASE)
_DATE_VALUE = re.compile(r"\A(\d{4})(?:-(\d\d)(?:-(\d\d))?)?\Z")


def span(a: V.Res, b: V.Res, start: int | None = None, end: int | None = None) -> V.Res:
    """The range from bound ``a`` to bound ``b``."""
    return V.Res(a.start if start is None else start, b.end if end is None else end, "range",
                 f"{a.timex3}/{b.timex3}", a.lo, b.hi, a.gran, a.rel or b.rel,
                 min(a.conf, b.conf))


def _bound(value: str) -> tuple[int, ...] | None:
    m = _DATE_VALUE.match(value)
    return tuple(int(x) for x in m.groups() if x) if m else None


def _in_year(res: V.Res, year: int, ctx: V.Ctx) -> V.Res:
    """A year-less bound moved into the year its partner states ("from January to April 2015")."""
    parts = _bound(res.timex3)
    if parts is None or len(parts) == 1:
        return res
    kw = {"rel": False, "conf": res.conf, "mod": res.mod}
    if len(parts) == 2:
        return V.month_res(res.start, res.end, year, parts[1], ctx, **kw)
    return V.day_res(res.start, res.end, date(year, parts[1], parts[2]), ctx, **kw)


def _orderable(a: V.Res, b: V.Res) -> bool:
    if a.lo is None or b.lo is None or a.hi is None or b.hi is None:
        return False
    dated = a.kind == b.kind and a.kind in ("date", "time")
    return dated and a.timex3[:1].isdigit() and b.timex3[:1].isdigit() and a.lo < b.hi


def merge(items: list[V.Res], ctx: V.Ctx) -> list[V.Res]:
    """Join two adjacent resolved bounds into a range: "from A to B", "between A and B",
    "A - B", "A through B". A year-less first bound takes the second's year."""
    out: list[V.Res] = []
    for res in items:
        prev = out[-1] if out else None
        gap = _GAP_RE.match(ctx.text, prev.end, res.start) if prev is not None else None
        if prev is not None and gap is not None:
            opener = _OPENER_RE.search(ctx.text, max(0, prev.start - 10), prev.start)
            op = V.norm(opener["op"]) if opener else ""
            if gap["dash"] or (gap["to"] and op == "from") or (gap["and"] and op == "between"):
                first = prev
                year = _bound(res.timex3)
                if prev.rel and not res.rel and year:
                    first = _in_year(prev, year[0], ctx)
                    if first.lo is not None and res.lo is not None and first.lo > res.lo:
                        first = _in_year(prev, year[0] - 1, ctx)
                if _orderable(first, res):
                    out[-1] = span(first, res)
                    continue
        out.append(res)
    return out


def _hour(h: str, minute: str | None, ampm: str | None) -> tuple[int, int] | None:
    hour = int(h)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    return hour, int(minute or 0)


def _clock_range(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    joined_by_and = re.search(r"\sand\s", m.group(), re.IGNORECASE) is not None
    if joined_by_and and V.norm(m["op"]) != "between":
        return None  # "10 and 11:30 am" is a range only after "between"
    second = _hour(m["h2"], m["n2"], m["a2"])
    first = _hour(m["h1"], m["n1"], m["a1"] or m["a2"])
    if first is None or second is None:
        return None
    if not m["a1"] and first > second:  # "11-1pm": the morning hour before noon
        first = _hour(m["h1"], m["n1"], "am")
    if first is None or first >= second:
        return None
    d = ctx.ref.astimezone(ctx.tz).date()
    a = V.time_res(m.start("h1"), m.end("n1") if m["n1"] else m.end("h1"), d, (*first, None),
                   ctx, rel=True, conf=0.75)
    b = V.time_res(m.start("h2"), m.end(), d, (*second, None), ctx, rel=True, conf=0.75)
    return span(a, b, m.start(), m.end())


def h_range(m: re.Match[str], ctx: V.Ctx) -> V.Res | None:
    """Handler of the one-phrase ranges in ``RANGE_RE``."""
    s, e = m.start(), m.end()
    kw = {"rel": False, "conf": 0.85}
    if m["y1"]:
        y1, y2 = int(m["y1"]), int(m["y2"])
        if not y1 < y2 <= y1 + 200:
            return None
        return span(V.year_res(s, e, y1, ctx, **kw), V.year_res(s, e, y2, ctx, **kw), s, e)
    if m["m1"]:
        y = int(m["my"])
        mo1, mo2 = (P.MONTHS[m[k].rstrip(".").lower()] for k in ("m1", "m2"))
        a = V.month_res(s, e, y - (1 if mo1 > mo2 else 0), mo1, ctx, **kw)
        return span(a, V.month_res(s, e, y, mo2, ctx, **kw), s, e)
    if m["h1"]:
        return _clock_range(m, ctx)
    word, d1, d2, yw = (m["m"], m["d1"], m["d2"], m["y"]) if m["m"] else \
        (m["em"], m["e1"], m["e2"], m["ey"])
    mo, first, last = P.MONTHS[word.rstrip(".").lower()], int(d1), int(d2)
    if not first < last:
        return None
    if yw:
        y = int(yw)
    else:
        kw = {"rel": True, "conf": 0.75}
        y = V.year_for(mo, first, ctx, s, e)
    a = V.day_res(s, e, date(y, mo, first), ctx, **kw)
    return span(a, V.day_res(s, e, date(y, mo, last), ctx, **kw), s, e)
