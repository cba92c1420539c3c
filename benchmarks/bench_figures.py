"""Throughput of the figure extractor on a generated news corpus, in one process.

Usage: ``python benchmarks/bench_figures.py [N_ARTICLES]`` (default 300). The corpus is
deterministic: sentences of the seed articles (``/work/shared/seeds/*.txt``) are shuffled with a
fixed seed and recombined into articles of about 1,000 words, and every number in them is
perturbed (digits replaced by others of the same length), so the extractor meets new values in
familiar prose. Prints articles/s for ``extract_rows`` (what a corpus-level caller uses) and for
``extract`` (one DataFrame per article), each the median of 3 runs, CPU time of this process.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

from newslens._figure_extract import extract, extract_rows

SEEDS = Path("/work/shared/seeds")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_DIGIT_RE = re.compile(r"\d")


def corpus(n_articles: int, *, words: int = 1_000, seed: int = 7) -> list[str]:
    """``n_articles`` generated articles of about ``words`` words each."""
    rng = random.Random(seed)
    sentences = [s.strip() for p in sorted(SEEDS.glob("*.txt"))
                 for s in _SENTENCE_RE.split(p.read_text(encoding="utf-8")) if s.strip()]
    articles = []
    for _ in range(n_articles):
        parts, count = [], 0
        while count < words:
            sentence = _DIGIT_RE.sub(lambda m: str(rng.randint(0, 9)), rng.choice(sentences))
            parts.append(sentence)
            count += len(sentence.split())
        articles.append(" ".join(parts))
    return articles


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
