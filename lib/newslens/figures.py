"""Figures: the quantities a text states, with their hedges, units, entities and events.

``extract(text)`` returns one row per quantity with columns ``start, end, surface, value_low,
value_high, approx, unit, entity, event``; ``text[start:end] == surface``. It uses compiled
regular expressions and word tables only (see :mod:`newslens._figure_patterns`), never a model.

>>> row = extract("Over 4,500 militants have been evacuated.").iloc[0]
>>> float(row.value_low), row.approx, row.entity, row.event
(4500.0, 'more_than', 'militants', 'evacuated')

What counts as a figure
-----------------------
- Digits with separators and decimals ("3,000", "4.5"), scale words and suffixes ("1.5 million",
  "$2bn", "5k"), spelled numbers ("twenty-one", "a dozen" = 12, "half a dozen" = 6).
- Ranges ("4,000 to 5,000", "4,000-5,000", "between X and Y", "2-3 days"): approx ``range``.
- Hedges before the number ("over", "at least", "up to", "about", "an estimated"...) and after
  it ("3,000+", "or more", "40-odd") set ``approx``; "a total of" and "only" are neutral.
- Fractions ("half of them", "two thirds") are values below 1 with unit ``fraction``; they are
  not converted to percent, because the base ("them") is rarely stated in the same clause.
- Ages ("over the age of 12", "aged 12") are reported with unit ``years`` and entity ``age``:
  a threshold in a claim ("all males over the age of 12") is worth comparing across outlets.
- Vague quantities get ``approx="vague"`` and a nominal range:

  ==================== =====================
  phrase               value_low-value_high
  ==================== =====================
  tens of / 10s of     20-99
  dozens               24-99
  scores of            40-99
  hundreds / 100s      200-999
  thousands / 1000s    2,000-9,999
  tens of thousands    20,000-99,999
  hundreds of thousands 200,000-999,999
  millions             2,000,000-9,999,999
  several hundred      300-999 (several N: 3N to 10N-1)
  a few thousand       2,000-5,000 (a few N: 2N to 5N)
  a handful of         3-5
  a couple of          2-3
  ==================== =====================

Not figures: dates ("December 15", "16/12/2016"), years ("2016", "the 1990s") unless a count
noun follows ("2000 people"), clock times ("12:30 GMT", "5am"), ordinals ("22nd", "first"),
labels ("Day 1", "Phase 2"), names with numbers ("Er-Rashidin-4", "F-16", "Aleppo 24 said"),
text-speak ("4 now"), phone numbers, IP addresses, page chrome ("2 min read"), weapon calibres
("23 mm machine gun": it names a weapon, it does not count anything), relative times ("3 days
ago"), and a bare "one" unless a unit or a known noun follows ("one of them" is not a count).

Entities and events
-------------------
``entity`` is the head noun after the number in the same clause, normalised through a table
(plural, lower case: "busses" -> "buses", "cars" -> "vehicles", "armed men" -> "fighters"); the
outlet's framing words ("terrorists", "militants", "rebels") are kept as written. An unknown
plural noun is kept as written (lower case). For measures (km, days, percent, money) the entity is
the unit, except "N percent of the people" -> "people".
``event`` comes from the nearest event word after the entity in the same sentence (else the
nearest before it): evacuated, trapped, killed, wounded, pardoned, detained, planned (future or
intention), controlled, provided. Vehicles that "will evacuate" are ``provided``. Distances and
durations get no event.

Figures of a corpus, compared
-----------------------------
``from_corpus(corpus)`` runs ``extract`` on every analysed sentence and adds provenance (article,
sentence, offsets into the article's clean text), who the figure is attributed to and the time it
is "as of" (columns :data:`CORPUS_COLUMNS`; the rules are in its docstring). ``compare(figures)``
groups comparable figures into claims and compares the outlets (:mod:`newslens.claims`);
``inconsistencies(figures)`` lists what an article contradicts itself on; ``load_reference()``
reads the later documented record (``data/reference/figures.csv``).
"""

from newslens._figure_extract import COLUMNS, extract, extract_rows

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import pandas as pd

from newslens.claims import compare, inconsistencies, load_reference, load_rules

__all__ = ["COLUMNS", "CORPUS_COLUMNS", "compare", "extract", "from_corpus", "inconsistencies",
           "load_reference", "load_rules"]

