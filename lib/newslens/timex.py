"""Temporal expressions in news text, resolved to TIMEX3 values and UTC intervals.

``extract(text, published)`` finds dates, clock times, parts of day, durations, sets and
deictic references ("yesterday", "this week", "now") with compiled rules, then resolves each
against the reference instant ``published``. ``from_corpus(corpus)`` runs it per sentence,
anchoring live-blog entries on their own timestamps.

Resolution rules (the conventions a reader of the output needs):

- Zones: an expression is read in the zone the text names ("12:30 GMT", "5am local time");
  otherwise in ``local_tz``, where the events happen (default ``Asia/Damascus``, the zone of
  the shipped case study). Which day "today", "this morning", "yesterday", "tonight", "this
  week" or a bare weekday names is decided on the writer's calendar, ``writer_tz`` (default
  ``local_tz``): a London live blog at 23:13 GMT still says "today" of the 16th when Damascus
  is already on the 17th. TIMEX3 values are wall-clock values; ``value_start_utc`` /
  ``value_end_utc`` are the half-open interval in UTC, days and parts of day built in
  ``local_tz``. Bare clock times ("at 5am") are read in ``local_tz`` on the anchor's day.
- Weekdays, year-less dates ("December 15") and bare months ("in March") lean to the past,
  as news reports do: the most recent occurrence on or before the anchor ("on Thursday" in a
  Friday article is the day before; "on Friday" is that day). A future cue earlier in the
  same clause ("will", "expected to", "scheduled") or "next"/"coming" picks the first
  occurrence on or after it. "last Monday" is the latest Monday strictly before the anchor,
  "next Monday" the first one strictly after, "this Monday" the one in the anchor's ISO week.
- Offsets ("two months ago", "in two weeks" with a future cue, "3 days later") resolve to a
  point at the stated granularity, as TimeML does: ``2016-10``, ``2016-W52``, ``2016-12-13``.
- Ranges ("from 2014 to 2018", "March 3-5", "between 10 and 11:30 am", "Jan-Feb 2017") are one
  expression of kind ``range``; ``timex3`` is the ISO 8601 interval of the bounds' own values
  (``2014/2018``) and the interval runs from the first bound's start to the second's end.
- Decades: "the 1990s", "the nineties", "the '90s" -> ``199``; "the end of the month" is the
  month with ``mod`` END.
- ``anchor`` is ``"absolute"`` for fully specified expressions, ``"none"`` for free-floating
  durations and sets, otherwise the ISO string of the reference instant used.
- Ranged durations ("2-3 days") get ``timex3`` ``PXD`` with the bounds in ``duration_min``
  and ``duration_max``. Extra columns after the contract: ``mod`` (TimeML APPROX, START,
  MID, END), ``duration_min``, ``duration_max``.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

import pandas as pd

from newslens import _timex_values as V
from newslens._timex_corpus import COLUMNS, CORPUS_COLUMNS, anchor_label, table, to_frame
from newslens._timex_scan import context, rows


def _record(res: V.Res, text: str, anchor: str, offset: int = 0) -> dict[str, Any]:
    return {
        "start": res.start + offset, "end": res.end + offset,
        "surface": text[res.start:res.end], "kind": res.kind, "timex3": res.timex3,
        "value_start_utc": res.lo.astimezone(timezone.utc) if res.lo else None,
        "value_end_utc": res.hi.astimezone(timezone.utc) if res.hi else None,
        "granularity": res.gran, "anchor": anchor_label(res, anchor),
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
    ctx_anchor = context("", published, local_tz, dayfirst).anchor
    found = rows(text, published, local_tz=local_tz, writer_tz=writer_tz, dayfirst=dayfirst)
    return to_frame([_record(r, text, ctx_anchor) for r in found], COLUMNS)


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
    return table(corpus, include_boilerplate=include_boilerplate, local_tz=local_tz,
                 dayfirst=dayfirst)


__all__ = ["COLUMNS", "CORPUS_COLUMNS", "extract", "from_corpus"]
