"""Shared fixtures: throw-away raw corpora built from the seeds or from scratch."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"

# CI runs a bounded number of examples with no deadline (shared machines have noisy clocks).
settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci")

MANIFEST_COLUMNS = [
    "article_id", "file", "outlet", "affiliation", "url", "published", "byline", "language",
    "encoding", "sha256", "republished_from", "attribution_note",
]


@pytest.fixture
def seed_raw(tmp_path: Path) -> Path:
    """A private copy of data/raw (tests may damage it)."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst


class RawBuilder:
    """Builds a raw folder article by article, as a journalist (or a mistake) would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "articles").mkdir(parents=True, exist_ok=True)
        self.rows: list[dict[str, str]] = []

    def add(self, article_id: str, data: bytes | str, *, name: str | None = None, **fields: str) -> dict[str, str]:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        name = name or f"{article_id}.txt"
        (self.root / "articles" / name).write_bytes(raw)
        row = {
            "article_id": article_id, "file": f"articles/{name}", "outlet": "Test Outlet",
            "affiliation": "", "url": "", "published": "2016-12-16T12:00:00+00:00", "byline": "",
            "language": "en", "encoding": "utf-8", "sha256": hashlib.sha256(raw).hexdigest(),
            "republished_from": "", "attribution_note": "test",
        }
        row.update(fields)
        self.rows.append(row)
        return row

    def write(self, columns: list[str] | None = None) -> Path:
        cols = columns or MANIFEST_COLUMNS
        with open(self.root / "manifest.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
            w.writeheader()
            w.writerows(self.rows)
        return self.root


@pytest.fixture
def raw_builder(tmp_path: Path) -> RawBuilder:
    return RawBuilder(tmp_path / "raw")


@pytest.fixture(scope="session")
def seed_corpus():
    from newslens.corpus import load

    return load(RAW)


CANARY_TITLE = 'Evacuation halted </script><script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> – Canary Wire'
CANARY_BODY = (
    "At least 1,200 people left <b>eastern</b> Aleppo on Thursday, the agency said.\n\n"
    "“We saw </script><script>window.__pwned=3</script> buses,” a witness told Canary Wire.\n"
)


def _add_canary(raw: Path) -> None:
    text = f"{CANARY_TITLE}\n\n{CANARY_BODY}".encode("utf-8")
    (raw / "articles" / "canary.txt").write_bytes(text)
    with open(raw / "manifest.csv", "a", encoding="utf-8") as f:
        f.write(f"canary-2016-12-16,articles/canary.txt,Canary Wire <img src=x>,test,,2016-12-16T10:00:00+00:00,,en,utf-8,"
                f"{hashlib.sha256(text).hexdigest()},,injection test,minute,\n")


@pytest.fixture(scope="session")
def canary_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("canary")
    raw = base / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    _add_canary(raw)
    from newslens import report

    rundir, runs = report.run(raw=str(raw), processed=str(base / "processed"), out=str(base / "reports"),
                              notebooks_dir=str(ROOT / "notebooks"), jobs=2, progress=False)
    return rundir, runs


