"""The reliability catalogue: bad input across the CLI and the library.

Each case asserts a clear message (the file, row or line, and what to do) and no data loss: the
raw folder untouched, the manifest unchanged, the processed tables intact. Cases already covered
elsewhere are referenced, not repeated: tests/test_bad_input.py (loader: empty, binary, cp1252
declared as UTF-8, BOMs, mojibake, missing files, duplicate ids, dates, escaping paths and
symlinks, missing columns), tests/test_store.py (a build SIGKILLed mid-write keeps the previous
tables; two builds at once: the second refuses), tests/test_ingest.py (accepted formats).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from newslens import ingest, params, pipeline, store
from newslens.cli import main
from newslens.corpus import load
from newslens.framing_lexicon import load_lexicon
from newslens.layout import load_layout
from newslens.lexicons import LexiconError, data_dir
from newslens.manifest import MAX_BYTES
from newslens.problems import CorpusError
from newslens.sources import load_sources

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BODY = ("The evacuation of eastern Aleppo resumed on Thursday and about 1,000 people left the city on buses, "
        "the Red Cross said, after a day in which the operation had been halted by fighting.\n")
FLAGS = ["--outlet", "Test Wire", "--published", "2016-12-16T12:00:00+00:00"]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (symlinks as their target text)."""
    return {str(p.relative_to(folder)): (os.readlink(p).encode() if p.is_symlink() else p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


@pytest.fixture
def small_raw(raw_builder) -> Path:
    raw_builder.add("wire-2016-12-16", f"Evacuation resumes\n\n{BODY}")
    return raw_builder.write()


def _refused(raw: Path, src: Path | str, capsys, *flags: str) -> str:
    """Run `newslens add` expecting a refusal; checks nothing changed and returns the output."""
    before = snapshot(raw)
    code = main(["add", "--raw", str(raw), str(src), *(flags or FLAGS)])
    out = capsys.readouterr()
    assert code != 0, out.out
    assert snapshot(raw) == before
    return out.out + out.err


def _input(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---- newslens add: refusals ---------------------------------------------------------------

REFUSALS = [
    ("empty.txt", b"", "empty or holds only whitespace"),
    ("blank.txt", b"  \r\n\t\n  \n", "empty or holds only whitespace"),
    ("nul.txt", b"Aleppo\x00\x00evacuation", "NUL bytes (first at byte 6)"),
    ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
    ("controls.txt", bytes(range(1, 9)) * 40 + b"some words", "control characters: it is binary"),
    ("utf32.txt", "Aleppo".encode("utf-32"), "UTF-32"),
    ("bad16.txt", b"\xff\xfeA\x00\x00\xd8", "starts like UTF-16"),
    ("scan.pdf", b"%PDF-1.4 ...", ".pdf: newslens adds .txt, .md, .html, .htm, .json files"),
    ("noext", b"Aleppo", "no suffix"),
    ("scripts.html", b"<html><script>var a = 'x';</script><body></body></html>", "no article text found in the page"),
    ("bad.json", b'[{"title": "x", "text": ', "not valid JSON at line 1, column"),
    ("empty.json", b"[]", "the JSON list is empty"),
    ("strings.json", b'["just text"]', "item 1 is not an object"),
    ("notext.json", b'[{"title": "A", "text": "ok", "outlet": "W", "published": "2016-12-16"}, {"title": "B"}]',
     "item 2: 'text' is missing or empty"),
    ("number.json", b'{"title": 4500, "text": "x"}', "item 1: 'title' is missing or empty"),
    ("badurl.json", b'{"title": "A", "text": "x", "url": 3}', "item 1: 'url' must be text, not int"),
    ("nul.json", b'{"title": "A\\u0000", "text": "x", "outlet": "W", "published": "2016-12-16"}', "item 1: the text contains NUL"),
    ("baddate.json", b'{"title": "A", "text": "x", "outlet": "W", "published": "16/12/2016"}', "published '16/12/2016' is not a date"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_add_refuses_unusable_files(small_raw, tmp_path, capsys, name, data, message):
    src = _input(tmp_path, name, data)
    out = _refused(small_raw, src, capsys)
    assert message in out and name in out and "0 of 1 file(s) added" in out


@pytest.mark.parametrize(("flags", "message"), [
    (["--outlet", "W"], "the publication date cannot be found in the file — pass --published 2016-12-16T12:00:00+00:00"),
    (["--published", "2016-12-16"], "the outlet cannot be found in the file — pass --outlet NAME"),
    ([], "the outlet and the publication date cannot be found"),
    (["--outlet", "W", "--published", "2016-12-16T12:00:00"], "is not a date — write it like 2016-12-16T12:00:00+00:00"),
    (["--outlet", "W", "--published", "yesterday"], "published 'yesterday' is not a date"),
    ([*FLAGS, "--id", "Bad ID!"], "--id 'Bad ID!' is not a plain id"),
    ([*FLAGS, "--id", "wire-2016-12-16"], "--id 'wire-2016-12-16' is taken"),
])
def test_add_asks_for_what_it_cannot_find_and_writes_nothing(small_raw, tmp_path, capsys, flags, message):
    src = _input(tmp_path, "story.txt", f"Buses leave\n\n{BODY} More text.\n")
    assert message in _refused(small_raw, src, capsys, *(flags or ["--url", "x"]))


def test_add_missing_path_and_directory(small_raw, tmp_path, capsys):
    assert "not found, or not a file" in _refused(small_raw, tmp_path / "nope.txt", capsys)
    assert "not found, or not a file" in _refused(small_raw, tmp_path, capsys)


def test_add_refuses_a_50_mb_article_quickly(small_raw, tmp_path, capsys):
    big = tmp_path / "incoming" / "huge.txt"
    big.parent.mkdir()
    with open(big, "wb") as f:
        f.write(b"Headline\n\n" + (b"The evacuation of eastern Aleppo resumed. " * 1_250_000))
    assert big.stat().st_size > 50_000_000
    start = time.monotonic()
    out = _refused(small_raw, big, capsys)
    assert time.monotonic() - start < 2
    assert "above the 16 MiB an article may have — split it into articles" in out


def test_loader_refuses_an_oversized_raw_file_without_reading_it(raw_builder):
    raw_builder.add("big", "placeholder")
    raw = raw_builder.write()
    with open(raw / "articles" / "big.txt", "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: costs no disk and no time
    start = time.monotonic()
    problems = load(raw).problems
    assert time.monotonic() - start < 2
    [row] = problems[problems["what"].str.contains("MiB limit")].to_dict("records")
    assert row["file"].endswith("big.txt") and "split it" in row["todo"]


def test_a_5_mb_single_line_is_added_and_loaded_in_seconds(tmp_path):
    line = ("The evacuation of 4,500 people was halted on Friday, officials said. " * 72_000)[:5_000_000]
    src = _input(tmp_path, "long.txt", f"One very long line\n\n{line}\n")
    raw = tmp_path / "raw"
    start = time.monotonic()
    [outcome] = ingest.add([src], raw_dir=raw, options=ingest.Options(outlet="W", published="2016-12-16"))
    corpus = load(raw)
    assert not outcome.error and corpus.errors.empty
    assert time.monotonic() - start < 15
    assert corpus.texts[outcome.article_ids[0]].rstrip().endswith(line.rstrip()[-50:])


def test_add_refuses_when_the_manifest_is_unusable(raw_builder, tmp_path, capsys):
    raw_builder.add("a", BODY)
    raw = raw_builder.write([c for c in raw_builder.rows[0] if c != "sha256"])
    out = _refused(raw, _input(tmp_path, "n.txt", f"New\n\n{BODY} New.\n"), capsys)
    assert "manifest.csv:1" in out and "missing column(s): sha256" in out and "Nothing was written" in out


def test_add_refuses_content_already_in_the_corpus(small_raw, capsys):
    out = _refused(small_raw, small_raw / "articles" / "wire-2016-12-16.txt", capsys)
    assert "same content as article 'wire-2016-12-16'" in out


def test_an_interrupted_add_leaves_the_old_manifest_and_no_stray_file(small_raw, tmp_path, monkeypatch):
    before = snapshot(small_raw)
    real = ingest.write_atomic

    def interrupted(path, data, **kw):
        if path.name == "manifest.csv":
            raise KeyboardInterrupt
        return real(path, data, **kw)

    monkeypatch.setattr(ingest, "write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest.add([_input(tmp_path, "n.txt", f"New\n\n{BODY} New.\n")], raw_dir=small_raw, options=ingest.Options(
            outlet="W", published="2016-12-17"))
    assert snapshot(small_raw) == before


def test_add_copies_a_symlink_target_as_a_plain_file(small_raw, tmp_path):
    target = _input(tmp_path, "real.txt", f"Linked\n\n{BODY} Linked.\n")
    link = tmp_path / "incoming" / "link.txt"
    link.symlink_to(target)
    [outcome] = ingest.add([link], raw_dir=small_raw, options=ingest.Options(outlet="W", published="2016-12-17"))
    added = small_raw / outcome.added[0].file
    assert not added.is_symlink() and added.read_bytes() == target.read_bytes()
    assert load(small_raw).errors.empty


@pytest.mark.parametrize("title", ["../../../etc/passwd", "/abs/path", "..", "a\\..\\b", "\x1b[31m"])
def test_titles_never_steer_the_file_name_outside_articles(tmp_path, title):
    item = {"title": title + " t", "text": BODY, "outlet": "../W/../", "published": "2016-12-16"}
    raw = tmp_path / "raw"
    [outcome] = ingest.add([_input(tmp_path, "t.json", json.dumps(item))], raw_dir=raw)
    assert not outcome.error, outcome.error
    written = (raw / outcome.added[0].file).resolve()
    assert written.parent == (raw / "articles").resolve()
    assert load(raw).errors.empty


def test_mojibake_is_accepted_with_a_warning_naming_the_line(tmp_path, capsys):
    src = _input(tmp_path, "m.txt", f"Title\n\n{BODY}The army\u00e2\u20ac\u2122s statement.\n")
    assert main(["add", "--raw", str(tmp_path / "raw"), str(src), *FLAGS]) == 0
    assert "warning: line 4 looks double-encoded (mojibake)" in capsys.readouterr().out


def test_broken_html_keeps_scripts_out_of_the_text(tmp_path):
    raw = tmp_path / "raw"
    [outcome] = ingest.add([FIXTURES / "broken.html"], raw_dir=raw,
                           options=ingest.Options(outlet="W", published="2016-12-14"))
    text = ingest.html_text((raw / outcome.added[0].file).read_bytes())
    assert "Negotiators in Ankara" in text and "respect the agreement" in text
    assert "MUST-NOT-APPEAR" not in text and "alert(" not in text and "<" not in text


# ---- the raw manifest (cases test_bad_input.py does not cover) ------------------------------

def _manifest_problems(raw: Path) -> list[dict]:
    return load(raw).problems.to_dict("records")


def test_manifest_extra_column_is_a_warning(raw_builder):
    raw_builder.add("a", BODY, colour="red")
    raw = raw_builder.write([*raw_builder.rows[0]])
    [p] = _manifest_problems(raw)
    assert p["severity"] == "warning" and p["line"] == 1 and "colour" in p["what"]


def test_manifest_duplicated_column_is_refused(raw_builder):
    raw_builder.add("a", BODY)
    raw = raw_builder.write()
    text = (raw / "manifest.csv").read_text().splitlines()
    (raw / "manifest.csv").write_text(text[0] + ",outlet\n" + text[1] + ",X\n")
    with pytest.raises(CorpusError, match=r"manifest.csv:1: duplicated column\(s\): outlet"):
        load(raw)


@pytest.mark.parametrize(("change", "message", "line"), [
    ({"outlet": ""}, "empty value(s): outlet", 2),
    ({"article_id": "Has Spaces"}, "is not a plain id", 2),
    ({"encoding": "klingon"}, "unknown encoding 'klingon'", 2),
    ({"published": "2016-12-16T25:00:00+00:00"}, "is not ISO-8601 with an offset", 2),
])
def test_manifest_bad_values_name_the_row(raw_builder, change, message, line):
    raw_builder.add("a", BODY)
    raw_builder.rows[0].update(change)
    [p] = [p for p in _manifest_problems(raw_builder.write()) if p["severity"] == "error"]
    assert message in p["what"] and p["line"] == line and p["todo"]


def test_manifest_unquoted_comma_and_bad_encoding(raw_builder):
    raw_builder.add("a", BODY)
    raw = raw_builder.write()
    lines = (raw / "manifest.csv").read_text().splitlines()
    (raw / "manifest.csv").write_text(lines[0] + "\n" + lines[1].replace("Test Outlet", "Test, Outlet") + "\n")
    [p] = [p for p in _manifest_problems(raw) if p["severity"] == "error"]
    assert p["line"] == 2 and "more fields than the header" in p["what"] and "quote" in p["todo"]
    (raw / "manifest.csv").write_bytes("\n".join(lines).encode("utf-16"))
    with pytest.raises(CorpusError, match="manifest is not UTF-8"):
        load(raw)


# ---- YAML data files and parameter files ----------------------------------------------------

BROKEN_YAML = [
    ("framing.yaml", load_lexicon, "categories:\n  war:\n    terms: [a, b\n", 4, "YAML syntax error"),
    ("framing.yaml", load_lexicon, "categories:\n  war:\n    terms: []\n", 2, "has no terms"),
    ("sources.yaml", load_sources, "sources:\n  - name: SANA\n    source_type: oracle\n", 3, "unknown source_type"),
    ("sources.yaml", load_sources, "sources:\n\t- name: SANA\n", 2, "YAML syntax error"),
    ("layout.yaml", load_layout, "boilerplate:\n  - pattern: 'ok'\n  - colour: red\n", 3, "rule without a pattern"),
    ("layout.yaml", load_layout, "boilerplate:\n  - pattern: 'ok'\nfooter:\n  - x\n", 3, "unknown section 'footer'"),
]


@pytest.mark.parametrize(("name", "loader", "text", "line", "message"), BROKEN_YAML,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN_YAML)])
def test_broken_lexicons_name_file_and_line(tmp_path, name, loader, text, line, message):
    shipped = data_dir() / "lexicons" / name
    before = shipped.read_bytes()
    path = tmp_path / name
    shutil.copy(shipped, path)
    path.write_text(text)
    with pytest.raises(LexiconError) as exc:
        loader(path)
    assert exc.value.line == line and message in exc.value.what and str(path) in str(exc.value)
    assert shipped.read_bytes() == before


@pytest.mark.parametrize(("text", "message"), [
    ("outlets: [RT\n", "params.yaml:2: YAML syntax error"),
    ("country: NO\n", "params.yaml:1: unquoted value 'NO' is read by YAML as False"),
    ("- a\n- b\n", "expected a mapping"),
])
def test_broken_parameter_files(tmp_path, text, message):
    path = tmp_path / "params.yaml"
    path.write_text(text)
    with pytest.raises(params.ParameterError, match=re.escape(message)):
        params.load_file(path)


def test_yaml_alias_bomb_and_python_tags_are_refused(tmp_path):
    path = tmp_path / "framing.yaml"
    path.write_text("categories: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(LexiconError, match="YAML syntax error"):
        load_lexicon(path)


# ---- the processed store ---------------------------------------------------------------------

@pytest.fixture
def built(small_raw, tmp_path) -> Path:
    out = tmp_path / "processed"
    assert main(["build", "--raw", str(small_raw), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    return out


def test_a_corrupted_table_is_detected_and_rebuilt(small_raw, built, capsys):
    good = (built / "timex.parquet").read_bytes()
    (built / "timex.parquet").write_bytes(good[: len(good) // 2])
    assert any("timex.parquet does not match build.json" in m for m in store.verify(built))
    assert "timex.parquet" in pipeline.is_stale(small_raw, built)
    assert main(["build", "--raw", str(small_raw), "--out", str(built), "--quiet", "--workers", "1"]) == 0
    assert store.verify(built) == [] and (built / "timex.parquet").read_bytes() == good


def test_a_damaged_build_json_is_detected_and_rebuilt(small_raw, built):
    (built / "build.json").write_text('{"tables": ')
    with pytest.raises(store.StoreError, match="build.json is damaged .* run `newslens build`"):
        store.read_table(built, "articles")
    assert main(["build", "--raw", str(small_raw), "--out", str(built), "--quiet", "--workers", "1"]) == 0
    assert store.verify(built) == []


def test_a_second_build_with_wait_runs_once_the_first_is_done(small_raw, built):
    # The refusal without --wait is tests/test_store.py::test_two_builds_at_once_the_second_refuses_clearly.
    held = threading.Event()

    def first_build():
        with store.build_lock(built):
            held.set()
            time.sleep(1.0)

    t = threading.Thread(target=first_build)
    t.start()
    held.wait(5)
    start = time.monotonic()
    assert main(["build", "--raw", str(small_raw), "--out", str(built), "--quiet", "--workers", "1", "--wait", "20"]) == 0
    t.join()
    assert time.monotonic() - start >= 0.5 and store.verify(built) == []


def test_a_failed_build_keeps_the_previous_tables(small_raw, built, capsys):
    before = snapshot(built)
    (small_raw / "articles" / "wire-2016-12-16.txt").write_text("edited")
    assert main(["build", "--raw", str(small_raw), "--out", str(built), "--quiet", "--workers", "1"]) == 2
    assert "sha256 does not match" in capsys.readouterr().err
    assert snapshot(built) == before


def test_a_bad_corrections_register_stops_the_cli_build(small_raw, built, capsys):
    before = snapshot(built)
    (small_raw.parent / "corrections.csv").write_text("item_id,field,value,reason,author,date\n,drop,,x,jd,2024-01-01\n")
    assert main(["build", "--raw", str(small_raw), "--out", str(built), "--quiet", "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "corrections.csv:2: empty item_id" in err and "Traceback" not in err
    assert snapshot(built) == before


# ---- security ----------------------------------------------------------------------------------

def _calls(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            owner = getattr(f.value, "id", "") if isinstance(f, ast.Attribute) else ""
            out.append((f"{owner}.{name}" if owner else name, node))
    return out


def test_library_never_evaluates_text_or_loads_yaml_unsafely():
    bad = []
    for path in sorted((ROOT / "lib" / "newslens").glob("*.py")):
        for name, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if name in {"eval", "exec", "compile", "builtins.eval", "pickle.loads", "pickle.load"}:
                bad.append(f"{path.name}:{call.lineno}: {name}(")
            if name in {"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.full_load"}:
                loader = {k.arg: ast.unparse(k.value) for k in call.keywords}.get("Loader", "")
                if "SafeLoader" not in loader and "CSafeLoader" not in loader:
                    bad.append(f"{path.name}:{call.lineno}: {name}( without SafeLoader")
    assert bad == []


def test_no_network_at_run_time(small_raw, tmp_path, monkeypatch, capsys):
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert main(["add", "--raw", str(small_raw), str(FIXTURES / "page.html")]) == 0
    assert main(["build", "--raw", str(small_raw), "--out", str(tmp_path / "p"), "--quiet", "--workers", "1"]) == 0
    assert "network access attempted" not in capsys.readouterr().err


def test_article_text_is_data_in_the_manifest_not_markup(tmp_path):
    item = {"title": '<script>alert(1)</script>"=cmd|\' /c calc\'!A0', "text": BODY,
            "outlet": "=HYPERLINK(\"http://x\")", "published": "2016-12-16"}
    raw = tmp_path / "raw"
    [outcome] = ingest.add([_input(tmp_path, "x.json", json.dumps(item))], raw_dir=raw)
    corpus = load(raw)
    assert corpus.articles.loc[0, "outlet"] == item["outlet"]
    assert corpus.texts[outcome.article_ids[0]].startswith("<script>alert(1)</script>")
    assert hashlib.sha256((raw / outcome.added[0].file).read_bytes()).hexdigest() == corpus.articles.loc[0, "sha256"]
