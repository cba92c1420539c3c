"""What the framing notebook shows: chart-ready tables, Altair charts and a keyword explorer.

Pure functions of the stored tables (``terms``, ``voice_words``, ``articles``, ``sentences``,
read through ``newslens.dataset.Dataset``) and of the results of ``newslens.framing``; charts
use the shared look of ``newslens.charts`` (palette, ``outlet_scale``) and stay readable in
grey-scale: rates are written in the cells, findings differ from the rest by shape and size as
well as colour.

Rates, label shares and the charts are per outlet at any size. What depends on the number of
articles chosen (``MAX_ARTICLES_IN_DETAIL``):

- up to it, every sentence of the chosen articles is read once (``Sentences.corpus``): one row
  per article in the words table, sentences shuffled by the permutation test, every article
  recounted by the checks, every keyword line listed (up to ``KWIC_MAX_LINES``);
- above it, no full corpus is built: one row per outlet, whole articles shuffled (from the
  stored per-article counts), a sample of articles recounted, and keyword lines read only for
  a seeded sample of the articles that use the word, with a printed line saying so.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from newslens import framing, tables
from newslens.charts import PALETTE
from newslens.framing_lexicon import Lexicon, find_terms, plain_spaces, variant_key

OTHER = "other labels"
STATUS = ("finding", "not a finding", "too little text")
_STATUS_COLOR = ["#000000", "#b0b0b0", "#E69F00"]
_STATUS_SHAPE = ["circle", "circle", "cross"]
_STATUS_SIZE = [110, 40, 60]
KWIC_COLUMNS = ["outlet", "sentence_id", "kind", "voice", "left", "match", "right"]  # the sentence id names the article

# Up to this many chosen articles the notebook works sentence by sentence and article by article
# (see the module docstring); above it, per outlet, whole articles and samples.
MAX_ARTICLES_IN_DETAIL = 60
KWIC_MAX_LINES = 100  # keyword-in-context lines shown per label; more: a seeded sample across outlets
MAX_TABLE_ROWS = 150  # rows of the distinctive-terms table shown (findings first)
MAX_FINDING_LINES = 40  # findings described in words (smallest q first)
# A word outside the lexicon has no stored counts: above MAX_ARTICLES_IN_DETAIL the explorer
# searches this many sampled articles for it.
WORD_SEARCH_ARTICLES = 2000
SENTENCE_COLUMNS = ["sentence_id", "article_id", "paragraph", "start", "end", "kind", "text"]
COUNT_COLUMNS = ["article_id", "category", "term", "voice", "count"]
_NO_VOICE_KINDS = sorted(k for k, v in framing.VOICE_OF_KIND.items() if v is None)  # captions, boilerplate


# --- reading ------------------------------------------------------------------------------------


def article_filter(data, articles: pd.DataFrame) -> dict[str, list]:
    """``where`` selecting ``articles`` in ``data``'s tables: nothing when they are all of them."""
    if len(articles) == data.rows("articles") and articles["article_id"].is_unique:
        return {}
    return {"article_id": articles["article_id"].tolist()}


