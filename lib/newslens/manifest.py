"""The raw corpus on disk: `data/raw/manifest.csv` and the article files it lists.

Reads and checks, never writes. Every finding becomes a `Problem` naming the file and the
manifest row (as a line number) and what to do about it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import yaml

from newslens.problems import CorpusError, Problem

MANIFEST = "manifest.csv"
STORY = "story.yaml"
MANIFEST_COLUMNS = [
    "article_id", "file", "outlet", "affiliation", "url", "published", "byline", "language",
    "encoding", "sha256", "republished_from", "attribution_note",
]
# Optional: "minute" (default) or "day" when only the date of publication is known;
# `timezone`: the IANA zone the text's "today"/"this morning" refer to (default: the story's).
OPTIONAL_COLUMNS = ["published_precision", "timezone"]
REQUIRED_VALUES = ["article_id", "file", "outlet", "published", "encoding", "sha256"]
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
# UTF-8 read as cp1252/latin-1: "â€™" for ’, "Ã©" for é, "Â " for a no-break space.
MOJIBAKE_RE = re.compile("(?:â€[\u0080-\u00bf\u2018-\u203a™œž]|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf])")
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One manifest row whose file could be read and decoded."""

    row: dict[str, str]
    line: int
    path: Path
    text: str
    published_utc: pd.Timestamp


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(raw_dir: str | Path) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows of the manifest with their line numbers; raises CorpusError if it is unusable."""
    raw = Path(raw_dir)
    path = raw / MANIFEST
    if not raw.is_dir():
        raise CorpusError([Problem("error", str(raw), None, "raw folder not found",
                                   "pass --raw with the folder that holds manifest.csv and articles/")])
    if not path.is_file():
        raise CorpusError([Problem("error", str(path), None, "manifest.csv not found",
                                   "create it (see data/raw/README.md) or add articles with `newslens add`")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError([Problem("error", str(path), None, f"manifest is not UTF-8 ({exc.reason})",
                                   "save manifest.csv as UTF-8")]) from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = reader.fieldnames or []
    problems: list[Problem] = []
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(Problem("error", str(path), 1, f"missing column(s): {', '.join(missing)}",
                                f"the header must name: {', '.join(MANIFEST_COLUMNS)}"))
    if dupes:
        problems.append(Problem("error", str(path), 1, f"duplicated column(s): {', '.join(dupes)}",
                                "keep one column of each name"))
    if problems:
        raise CorpusError(problems)
    extra = [c for c in header if c not in MANIFEST_COLUMNS + OPTIONAL_COLUMNS]
    if extra:
        problems.append(Problem("warning", str(path), 1, f"unknown column(s) ignored: {', '.join(extra)}",
                                "remove them or check their spelling"))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:  # more fields than the header names
                problems.append(Problem("error", str(path), reader.line_num, "row has more fields than the header",
                                        "quote values that contain commas"))
                continue
            clean_row = {k: (v or "").strip() for k, v in row.items()}
            if any(clean_row.values()):
                rows.append((reader.line_num, clean_row))
    except csv.Error as exc:
        raise CorpusError([Problem("error", str(path), reader.line_num, f"CSV syntax: {exc}",
                                   "fix the quoting on that line")]) from None
    return rows, problems


def _parse_published(value: str) -> pd.Timestamp | None:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    return pd.Timestamp(dt).tz_convert("UTC")


class _Resolver:
    """``Path.resolve()`` with each folder resolved once: a large corpus has 100,000 files in a
    few hundred folders, and resolving every path from the root costs a system call per
    component. A file that is itself a symbolic link is resolved in full, so the result is
    always what ``resolve()`` gives."""

    def __init__(self) -> None:
        self._dirs: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        if path.name in ("", ".", ".."):
            return path.resolve()
        parent = self._dirs.get(path.parent)
        if parent is None:
            parent = self._dirs[path.parent] = path.parent.resolve()
        full = parent / path.name
        return full.resolve() if full.is_symlink() else full


def _check_path(raw: Path, value: str, root: Path | None = None,
                resolve: _Resolver | None = None) -> tuple[Path | None, str]:
    """Resolve a manifest `file` value; refuse anything outside the raw folder (``root``: the
    raw folder resolved, when the caller has it)."""
    if not value:
        return None, "empty file path"
    p = Path(value)
    if p.is_absolute():
        return None, f"absolute path {value!r} is not allowed"
    root = root or raw.resolve()
    full = (resolve or _Resolver())(raw / p)
    if not full.is_relative_to(root):
        return None, f"path {value!r} leads outside the raw folder"
    return full, ""


def _decode(data: bytes, encoding: str) -> tuple[str | None, str]:
    """Decode with the manifest's encoding; a failed UTF-8 read falls back to cp1252, said aloud."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return None, f"unknown encoding {encoding!r}"
    if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} and data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding), ""
    except UnicodeDecodeError as exc:
        bad = f"not valid {encoding} at byte {exc.start}"
        try:
            return data.decode("cp1252"), bad
        except UnicodeDecodeError:
            return data.decode("latin-1"), bad


