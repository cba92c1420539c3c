"""Speed and output check of the corpus-level figure code (``figures.from_corpus``, ``figures.compare``).

    python benchmarks/bench_figures_corpus.py [--corpus DIR] [-n 1000] [--save | --check] [--ref DIR]

Runs ``from_corpus`` on the seeds (data/raw) and, chunk by chunk (100 articles, as the build
reads them), on the first N articles of a generated corpus (default /tmp/c1k, written with
``make_corpus.write`` if missing); then ``compare`` and ``inconsistencies`` on the figures, and
``compare`` once more on the generated figures tiled to 10,000 articles (ids made unique), the
size the end of a large build meets. Prints articles/s for ``from_corpus`` (first chunk) and
seconds for ``compare`` (CPU time of this process, median of ``--runs``).

The input tables (timex, attributions, voice, disputes) are stored with the reference
(``--save``) and read back by ``--check``, so a change elsewhere cannot mask or fake a
difference here; ``--check`` asserts every output equals the stored Parquet exactly (rows,
values, dtypes, order) and exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _reference  # noqa: E402
from _reference import add_options, finish, save_or_check  # noqa: E402

from newslens import corpus as corpus_mod  # noqa: E402
from newslens import figures, sources, timex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 100
TILED_ARTICLES = 10_000


def input_tables(corpus: Any) -> dict[str, pd.DataFrame]:
    at = sources.attribute(corpus)
    return {"timex": timex.from_corpus(corpus), "attributions": at, "voice": sources.voice(corpus, at),
            "disputes": sources.disputes(corpus, at)}


def figures_of(corpus: Any, t: dict[str, pd.DataFrame], **kw: Any) -> pd.DataFrame:
    return figures.from_corpus(corpus, attributions=t["attributions"], timex=t["timex"], voice=t["voice"], **kw)


def tiled(frame: pd.DataFrame, copies: int, id_columns: list[str]) -> pd.DataFrame:
    """``copies`` copies of ``frame``, each copy's ids suffixed so articles stay distinct."""
    parts = [frame.assign(**{c: frame[c] + f"~{i}" for c in id_columns}) for i in range(copies)]
    return pd.concat(parts, ignore_index=True)


def tile_ids(frame: pd.DataFrame, copies: int) -> pd.DataFrame:
    """Tiled figures; ``figure_id`` keeps its ``-fNN`` ending after the suffixed sentence id."""
    out = tiled(frame, copies, ["article_id", "sentence_id"])
    return out.assign(figure_id=out["sentence_id"] + "-" + out["figure_id"].str.rsplit("-", n=1).str[1])


def outputs(label: str, corpora: list[Any], inputs: list[dict[str, pd.DataFrame]], runs: int) -> dict[str, pd.DataFrame]:
    """Every output table of one data set, printing timings as it goes."""
    n = sum(len(c.articles) for c in corpora)
    first, seconds = _reference.cpu_seconds(lambda: figures_of(corpora[0], inputs[0]), runs)
    per = len(corpora[0].articles)
    print(f"{label}: {n} articles; from_corpus {seconds:.3f} s for {per} articles = {per / seconds:,.0f} articles/s")
    figs = pd.concat([first] + [figures_of(c, t) for c, t in zip(corpora[1:], inputs[1:])], ignore_index=True)
    disputes = pd.concat([t["disputes"] for t in inputs], ignore_index=True)
    claims, seconds = _reference.cpu_seconds(lambda: figures.compare(figs, disputes=disputes), runs)
    print(f"  compare {seconds:.3f} s over {len(figs):,} figures -> {len(claims):,} claims")
    out = {"figures": figs, "claims": claims, "inconsistencies": figures.inconsistencies(figs),
           "claims_ref": figures.compare(figs, disputes=disputes, reference=figures.load_reference())}
    if label == "seeds":
        out["figures_boilerplate"] = figures_of(corpora[0], inputs[0], include_boilerplate=True)
    else:
        copies = -(-TILED_ARTICLES // n)
        big = tile_ids(figs, copies)
        big_disputes = tiled(disputes, copies, ["article_id"])
        out["claims_tiled"], seconds = _reference.cpu_seconds(lambda: figures.compare(big, disputes=big_disputes), 1)
        print(f"  compare {seconds:.3f} s over {len(big):,} figures of {n * copies:,} articles "
              f"-> {len(out['claims_tiled']):,} claims")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=Path("/tmp/c1k"), help="a generated corpus folder")
    p.add_argument("-n", type=int, default=1000, help="articles of the generated corpus to read")
    p.add_argument("--ref", type=Path, default=ROOT / "benchmarks" / "out" / "figures-corpus-ref")
    p.add_argument("--runs", type=int, default=3)
    add_options(p, save_help="store inputs and outputs as the reference")
    args = p.parse_args(argv)
    data = {"seeds": [corpus_mod.load(ROOT / "data" / "raw")], "generated": _reference.generated_chunks(args.corpus, args.n, CHUNK)}
    failures = []
    for label, corpora in data.items():
        stored = args.ref / f"{label}-inputs.pkl"
        if args.check:
            inputs = pickle.loads(stored.read_bytes())
        else:
            inputs = [input_tables(c) for c in corpora]
        tables = outputs(label, corpora, inputs, args.runs)
        failures += save_or_check(tables, args, label)
        if args.save:
            stored.write_bytes(pickle.dumps(inputs))
    return finish(failures, args)


if __name__ == "__main__":
    sys.exit(main())
