"""A corpus rebuilt from the stored ``articles`` and ``sentences`` tables.

Notebooks read processed tables, never the raw folder. Functions that take a corpus (keyword
in context, per-sentence counts) get one here: each article's clean text is rebuilt by placing
every sentence's text at its offsets, so all offsets stay valid. Between sentences the clean
text holds only whitespace, rebuilt as spaces, with a line break where the paragraph changes;
nothing that counting or matching reads is lost.
"""

from __future__ import annotations

import pandas as pd

from newslens.corpus import Corpus

_NO_PROBLEMS = pd.DataFrame(columns=["severity", "file", "line", "article_id", "what", "todo"])


def rebuild_text(sentences: pd.DataFrame) -> str:
    """One article's clean text from its sentences (``start, end, paragraph, text``).

    >>> s = pd.DataFrame({"start": [0, 4], "end": [3, 6], "paragraph": [0, 1], "text": ["Hi.", "Go"]})
    >>> rebuild_text(s)
    'Hi.\\nGo'
    """
    parts, pos, paragraph = [], 0, None
    for start, end, par, text in sentences.sort_values("start")[["start", "end", "paragraph", "text"]].itertuples(index=False):
        if start < pos or end - start != len(text):
            raise ValueError(f"sentence at {start}-{end} overlaps the one before or does not fit its offsets")
        gap = start - pos
        parts.append("\n" + " " * (gap - 1) if gap and paragraph is not None and par != paragraph else " " * gap)
        parts.append(text)
        pos, paragraph = end, par
    return "".join(parts)


def from_tables(articles: pd.DataFrame, sentences: pd.DataFrame) -> Corpus:
    """A ``Corpus`` of the given articles and their sentences (no raw-file map, no problems).

    Sentences of articles not in ``articles`` are left out, so filtering ``articles`` (by
    outlet, say) filters the corpus.
    """
    ids = list(articles["article_id"].astype(str))
    s = sentences[sentences["article_id"].isin(ids)].sort_values(["article_id", "start"], kind="stable")
    texts = {a: "" for a in ids}
    texts.update({a: rebuild_text(group) for a, group in s.groupby("article_id", sort=False)})
    return Corpus(articles=articles.reset_index(drop=True), sentences=s.reset_index(drop=True),
                  texts=texts, problems=_NO_PROBLEMS.copy())


def subset(corpus: Corpus, articles: pd.DataFrame) -> Corpus:
    """What ``from_tables(articles, sentences)`` gives, from a corpus it made that holds
    ``articles`` (and maybe more): no text is rebuilt."""
    ids = list(articles["article_id"].astype(str))
    s = corpus.sentences[corpus.sentences["article_id"].isin(ids)].sort_values(["article_id", "start"], kind="stable")
    return Corpus(articles=articles.reset_index(drop=True), sentences=s.reset_index(drop=True),
                  texts={a: corpus.texts[a] for a in ids}, problems=_NO_PROBLEMS.copy())


def combine(first: Corpus, second: Corpus) -> Corpus:
    """Two corpora made by ``from_tables`` of different articles, as one."""
    return Corpus(articles=pd.concat([first.articles, second.articles], ignore_index=True),
                  sentences=pd.concat([first.sentences, second.sentences], ignore_index=True),
                  texts={**first.texts, **second.texts}, problems=_NO_PROBLEMS.copy())
