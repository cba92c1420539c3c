"""The build: raw corpus → extractors → processed store.

`build()` loads and checks the raw corpus, refuses to go on when it cannot be trusted (every
problem listed at once), runs each extractor (pure functions of the corpus), and writes the
tables atomically with `build.json` recording what they were made from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

import newslens
from newslens import store
from newslens.corpus import Corpus, load
from newslens.lexicons import data_dir
from newslens.manifest import MANIFEST, STORY
from newslens.problems import CorpusError, Problem


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


def extract(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Run every extractor over the corpus; tables that depend on others get them passed in."""
    from newslens import figures, framing, reuse, sources, timeline, timex

    c = _english(corpus)
    out: dict[str, pd.DataFrame] = {}
    out["timex"] = timex.from_corpus(c)
    out["attributions"] = sources.attribute(c)
    out["events"] = timeline.events(c, out["timex"], attributions=out["attributions"])
    out["voice"] = sources.voice(c, out["attributions"])
    out["disputes"] = sources.disputes(c, out["attributions"])
    out["figures"] = figures.from_corpus(c, attributions=out["attributions"], timex=out["timex"], voice=out["voice"])
    out["claims"] = figures.compare(out["figures"], disputes=out["disputes"])
    out["reuse"] = reuse.find(c)
    out["terms"] = framing.count(c, framing.load_lexicon(), voice=["own", "quoted"], zeros=False)
    out["voice_words"] = framing.voice_words(c)
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(raw_dir: str | Path, lexicon_dir: str | Path | None = None) -> dict[str, Any]:
    """What a build depends on: the manifest, every lexicon file, and the package code.

    Article files are covered by the manifest's sha256 column (the loader checks each).
    """
    raw = Path(raw_dir)
    lex = Path(lexicon_dir) if lexicon_dir else data_dir() / "lexicons"
    manifest = raw / MANIFEST
    code = hashlib.sha256()
    for path in sorted(Path(newslens.__file__).parent.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return {
        "newslens_version": newslens.__version__,
        "code_sha256": code.hexdigest(),
        "manifest_sha256": _sha(manifest) if manifest.is_file() else "",
        "lexicons": {p.name: _sha(p) for p in sorted(lex.glob("*.yaml"))} if lex.is_dir() else {},
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


def build_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """Every processed table for a loaded corpus (pure: no I/O)."""
    tables = {"articles": corpus.articles, "sentences": corpus.sentences}
    tables.update(extract(corpus))
    tables["problems"] = corpus.problems
    return tables


def build(raw_dir: str | Path = "data/raw", out_dir: str | Path = "data/processed", *,
          progress: bool = False, wait: float = 0.0) -> dict[str, Any]:
    """Load, extract and store. Raises CorpusError (all problems) if the corpus has errors."""
    corpus = load(raw_dir, progress=progress)
    if len(corpus.errors):
        raise CorpusError([Problem(**{k: (None if pd.isna(v) else v) for k, v in r.items()})
                           for r in corpus.errors.to_dict("records")])
    tables = build_tables(corpus)
    meta = {
        "inputs": input_hashes(raw_dir),
        "articles": int(len(corpus.articles)),
        "problems": {"warning": int((corpus.problems["severity"] == "warning").sum())},
    }
    with store.build_lock(out_dir, wait=wait):
        return store.write_tables(out_dir, tables, meta)
