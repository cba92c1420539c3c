"""Timeline: which events each outlet reports, when it says they happened, and when it said so.

``events(corpus, timex)`` finds event mentions with the editable event types of
``data/lexicons/events.yaml`` (`load_lexicon`, from `newslens.timeline_lexicon`) and gives each
an event-time interval:

- **Attachment.** Of the temporal expressions in the same sentence (the ``timex`` table), the
  one that best attaches to the trigger wins: same clause first, then dates, parts of day and
  clock times before coarser dates, durations and "now", then the nearest. Sets ("daily") and
  open intervals ("minutes ago" without a start) never attach.
- **Fallback.** With no attachable expression the event is placed at its report time with
  precision ``report``: an uncertain placement that charts draw hollow.
- **Report time** is the live-blog entry's stamp when the sentence has one, else the article's
  publication time (``report_precision`` says whether that is known to the minute or the day).
- **Voice.** ``source`` is the cited source of the sentence (from the attributions table; a
  nested citation reads "X (via Y)"), else the outlet itself, with ``voice`` stated.
- **Denials.** A trigger preceded in its clause by a negation ("no convoys … were turned
  back", "denied that evacuees were killed") is kept with ``negated`` true and left out of
  `compare`.

``compare(events)`` sets each outlet's version of each event type side by side and flags
outlets whose claimed intervals do not overlap; ``against_reference(events, reference)`` puts
those versions next to the documented record (`load_reference`), which is later documentation
compiled from other sources, not an outlet.
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path
from typing import Any

import pandas as pd

from newslens._prefilter import Words, fold
from newslens.lexicons import LexiconError, data_dir
from newslens.timeline_lexicon import EventLexicon, EventType, load_lexicon, may_match, trigger_regex

EVENT_COLUMNS = [
    "event_id", "article_id", "sentence_id", "outlet", "kind", "role", "event_type", "trigger",
    "trigger_rule", "start", "end", "negated", "event_start_utc", "event_end_utc", "precision", "timex_id",
    "time_surface", "time_relative", "report_time_utc", "report_precision", "source",
    "source_type", "voice", "text",
]
COMPARE_COLUMNS = [
    "event_type", "outlet", "mentions", "timed_mentions", "earliest_utc", "latest_utc",
    "precision", "disagrees_with", "disagreement",
]
REFERENCE = "documented record (later)"
# Finest first: a comparison reports the finest precision an outlet gave.
PRECISIONS = ("minute", "hour", "part_of_day", "day", "week", "month", "season", "quarter",
              "year", "decade", "century", "span", "present", "report")
# What ends a clause for attachment and negation: "halted after they broke the terms".
_CLAUSE_BREAK = re.compile(r"[;:–—()]|,\s*(?:but|while|which|who)\b|\b(?:but|after|before|"
                           r"while|when|where|despite|although|however)\b", re.IGNORECASE)
_NEG_WINDOW = 80
_KIND_RANK = {"time": 0, "part_of_day": 0, "date": 0, "duration": 2}
# Rows as plain named tuples: `itertuples` is slow on Arrow-backed strings.
_Sentence = namedtuple("_Sentence", "sentence_id article_id start end kind role entry_time_utc")
_Timex = namedtuple("_Timex", "timex_id sentence_id start end surface kind granularity anchor value_start_utc "
                              "value_end_utc")
_NO_TIME, _ONE_DAY = pd.Timedelta(0), pd.Timedelta(days=1)


# --- finding events ------------------------------------------------------------------------------


def find_triggers(text: str, lexicon: EventLexicon) -> list[tuple[int, int, str, str]]:
    """(start, end, event_type, trigger) in one sentence; overlaps go to the longer match."""
    folded = fold(text)
    return _triggers(folded, Words(folded), lexicon)


def _triggers(folded: str, words: Words, lexicon: EventLexicon) -> list[tuple[int, int, str, str]]:
    """`find_triggers` of a sentence already folded, and its `Words`."""
    found = []
    types = lexicon.types
    for ti, gis in lexicon.live_triggers(words).items():
        etype = types[ti]
        triggers = etype.triggers
        hits = [(m.start(), m.end(), ti, gi, etype.name, triggers[gi][0])
                for gi in gis for m in triggers[gi][1].finditer(folded) if m.end() > m.start()]
        if hits and _applies(etype, folded, words):
            found += hits
    if len(found) < 2:
        return [(s, e, name, trig) for s, e, _, _, name, trig in found]
    taken: list[tuple[int, int, int, int, str, str]] = []
    for cand in sorted(found, key=lambda c: (c[0] - c[1], c[0], c[2], c[3])):
        if all(cand[1] <= t[0] or cand[0] >= t[1] for t in taken):
            taken.append(cand)
    return [(s, e, name, trig) for s, e, _, _, name, trig in sorted(taken)]


def _applies(etype: EventType, folded: str, words: Words) -> bool:
    """Whether the type's exclusions and context let its triggers count in this sentence."""
    if etype.exclude is not None and may_match(etype.exclude, words) and etype.exclude.search(folded):
        return False
    return etype.context is None or (may_match(etype.context, words) and bool(etype.context.search(folded)))


