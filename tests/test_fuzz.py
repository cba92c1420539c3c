"""Property tests over the whole chain, fed arbitrary and news-like text: the readers of what a
journalist brings (`newslens add`), the normaliser, and every extractor run on a one-article
corpus. Nothing raises; every offset lies inside the clean text and slices back to its surface;
normalisation is idempotent. (Per-extractor properties on bare strings live beside each
extractor's tests; these run the extractors as the build does.)"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newslens import corrections, figures, framing, sources, timex
from newslens.corpus import Corpus, articles_frame, build_article, sentences_frame
from newslens.ingest_formats import (
    IngestError, check_text, decode, guess_language, html_text, json_items, printable, slug,
)
from newslens.layout import load_layout
from newslens.manifest import Entry
from newslens.normalize import clean
from newslens.pipeline import extract_articles
from newslens.problems import problems_frame

LAYOUT = load_layout()
PUBLISHED = pd.Timestamp("2016-12-16T12:00:00Z")
WORDS = [
    "Aleppo", "4,500", "about 1,000", "at least 50", "dozens of", "two", "thousand", "%", "people", "buses",
    "militants", "civilians", "terrorists", "rebels", "evacuated", "killed", "left", "halted", "resumed",
    "on Thursday", "Dec 16, 2016", "15 December", "at 12:30 GMT", "this morning", "yesterday", "two days",
    "SANA", "the Red Cross", "RT", "Russia's defense ministry", "said", "told", "according to", "denied",
    "“We", "left.”", "\"", "'", "(", ")", "[READ MORE: x](#)", "**Trends**", "—", "–", "-", "@handle",
    "\u00a0", "\u200b", "\r\n", "\n", "\n\n", ".", ",", ";", ":", "?", "E.", "U.S.", "km", "2016", "0", "1/2",
    "½", "٤٥", "Алеппо", "حلب", "<script>x</script>", "&lt;b&gt;", "\ufeff", "\x00", "\x1b[2J",
]
any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
news = st.lists(st.sampled_from(WORDS), max_size=70).map(" ".join)
texts = st.one_of(any_text, news)
# figures.extract raises on a grouped number before a vulgar fraction ("10,000¼", "4,500 ½"): kept visible
# by test_known_figure_crash below, left out of the properties until it is fixed.
# clean() unwraps "[*](…)" to a "*" that a second pass reads as an emphasis marker: same treatment.


def _corpus(raw_text: str) -> Corpus:
    """A one-article corpus, built as the loader builds it."""
    row = {"article_id": "fz-2016-12-16", "file": "articles/fz.txt", "outlet": "Fuzz Wire",
           "published": PUBLISHED.isoformat(), "sha256": "0" * 64, "encoding": "utf-8", "language": "en"}
    article, rows, c = build_article(Entry(row, 2, Path("fz.txt"), raw_text, PUBLISHED), LAYOUT)
    for i, r in enumerate(rows):
        r["sentence_id"], r["article_id"], r["position"] = f"fz-2016-12-16-s{i:04d}", "fz-2016-12-16", i
    return Corpus(articles=articles_frame([article]), sentences=sentences_frame(rows),
                  texts={"fz-2016-12-16": c.text}, problems=problems_frame([]), cleaned={"fz-2016-12-16": c})


def _spans_fit(table: pd.DataFrame, text: str, name: str) -> None:
    if not {"start", "end"} <= set(table.columns) or table.empty:
        return
    assert ((0 <= table["start"]) & (table["start"] <= table["end"]) & (table["end"] <= len(text))).all(), name
    if "surface" in table.columns:
        for start, end, surface in table[["start", "end", "surface"]].itertuples(index=False):
            assert text[start:end] == surface, (name, start, end, surface)


@given(texts)
def test_clean_is_idempotent_and_maps_back(raw):
    c = clean(raw)
    assert clean(c.text).text == c.text
    assert all(0 <= c.to_raw(i) <= len(raw) for i in range(0, len(c.text) + 1, 7))


@settings(max_examples=60)
@given(texts)
def test_every_extractor_on_a_one_article_corpus(raw):
    corpus = _corpus(raw)
    text = corpus.texts["fz-2016-12-16"]
    for r in corpus.sentences.itertuples():
        assert text[r.start:r.end] == r.text
    for name, table in extract_articles(corpus).items():
        _spans_fit(table, text, name)


@settings(max_examples=60)
@given(news)
def test_extractors_called_one_by_one(raw):
    corpus = _corpus(raw)
    text = corpus.texts["fz-2016-12-16"]
    _spans_fit(figures.extract(text).assign(surface=lambda d: d["surface"]), text, "figures")
    _spans_fit(timex.extract(text, PUBLISHED.to_pydatetime()), text, "timex")
    attributions = sources.attribute(corpus)
    _spans_fit(attributions, text, "attributions")
    terms = framing.count(corpus, framing.load_lexicon(), voice="own", zeros=False)
    assert (terms["count"] > 0).all() if len(terms) else True


@given(st.binary(max_size=300), st.booleans())
def test_decode_gives_text_or_a_clear_refusal(data, html):
    try:
        text, encoding = decode(data, html=html)
        check_text(text)
    except IngestError as exc:
        assert "—" in str(exc)
        return
    assert data.decode("utf-16" if encoding == "utf-16" else encoding).lstrip("\ufeff") == text.lstrip("\ufeff")


MARKUP = st.lists(st.sampled_from(["<p>", "</p>", "<div>", ">", "<!--", "-->", "<b>", "</i>", "Aleppo",
                                   " evacuation resumed today.", "&amp;", "&lt;", "\x00", "<h1>", "<br/>", "</html>"]),
                  max_size=20).map("".join)


@settings(max_examples=60)
@given(MARKUP, MARKUP, st.sampled_from(["script", "style", "SCRIPT", "script type='text/javascript'"]))
def test_html_text_never_raises_and_never_returns_script(before, after, tag):
    html = f"{before}<{tag}>SECRET</{tag.split()[0]}>{after}"
    assert "SECRET" not in html_text(html)


@given(st.one_of(st.binary(max_size=200),
                 st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                              lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                                  ["title", "text", "outlet", "published", "x"]), inner, max_size=5),
                              max_leaves=12).map(lambda v: json.dumps(v).encode())))
def test_json_items_gives_items_or_a_clear_refusal(data):
    try:
        items = json_items(data)
    except IngestError as exc:
        assert "—" in str(exc)
        return
    assert items and all(i["title"].strip() and i["text"].strip() for i in items)


@given(any_text)
def test_names_and_printing_are_safe(text):
    s = slug(text)
    assert s == s.strip("-") and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in s)
    shown = printable(text, limit=1000)
    assert not any(unicodedata.category(ch) == "Cc" for ch in shown)
    assert guess_language(text)[0] in {"und", "en", "fr", "es", "de", "it", "pt", "tr", "ru", "ar", "fa"}


@given(st.lists(st.tuples(st.sampled_from(["fz-2016-12-16-s0000-t00", "fz-2016-12-16-s0001-f00", "nope"]),
                          st.sampled_from(["drop", "surface", "confidence", "value_low", "start", "colour"]),
                          st.text(max_size=12)), max_size=5))
def test_corrections_apply_or_refuse_clearly(rows):
    tables = {
        "timex": pd.DataFrame({"timex_id": ["fz-2016-12-16-s0000-t00"], "surface": ["today"], "confidence": [0.5]}),
        "figures": pd.DataFrame({"figure_id": ["fz-2016-12-16-s0001-f00"], "value_low": [4500.0]}),
    }
    reg = corrections.Register("c.csv", tuple(corrections.Correction(i, f, v, "r", "a", "2024-01-01", n + 2)
                                              for n, (i, f, v) in enumerate(rows)))
    try:
        out, problems = corrections.apply(tables, reg)
    except corrections.CorrectionsError as exc:
        assert "c.csv:" in str(exc)
        return
    assert len(problems) == sum(i == "nope" for i, _, _ in rows)
    assert len(out["corrections_applied"]) + len(problems) <= len(rows)


@pytest.mark.parametrize("raw", ["", "\n\n", "4,500", "“", "Dec 16, 2016 23:13 (GMT)", "\x00\x1b"])
def test_edge_cases_through_every_extractor(raw):
    corpus = _corpus(raw)
    for name, table in extract_articles(corpus).items():
        _spans_fit(table, corpus.texts["fz-2016-12-16"], name)


def test_digits_with_a_unicode_fraction():
    assert figures.extract("10,000¼ people left")["value_low"].tolist() == [10000.25]


def test_markup_left_by_cleaning_is_cleaned_too():
    once = clean("0[*]()").text
    assert clean(once).text == once
