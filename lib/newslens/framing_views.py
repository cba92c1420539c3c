"""What the framing notebook shows: chart-ready tables, Altair charts and a keyword explorer.

Pure functions of the stored tables (``terms``, ``voice_words``, ``articles``) and of the
results of ``newslens.framing``; charts use the shared look of ``newslens.charts`` (palette,
``outlet_scale``) and stay readable in grey-scale: rates are written in the cells, findings
differ from the rest by shape and size as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from newslens import framing
from newslens.charts import PALETTE
from newslens.framing_lexicon import Lexicon

OTHER = "other labels"
STATUS = ("finding", "not a finding", "too little text")
_STATUS_COLOR = ["#000000", "#b0b0b0", "#E69F00"]
_STATUS_SHAPE = ["circle", "circle", "cross"]
_STATUS_SIZE = [110, 40, 60]
KWIC_COLUMNS = ["outlet", "sentence_id", "kind", "voice", "left", "match", "right"]  # the sentence id names the article


# --- checks and sentences -----------------------------------------------------------------------


def checks(terms: pd.DataFrame, voice_words: pd.DataFrame, corpus, lexicon: Lexicon, *,
           voice: str = "own", min_words: int = framing.MIN_WORDS) -> pd.DataFrame:
    """What the notebook relies on, one line each: ``check, holds``. The recount from the stored
    sentences (what the permutation test and keyword tables use) must equal the stored counts,
    which also shows the lexicon is the one the build used."""
    ids = set(corpus.articles["article_id"])
    stored = terms[terms["article_id"].isin(ids)].reset_index(drop=True)
    recount = framing.count(corpus, lexicon, voice=list(framing.VOICES), zeros=False)
    words = framing.in_voice(voice_words[voice_words["article_id"].isin(ids)], voice, "n_words")
    per_outlet = words.assign(outlet=words["article_id"].map(corpus.articles.set_index("article_id")["outlet"]))
    rows = [
        ("every stored term is in the lexicon", bool(stored.set_index(["category", "term"]).index.isin(
            framing.term_table(lexicon).set_index(["category", "term"]).index).all())),
        ("recounting the stored sentences gives the stored counts", _rows(recount) == _rows(stored)),
        ("voice_words lists every article in both voices", len(voice_words[voice_words["article_id"].isin(ids)]) == 2 * len(ids)),
        (f"every outlet has at least {min_words} words in the {voice} voice",
         bool((per_outlet.groupby("outlet")["n_words"].sum() >= min_words).all())),
    ]
    return pd.DataFrame(rows, columns=["check", "holds"])


def _rows(terms: pd.DataFrame) -> set[tuple]:
    keys = ["article_id", "category", "term", "voice", "count"]
    return set(zip(*(terms[k].astype(str) for k in keys)))


def words_table(voice_words: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Words of each article in each voice: ``outlet, article_id, own, quoted``."""
    wide = voice_words.merge(articles[["article_id", "outlet"]]).pivot_table(
        index=["outlet", "article_id"], columns="voice", values="n_words", aggfunc="sum", fill_value=0)
    return wide.astype("int64").reset_index().rename_axis(columns=None)


def describe_rates(rates: pd.DataFrame) -> str:
    """One line per category: which outlet uses its words most and least, per 1,000 words."""
    lines = []
    for category, g in rates.dropna(subset=["per_1000_words"]).groupby("category", sort=False):
        g = g.sort_values(["per_1000_words", "outlet"], ascending=[False, True])
        hi, lo = g.iloc[0], g.iloc[-1]
        lines.append(f"{category}: most {hi.outlet} ({hi.per_1000_words:.1f} per 1,000 words, {hi['count']} uses), "
                     f"least {lo.outlet} ({lo.per_1000_words:.1f}, {lo['count']} uses)")
    return "\n".join(lines)


