"""The build: raw corpus → extractors → processed store, on local processes or a Dask cluster.

`build()` checks the manifest, then processes articles in chunks: each chunk is read, cleaned,
split into sentences and run through every per-article extractor (pure functions of the
corpus). Chunks run in worker processes (default: all cores) or on Dask (`engine="dask"`),
and their tables are written as Parquet parts as they finish, so memory depends on the chunk
size, not on the corpus. Cross-article tables (claims, reuse) are computed at the end from the
stored parts. The parts are then assembled and moved into place atomically with `build.json`.
Every engine gives byte-identical tables for the same inputs and chunk size.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

import newslens
from newslens import corrections, store
from newslens.corpus import Corpus, articles_frame, build_article, language_problems, sentences_frame
from newslens.layout import Layout, load_layout
from newslens.lexicons import data_dir
from newslens.manifest import MANIFEST, STORY, Row, check_rows, read_file, read_story
from newslens.problems import CorpusError, Problem, problems_frame

CHUNK_SIZE = 250  # articles per chunk: the unit of parallel work and of peak memory
REUSE_MAX_ARTICLES = 20_000  # above this, reuse detection runs on request only (see README)
ENGINES = ("local", "dask")
CHUNK_GC_THRESHOLD = (50_000, 20, 100)  # garbage-collector thresholds while a chunk is processed


def _english(corpus: Corpus) -> Corpus:
    """The corpus restricted to what the extractors can read (English); others stay listed."""
    keep = corpus.articles["language"].str.lower().str.startswith("en")
    if keep.all():
        return corpus
    ids = set(corpus.articles.loc[keep, "article_id"])
    return Corpus(
        articles=corpus.articles[keep].reset_index(drop=True),
        sentences=corpus.sentences[corpus.sentences["article_id"].isin(ids)].reset_index(drop=True),
        texts={k: v for k, v in corpus.texts.items() if k in ids},
        problems=corpus.problems, cleaned={k: v for k, v in corpus.cleaned.items() if k in ids},
        raw_dir=corpus.raw_dir, story=corpus.story,
    )


def extract_articles(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Every per-article extractor (each article's rows depend on that article alone)."""
    from newslens import figures, framing, sources, timeline, timex

    c = _english(corpus)
    out: dict[str, pd.DataFrame] = {}
    out["timex"] = timex.from_corpus(c)
    out["attributions"] = sources.attribute(c)
    out["events"] = timeline.events(c, out["timex"], attributions=out["attributions"])
    out["voice"] = sources.voice(c, out["attributions"])
    out["disputes"] = sources.disputes(c, out["attributions"])
    out["figures"] = figures.from_corpus(c, attributions=out["attributions"], timex=out["timex"], voice=out["voice"])
    out["terms"] = framing.count(c, _framing_lexicon(), voice=["own", "quoted"], zeros=False)
    out["voice_words"] = framing.voice_words(c)
    return out


def extract_cross(tables: dict[str, pd.DataFrame], corpus: Corpus | None) -> dict[str, pd.DataFrame]:
    """Tables that compare articles: claim groups across outlets, and text reuse.

    ``tables`` holds "disputes" and either "figures" or "claim_rows" (`claims.claim_rows` of
    the figures, which a large build makes a part at a time)."""
    from newslens import claims, reuse

    rows = tables["claim_rows"] if "claim_rows" in tables else claims.claim_rows(tables["figures"])
    out = {"claims": claims.compare_rows(rows, disputes=tables["disputes"])}
    if corpus is not None:
        out["reuse"] = reuse.find(_english(corpus))
    return out


