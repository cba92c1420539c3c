"""Throughput of the figure extractor on a generated news corpus, in one process.

Usage: ``python benchmarks/bench_figures.py [N_ARTICLES]`` (default 300). The corpus is
``make_corpus.texts(N, seed=7)``: deterministic articles of about 1,000 words recombined from
paragraphs of the seed articles (data/raw), every number perturbed, so the extractor meets new
values in familiar prose. Prints articles/s for ``extract_rows`` (what a corpus-level caller
uses) and for ``extract`` (one DataFrame per article), each the median of 3 runs, CPU time of
this process.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus  # noqa: E402

from newslens._figure_extract import extract, extract_rows  # noqa: E402


def corpus(n_articles: int, *, words: int = 1_000, seed: int = 7) -> list[str]:
    """``n_articles`` generated articles of about ``words`` words each."""
    return list(make_corpus.texts(n_articles, seed=seed, words=words))


def rate(func, texts: list[str], *, runs: int = 3) -> float:
    """Median articles/s of ``func`` over ``texts`` across ``runs`` runs (process CPU time)."""
    rates = []
    for _ in range(runs):
        begin = time.process_time()
        for text in texts:
            func(text)
        rates.append(len(texts) / (time.process_time() - begin))
    return statistics.median(rates)


def main(argv: list[str]) -> dict[str, float]:
    texts = corpus(int(argv[0]) if argv else 300)
    mean_words = sum(len(t.split()) for t in texts) / len(texts)
    result = {"articles": len(texts), "mean_words": mean_words,
              "extract_rows": rate(extract_rows, texts), "extract": rate(extract, texts)}
    print(f"{len(texts)} generated articles, mean {mean_words:,.0f} words")
    print(f"extract_rows: {result['extract_rows']:,.0f} articles/s (median of 3)")
    print(f"extract (DataFrame): {result['extract']:,.0f} articles/s (median of 3)")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
