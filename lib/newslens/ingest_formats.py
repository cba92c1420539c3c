"""What a journalist brings to `newslens add`, read without writing anything.

Pure functions over bytes and text: which encoding a file is in, whether it is text at all,
the article text and metadata of a saved web page, the articles of a JSON export, the language
of a text, and the manifest bytes with new rows appended. The loader reads raw HTML
files through `html_text`, so a page gives the same text at `add` time and at build time.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newslens.problems import NewslensError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".json")
HTML_SUFFIXES = (".html", ".htm")
# Above this share of control characters a "text" file is binary data.
MAX_CONTROL_SHARE = 0.01
JSON_FIELDS = ("title", "text", "outlet", "published", "url", "byline", "language", "affiliation")
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# Control characters (C0, C1), bidi overrides and zero-width marks can rewrite a terminal line.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SLUG_RE = re.compile(r"[^a-z0-9]+")
WORD_RE = re.compile(r"[^\W_]+(?:[.,'’\-][^\W_]+)*")
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publish-date", "date",
)
_JSONLD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
# The most frequent function words of each language (a cheap guess, overridden by --language).
FUNCTION_WORDS = {
    "en": "the of and to in a is that for it was on with as by at from he said have has were be",
    "fr": "le la les de des et un une du est dans que pour qui sur au par pas ont",
    "es": "el la los las de del y en que un una por con para es se al lo",
    "de": "der die das und in den von zu mit ist des sich nicht auf ein eine dem im",
    "it": "il la di che e un una per del della non sono con nel gli le",
    "pt": "o a os as de do da que e um uma em para com não por no na",
    "tr": "ve bir bu da de için ile olarak olan gibi daha çok ama",
    "ru": "и в не на что с по как это он из к за от для",
    "ar": "في من على أن إلى التي الذي عن مع هذا هذه كان بين",
    "fa": "و در به از که این را با است برای آن یک",
}
_FUNCTION_SETS = {lang: frozenset(words.split()) for lang, words in FUNCTION_WORDS.items()}


class IngestError(NewslensError):
    """An input that cannot be added as it is; the message says what to do."""


@dataclass(frozen=True)
class Page:
    """What a saved web page says about itself; empty strings where it is silent."""

    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    precision: str = ""
    byline: str = ""
    url: str = ""
    published_from: str = ""
    found_in: str = "the page"


def printable(text: str, *, limit: int = 120) -> str:
    """``text`` safe to print on a terminal: control characters escaped, long text cut.

    >>> printable("Title\\x1b[2J\\u202eevil")
    'Title\\\\x1b[2J\\\\u202eevil'
    """
    out = _UNPRINTABLE_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def slug(text: str, *, limit: int = 48) -> str:
    """Lowercase ASCII words joined by '-' (accents dropped), at most ``limit`` characters.

    >>> slug("Évacuation d'Alep: 4,500 people!")
    'evacuation-d-alep-4-500-people'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = _SLUG_RE.sub("-", ascii_text.lower()).strip("-")
    return s[:limit].rstrip("-")


