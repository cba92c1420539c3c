"""Sources and syndication, for the sources notebook: whom each outlet lets speak, who disputes
whom, and which passages articles share.

Pure functions of the processed tables (articles, sentences, attributions, voice, disputes, reuse
and, when the build makes it, figures), and Altair charts in the shared look of
`newslens.charts`. Each function takes the `articles` to consider (see `select`) and leaves out
rows of every other article.

The functions need only a few columns of each table (`COLUMNS`): a notebook reads those through
`newslens.dataset.Dataset`, restricted to the chosen articles (`scope`). Sentence text is looked
up only for the rows shown (`sentences` may be a `Dataset`). Views stay bounded at any corpus
size: at most `MAX_OUTLETS` outlets and `MAX_SOURCES` sources per chart, `MAX_PAIRS` article
pairs and `MAX_PASSAGES` passages; above `MAX_MAP_ARTICLES` articles the reuse map places only
the articles of the pairs it draws.

Article text is untrusted: `passages_html` escapes it before adding its own `<mark>`/`<del>` tags.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from functools import partial
from typing import TYPE_CHECKING, Iterable, Union

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newslens.charts import PALETTE, outlet_scale
from newslens.reuse import normalize_word
from newslens.summary import TEXT_KINDS, arrow, isin, unique_ids

if TYPE_CHECKING:
    from newslens.dataset import Dataset

OWN_VOICE = "outlet's own voice"
UNIDENTIFIED = "source not identified"
# Stack order: state-aligned sources, then independent ones, then the opposition; voices without
# a named source last, so that bars of different outlets line up by camp.
CATEGORIES = ("Russian government/military", "Syrian government/state media", "Iranian state media",
              "armed pro-government", "UN/ICRC/NGO", "other media", "analyst",
              "opposition media/activists", "armed opposition", "unknown", UNIDENTIFIED, OWN_VOICE)
# Neighbours differ in lightness as well as hue; the greys are for voices without a known camp.
_COLORS = dict(zip(CATEGORIES, ["#D55E00", "#E69F00", "#CC79A7", "#F0E442", "#0072B2", "#56B4E9",
                                "#7F7F7F", "#009E73", "#000000", "#B0B0B0", "#D9D9D9", "#F4F4F4"]))
EXAMPLE_CHARS = 200
_WORDS = re.compile(r"\S+")

# Columns each view reads (a notebook passes them to `Dataset.table`).
COLUMNS = {
    "articles": ["article_id", "outlet", "published_utc", "published_precision"],
    "sentences": ["sentence_id", "article_id", "kind", "start", "end"],
    "voice": ["sentence_id", "article_id", "voice"],
    "attributions": ["sentence_id", "article_id", "source", "source_type", "start", "end", "carried"],
    "figures": ["article_id", "sentence_id", "attributed_to", "voice"],
}
# Bounds that keep charts and tables readable (and charts under `charts.MAX_ROWS`) at any size.
MAX_OUTLETS = 30  # outlets per profile chart and source matrix: those with the most sentences
MAX_SOURCES = 40  # sources in the matrix: those cited in the most sentences
MAX_PAIRS = 25  # article pairs on the reuse map: those sharing the most words
MAX_PASSAGES = 20  # passages shown side by side: those of the pairs sharing the most words
# Above this many articles the reuse map places only the articles of the pairs it draws.
MAX_MAP_ARTICLES = 60

Sentences = Union[pd.DataFrame, "Dataset"]


def scope(chosen: pd.DataFrame, articles: pd.DataFrame) -> dict[str, list[str]] | None:
    """The `where` that restricts a read to the chosen articles; None when every article is chosen."""
    if len(chosen) == len(articles):
        return None
    return {"article_id": list(chosen["article_id"])}


def read_reuse(data: "Dataset", where: dict[str, list[str]] | None) -> pd.DataFrame:
    """Shared passages whose two articles are both among the chosen ones (`scope`)."""
    if where is None or data.rows("reuse") == 0:  # an empty table has no column types to filter on
        return data.table("reuse")
    ids = where["article_id"]
    return data.table("reuse", where={"article_a": ids, "article_b": ids})


def _texts(sentences: Sentences, rows: pd.DataFrame, column: str = "sentence_id") -> pd.Series:
    """Text of the sentences named in `rows[column]` (sentence_id → text). A `Dataset` reads only
    those sentences, filtered on their articles too (`rows.article_id`) so that the reader can skip
    the parts of the file that hold other articles."""
    ids = sorted(set(rows[column].dropna()))
    if isinstance(sentences, pd.DataFrame):
        table = sentences[isin(sentences["sentence_id"], ids)]
    else:
        where = {"article_id": sorted(set(rows["article_id"].dropna())), "sentence_id": ids}
        table = sentences.table("sentences", columns=["sentence_id", "article_id", "text"], where=where)
    return table.drop_duplicates("sentence_id").set_index("sentence_id")["text"]


def select(articles: pd.DataFrame, *, outlets: Iterable[str] | None = None) -> pd.DataFrame:
    """The articles of `outlets` (all when None); an outlet not in the corpus is an error."""
    if outlets is None:
        return articles.sort_values("article_id").reset_index(drop=True)
    wanted = list(outlets)
    unknown = sorted(set(wanted) - set(articles["outlet"]))
    if unknown:
        raise ValueError(f"no articles from {unknown}; outlets in this corpus: {sorted(set(articles['outlet']))}")
    return articles[isin(articles["outlet"], wanted)].sort_values("article_id").reset_index(drop=True)


def busiest(frame: pd.DataFrame, key: str, *, value: str, n: int, what: str) -> pd.DataFrame:
    """The rows of the `n` values of `key` with the largest sum of `value` (ties by name), in
    their order; prints how many there are in all when some are left out."""
    totals = frame.groupby(key)[value].sum()
    if len(totals) <= n:
        return frame
    keep = totals.reset_index().sort_values([value, key], ascending=[False, True])[key].head(n)
    print(f"{len(totals):,} {what} in all; the {n} with the most {value} are shown.")
    return frame[isin(frame[key], keep)].reset_index(drop=True)


def categories(present: Iterable[str]) -> list[str]:
    """`present` categories in stack order; source types newslens does not know come before "unknown"."""
    present = set(present)
    extra = sorted(present - set(CATEGORIES))
    known = [c for c in CATEGORIES if c in present]
    cut = next((i for i, c in enumerate(known) if c in CATEGORIES[-3:]), len(known))
    return known[:cut] + extra + known[cut:]


def colors(cats: list[str]) -> list[str]:
    """A colour for each category; source types without a fixed colour take the palette's."""
    spare = iter(PALETTE * (1 + len(cats) // len(PALETTE)))
    return [_COLORS.get(c) or next(spare) for c in cats]


def _ink(color: str) -> str:
    """Black or white, whichever reads on `color` (relative luminance)."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4 else "black"


def _shares(rows: pd.DataFrame, *, by: str, value: str) -> pd.DataFrame:
    """Sum `weight` per (by, category) into `value`; `share` of the group's `total`."""
    g = rows.groupby([by, "category"], as_index=False)["weight"].sum().rename(columns={"weight": value})
    g["total"] = g.groupby(by)[value].transform("sum")
    g["share"] = (g[value] / g["total"]).round(4)
    g[value] = g[value].round(2)
    order = {c: i for i, c in enumerate(categories(g["category"]))}
    g = g.assign(_o=g["category"].map(order)).sort_values([by, "_o"]).drop(columns="_o")
    return g[[by, "category", value, "share", "total"]].reset_index(drop=True)


def _cited(sentences: pd.DataFrame, voice: pd.DataFrame) -> np.ndarray:
    """For each row of `sentences`, whether its voice is "attributed" (no voice row: not cited)."""
    attributed = voice["voice"].eq("attributed").to_numpy(dtype=bool)
    ids, vids = arrow(sentences["sentence_id"]), arrow(voice["sentence_id"])
    if len(ids) == len(vids) and ids.equals(vids):  # one voice row per sentence, in the same order: no lookup
        return attributed
    return isin(sentences["sentence_id"], voice.loc[attributed, "sentence_id"])


def sentence_profile(sentences: pd.DataFrame, voice: pd.DataFrame, attributions: pd.DataFrame,
                     articles: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """Share of each outlet's sentences (body, quotes, posts) by the type of source they cite.

    A sentence citing sources of two types counts half to each; an attributed sentence whose
    source was not identified (an unattributed quote) is `UNIDENTIFIED`; a stated one `OWN_VOICE`.
    Needs `COLUMNS` of each table. Counts are summed per article first, then per outlet: the
    result is one row per outlet and category at any corpus size.
    """
    text = isin(sentences["kind"], TEXT_KINDS) & isin(sentences["article_id"], articles["article_id"])
    cited = _cited(sentences, voice)
    quoting = sentences.loc[text & cited, ["sentence_id", "article_id"]]
    at = attributions[["sentence_id", "article_id", "source_type"]]
    at = at[isin(at["sentence_id"], quoting["sentence_id"])].drop_duplicates(["sentence_id", "source_type"])
    codes, _ = pd.factorize(at["sentence_id"])
    k = np.bincount(codes)[codes]  # source types cited in the row's sentence
    typed = pd.DataFrame({"article_id": at["article_id"].to_numpy(), "category": at["source_type"].fillna(UNIDENTIFIED).to_numpy(),
                          "weight": 1.0 / k})
    # Attributed sentences with no identified source: the attributed ones minus those with a type.
    n_quoting = quoting["article_id"].value_counts()
    n_typed = at.loc[~pd.Series(codes).duplicated().to_numpy(), "article_id"].value_counts()
    unidentified = n_quoting.sub(n_typed, fill_value=0)
    own = sentences.loc[text & ~cited, "article_id"].value_counts()
    rows = pd.concat([
        typed.groupby(["article_id", "category"], as_index=False, sort=False)["weight"].sum(),
        pd.DataFrame({"article_id": unidentified.index, "category": UNIDENTIFIED, "weight": unidentified.to_numpy(float)}),
        pd.DataFrame({"article_id": own.index, "category": OWN_VOICE, "weight": own.to_numpy(float)}),
    ], ignore_index=True)
    rows = rows[rows["weight"] > 0]
    rows[by] = rows["article_id"].map(articles.set_index("article_id")[by])
    return _shares(rows, by=by, value="sentences")


def figure_profile(figures: pd.DataFrame | None, attributions: pd.DataFrame, articles: pd.DataFrame, *,
                   types: dict[str, str] | None = None, by: str = "outlet") -> pd.DataFrame:
    """Share of each outlet's figures by the type of source they are attributed to.

    A figure's `attributed_to` is typed by the attribution of the same source in its sentence, else
    by that source anywhere, else by `types` (e.g. a lexicon's name → source_type), else "unknown".
    Empty when `figures` is None (a build without the figures table).
    """
    if figures is None:
        return pd.DataFrame(columns=[by, "category", "figures", "share", "total"])
    f = figures[isin(figures["article_id"], articles["article_id"])].reset_index(drop=True)
    voice = f["voice"] if "voice" in f.columns else pd.Series(None, index=f.index, dtype=object)
    source = f["attributed_to"]
    blank = (source.isna() | source.astype(str).str.strip().eq("")).to_numpy()
    at = attributions[["sentence_id", "source", "source_type"]]
    here = at.drop_duplicates(["sentence_id", "source"]).rename(columns={"source": "attributed_to", "source_type": "_t"})
    anywhere = at.drop_duplicates("source").set_index("source")["source_type"]
    typed = f[["sentence_id", "attributed_to"]].merge(here, on=["sentence_id", "attributed_to"], how="left")["_t"]
    for fallback in (source.map(anywhere), source.map(types or {})):
        typed = typed.where(typed.notna() & typed.ne(""), fallback)
    typed = typed.where(typed.notna() & typed.ne(""), "unknown")
    cats = np.where(blank, np.where(voice.eq("attributed"), UNIDENTIFIED, OWN_VOICE),
                    np.where(voice.eq("stated"), OWN_VOICE, typed.astype(object)))
    rows = pd.DataFrame({by: f["article_id"].map(articles.set_index("article_id")[by]), "category": cats, "weight": 1.0})
    return _shares(rows, by=by, value="figures")


def share_table(profile: pd.DataFrame, *, by: str = "outlet") -> pd.DataFrame:
    """A profile as % of each outlet's total: one row per category (in stack order), one column per outlet."""
    table = profile.pivot_table(index="category", columns=by, values="share", fill_value=0)
    return table.reindex(categories(profile["category"])).mul(100).round(1)


def source_matrix(attributions: pd.DataFrame, sentences: Sentences, articles: pd.DataFrame, *,
                  max_sources: int | None = None, max_outlets: int | None = None) -> pd.DataFrame:
    """Sentences citing each source, per outlet (long format), with the first such sentence.

    With `max_sources` / `max_outlets`, only the sources cited in the most sentences and the
    outlets with the most such sentences are kept (a line says how many there are in all); the
    example text is then read for the kept cells only.
    """
    at = attributions[isin(attributions["article_id"], articles["article_id"])]
    cells = at[["source", "source_type", "article_id", "sentence_id"]].drop_duplicates()
    per = cells.groupby(["source", "source_type", "article_id"], as_index=False).agg(
        sentences=("sentence_id", "size"), first=("sentence_id", "min"))
    per["outlet"] = per["article_id"].map(articles.set_index("article_id")["outlet"])
    per = per.sort_values(["source", "source_type", "outlet", "first"], kind="stable")
    g = per.groupby(["source", "source_type", "outlet"], as_index=False).agg(
        sentences=("sentences", "sum"), articles=("article_id", "size"), first=("first", "first"),
        article_id=("article_id", "first"))
    g["total"] = g.groupby("source")["sentences"].transform("sum")
    if max_sources is not None:
        g = busiest(g, "source", value="sentences", n=max_sources, what="sources")
    if max_outlets is not None:
        g = busiest(g, "outlet", value="sentences", n=max_outlets, what="outlets")
    text = _texts(sentences, g, "first")
    g.insert(g.columns.get_loc("total"), "example", g["first"].map(text).fillna("").str.slice(0, EXAMPLE_CHARS))
    order = {c: i for i, c in enumerate(categories(g["source_type"]))}
    g = g.assign(_o=g["source_type"].map(order)).sort_values(["_o", "total", "source", "outlet"],
                                                               ascending=[True, False, True, True])
    return g.drop(columns=["_o", "first", "article_id"]).reset_index(drop=True)


def disputes_table(disputes: pd.DataFrame, sentences: Sentences, articles: pd.DataFrame, *,
                   n: int | None = None) -> pd.DataFrame:
    """Who disputes whom, with the sentence that does it (the first `n` in article order, when given;
    the sentence text is read for those only)."""
    d = disputes[isin(disputes["article_id"], articles["article_id"])].sort_values(["article_id", "start"])
    if n is not None:
        d = d.head(n)
    out = d.assign(outlet=d["article_id"].map(articles.set_index("article_id")["outlet"]),
                   disputer_kind=d["disputer_kind"].map({"outlet": "the outlet itself", "source": "a cited source"}),
                   target_source=d["target_source"].fillna("(not resolved)"),
                   sentence=d["sentence_id"].map(_texts(sentences, d)))
    cols = ["outlet", "disputer", "disputer_kind", "cue", "target_source", "sentence", "sentence_id"]
    return out[cols].reset_index(drop=True)


def dispute_counts(disputes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Disputes per outlet, disputer and disputed source, most frequent first."""
    d = disputes[isin(disputes["article_id"], articles["article_id"])]
    out = d.assign(outlet=d["article_id"].map(articles.set_index("article_id")["outlet"]),
                   target_source=d["target_source"].fillna("(not resolved)"))
    g = out.groupby(["outlet", "disputer", "target_source"], as_index=False).agg(
        disputes=("sentence_id", "size"), articles=("article_id", "nunique"), first=("sentence_id", "min"))
    return g.sort_values(["disputes", "outlet", "disputer", "target_source"],
                         ascending=[False, True, True, True]).reset_index(drop=True)


def _timing(hours: float, d0: pd.Timestamp, d1: pd.Timestamp, *, day_only: bool, known: bool) -> str:
    """How much later the later article came out, in the precision the dates allow."""
    if not known or pd.isna(hours):
        return "order unknown"
    if not day_only:
        return f"{hours:g} h later"
    days = (d1.normalize() - d0.normalize()).days
    return {0: "same day (date only)", 1: "next day (date only)"}.get(days, f"{days} days later (date only)")


def reuse_passages(reuse: pd.DataFrame, articles: pd.DataFrame, *, min_words: int = 8) -> pd.DataFrame:
    """Shared passages of at least `min_words` words, earlier article first where times tell."""
    ids = articles["article_id"]
    r = reuse[(reuse["n_words"] >= min_words).to_numpy(dtype=bool) & isin(reuse["article_a"], ids) & isin(reuse["article_b"], ids)]
    swap = r["direction"].eq("b→a").to_numpy()
    side = {col: (np.where(swap, r[f"{col}_b"], r[f"{col}_a"]), np.where(swap, r[f"{col}_a"], r[f"{col}_b"]))
            for col in ("article", "start", "text")}
    out = pd.DataFrame({"earlier": side["article"][0], "later": side["article"][1],
                        "known_order": ~r["direction"].eq("unknown").to_numpy(),
                        "n_words": r["n_words"].to_numpy(), "similarity": r["similarity"].to_numpy(),
                        "start_earlier": side["start"][0], "start_later": side["start"][1],
                        "text_earlier": side["text"][0], "text_later": side["text"][1]})
    a = articles.set_index("article_id")
    t0, t1 = out["earlier"].map(a["published_utc"]), out["later"].map(a["published_utc"])
    precision = a.get("published_precision", pd.Series("", index=a.index))
    day_only = out["earlier"].map(precision).eq("day") | out["later"].map(precision).eq("day")
    hours = ((t1 - t0).dt.total_seconds() / 3600).round(1)
    out.insert(2, "outlet_earlier", out["earlier"].map(a["outlet"]))
    out.insert(3, "outlet_later", out["later"].map(a["outlet"]))
    out.insert(4, "timing", [_timing(h, d0, d1, day_only=d, known=k) for h, d0, d1, d, k
                             in zip(hours, t0, t1, day_only, out["known_order"])])
    out.insert(5, "hours_apart", hours.where(~day_only))  # a date-only time has no hours to count
    return out.sort_values(["earlier", "later", "start_earlier"]).reset_index(drop=True)


def reuse_pairs(passages: pd.DataFrame) -> pd.DataFrame:
    """One row per article pair of `reuse_passages`: passages, words shared, mean similarity."""
    keys = ["earlier", "later", "outlet_earlier", "outlet_later", "timing", "hours_apart", "known_order"]
    g = passages.assign(_w=passages["similarity"] * passages["n_words"]).groupby(keys, as_index=False, dropna=False)
    out = g.agg(passages=("n_words", "size"), words=("n_words", "sum"), _w=("_w", "sum"))
    out["similarity"] = (out.pop("_w") / out["words"]).round(3)
    return out.sort_values(["words", "earlier", "later"], ascending=[False, True, True]).reset_index(drop=True)


def top_passages(passages: pd.DataFrame, pairs: pd.DataFrame, n: int = MAX_PASSAGES) -> pd.DataFrame:
    """All passages when there are at most `n`; otherwise the first `n` of the pairs that share
    the most words (`pairs` order), each pair's in text order, with a line saying how many there are."""
    if len(passages) <= n:
        return passages
    rank = pairs[["earlier", "later"]].assign(_rank=range(len(pairs)))
    out = passages.merge(rank, on=["earlier", "later"], how="inner").sort_values(["_rank", "start_earlier"], kind="stable")
    print(f"{len(passages):,} shared passages in all; the first {n} of the pairs sharing the most words are shown.")
    return out.drop(columns="_rank").head(n).reset_index(drop=True)


def map_articles(pairs: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Articles to place on the reuse map: all of them up to `MAX_MAP_ARTICLES`, else those of `pairs`."""
    if len(articles) <= MAX_MAP_ARTICLES:
        return articles
    shown = pd.concat([pairs["earlier"], pairs["later"]])
    return articles[isin(articles["article_id"], shown)].reset_index(drop=True)


def word_diff(a: str, b: str) -> tuple[str, str]:
    """HTML of `a` and `b` (escaped) with the words of `a` missing from `b` in `<del>` and the
    words of `b` not in `a` in `<mark>`; case and punctuation differences do not count."""
    sa, sb = [m.span() for m in _WORDS.finditer(a)], [m.span() for m in _WORDS.finditer(b)]
    wa, wb = ([normalize_word(t[s:e]) for s, e in spans] for t, spans in ((a, sa), (b, sb)))
    ops = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    return (_render(a, sa, [(i1, i2, op != "equal") for op, i1, i2, _, _ in ops], "del"),
            _render(b, sb, [(j1, j2, op != "equal") for op, _, _, j1, j2 in ops], "mark"))


def _render(text: str, spans: list[tuple[int, int]], runs: list[tuple[int, int, bool]], tag: str) -> str:
    out, pos = [], 0
    for i, j, marked in runs:
        if i == j:
            continue
        s, e = spans[i][0], spans[j - 1][1]
        chunk = html.escape(text[s:e])
        out += [html.escape(text[pos:s]), f"<{tag}>{chunk}</{tag}>" if marked else chunk]
        pos = e
    return "".join(out) + html.escape(text[pos:])


_CELL = 'style="white-space:pre-wrap;vertical-align:top;text-align:left"'


def passages_html(passages: pd.DataFrame) -> str:
    """The shared passages side by side as an HTML table, differences highlighted.

    Every piece of text from the tables is escaped; the only markup is this table's own and the
    `<del>`/`<mark>` of `word_diff`.
    """
    head = ("<tr><th>articles</th><th>words · similarity</th>"
            "<th>earlier text (<del>struck</del>: not in the later text)</th>"
            "<th>later text (<mark>marked</mark>: changed or added)</th></tr>")
    rows = []
    for p in passages.itertuples(index=False):
        left, right = word_diff(p.text_earlier, p.text_later)
        who = (f"{html.escape(p.outlet_earlier)} ({html.escape(p.earlier)})<br>→ "
               f"{html.escape(p.outlet_later)} ({html.escape(p.later)}), {html.escape(p.timing)}")
        rows.append(f"<tr><td {_CELL}>{who}</td><td {_CELL}>{p.n_words} · {p.similarity:.2f}</td>"
                    f"<td {_CELL}>{left}</td><td {_CELL}>{right}</td></tr>")
    if not rows:
        return "<p>No shared passages of this length.</p>"
    return f"<table>{head}{''.join(rows)}</table>"


def _positions(values: pd.Series, among: pd.Series) -> np.ndarray:
    """Row of `among` holding each of `values` (the first, if repeated), -1 where none does."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(among) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    arr, value_set = arrow(values), arrow(among)
    if value_set.type != arr.type:
        value_set = value_set.cast(arr.type)
    return pc.index_in(arr, value_set=value_set).fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _same_ids(a: pd.Series, b: pd.Series) -> bool:
    """Whether `a` and `b` hold the same set of ids."""
    if len(a) == len(b) and arrow(a).equals(arrow(b)):
        return True
    return bool(isin(a, b).all() and isin(b, a).all())


def sanity(sentences: pd.DataFrame, attributions: pd.DataFrame, voice: pd.DataFrame,
           disputes: pd.DataFrame, reuse: pd.DataFrame) -> pd.DataFrame:
    """Checks a reader can see at a glance: each row a check and whether it holds.

    Needs sentence_id, start, end of sentences and `COLUMNS` of the others; hash lookups in Arrow
    keep it to a second or so for half a million sentences.
    """
    ids = sentences["sentence_id"]
    own = attributions[~attributions["carried"].to_numpy(dtype=bool)]
    pos = _positions(own["sentence_id"], ids)
    found = pos >= 0
    starts, ends = sentences["start"].to_numpy()[pos[found]], sentences["end"].to_numpy()[pos[found]]
    inside = bool(found.all() and (own["start"].to_numpy()[found] >= starts).all()
                  and (own["end"].to_numpy()[found] <= ends).all())
    checks = [
        ("every attribution points at a known sentence", bool(isin(attributions["sentence_id"], ids).all())),
        ("each source mention lies inside its sentence", inside),
        ("every sentence has exactly one voice", unique_ids(voice["sentence_id"]) and _same_ids(voice["sentence_id"], ids)),
        ("every dispute points at a known sentence", bool(isin(disputes["sentence_id"], ids).all())),
        ("shared passages join two different articles", bool((reuse["article_a"] < reuse["article_b"]).all())),
        ("shared passages match their offsets", bool(((reuse["end_a"] - reuse["start_a"]) == reuse["text_a"].str.len()).all())),
    ]
    return pd.DataFrame(checks, columns=["check", "holds"])


# Charts --------------------------------------------------------------------------------------

_INK = alt.condition("datum.ink == 'white'", alt.value("white"), alt.value("black"))


def profile_chart(profile: pd.DataFrame, *, value: str = "sentences", by: str = "outlet",
                  title: str = "") -> alt.LayerChart:
    """Stacked bars: one per outlet, segments = share by source type, labelled when wide enough."""
    cats = categories(profile["category"])
    data = profile.assign(_o=profile["category"].map({c: i for i, c in enumerate(cats)}))
    data = data.sort_values([by, "_o"])
    data["x1"] = data.groupby(by)["share"].cumsum().round(4)
    data["x0"] = (data["x1"] - data["share"]).round(4)
    data["label"] = np.where(data["share"] >= 0.06, (data["share"] * 100).round().astype(int).astype(str) + "%", "")
    data["ink"] = data["category"].map(dict(zip(cats, map(_ink, colors(cats)))))
    data = data.drop(columns="_o").reset_index(drop=True)
    y = alt.Y(f"{by}:N", title=None, sort="ascending")
    tooltip = [by, "category", value, alt.Tooltip("share:Q", format=".0%"), "total"]
    bars = alt.Chart(data, title=title).mark_bar(stroke="black", strokeWidth=0.5).encode(
        y=y, x=alt.X("x0:Q", title=f"share of {value}", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        x2="x1:Q", color=alt.Color("category:N", title="source type", scale=alt.Scale(domain=cats, range=colors(cats)),
                                    legend=alt.Legend(symbolStrokeColor="black", symbolStrokeWidth=0.5)),
        tooltip=tooltip)
    labels = alt.Chart(data).mark_text(fontSize=10).encode(
        y=y, x=alt.X("mid:Q"), text="label:N", color=_INK, tooltip=tooltip,
    ).transform_calculate(mid="(datum.x0 + datum.x1) / 2")
    return alt.layer(bars, labels).properties(width=520, height=alt.Step(34))


def matrix_chart(matrix: pd.DataFrame, *, title: str = "") -> alt.HConcatChart:
    """Heat matrix source × outlet, sources grouped by type; counts in cells and tooltips."""
    data = matrix.assign(ink=np.where(matrix["sentences"] > matrix["sentences"].max() * 0.55, "white", "black"))
    first = ~data["source_type"].duplicated()
    data["group"] = np.where(first, data["source_type"], "")
    order = list(dict.fromkeys(data["source"]))
    y = alt.Y("source:N", title=None, sort=order, axis=alt.Axis(grid=False))
    tooltip = ["source", "source_type", "outlet", alt.Tooltip("sentences:Q", title="sentences citing it"),
               "articles", alt.Tooltip("example:N", title="first such sentence")]
    x = alt.X("outlet:N", title=None, sort="ascending", axis=alt.Axis(orient="top", labelAngle=0, grid=False))
    cells = alt.Chart().mark_rect(stroke="white").encode(
        x=x, y=y, color=alt.Color("sentences:Q", title="sentences", scale=alt.Scale(scheme="blues")), tooltip=tooltip)
    counts = alt.Chart().mark_text(fontSize=11).encode(x=x, y=y, text="sentences:Q", color=_INK, tooltip=tooltip)
    # A column of source-type names beside the matrix: a grouped axis Vega-Lite lacks.
    groups = alt.Chart().mark_text(align="right", fontWeight="bold", fontSize=11).encode(
        x=alt.value(190), y=alt.Y("source:N", sort=order, axis=None), text="group:N").transform_filter("datum.group != ''")
    step = alt.Step(18)
    return alt.hconcat(groups.properties(width=190, height=step), alt.layer(cells, counts).properties(
        width=alt.Step(110), height=step), data=data, spacing=4, title=title).resolve_scale(y="shared")


def _times(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles as map nodes: row by publication time, label "outlet · day time" (UTC)."""
    a = articles.sort_values(["published_utc", "article_id"]).reset_index(drop=True)
    day_only = a.get("published_precision", pd.Series("", index=a.index)).eq("day")
    when = np.where(day_only, a["published_utc"].dt.strftime("%d %b"), a["published_utc"].dt.strftime("%d %b %H:%M"))
    return pd.DataFrame({"article_id": a["article_id"], "outlet": a["outlet"], "row": a.index,
                         "time": a["published_utc"].dt.strftime(_ISO), "label": a["outlet"] + " · " + when})


_ISO = "%Y-%m-%dT%H:%M:%SZ"


def reuse_map(pairs: pd.DataFrame, articles: pd.DataFrame, *, title: str = "") -> alt.LayerChart:
    """Articles placed by publication time, joined by a line as thick as the words they share."""
    nodes = _times(articles)
    at = nodes.set_index("article_id")
    t0, t1 = pd.to_datetime(pairs["earlier"].map(at["time"])), pd.to_datetime(pairs["later"].map(at["time"]))
    edges = pairs.assign(t0=t0.dt.strftime(_ISO), t1=t1.dt.strftime(_ISO), tm=(t0 + (t1 - t0) / 2).dt.strftime(_ISO),
                         r0=pairs["earlier"].map(at["row"]), r1=pairs["later"].map(at["row"]))
    edges["rm"] = (edges["r0"] + edges["r1"]) / 2
    edges["label"] = edges["words"].astype(str) + " words"
    span = pd.to_datetime(nodes["time"])
    pad = max((span.max() - span.min()) * 0.08, pd.Timedelta(hours=6))
    x = partial(alt.X, scale=alt.Scale(type="utc", domain=[(span.min() - pad).strftime(_ISO), (span.max() + pad).strftime(_ISO)]),
                title="published (UTC)", axis=alt.Axis(format="%d %b", tickCount={"interval": "day", "step": 1}))
    # Row numbers carry the article labels: the y axis is the legend of the nodes.
    names = json.dumps(list(nodes["label"]), ensure_ascii=False)
    y = partial(alt.Y, scale=alt.Scale(domain=[len(nodes) - 0.5, -0.5]), title=None,
                axis=alt.Axis(values=list(range(len(nodes))), labelExpr=f"{names}[datum.value]", tickCount=len(nodes)))
    tip = ["outlet_earlier", "earlier", "outlet_later", "later", "timing", "passages", "words", "similarity"]
    lines = alt.Chart(edges).mark_rule(color="#555555", opacity=0.7).encode(
        x=x("t0:T"), x2="t1:T", y=y("r0:Q"), y2="r1:Q", tooltip=tip,
        strokeWidth=alt.StrokeWidth("words:Q", title="words shared", scale=alt.Scale(range=[1.5, 10])))
    halo = alt.Chart(edges).mark_text(fontSize=11, fontWeight="bold", stroke="white", strokeWidth=4).encode(
        x=x("tm:T"), y=y("rm:Q"), text="label:N")
    words = alt.Chart(edges).mark_text(fontSize=11, fontWeight="bold").encode(x=x("tm:T"), y=y("rm:Q"), text="label:N", tooltip=tip)
    look = outlet_scale(list(articles["outlet"].unique()))
    points = alt.Chart(nodes).mark_point(size=160, filled=True, stroke="black", strokeWidth=0.8, opacity=1).encode(
        x=x("time:T"), y=y("row:Q"), color=alt.Color("outlet:N", scale=look["color"], legend=None),
        shape=alt.Shape("outlet:N", scale=look["shape"], legend=None), tooltip=["outlet", "article_id", "label"])
    return alt.layer(lines, halo, words, points).properties(title=title, width=560, height=60 * max(len(nodes), 2))
