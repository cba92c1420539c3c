"""The corpus table behind :func:`newslens.timex.from_corpus`, built in one pass.

Per sentence the work is only what can change the result: sentences without a head token or
failing the gate are skipped before any context is built, each (anchor instant, writer zone)
gets its context once, and the rows go into column lists that become one DataFrame at the end.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

import pandas as pd

from newslens import _timex_values as V
from newslens._timex_scan import context, sentence

COLUMNS = ["start", "end", "surface", "kind", "timex3", "value_start_utc", "value_end_utc",
           "granularity", "anchor", "confidence", "mod", "duration_min", "duration_max"]
CORPUS_COLUMNS = ["timex_id", "article_id", "sentence_id", *COLUMNS]
_UTC = timezone.utc
_MIN = datetime(1678, 1, 1, tzinfo=timezone.utc)  # the span of nanosecond timestamps
_MAX = datetime(2262, 1, 1, tzinfo=timezone.utc)


def _in_range(value: Any) -> Any:
    if value is None or pd.isna(value):
        return None
    return value if _MIN < value < _MAX else None


def to_frame(data: list[dict[str, Any]] | dict[str, list[Any]], columns: list[str]) -> pd.DataFrame:
    """The table of ``data``: records, or one list per column (in ``columns`` order)."""
    if not isinstance(data, dict):
        data = {col: [r[col] for r in data] for col in columns}
    # A year like 1058 or 9999 is a value TIMEX3 can state but a nanosecond timestamp cannot:
    # the expression keeps its timex3 value and gets no interval.
    for col in ("value_start_utc", "value_end_utc"):
        data[col] = [None if v is None else _in_range(v) for v in data[col]]
    frame = pd.DataFrame(data, columns=columns) if data[columns[0]] else \
        pd.DataFrame.from_records([], columns=columns)
    for col in ("value_start_utc", "value_end_utc"):
        frame[col] = pd.to_datetime(frame[col], utc=True).astype("datetime64[ns, UTC]")
    for col in ("start", "end"):
        frame[col] = frame[col].astype("int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    return frame


def anchor_label(res: V.Res, ctx_anchor: str) -> str:
    if res.rel:
        return ctx_anchor
    return "none" if res.kind in ("duration", "set") and res.lo is None else "absolute"


def story_zone(corpus: Any) -> str:
    story = getattr(corpus, "story", None) or {}
    return story.get("event_timezone") or "UTC"


def writer_zones(articles: pd.DataFrame) -> dict[str, str | None]:
    if "timezone" not in articles.columns:
        return {}
    return {a: (z if isinstance(z, str) and z else None)
            for a, z in zip(articles["article_id"], articles["timezone"])}


def _sentence_columns(corpus: Any, include_boilerplate: bool) -> list[list[Any]]:
    """sentence_id, article_id, start, end, entry time and whether it is missing, as lists."""
    sentences = corpus.sentences
    has_entry = "entry_time_utc" in sentences.columns
    names = ["sentence_id", "article_id", "start", "end"] + (["entry_time_utc"] if has_entry else [])
    picked = sentences[names]
    if not include_boilerplate:
        picked = picked[sentences["kind"] != "boilerplate"]
    columns = [picked[name].tolist() for name in names]
    if has_entry:
        columns.append(picked["entry_time_utc"].isna().tolist())
    else:
        columns += [[None] * len(picked), [True] * len(picked)]
    return columns


def table(corpus: Any, *, include_boilerplate: bool, local_tz: str | tzinfo | None,
          dayfirst: bool) -> pd.DataFrame:
    zone = story_zone(corpus) if local_tz is None else local_tz
    published = dict(zip(corpus.articles["article_id"], corpus.articles["published_utc"]))
    writers = writer_zones(corpus.articles)
    texts = corpus.texts
    # (context, anchor label) per article (sentences without an entry time) or per entry time.
    contexts: dict[Any, tuple[V.Ctx, str]] = {}
    out: list[list[Any]] = [[] for _ in CORPUS_COLUMNS]
    (o_id, o_article, o_sentence, o_start, o_end, o_surface, o_kind, o_timex3, o_lo, o_hi,
     o_gran, o_anchor, o_conf, o_mod, o_dmin, o_dmax) = out
    for sentence_id, article_id, start, end, entry, missing in \
            zip(*_sentence_columns(corpus, include_boilerplate)):
        anchor_at = published[article_id] if missing else entry
        if missing:
            key: Any = article_id
        else:
            published[article_id]  # noqa: B018 -- an unknown article fails here, as ever
            key = (type(entry), entry, getattr(entry, "tzinfo", None), writers.get(article_id))
        text = texts[article_id][start:end]
        known = contexts.get(key)
        if known is None:
            label = context("", anchor_at, zone, dayfirst).anchor
            known = contexts[key] = (context("", anchor_at, zone, dayfirst,
                                             writers.get(article_id)), label)
        if not text:
            continue
        base, label = known
        offset = int(start)
        for k, res in enumerate(sentence(text, base)):
            o_id.append(f"{sentence_id}-t{k:02d}")
            o_article.append(article_id)
            o_sentence.append(sentence_id)
            o_start.append(res.start + offset)
            o_end.append(res.end + offset)
            o_surface.append(text[res.start:res.end])
            o_kind.append(res.kind)
            o_timex3.append(res.timex3)
            o_lo.append(res.lo.astimezone(_UTC) if res.lo else None)
            o_hi.append(res.hi.astimezone(_UTC) if res.hi else None)
            o_gran.append(res.gran)
            o_anchor.append(anchor_label(res, label))
            o_conf.append(round(res.conf, 2))
            o_mod.append(res.mod)
            o_dmin.append(res.dmin)
            o_dmax.append(res.dmax)
    frame = to_frame(dict(zip(CORPUS_COLUMNS, out)), CORPUS_COLUMNS)
    return frame.sort_values(["article_id", "start", "end"], kind="stable", ignore_index=True)
