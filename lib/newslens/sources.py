"""Attribution: who each sentence cites, how, and where an outlet disputes a source.

Three tables, each a pure function of the corpus and the source lexicon
(`data/lexicons/sources.yaml`, loaded by `load_sources` of `newslens.sources_lexicon`):

- `attribute` → attributions: sentence_id, article_id, source, source_type, cue, start, end,
  surface, carried, nested_in. `start/end` are offsets of the source mention in the article's clean
  text. Sources not in the lexicon are kept as written with source_type "unknown".
- `voice` → for every sentence, "attributed" (cited) or "stated" (the outlet's own assertion).
- `disputes` → sentences in which the outlet, or a cited source, contradicts a source
  (in `newslens.disputes`, which builds on this module).

>>> lex = load_sources()
>>> lex.resolve("the Russian Center for Reconciliation in Syria")[0]
'Russian Reconciliation Center'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, NamedTuple, Sequence

import pandas as pd

from newslens._prefilter import Prefilter, Words, fold
from newslens.sources_lexicon import ANAPHOR_KINDS, SOURCE_TYPES, SourceLexicon, alias_key, load_sources

COLUMNS = ["sentence_id", "article_id", "source", "source_type", "cue", "start", "end",
           "surface", "carried", "nested_in"]

_VERBS = (r"said in a statement|said|cited|quoted|says|say|told|tells|tell|reported|reports|report|added|adds|"
          r"claimed|claims|denied|denies|announced|announces|noted|notes|stated|disclosed|"
          r"confirmed|confirms|tweeted|tweets|wrote|writes|posted|reiterated|underlined|stressed|"
          r"pointed out|warned|insisted|explained|declared|alleged|revealed")
_CUE_VERB = re.compile(rf"\b({_VERBS})\b", re.IGNORECASE)
# "reports"/"claims"/"notes" are nouns as often as verbs: as verbs they introduce content.
_NOUN_LIKE = {"reports", "report", "claims", "notes", "tweets"}
_INTRODUCES = re.compile(r"\s*(?:that\b|:|,|“|\"|from\b|on\b|in\b)")
_ACCORDING = re.compile(r"\baccording to\s+([^,.;:–—()\n“”\"]+)", re.IGNORECASE)
_CITING = re.compile(r"\b(cited|citing|quoted|quoting)\s+(.+?)(?=\s+as saying\b|[,.;:]|$)",
                     re.IGNORECASE)
_FROM = re.compile(r"\b(statement|testimony)\s+from\s+([^,.;:–—()\n]+)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# Where the subject of a speech verb begins: the last clause break before the verb.
_CLAUSE_BREAK = re.compile(r"[,;:.!?“”\"\[\]–—]|\b(?:that|while|but|as|after|when|and)\b",
                           re.IGNORECASE)
_EDGE_WORDS = {"also", "earlier", "later", "previously", "then", "further", "however", "meanwhile",
               "has", "have", "had", "reportedly", "even", "but", "and", "in", "addition", "now",
               "finally", "already", "tonight", "today"}
_PASSIVE = re.compile(r"\b(?:was|were|been|be|is|are|being)\Z", re.IGNORECASE)  # see _passive
_HEADS = {"source", "sources", "official", "officials", "spokesman", "spokeswoman",
          "spokesperson", "expert", "analyst", "witness", "commander", "commanders", "journalist",
          "reporter", "correspondent", "agency", "ministry", "minister", "statement",
          "television", "tv", "channel", "activist", "resident", "residents", "doctor",
          "doctors", "officer", "observers", "monitor", "group", "police", "governor"}
_PERSON_HEADS = {"official", "spokesman", "spokeswoman", "spokesperson", "expert", "analyst",
                 "witness", "commander", "journalist", "reporter", "correspondent", "activist",
                 "resident", "doctor", "officer", "general", "source", "editor", "director"}
_STOP = {"with", "to", "that", "which", "who", "by", "for", "is", "are", "was", "were", "be",
         "this", "there", "we", "they", "i", "you", "it", "others", "these", "those"}


# The words each cue pattern needs (_CUE_VERB, _ACCORDING, _CITING, _FROM, _HANDLE), then those of
# each speech verb of _CUE_VERB: a sentence without them is not scanned with it, and is scanned for
# only the verbs it may hold.
_VERB_LIST = _VERBS.split("|")
_CUES = Prefilter([[tuple(v.split()[0] for v in _VERB_LIST)], [("according",)],
                   [("cited", "citing", "quoted", "quoting")], [("statement", "testimony")], [("@",)]]
                  + [[(w,) for w in v.split()] for v in _VERB_LIST])
_FIRST_VERB = 5  # index in _CUES of the first verb of _VERB_LIST


@lru_cache(maxsize=1024)
def _cue_verbs(verbs: tuple[int, ...]) -> re.Pattern[str]:
    """_CUE_VERB with only the verbs `verbs` (indices into _VERB_LIST): it finds the same verbs in a
    text that holds no other."""
    return re.compile(rf"\b({'|'.join(_VERB_LIST[i] for i in verbs)})\b", re.IGNORECASE)


class _Hit(NamedTuple):
    """One source mention in a sentence (sentence-local offsets)."""

    start: int
    end: int
    cue: str
    cue_end: int
    source: str | None = None  # None: an anaphor still to resolve
    source_type: str = "unknown"
    person: bool = False
    anaphor: str = ""
    nested_in: str | None = None


_NAME_WORD = re.compile(r"[\w@][\w@.'’\-]*")
_QUOTE_END = ("”", '"')
# The last clause break of a text (greedy: tried from the end), as the last match of _CLAUSE_BREAK.
_LAST_BREAK = re.compile(rf"(?s:.*)(?:{_CLAUSE_BREAK.pattern})", re.IGNORECASE)
_STATEMENT = re.compile(r"'s\s+statement$", re.IGNORECASE)
# What may not touch an alias match on its left, and on its right (see SourceLexicon.pattern).
_ALIAS_BEFORE = re.compile(r"[\w@]")
_ALIAS_AFTER = re.compile(r"\w")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to the words that can name a source (drop 'also', 'has', commas)."""
    words = list(_NAME_WORD.finditer(text, start, end))
    while words and words[-1].group().lower() in _EDGE_WORDS:
        words.pop()
    while words and words[0].group().lower() in _EDGE_WORDS:
        words.pop(0)
    if not words:
        return start, start
    return words[0].start(), words[-1].end()


