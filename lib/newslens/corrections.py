"""The corrections register: a journalist's fixes to extracted items, applied at every build.

`data/corrections.csv` has one row per fix: ``item_id, field, value, reason, author, date``.
``item_id`` is the id of a figure (``…-f00``), time expression (``…-t00``), event (``…-e00``) or
sentence (``…-s0012``); ``field`` is the column to change (its new ``value`` is read as that
column's type) or ``drop`` to remove a false positive. The register is data the journalist owns:
the build reads it, applies it after extraction and lists every applied fix in the
`corrections_applied` table (with the value it replaced); a fix whose item no longer exists is a
warning in `problems`, never dropped silently. Later rows win over earlier ones for the same
item and field, so the register can be appended to and keeps its history.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.problems import NewslensError, Problem

FILE = "corrections.csv"
COLUMNS = ["item_id", "field", "value", "reason", "author", "date"]
REQUIRED = ["item_id", "field", "reason", "date"]
DROP = "drop"
# Tables a correction may change, with the column that identifies their rows.
KEYS = {"figures": "figure_id", "timex": "timex_id", "events": "event_id", "sentences": "sentence_id"}
# Ids and offsets tie an item to its sentence and raw file; changing them would cut the way back.
PROTECTED = {"article_id", "sentence_id", "start", "end", "raw_start", "raw_end", *KEYS.values()}
APPLIED = "corrections_applied"
APPLIED_COLUMNS = ["item_id", "table", "field", "old_value", "value", "reason", "author", "date", "line"]
_ARTICLE_RE = re.compile(r"^(.+?)-s\d{4}(?:-|$)")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


class CorrectionsError(NewslensError):
    """The register cannot be applied as written; every bad row is named."""


@dataclass(frozen=True)
class Correction:
    """One row of the register; ``line`` is its line in the file (for messages)."""

    item_id: str
    field: str
    value: str
    reason: str
    author: str
    date: str
    line: int = 0


@dataclass(frozen=True)
class Register:
    path: str
    rows: tuple[Correction, ...] = ()


def default_path(raw_dir: str | Path) -> Path:
    """`data/corrections.csv` beside `data/raw` (the register is not raw input)."""
    return Path(raw_dir).parent / FILE


def row_errors(row: dict[str, str]) -> list[str]:
    """What is wrong with one row (empty when it is usable)."""
    unknown = sorted(set(row) - set(COLUMNS))
    errors = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
    errors += [f"empty {c}" for c in REQUIRED if not (row.get(c) or "").strip()]
    when = (row.get("date") or "").strip()
    if when and not _is_date(when):
        errors.append(f"date {when!r} is not a date like 2016-12-20")
    return errors


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def load(path: str | Path) -> Register:
    """Read and validate the register; a missing file is an empty register.

    Raises CorrectionsError naming the file and line of every bad row.
    """
    p = Path(path)
    if not p.is_file():
        return Register(str(p))
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorrectionsError(f"{p}: not UTF-8 ({exc.reason}) — save the register as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if sorted(header) != sorted(COLUMNS) or len(set(header)) != len(header):
        raise CorrectionsError(f"{p}:1: the header is {','.join(header) or '(empty)'} — it must be {','.join(COLUMNS)}")
    rows, errors = [], []
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                errors.append(f"{p}:{line}: more fields than the header — quote values that contain commas")
                continue
            clean = {k: (v or "").strip() for k, v in row.items()}
            if not any(clean.values()):
                continue
            errors += [f"{p}:{line}: {e} — fix that row" for e in row_errors(clean)]
            rows.append(Correction(**clean, line=line))
    except csv.Error as exc:
        raise CorrectionsError(f"{p}:{reader.line_num}: CSV syntax: {exc} — fix the quoting on that line") from None
    if errors:
        raise CorrectionsError(f"{len(errors)} problem(s) in the corrections register:\n" + "\n".join(errors))
    return Register(str(p), tuple(rows))


def append(path: str | Path, row: dict[str, str]) -> Register:
    """Add one correction to the register (created with its header if missing), atomically.

    The row is validated first and the existing register must be valid too; returns the new
    register.
    """
    from newslens.ingest import write_atomic

    clean = {k: str(v if v is not None else "").strip() for k, v in row.items()}
    errors = row_errors(clean)
    if errors:
        raise CorrectionsError(f"correction for {clean.get('item_id', '?')!r} not added: {'; '.join(errors)}")
    p = Path(path)
    load(p)
    old = p.read_bytes() if p.is_file() else b""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    if not old.strip():
        old = b""
        w.writerow(COLUMNS)
    elif not old.endswith(b"\n"):
        old += b"\n"
    w.writerow([clean.get(c, "") for c in COLUMNS])
    write_atomic(p, old + out.getvalue().encode("utf-8"))
    return load(p)


def article_of(item_id: str) -> str:
    """The article id inside an item id (``rt-2016-12-16-s0003-f00`` → ``rt-2016-12-16``)."""
    m = _ARTICLE_RE.match(item_id)
    return m.group(1) if m else ""


def _cast(value: str, series: pd.Series) -> Any:
    """``value`` as a value of ``series``'s type; ValueError says what was expected."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        if value.lower() not in _TRUE | _FALSE:
            raise ValueError("true or false")
        return value.lower() in _TRUE
    if pd.api.types.is_integer_dtype(dtype):
        try:
            return int(value)
        except ValueError:
            raise ValueError("a whole number, e.g. 4500") from None
    if pd.api.types.is_float_dtype(dtype):
        try:
            return float(value)
        except ValueError:
            raise ValueError("a number, e.g. 4500 or 0.5") from None
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _timestamp(value, dtype)
    if pd.api.types.is_datetime64_dtype(dtype):
        raise ValueError("a column without a time zone, which corrections do not change")
    return value


