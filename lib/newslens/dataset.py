"""The processed tables of one build, read by the engine a notebook chooses.

A notebook's ``engine`` parameter picks how the Parquet tables are read:

- ``"pandas"`` (default): pyarrow reads the columns asked for, with filters pushed down, into
  pandas. Right for anything that fits in memory — the case study and a month of coverage.
- ``"duckdb"``: DuckDB scans the Parquet file out of core; selections and group-by counts are
  computed there and only the (small) result becomes a pandas frame.
- ``"dask"``: the same through ``dask.dataframe`` (partitioned by row group), for a dataset too
  large for one process or one machine.

Every engine returns the same pandas frames (same columns, dtypes, row order) — a test holds
them to it — so a notebook's cells do not change beyond the parameter. Tables are checked
against ``build.json`` before they are read, as `newslens.store.read_table` does.

>>> data = Dataset("data/processed")  # doctest: +SKIP
>>> data.count("sentences", by=["article_id", "kind"], sums=["n_words"]).head(2)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newslens import store

ENGINES = ("pandas", "duckdb", "dask")
Where = dict[str, Sequence[Any]]
_ROWS = "__rows__"


class Dataset:
    """Read tables and group-by counts of one processed folder with ``engine``."""

    def __init__(self, processed_dir: str | Path, engine: str = "pandas") -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        self.dir, self.engine = Path(processed_dir), engine
        self.build = store.read_build(self.dir)
        self._checked: set[str] = set()
        if engine == "dask":
            _require("dask.dataframe", "dask")
        elif engine == "duckdb":
            _require("duckdb", "duckdb")

    def __repr__(self) -> str:
        return f"Dataset({str(self.dir)!r}, engine={self.engine!r})"

    def tables(self) -> list[str]:
        return sorted(self.build.get("tables", {}))

    def rows(self, name: str) -> int:
        """Rows of a table, from build.json (no read)."""
        return int(self._info(name)["rows"])

    def table(self, name: str, columns: Sequence[str] | None = None, *, where: Where | None = None) -> pd.DataFrame:
        """Rows of table ``name`` (all, or those whose column values are in ``where[column]``), with
        ``columns`` (all when None), in stored order."""
        path, schema = self._path(name), self._schema(name)
        cols = _columns(schema, columns, where, name)
        where = _where(where)
        if any(not values for values in where.values()):  # nothing can match an empty selection
            return _to_pandas(_schema_of(schema, cols).empty_table())
        if self.engine == "pandas":
            return _to_pandas(pq.read_table(path, columns=cols, filters=_arrow_filter(where)))
        if self.engine == "duckdb":
            sql, params = _sql_select(path, cols, where)
            return _to_pandas(_duckdb().sql(sql, params=params).to_arrow_table().cast(_schema_of(schema, cols)))
        frame = self._dask(path, cols, where).compute()
        return _like(frame.reset_index(drop=True), schema, cols)

    def count(self, name: str, by: Sequence[str], *, sums: Sequence[str] = (), where: Where | None = None) -> pd.DataFrame:
        """Group-by of table ``name``: one row per distinct ``by`` (missing values are a group of
        their own), with ``n`` (rows) and the sum of each of ``sums``; sorted by ``by``."""
        by, sums = list(by), list(sums)
        if not by:
            raise ValueError("count needs at least one column to group by")
        path, schema = self._path(name), self._schema(name)
        _columns(schema, by + sums, where, name)
        text = [c for c in sums if not _numeric(schema.field(c).type)]
        if text:
            raise TypeError(f"table {name!r}: cannot sum non-numeric column(s) {', '.join(text)}")
        where = _where(where)
        if any(not values for values in where.values()):
            out = pd.DataFrame({c: [] for c in by + ["n"] + sums})
        elif self.engine == "pandas":
            frame = _to_pandas(pq.read_table(path, columns=by + sums, filters=_arrow_filter(where)))
            out = _sum_rows(frame, by, sums).reset_index()
        elif self.engine == "duckdb":
            sql, params = _sql_count(path, by, sums, where)
            out = _to_pandas(_duckdb().sql(sql, params=params).to_arrow_table())
        else:
            out = _sum_rows(self._dask(path, by + sums, where), by, sums).compute().reset_index()
        return _finish_count(out, schema, by, sums)

    # -- internals ---------------------------------------------------------------------------

    def _info(self, name: str) -> dict[str, Any]:
        info = self.build.get("tables", {}).get(name)
        if info is None:
            raise store.StoreError(f"table {name!r} is not in {self.dir / store.BUILD_JSON} — this build does not "
                                   "make it; run `newslens build`")
        return info

    def _path(self, name: str) -> str:
        info, path = self._info(name), self.dir / f"{name}.parquet"
        if name not in self._checked:
            if not path.is_file() or store.file_sha256(path) != info["sha256"]:
                raise store.StoreError(f"{path} does not match {store.BUILD_JSON} (missing, damaged, or from an "
                                       "interrupted build) — run `newslens build`")
            self._checked.add(name)
        return str(path)

    def _schema(self, name: str) -> pa.Schema:
        return pq.read_schema(self._path(name)).remove_metadata()

    def _dask(self, path: str, cols: list[str], where: Where):
        import dask.dataframe as dd

        # Read the filter columns too, filter, then keep the columns asked for.
        frame = dd.read_parquet(path, columns=list(dict.fromkeys(cols + list(where))), split_row_groups=True)
        for col, values in where.items():
            frame = frame[frame[col].isin(list(values))]
        return frame[cols]


def _sum_rows(frame, by: list[str], sums: list[str]):
    """Rows per group (``n``) and sums, one aggregation for pandas and Dask alike."""
    rows = frame[by + sums].assign(**{_ROWS: 1})
    return rows.groupby(by, dropna=False)[[_ROWS] + sums].sum().rename(columns={_ROWS: "n"})


def _require(module: str, extra: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module.split(".")[0]) is None:
        raise ImportError(f"engine needs {module}, which is not installed — install newslens with the "
                          f"scale extra (pip install -e '.[dask]') or use engine='pandas'")


def _duckdb():
    import duckdb

    return duckdb.connect(":memory:")


def _where(where: Where | None) -> Where:
    return {col: sorted(set(values), key=str) for col, values in (where or {}).items()}


def _columns(schema: pa.Schema, columns: Sequence[str] | None, where: Where | None, name: str) -> list[str]:
    wanted = list(columns) if columns is not None else list(schema.names)
    unknown = sorted(set(wanted) - set(schema.names) | set(where or {}) - set(schema.names))
    if unknown:
        raise KeyError(f"table {name!r} has no column(s) {', '.join(unknown)}; it has {', '.join(schema.names)}")
    return wanted


def _numeric(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)


def _arrow_filter(where: Where):
    expr = None
    for col, values in where.items():
        term = pc.field(col).isin(list(values))
        expr = term if expr is None else expr & term
    return expr


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_where(where: Where) -> tuple[str, list[Any]]:
    if not where:
        return "", []
    parts, params = [], []
    for col, values in where.items():
        parts.append(f"{_quote(col)} IN (SELECT UNNEST(?))")
        params.append(list(values))
    return " WHERE " + " AND ".join(parts), params


def _sql_select(path: str, cols: list[str], where: Where) -> tuple[str, list[Any]]:
    cond, params = _sql_where(where)
    # file_row_number keeps the stored order, which a plain scan does not promise.
    sql = (f"SELECT {', '.join(_quote(c) for c in cols)} FROM read_parquet(?, file_row_number = true)"
           f"{cond} ORDER BY file_row_number")
    return sql, [path] + params


def _sql_count(path: str, by: list[str], sums: list[str], where: Where) -> tuple[str, list[Any]]:
    cond, params = _sql_where(where)
    keys = ", ".join(_quote(c) for c in by)
    totals = "".join(f", SUM({_quote(c)}) AS {_quote(c)}" for c in sums)
    return f"SELECT {keys}, COUNT(*) AS n{totals} FROM read_parquet(?){cond} GROUP BY {keys}", [path] + params


def _schema_of(schema: pa.Schema, cols: list[str]) -> pa.Schema:
    return pa.schema([schema.field(c) for c in cols])


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


def _like(frame: pd.DataFrame, schema: pa.Schema, cols: list[str]) -> pd.DataFrame:
    """``frame`` with the dtypes the pandas engine gives columns of ``schema``."""
    target = _to_pandas(_schema_of(schema, cols).empty_table()).dtypes
    return frame[cols].astype(target.to_dict())


def _finish_count(out: pd.DataFrame, schema: pa.Schema, by: list[str], sums: list[str]) -> pd.DataFrame:
    """The same group-by frame from every engine: key dtypes as stored, ``n`` and integer sums as
    int64, float sums as float64 (an all-missing group sums to 0), sorted by the keys."""
    result = _like(out.reset_index(drop=True), schema, by)
    result["n"] = pd.to_numeric(out["n"]).to_numpy("int64")
    for col in sums:
        integer = pa.types.is_integer(schema.field(col).type) or pa.types.is_boolean(schema.field(col).type)
        result[col] = pd.to_numeric(out[col]).fillna(0).to_numpy("int64" if integer else "float64")
    return result.sort_values(by, na_position="last", kind="stable").reset_index(drop=True)


__all__ = ["ENGINES", "Dataset"]