def _negated(text: str, start: int, negation: re.Pattern[str] | None) -> bool:
    if negation is None:
        return False
    before = fold(text[:start])
    if not may_match(negation, Words(before[max(0, start - _NEG_WINDOW):])):
        return False
    breaks = list(_CLAUSE_BREAK.finditer(before))
    # A cue far back in a long clause rarely governs the trigger ("will not end … a new deal").
    return bool(negation.search(before, max(breaks[-1].end() if breaks else 0, start - _NEG_WINDOW)))


def _rank(tx: Any, start: int, end: int, sentence: str, offset: int) -> tuple[int, int, int]:
    t0, t1 = int(tx.start) - offset, int(tx.end) - offset
    between = sentence[min(end, t1):max(start, t0)]
    kind = 3 if tx.granularity == "present" else _KIND_RANK.get(tx.kind, 2)
    if tx.kind == "date" and tx.granularity not in ("day", "present"):
        kind = 1
    return (1 if _CLAUSE_BREAK.search(between) else 0, kind, max(t0 - end, start - t1, 0))


def attach(candidates: pd.DataFrame, start: int, end: int, sentence: str, offset: int) -> Any | None:
    """The timex row (of one sentence) that best dates the trigger at sentence offsets
    ``start:end``; ``offset`` is the sentence's article-level start. None when none fits."""
    return _best(_usable(candidates.itertuples(index=False)), start, end, sentence, offset)


def _usable(rows: Any) -> list[Any]:
    """Timex rows that can date an event: not sets, both ends known."""
    return [tx for tx in rows if tx.kind != "set" and pd.notna(tx.value_start_utc) and pd.notna(tx.value_end_utc)]


def _best(usable: list[Any], start: int, end: int, sentence: str, offset: int) -> Any | None:
    if not usable:
        return None
    return min(usable, key=lambda tx: (*_rank(tx, start, end, sentence, offset), int(tx.start)))


def precision_of(tx: Any | None) -> str:
    """Precision of an event time from the timex that dates it (``report`` without one)."""
    if tx is None:
        return "report"
    if tx.kind == "duration":
        return "span"
    return str(tx.granularity)


def _sources(attributions: pd.DataFrame | None) -> dict[str, list[tuple[Any, ...]]]:
    """sentence_id → its attribution rows (sentence_id, start, source, source_type, nested_in),
    for `_voice_of` when the sentence has events."""
    if attributions is None or attributions.empty:
        return {}
    by_sentence: dict[Any, list[tuple[Any, ...]]] = {}
    columns = ("sentence_id", "start", "source", "source_type", "nested_in")
    for row in zip(*(attributions[c].tolist() for c in columns)):
        by_sentence.setdefault(row[0], []).append(row)
    return {sid: rows for sid, rows in by_sentence.items() if pd.notna(sid)}


