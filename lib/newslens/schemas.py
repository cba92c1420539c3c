"""Table contracts (DESIGN.md), checked where tables cross a boundary: the store.

Extractors trust their inputs; `store.write_tables` validates every table against its schema
before anything is written, so a contract breach never reaches data/processed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines.pandas_engine import Engine

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
    """Check ``df`` against the contract of table ``name`` (tables without one pass through).

    A table that `_meets` its contract passes at once; any other goes through pandera, whose
    report names the table, the column and the failing values.
    """
    schema = SCHEMAS.get(name)
    if schema is None or _meets(schema, df):
        return df
    try:
        return schema.validate(df, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise NewslensError(f"table {name!r} breaks its contract; nothing was written:\n{exc}") from None


# ---- the same checks, read straight from the schemas --------------------------------------
# pandera's per-column machinery costs milliseconds per call, and every chunk of a build calls
# it; `_meets` runs the checks these schemas use as plain vectorised pandas. It only ever says
# "passes": anything it does not follow, or any doubt, goes to pandera for the verdict.

_BUILTIN = {
    "greater_than_or_equal_to": lambda s, min_value: s >= min_value,
    "isin": lambda s, allowed_values: s.isin(allowed_values),
    "str_matches": lambda s, pattern: s.str.match(pattern, na=False),
    "str_length": lambda s, min_value=None, max_value=None, exact_value=None: (
        s.str.len() == exact_value if exact_value is not None
        else (s.str.len() >= (min_value if min_value is not None else 0))
        & (s.str.len() <= (max_value if max_value is not None else np.inf))
    ),
}
# Schema options `_meets` follows only at these values (pandera's defaults, as used here).
_PLAIN_SCHEMA = {"_coerce": False, "parsers": [], "drop_invalid_rows": False, "index": None, "strict": False,
                 "ordered": False, "_unique": None, "add_missing_columns": False, "_dtype": None}
_PLAIN_COLUMN = {"coerce": False, "parsers": [], "drop_invalid_rows": False, "default": None, "required": True,
                 "regex": False}
_MISSING = object()


def _plain(obj: object, defaults: dict[str, object]) -> bool:
    return all(getattr(obj, key, _MISSING) == value for key, value in defaults.items())


def _all_true(result: object) -> bool:
    return bool(np.asarray(result, dtype=bool).all())


def _check_passes(check: pa.Check, values: pd.Series) -> bool:
    if check.name not in _BUILTIN or check.element_wise or check.groupby is not None or not check.ignore_na:
        return False
    return _all_true(_BUILTIN[check.name](values.dropna(), **check.statistics))


def _column_meets(column: pa.Column, s: pd.Series) -> bool:
    if not _plain(column, _PLAIN_COLUMN):
        return False
    if column.dtype is not None:
        verdict = column.dtype.check(Engine.dtype(s.dtype), s)
        if not (verdict if isinstance(verdict, bool) else _all_true(verdict)):
            return False
    if not column.nullable and s.hasnans:
        return False
    if column.unique and not s.is_unique:
        return False
    return all(_check_passes(check, s) for check in column.checks)


def _meets(schema: pa.DataFrameSchema, df: pd.DataFrame) -> bool:
    """Whether ``df`` certainly meets ``schema`` (False: ask pandera)."""
    try:
        if not isinstance(df, pd.DataFrame) or not df.columns.is_unique or not _plain(schema, _PLAIN_SCHEMA):
            return False
        for name, column in schema.columns.items():
            if name not in df.columns or column.name != name or not _column_meets(column, df[name]):
                return False
        for check in schema.checks:  # table-wide checks: only plain functions giving one boolean
            if check.name in _BUILTIN or check.element_wise or check.groupby is not None:
                return False
            verdict = check._check_fn(df)
            if not isinstance(verdict, (bool, np.bool_)) or not verdict:
                return False
        return True
    except Exception:  # noqa: BLE001 - pandera gives the verdict and the report
        return False
