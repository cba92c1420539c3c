"""Corpus summaries for the corpus notebook: what was loaded, how it was classified.

Pure functions of the processed tables (articles, sentences, problems), and readers that take
a `newslens.dataset.Dataset` and read only what a view shows: group-by counts are computed by
the engine, and tables are bounded to `MAX_ROWS` rows with a line saying how many there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from newslens.dataset import Dataset

TEXT_KINDS = ("body", "quote", "social")
# A table longer than this shows its first rows and says how many there are in all.
MAX_ROWS = 50
ARTICLE_COLUMNS = ["article_id", "outlet", "title", "affiliation", "published_utc", "published_precision",
                   "n_words", "live_blog", "republished_from", "attribution_note"]


def arrow(values: Any) -> pa.Array:
    """`values` (a Series, list or array) as one Arrow array, without a copy when it already is one."""
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def isin(values: pd.Series, allowed: Iterable[Any]) -> np.ndarray:
    """Boolean mask of `values` found in `allowed` (hash join in Arrow: fast on string columns)."""
    allowed = allowed if isinstance(allowed, (pd.Series, pd.Index, np.ndarray)) else list(allowed)
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    if len(allowed) == 0:
        return np.zeros(len(values), dtype=bool)
    try:
        arr, value_set = arrow(values), arrow(allowed)
        if value_set.type != arr.type:
            value_set = value_set.cast(arr.type)
        found = pc.is_in(arr, value_set=value_set)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):  # mixed types: pandas decides
        return pd.Series(values).isin(list(allowed)).to_numpy()
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def unique_ids(ids: pd.Series) -> bool:
    """Whether `ids` has no repeats (a strictly increasing column is checked without hashing)."""
    arr = arrow(ids)
    if len(arr) < 2:
        return True
    if arr.null_count == 0 and pc.all(pc.greater(arr[1:], arr[:-1])).as_py():
        return True
    return bool(pd.Index(ids).is_unique)


def bounded(frame: pd.DataFrame, what: str, *, order: str, total: int | None = None, n: int = MAX_ROWS) -> pd.DataFrame:
    """The first `n` rows of `frame`; when there are more (`total`, else the frame's length),
    prints how many there are in all and which are shown."""
    total = len(frame) if total is None else int(total)
    if total > min(n, len(frame)) or len(frame) > n:
        print(f"{total:,} {what} in all; the first {min(n, len(frame)):,} {order} are shown.")
    return frame.head(n)


def articles_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article with what a reader needs to weigh it."""
    cols = ["article_id", "outlet", "title", "affiliation", "published_utc", "published_precision",
            "n_words", "live_blog", "republished_from", "attribution_note"]
    out = articles[[c for c in cols if c in articles.columns]].copy()
    out["published_utc"] = out["published_utc"].dt.strftime("%Y-%m-%d %H:%M UTC")
    return out.sort_values(["published_utc", "article_id"]).reset_index(drop=True)


# Above this many articles one bar per article is unreadable (and past Vega's row limit):
# bars are per outlet instead.
MAX_ARTICLE_BARS = 60


def words_by_kind(sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Words per article (per outlet for a large corpus) and sentence kind, long format.

    `sentences` has article_id, kind and n_words: one row per sentence, or the per-(article,
    kind) sums of `Dataset.count("sentences", by=["article_id", "kind"], sums=["n_words"])`.
    """
    outlet = articles.set_index("article_id")["outlet"]
    g = sentences.groupby(["article_id", "kind"], observed=True)["n_words"].sum().reset_index(name="words")
    g["outlet"] = g["article_id"].map(outlet)
    if len(articles) > MAX_ARTICLE_BARS:
        g = g.groupby(["outlet", "kind"], observed=True)["words"].sum().reset_index()
        g["article_id"] = "all articles"
        g["label"] = g["outlet"]
        return g[["article_id", "kind", "words", "outlet", "label"]].sort_values(["outlet", "kind"]).reset_index(drop=True)
    g["label"] = g["outlet"] + " · " + g["article_id"]
    return g.sort_values(["article_id", "kind"]).reset_index(drop=True)


def set_aside(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences left out of analysis (boilerplate and captions), with their role."""
    s = sentences[~isin(sentences["kind"], TEXT_KINDS)]
    return s[["sentence_id", "kind", "role", "line", "text"]].reset_index(drop=True)


def set_aside_counts(sentences: pd.DataFrame) -> pd.DataFrame:
    """Set-aside sentences per kind and role. `sentences`: one row per sentence, or the counts
    (column `n`) of `Dataset.count("sentences", by=["kind", "role"])`."""
    s = sentences[~isin(sentences["kind"], TEXT_KINDS)].dropna(subset=["kind", "role"])
    n = s["n"] if "n" in s.columns and "sentence_id" not in s.columns else pd.Series(1, index=s.index)
    return (s.assign(sentences=n).groupby(["kind", "role"], observed=True)["sentences"].sum().reset_index()
            .sort_values(["kind", "role"]).reset_index(drop=True))


def _first_articles(counts: pd.DataFrame, n: int) -> list[str]:
    """Article ids, in order, whose rows (`counts.n`) are the first `n` rows of a table in article order."""
    per = counts.groupby("article_id", sort=True)["n"].sum()
    before = per.cumsum() - per
    return list(per.index[before.to_numpy() < n])


def read_set_aside(data: "Dataset", counts: pd.DataFrame, n: int = MAX_ROWS) -> tuple[pd.DataFrame, int]:
    """The first `n` set-aside sentences (in article order) and how many there are in all, reading
    only the articles they come from. `counts`: sentences per article and kind (`Dataset.count`)."""
    aside = counts[~isin(counts["kind"], TEXT_KINDS)]
    total = int(aside["n"].sum())
    cols = ["sentence_id", "article_id", "kind", "role", "line", "text"]
    rows = data.table("sentences", columns=cols, where={"article_id": _first_articles(aside, n),
                                                         "kind": sorted(aside["kind"].dropna().unique())})
    rows = rows.sort_values(["article_id", "sentence_id"], kind="stable")
    return set_aside(rows).head(n), total


def live_blog_entries(sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Entries of live blogs: first line, time stamp (if any), number of sentences."""
    blogs = articles.loc[articles["live_blog"], "article_id"]
    s = sentences[isin(sentences["article_id"], blogs)]
    if s.empty:
        return pd.DataFrame(columns=["article_id", "entry", "entry_time_utc", "sentences", "words", "opens_with"])
    firsts = s[s["kind"] != "boilerplate"].groupby(["article_id", "entry"])["text"].first()
    out = s.groupby(["article_id", "entry"]).agg(
        entry_time_utc=("entry_time_utc", "first"), sentences=("sentence_id", "size"), words=("n_words", "sum"),
    ).reset_index()
    out["opens_with"] = [str(firsts.get((a, e), ""))[:90] for a, e in zip(out["article_id"], out["entry"])]
    out["entry_time_utc"] = out["entry_time_utc"].dt.strftime("%Y-%m-%d %H:%M UTC").fillna("no stamp")
    return out.sort_values(["article_id", "entry"]).reset_index(drop=True)


def read_live_blog_entries(data: "Dataset", articles: pd.DataFrame, n: int = MAX_ROWS) -> tuple[pd.DataFrame, int]:
    """The first `n` live-blog entries (by article and entry) and how many there are in all; the
    sentences of only the blogs they come from are read."""
    blogs = sorted(articles.loc[articles["live_blog"].fillna(False).astype(bool), "article_id"])
    entries = data.count("sentences", by=["article_id", "entry"], where={"article_id": blogs})
    cols = ["sentence_id", "article_id", "kind", "entry", "entry_time_utc", "n_words", "text"]
    rows = data.table("sentences", columns=cols, where={"article_id": _first_articles(entries.assign(n=1), n)})
    return live_blog_entries(rows, articles).head(n), len(entries)


def outlets_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet: articles, words, first and last publication, live blogs, republications."""
    a = articles.assign(_live=articles["live_blog"].fillna(False).astype(bool),
                        _rep=articles["republished_from"].fillna("").astype(str).str.strip().ne(""))
    out = a.groupby("outlet").agg(articles=("article_id", "size"), words=("n_words", "sum"),
                                  first_published=("published_utc", "min"), last_published=("published_utc", "max"),
                                  live_blogs=("_live", "sum"), republications=("_rep", "sum")).reset_index()
    for col in ("first_published", "last_published"):
        out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M UTC")
    return out.sort_values(["articles", "outlet"], ascending=[False, True]).reset_index(drop=True)


def problems_view(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems with errors first, otherwise in the order they were recorded."""
    return problems.sort_values("severity", key=lambda s: s.ne("error"), kind="stable").reset_index(drop=True)


def sanity(articles: pd.DataFrame, sentences: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Checks a reader can see at a glance: each row a check and whether it holds.

    `sentences` needs sentence_id and article_id only."""
    checks = [
        ("every article has text", bool((articles["n_words"] > 0).all())),
        ("sentence ids are unique", unique_ids(sentences["sentence_id"])),
        ("every sentence belongs to a listed article", bool(isin(sentences["article_id"], articles["article_id"]).all())),
        ("publication times carry a time zone", articles["published_utc"].dt.tz is not None),
        ("no loading errors", bool((problems["severity"] != "error").all())),
    ]
    return pd.DataFrame(checks, columns=["check", "holds"])