def read_counts(data, articles: pd.DataFrame, *, voice: str = "own") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stored per-article counts of ``articles``: ``terms`` (``COUNT_COLUMNS``, rows of
    ``voice``; own and quoted for 'all') and ``voice_words`` (both voices), read through the
    Dataset ``data`` with the article and voice filters pushed down."""
    where = article_filter(data, articles)
    voices = list(framing.VOICES) if voice == "all" else [voice]
    terms = data.table("terms", COUNT_COLUMNS, where={**where, "voice": voices})
    words = data.table("voice_words", ["article_id", "voice", "n_words"], where=where)
    return terms, words


def _read(data, name: str, columns: list[str], where: dict) -> pd.DataFrame:
    """``data.table`` with the ``where`` columns read as well, then dropped: every engine
    filters on columns it reads (the Dask engine only on those)."""
    extra = [c for c in where if c not in columns]
    return data.table(name, [*columns, *extra], where=where).drop(columns=extra)


def _count(data, name: str, by: list[str], sums: list[str], where: dict) -> pd.DataFrame:
    """``data.count`` grouped by the ``where`` columns as well (see ``_read``), then summed
    over them; use only where that adds few groups."""
    extra = [c for c in where if c not in by]
    out = data.count(name, by=[*by, *extra], sums=sums, where=where)
    if not extra:
        return out
    return out.groupby(by, sort=True, dropna=False)[["n", *sums]].sum().reset_index()


class Sentences:
    """The sentences of the chosen ``articles`` (``article_id, outlet``), read through the
    Dataset ``data``. Up to ``MAX_ARTICLES_IN_DETAIL`` articles they are all read once into
    ``corpus`` (clean texts rebuilt at their offsets). Above it ``corpus`` is None and views ask
    ``corpus_of`` for the articles they sample (with ``seed``): only their sentences are read,
    once (a cache of at most ``CACHE_ARTICLES`` articles), and ``prepare`` reads the samples of
    several keyword tables in one go."""

    CACHE_ARTICLES = 5000

    def __init__(self, data, articles: pd.DataFrame, lexicon: Lexicon, *, seed: int = 0) -> None:
        self.data, self.lexicon, self.seed = data, lexicon, seed
        self.articles = articles[["article_id", "outlet"]].reset_index(drop=True)
        self.where = article_filter(data, self.articles)
        self._read: tables.Corpus | None = None  # the articles read so far
        self._samples: dict[tuple[str, int], tuple[pd.DataFrame, pd.DataFrame]] = {}
        small = len(self.articles) <= MAX_ARTICLES_IN_DETAIL
        self.corpus = self.corpus_of(self.articles["article_id"]) if small else None

    def __repr__(self) -> str:
        how = "all read" if self.corpus is not None else "read on demand"
        return f"<sentences of {len(self.articles):,} articles, {how}>"

    def corpus_of(self, article_ids) -> tables.Corpus:
        """A corpus of the chosen articles among ``article_ids``; sentences not read before are
        read in one ``where`` on their article ids."""
        wanted = set(article_ids)
        chosen = self.articles[self.articles["article_id"].isin(wanted)]
        have = set(self._read.texts) if self._read is not None else set()
        missing = chosen.loc[~chosen["article_id"].isin(have), "article_id"].tolist()
        if missing:
            if len(have) + len(missing) > self.CACHE_ARTICLES:
                self._read, have = None, set()
                missing = chosen["article_id"].tolist()
            new = self.articles[self.articles["article_id"].isin(set(missing))]
            read = tables.from_tables(new, self.data.table("sentences", SENTENCE_COLUMNS, where={"article_id": missing}))
            self._read = read if self._read is None else tables.combine(self._read, read)
        return tables.subset(self._read, chosen) if self._read is not None else tables.from_tables(chosen, _NO_SENTENCES)

    def label(self, label: str) -> tuple[str, str]:
        """What ``label`` names, as ``framing.kwic`` reads it: ('category', name), ('term', name)
        or ('word', label)."""
        if label in {c.name for c in self.lexicon.categories}:
            return "category", label
        if variant_key(label) in self.lexicon.index:
            return "term", self.lexicon.index[variant_key(label)].name
        return "word", label

    def sample(self, label: str, max_lines: int = KWIC_MAX_LINES) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(articles using ``label``, with ``outlet`` and ``count``, from the stored counts; at
        most ``max_lines`` of them drawn with ``spread_sample``) for a lexicon term or category;
        for any other word (no stored counts): (all chosen articles, ``WORD_SEARCH_ARTICLES`` of
        them)."""
        key = (label, max_lines)
        if key not in self._samples:
            kind, name = self.label(label)
            if kind == "word":
                self._samples[key] = self.articles, spread_sample(self.articles, WORD_SEARCH_ARTICLES, self.seed)
            else:
                uses = _count(self.data, "terms", ["article_id"], ["count"], {**self.where, kind: [name]})
                uses = uses.merge(self.articles, on="article_id")
                self._samples[key] = uses, spread_sample(uses, max_lines, self.seed)
        return self._samples[key]

    def prepare(self, labels: Sequence[str], max_lines: int = KWIC_MAX_LINES) -> None:
        """Read the sampled articles of all ``labels`` at once (lexicon labels only)."""
        if self.corpus is None:
            ids = [self.sample(label, max_lines)[1]["article_id"] for label in labels if self.label(label)[0] != "word"]
            if ids:
                self.corpus_of(pd.concat(ids).unique())

    def kwic(self, label: str, *, window: int = 8, max_lines: int = KWIC_MAX_LINES) -> tuple[pd.DataFrame, str]:
        """(keyword-in-context rows with ``outlet``, a note on what was left out or ''); see
        ``kwic_table``."""
        if self.corpus is not None:
            return _bounded_lines(_kwic_rows(self.corpus, label, self.lexicon, window), label, max_lines, self.seed)
        pool, sample = self.sample(label, max_lines)
        rows = _kwic_rows(self.corpus_of(sample["article_id"]), label, self.lexicon, window)
        shown = _spread_lines(rows, max_lines, self.seed)
        drawn = f"drawn at random (seed {self.seed}) evenly across outlets"
        if self.label(label)[0] == "word":
            return shown, (f'"{label}" is not in the lexicon, so it has no stored counts: searched {len(sample):,} of '
                           f"{len(pool):,} articles {drawn}; {len(rows):,} occurrences there, {len(shown):,} shown.")
        return shown, (f'"{label}": {int(pool["count"].sum()):,} uses in {len(pool):,} articles (own and quoted voice, '
                       f"from the stored counts); showing {len(shown):,} lines from {shown['article_id'].nunique():,} "
                       f"of these articles, {drawn}.")