CORPUS_COLUMNS = [
    "figure_id", "article_id", "sentence_id", "start", "end", "surface", "value_low", "value_high",
    "approx", "unit", "entity", "event", "attributed_to", "source_type", "voice", "time_ref",
    "time_ref_basis", "time_ref_surface", "as_of_date", "time_zone", "outlet", "kind", "role", "sentence_voice",
    "sentence_start", "text",
]
ANALYSED_KINDS = ("body", "quote", "social")
KEPT_ROLES = ("crosslink",)  # page furniture that still makes a claim ("3,000+ militants … leave")
# Finer than a day: a week or a month names when something happened, not what a count is as of.
_AS_OF_GRANULARITY = {"day", "part_of_day", "hour", "minute", "present"}
_AS_OF_KINDS = {"date", "part_of_day", "time"}
# "since the operation was launched on Thursday" dates the start of a count, not its as-of.
_SINCE = re.compile(r"\bsince\b[^,;.]{0,40}$", re.IGNORECASE)
# "…, the General Staff said (Thursday)." credits what came before; "Russia says X" credits X only.
_TRAILING = re.compile(
    r"[^.;:“\"]{0,120}?\b(?:said|says|say|told|tells|added|adds|reported|reports|announced|stated|"
    r"claimed|claims|noted|confirmed|disclosed|underlined)\b(?:\s+in\s+a\s+statement)?"
    r"(?:\s+(?:on\s+)?(?:\w+day|today|earlier|later))?"
    r"\s*(?:[,.;]|$)", re.IGNORECASE)
# "… begins – Russian General Staff": a headline's trailing dash names its source.
_CREDIT = re.compile(r"\s[–—-]\s*([^–—-]{2,60}?)\s*$")


def from_corpus(corpus: Any, *, attributions: pd.DataFrame | None = None, timex: pd.DataFrame | None = None,
                voice: pd.DataFrame | None = None, include_boilerplate: bool = False) -> pd.DataFrame:
    """Every figure in the corpus with its provenance, source and as-of time (:data:`CORPUS_COLUMNS`).

    - Sentences: kinds body, quote and social; headlines (``role`` "headline") and cross-link
      headlines (``role`` "crosslink", kind boilerplate) are kept and marked in ``role``; other
      boilerplate only with ``include_boilerplate``. Captions are never read.
    - ``figure_id`` is ``f"{sentence_id}-f{k:02d}"``, k the figure's rank in its sentence;
      ``start``/``end`` are offsets into the article's clean text.
    - ``attributed_to``: of the sources the sentence cites (``attributions``), the one named
      nearest before the figure (a nested source comes after its carrier, so "RIA cited a Syrian
      Army source" gives the Syrian Army); else one named after it in the same clause; else a
      source carried over from another sentence (a continued quote). In headlines and cross-links
      a trailing "– Russian MoD" names the source. Otherwise the outlet itself.
      ``voice`` is "attributed" when that is a source, "stated" when it is the outlet; a quote
      or post whose speaker is unknown is "attributed" to "unnamed source". A source the sentence
      names for another part of it ("stopped by fighters – Hezbollah, according to some sources")
      is not credited with the figure.
    - ``time_ref`` (UTC): the start of the date, part of day or clock time in the sentence nearest
      the figure (``time_ref_basis`` "sentence"; weeks, months and "since …" do not count), else
      the live-blog entry's time ("entry"), else the article's publication time ("published").
      ``as_of_date`` is the calendar day of ``time_ref`` in the story's time zone (``time_zone``);
      for an entry or publication time, in the article's own time zone (manifest ``timezone``)
      when it has one: a London live blog posting at 23:13 GMT is still writing about that day.
    - ``sentence_voice`` is the sentence's voice from the ``voice`` table (a sentence can cite a
      source for one figure and state another itself).

    Tables not given are computed from the corpus (``newslens.sources``, ``newslens.timex``).
    """
    from newslens import sources, timex as timex_mod

    attributions = sources.attribute(corpus) if attributions is None else attributions
    voice = sources.voice(corpus, attributions) if voice is None else voice
    timex = timex_mod.from_corpus(corpus) if timex is None else timex
    zone = (getattr(corpus, "story", None) or {}).get("event_timezone") or "UTC"
    analysed = _analysed(corpus.sentences, include_boilerplate=include_boilerplate)
    found = _extracted(analysed["text"].tolist())
    # Only the sentences that state a figure are joined with the other tables.
    hits = [i for i, rows_of in enumerate(found) if rows_of]
    stating = analysed.iloc[hits]
    ids = set(stating["sentence_id"].tolist())
    lookup = _Lookups(articles=_articles(corpus.articles, zone), cited=_by_sentence(attributions, _CITED, ids),
                      dated=_by_sentence(_as_of_candidates(timex), _DATED, ids),
                      voiced={sid: said[-1][0] for sid, said in _by_sentence(voice, ["voice"], ids).items()},
                      lexicon=sources.load_sources())
    rows: list[tuple] = []
    zones: list[str] = []
    for sent, i in zip(_sentence_tuples(stating), hits):
        _add_rows(rows, zones, sent, found[i], lookup, zone)
    return _frame(rows, zones, zone)


