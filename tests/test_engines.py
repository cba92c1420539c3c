"""The build gives the same tables on one process, on worker processes and on a Dask cluster."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from newslens import pipeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402  (the benchmark corpus generator)

N = int(os.environ.get("NEWSLENS_ENGINE_TEST_ARTICLES", "1000"))
CHUNK = 100

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return make_corpus.write(N, tmp_path_factory.mktemp("gen") / "raw", seed=3)


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.parquet"))}


@pytest.fixture(scope="module")
def single(generated, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single")
    pipeline.build(generated, out, workers=1, chunk_size=CHUNK)
    return out


def test_generated_corpus_is_deterministic(tmp_path):
    a = make_corpus.write(5, tmp_path / "a", seed=9)
    b = make_corpus.write(5, tmp_path / "b", seed=9)
    assert (a / "manifest.csv").read_bytes() == (b / "manifest.csv").read_bytes()


def test_worker_processes_equal_a_single_process(generated, single, tmp_path):
    pipeline.build(generated, tmp_path, workers=2, chunk_size=CHUNK)
    assert _tables(tmp_path) == _tables(single)


def test_dask_local_cluster_equals_the_local_engine(generated, single, tmp_path):
    pipeline.build(generated, tmp_path, engine="dask", workers=2, chunk_size=CHUNK)
    assert _tables(tmp_path) == _tables(single)


def test_peak_memory_follows_the_chunk_not_the_corpus(generated, single):
    # Each chunk's tables are written as they finish: the staged parts are chunk-sized row groups.
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(single / "sentences.parquet").metadata
    assert meta.num_row_groups == -(-N // CHUNK)