def _subject_span(text: str, verb_start: int) -> tuple[int, int]:
    """Where the subject of a verb at `verb_start` lies; skips an appositive ("X, expert, told")."""
    left = text[:verb_start].rstrip()
    if left.endswith(","):
        inner = left[:-1]
        comma = inner.rfind(",")
        if comma >= 0 and not inner[:comma].rstrip().endswith(_QUOTE_END):
            left = inner[:comma]
    last = _LAST_BREAK.match(left)
    return _trim(text, last.end() if last else 0, len(left))


def _passive(text: str, end: int) -> bool:
    """Whether text[:end] ends with "was", "is", "been"… and a space: the verb after it is passive."""
    left = text[:end].rstrip()
    return len(left) < end and _PASSIVE.search(left, max(0, len(left) - 5)) is not None


def _resolve(lex: SourceLexicon, text: str, aliases: list[re.Match[str]], start: int, end: int
             ) -> tuple[str, str, int, int, bool] | None:
    """``lex.resolve(text[start:end])``, offsets in `text`, from `aliases` (the lexicon's matches
    in the folded text): they are the span's own where the characters just outside the span may
    not touch an alias and no match crosses the span's ends."""
    if (start and _ALIAS_BEFORE.match(text, start - 1)) or _ALIAS_AFTER.match(text, end):
        found = lex.resolve(text[start:end])
        return found and (*found[:2], start + found[2], start + found[3], found[4])
    best = None
    for m in aliases:
        s, e = m.span()
        if s < start < e or s < end < e:
            found = lex.resolve(text[start:end])
            return found and (*found[:2], start + found[2], start + found[3], found[4])
        if start <= s and e <= end and (best is None or e - s > best.end() - best.start()):
            best = m
    if best is None:
        return None
    name, person = lex.aliases[_match_key(best.group())]
    return name, lex.types[name], best.start(), best.end(), person


