"""Corpus summaries for the corpus notebook: what was loaded, how it was classified.

Pure functions of the processed tables (articles, sentences, problems).
"""

from __future__ import annotations

import pandas as pd

TEXT_KINDS = ("body", "quote", "social")


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
    """Words per article (per outlet for a large corpus) and sentence kind, long format."""
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
    s = sentences[~sentences["kind"].isin(TEXT_KINDS)]
    return s[["sentence_id", "kind", "role", "line", "text"]].reset_index(drop=True)


def set_aside_counts(sentences: pd.DataFrame) -> pd.DataFrame:
    s = sentences[~sentences["kind"].isin(TEXT_KINDS)]
    return (s.groupby(["kind", "role"], observed=True).size().reset_index(name="sentences")
            .sort_values(["kind", "role"]).reset_index(drop=True))


def live_blog_entries(sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Entries of live blogs: first line, time stamp (if any), number of sentences."""
    blogs = set(articles.loc[articles["live_blog"], "article_id"])
    s = sentences[sentences["article_id"].isin(blogs)]
    if s.empty:
        return pd.DataFrame(columns=["article_id", "entry", "entry_time_utc", "sentences", "words", "opens_with"])
    firsts = s[s["kind"] != "boilerplate"].groupby(["article_id", "entry"])["text"].first()
    out = s.groupby(["article_id", "entry"]).agg(
        entry_time_utc=("entry_time_utc", "first"), sentences=("sentence_id", "size"), words=("n_words", "sum"),
    ).reset_index()
    out["opens_with"] = [str(firsts.get((a, e), ""))[:90] for a, e in zip(out["article_id"], out["entry"])]
    out["entry_time_utc"] = out["entry_time_utc"].dt.strftime("%Y-%m-%d %H:%M UTC").fillna("no stamp")
    return out.sort_values(["article_id", "entry"]).reset_index(drop=True)


def sanity(articles: pd.DataFrame, sentences: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Checks a reader can see at a glance: each row a check and whether it holds."""
    checks = [
        ("every article has text", bool((articles["n_words"] > 0).all())),
        ("sentence ids are unique", bool(sentences["sentence_id"].is_unique)),
        ("every sentence belongs to a listed article", bool(sentences["article_id"].isin(articles["article_id"]).all())),
        ("publication times carry a time zone", articles["published_utc"].dt.tz is not None),
        ("no loading errors", bool((problems["severity"] != "error").all())),
    ]
    return pd.DataFrame(checks, columns=["check", "holds"])