_NO_SENTENCES = pd.DataFrame({c: [] for c in SENTENCE_COLUMNS})


def spread_sample(frame: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """At most ``n`` rows of ``frame`` (which has an ``outlet`` column) drawn at random with
    ``seed`` and spread evenly across outlets: each outlet's rows in a seeded random order,
    then the first of every outlet, the second of every outlet, and so on. Same frame and
    seed, same rows, in their order in ``frame``."""
    if len(frame) <= n:
        return frame
    outlet = pd.factorize(frame["outlet"], sort=True)[0]
    key = np.random.default_rng(seed).permutation(len(frame))
    by_outlet = np.lexsort((key, outlet))  # each outlet's rows in the random order
    rank = np.empty(len(frame), dtype=np.int64)
    rank[by_outlet] = np.arange(len(frame)) - np.searchsorted(outlet[by_outlet], outlet[by_outlet])
    order = np.lexsort((outlet, rank))  # first of every outlet, then second of every outlet...
    return frame.iloc[np.sort(order[:n])]


# --- checks and sentences -----------------------------------------------------------------------


def checks(source: Sentences, voice_words: pd.DataFrame, *, voice: str = "own",
           min_words: int = framing.MIN_WORDS) -> pd.DataFrame:
    """What the notebook relies on, one line each: ``check, holds``. Recounting the stored
    sentences (what the permutation test and keyword tables use) must give the stored counts,
    which also shows the lexicon is the one the build used: every chosen article up to
    ``MAX_ARTICLES_IN_DETAIL``, a seeded sample of that many (spread across outlets) above."""
    data, lexicon, articles = source.data, source.lexicon, source.articles
    ids = set(articles["article_id"])
    pairs = data.count("terms", by=["category", "term"])  # every term the build stored
    if source.corpus is not None:
        corpus, recounted = source.corpus, "recounting the stored sentences gives the stored counts"
    else:
        corpus = source.corpus_of(spread_sample(articles, MAX_ARTICLES_IN_DETAIL, source.seed)["article_id"])
        recounted = (f"recounting the stored sentences of {len(corpus.articles)} sampled articles (seed {source.seed}) "
                     "gives the stored counts")
    stored = data.table("terms", COUNT_COLUMNS, where={"article_id": corpus.articles["article_id"].tolist()})
    recount = framing.count(corpus, lexicon, voice=list(framing.VOICES), zeros=False)
    words = framing.in_voice(voice_words[voice_words["article_id"].isin(ids)], voice, "n_words")
    per_outlet = words.assign(outlet=words["article_id"].map(articles.set_index("article_id")["outlet"]))
    rows = [
        ("every stored term is in the lexicon", bool(pairs.set_index(["category", "term"]).index.isin(
            framing.term_table(lexicon).set_index(["category", "term"]).index).all())),
        (recounted, _rows(recount) == _rows(stored)),
        ("voice_words lists every article in both voices", len(voice_words[voice_words["article_id"].isin(ids)]) == 2 * len(ids)),
        (f"every outlet has at least {min_words} words in the {voice} voice",
         bool((per_outlet.groupby("outlet")["n_words"].sum() >= min_words).all())),
    ]
    return pd.DataFrame(rows, columns=["check", "holds"])


def _rows(terms: pd.DataFrame) -> set[tuple]:
    keys = ["article_id", "category", "term", "voice", "count"]
    return set(zip(*(terms[k].astype(str) for k in keys)))


def words_table(voice_words: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Words of each article in each voice: ``outlet, article_id, own, quoted``; above
    ``MAX_ARTICLES_IN_DETAIL`` articles one row per outlet instead: ``outlet, articles, own,
    quoted`` (words summed over its articles)."""
    wide = voice_words.merge(articles[["article_id", "outlet"]]).pivot_table(
        index=["outlet", "article_id"], columns="voice", values="n_words", aggfunc="sum", fill_value=0)
    wide = wide.astype("int64").reset_index().rename_axis(columns=None)
    if len(articles) <= MAX_ARTICLES_IN_DETAIL:
        return wide
    per_outlet = wide.groupby("outlet", sort=True).agg(articles=("article_id", "size"), **{
        v: (v, "sum") for v in framing.VOICES if v in wide.columns})
    return per_outlet.reset_index()


def describe_rates(rates: pd.DataFrame) -> str:
    """One line per category: which outlet uses its words most and least, per 1,000 words."""
    lines = []
    for category, g in rates.dropna(subset=["per_1000_words"]).groupby("category", sort=False):
        g = g.sort_values(["per_1000_words", "outlet"], ascending=[False, True])
        hi, lo = g.iloc[0], g.iloc[-1]
        lines.append(f"{category}: most {hi.outlet} ({hi.per_1000_words:.1f} per 1,000 words, {hi['count']:,} uses), "
                     f"least {lo.outlet} ({lo.per_1000_words:.1f}, {lo['count']:,} uses)")
    return "\n".join(lines)


def describe_labels(shares: pd.DataFrame) -> str:
    """One line per outlet and actor: the label it used most, with its share."""
    used = shares[shares["count"] > 0].sort_values(["outlet", "actor", "count", "term"], ascending=[True, True, False, True])
    lines = []
    for (outlet, actor), g in used.groupby(["outlet", "actor"], sort=True):
        top, total = g.iloc[0], int(g["count"].sum())
        lines.append(f"{outlet} calls the {actor} side most often \"{top.term}\" "
                     f"({top.share:.0%}: {top['count']:,} of {total:,} labels)")
    return "\n".join(lines)


def describe_findings(view: pd.DataFrame, untested: pd.DataFrame, *, limit: int = MAX_FINDING_LINES) -> str:
    """How many outlet × term differences survive the test, and each of them in words (at most
    ``limit``: those with the smallest q-values, then the largest |z|; a last line says how many
    more there are)."""
    found = view[view["status"] == STATUS[0]]
    head = (f"{len(found):,} of {len(view):,} outlet × term comparisons are findings "
            f"({view['term'].nunique()} terms tested; {len(untested)} more too rare to test).")
    shown = found
    if len(found) > limit:
        strongest = found.assign(size=-found["z"].abs()).sort_values(["q_value", "size", "outlet", "term"])
        shown = found.loc[strongest.index[:limit]]
    lines = [f"{r.outlet} uses \"{r.term}\" {r.direction} than the others: {r.n:,} uses in {r.n_words:,} words "
             f"(z {r.z:+.2f}, q {r.q_value:.3f})" for r in shown.sort_values(["outlet", "q_value", "term"]).itertuples()]
    if len(found) > len(shown):
        lines.append(f"… and {len(found) - len(shown):,} more findings (listed here: the {limit} with the smallest "
                     "q-values).")
    return "\n".join([head, *lines])


def top_rows(table: pd.DataFrame, limit: int, what: str, order: str) -> pd.DataFrame:
    """The first ``limit`` rows of ``table`` (already in ``order``); when rows are left out a
    printed line says how many there are in all."""
    if len(table) <= limit:
        return table
    print(f"Showing the first {limit:,} of {len(table):,} {what} ({order}).")
    return table.head(limit)


# --- rates ------------------------------------------------------------------------------------


def rates_heatmap(rates: pd.DataFrame, lexicon: Lexicon, *, title: str | None = None) -> alt.LayerChart:
    """Outlet × category cells coloured by uses per 1,000 words, the rate written in each cell
    and counts in the tooltip; ``rates`` is ``framing.rates(..., by='category')``."""
    data = rates.assign(rate=rates["per_1000_words"].round(1), label=rates["per_1000_words"].map(_rate_label))
    order = [c.name for c in lexicon.categories]
    base = alt.Chart(data, title=title or f"Uses per 1,000 words ({rates['voice'].iloc[0]} voice)").encode(
        x=alt.X("category:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("outlet:N", sort="ascending", title=None),
        tooltip=["outlet", "category", "count", "n_words", "n_articles", alt.Tooltip("rate:Q", title="per 1,000 words")],
    )
    top = float(np.nanmax(data["rate"])) if data["rate"].notna().any() else 1.0
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("rate:Q", title="per 1,000 words", scale=alt.Scale(scheme="greys", domain=[0, top]))
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition(alt.datum.rate > top / 2, alt.value("white"), alt.value("black")),
    )
    return alt.layer(cells, text).properties(width=70 * len(order), height=38 * data["outlet"].nunique())


def _rate_label(rate: float) -> str:
    return "no text" if pd.isna(rate) else f"{rate:.1f}"


# --- actor labels -----------------------------------------------------------------------------


def actor_view(shares: pd.DataFrame, *, top: int = 7) -> pd.DataFrame:
    """``framing.actor_shares`` for a stacked bar: per actor its ``top`` most used labels across
    outlets, the rest folded into 'other labels' (which keeps their names in ``labels``).
    Columns ``actor, outlet, label, rank, count, share, labels``; an outlet that used no label
    for an actor keeps one row, label 'none used', rank -1, share NaN."""
    used = shares.groupby(["actor", "term"], as_index=False)["count"].sum()
    used = used[used["count"] > 0].sort_values(["actor", "count", "term"], ascending=[True, False, True])
    used["rank"] = used.groupby("actor").cumcount()
    rank = used.set_index(["actor", "term"])["rank"]
    s = shares.join(rank, on=["actor", "term"])
    s = s.assign(
        rank=s["rank"].where(s["rank"] < top, top),
        label=np.where(s["rank"] < top, s["term"] + np.where(s["ambiguous"], " (ambiguous)", ""), OTHER),
        named=np.where(s["count"] > 0, s["term"] + " " + s["count"].astype(str), ""),
    )
    s = s[s["count"] > 0]
    view = s.groupby(["actor", "outlet", "label", "rank"], as_index=False).agg(
        count=("count", "sum"), labels=("named", lambda x: ", ".join(v for v in x if v)))
    total = view.groupby(["actor", "outlet"])["count"].transform("sum")
    view["share"] = (view["count"] / total.where(total > 0)).round(3)
    view["rank"] = view["rank"].astype("int64")
    missing = _outlets_without_labels(shares, view)
    return pd.concat([view, missing], ignore_index=True).sort_values(["actor", "outlet", "rank"], ignore_index=True)


def label_table(view: pd.DataFrame, *, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """``actor_view`` for reading: by actor, outlet and rank, at most ``limit`` rows (a printed
    line gives the total)."""
    return top_rows(view, limit, "actor × outlet × label rows", "by side, outlet and label rank")


def _outlets_without_labels(shares: pd.DataFrame, view: pd.DataFrame) -> pd.DataFrame:
    have = set(zip(view["actor"], view["outlet"]))
    pairs = sorted(set(zip(shares["actor"], shares["outlet"])) - have)
    return pd.DataFrame({"actor": [a for a, _ in pairs], "outlet": [o for _, o in pairs], "label": "none used",
                         "rank": -1, "count": 0, "labels": "", "share": np.nan})


def actor_bars(view: pd.DataFrame, *, title: str = "Which labels each outlet gives each side") -> alt.VConcatChart:
    """One row of stacked bars (share of labels per outlet) for each actor, each with its own
    legend; ``view`` is ``actor_view``."""
    rows = []
    for actor in sorted(view["actor"].unique()):
        labels = view[(view["actor"] == actor) & (view["rank"] >= 0)].sort_values("rank")["label"].unique().tolist()
        colours = [("#dddddd" if label == OTHER else PALETTE[i % len(PALETTE)]) for i, label in enumerate(labels)]
        rows.append(
            alt.Chart(title=f"labels for {actor}")
            .transform_filter((alt.datum.actor == actor) & (alt.datum.rank >= 0))
            .mark_bar(stroke="black", strokeWidth=0.4)
            .encode(
                y=alt.Y("outlet:N", title=None, sort="ascending"),
                x=alt.X("share:Q", title="share of the labels the outlet used for this side",
                        stack="zero", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
                color=alt.Color("label:N", title=actor, scale=alt.Scale(domain=labels, range=colours), sort=labels),
                order=alt.Order("rank:Q"),
                tooltip=["outlet", "actor", "label", "count", alt.Tooltip("share:Q", format=".0%"), "labels"],
            )
            .properties(width=420, height=24 * view["outlet"].nunique())
        )
    return alt.vconcat(*rows, data=view, title=title).resolve_scale(color="independent")


# --- distinctive terms --------------------------------------------------------------------------


def distinctive(source: Sentences, terms: pd.DataFrame, voice_words: pd.DataFrame, *, voice: str = "own",
                permutations: int = 1000, seed: int = 0, min_count: int = framing.MIN_COUNT) -> pd.DataFrame:
    """``framing.distinctive_terms`` of the chosen articles: sentences shuffled among outlets up
    to ``MAX_ARTICLES_IN_DETAIL`` articles (``source.corpus``); above it whole articles, from the
    stored per-article ``terms`` and ``voice_words`` (``framing.distinctive_articles``), with a
    printed line saying so. Same columns either way."""
    options = dict(voice=voice, permutations=permutations, seed=seed, min_count=min_count)
    if source.corpus is not None:
        return framing.distinctive_terms(source.corpus, source.lexicon, **options)
    words = framing.in_voice(voice_words, voice, "n_words").groupby("article_id")["n_words"].sum()
    units = int((words[words.index.isin(source.articles["article_id"])] > 0).sum())
    print(f"More than {MAX_ARTICLES_IN_DETAIL} articles: whole articles are shuffled among outlets "
          f"({units:,} articles with words in the {voice} voice, {permutations:,} shuffles, seed {seed}).")
    return framing.distinctive_articles(terms, voice_words, source.articles, source.lexicon, **options)


def findings_table(view: pd.DataFrame, *, limit: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """``distinctive_view`` for reading: findings first, then by outlet, p-value and term; at most
    ``limit`` rows (a printed line gives the total)."""
    table = view.sort_values(["status", "outlet", "p_value", "term"], ignore_index=True)
    return top_rows(table, limit, "outlet × term comparisons", "findings first, then by outlet and p-value")


def distinctive_view(table: pd.DataFrame) -> pd.DataFrame:
    """The tested rows of ``framing.distinctive_terms`` (terms used at least ``min_count`` times)
    with a ``status``: 'finding' only where the test says so; 'too little text' for an outlet
    below the word guard; 'not a finding' otherwise. Rounded for display."""
    t = table[~table["low_count"]].copy()
    t["status"] = np.select([t["finding"], ~t["enough_text"]], [STATUS[0], STATUS[2]], STATUS[1])
    for col, digits in (("z", 2), ("p_value", 4), ("q_value", 4)):
        t[col] = t[col].round(digits)
    columns = ["outlet", "category", "term", "n", "total", "n_words", "z", "p_value", "q_value", "direction", "status"]
    return t[columns].sort_values(["outlet", "category", "term"], ignore_index=True)


def untested(table: pd.DataFrame) -> pd.DataFrame:
    """Terms used somewhere but fewer than ``min_count`` times in all: no p-value, no finding."""
    t = table[table["low_count"] & (table["total"] > 0)]
    wide = t.pivot_table(index=["category", "term", "total"], columns="outlet", values="n", aggfunc="sum")
    return wide.reset_index().rename_axis(columns=None)


def distinctive_chart(view: pd.DataFrame, *, title: str | None = None) -> alt.FacetChart:
    """z of each outlet against the others for every tested term, one panel per outlet. Only
    findings are black and large; the rest are small grey dots (or orange crosses where the
    outlet wrote too little), so noise never looks like a result."""
    terms = sorted(view["term"].unique(), key=str.lower)
    base = alt.Chart(view).encode(y=alt.Y("term:N", sort=terms, title=None))
    zero = base.mark_rule(color="#888888").encode(x=alt.datum(0), y=alt.value(0), y2=alt.value(14 * len(terms)))
    dots = base.mark_point(filled=True, opacity=1).encode(
        x=alt.X("z:Q", title="z"),
        color=alt.Color("status:N", scale=alt.Scale(domain=list(STATUS), range=_STATUS_COLOR), title=None),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=list(STATUS), range=_STATUS_SHAPE), title=None),
        size=alt.Size("status:N", scale=alt.Scale(domain=list(STATUS), range=_STATUS_SIZE), title=None),
        tooltip=["outlet", "term", "category", "n", "total", "n_words", "z", "p_value", "q_value", "status"],
    )
    chart = alt.layer(zero, dots).properties(width=150, height=14 * len(terms))
    heading = alt.TitleParams(
        title or "Distinctive terms: each outlet against the others",
        subtitle=["z > 0: the outlet uses the term more than the others do, per word of text.",
                  "Black: a finding (permutation test, Benjamini–Hochberg q < 0.05); grey: within what chance gives."],
    )
    return chart.facet(column=alt.Column("outlet:N", title=None, sort="ascending"), title=heading)


# --- keyword in context -------------------------------------------------------------------------


def kwic_table(corpus, label: str, lexicon: Lexicon | None = None, *, window: int = 8,
               max_lines: int = KWIC_MAX_LINES, seed: int = 0, quiet: bool = False) -> pd.DataFrame:
    """Occurrences of ``label`` (a lexicon term or category, or any word) with their outlet and
    context: ``outlet, sentence_id, kind, voice, left, match, right``, by article and position.

    ``corpus`` is a corpus or a ``Sentences``. Every occurrence is listed up to ``max_lines``;
    beyond that (and always for a ``Sentences`` above ``MAX_ARTICLES_IN_DETAIL`` articles, whose
    lines come from a sample of the articles using the label) a seeded sample spread evenly
    across outlets, and a printed line (unless ``quiet``) says what was left out; the line is
    also in the table's ``attrs['note']``."""
    if isinstance(corpus, Sentences):
        rows, note = corpus.kwic(label, window=window, max_lines=max_lines)
    else:
        rows, note = _bounded_lines(_kwic_rows(corpus, label, lexicon, window), label, max_lines, seed)
    if note and not quiet:
        print(note)
    table = rows[KWIC_COLUMNS].reset_index(drop=True)
    table.attrs["note"] = note
    return table


def _kwic_rows(corpus, label: str, lexicon: Lexicon | None, window: int) -> pd.DataFrame:
    k = framing.kwic(corpus, label, window, lexicon=lexicon)
    return k.assign(outlet=k["article_id"].map(corpus.articles.set_index("article_id")["outlet"]))


def _spread_lines(rows: pd.DataFrame, max_lines: int, seed: int) -> pd.DataFrame:
    """At most ``max_lines`` of the keyword rows, spread across outlets, by article and position."""
    return spread_sample(rows, max_lines, seed).sort_values(["article_id", "start"], kind="stable")


def _bounded_lines(rows: pd.DataFrame, label: str, max_lines: int, seed: int) -> tuple[pd.DataFrame, str]:
    if len(rows) <= max_lines:
        return rows, ""
    return _spread_lines(rows, max_lines, seed), (
        f'"{label}": {len(rows):,} occurrences; showing {max_lines:,}, drawn at random (seed {seed}) evenly across outlets.')


def kwic_counts(corpus, labels: Sequence[str], lexicon: Lexicon | None = None) -> pd.DataFrame:
    """How often each label occurs per outlet and voice ('none': captions and boilerplate),
    in the order of ``labels``, every outlet listed.

    ``corpus`` is a corpus or a ``Sentences``. Above ``MAX_ARTICLES_IN_DETAIL`` articles the own
    and quoted counts are the stored per-article counts (summed by the engine) and only caption
    and boilerplate sentences are read and matched; labels must then be lexicon terms or
    categories."""
    if isinstance(corpus, Sentences) and corpus.corpus is None:
        counts = _stored_kwic_counts(corpus, labels)
        corpus.prepare([label for label in labels if corpus.label(label)[0] != "word"])  # the keyword tables' reads
        return counts
    if isinstance(corpus, Sentences):
        corpus, lexicon = corpus.corpus, lexicon or corpus.lexicon
    parts = [kwic_table(corpus, label, lexicon, window=0, max_lines=np.iinfo(np.int64).max).assign(label=label)
             for label in labels]
    k = pd.concat(parts, ignore_index=True)
    return _count_grid(k.assign(n=1), labels, sorted(corpus.articles["outlet"].unique()))


def _count_grid(k: pd.DataFrame, labels: Sequence[str], outlets: list[str]) -> pd.DataFrame:
    """``label, outlet, own, quoted, none`` from rows ``label, outlet, voice, n``."""
    grid = pd.MultiIndex.from_product([list(labels), outlets], names=["label", "outlet"])
    wide = k.pivot_table(index=["label", "outlet"], columns="voice", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=grid, columns=["own", "quoted", "none"], fill_value=0)
    return wide.astype("int64").reset_index().rename_axis(columns=None)


def _stored_kwic_counts(source: Sentences, labels: Sequence[str]) -> pd.DataFrame:
    lexicon, outlet = source.lexicon, source.articles.set_index("article_id")["outlet"]
    named = {label: source.label(label) for label in labels}
    words = [label for label, (kind, _) in named.items() if kind == "word"]
    if words:
        raise ValueError(f"{words} are not lexicon terms or categories: above {MAX_ARTICLES_IN_DETAIL} articles only "
                         "those have stored counts (search other words in the explorer)")
    members = {label: {t.name for t in lexicon.terms if (t.category if kind == "category" else t.name) == name}
               for label, (kind, name) in named.items()}
    wanted = sorted(set().union(*members.values()))
    stored = source.data.count("terms", by=["article_id", "term", "voice"], sums=["count"],
                               where={**source.where, "term": wanted})
    stored = stored.assign(outlet=stored["article_id"].map(outlet), n=stored["count"])
    captions = _read(source.data, "sentences", ["article_id", "text"], {**source.where, "kind": _NO_VOICE_KINDS})
    unvoiced = _lexicon_hits(captions, lexicon).assign(voice="none", n=1)
    unvoiced["outlet"] = unvoiced["article_id"].map(outlet)
    found = pd.concat([stored[["outlet", "term", "voice", "n"]], unvoiced[["outlet", "term", "voice", "n"]]])
    rows = [found[found["term"].isin(members[label])].assign(label=label) for label in labels]
    return _count_grid(pd.concat(rows, ignore_index=True), labels, sorted(outlet.unique()))


def _lexicon_hits(sentences: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """One row (``article_id, term``) per lexicon match in each sentence's ``text``, as
    ``framing.kwic`` finds them (one pattern run over the texts joined by NULs)."""
    texts = [plain_spaces(t) for t in sentences["text"].tolist()]
    if not texts:
        return pd.DataFrame({"article_id": pd.Series([], dtype=object), "term": pd.Series([], dtype=object)})
    ends = np.cumsum([len(t) + 1 for t in texts]) - 1
    part, term = find_terms(lexicon, "\0".join(texts), parts=ends)
    names = np.array([t.name for t in lexicon.terms], dtype=object)
    return pd.DataFrame({"article_id": sentences["article_id"].to_numpy()[part], "term": names[term]})


def explore(corpus, lexicon: Lexicon, *, window: int = 8) -> None:
    """Show the keyword explorer in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored
    notebooks, reports) cannot run a widget and would store its random model id, so there the
    widget is built (its first search runs) and a note stands in for it."""
    from newslens.widgets import show

    show(kwic_explorer(corpus, lexicon, window=window),
         "The keyword explorer is interactive: open this notebook in JupyterLab to search any word, "
         "term or category. The static tables above hold the same contexts for the key labels.")


def kwic_explorer(corpus, lexicon: Lexicon, *, window: int = 8):
    """A widget: type a word or pick a lexicon term or category, see its contexts with their
    outlet and sentence (as ``kwic_table``: at most ``KWIC_MAX_LINES``, a line says when some
    are left out). Errors are shown as text; the callback never raises."""
    import ipywidgets as widgets

    from newslens.widgets import live_table

    names = sorted({t.name for t in lexicon.terms} | {c.name for c in lexicon.categories}, key=str.lower)
    box = widgets.Combobox(placeholder="a word, term or category", options=names, description="Search",
                           ensure_option=False)

    def search(value: str) -> tuple[str, pd.DataFrame | None]:
        label = value.strip()
        if not label:
            return "Type a word, or pick a term or category from the list.", None
        table = kwic_table(corpus, label, lexicon, window=window, quiet=True)
        return table.attrs.get("note") or f"{len(table)} occurrences of {label!r}", table

    return live_table(box, search)