def _timestamp(value: str, dtype: pd.DatetimeTZDtype) -> Any:
    if not value:
        return pd.NaT
    if _is_date(value):
        value += "T00:00:00+00:00"
    try:
        ts = pd.Timestamp(value)
    except ValueError:
        ts = None
    if ts is None or ts.tzinfo is None:
        raise ValueError("a time with its offset, e.g. 2016-12-15T12:30:00+00:00, or a date, e.g. 2016-12-15")
    return ts.tz_convert(dtype.tz).as_unit(dtype.unit)


def _locate(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """item id → the table that holds it."""
    where: dict[str, str] = {}
    for name, key in KEYS.items():
        if name in tables and key in tables[name].columns:
            where.update(dict.fromkeys(tables[name][key].astype(str), name))
    return where


def apply(tables: dict[str, pd.DataFrame], register: Register) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """The tables with the register's corrections applied, plus a warning for every correction
    whose item is not in them. Adds the `corrections_applied` table. Raises CorrectionsError for
    a correction that cannot apply (unknown or protected field, value of the wrong type)."""
    out = dict(tables)
    where = _locate(tables)
    problems, errors, applied = [], [], []
    changed: dict[str, pd.DataFrame] = {}
    fixes = [c for c in register.rows if c.field != DROP] + [c for c in register.rows if c.field == DROP]
    for c in fixes:
        name = where.get(c.item_id)
        if name is None:
            problems.append(_missing(register, c))
            continue
        df = changed.setdefault(name, tables[name].copy())
        key = KEYS[name]
        mask = df[key].astype(str) == c.item_id
        if not mask.any():  # dropped by an earlier row
            continue
        if c.field == DROP:
            changed[name] = df[~mask]
            applied.append(_applied(c, name, "", ""))
            continue
        why = _field_error(c, df, name)
        if why:
            errors.append(f"{register.path}:{c.line}: {why}")
            continue
        try:
            value = _cast(c.value, df[c.field])
        except ValueError as exc:
            errors.append(f"{register.path}:{c.line}: value {c.value!r} for {c.field} of {c.item_id} is not valid — "
                          f"write {exc}")
            continue
        old = df.loc[mask, c.field].iloc[0]
        df.loc[mask, c.field] = value
        applied.append(_applied(c, name, "" if pd.isna(old) else str(old), c.value))
    if errors:
        raise CorrectionsError(f"{len(errors)} correction(s) cannot apply; nothing was written:\n" + "\n".join(errors))
    out.update({name: df.reset_index(drop=True) for name, df in changed.items()})
    out[APPLIED] = applied_frame(applied)
    return out, problems


def _field_error(c: Correction, df: pd.DataFrame, name: str) -> str:
    if c.field in PROTECTED:
        return (f"{c.field} of {c.item_id} cannot be corrected (it ties the item to its sentence) — "
                "drop the item instead (field = drop)")
    if c.field not in df.columns:
        cols = ", ".join(col for col in df.columns if col not in PROTECTED)
        return f"{name} has no column {c.field!r} — use one of: {cols}, or drop"
    return ""


def _missing(register: Register, c: Correction) -> Problem:
    return Problem("warning", register.path, c.line,
                   f"correction of {c.item_id} ({c.field}) matches no item in this build",
                   "the text or the extractor changed and the item has a new id or is gone: find it again "
                   "and update or remove this row", article_of(c.item_id))


def _applied(c: Correction, table: str, old: str, value: str) -> dict[str, Any]:
    row = asdict(c)
    row.update(table=table, old_value=old, value=value)
    return row


def applied_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The `corrections_applied` table, in register order."""
    df = pd.DataFrame(rows, columns=APPLIED_COLUMNS)
    df = df.astype({c: "str" for c in APPLIED_COLUMNS if c != "line"})
    return df.astype({"line": "int64"}).sort_values("line", kind="stable").reset_index(drop=True)


def apply_staged(staging: str | Path, register: Register) -> list[Problem]:
    """`apply` to the tables of a build in progress (``<staging>/<table>/part-*.parquet``).

    Only tables that hold a corrected item are read whole and rewritten (as one part).
    """
    from newslens import store

    # Only the ids the register names are kept, a part at a time: at 100,000 articles the id
    # columns alone are millions of strings, and an empty register needs none of them.
    wanted = {c.item_id for c in register.rows}
    ids: dict[str, pd.DataFrame] = {}
    for name, key in KEYS.items():
        if not (Path(staging) / name).is_dir():
            continue
        found = [part[part[key].isin(wanted)] for part in store.iter_staged(staging, name, columns=[key])] if wanted else []
        found = [f for f in found if len(f)]
        ids[name] = pd.concat(found, ignore_index=True) if found else pd.DataFrame({key: pd.Series([], dtype="str")})
    hit = {name for name, df in ids.items() if len(df)}
    tables = {name: store.read_staged(staging, name) if name in hit else df for name, df in ids.items()}
    fixed, problems = apply(tables, register)
    for name in sorted(hit):
        shutil.rmtree(Path(staging) / name)
        store.write_part(staging, 0, {name: fixed[name]})
    store.write_part(staging, 0, {APPLIED: fixed[APPLIED]})
    return problems
