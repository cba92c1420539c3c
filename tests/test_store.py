"""The processed store: atomic, deterministic, and honest about damage."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pandas as pd
import pytest

from newslens import pipeline, store
from newslens.cli import main


@pytest.fixture
def built(seed_raw, tmp_path) -> Path:
    out = tmp_path / "processed"
    pipeline.build(seed_raw, out)
    return out


def test_build_writes_tables_and_build_json(built):
    meta = json.loads((built / "build.json").read_text())
    assert {"articles", "sentences", "problems"} <= set(meta["tables"])
    assert meta["tables"]["articles"]["rows"] == 5
    assert "manifest_sha256" in meta["inputs"] and "code_sha256" in meta["inputs"]
    assert store.verify(built) == []
    arts = store.read_table(built, "articles")
    assert arts["published_utc"].dt.tz is not None


def test_two_builds_are_byte_identical(seed_raw, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pipeline.build(seed_raw, a)
    pipeline.build(seed_raw, b)
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in b.iterdir() if not p.name.startswith("."))
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_corrupted_table_is_detected(built):
    path = built / "sentences.parquet"
    path.write_bytes(path.read_bytes()[:100])
    assert any("sentences.parquet" in m for m in store.verify(built))
    with pytest.raises(store.StoreError, match="run `newslens build`"):
        store.read_table(built, "sentences")


def test_staleness_follows_the_inputs(seed_raw, built):
    assert pipeline.is_stale(seed_raw, built) == ""
    with open(seed_raw / "manifest.csv", "a", encoding="utf-8") as f:
        f.write("")  # unchanged content keeps it current
    assert pipeline.is_stale(seed_raw, built) == ""
    (seed_raw / "manifest.csv").write_text((seed_raw / "manifest.csv").read_text() + "\n")
    assert "manifest" in pipeline.is_stale(seed_raw, built)


def test_a_failed_write_leaves_the_previous_tables(built, monkeypatch):
    before = {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()}

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_write_json", boom)
    with pytest.raises(OSError):
        store.write_tables(built, {"articles": store.read_table(built, "articles")}, {})
    after = {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()}
    assert before == after
    assert not [p for p in built.iterdir() if ".tmp-" in p.name]


def _slow_build(raw: str, out: str) -> None:
    # Stalls between writing the temporary tables and moving them into place.
    original = store._write_json

    def slow(obj, path):
        time.sleep(30)
        original(obj, path)

    store._write_json = slow
    pipeline.build(raw, out)


def test_sigkill_mid_write_keeps_the_previous_tables(seed_raw, built):
    before = {p.name: p.read_bytes() for p in built.iterdir() if p.suffix in {".parquet", ".json"}}
    ctx = multiprocessing.get_context("fork")
    proc = ctx.Process(target=_slow_build, args=(str(seed_raw), str(built)))
    proc.start()
    deadline = time.monotonic() + 20
    while not list(built.glob(".*.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(built.glob(".*.tmp-*")), "the build never reached the write"
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    after = {p.name: p.read_bytes() for p in built.iterdir() if p.suffix in {".parquet", ".json"}}
    assert before == after
    assert store.verify(built) == []


def test_two_builds_at_once_the_second_refuses_clearly(seed_raw, built, capsys):
    with store.build_lock(built):
        assert main(["build", "--raw", str(seed_raw), "--out", str(built), "--quiet"]) == 2
    assert "another `newslens build`" in capsys.readouterr().err


def test_contract_breach_writes_nothing(built):
    bad = pd.DataFrame({"article_id": ["a", "a"]})
    with pytest.raises(Exception, match="breaks its contract"):
        store.write_tables(built, {"articles": bad}, {})
    assert store.verify(built) == []