@dataclass(frozen=True)
class Row:
    """A manifest row that passed the row-level checks (its file is not read yet)."""

    row: dict[str, str]
    line: int
    path: Path
    published_utc: pd.Timestamp


def check_rows(raw_dir: str | Path) -> tuple[list[Row], list[Problem]]:
    """Row-level checks over the whole manifest (ids, dates, zones, paths) and stray files.

    Cheap and global: it reads no article file, so a large corpus is checked in seconds and the
    files can then be read in parallel chunks (`read_files`).
    """
    raw = Path(raw_dir)
    mpath = str(raw / MANIFEST)
    rows, problems = read_manifest(raw)
    good: list[Row] = []
    seen_ids: dict[str, int] = {}
    seen_hash: dict[str, str] = {}
    listed: set[Path] = set()
    root, resolve = raw.resolve(), _Resolver()
    for line, row in rows:
        aid = row.get("article_id", "")
        empty = [c for c in REQUIRED_VALUES if not row.get(c)]
        if empty:
            problems.append(Problem("error", mpath, line, f"empty value(s): {', '.join(empty)}",
                                    "fill them in", aid))
            continue
        if not ID_RE.match(aid):
            problems.append(Problem("error", mpath, line, f"article_id {aid!r} is not a plain id",
                                    "use lowercase letters, digits, '.', '_' or '-' (e.g. rt-2016-12-16)", aid))
            continue
        if aid in seen_ids:
            problems.append(Problem("error", mpath, line, f"duplicate article_id {aid!r} (first on line {seen_ids[aid]})",
                                    "give each article its own id", aid))
            continue
        seen_ids[aid] = line
        published = _parse_published(row["published"])
        if published is None:
            problems.append(Problem("error", mpath, line, f"published {row['published']!r} is not ISO-8601 with an offset",
                                    "write it like 2016-12-16T12:09:00+00:00", aid))
            continue
        precision = row.get("published_precision") or "minute"
        if precision not in {"minute", "day"}:
            problems.append(Problem("error", mpath, line, f"published_precision {precision!r} is not minute or day",
                                    "use minute (default) or day", aid))
            continue
        zone = row.get("timezone") or ""
        if zone and not _valid_zone(zone):
            problems.append(Problem("error", mpath, line, f"timezone {zone!r} is not an IANA zone name",
                                    "use a name such as Asia/Damascus, Europe/London or UTC", aid))
            continue
        path, why = _check_path(raw, row["file"], root, resolve)
        if path is None:
            problems.append(Problem("error", mpath, line, why, "keep article files inside the raw folder (articles/...)", aid))
            continue
        listed.add(path)
        digest = row["sha256"].lower()
        if digest in seen_hash:
            problems.append(Problem("warning", str(path), None, f"same content as article {seen_hash[digest]!r}",
                                    "remove one of the two rows unless both are intended", aid))
        seen_hash.setdefault(digest, aid)
        good.append(Row(row, line, path, published))

    articles_dir = raw / "articles"
    if articles_dir.is_dir():
        for f in sorted(articles_dir.rglob("*")):
            if f.is_file() and not f.name.startswith(".") and resolve(f) not in listed:
                problems.append(Problem("warning", str(f), None, "file has no manifest row and is not loaded",
                                        "register it with `newslens add` or add a row to manifest.csv"))
    return good, problems


