"""Disputes: sentences in which an outlet, or a source it cites, contradicts a source.

`disputes` → disputes table: sentence_id, article_id, cue, target_source, start, end, disputer,
disputer_kind. It reads the attributions table (`newslens.sources.attribute`) and the source
lexicon; `newslens.sources.disputes` calls it.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import pandas as pd

from newslens._prefilter import Prefilter, fold
from newslens.sources_lexicon import SourceLexicon, load_sources

DISPUTE_COLUMNS = ["sentence_id", "article_id", "cue", "target_source", "start", "end",
                   "disputer", "disputer_kind"]

_DISPUTE = re.compile(
    r"\b(?:(?:these\s+|both\s+these\s+|the\s+)?(?:statements?|claims?|reports?)\s+(?:is|are|was|were)"
    r"\s+(?:false|untrue|baseless)|do(?:es)?\s+not\s+correspond\s+(?:with|to)\s+reality|"
    r"despite\s+(?:[\w-]+\s+){0,4}to\s+the\s+contrary|(?:a\s+claim\s+)?(?:stands?\s+)?at\s+odds\s+with|"
    r"no\s+evidence|contrary\s+to|false(?:ly)?|denied|denies|deny|refuted|dismissed)\b",
    re.IGNORECASE)
_DENIAL = re.compile(r"den(?:ied|ies|y)|refuted|dismissed", re.IGNORECASE)
# After these verbs the content is the source's; "claims"/"alleged" mark the outlet's distance.
_NEUTRAL = ["said", "says", "say", "said in a statement", "told", "tells", "added", "adds", "noted",
            "stated", "quote", "tweet", "reported", "reports", "announced", "confirmed", "denied"]


# Every cue holds one of these words: sentences without any are not scanned.
_CUES = Prefilter([[("false*", "untrue", "baseless", "correspond", "contrary", "odds", "evidence", "denied",
                     "denies", "deny", "refuted", "dismissed")]])


class _Cite(NamedTuple):
    sentence_id: Any
    start: int
    cue: Any
    source: Any


def _in_quote(text: str, pos: int) -> bool:
    return text.count("\u201c", 0, pos) > text.count("\u201d", 0, pos) or text.count('"', 0, pos) % 2 == 1


def disputes(corpus: Any, attributions: pd.DataFrame, *, sources: SourceLexicon | None = None) -> pd.DataFrame:
    """Sentences in which the outlet (or a cited source) contradicts a source.

    `disputer_kind` is "outlet" when the outlet speaks in its own voice ("Both these statements are
    false"; "X claims …, despite overwhelming evidence to the contrary") and "source" when a cited
    party denies, or the contradiction sits inside a quote or after a neutral "X said/added that".
    `target_source` is the disputed source where it can be resolved: for the outlet, a source cited
    earlier in the sentence, else the latest one cited before it in the article.
    """
    lex = sources or load_sources()
    columns = ("sentence_id", "article_id", "start", "kind", "text")
    found = []  # (sentence_id, article_id, start, kind, text, cues) of the sentences with a cue
    for sid, aid, start, kind, text in zip(*(corpus.sentences[c].tolist() for c in columns)):
        if kind == "boilerplate":
            continue
        folded = fold(text)
        cues = list(_DISPUTE.finditer(folded)) if _CUES.candidates(folded) else ()
        if cues:
            found.append((sid, aid, start, kind, text, cues))
    rows = []
    if found:
        outlets = dict(zip(*(corpus.articles[c].tolist() for c in ("article_id", "outlet"))))
        cites = _by_article(attributions, {aid for _, aid, *_ in found})
        for sid, aid, start, kind, text, cues in found:
            for m in cues:
                rows.append(_dispute(lex, m, sid, aid, start, kind, text, cites.get(aid, []), outlets.get(aid)))
    out = pd.DataFrame(rows, columns=DISPUTE_COLUMNS).astype({"start": "int64", "end": "int64"})
    return out.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)


def _by_article(attributions: pd.DataFrame, articles: set[Any]) -> dict[Any, list[_Cite]]:
    """article_id → its citations in table order, for `articles`."""
    out: dict[Any, list[_Cite]] = {}
    columns = ("article_id", "sentence_id", "start", "cue", "source")
    for aid, *cite in zip(*(attributions[c].tolist() for c in columns)):
        if aid in articles:
            out.setdefault(aid, []).append(_Cite(*cite))
    return out


def _dispute(lex: SourceLexicon, m: re.Match[str], sid: Any, aid: Any, start: int, kind: str, text: str,
             cited: list[_Cite], outlet: Any) -> dict[str, Any]:
    """The disputes row of one cue `m` in a sentence (text at article offset `start`)."""
    here = [c for c in cited if c.sentence_id == sid]
    before = [c for c in here if c.start < start + m.start()]
    speaker = len(here) > 0 and (
        bool(_DENIAL.fullmatch(m.group())) or kind == "quote" or _in_quote(text, m.start())
        or (len(before) > 0 and all(c.cue in _NEUTRAL for c in before)))
    if speaker:
        disputer = (before or here)[-1].source
        named = lex.resolve(text[m.end():]) or lex.resolve(text[:m.start()])
        target = named[0] if named and named[0] != disputer else None
    else:
        disputer = outlet
        pool = before or [c for c in cited if c.start < start]
        target = pool[-1].source if pool else None
    return {"sentence_id": sid, "article_id": aid, "cue": m.group().lower(), "target_source": target,
            "start": start + m.start(), "end": start + m.end(), "disputer": disputer,
            "disputer_kind": "source" if speaker else "outlet"}