def describe_labels(shares: pd.DataFrame) -> str:
    """One line per outlet and actor: the label it used most, with its share."""
    used = shares[shares["count"] > 0].sort_values(["outlet", "actor", "count", "term"], ascending=[True, True, False, True])
    lines = []
    for (outlet, actor), g in used.groupby(["outlet", "actor"], sort=True):
        top, total = g.iloc[0], int(g["count"].sum())
        lines.append(f"{outlet} calls the {actor} side most often \"{top.term}\" "
                     f"({top.share:.0%}: {top['count']} of {total} labels)")
    return "\n".join(lines)


def describe_findings(view: pd.DataFrame, untested: pd.DataFrame) -> str:
    """How many outlet × term differences survive the test, and each of them in words."""
    found = view[view["status"] == STATUS[0]].sort_values(["outlet", "q_value", "term"])
    head = (f"{len(found)} of {len(view)} outlet × term comparisons are findings "
            f"({view['term'].nunique()} terms tested; {len(untested)} more too rare to test).")
    lines = [f"{r.outlet} uses \"{r.term}\" {r.direction} than the others: {r.n} uses in {r.n_words:,} words "
             f"(z {r.z:+.2f}, q {r.q_value:.3f})" for r in found.itertuples()]
    return "\n".join([head, *lines])


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


def kwic_table(corpus, label: str, lexicon: Lexicon | None = None, *, window: int = 8) -> pd.DataFrame:
    """Every occurrence of ``label`` (a lexicon term or category, or any word) with its outlet
    and context: ``outlet, sentence_id, kind, voice, left, match, right``."""
    k = framing.kwic(corpus, label, window, lexicon=lexicon)
    outlet = corpus.articles.set_index("article_id")["outlet"]
    return k.assign(outlet=k["article_id"].map(outlet))[KWIC_COLUMNS]


def kwic_counts(corpus, labels: Sequence[str], lexicon: Lexicon) -> pd.DataFrame:
    """How often each label occurs per outlet and voice ('none': captions and boilerplate),
    in the order of ``labels``, every outlet listed."""
    parts = [kwic_table(corpus, label, lexicon, window=0).assign(label=label) for label in labels]
    k = pd.concat(parts, ignore_index=True)
    grid = pd.MultiIndex.from_product([list(labels), sorted(corpus.articles["outlet"].unique())], names=["label", "outlet"])
    wide = k.pivot_table(index=["label", "outlet"], columns="voice", values="match", aggfunc="count", fill_value=0)
    wide = wide.reindex(index=grid, columns=["own", "quoted", "none"], fill_value=0)
    return wide.astype("int64").reset_index().rename_axis(columns=None)


def explore(corpus, lexicon: Lexicon, *, window: int = 8) -> None:
    """Show the keyword explorer in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored
    notebooks, reports) cannot run a widget and would store its random model id, so there the
    widget is built (its first search runs) and a note stands in for it."""
    from newslens.widgets import show

    show(kwic_explorer(corpus, lexicon, window=window),
         "The keyword explorer is interactive: open this notebook in JupyterLab to search any word, "
         "term or category. The static tables above hold the same contexts for the key labels.")


def kwic_explorer(corpus, lexicon: Lexicon, *, window: int = 8):
    """A widget: type a word or pick a lexicon term or category, see every context with its
    outlet and article. Errors are shown as text; the callback never raises."""
    import ipywidgets as widgets

    from newslens.widgets import live_table

    names = sorted({t.name for t in lexicon.terms} | {c.name for c in lexicon.categories}, key=str.lower)
    box = widgets.Combobox(placeholder="a word, term or category", options=names, description="Search",
                           ensure_option=False)

    def search(value: str) -> tuple[str, pd.DataFrame | None]:
        label = value.strip()
        if not label:
            return "Type a word, or pick a term or category from the list.", None
        table = kwic_table(corpus, label, lexicon, window=window)
        return f"{len(table)} occurrences of {label!r}", table

    return live_table(box, search)
