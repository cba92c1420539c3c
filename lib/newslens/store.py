"""The processed store: derived Parquet tables plus `build.json`, written atomically.

A build writes every table to a temporary file in the same folder, fsyncs it, and only then
moves each into place with `os.replace`; `build.json` (with the sha256 of every table) goes
last. A build killed half-way leaves the previous `build.json`, whose hashes no longer match
the tables it names: readers notice and ask for a rebuild instead of mixing two builds.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from newslens import schemas
from newslens.problems import NewslensError

BUILD_JSON = "build.json"
LOCK_FILE = ".build.lock"


class StoreError(NewslensError):
    """The processed tables are missing, stale, damaged or from different builds."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# Fixed writer options: the same table gives the same bytes.
_WRITER = {"compression": "zstd", "compression_level": 3, "use_dictionary": True, "write_statistics": True,
           "data_page_version": "2.0"}


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    pq.write_table(table, path, **_WRITER)
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _write_json(obj: Any, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())


@contextlib.contextmanager
def build_lock(out_dir: str | Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the processed folder's build lock; refuse clearly if another build holds it."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_FILE, "a+") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"another `newslens build` is writing {out} — wait for it to finish "
                        "(or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_tables(out_dir: str | Path, tables: dict[str, pd.DataFrame], meta: dict[str, Any]) -> dict[str, Any]:
    """Validate and write ``tables`` as Parquet plus build.json; all or nothing per table set.

    Call inside `build_lock`. Returns the build.json content.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        schemas.validate(name, df)
    tmp: dict[str, Path] = {}
    try:
        for name in sorted(tables):
            path = out / f".{name}.parquet.tmp-{os.getpid()}"
            _write_parquet(tables[name], path)
            tmp[name] = path
        return _commit(out, tmp, meta)
    finally:
        for path in tmp.values():
            path.unlink(missing_ok=True)


# ---- staged parts (a build in progress) ----------------------------------------------------

# Parts live only until `assemble` reads them back: no column statistics, and no dictionary
# pages (most of a part's bytes are unique text, where building a dictionary is wasted work).
_PART_WRITER = {"compression": "zstd", "compression_level": 1, "use_dictionary": False, "write_statistics": False}


def write_part(staging: str | Path, index: int, tables: dict[str, pd.DataFrame]) -> None:
    """Validate and write one chunk's tables as `<staging>/<table>/part-<index>.parquet`."""
    for name, df in sorted(tables.items()):
        schemas.validate(name, df)
        folder = Path(staging) / name
        folder.mkdir(exist_ok=True)
        # One thread: a chunk's columns are small, and handing them to a pool costs more than it saves.
        table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False, nthreads=1)
        pq.write_table(table, folder / f"part-{index:06d}.parquet", **_PART_WRITER)


def _parts(staging: str | Path, name: str) -> list[Path]:
    return sorted((Path(staging) / name).glob("part-*.parquet"))


def count_rows(staging: str | Path, name: str) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in _parts(staging, name))


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly ``schema``'s columns and types (missing columns as nulls)."""
    cols = []
    for field in schema:
        if field.name in table.column_names:
            col = table.column(field.name)
            cols.append(col if col.type == field.type else col.cast(field.type))
        else:
            cols.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(cols, schema=schema)


def _unified(parts: list[Path]) -> pa.Schema:
    schema = pa.unify_schemas([pq.read_schema(p) for p in parts], promote_options="permissive")
    return schema.with_metadata(pq.read_schema(parts[0]).metadata)


def _staged_tables(staging: str | Path, name: str, columns: list[str] | None) -> Iterator[pa.Table]:
    parts = _parts(staging, name)
    schema = _unified(parts)
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    for p in parts:
        present = set(pq.read_schema(p).names)
        yield _conform(pq.read_table(p, columns=[c for c in schema.names if c in present]), schema)


