"""`newslens add`: put a new article into the raw folder without ever damaging it.

Each file is read and checked completely before anything is written: its encoding, that it is
text, its metadata (from the command line, or found in a saved page and said aloud), that it is
not already in the corpus. Then the article file is written under a new name (never over an
existing file) and the manifest is rewritten with its row appended; both writes are atomic
(temporary file, fsync, rename), so an interrupted add leaves the old manifest or the new one.
One file is one unit: it is added whole or not at all, and the others still go ahead.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newslens.ingest_formats import (
    HTML_SUFFIXES, SUFFIXES, WORD_RE, IngestError, Page, check_text, decode, guess_language, html_text,
    item_text, json_items, mojibake_line, with_rows, parse_published, printable, read_html, slug,
)
from newslens.manifest import (
    ID_RE, MANIFEST, MANIFEST_COLUMNS, MOJIBAKE_RE, OPTIONAL_COLUMNS, read_entries, read_manifest,
    sha256_bytes,
)
from newslens.reuse import normalize_word

__all__ = ["Added", "IngestError", "Options", "Outcome", "add", "html_text", "summary", "write_atomic"]

# A news article is a few hundred kilobytes at most; a bigger file is several articles or a
# page with embedded media, and shingling it would take minutes.
MAX_ARTICLE_BYTES = 16 * 2**20
REPUBLISHED_SHARE = 0.5  # share of the new article's 8-word passages found in one existing article
SHINGLE = 8
_OUTLET_FLAG = "--outlet NAME"
_PUBLISHED_FLAG = "--published 2016-12-16T12:00:00+00:00 (or --published 2016-12-16 when only the day is known)"


@dataclass(frozen=True)
class Options:
    """Metadata given on the command line; each beats what a page says about itself."""

    outlet: str = ""
    published: str = ""
    url: str = ""
    affiliation: str = ""
    byline: str = ""
    language: str = ""
    article_id: str = ""


@dataclass(frozen=True)
class Added:
    """One article written: its id, file (relative to the raw folder), title and what was said."""

    article_id: str
    file: str
    title: str
    notes: tuple[str, ...]


@dataclass
class Outcome:
    """What happened to one input path: the articles it gave, or why it was refused."""

    path: str
    added: list[Added] = field(default_factory=list)
    error: str = ""

    @property
    def article_ids(self) -> list[str]:
        return [a.article_id for a in self.added]


@dataclass
class _Article:
    """One article planned for writing (nothing on disk yet)."""

    data: bytes
    row: dict[str, str]
    title: str
    notes: list[str]
    text: str
    in_place: bool = False


@dataclass
class _Known:
    """What the raw folder already holds (updated as articles are added)."""

    ids: set[str]
    hashes: dict[str, str]
    files: set[str]
    shingles: dict[str, set[int]]

    def record(self, article: _Article) -> None:
        row = article.row
        self.ids.add(row["article_id"])
        self.hashes[row["sha256"]] = row["article_id"]
        self.files.add(row["file"])
        self.shingles[row["article_id"]] = shingles(article.text)


def shingles(text: str, *, k: int = SHINGLE) -> set[int]:
    """Hashes of every run of ``k`` words, normalised as text reuse normalises them."""
    words = [normalize_word(w) for w in WORD_RE.findall(text)]
    return {hash(tuple(words[i:i + k])) for i in range(len(words) - k + 1)}


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsynced.

    With ``overwrite=False`` the file is linked into place, which fails if ``path`` exists.
    """
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _lock(raw: Path) -> Iterator[None]:
    """One `newslens add` at a time per raw folder (a second one waits)."""
    fd = os.open(raw, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _known(raw: Path) -> _Known:
    if not (raw / MANIFEST).is_file():
        return _Known(set(), {}, set(), {})
    rows, _ = read_manifest(raw)
    entries, _ = read_entries(raw)
    return _Known(
        ids={r.get("article_id", "") for _, r in rows},
        hashes={r.get("sha256", "").lower(): r.get("article_id", "") for _, r in rows},
        files={r.get("file", "") for _, r in rows},
        shingles={e.row["article_id"]: shingles(_article_text(e.path.suffix, e.text)) for e in entries},
    )


def _article_text(suffix: str, text: str) -> str:
    return html_text(text) if suffix.lower() in HTML_SUFFIXES else text


def add(paths: Sequence[str | Path], *, raw_dir: str | Path = "data/raw", options: Options = Options()) -> list[Outcome]:
    """Add each file to the raw folder; one `Outcome` per path, in order.

    Raises `CorpusError` (nothing written) when the existing manifest cannot be read, and
    `IngestError` for options that cannot apply (``--id`` with several files).
    """
    if options.article_id and len(paths) > 1:
        raise IngestError("--id names one article; add the files one at a time to give each its id")
    if options.published:
        parse_published(options.published)
    raw = Path(raw_dir)
    (raw / "articles").mkdir(parents=True, exist_ok=True)
    outcomes = []
    with _lock(raw):
        known = _known(raw)
        for path in paths:
            try:
                articles = _plan(Path(path), raw=raw, known=known, options=options)
                _commit(raw, articles)
            except IngestError as exc:
                outcomes.append(Outcome(str(path), error=str(exc)))
                continue
            for a in articles:
                known.record(a)
            outcomes.append(Outcome(str(path), [Added(a.row["article_id"], a.row["file"], a.title, tuple(a.notes))
                                                for a in articles]))
    return outcomes


def _plan(src: Path, *, raw: Path, known: _Known, options: Options) -> list[_Article]:
    """Read and check one input path; the articles it gives, or IngestError naming the file."""
    try:
        return _plan_file(src, raw=raw, known=known, options=options)
    except IngestError as exc:
        raise IngestError(f"{printable(str(src))}: {exc}") from None


def _plan_file(src: Path, *, raw: Path, known: _Known, options: Options) -> list[_Article]:
    if not src.is_file():
        raise IngestError("not found, or not a file — check the path")
    suffix = src.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(f"{suffix or 'no suffix'}: newslens adds {', '.join(SUFFIXES)} files — "
                          "save the article as plain text, HTML or a JSON export")
    size = src.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise IngestError(f"the file is {size / 1e6:.1f} MB, above the {MAX_ARTICLE_BYTES // 2**20} MiB an article "
                          "may have — split it into articles, or save the page without embedded media")
    data = src.read_bytes()
    if suffix == ".json":
        return _plan_json(src, data, raw=raw, known=known, options=options)
    text, encoding = decode(data, html=suffix in HTML_SUFFIXES)
    check_text(text)
    page = read_html(text) if suffix in HTML_SUFFIXES else Page(text=text, title=_first_line(text))
    if not page.text.strip():
        raise IngestError("no article text found in the page — save the article's text as .txt and add that")
    in_place = src.resolve().is_relative_to((raw / "articles").resolve())
    article = _article(data, suffix, page, encoding=encoding, raw=raw, known=known, options=options,
                       origin=f"added from {src.name}", in_place=src if in_place else None)
    line = mojibake_line(text, MOJIBAKE_RE)
    if line:
        article.notes.append(f"warning: line {line} looks double-encoded (mojibake) — kept as it is; "
                             "re-export the article as UTF-8 if you can")
    return [article]


def _plan_json(src: Path, data: bytes, *, raw: Path, known: _Known, options: Options) -> list[_Article]:
    items = json_items(data)
    if options.article_id and len(items) > 1:
        raise IngestError(f"--id names one article but the file holds {len(items)} — leave --id out")
    planned: list[_Article] = []
    batch = _Known(set(known.ids), dict(known.hashes), set(known.files), dict(known.shingles))
    for n, item in enumerate(items, start=1):
        try:
            article = _json_article(src, n, item, raw=raw, known=batch, options=options)
        except IngestError as exc:
            raise IngestError(f"item {n}: {exc}") from None
        batch.record(article)
        planned.append(article)
    return planned


def _json_article(src: Path, n: int, item: dict[str, str], *, raw: Path, known: _Known, options: Options) -> _Article:
    text = item_text(item)
    check_text(text)
    published, precision = parse_published(item["published"]) if item["published"] else ("", "")
    page = Page(text=text, title=item["title"], outlet=item["outlet"], published=published, precision=precision,
                byline=item["byline"], url=item["url"], published_from="the JSON item", found_in="the JSON item")
    return _article(text.encode("utf-8"), ".txt", page, encoding="utf-8", raw=raw, known=known, options=options,
                    origin=f"imported from {src.name} item {n}", language=item["language"],
                    affiliation=item["affiliation"])


def _first_line(text: str) -> str:
    return next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")


def _article(data: bytes, suffix: str, page: Page, *, encoding: str, raw: Path, known: _Known, options: Options,
             origin: str, in_place: Path | None = None, language: str = "", affiliation: str = "") -> _Article:
    """Check one article against the corpus and fill in its manifest row."""
    digest = sha256_bytes(data)
    if digest in known.hashes:
        raise IngestError(f"same content as article {known.hashes[digest]!r} already in the corpus — not added again")
    notes: list[str] = []
    outlet, published, precision = _who_and_when(page, options, notes)
    body = page.text
    lang = _language(body, options.language or language, notes)
    republished = _republished(body, known, notes)
    aid = _article_id(outlet, published, options.article_id, known)
    name = (in_place.resolve().relative_to(raw.resolve()).as_posix() if in_place
            else _file_name(raw, aid, page.title, suffix, known))
    row = dict.fromkeys(MANIFEST_COLUMNS + OPTIONAL_COLUMNS, "")
    row.update({
        "article_id": aid, "file": name, "outlet": outlet, "affiliation": options.affiliation or affiliation,
        "url": options.url or page.url, "published": published, "byline": options.byline or page.byline,
        "language": lang, "encoding": encoding, "sha256": digest, "republished_from": republished,
        "attribution_note": f"{origin} with `newslens add`; " + _evidence(page, options),
        "published_precision": precision,
    })
    if not options.byline and page.byline:
        notes.append(f"byline: {printable(page.byline)} (from {page.found_in})")
    return _Article(data, row, page.title, notes, body, in_place is not None)


def _who_and_when(page: Page, options: Options, notes: list[str]) -> tuple[str, str, str]:
    """Outlet, publication time and its precision: given, or found in the file and said aloud."""
    outlet = options.outlet or page.outlet
    when = options.published or page.published
    missing = [what for what, found in (("the outlet", outlet), ("the publication date", when)) if not found]
    if missing:
        flags = [flag for flag, found in ((_OUTLET_FLAG, outlet), (_PUBLISHED_FLAG, when)) if not found]
        raise IngestError(f"{' and '.join(missing)} cannot be found in the file — pass {' '.join(flags)}")
    if not options.outlet:
        notes.append(f"outlet: {printable(outlet)} (from {page.found_in})")
    if options.published:
        return outlet, *parse_published(options.published)
    shown = page.published[:10] if page.precision == "day" else page.published
    notes.append(f"published: {shown} (from {page.published_from})")
    return outlet, page.published, page.precision


def _evidence(page: Page, options: Options) -> str:
    said = "the command line" if options.published else page.published_from
    where = "the command line" if options.outlet else page.found_in
    return f"outlet from {where}; publication time from {said}"


def _language(text: str, given: str, notes: list[str]) -> str:
    if given:
        lang = given.strip().lower()
        if not lang.startswith("en"):
            notes.append(f"language: {lang} (given) — kept; the extractors read English only")
        return lang
    lang, share = guess_language(text)
    if lang != "en":
        why = "not recognised from its words" if lang == "und" else f"guessed: {share:.0%} of its words are {lang} function words"
        notes.append(f"language: {lang} ({why}) — kept and flagged; the extractors read English only; "
                     "pass --language xx if that is wrong")
    return lang


def _republished(text: str, known: _Known, notes: list[str]) -> str:
    mine = shingles(text)
    if not mine:
        return ""
    best, share = "", 0.0
    for aid in sorted(known.shingles):
        s = len(mine & known.shingles[aid]) / len(mine)
        if s > share:
            best, share = aid, s
    if share < REPUBLISHED_SHARE:
        return ""
    notes.append(f"republished: {share:.0%} of its 8-word passages are in {best} — republished_from = {best}")
    return best


def _article_id(outlet: str, published: str, given: str, known: _Known) -> str:
    if given:
        if not ID_RE.match(given):
            raise IngestError(f"--id {given!r} is not a plain id — use lowercase letters, digits, '.', '_' or '-'")
        if given in known.ids:
            raise IngestError(f"--id {given!r} is taken — choose another id")
        return given
    base = f"{slug(outlet, limit=40) or 'article'}-{published[:10]}"
    aid, n = base, 2
    while aid in known.ids:
        aid, n = f"{base}-{n}", n + 1
    return aid


def _file_name(raw: Path, aid: str, title: str, suffix: str, known: _Known) -> str:
    stem = "-".join(p for p in (aid, slug(title, limit=40)) if p)
    name, n = f"articles/{stem}{suffix}", 2
    while name in known.files or (raw / name).exists():
        name, n = f"articles/{stem}-{n}{suffix}", n + 1
    return name


def _commit(raw: Path, articles: list[_Article]) -> None:
    """Write the article files, then the manifest; on failure remove the files it does not list."""
    manifest = raw / MANIFEST
    before = manifest.read_bytes() if manifest.is_file() else b""
    written: list[Path] = []
    try:
        for a in articles:
            if not a.in_place:
                dest = raw / a.row["file"]
                write_atomic(dest, a.data, overwrite=False)
                written.append(dest)
        write_atomic(manifest, with_rows(before, [a.row for a in articles], columns=MANIFEST_COLUMNS,
                                          optional=OPTIONAL_COLUMNS))
    except BaseException as exc:  # an interrupt too: no article file may outlive a failed add
        if (manifest.read_bytes() if manifest.is_file() else b"") == before:
            for p in written:
                p.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise IngestError(f"could not write to {raw} ({exc.strerror or exc}) — nothing was added") from None
        raise


def summary(outcomes: list[Outcome]) -> list[str]:
    """Lines to print for a run of `add` (titles and notes made safe for a terminal)."""
    lines = []
    for o in outcomes:
        if o.error:
            lines.append(f"refused  {o.error} — nothing was written for this file")
            continue
        for a in o.added:
            lines.append(f"added    {a.article_id}  “{printable(a.title, limit=70)}”  ←  {printable(o.path)}  ({a.file})")
            lines.extend(f"         {n}" for n in a.notes)
    n_ok = sum(not o.error for o in outcomes)
    n_art = sum(len(o.article_ids) for o in outcomes)
    lines.append(f"{n_ok} of {len(outcomes)} file(s) added ({n_art} article(s)); {len(outcomes) - n_ok} refused")
    if n_art:
        lines.append("next: `newslens check`, then `newslens build`")
    return lines
