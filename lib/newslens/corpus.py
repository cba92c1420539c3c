"""The corpus: articles and their sentences, loaded from the raw folder.

`load(raw_dir)` reads `manifest.csv` and the article files, cleans each text (keeping the way
back to the raw file), classifies its lines (page chrome, captions, embeds, quotes) and splits
sentences. Problems are collected in `Corpus.problems`, never hidden.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from newslens import sentences as sent
from newslens.layout import Layout, Line, assign_entries, classify_lines, entry_times, load_layout
from newslens.manifest import Entry, read_entries, read_story
from newslens.ingest_formats import html_text
from newslens.normalize import CleanText, clean
from newslens.problems import Problem, problems_frame

ARTICLE_COLUMNS = [
    "article_id", "outlet", "affiliation", "title", "published_utc", "byline", "url",
    "source_path", "sha256", "language", "n_words", "encoding", "republished_from",
    "attribution_note", "published_precision", "timezone", "live_blog", "n_entries",
]
SENTENCE_COLUMNS = [
    "sentence_id", "article_id", "paragraph", "position", "start", "end", "kind", "role",
    "text", "entry", "entry_time_utc", "line", "raw_start", "raw_end", "n_words",
]
KINDS = ("body", "quote", "social", "caption", "boilerplate")
# Kinds that are the article's text (analysed); captions and boilerplate are kept but set aside.
TEXT_KINDS = ("body", "quote", "social")
WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
_OPEN_QUOTES = "“\"‘«'"
_ENDS_SENTENCE_RE = re.compile(r"[.!?:;…]['\"”’)\]]*$")


@dataclass
class Corpus:
    """Articles, sentences and the problems met while loading them.

    ``texts`` maps article_id to its clean text; sentence and extractor offsets index into it.
    ``cleaned`` keeps the map back to each raw file (see `locate`).
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    texts: dict[str, str]
    problems: pd.DataFrame
    cleaned: dict[str, CleanText] = field(default_factory=dict, repr=False)
    raw_dir: str = ""
    story: dict[str, str] = field(default_factory=lambda: {"title": "", "event_timezone": "UTC"})

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == "error"]

    def text(self, article_id: str) -> str:
        return self.texts[article_id]

    def locate(self, article_id: str, start: int, end: int) -> dict[str, object]:
        """Where a clean-text span sits in its raw file: path, line, raw offsets."""
        c = self.cleaned[article_id]
        raw_start, raw_end = c.raw_span(start, end)
        path = self.articles.set_index("article_id").at[article_id, "source_path"]
        return {"file": path, "line": c.raw_line(start), "raw_start": raw_start, "raw_end": raw_end}

    def analysed(self) -> pd.DataFrame:
        """Sentences that analysis reads by default: everything but boilerplate and captions."""
        return self.sentences[self.sentences["kind"].isin(TEXT_KINDS)]


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


# Code point -> 1 word character (\w), 2 joiner ("-", "'", "’"), 0 other, -1 not yet known
# (a table over all of Unicode: 1.1 MB, made on first use).
_CHAR_CLASS = np.full(0, -1, dtype=np.int8)


def _char_classes(text: str) -> np.ndarray:
    """The class (see ``_CHAR_CLASS``) of every character of ``"\0\0" + text``; each code point
    is classed once per process, by the regex engine itself."""
    global _CHAR_CLASS
    if not len(_CHAR_CLASS):
        _CHAR_CLASS = np.full(sys.maxunicode + 1, -1, dtype=np.int8)
    cp = np.frombuffer(("\0\0" + text).encode("utf-32-le"), dtype=np.uint32)
    cls = _CHAR_CLASS[cp]
    if (cls < 0).any():
        for c in np.unique(cp[cls < 0]).tolist():
            _CHAR_CLASS[c] = 1 if re.fullmatch(r"\w", chr(c)) else 2 if chr(c) in "-'’" else 0
        cls = _CHAR_CLASS[cp]
    return cls