def _name_hit(lex: SourceLexicon, text: str, start: int, end: int, cue: str, cue_end: int,
              *, strict: bool, aliases: list[re.Match[str]]) -> _Hit | None:
    """Resolve the words text[start:end] to a source: lexicon alias, anaphor or unknown surface
    (`aliases`: the lexicon's matches in the folded sentence)."""
    span = text[start:end]
    words = fold(span.lower()).split()
    bare = alias_key(_STATEMENT.sub("", fold(span)))
    if bare in lex.anaphors:
        return _Hit(start, start + len(bare), cue, cue_end, anaphor=bare)
    distinct = set(words)
    found = _resolve(lex, text, aliases, start, end)
    if found:
        name, stype, s, e, person = found
        return _Hit(s, e, cue, cue_end, name, stype, person or bool(_PERSON_HEADS & distinct))
    # Outside the lexicon, accept only what reads like a name or a source ("local officials").
    plausible = 0 < len(words) <= 6 and not _STOP & distinct and (
        _HEADS & distinct or (len(words) > 1 and all(w[:1].isupper() for w in span.split())))
    if strict or not plausible:
        return None
    return _Hit(start, end, cue, cue_end, span, "unknown", bool(_PERSON_HEADS & distinct))


def _sentence_hits(lex: SourceLexicon, text: str, kind: str, words: Words | None = None,
                   aliases: list[re.Match[str]] | None = None) -> list[_Hit]:
    """Every source named in one sentence, with its cue; anaphors left unresolved (`words`: those
    of the folded text, `aliases`: the lexicon's matches in it, when the caller has them)."""
    folded = fold(text)
    words = words or Words(folded)
    cues = _CUES.candidates(words)
    if not cues:
        return []
    aliases = list(lex.finditer(folded, words)) if aliases is None else aliases
    hits: list[_Hit] = []
    verbs = tuple(i - _FIRST_VERB for i in cues if i >= _FIRST_VERB)
    for m in _cue_verbs(verbs).finditer(folded) if verbs else ():
        verb = m.group(1).lower()
        if _passive(folded, m.start()) or (verb in _NOUN_LIKE and not _INTRODUCES.match(folded, m.end())):
            continue
        s, e = _subject_span(folded, m.start())
        hit = _name_hit(lex, text, s, e, verb, m.end(), strict=False, aliases=aliases) if e > s else None
        if hit:
            hits.append(hit)
    for m in _ACCORDING.finditer(folded) if 1 in cues else ():
        s, e = _trim(text, m.start(1), m.end(1))
        hit = _name_hit(lex, text, s, e, "according to", m.start(1), strict=False, aliases=aliases)
        hits.append(hit) if hit else None
    for pattern, strict, k in ((_CITING, False, 2), (_FROM, True, 3)):
        for m in pattern.finditer(folded) if k in cues else ():
            s, e = _trim(text, m.start(2), m.end(2))
            hit = _name_hit(lex, text, s, e, m.group(1).lower(), m.start(2), strict=strict, aliases=aliases)
            hits.append(hit) if hit else None
    for m in _HANDLE.finditer(folded) if 4 in cues else ():
        found = lex.aliases.get(alias_key(m.group()))
        name, stype = (found[0], lex.types[found[0]]) if found else (m.group(), "unknown")
        hits.append(_Hit(m.start(), m.end(), "tweet" if kind == "social" else "handle", m.end(), name, stype, True))
    if len(hits) < 2:  # nothing to sort or nest
        return hits
    return _nest(sorted({(h.start, h.end): h for h in hits}.values(), key=lambda h: (h.start, h.cue)))


def _nest(hits: list[_Hit]) -> list[_Hit]:
    """A mention inside what an earlier source said is nested in it ("X cited Y as saying")."""
    out: list[_Hit] = []
    for h in hits:
        outer = [o for o in out if o.cue_end <= h.start and o.cue != "according to" and o.start < h.start]
        out.append(h._replace(nested_in=outer[-1].source or outer[-1].anaphor) if outer else h)
    return out


def _resolve_anaphor(lex: SourceLexicon, hit: _Hit, cited: list[_Hit], named: list[_Hit]) -> _Hit | None:
    """The most recent compatible source for "he", "it", "the center", "the source"…

    `cited` are sources cited earlier in the article or entry; `named` also holds sources merely
    named ("evacuated by the Russian Reconciliation Center"), which "the center" or "he" may
    point back to but "it" and "the source" should not.
    """
    kind = lex.anaphors[hit.anaphor]
    noun = hit.anaphor.split()[-1] if hit.anaphor.startswith("the ") else ""
    has_noun = noun and any(noun in nouns for nouns in lex.refer_as.values())
    if has_noun:
        fits = [r for r in cited if noun in lex.refer_as.get(r.source or "", ())] or [
            r for r in named if noun in lex.refer_as.get(r.source or "", ())]
        owners = sorted(n for n, nouns in lex.refer_as.items() if noun in nouns)
        if not fits and len(owners) == 1:  # "the center" with one center in the lexicon
            fits = [_Hit(0, 0, "", 0, owners[0], lex.types[owners[0]])]
    elif kind == "person":
        fits = [r for r in sorted(cited + named, key=lambda r: r.start) if r.person]
    else:
        fits = [r for r in cited if kind == "any" or not r.person]
    if not fits:
        return None
    last = fits[-1]
    return hit._replace(source=last.source, source_type=last.source_type,
                        person=last.person if kind == "any" else kind == "person")