def iter_staged(staging: str | Path, name: str, *, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """The parts of a staged table one at a time, each with the same columns and types (only
    ``columns`` when given), in order: cross-article steps that work part by part."""
    for table in _staged_tables(staging, name, columns):
        yield table.to_pandas()


def read_staged(staging: str | Path, name: str, *, columns: list[str] | None = None) -> pd.DataFrame:
    """All parts of a staged table as one DataFrame (for cross-article steps); only ``columns``
    are read when given."""
    return pa.concat_tables(list(_staged_tables(staging, name, columns))).to_pandas()


def staged_corpus(staging: str | Path) -> Any:
    """A corpus-like view (articles, texts) of the staged tables, for text reuse."""
    from types import SimpleNamespace

    articles = read_staged(staging, "articles", columns=["article_id", "published_utc", "language"])
    texts = read_staged(staging, "texts")
    return SimpleNamespace(articles=articles, texts=dict(zip(texts["article_id"], texts["text"])),
                           sentences=pd.DataFrame(columns=["article_id"]))


def assemble(staging: str | Path, out_dir: str | Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Join each staged table's parts into one Parquet file (a row group per part), then move
    every table into place and write build.json last. Call inside `build_lock`."""
    out = Path(out_dir)
    names = sorted(p.name for p in Path(staging).iterdir() if p.is_dir())
    tmp: dict[str, Path] = {}
    try:
        for name in names:
            parts = _parts(staging, name)
            schema = _unified(parts)
            path = out / f".{name}.parquet.tmp-{os.getpid()}"
            with pq.ParquetWriter(path, schema, **_WRITER) as writer:
                for part in parts:
                    table = _conform(pq.read_table(part), schema)
                    if table.num_rows:
                        writer.write_table(table)
            with open(path, "rb") as f:
                os.fsync(f.fileno())
            tmp[name] = path
        return _commit(out, tmp, meta)
    finally:
        for path in tmp.values():
            path.unlink(missing_ok=True)


def _commit(out: Path, tmp: dict[str, Path], meta: dict[str, Any]) -> dict[str, Any]:
    info = {name: {"rows": int(pq.ParquetFile(p).metadata.num_rows), "sha256": file_sha256(p)} for name, p in tmp.items()}
    manifest = {**meta, "tables": info}
    json_tmp = out / f".{BUILD_JSON}.tmp-{os.getpid()}"
    _write_json(manifest, json_tmp)
    for name, path in tmp.items():
        os.replace(path, out / f"{name}.parquet")
    os.replace(json_tmp, out / BUILD_JSON)
    _fsync_dir(out)
    # Tables from an earlier build that this one no longer makes would be mistaken for current.
    for stale in out.glob("*.parquet"):
        if stale.stem not in tmp:
            stale.unlink()
    return manifest


def read_build(processed_dir: str | Path) -> dict[str, Any]:
    path = Path(processed_dir) / BUILD_JSON
    if not path.is_file():
        raise StoreError(f"{path} not found: the processed tables have not been built — run `newslens build`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path} is damaged ({exc}) — run `newslens build`") from None


def verify(processed_dir: str | Path) -> list[str]:
    """Messages for every table that is missing or does not match build.json (empty when sound)."""
    out = Path(processed_dir)
    try:
        build = read_build(out)
    except StoreError as exc:
        return [str(exc)]
    bad = []
    for name, info in sorted(build.get("tables", {}).items()):
        path = out / f"{name}.parquet"
        if not path.is_file():
            bad.append(f"{path} is missing")
        elif file_sha256(path) != info.get("sha256"):
            bad.append(f"{path} does not match build.json (damaged, edited, or from an interrupted build)")
    return bad


def read_table(processed_dir: str | Path, name: str, *, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one processed table, refusing a table that does not belong to the current build."""
    out = Path(processed_dir)
    build = read_build(out)
    info = build.get("tables", {}).get(name)
    path = out / f"{name}.parquet"
    if info is None:
        raise StoreError(f"table {name!r} is not in {out / BUILD_JSON} — this build does not make it; run `newslens build`")
    if not path.is_file() or file_sha256(path) != info["sha256"]:
        raise StoreError(f"{path} does not match {BUILD_JSON} (missing, damaged, or from an interrupted build) — run `newslens build`")
    try:
        return pq.read_table(path, columns=columns).to_pandas()
    except (pa.ArrowInvalid, OSError) as exc:
        raise StoreError(f"{path} cannot be read ({exc}) — run `newslens build`") from None


def tables(processed_dir: str | Path) -> list[str]:
    return sorted(read_build(processed_dir).get("tables", {}))