def extract(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """All extracted tables for an in-memory corpus."""
    tables = extract_articles(corpus)
    tables.update(extract_cross(tables, corpus))
    return tables


@lru_cache(maxsize=1)
def _framing_lexicon():
    from newslens import framing

    return framing.load_lexicon()


@lru_cache(maxsize=1)
def _layout() -> Layout:
    return load_layout()


# ---- inputs ---------------------------------------------------------------------------------

def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(raw_dir: str | Path, lexicon_dir: str | Path | None = None,
                 corrections_path: str | Path | None = None) -> dict[str, Any]:
    """What a build depends on: the manifest, story settings, every lexicon file, and the code.

    Article files are covered by the manifest's sha256 column (the build checks each).
    """
    raw = Path(raw_dir)
    lex = Path(lexicon_dir) if lexicon_dir else data_dir() / "lexicons"
    manifest, story = raw / MANIFEST, raw / STORY
    code = hashlib.sha256()
    for path in sorted(Path(newslens.__file__).parent.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "story_sha256": _sha(story) if story.is_file() else "",
        "newslens_version": newslens.__version__,
        "code_sha256": code.hexdigest(),
        "manifest_sha256": _sha(manifest) if manifest.is_file() else "",
        "lexicons": {p.name: _sha(p) for p in sorted(lex.glob("*.yaml"))} if lex.is_dir() else {},
        "corrections_sha256": _sha(corr) if (corr := Path(corrections_path or corrections.default_path(raw))).is_file() else "",
    }


def is_stale(raw_dir: str | Path, processed_dir: str | Path) -> str:
    """Why the processed tables must be rebuilt, or '' when they are current."""
    bad = store.verify(processed_dir)
    if bad:
        return bad[0]
    built = store.read_build(processed_dir).get("inputs", {})
    now = input_hashes(raw_dir)
    for key in sorted(now):
        if built.get(key) != now[key]:
            return f"{key} changed since the last build"
    return ""


# ---- chunks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chunk:
    index: int
    raw_dir: str
    rows: tuple[Row, ...]
    story: tuple[tuple[str, str], ...]


def chunk_corpus(chunk: Chunk) -> tuple[Corpus, list[Problem]]:
    """Read, clean and split the articles of one chunk."""
    story = dict(chunk.story)
    problems: list[Problem] = []
    arts, sents, cleaned = [], [], {}
    for item in chunk.rows:
        entry, found = read_file(chunk.raw_dir, item)
        problems += found
        if entry is None:
            continue
        article, rows, c = build_article(entry, _layout(), default_tz=story["event_timezone"])
        arts.append(article)
        sents.extend(rows)
        cleaned[article["article_id"]] = c
    articles = articles_frame(arts)
    problems += language_problems(articles)
    corpus = Corpus(articles=articles, sentences=sentences_frame(sents),
                    texts={aid: c.text for aid, c in cleaned.items()}, problems=problems_frame(problems),
                    cleaned=cleaned, raw_dir=chunk.raw_dir, story=story)
    return corpus, problems


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """A chunk allocates hundreds of thousands of small objects that all live until its tables
    are made; at the default thresholds the garbage collector walks them over and over (about a
    tenth of the build). Rarer young-generation collections for the chunk, then the old
    thresholds back; memory stays bounded by the chunk, which is freed as a whole."""
    old = gc.get_threshold()
    gc.set_threshold(*CHUNK_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def chunk_tables(chunk: Chunk) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every per-article table for one chunk (pure: reads the chunk's files, writes nothing)."""
    with _few_collections():
        corpus, problems = chunk_corpus(chunk)
        tables = {"articles": corpus.articles, "sentences": corpus.sentences,
                  "texts": pd.DataFrame({"article_id": list(corpus.texts), "text": list(corpus.texts.values())},
                                        columns=["article_id", "text"]).astype("str")}
        tables.update(extract_articles(corpus))
    return tables, problems


def _run_chunk_to_parts(job: tuple[Chunk, str]) -> tuple[int, list[Problem]]:
    """Worker: process a chunk and write its tables as parts (local process engine)."""
    chunk, staging = job
    tables, problems = chunk_tables(chunk)
    store.write_part(staging, chunk.index, tables)
    return chunk.index, problems


def _chunks(raw_dir: str, rows: list[Row], story: dict[str, str], size: int) -> list[Chunk]:
    rows = sorted(rows, key=lambda r: r.row["article_id"])
    frozen = tuple(sorted(story.items()))
    return [Chunk(i, raw_dir, tuple(rows[s : s + size]), frozen) for i, s in enumerate(range(0, len(rows), size))]


def _run_local(chunks: list[Chunk], staging: str, workers: int, bar: tqdm) -> Iterator[list[Problem]]:
    jobs = [(c, staging) for c in chunks]
    if workers <= 1 or len(chunks) <= 1:
        for job in jobs:
            _, problems = _run_chunk_to_parts(job)
            bar.update(len(job[0].rows))
            yield problems
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, maxtasksperchild=50) as pool:
        for index, problems in pool.imap(_run_chunk_to_parts, jobs):
            bar.update(len(chunks[index].rows))
            yield problems


def _run_dask(chunks: list[Chunk], staging: str, workers: int, scheduler: str | None, bar: tqdm) -> Iterator[list[Problem]]:
    """The same chunk function on a Dask cluster; tables come back to this process, which writes
    the parts, so workers need no shared filesystem (only the raw folder must be readable)."""
    from dask.distributed import Client, LocalCluster

    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                  dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = client.map(chunk_tables, chunks, pure=False)
        for chunk, fut in zip(chunks, futures):
            tables, problems = fut.result()
            store.write_part(staging, chunk.index, tables)
            fut.release()
            bar.update(len(chunk.rows))
            yield problems
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def build(raw_dir: str | Path = "data/raw", out_dir: str | Path = "data/processed", *,
          progress: bool = False, wait: float = 0.0, engine: str = "local", workers: int | None = None,
          scheduler: str | None = None, chunk_size: int = CHUNK_SIZE, reuse: bool | None = None,
          corrections_path: str | Path | None = None) -> dict[str, Any]:
    """Check, extract and store. Raises CorpusError (every problem) if the corpus has errors.

    ``reuse``: run text-reuse detection (default: when the corpus has at most
    REUSE_MAX_ARTICLES articles). ``corrections_path``: the corrections register (default
    `data/corrections.csv` beside the raw folder), applied after extraction.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    raw = str(raw_dir)
    rows, problems = check_rows(raw)
    story, story_problems = read_story(raw)
    problems += story_problems
    workers = workers or os.cpu_count() or 1
    chunks = _chunks(raw, rows, story, max(1, chunk_size))
    register = corrections.load(corrections_path or corrections.default_path(raw_dir))
    out = Path(out_dir)
    with store.build_lock(out, wait=wait):
        return _build_locked(raw, raw_dir, out, rows, problems, chunks, engine=engine, workers=workers,
                             scheduler=scheduler, chunk_size=chunk_size, reuse=reuse, progress=progress,
                             register=register)


def _build_locked(raw: str, raw_dir: str | Path, out: Path, rows: list[Row], problems: list[Problem],
                  chunks: list[Chunk], *, engine: str, workers: int, scheduler: str | None, chunk_size: int,
                  reuse: bool | None, progress: bool, register: corrections.Register) -> dict[str, Any]:
    staging = tempfile.mkdtemp(prefix=".staging-", dir=out)
    try:
        with tqdm(total=len(rows), desc="articles", unit="art", disable=not progress or len(rows) < 200) as bar:
            runs = _run_dask(chunks, staging, workers, scheduler, bar) if engine == "dask" else \
                _run_local(chunks, staging, workers, bar)
            for found in runs:
                problems += found
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise CorpusError(errors)
        problems += corrections.apply_staged(staging, register)
        n_articles = store.count_rows(staging, "articles")
        cross_corpus = None
        if reuse or (reuse is None and n_articles <= REUSE_MAX_ARTICLES):
            cross_corpus = store.staged_corpus(staging)
        elif reuse is None:
            problems.append(Problem("warning", raw, None, f"text reuse not computed for {n_articles} articles",
                                    "run `newslens build --reuse` to compute it (memory grows with the corpus)"))
        # Figures enter claims a part at a time, so the sentences of ~1.7 million figures (at
        # 100,000 articles) are never in memory together; only their claim rows are.
        from newslens import claims

        rows = [claims.claim_rows(part) for part in store.iter_staged(staging, "figures", columns=claims.COMPARE_COLUMNS)]
        rows = [r for r in rows if len(r)]
        staged = {"claim_rows": pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(),
                  "disputes": store.read_staged(staging, "disputes")}
        cross = extract_cross(staged, cross_corpus)
        if "reuse" not in cross:
            from newslens import reuse as reuse_mod

            cross["reuse"] = pd.DataFrame(columns=reuse_mod.COLUMNS)
        cross["problems"] = problems_frame(problems)
        store.write_part(staging, 0, cross)
        del rows, staged, cross, cross_corpus  # written: free them before the tables are joined
        meta = {
            "inputs": input_hashes(raw_dir, corrections_path=register.path),
            "articles": int(n_articles),
            "chunk_size": int(chunk_size),
            "problems": {"warning": int(sum(p.severity == "warning" for p in problems))},
        }
        return store.assemble(staging, out, meta)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
