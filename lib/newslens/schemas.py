"""Table contracts (DESIGN.md), checked where tables cross a boundary: the store.

Extractors trust their inputs; `store.write_tables` validates every table against its schema
before anything is written, so a contract breach never reaches data/processed.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from newslens.problems import NewslensError

_ID = pa.Column(str, nullable=False)
_OFFSET = pa.Column("int64", pa.Check.ge(0))
_UTC = pa.Column("datetime64[ns, UTC]", nullable=True)

ARTICLES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, unique=True),
        "outlet": pa.Column(str, pa.Check.str_length(min_value=1)),
        "affiliation": pa.Column(str),
        "title": pa.Column(str),
        "published_utc": pa.Column("datetime64[ns, UTC]", nullable=False),
        "byline": pa.Column(str),
        "url": pa.Column(str),
        "source_path": pa.Column(str),
        "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
        "language": pa.Column(str),
        "n_words": pa.Column("int64", pa.Check.ge(0)),
    },
    strict=False,
    name="articles",
)

SENTENCES = pa.DataFrameSchema(
    {
        "sentence_id": pa.Column(str, unique=True),
        "article_id": _ID,
        "paragraph": _OFFSET,
        "position": _OFFSET,
        "start": _OFFSET,
        "end": _OFFSET,
        "kind": pa.Column(str, pa.Check.isin(["body", "quote", "social", "caption", "boilerplate"])),
        "text": pa.Column(str),
        "entry": _OFFSET,
        "entry_time_utc": _UTC,
    },
    checks=[pa.Check(lambda df: (df["end"] >= df["start"]).all(), error="end before start")],
    strict=False,
    name="sentences",
)

PROBLEMS = pa.DataFrameSchema(
    {
        "severity": pa.Column(str, pa.Check.isin(["error", "warning"])),
        "file": pa.Column(str),
        "what": pa.Column(str),
        "todo": pa.Column(str),
    },
    strict=False,
    name="problems",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "problems": PROBLEMS,
}


def register(name: str, schema: pa.DataFrameSchema) -> None:
    """Add the schema of a table that an extractor contributes."""
    SCHEMAS[name] = schema


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Check ``df`` against the contract of table ``name`` (tables without one pass through)."""
    schema = SCHEMAS.get(name)
    if schema is None:
        return df
    try:
        return schema.validate(df, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise NewslensError(f"table {name!r} breaks its contract; nothing was written:\n{exc}") from None
