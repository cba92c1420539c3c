"""Speed and output check of framing counting (``framing.count``, ``framing.voice_words``).

    python benchmarks/bench_framing.py [--corpus DIR] [-n 1000] [--save | --check] [--ref DIR] [--runs 3]

Runs, as the build does, ``count(c, lexicon, voice=["own", "quoted"], zeros=False)`` and
``voice_words(c)`` on the seeds (data/raw) and chunk by chunk (250 articles, as the build reads
them) on the first N articles of a generated corpus (default /tmp/c1k, written with
``make_corpus.write`` if missing). Prints the CPU seconds of each per chunk (median of
``--runs``). The seeds also run the other voice options, ``zeros=True``, ``segments``,
``sentence_terms`` and ``kwic``, so shared code cannot drift.

``--save`` stores every output as a pickle under ``--ref``; ``--check`` asserts each output
equals the stored one exactly (``pd.testing.assert_frame_equal``: rows, values, dtypes, order)
and exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _reference  # noqa: E402

from newslens import corpus as corpus_mod  # noqa: E402
from newslens import framing, pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 250


def seed_outputs(corpus: Any, lexicon: Any) -> dict[str, Any]:
    """Everything that shares the voice segmentation, on the seeds."""
    out: dict[str, Any] = {
        "segments": framing.segments(corpus),
        "kwic_rebel": framing.kwic(corpus, "rebel", lexicon=lexicon),
        "kwic_word": framing.kwic(corpus, "regime"),
    }
    for voice in ("own", "quoted", "all", ("own", "quoted"), ("own", "all")):
        for zeros in (True, False):
            out[f"count_{'+'.join([voice] if isinstance(voice, str) else voice)}_{zeros}"] = framing.count(
                corpus, lexicon, voice=list(voice) if isinstance(voice, tuple) else voice, zeros=zeros)
    for voice in ("own", "quoted", "all"):
        units, terms, matrix = framing.sentence_terms(corpus, lexicon, voice=voice)
        out[f"sentence_terms_{voice}"] = (units, terms, matrix)
    return out


def same(name: str, got: Any, want: Any) -> bool:
    try:
        if isinstance(want, tuple):
            for g, w in zip(got, want, strict=True):
                if isinstance(w, np.ndarray):
                    np.testing.assert_array_equal(g, w)
                    assert g.dtype == w.dtype
                else:
                    pd.testing.assert_frame_equal(g, w)
        else:
            pd.testing.assert_frame_equal(got, want)
    except AssertionError as e:
        print(f"DIFFERENT: {name}: {e}")
        return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/c1k"))
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ref", type=Path, default=ROOT / "benchmarks" / "out" / "framing-ref")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--save", action="store_true")
    mode.add_argument("--check", action="store_true")
    args = ap.parse_args()

    lexicon = framing.load_lexicon()
    outputs: dict[str, Any] = {}
    seeds = pipeline._english(corpus_mod.load(str(ROOT / "data" / "raw")))
    outputs.update({f"seeds/{k}": v for k, v in seed_outputs(seeds, lexicon).items()})

    totals = []
    for i, c in enumerate([seeds, *_reference.generated_chunks(args.corpus, args.n, CHUNK)]):
        name = "seeds" if i == 0 else f"chunk{i - 1}"
        terms, t_count = _reference.cpu_seconds(lambda: framing.count(c, lexicon, voice=["own", "quoted"], zeros=False), args.runs)
        words, t_words = _reference.cpu_seconds(lambda: framing.voice_words(c), args.runs)
        outputs[f"{name}/terms"], outputs[f"{name}/voice_words"] = terms, words
        print(f"{name:7} {len(c.articles):4} articles: count {t_count:.3f} s  voice_words {t_words:.3f} s"
              f"  together {t_count + t_words:.3f} s  ({len(terms)} term rows)")
        if i:
            totals.append(t_count + t_words)
    print(f"per {CHUNK} articles (median over chunks): {statistics.median(totals):.3f} s for count + voice_words")

    if args.save:
        args.ref.mkdir(parents=True, exist_ok=True)
        (args.ref / "outputs.pkl").write_bytes(pickle.dumps(outputs))
        print(f"saved {len(outputs)} outputs to {args.ref}")
    elif args.check:
        want = pickle.loads((args.ref / "outputs.pkl").read_bytes())
        assert set(want) == set(outputs), set(want) ^ set(outputs)
        ok = all([same(k, outputs[k], want[k]) for k in want])
        print(f"{'identical' if ok else 'DIFFERENT'}: {len(want)} outputs checked against {args.ref}")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