@lru_cache(maxsize=4096)
def _match_key(surface: str) -> str:
    """`alias_key` of an alias as matched in text (the lexicon's aliases, as written)."""
    return alias_key(surface)


def _named(lex: SourceLexicon, aliases: list[re.Match[str]], offset: int) -> list[_Hit]:
    """Every lexicon source named in a sentence, cited or not (antecedents for anaphors), from the
    lexicon's matches in it."""
    out = []
    for m in aliases:
        name, person = lex.aliases[_match_key(m.group())]
        out.append(_Hit(offset + m.start(), offset + m.end(), "", 0, name, lex.types[name], person))
    return out


def _cited_hits(lex: SourceLexicon, sent: pd.DataFrame, *, include_boilerplate: bool) -> list[Sequence[_Hit]]:
    """Per sentence, the sources it cites, anaphors resolved; offsets article-level (one shared
    empty tuple for the many sentences that cite none)."""
    entries = sent["entry"].tolist() if "entry" in sent.columns else [0] * len(sent)
    cited: dict[tuple[Any, Any], list[_Hit]] = {}
    named: dict[tuple[Any, Any], list[_Hit]] = {}
    out: list[Sequence[_Hit]] = []
    for kind, article_id, text, start, entry in zip(*_columns(sent, "kind", "article_id", "text", "start"), entries):
        if kind == "boilerplate" and not include_boilerplate:
            out.append(())
            continue
        scope = (article_id, entry)
        before, seen = cited.setdefault(scope, []), named.setdefault(scope, [])
        folded = fold(text)
        words = Words(folded)
        aliases = list(lex.finditer(folded, words))
        hits: list[_Hit] = []
        for h in _sentence_hits(lex, text, kind, words, aliases):
            h = _resolve_anaphor(lex, h, before, seen) if h.source is None else h
            if h is not None:
                hits.append(h._replace(start=start + h.start, end=start + h.end))
        before.extend(hits)
        if aliases:
            seen.extend(_named(lex, aliases, start))
        out.append(hits or ())
    return out


def _columns(frame: pd.DataFrame, *names: str) -> list[list[Any]]:
    """Columns as lists (iterating Arrow-backed columns row by row is slow)."""
    return [frame[n].tolist() for n in names]


def _continued(sent: pd.DataFrame, hits: list[Sequence[_Hit]]) -> list[Sequence[_Hit]]:
    """An unattributed quote belongs to the speaker named next in its paragraph (a quote split
    over sentences, '“…. …,” he said'), else to the one before; a post's later sentences to the
    post's author."""
    keys = list(zip(*_columns(sent, "article_id", "paragraph")))
    kinds = sent["kind"].tolist()
    first, last = _article_bounds([k[0] for k in keys])
    out = list(hits)  # a sentence's hits are replaced, never changed in place
    for i, kind in enumerate(kinds):
        if kind != "quote" and kind != "social":
            continue
        earlier = range(i - 1, first[i] - 1, -1)  # sentences are sorted by article, then start
        if kind == "social" and hits[i] and not any(h.cue == "tweet" for h in hits[i]):
            author = _first(h for j in earlier if keys[j] == keys[i] for h in out[j] if h.cue == "tweet")
            out[i] = [author[0]._replace(anaphor="-", nested_in=None)] + [
                h._replace(nested_in=h.nested_in or author[0].source) for h in hits[i]] if author else out[i]
        if hits[i] or kind not in ("quote", "social"):
            continue
        after = _first(j for j in range(i + 1, last[i]) if keys[j] == keys[i] and hits[j]) if kind == "quote" else []
        before = [j for j in _first(j for j in earlier if out[j]) if kind == "quote" or keys[j] == keys[i]]
        for j in after + before:
            # A quote continues the innermost speaker ("RIA reports the center said: …"); a post
            # continues its author.
            speaker = out[j][-1] if kind == "quote" else out[j][0]
            out[i] = [speaker._replace(cue="quote" if kind == "quote" else "tweet", anaphor="-", nested_in=None)]
            break
    return out


