"""Bad raw input: each case gets a clear message naming the file (and row) and what to do,
an error that stops the build, or a recorded warning with the article kept. Never a silent drop."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from newslens.cli import main
from newslens.corpus import load
from newslens.problems import CorpusError

GOOD = "Aleppo evacuation halted\n\nThe evacuation of 4,500 militants was halted on Friday, officials said.\n"


def _problems(raw: Path):
    corpus = load(raw)
    return corpus, corpus.problems


def _one(problems, severity: str, contains: str):
    hits = problems[(problems["severity"] == severity) & problems["what"].str.contains(contains, regex=False)]
    assert len(hits) == 1, problems.to_string()
    row = hits.iloc[0]
    assert row["todo"], "every problem says what to do"
    return row


def test_empty_file_is_kept_with_a_warning(raw_builder):
    raw_builder.add("empty", b"")
    raw_builder.add("blank", "  \n\n \t\n")
    corpus, problems = _problems(raw_builder.write())
    assert set(corpus.articles["article_id"]) == {"empty", "blank"}
    assert (problems["what"].str.contains("empty or whitespace only")).sum() == 2


def test_binary_file_is_an_error_naming_the_file(raw_builder):
    raw_builder.add("bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _, problems = _problems(raw_builder.write())
    row = _one(problems, "error", "NUL bytes")
    assert row["file"].endswith("bin.txt")


def test_cp1252_declared_as_utf8_is_decoded_and_flagged(raw_builder):
    raw_builder.add("cp", GOOD.replace("officials", "“officials”").encode("cp1252"))
    corpus, problems = _problems(raw_builder.write())
    row = _one(problems, "warning", "not valid utf-8")
    assert "cp1252" in row["todo"] and row["line"] == 3
    assert "“officials”" in corpus.texts["cp"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_declared_in_the_manifest_load_cleanly(raw_builder, encoding):
    raw_builder.add("legacy", "Caf\u00e9 r\u00e9sum\u00e9: 4,500 evacu\u00e9s.\n".encode(encoding), encoding=encoding)
    corpus, problems = _problems(raw_builder.write())
    assert problems.empty
    assert "évacués" not in corpus.texts["legacy"] and "evacués" in corpus.texts["legacy"]


def test_utf8_bom_is_dropped_and_offsets_still_map(raw_builder):
    raw_builder.add("bom", codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    corpus, problems = _problems(raw_builder.write())
    assert problems.empty
    text = corpus.texts["bom"]
    assert not text.startswith("\ufeff")
    c = corpus.cleaned["bom"]
    assert c.raw[c.to_raw(0)] == "A"


def test_utf16_with_bom(raw_builder):
    raw_builder.add("u16", GOOD.encode("utf-16"), encoding="utf-16")
    corpus, problems = _problems(raw_builder.write())
    assert problems.empty and corpus.texts["u16"].startswith("Aleppo")


def test_mojibake_is_flagged_and_kept(raw_builder):
    raw_builder.add("moji", "The army\u00e2\u20ac\u2122s statement\n")
    corpus, problems = _problems(raw_builder.write())
    _one(problems, "warning", "mojibake")
    assert "moji" in set(corpus.articles["article_id"])


def test_manifest_row_without_file(raw_builder):
    raw_builder.add("gone", GOOD)
    root = raw_builder.write()
    (root / "articles" / "gone.txt").unlink()
    _, problems = _problems(root)
    row = _one(problems, "error", "not found")
    assert row["line"] == 2 and row["file"].endswith("manifest.csv")


def test_file_without_manifest_row(raw_builder):
    raw_builder.add("listed", GOOD)
    root = raw_builder.write()
    (root / "articles" / "stray.txt").write_text(GOOD)
    corpus, problems = _problems(root)
    row = _one(problems, "warning", "no manifest row")
    assert row["file"].endswith("stray.txt") and "newslens add" in row["todo"]
    assert list(corpus.articles["article_id"]) == ["listed"]


def test_duplicate_ids(raw_builder):
    raw_builder.add("dup", GOOD)
    raw_builder.add("dup", GOOD + "More.\n", name="dup2.txt")
    _, problems = _problems(raw_builder.write())
    row = _one(problems, "error", "duplicate article_id")
    assert row["line"] == 3 and "line 2" in row["what"]


def test_sha256_mismatch_means_the_raw_file_was_edited(raw_builder):
    raw_builder.add("edited", GOOD)
    root = raw_builder.write()
    (root / "articles" / "edited.txt").write_text(GOOD + "An edit.\n")
    _, problems = _problems(root)
    row = _one(problems, "error", "sha256 does not match")
    assert "restore" in row["todo"]


@pytest.mark.parametrize("published", ["16/12/2016", "2016-12-16T12:00:00", "yesterday", "2016-13-45T00:00:00+00:00"])
def test_unparseable_or_naive_dates(raw_builder, published):
    raw_builder.add("date", GOOD, published=published)
    _, problems = _problems(raw_builder.write())
    row = _one(problems, "error", "is not ISO-8601 with an offset")
    assert row["line"] == 2 and "+00:00" in row["todo"]


@pytest.mark.parametrize("path", ["../outside.txt", "articles/../../outside.txt", "/etc/passwd"])
def test_paths_that_escape_the_raw_folder(raw_builder, path):
    (raw_builder.root.parent / "outside.txt").write_text(GOOD)
    raw_builder.add("escape", GOOD)
    raw_builder.rows[-1]["file"] = path
    _, problems = _problems(raw_builder.write())
    row = _one(problems, "error", "")
    assert "outside the raw folder" in row["what"] or "absolute path" in row["what"]


def test_symlink_that_escapes_the_raw_folder(raw_builder, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(GOOD)
    raw_builder.add("link", GOOD)
    link = raw_builder.root / "articles" / "link.txt"
    link.unlink()
    os.symlink(secret, link)
    _, problems = _problems(raw_builder.write())
    _one(problems, "error", "outside the raw folder")


def test_symlinked_folder_that_escapes_the_raw_folder(raw_builder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, raw_builder.root / "articles" / "linked")
    raw_builder.add("inner", GOOD, name="linked/inner.txt")  # written through the link, outside
    _, problems = _problems(raw_builder.write())
    _one(problems, "error", "outside the raw folder")


def test_manifest_with_a_missing_column_is_refused_whole(raw_builder):
    raw_builder.add("a", GOOD)
    cols = [c for c in raw_builder.rows[0] if c != "sha256"]
    root = raw_builder.write(cols)
    with pytest.raises(CorpusError) as exc:
        load(root)
    assert "missing column(s): sha256" in str(exc.value) and "manifest.csv:1" in str(exc.value)


def test_missing_manifest(tmp_path):
    with pytest.raises(CorpusError, match="manifest.csv not found"):
        load(tmp_path)


def test_cli_check_lists_every_problem_and_exits_non_zero(raw_builder, capsys):
    raw_builder.add("dup", GOOD)
    raw_builder.add("dup", GOOD, name="dup2.txt")
    raw_builder.add("bad-date", GOOD, published="soon")
    assert main(["check", "--raw", str(raw_builder.write())]) == 1
    out = capsys.readouterr().out
    assert "duplicate article_id" in out and "not ISO-8601" in out and "2 error(s)" in out


def test_cli_build_refuses_an_untrusted_corpus_without_traceback(raw_builder, tmp_path, capsys):
    raw_builder.add("edited", GOOD)
    root = raw_builder.write()
    (root / "articles" / "edited.txt").write_text("changed")
    out_dir = tmp_path / "processed"
    assert main(["build", "--raw", str(root), "--out", str(out_dir)]) == 2
    err = capsys.readouterr().err
    assert "sha256 does not match" in err and "Traceback" not in err and "Nothing was written" in err
    assert not (out_dir / "build.json").exists()


def test_cli_build_missing_column_message(raw_builder, tmp_path, capsys):
    raw_builder.add("a", GOOD)
    root = raw_builder.write([c for c in raw_builder.rows[0] if c != "published"])
    assert main(["build", "--raw", str(root), "--out", str(tmp_path / "p")]) == 2
    assert "missing column(s): published" in capsys.readouterr().err


def test_raw_files_are_never_modified(seed_raw, tmp_path):
    before = {p: p.read_bytes() for p in sorted(seed_raw.rglob("*")) if p.is_file()}
    assert main(["build", "--raw", str(seed_raw), "--out", str(tmp_path / "p"), "--quiet"]) == 0
    after = {p: p.read_bytes() for p in sorted(seed_raw.rglob("*")) if p.is_file()}
    assert before == after


def test_unknown_time_zone_in_the_manifest(raw_builder):
    raw_builder.add("tz", GOOD, timezone="Mars/Olympus")
    _, problems = _problems(raw_builder.write(list(raw_builder.rows[0])))
    row = _one(problems, "error", "not an IANA zone")
    assert row["line"] == 2


def test_story_settings(raw_builder):
    raw_builder.add("a", GOOD)
    root = raw_builder.write()
    (root / "story.yaml").write_text("event_timezone: Asia/Damascus\ntitle: Test story\n")
    corpus = load(root)
    assert corpus.story["event_timezone"] == "Asia/Damascus"
    assert corpus.articles.loc[0, "timezone"] == "Asia/Damascus"
    (root / "story.yaml").write_text("event_timezone: [unclosed\n")
    _one(load(root).problems, "error", "cannot read story settings")
    (root / "story.yaml").write_text("event_timezone: Nowhere/City\n")
    _one(load(root).problems, "error", "is not valid")