def _voice_of(rows: list[tuple[Any, ...]]) -> tuple[str, str]:
    """(source, source_type) of a sentence's attribution rows: the innermost nested citation
    ("X (via Y)"), else the first source."""
    rows = sorted(rows, key=lambda r: r[1])
    nested = [r for r in rows if pd.notna(r[4]) and str(r[4]) != ""]
    if nested:
        _, _, source, source_type, outer = nested[-1]
        return f"{source} (via {outer})", str(source_type)
    return str(rows[0][2]), str(rows[0][3])


def _report_time(row: Any, article: Any) -> tuple[pd.Timestamp, str]:
    if pd.notna(row.entry_time_utc):
        return row.entry_time_utc, "minute"
    return article.published_utc, str(getattr(article, "published_precision", "minute") or "minute")


def _columns(frame: pd.DataFrame, row: Any, **defaults: Any) -> list[list[Any]]:
    """The columns of `frame` named by the fields of `row` as lists; `defaults` fill columns the
    frame lacks."""
    return [frame[c].tolist() if c in frame.columns or c not in defaults else [defaults[c]] * len(frame)
            for c in row._fields]


def _rows(frame: pd.DataFrame, row: Any, **defaults: Any) -> list[Any]:
    """The rows of `frame` as `row` named tuples; `defaults` fill columns the frame lacks."""
    return list(map(row._make, zip(*_columns(frame, row, **defaults))))


def _timex_by_sentence(timex: pd.DataFrame) -> dict[Any, list[Any]]:
    """sentence_id → the timex rows that can date an event, in table order."""
    out: dict[Any, list[Any]] = {}
    for tx in _usable(_rows(timex, _Timex)):
        out.setdefault(tx.sentence_id, []).append(tx)
    return out


