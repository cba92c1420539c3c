"""`newslens report`: offline self-contained pages, chart tables as CSV, run records, failure
handling, and article text that stays text (an injection canary in a title)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from newslens import report
from newslens.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_every_notebook_ran(canary_run):
    rundir, runs = canary_run
    assert runs and all(r.status == "ok" for r in runs), [(r.notebook, r.cell, r.error) for r in runs]
    assert (rundir.parent / "latest").resolve() == rundir.resolve()


def test_run_record(canary_run):
    rundir, runs = canary_run
    record = json.loads((rundir / "run.json").read_text())
    assert record["status"] == "ok"
    assert {n["notebook"] for n in record["notebooks"]} == {r.notebook for r in runs}
    assert record["packages"]["pandas"] and record["inputs"]["manifest_sha256"]
    assert all(n["seconds"] > 0 for n in record["notebooks"])


def test_pages_are_self_contained_and_script_free(canary_run):
    rundir, runs = canary_run
    pages = [rundir / "index.html"] + [rundir / f"{Path(r.notebook).stem}.html" for r in runs]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html
        assert not re.search(r"<script", html, re.I), page.name
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I), page.name
        # Parsed as a browser would: escaped text (&lt;img onerror=…) is inert, real tags are not.
        assert _active_markup(html) == [], page.name


def _active_markup(html: str) -> list[str]:
    """Script elements and event-handler attributes in ``html`` (what could run)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in {"script", "iframe", "object", "embed"}:
                found.append(tag)
            found.extend(f"{tag} {name}" for name, _ in attrs if name.lower().startswith("on"))
            found.extend(f"{tag} {name}" for name, value in attrs
                         if name.lower() in {"href", "src"} and (value or "").strip().lower().startswith("javascript:"))

    Scan().feed(html)
    return found


def test_canary_shows_as_text(canary_run):
    rundir, _ = canary_run
    html = (rundir / "00_corpus.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "Canary Wire &lt;img src=x&gt;" in html


def test_chart_tables_are_saved_as_csv(canary_run):
    rundir, runs = canary_run
    csvs = sorted(rundir.glob("*/*.csv"))
    assert (rundir / "00_corpus" / "words_by_kind.csv").is_file()
    header = (rundir / "00_corpus" / "words_by_kind.csv").read_text().splitlines()[0]
    assert header.startswith("article_id,kind,words")
    index = (rundir / "index.html").read_text()
    for c in csvs:
        assert f"{c.parent.name}/{c.name}" in index


def _notebook(path: Path, *sources: str) -> None:
    nb = new_notebook(metadata={"kernelspec": {"name": "newslens", "display_name": "Python (newslens)", "language": "python"}})
    cells = [new_code_cell('processed_dir: str = "../data/processed"  # tables'), *map(new_code_cell, sources)]
    cells[0].metadata["tags"] = ["parameters"]
    nb.cells = cells
    nbformat.write(nb, path)


@pytest.fixture
def scratch(seed_raw, tmp_path):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    _notebook(nbdir / "00_ok.ipynb", "print('fine')")
    return seed_raw, nbdir, tmp_path


def _args(raw, nbdir, tmp, *extra):
    return ["report", "--raw", str(raw), "--processed", str(tmp / "processed"), "--out", str(tmp / "reports"),
            "--dir", str(nbdir), "--quiet", *extra]


def test_a_failing_notebook_fails_the_run_and_keeps_latest(scratch, capsys):
    raw, nbdir, tmp = scratch
    assert main(_args(raw, nbdir, tmp)) == 0
    good = (tmp / "reports" / "latest").resolve()
    _notebook(nbdir / "01_broken.ipynb", "x = 1", "raise ValueError('deliberate failure')")
    assert main(_args(raw, nbdir, tmp)) == 1
    out, err = capsys.readouterr()
    assert "01_broken.ipynb" in out and "cell 3" in out and "ValueError: deliberate failure" in out
    assert "report FAILED" in err and "latest was not changed" in err
    assert (tmp / "reports" / "latest").resolve() == good
    failed = [d for d in (tmp / "reports").iterdir() if (d / "FAILED").exists()]
    assert len(failed) == 1
    assert json.loads((failed[0] / "run.json").read_text())["status"] == "failed"
    assert (failed[0] / "01_broken.failed.ipynb").is_file()


def test_a_timeout_is_a_failure_not_a_hang(scratch, capsys):
    raw, nbdir, tmp = scratch
    _notebook(nbdir / "01_slow.ipynb", "import time\ntime.sleep(120)")
    assert main(_args(raw, nbdir, tmp, "--timeout", "20")) == 1
    assert "timeout" in capsys.readouterr().out
    assert not (tmp / "reports" / "latest").exists()


def test_parameters_are_validated_before_anything_runs(scratch, capsys):
    raw, nbdir, tmp = scratch
    assert main(_args(raw, nbdir, tmp, "-p", "outlet=RT")) == 2
    assert "unknown parameter 'outlet'" in capsys.readouterr().err
    assert not (tmp / "reports").exists() or not any((tmp / "reports").iterdir())


def test_unknown_notebook_name(scratch, capsys):
    raw, nbdir, tmp = scratch
    assert main(_args(raw, nbdir, tmp, "--notebooks", "99_nothing")) == 2
    assert "no such notebook" in capsys.readouterr().err


def test_two_notebook_runs_give_identical_files(tmp_path):
    from newslens import runner

    nb = ROOT / "notebooks" / "00_corpus.ipynb"
    a = runner.execute(nb, tmp_path / "a" / nb.name, cwd=nb.parent)
    b = runner.execute(nb, tmp_path / "b" / nb.name, cwd=nb.parent)
    assert a.status == b.status == "ok", (a.error, b.error)
    assert (tmp_path / "a" / nb.name).read_bytes() == (tmp_path / "b" / nb.name).read_bytes()
