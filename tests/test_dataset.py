"""Notebooks read processed tables through `newslens.dataset`: every engine gives the same frames."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from newslens import pipeline, store
from newslens.dataset import ENGINES, Dataset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402  (the benchmark corpus generator)


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """A build of 60 generated articles in 3 chunks (so Parquet files hold several row groups)."""
    raw = make_corpus.write(60, tmp_path_factory.mktemp("gen") / "raw", seed=5)
    out = tmp_path_factory.mktemp("processed")
    pipeline.build(raw, out, workers=1, chunk_size=20)
    return out


QUERIES = [
    ("table", "articles", {}),
    ("table", "figures", {"columns": ["figure_id", "outlet", "value_low", "entity", "attributed_to"],
                          "where": {"outlet": ["RT", "Al Jazeera", "no such outlet"]}}),
    ("table", "sentences", {"columns": ["sentence_id", "text", "entry_time_utc"], "where": {"kind": []}}),
    ("count", "sentences", {"by": ["article_id", "kind"], "sums": ["n_words"]}),
    ("count", "figures", {"by": ["outlet", "entity", "attributed_to"], "sums": ["value_low", "value_high"]}),
    ("count", "events", {"by": ["outlet", "event_type"], "where": {"outlet": ["RT", "TASS"]}}),
    # filters on columns that are not read
    ("table", "figures", {"columns": ["figure_id"], "where": {"entity": ["people"], "voice": ["own"]}}),
    ("count", "figures", {"by": ["entity"], "where": {"outlet": ["RT", "Al Jazeera"]}}),
]


@pytest.mark.parametrize("engine", [e for e in ENGINES if e != "pandas"])
@pytest.mark.parametrize("method,name,kwargs", QUERIES, ids=[f"{m}-{n}" for m, n, _ in QUERIES])
def test_every_engine_returns_the_frame_pandas_returns(processed, engine, method, name, kwargs):
    expected = getattr(Dataset(processed, "pandas"), method)(name, **kwargs)
    got = getattr(Dataset(processed, engine), method)(name, **kwargs)
    pdt.assert_frame_equal(got, expected)


def test_table_equals_the_store_reader(processed):
    pdt.assert_frame_equal(Dataset(processed).table("figures"), store.read_table(processed, "figures"))


def test_count_matches_a_plain_groupby(processed):
    figures = store.read_table(processed, "figures")
    got = Dataset(processed, "duckdb").count("figures", by=["outlet", "attributed_to"], sums=["value_low"])
    want = figures.groupby(["outlet", "attributed_to"], dropna=False).agg(n=("figure_id", "size"),
                                                                          value_low=("value_low", "sum"))
    assert got["n"].sum() == len(figures)
    assert got.set_index(["outlet", "attributed_to"])["n"].to_dict() == want["n"].to_dict()
    assert got["value_low"].sum() == pytest.approx(figures["value_low"].sum())
    # missing values are a group of their own, not dropped
    assert got["attributed_to"].isna().any() == figures["attributed_to"].isna().any()


def test_filters_select_exactly_the_rows(processed):
    articles = Dataset(processed).table("articles")
    outlet = sorted(articles["outlet"].unique())[0]
    picked = Dataset(processed, "duckdb").table("articles", ["article_id", "outlet"], where={"outlet": [outlet]})
    assert list(picked["article_id"]) == list(articles.loc[articles["outlet"] == outlet, "article_id"])


def test_bad_requests_are_named(processed):
    data = Dataset(processed)
    with pytest.raises(KeyError, match="no column.*nonesuch"):
        data.table("articles", ["nonesuch"])
    with pytest.raises(TypeError, match="non-numeric.*outlet"):
        data.count("articles", by=["language"], sums=["outlet"])
    with pytest.raises(store.StoreError, match="not in .*build.json"):
        data.table("no_such_table")
    with pytest.raises(ValueError, match="engine must be one of"):
        Dataset(processed, "spark")


def test_a_damaged_table_is_refused_by_every_engine(processed, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in processed.iterdir():
        (copy / p.name).write_bytes(p.read_bytes())
    path = copy / "articles.parquet"
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    for engine in ENGINES:
        with pytest.raises(store.StoreError, match="articles.parquet does not match"):
            Dataset(copy, engine).table("articles")


def test_rows_come_from_build_json(processed):
    data = Dataset(processed, "duckdb")
    assert data.rows("sentences") == len(store.read_table(processed, "sentences"))
    assert "figures" in data.tables() and isinstance(data.table("articles"), pd.DataFrame)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_empty_selection_keeps_the_columns_and_types(processed, engine):
    data = Dataset(processed, engine)
    empty = data.count("figures", by=["outlet"], sums=["value_low"], where={"outlet": []})
    assert list(empty.columns) == ["outlet", "n", "value_low"] and empty.empty
    assert str(empty["n"].dtype) == "int64"