def _extracted(texts: list[str]) -> list[list[tuple]]:
    """:func:`extract_rows` of each text; a text repeated in the list is read once (page furniture
    and wire copy repeat sentences verbatim)."""
    seen: dict[str, list[tuple]] = {}
    out = []
    for text in texts:
        found = seen.get(text)
        if found is None:
            found = seen[text] = extract_rows(text)
        out.append(found)
    return out


class _Sentence(NamedTuple):
    sentence_id: str
    article_id: str
    start: int
    end: int
    kind: str
    role: str
    text: str
    entry_time_utc: Any


class _Lookups(NamedTuple):
    """What a sentence's figures are joined with, keyed once per call."""

    articles: dict[str, tuple[str, Any, str]]  # article_id -> (outlet, published_utc, writer's zone)
    cited: dict[str, list[tuple]]  # sentence_id -> attributions (start, end, source, source_type)
    dated: dict[str, list[tuple]]  # sentence_id -> as-of candidates (start, value_start_utc, surface)
    voiced: dict[str, str]
    lexicon: Any


_CITED = ["start", "end", "source", "source_type"]
_DATED = ["start", "value_start_utc", "surface"]


def _analysed(sentences: pd.DataFrame, *, include_boilerplate: bool) -> pd.DataFrame:
    kinds = ANALYSED_KINDS + (("boilerplate",) if include_boilerplate else ())
    roles = sentences["role"] if "role" in sentences.columns else pd.Series("", index=sentences.index)
    keep = sentences["kind"].isin(kinds) | roles.isin(KEPT_ROLES)
    return sentences[keep].sort_values(["article_id", "start"], kind="stable")


def _sentence_tuples(sentences: pd.DataFrame) -> Iterator[_Sentence]:
    def column(name: str, default: Any) -> list[Any]:
        return sentences[name].tolist() if name in sentences.columns else [default] * len(sentences)

    return map(_Sentence._make, zip(*(column(name, None if name == "entry_time_utc" else "")
                                      for name in _Sentence._fields)))


def _articles(articles: pd.DataFrame, default_zone: str) -> dict[str, tuple[str, Any, str]]:
    zones = articles["timezone"].tolist() if "timezone" in articles.columns else [""] * len(articles)
    return {a: (outlet, published, tz if isinstance(tz, str) and tz else default_zone) for a, outlet, published, tz
            in zip(articles["article_id"].tolist(), articles["outlet"].tolist(), articles["published_utc"].tolist(), zones)}


def _by_sentence(table: pd.DataFrame, columns: list[str], ids: set[str]) -> dict[str, list[tuple]]:
    """Rows of ``table`` as tuples of ``columns``, per sentence of ``ids``, in table order."""
    sids = table["sentence_id"].tolist()
    keep = [i for i, sid in enumerate(sids) if sid in ids]
    table = table.iloc[keep]
    out: dict[str, list[tuple]] = {}
    for sid, values in zip([sids[i] for i in keep], zip(*(table[c].tolist() for c in columns))):
        out.setdefault(sid, []).append(values)
    return out