def span_word_counts(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """``count_words(text[a:b])`` for each span, in one pass over ``text``.

    A `WORD_RE` match is a maximal chain of word-character runs joined by single joiners, so
    matches are counted by their first characters: a word character that follows neither a word
    character nor a joiner that follows one. A span's first two characters are judged without
    what the slice cuts off before them.
    """
    if not spans:
        return []
    try:
        cls = _char_classes(text)
    except UnicodeEncodeError:  # a lone surrogate: count span by span
        return [count_words(text[a:b]) for a, b in spans]
    word = cls == 1
    begins = word[2:] & ~word[1:-1] & ~((cls[1:-1] == 2) & word[:-2])  # at each character of text
    where = np.flatnonzero(begins)
    start = np.array([a for a, _ in spans], dtype=np.int64)
    end = np.array([b for _, b in spans], dtype=np.int64)
    n = np.searchsorted(where, end) - np.searchsorted(where, start)
    last = max(len(text) - 1, 0)
    first, second = np.minimum(start, last), np.minimum(start + 1, last)
    if len(text):
        n += (start < end) * (word[first + 2].astype(np.int64) - begins[first])
        n += (start + 1 < end) * ((word[second + 2] & ~word[first + 2]).astype(np.int64) - begins[second])
    return np.where(start < end, n, 0).tolist()


def _is_quoted_speech(text: str, share: float) -> bool:
    """A sentence that is quoted speech: opens with a quote mark and is mostly inside quotes,
    or is almost all quotation. "X told RT that the volunteers “are …”" stays the outlet's."""
    return (text[:1] in _OPEN_QUOTES and share >= 0.5) or share >= 0.8


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Group lines into blocks; a body line broken mid-sentence is joined to the next."""
    blocks: list[list[Line]] = []
    for ln in lines:
        prev = blocks[-1][-1] if blocks else None
        if (
            prev is not None
            and prev.kind == "body" and ln.kind == "body"
            and prev.role == "text" and ln.role == "text"
            and ln.text[:1].islower()
            and not _ENDS_SENTENCE_RE.search(prev.text)
        ):
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
    return blocks


def split_article(text: str, outlet: str, layout: Layout) -> tuple[list[dict], bool, int]:
    """Sentences of one clean text: (rows without ids, is live blog, number of entries)."""
    lines = classify_lines(text, outlet, layout)
    entries, live = assign_entries(lines)
    times = entry_times(lines, entries) if live else {}
    entry_of = {id(ln): e for ln, e in zip(lines, entries)}
    rows: list[dict] = []
    for b, block in enumerate(_blocks(lines)):
        first = block[0]
        start, end = first.start, block[-1].end
        chunk = text[start:end]
        if first.kind == "body":
            spans = sent.split(chunk)
            quotes = sent.quote_spans(chunk)
        elif first.kind == "social":
            spans, quotes = sent.split(chunk), []
        else:
            spans, quotes = [(0, len(chunk))], []
        entry = entry_of[id(first)]
        shares = sent.quoted_shares(spans, quotes) if quotes else [0.0] * len(spans)
        for (a, z), share in zip(spans, shares):
            kind = first.kind
            if kind == "body" and _is_quoted_speech(chunk[a:z], share):
                kind = "quote"
            rows.append({
                "paragraph": b, "start": start + a, "end": start + z, "kind": kind,
                "role": first.role, "text": chunk[a:z], "entry": entry,
                "entry_time_utc": times.get(entry),
            })
    return rows, live, (max(entries) + 1 if entries else 0)


def build_article(entry: Entry, layout: Layout, *, default_tz: str = "UTC") -> tuple[dict, list[dict], CleanText]:
    """One manifest entry → its articles row, sentence rows and clean text."""
    row = entry.row
    aid = row["article_id"]
    # A saved web page is kept as it was; its article text is what the analysis reads.
    c = clean(html_text(entry.text) if entry.path.suffix.lower() in {".html", ".htm"} else entry.text)
    rows, live, n_entries = split_article(c.text, row["outlet"], layout)
    spans = [(r["start"], r["end"]) for r in rows]
    places, words = c.raw_places(spans), span_word_counts(c.text, spans)
    for i, (r, (line, raw_start, raw_end), n_words) in enumerate(zip(rows, places, words)):
        r["sentence_id"] = f"{aid}-s{i:04d}"
        r["article_id"] = aid
        r["position"] = i
        r["line"], r["raw_start"], r["raw_end"] = line, raw_start, raw_end
        r["n_words"] = n_words
    title = next((r["text"] for r in rows if r["role"] == "headline"), "")
    article = {
        "article_id": aid,
        "outlet": row["outlet"],
        "affiliation": row.get("affiliation", ""),
        "title": title,
        "published_utc": entry.published_utc,
        "byline": row.get("byline", ""),
        "url": row.get("url", ""),
        "source_path": row["file"],
        "sha256": row["sha256"].lower(),
        "language": row.get("language") or "en",
        "n_words": sum(r["n_words"] for r in rows if r["kind"] in TEXT_KINDS),
        "encoding": row["encoding"],
        "republished_from": row.get("republished_from", ""),
        "attribution_note": row.get("attribution_note", ""),
        "published_precision": row.get("published_precision") or "minute",
        "timezone": row.get("timezone") or default_tz,
        "live_blog": live,
        "n_entries": n_entries,
    }
    return article, rows, c


def articles_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    df["published_utc"] = pd.to_datetime(df["published_utc"], utc=True).astype("datetime64[ns, UTC]")
    df = df.astype({"n_words": "int64", "n_entries": "int64", "live_blog": "bool"})
    for col in ARTICLE_COLUMNS:
        if df[col].dtype == object:
            df[col] = df[col].fillna("").astype("str")
    return df.sort_values("article_id", kind="stable").reset_index(drop=True)


_SENTENCE_INTS = ["paragraph", "position", "start", "end", "entry", "line", "raw_start", "raw_end", "n_words"]
_SENTENCE_STRS = ["sentence_id", "article_id", "kind", "role", "text"]


def sentences_frame(rows: list[dict]) -> pd.DataFrame:
    # Column by column: each list gets its type at once instead of being inferred row by row.
    cols: dict[str, object] = {c: np.array([r[c] for r in rows], dtype="int64") for c in _SENTENCE_INTS}
    cols.update({c: pd.array([r[c] for r in rows], dtype="str") for c in _SENTENCE_STRS})
    times = [r["entry_time_utc"] for r in rows]
    cols["entry_time_utc"] = pd.to_datetime(pd.Series(times, dtype=object), utc=True).astype("datetime64[ns, UTC]")
    df = pd.DataFrame({c: cols[c] for c in SENTENCE_COLUMNS})
    keys = [(r["article_id"], r["position"]) for r in rows]
    if all(a <= b for a, b in zip(keys, keys[1:])):
        return df  # already in order (as a build makes them): sorting would change nothing
    return df.sort_values(["article_id", "position"], kind="stable").reset_index(drop=True)


def language_problems(articles: pd.DataFrame) -> list[Problem]:
    return [
        Problem("warning", r.source_path, None, f"language {r.language!r}: the extractors read English only",
                "the article is kept and listed; figures, dates and terms are not extracted from it", r.article_id)
        for r in articles.itertuples()
        if not str(r.language).lower().startswith("en")
    ]


def load(raw_dir: str | Path = "data/raw", *, layout: Layout | None = None, progress: bool = False) -> Corpus:
    """Load the raw corpus.

    Raises `CorpusError` when the manifest itself cannot be read (missing, missing columns);
    every other problem is recorded in ``Corpus.problems`` with file, line and what to do.
    """
    layout = layout or load_layout()
    entries, problems = read_entries(raw_dir)
    story, story_problems = read_story(raw_dir)
    problems += story_problems
    arts, sents, cleaned = [], [], {}
    for e in tqdm(entries, desc="articles", unit="art", disable=not progress or len(entries) < 50):
        article, rows, c = build_article(e, layout, default_tz=story["event_timezone"])
        arts.append(article)
        sents.extend(rows)
        cleaned[article["article_id"]] = c
    articles = articles_frame(arts)
    problems += language_problems(articles)
    return Corpus(
        articles=articles,
        sentences=sentences_frame(sents),
        texts={aid: c.text for aid, c in cleaned.items()},
        problems=problems_frame(problems),
        cleaned=cleaned,
        raw_dir=str(raw_dir),
        story=story,
    )