def events(corpus: Any, timex: pd.DataFrame, *, attributions: pd.DataFrame | None = None,
           lexicon: EventLexicon | None = None) -> pd.DataFrame:
    """Event mentions of a corpus with their resolved event time (columns ``EVENT_COLUMNS``).

    Boilerplate is skipped; headlines and captions are kept (see ``kind`` and ``role``).
    ``event_id`` is ``f"{sentence_id}-e{k:02d}"`` with ``k`` the trigger's rank in its sentence.
    Without ``attributions`` the voice is ``unknown``.
    """
    lex = lexicon or load_lexicon()
    articles = {a.article_id: a for a in corpus.articles.itertuples(index=False)}
    by_sentence = _timex_by_sentence(timex)
    cited = _sources(attributions)
    records: list[tuple[Any, ...]] = []
    sentences = corpus.sentences[corpus.sentences["kind"] != "boilerplate"]
    texts = corpus.texts
    for values in zip(*_columns(sentences, _Sentence, role="")):
        sentence_id, article_id, start, end = values[:4]
        text = texts[article_id][start:end]
        folded = fold(text)
        words = Words(folded)
        found = _triggers(folded, words, lex)
        if found:
            rows = cited.get(sentence_id)
            records += _sentence_events(_Sentence._make(values), text, found, articles[article_id],
                                        by_sentence.get(sentence_id, []), _voice_of(rows) if rows else None,
                                        attributions is not None, lex.negation)
    frame = pd.DataFrame(dict(zip(EVENT_COLUMNS, map(list, zip(*records))))) if records else \
        pd.DataFrame.from_records([], columns=EVENT_COLUMNS)
    for col in ("event_start_utc", "event_end_utc", "report_time_utc"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    for col in ("start", "end"):
        frame[col] = frame[col].astype("int64")
    frame["negated"] = frame["negated"].astype(bool)
    frame["time_relative"] = frame["time_relative"].astype(bool)
    return frame.sort_values(["article_id", "start", "end"], kind="stable", ignore_index=True)


def _sentence_events(row: Any, text: str, found: list[tuple[int, int, str, str]], article: Any,
                     candidates: list[Any], cited: tuple[str, str] | None, voiced: bool,
                     negation: re.Pattern[str] | None) -> list[tuple[Any, ...]]:
    """The event records of one sentence (values in the order of `EVENT_COLUMNS`); ``cited`` is
    its (source, source_type), ``voiced`` whether attributions were given at all."""
    report, report_precision = _report_time(row, article)
    offset = int(row.start)
    source, source_type, voice = (*cited, "attributed") if cited else \
        (article.outlet, "outlet", "stated") if voiced else ("", "", "unknown")
    kept: list[tuple[str, str]] = []
    out = []
    for s, e, etype, trigger in found:
        tx = _best(candidates, s, e, text, offset)
        key = (etype, tx.timex_id if tx is not None else "")
        if key in kept:  # "went off after … violated": one event, two triggers
            continue
        kept.append(key)
        timed = (tx.value_start_utc, tx.value_end_utc, tx.timex_id, tx.surface,
                 tx.anchor not in ("absolute", "none")) if tx is not None else \
            (report, report + (_ONE_DAY if report_precision == "day" else _NO_TIME), "", "", False)
        out.append((f"{row.sentence_id}-e{len(kept) - 1:02d}", row.article_id, row.sentence_id, article.outlet,
                    row.kind, row.role, etype, text[s:e], trigger, offset + s, offset + e, _negated(text, s, negation),
                    timed[0], timed[1], precision_of(tx), timed[2], timed[3], timed[4], report,
                    report_precision, source, source_type, voice, text))
    return out


# --- comparing versions --------------------------------------------------------------------------


def _finest(values: pd.Series) -> str:
    order = {p: i for i, p in enumerate(PRECISIONS)}
    return min(values, key=lambda p: order.get(p, len(PRECISIONS))) if len(values) else "report"


def _overlap(a0: Any, a1: Any, b0: Any, b1: Any) -> bool:
    """Closed-interval overlap; an instant touching an interval's end counts."""
    return bool(a0 <= b1 and b0 <= a1)


def compare(events: pd.DataFrame) -> pd.DataFrame:
    """Each outlet's version of each event type: mentions, the earliest and latest claimed time
    (timed, non-denied mentions; report-time placements only when an outlet has nothing else),
    the finest precision, and the outlets whose intervals for that type do not overlap."""
    live = events[~events["negated"]]
    rows = []
    for (etype, outlet), grp in live.groupby(["event_type", "outlet"], sort=True):
        timed = grp[grp["precision"] != "report"]
        use = timed if len(timed) else grp
        rows.append({"event_type": etype, "outlet": outlet, "mentions": len(grp),
                     "timed_mentions": len(timed), "earliest_utc": use["event_start_utc"].min(),
                     "latest_utc": use["event_end_utc"].max(), "precision": _finest(use["precision"])})
    out = pd.DataFrame(rows, columns=COMPARE_COLUMNS[:-2])
    disagree = []
    for r in out.itertuples(index=False):
        others = out[(out["event_type"] == r.event_type) & (out["outlet"] != r.outlet)
                     & (out["timed_mentions"] > 0)]
        disagree.append(", ".join(o.outlet for o in others.itertuples(index=False)
                                  if r.timed_mentions and not _overlap(r.earliest_utc, r.latest_utc,
                                                                       o.earliest_utc, o.latest_utc)))
    out["disagrees_with"] = disagree
    out["disagreement"] = out["disagrees_with"] != ""
    for col in ("earliest_utc", "latest_utc"):
        out[col] = pd.to_datetime(out[col], utc=True)
    return out.reset_index(drop=True)


def load_reference(path: str | Path | None = None, *, lexicon: EventLexicon | None = None) -> pd.DataFrame:
    """The documented record (``data/reference/aleppo_evacuation_timeline.csv``): one row per
    documented event with ``ref_id`` (``r<line>``), parsed ``start_utc``/``end_utc`` and
    ``event_type`` as written (several types separated by ``;``). Errors name the line."""
    p = Path(path) if path else data_dir() / "reference" / "aleppo_evacuation_timeline.csv"
    try:
        ref = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise LexiconError(p, None, "file not found", "restore it from git") from None
    missing = {"event_type", "start_utc", "end_utc", "precision", "event"} - set(ref.columns)
    if missing:
        raise LexiconError(p, 1, f"missing columns {sorted(missing)}", "see data/reference/README.md")
    known = set((lexicon or load_lexicon()).labels())
    for i, r in enumerate(ref.itertuples(index=False), start=2):
        for t in filter(None, r.event_type.split(";")):
            if t.strip() not in known:
                raise LexiconError(p, i, f"unknown event_type {t!r}", f"use one of {sorted(known)}")
        try:
            pd.Timestamp(r.start_utc), pd.Timestamp(r.end_utc)
        except ValueError:
            raise LexiconError(p, i, f"unreadable start_utc/end_utc {r.start_utc!r}/{r.end_utc!r}",
                               "write ISO-8601 with Z, e.g. 2016-12-15T12:30Z") from None
    ref.insert(0, "ref_id", [f"r{i:02d}" for i in range(2, len(ref) + 2)])
    for col in ("start_utc", "end_utc"):
        ref[col] = pd.to_datetime(ref[col], utc=True)
    return ref


def _gap_hours(a0: Any, a1: Any, b0: Any, b1: Any) -> float:
    """Hours from interval b to interval a (negative: a is earlier; 0 when they overlap)."""
    if _overlap(a0, a1, b0, b1):
        return 0.0
    delta = (a0 - b1) if a0 > b1 else (a1 - b0)
    return round(delta.total_seconds() / 3600, 1)


def against_reference(events: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Each outlet's version (`compare`) next to the nearest documented event of the same type:
    ``offset_hours`` (0 when the intervals overlap; negative when the outlet's is earlier),
    ``matches_record``, and the record's own row (teller ``documented record (later)``)."""
    ref = reference.assign(event_type=reference["event_type"].str.split(";")).explode("event_type")
    ref = ref[ref["event_type"].fillna("").str.strip() != ""].assign(event_type=lambda d: d["event_type"].str.strip())
    rows = []
    for r in compare(events).itertuples(index=False):
        docs = ref[ref["event_type"] == r.event_type]
        best = None
        if len(docs):
            gaps = [abs(_gap_hours(r.earliest_utc, r.latest_utc, d.start_utc, d.end_utc)) for d in docs.itertuples()]
            best = docs.iloc[min(range(len(gaps)), key=lambda i: (gaps[i], i))]
        offset = _gap_hours(r.earliest_utc, r.latest_utc, best["start_utc"], best["end_utc"]) if best is not None else None
        rows.append({"event_type": r.event_type, "teller": r.outlet, "earliest_utc": r.earliest_utc,
                     "latest_utc": r.latest_utc, "precision": r.precision, "mentions": r.mentions,
                     "ref_id": best["ref_id"] if best is not None else "",
                     "offset_hours": offset, "matches_record": offset == 0 if best is not None else None})
    for d in ref.itertuples(index=False):
        rows.append({"event_type": d.event_type, "teller": REFERENCE, "earliest_utc": d.start_utc,
                     "latest_utc": d.end_utc, "precision": d.precision, "mentions": 0,
                     "ref_id": d.ref_id, "offset_hours": 0.0, "matches_record": True})
    out = pd.DataFrame(rows)
    record = reference.set_index("ref_id")
    out["record_event"] = out["ref_id"].map(record["event"]).fillna("")
    out["record_confidence"] = out["ref_id"].map(record["confidence"]).fillna("")
    out["is_record"] = out["teller"] == REFERENCE
    return out.sort_values(["event_type", "is_record", "earliest_utc", "teller"],
                           ascending=[True, False, True, True], kind="stable", ignore_index=True)


__all__ = ["EVENT_COLUMNS", "COMPARE_COLUMNS", "REFERENCE", "PRECISIONS", "EventType", "EventLexicon",
           "trigger_regex", "load_lexicon", "find_triggers", "attach", "precision_of", "events",
           "compare", "load_reference", "against_reference"]