def decode(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """(text, codec name for the manifest) of a file's bytes; raises IngestError for non-text.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are recognised; anything else that is
    not UTF-8 is read as a legacy single-byte encoding (a page's declared charset first).
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise IngestError("the file is UTF-32, which newslens does not read — save it as UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IngestError(f"the file starts like UTF-16 but byte {exc.start} is not — save it as UTF-8") from None
    if b"\x00" in data:
        raise IngestError(f"the file contains NUL bytes (first at byte {data.find(0)}): it is binary, "
                          "not text — export the article as plain text, HTML or JSON")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if html else ""
    for codec in (declared, "cp1252", "latin-1"):
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _declared_charset(data: bytes) -> str:
    m = _CHARSET_RE.search(data[:4096])
    if not m:
        return ""
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return ""
    return "" if name in {"utf-8", "utf-16", "utf-32"} else name


def check_text(text: str) -> None:
    """Refuse text with nothing in it, or text that is mostly control characters (binary)."""
    if not text.strip():
        raise IngestError("the file is empty or holds only whitespace — check the export that produced it")
    if "\x00" in text:
        raise IngestError("the text contains NUL characters (binary data) — remove them in the export")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise IngestError(f"{controls} of its {len(text)} characters are control characters: it is binary, "
                          "not text — export the article as plain text, HTML or JSON")


def mojibake_line(text: str, pattern: re.Pattern[str]) -> int | None:
    """Line (1-based) of the first double-encoded sequence such as 'â€™', or None."""
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def read_html(html: str) -> Page:
    """Main text and metadata of a saved web page (no network; scripts and styles dropped).

    The text is the headline, a blank line, then the paragraphs separated by blank lines: the
    layout of the `.txt` articles, so that headline detection and paragraphs work the same.
    """
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return Page(text="")
    # Script and style bodies are code, not text: a headline taken with text_content() would
    # otherwise carry them. JSON-LD stays, it is where many pages state author and date.
    for node in tree.xpath("//script[not(contains(@type, 'ld+json'))] | //style | //noscript | //template"):
        node.drop_tree()  # keeps the text that follows the element
    published, precision, where = _page_timestamp(tree, html)
    found = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                        include_tables=True, deduplicate=False)
    meta = found.as_dict() if found is not None and hasattr(found, "as_dict") else (found or {})
    title = " ".join(str(meta.get("title") or "").split())
    paragraphs = [" ".join(p.split()) for p in str(meta.get("text") or "").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if title and paragraphs and paragraphs[0] != title:
        paragraphs.insert(0, title)
    if not published and meta.get("date"):
        published, precision, where = f"{meta['date']}T00:00:00+00:00", "day", "the page's date"
    return Page(
        text="\n\n".join(paragraphs) + ("\n" if paragraphs else ""),
        title=title or (paragraphs[0] if paragraphs else ""),
        outlet=" ".join(str(meta.get("sitename") or "").split()),
        published=published,
        precision=precision,
        byline=" ".join(str(meta.get("author") or "").split()),
        url=str(meta.get("url") or ""),
        published_from=where,
    )


def html_text(raw: bytes | str) -> str:
    """The article text of a raw HTML file, as the loader reads it (see `read_html`)."""
    html = decode(raw, html=True)[0] if isinstance(raw, bytes) else raw
    return read_html(html).text


def _page_timestamp(tree: Any, html: str) -> tuple[str, str, str]:
    """(ISO time, 'minute', where) from the page's publication meta, when it gives a zone."""
    for name in _PUBLISHED_META:
        for value in tree.xpath(f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"):
            iso = iso_with_offset(str(value).strip())
            if iso:
                return iso, "minute", f"the page's <meta {name}>"
    for value in _JSONLD_DATE_RE.findall(html):
        iso = iso_with_offset(value)
        if iso:
            return iso, "minute", "the page's datePublished"
    return "", "", ""


def iso_with_offset(value: str) -> str:
    """``value`` as ISO-8601 with an offset (normalised), or '' when it is not one."""
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return dt.isoformat(timespec="seconds") if dt.tzinfo is not None else ""


def parse_published(value: str) -> tuple[str, str]:
    """(ISO time, precision) of a `--published` value: a time with its offset, or a bare date.

    >>> parse_published("2016-12-16")
    ('2016-12-16T00:00:00+00:00', 'day')
    """
    iso = iso_with_offset(value)
    if iso:
        return iso, "minute"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return f"{value}T00:00:00+00:00", "day"
    raise IngestError(f"published {value!r} is not a date — write it like 2016-12-16T12:00:00+00:00 "
                      "(with the offset) or 2016-12-16 when only the day is known")


def json_items(data: bytes) -> list[dict[str, str]]:
    """The articles of a JSON export: a list of objects, or one object (see README)."""
    text = decode(data)[0]
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} — fix the export") from None
    items = doc if isinstance(doc, list) else [doc]
    if not items:
        raise IngestError("the JSON list is empty — nothing to add")
    return [_json_item(i, item) for i, item in enumerate(items, start=1)]


def _json_item(n: int, item: Any) -> dict[str, str]:
    if not isinstance(item, dict):
        raise IngestError(f"item {n} is not an object — each article is {{\"title\": …, \"text\": …, …}}")
    for key in ("title", "text"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise IngestError(f"item {n}: {key!r} is missing or empty — every item needs a title and a text")
    out = {}
    for key in JSON_FIELDS:
        value = item.get(key)
        if value is not None and not isinstance(value, str):
            raise IngestError(f"item {n}: {key!r} must be text, not {type(value).__name__} — quote it in the export")
        out[key] = (value or "").strip() if key != "text" else value
    return out


def item_text(item: dict[str, str]) -> str:
    """The `.txt` article written for one JSON item: title, blank line, text."""
    return f"{item['title'].strip()}\n\n{item['text'].strip()}\n"


def guess_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code or 'und', share of its function words) by function-word counts."""
    words = [w.casefold() for w in WORD_RE.findall(text[:200_000])]
    if not words:
        return "und", 0.0
    shares = {lang: sum(w in fw for w in words) / len(words) for lang, fw in _FUNCTION_SETS.items()}
    best = max(sorted(shares), key=shares.__getitem__)
    return (best, shares[best]) if shares[best] >= 0.08 else ("und", shares[best])


def with_rows(old: bytes, rows: list[dict[str, str]], *, columns: list[str], optional: list[str]) -> bytes:
    """Manifest CSV bytes with ``rows`` appended; existing lines kept byte for byte.

    A new file gets ``columns + optional`` as its header; an ``optional`` column that a row
    fills and the header lacks is added to the header (shorter rows read as empty there).
    """
    bom = b"\xef\xbb\xbf" if old.startswith(b"\xef\xbb\xbf") else b""
    body = old[len(bom):]
    first, sep, rest = body.partition(b"\n")
    newline = "\r\n" if first.endswith(b"\r") else "\n"
    header = next(csv.reader([first.decode("utf-8").rstrip("\r")])) if first.strip() else []
    wanted = header or columns + optional
    wanted = wanted + [c for c in optional if c not in wanted and any(r.get(c) for r in rows)]
    out = io.StringIO()
    w = csv.writer(out, lineterminator=newline)
    w.writerow(wanted)
    head = out.getvalue().encode("utf-8")
    if header and wanted == header:
        head = first + (sep or newline.encode())
    rest = rest if header else b""
    if rest and not rest.endswith(b"\n"):
        rest += newline.encode()
    out = io.StringIO()
    w = csv.writer(out, lineterminator=newline)
    for r in rows:
        w.writerow([r.get(c, "") for c in wanted])
    return bom + head + rest + out.getvalue().encode("utf-8")