def _first(items: Iterable[Any]) -> list[Any]:
    """The first of `items` as a one-item list, [] when there is none (stops there)."""
    for item in items:
        return [item]
    return []


def _article_bounds(article_ids: list[Any]) -> tuple[list[int], list[int]]:
    """For each row of rows grouped by article: where its article's rows begin and end."""
    first, last, start = [], [0] * len(article_ids), 0
    for i, aid in enumerate(article_ids):
        start = start if i and article_ids[i - 1] == aid else i
        first.append(start)
    for i in range(len(article_ids) - 1, -1, -1):
        last[i] = last[i + 1] if i + 1 < len(article_ids) and article_ids[i + 1] == article_ids[i] else i + 1
    return first, last


def attribute(corpus: Any, sources: SourceLexicon | None = None, *,
              include_boilerplate: bool = False) -> pd.DataFrame:
    """The attributions table: one row per source a sentence cites.

    `carried` rows resolve "he", "it", "the center"… or continue a quote; their start/end point at
    the words that refer back (or, for a continued quote, at the speaker's mention).

    >>> from newslens.sources import attribute  # doctest: +SKIP
    >>> attribute(corpus)[["source", "cue", "surface"]].head(2)  # doctest: +SKIP
                        source           cue            surface
    0                       RT       reports      Lizzie Phelan
    1              Syrian Army        citing  Syrian Army official
    """
    lex = sources or load_sources()
    sent = corpus.sentences.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)
    hits = _continued(sent, _cited_hits(lex, sent, include_boilerplate=include_boilerplate))
    texts = corpus.texts
    rows = [(sid, aid, h.source, h.source_type, h.cue, h.start, h.end, texts[aid][h.start:h.end], bool(h.anaphor),
             h.nested_in)  # in the order of COLUMNS
            for sid, aid, sentence_hits in zip(*_columns(sent, "sentence_id", "article_id"), hits) for h in sentence_hits]
    out = pd.DataFrame(rows, columns=COLUMNS).astype({"start": "int64", "end": "int64", "carried": "bool"})
    return out.sort_values(["article_id", "sentence_id", "start", "source"], kind="stable").reset_index(drop=True)


def unknown_sources(attributions: pd.DataFrame) -> pd.DataFrame:
    """Sources not in the lexicon, with how often each was cited: candidates to add to the YAML."""
    unk = attributions[attributions["source_type"] == "unknown"]
    return unk.groupby("source", as_index=False).size().sort_values(["size", "source"], ascending=[False, True])


def voice(corpus: Any, attributions: pd.DataFrame) -> pd.DataFrame:
    """For every sentence, "attributed" (cited, quoted, a post) or "stated" (the outlet's own voice)."""
    sent = corpus.sentences
    attributed = set(attributions["sentence_id"].tolist())
    sids, aids, kinds = _columns(sent, "sentence_id", "article_id", "kind")
    cited = pd.Series([sid in attributed or kind in ("quote", "social") for sid, kind in zip(sids, kinds)],
                      index=sent.index, dtype=bool)
    out = sent[["sentence_id", "article_id"]].assign(voice=cited.map({True: "attributed", False: "stated"}))
    if not _in_order(aids, sids):
        out = out.sort_values(["article_id", "sentence_id"], kind="stable")
    return out.reset_index(drop=True)


def _in_order(first: list[Any], second: list[Any]) -> bool:
    """Whether rows are already sorted by the key columns `first`, `second` (a stable sort would
    keep them as they are); False when the keys do not compare (missing values)."""
    try:
        for a, b, c, d in zip(first, first[1:], second, second[1:]):
            if not (a < b or a == b and c <= d):
                return False
    except TypeError:
        return False
    return True


def disputes(corpus: Any, attributions: pd.DataFrame, *, sources: SourceLexicon | None = None) -> pd.DataFrame:
    """Sentences in which the outlet (or a cited source) contradicts a source: see
    `newslens.disputes.disputes`."""
    from newslens.disputes import disputes as find_disputes  # disputes builds on this module

    return find_disputes(corpus, attributions, sources=sources)


__all__ = ["ANAPHOR_KINDS", "COLUMNS", "SOURCE_TYPES", "SourceLexicon", "attribute", "disputes", "load_sources",
           "unknown_sources", "voice"]
