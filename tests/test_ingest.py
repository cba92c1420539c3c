"""`newslens add`: every accepted format lands byte for byte in the raw folder with its manifest
row, metadata found in a page is said aloud, and the loader reads the result cleanly."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from newslens import ingest
from newslens.cli import main
from newslens.corpus import load
from newslens.ingest_formats import guess_language, parse_published, printable, slug

FIXTURES = Path(__file__).parent / "fixtures"
BODY = ("Thousands of people waited in freezing temperatures on Saturday as the evacuation of eastern Aleppo "
        "stalled for a second day, aid workers said. The Red Cross said it was ready to resume the operation "
        "as soon as the parties agreed, and that the wounded would be moved first.")
FLAGS = ["--outlet", "Test Wire", "--published", "2016-12-17T09:00:00+00:00"]


def _rows(raw: Path) -> list[dict[str, str]]:
    with open(raw / "manifest.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _add(raw: Path, *paths: Path | str, flags: list[str] = FLAGS) -> int:
    return main(["add", "--raw", str(raw), *map(str, paths), *flags])


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_text_file_is_copied_byte_for_byte_with_its_row(tmp_path, capsys):
    src = _write(tmp_path, "wait.txt", f"Thousands wait in the cold\n\n{BODY}\n")
    raw = tmp_path / "raw"
    assert _add(raw, src) == 0
    [row] = _rows(raw)
    assert row["article_id"] == "test-wire-2016-12-17"
    assert row["file"] == "articles/test-wire-2016-12-17-thousands-wait-in-the-cold.txt"
    assert (raw / row["file"]).read_bytes() == src.read_bytes()
    assert row["encoding"] == "utf-8" and row["language"] == "en" and row["published_precision"] == "minute"
    assert "added    test-wire-2016-12-17" in capsys.readouterr().out
    corpus = load(raw)
    assert corpus.problems.empty, corpus.problems.to_string()
    assert corpus.articles.loc[0, "title"] == "Thousands wait in the cold"


def test_html_page_metadata_is_filled_in_and_said(tmp_path, capsys):
    raw = tmp_path / "raw"
    assert _add(raw, FIXTURES / "page.html", flags=[]) == 0
    out = capsys.readouterr().out
    assert "outlet: Test Herald (from the page)" in out
    assert "published: 2016-12-15T14:30:00+00:00 (from the page's <meta article:published_time>)" in out
    [row] = _rows(raw)
    assert (row["outlet"], row["byline"], row["published"]) == ("Test Herald", "Jane Reporter", "2016-12-15T14:30:00+00:00")
    assert row["file"].endswith(".html")
    raw_bytes = (raw / row["file"]).read_bytes()
    assert raw_bytes == (FIXTURES / "page.html").read_bytes()
    text = ingest.html_text(raw_bytes)
    assert text.startswith("Buses leave eastern Aleppo as evacuation resumes\n\nThe first convoy")
    assert "MUST-NOT-APPEAR" not in text and "Copyright" not in text and "Home" not in text


def test_flags_beat_the_page_and_a_date_only_page_is_day_precise(tmp_path, capsys):
    html = "<html><head><meta property='og:site_name' content='Site'></head><body><article><h1>Title here</h1>" \
           f"<p>{BODY}</p></article></body></html>"
    src = _write(tmp_path, "p.html", html)
    raw = tmp_path / "raw"
    assert _add(raw, src, flags=["--outlet", "Given Outlet", "--published", "2016-12-16"]) == 0
    [row] = _rows(raw)
    assert row["outlet"] == "Given Outlet" and row["published_precision"] == "day"
    assert row["published"] == "2016-12-16T00:00:00+00:00"
    assert "outlet:" not in capsys.readouterr().out


def test_json_export_gives_one_text_article_per_item(tmp_path, capsys):
    raw = tmp_path / "raw"
    assert _add(raw, FIXTURES / "export.json", flags=[]) == 0
    rows = _rows(raw)
    assert [r["article_id"] for r in rows] == ["wire-one-2016-12-13", "wire-one-2016-12-16"]
    assert rows[0]["attribution_note"].startswith("imported from export.json item 1")
    assert rows[1]["published_precision"] == "day" and rows[0]["url"] == "https://example.org/deal"
    first = (raw / rows[0]["file"]).read_text(encoding="utf-8")
    assert first.startswith("Evacuation deal reached for eastern Aleppo\n\nRussia and Turkey")
    corpus = load(raw)
    assert corpus.problems.empty and len(corpus.articles) == 2


def test_a_single_json_object_is_one_article(tmp_path):
    item = {"title": "One", "text": BODY, "outlet": "Solo", "published": "2016-12-14T08:00:00+02:00"}
    raw = tmp_path / "raw"
    assert _add(raw, _write(tmp_path, "one.json", json.dumps(item)), flags=[]) == 0
    [row] = _rows(raw)
    assert row["published"] == "2016-12-14T08:00:00+02:00" and row["article_id"] == "solo-2016-12-14"


@pytest.mark.parametrize(("codec", "encoding", "data"), [
    ("utf-8", "utf-8", "Café résumé\r\n\r\n" + BODY.replace("aid", "“aid”")),
    ("utf-8", "utf-8", "\ufeffCafé résumé\n\n" + BODY),
    ("utf-16", "utf-16", "Café résumé\n\n" + BODY),
    ("cp1252", "cp1252", "Café résumé\n\n" + BODY.replace("aid", "“aid”")),
    # Latin-1 text without bytes 0x80-0x9F reads the same as cp1252, the name recorded for both.
    ("latin-1", "cp1252", "Café résumé\n\n" + BODY),
], ids=["utf8-crlf", "utf8-bom", "utf16-bom", "cp1252", "latin1"])
def test_encodings_are_detected_recorded_and_read_back(tmp_path, codec, encoding, data):
    src = _write(tmp_path, "enc.txt", data.encode(codec))
    raw = tmp_path / "raw"
    assert _add(raw, src) == 0
    [row] = _rows(raw)
    assert row["encoding"] == encoding
    assert (raw / row["file"]).read_bytes() == src.read_bytes()
    corpus = load(raw)
    assert corpus.problems.empty, corpus.problems.to_string()
    assert corpus.texts[row["article_id"]].startswith("Café résumé\n")


def test_same_content_is_refused_naming_the_article(tmp_path, capsys):
    src = _write(tmp_path, "a.txt", f"Title\n\n{BODY}\n")
    raw = tmp_path / "raw"
    assert _add(raw, src) == 0
    before = (raw / "manifest.csv").read_bytes()
    assert _add(raw, src) == 1
    assert "same content as article 'test-wire-2016-12-17'" in capsys.readouterr().out
    assert (raw / "manifest.csv").read_bytes() == before


def test_a_republication_is_accepted_and_flagged(tmp_path, capsys):
    raw = tmp_path / "raw"
    assert _add(raw, _write(tmp_path, "orig.txt", f"Original\n\n{BODY}\n")) == 0
    copy = _write(tmp_path, "copy.txt", f"Republished here\n\nVia our partners. {BODY} Comments are closed.\n")
    assert _add(raw, copy, flags=["--outlet", "Aggregator", "--published", "2016-12-18"]) == 0
    assert "republished_from = test-wire-2016-12-17" in capsys.readouterr().out
    assert _rows(raw)[1]["republished_from"] == "test-wire-2016-12-17"


def test_ids_and_file_names_never_collide(tmp_path):
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "test-wire-2016-12-17-same-title.txt").write_text("someone else's file")
    for n in range(2):
        assert _add(raw, _write(tmp_path, f"{n}.txt", f"Same title\n\n{BODY} Version {n}.\n"),
                    flags=[*FLAGS, "--language", "en"]) == 0
    rows = _rows(raw)
    assert [r["article_id"] for r in rows] == ["test-wire-2016-12-17", "test-wire-2016-12-17-2"]
    assert rows[0]["file"] == "articles/test-wire-2016-12-17-same-title-2.txt"
    assert (raw / "articles" / "test-wire-2016-12-17-same-title.txt").read_text() == "someone else's file"


def test_explicit_id(tmp_path):
    raw = tmp_path / "raw"
    assert _add(raw, _write(tmp_path, "a.txt", f"T\n\n{BODY}\n"), flags=[*FLAGS, "--id", "wire-special"]) == 0
    assert _rows(raw)[0]["article_id"] == "wire-special"


def test_several_paths_each_all_or_nothing_with_a_summary(tmp_path, capsys):
    raw = tmp_path / "raw"
    good = _write(tmp_path, "good.txt", f"Good\n\n{BODY}\n")
    empty = _write(tmp_path, "empty.txt", "")
    assert _add(raw, good, empty) == 1
    out = capsys.readouterr().out
    assert "refused  " in out and "empty.txt" in out and "1 of 2 file(s) added (1 article(s)); 1 refused" in out
    assert [r["article_id"] for r in _rows(raw)] == ["test-wire-2016-12-17"]
    assert sorted(p.name for p in (raw / "articles").iterdir()) == ["test-wire-2016-12-17-good.txt"]


def test_a_stray_file_in_articles_is_registered_in_place(seed_raw, capsys):
    stray = seed_raw / "articles" / "stray.txt"
    stray.write_text(f"Stray article\n\n{BODY}\n", encoding="utf-8")
    assert _add(seed_raw, stray) == 0
    row = _rows(seed_raw)[-1]
    assert row["file"] == "articles/stray.txt" and not list(seed_raw.glob("articles/test-wire*"))
    corpus = load(seed_raw)
    assert corpus.problems[corpus.problems["severity"] == "error"].empty
    assert not corpus.problems["what"].str.contains("no manifest row").any()


def test_existing_manifest_lines_are_kept_byte_for_byte(seed_raw):
    before = (seed_raw / "manifest.csv").read_bytes()
    assert _add(seed_raw, FIXTURES / "page.html", flags=[]) == 0
    after = (seed_raw / "manifest.csv").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1


def test_a_manifest_without_optional_columns_gets_the_one_it_needs(raw_builder, tmp_path):
    raw_builder.add("old", f"Old\n\n{BODY} Old.\n")
    raw = raw_builder.write()
    old_line = (raw / "manifest.csv").read_bytes().split(b"\n")[1]
    assert _add(raw, _write(tmp_path, "d.txt", f"Day\n\n{BODY}\n"), flags=["--outlet", "W", "--published", "2016-12-16"]) == 0
    lines = (raw / "manifest.csv").read_bytes().split(b"\n")
    assert lines[0].endswith(b",published_precision") and lines[1] == old_line
    corpus = load(raw)
    assert corpus.problems.empty, corpus.problems.to_string()
    assert set(corpus.articles["published_precision"]) == {"minute", "day"}


def test_a_failed_manifest_write_removes_the_article_file(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    assert _add(raw, _write(tmp_path, "first.txt", f"First\n\n{BODY}\n")) == 0
    before = {p.name: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    real = os.replace

    def full_disk(src, dst):
        if str(dst).endswith("manifest.csv"):
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    [outcome] = ingest.add([_write(tmp_path, "second.txt", f"Second\n\n{BODY} More.\n")], raw_dir=raw,
                           options=ingest.Options(outlet="W", published="2016-12-18"))
    assert "No space left on device" in outcome.error and "nothing was added" in outcome.error
    assert {p.name: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == before


def test_titles_with_control_characters_are_escaped_when_printed(tmp_path, capsys):
    src = _write(tmp_path, "evil.txt", f"Breaking\x1b[2J\x1b]0;pwned\x07 news \u202eevil\n\n{BODY}\n")
    assert _add(tmp_path / "raw", src) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Breaking\\x1b[2J" in out


def test_language_is_guessed_and_flag_overrides(tmp_path, capsys):
    raw = tmp_path / "raw"
    assert _add(raw, FIXTURES / "french_cp1252.txt") == 0
    assert "language: fr (guessed" in capsys.readouterr().out
    assert _rows(raw)[0]["language"] == "fr" and _rows(raw)[0]["encoding"] == "cp1252"
    corpus = load(raw)
    assert corpus.problems["what"].str.contains("extractors read English only").any()
    assert "quitté l’est d’Alep" in next(iter(corpus.texts.values()))
    other = tmp_path / "raw2"
    assert _add(other, FIXTURES / "french_cp1252.txt", flags=[*FLAGS, "--language", "en"]) == 0
    assert _rows(other)[0]["language"] == "en"


@pytest.mark.parametrize(("text", "lang"), [
    (BODY, "en"),
    ("Le premier convoi de bus a quitté la ville et les habitants attendent dans le froid pour le départ.", "fr"),
    ("В Алеппо возобновилась эвакуация и из города вышли автобусы с ранеными, по данным Красного Креста.", "ru"),
    ("xq zv 4500 kr", "und"),
])
def test_guess_language(text, lang):
    assert guess_language(text)[0] == lang


@pytest.mark.parametrize(("value", "expected"), [
    ("2016-12-16T12:09:00+00:00", ("2016-12-16T12:09:00+00:00", "minute")),
    ("2016-12-16T12:09Z", ("2016-12-16T12:09:00+00:00", "minute")),
    ("2016-12-16", ("2016-12-16T00:00:00+00:00", "day")),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("E. Aleppo: 4,500 leave!", "e-aleppo-4-500-leave"),
    ("../../etc/passwd", "etc-passwd"),
    ("الجزيرة", ""),
])
def test_slug_is_a_safe_file_name_part(text, expected):
    assert slug(text) == expected


def test_printable_cuts_long_text():
    assert printable("x" * 200, limit=10) == "x" * 9 + "…"


def test_fixtures_are_small():
    assert all(p.stat().st_size < 20_000 for p in FIXTURES.iterdir())


def test_html_raw_files_load_as_their_text(tmp_path):
    raw = tmp_path / "raw"
    assert _add(raw, FIXTURES / "page.html", flags=[]) == 0
    corpus = load(raw)
    text = next(iter(corpus.texts.values()))
    assert text.startswith("Buses leave eastern Aleppo") and "MUST-NOT-APPEAR" not in text
    assert corpus.articles.loc[0, "title"] == "Buses leave eastern Aleppo as evacuation resumes"


def test_seed_copy_takes_new_articles_and_still_checks_clean(seed_raw, tmp_path):
    shutil.copy(FIXTURES / "note.txt", tmp_path / "note.txt")
    assert _add(seed_raw, tmp_path / "note.txt", FIXTURES / "export.json") == 0
    assert main(["check", "--raw", str(seed_raw)]) in (0, 1)
    corpus = load(seed_raw)
    assert corpus.errors.empty and len(corpus.articles) == 8
