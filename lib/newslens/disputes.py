"""Disputes: sentences in which an outlet, or a source it cites, contradicts a source.

`disputes` → disputes table: sentence_id, article_id, cue, target_source, start, end, disputer,
disputer_kind. It reads the attributions table (`newslens.sources.attribute`) and the source
lexicon; `newslens.sources.disputes` calls it.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from newslens.sources import _FOLD, SourceLexicon, load_sources

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
    outlets = dict(zip(corpus.articles["article_id"], corpus.articles["outlet"]))
    by_article = {k: g for k, g in attributions.groupby("article_id", sort=False)}
    rows = []
    for rec in corpus.sentences[corpus.sentences["kind"] != "boilerplate"].itertuples(index=False):
        cited = by_article.get(rec.article_id, attributions.iloc[:0])
        earlier = cited[cited["start"] < rec.start]
        here = cited[cited["sentence_id"] == rec.sentence_id]
        for m in _DISPUTE.finditer(rec.text.translate(_FOLD)):
            before = here[here["start"] < rec.start + m.start()]
            speaker = len(here) > 0 and (
                bool(_DENIAL.fullmatch(m.group())) or rec.kind == "quote" or _in_quote(rec.text, m.start())
                or (len(before) > 0 and before["cue"].isin(_NEUTRAL).all()))
            if speaker:
                disputer = (before if len(before) else here).iloc[-1]["source"]
                named = lex.resolve(rec.text[m.end():]) or lex.resolve(rec.text[:m.start()])
                target = named[0] if named and named[0] != disputer else None
            else:
                disputer = outlets.get(rec.article_id)
                pool = before if len(before) else earlier
                target = pool.iloc[-1]["source"] if len(pool) else None
            rows.append({"sentence_id": rec.sentence_id, "article_id": rec.article_id, "cue": m.group().lower(),
                         "target_source": target, "start": rec.start + m.start(), "end": rec.start + m.end(),
                         "disputer": disputer, "disputer_kind": "source" if speaker else "outlet"})
    out = pd.DataFrame(rows, columns=DISPUTE_COLUMNS).astype({"start": "int64", "end": "int64"})
    return out.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)