def _add_rows(rows: list[tuple], zones: list[str], sent: _Sentence, found: list[tuple], lookup: _Lookups,
              zone: str) -> None:
    """Append the :data:`CORPUS_COLUMNS` rows of one sentence's figures, and each one's day zone."""
    outlet, published, writer_zone = lookup.articles[sent.article_id]
    credit = _credit(sent.text, lookup.lexicon) if sent.role in ("headline", "crosslink") else None
    cited = lookup.cited.get(sent.sentence_id, [])
    inside = [c for c in cited if sent.start <= c[0] < sent.end]
    carried = next((c for c in cited if not sent.start <= c[0] < sent.end), None)
    local = [d for d in lookup.dated.get(sent.sentence_id, []) if not _SINCE.search(sent.text[:d[0] - sent.start])]
    fallback = _fallback_time(sent.entry_time_utc, published)
    sentence_voice = lookup.voiced.get(sent.sentence_id, "")
    for k, fig in enumerate(found):
        start, end = sent.start + fig[0], sent.start + fig[1]
        who, stype = credit or _source_for(sent, start, inside, carried) or _unnamed(sent.kind, outlet)
        when, basis, surface = _time_for(start, local) or fallback
        zones.append(zone if basis == "sentence" else writer_zone)
        rows.append((f"{sent.sentence_id}-f{k:02d}", sent.article_id, sent.sentence_id, start, end, *fig[2:],
                     who, stype, "stated" if who == outlet else "attributed", when, basis, surface, None, None,
                     outlet, sent.kind, sent.role, sentence_voice, sent.start, sent.text))


def _source_for(sent: _Sentence, at: int, inside: list[tuple], carried: tuple | None) -> tuple[str, str] | None:
    """(source, source_type) the sentence credits with the figure at article offset ``at``, if any."""
    before = None
    after = None
    for c in inside:
        if c[0] < at and (before is None or c[:2] >= before[:2]):
            before = c  # the last named, by (start, end)
        elif c[0] > at and (after is None or c[0] < after[0]):
            after = c  # the first named
    if before is not None:
        return before[2], before[3]
    if after is not None and _credits_before(sent, after):
        return after[2], after[3]
    return None if carried is None else (carried[2], carried[3])


def _unnamed(kind: str, outlet: str) -> tuple[str, str]:
    return ("unnamed source", "unknown") if kind in ("quote", "social") else (outlet, "outlet")


def _credits_before(sent: _Sentence, cited: tuple) -> bool:
    """Whether a source named after a figure is credited with it: "…, the General Staff said
    (on Thursday)." or "…, according to the Center." close the sentence; "Russia says X" does not."""
    start, end = int(cited[0]) - sent.start, int(cited[1]) - sent.start
    return bool(_TRAILING.match(sent.text, start)) or not sent.text[end:].strip(" .”\"')")


def _credit(text: str, lexicon: Any) -> tuple[str, str] | None:
    """The source a headline credits in a trailing "– X", resolved through the source lexicon."""
    m = _CREDIT.search(text)
    if m is None:
        return None
    found = lexicon.resolve(m.group(1))
    if found:
        return found[0], found[1]
    return (m.group(1), "unknown") if len(m.group(1).split()) <= 4 else None


def _as_of_candidates(timex: pd.DataFrame) -> pd.DataFrame:
    ok = timex["kind"].isin(_AS_OF_KINDS) & timex["granularity"].isin(_AS_OF_GRANULARITY)
    return timex[ok & timex["value_start_utc"].notna()]


def _time_for(at: int, local: list[tuple]) -> tuple[Any, str, str] | None:
    """(time_ref, "sentence", surface) of the as-of candidate nearest article offset ``at``, if any."""
    if not local:
        return None
    best = min(local, key=lambda d: (abs(d[0] - at), d[0]))
    return best[1], "sentence", best[2]


def _fallback_time(entry: Any, published: Any) -> tuple[Any, str, str]:
    if entry is not None and pd.notna(entry):
        return entry, "entry", ""
    return published, "published", ""


def _frame(rows: list[tuple], zones: list[str], zone: str) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=CORPUS_COLUMNS)
    out["time_ref"] = pd.to_datetime(out["time_ref"], utc=True)
    out["as_of_date"] = _local_days(out["time_ref"], pd.Series(zones, index=out.index, dtype=object))
    out["time_zone"] = zone
    for col in ("start", "end", "sentence_start"):
        out[col] = out[col].astype("int64")
    for col in ("value_low", "value_high"):
        out[col] = out[col].astype("float64")
    text = [c for c in CORPUS_COLUMNS if c not in ("start", "end", "sentence_start", "value_low", "value_high", "time_ref")]
    out[text] = out[text].fillna("").astype("str")
    return out.sort_values(["article_id", "start", "figure_id"], kind="stable").reset_index(drop=True)


def _local_days(times: pd.Series, zones: pd.Series) -> pd.Series:
    """"YYYY-MM-DD" of each time in its own time zone."""
    days = pd.Series("", index=times.index, dtype=object)
    for z in zones.unique():
        at = zones == z
        days[at] = times[at].dt.tz_convert(z).dt.strftime("%Y-%m-%d").astype(object)
    return days