def read_file(raw_dir: str | Path, item: Row) -> tuple[Entry | None, list[Problem]]:
    """Read and check one article file: existence, size, sha256, binary content, encoding."""
    mpath = str(Path(raw_dir) / MANIFEST)
    row, line, path, aid = item.row, item.line, item.path, item.row["article_id"]
    try:
        info = path.stat()  # one look at the file for both questions: is it there, how large
    except (OSError, ValueError):
        info = None
    if info is None or not stat.S_ISREG(info.st_mode):
        return None, [Problem("error", mpath, line, f"file {row['file']!r} not found",
                              "restore the file or remove its manifest row", aid)]
    size = info.st_size
    if size > MAX_BYTES:
        return None, [Problem("error", str(path), None, f"file is {size / 1e6:.0f} MB, above the {MAX_BYTES // 2**20} MiB limit",
                              "split it into articles", aid)]
    data = path.read_bytes()
    if sha256_bytes(data) != row["sha256"].lower():
        return None, [Problem("error", str(path), None, "sha256 does not match the manifest: the raw file was changed",
                              "restore it from version control (raw data is never edited); add new content as a new article", aid)]
    problems: list[Problem] = []
    if not data or data.isspace():
        problems.append(Problem("warning", str(path), None, "file is empty or whitespace only; article kept with no text",
                                "check the export that produced it", aid))
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem("error", str(path), None, "file contains NUL bytes: binary, not text",
                              "export the article as plain text", aid)]
    text, why = _decode(data, row["encoding"])
    if text is None:
        return None, [Problem("error", mpath, line, why, "use a Python codec name: utf-8, utf-16, cp1252, latin-1", aid)]
    if why:
        problems.append(Problem("warning", str(path), text.count("\n", 0, _char_at(data, text)) + 1,
                                f"{why}; decoded as cp1252 instead",
                                "set this row's encoding to cp1252 (or latin-1) if that reads right", aid))
    # Every mojibake sequence starts with one of three characters; most texts have none of them.
    m = MOJIBAKE_RE.search(text) if "â" in text or "Ã" in text or "Â" in text else None
    if m:
        problems.append(Problem("warning", str(path), text.count("\n", 0, m.start()) + 1,
                                f"text looks double-encoded (mojibake {m.group()!r})",
                                "re-export the article as UTF-8; the text is kept as it is", aid))
    return Entry(row, line, path, text, item.published_utc), problems


def read_entries(raw_dir: str | Path) -> tuple[list[Entry], list[Problem]]:
    """Check every manifest row and file; return the readable ones and every problem found."""
    rows, problems = check_rows(raw_dir)
    entries: list[Entry] = []
    for item in rows:
        entry, found = read_file(raw_dir, item)
        problems += found
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def read_story(raw_dir: str | Path) -> tuple[dict[str, str], list[Problem]]:
    """Story settings from `story.yaml` beside the manifest (optional).

    `event_timezone` is where the events happen: "local time" and clock times without a zone are
    read there, and it is the default `timezone` of every article.
    """
    path = Path(raw_dir) / STORY
    story = {"title": "", "event_timezone": "UTC"}
    if not path.is_file():
        return story, []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return story, [Problem("error", str(path), getattr(getattr(exc, "problem_mark", None), "line", -1) + 1 or None,
                               f"cannot read story settings: {exc}", "fix the YAML (see data/raw/README.md)")]
    if not isinstance(data, dict):
        return story, [Problem("error", str(path), 1, "story settings must be a mapping", "write `key: value` lines")]
    problems = []
    for key, value in data.items():
        if key not in story:
            problems.append(Problem("warning", str(path), None, f"unknown setting {key!r} ignored", f"use {', '.join(story)}"))
        elif not isinstance(value, str) or (key == "event_timezone" and not _valid_zone(value)):
            problems.append(Problem("error", str(path), None, f"{key}: {value!r} is not valid",
                                    "event_timezone is an IANA zone name such as Asia/Damascus"))
        else:
            story[key] = value
    return story, problems


def _char_at(data: bytes, text: str) -> int:
    """Rough character index of the first undecodable byte (for a line number)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return len(data[: exc.start].decode("utf-8", errors="replace"))
    return 0
