"""Time `newslens.reuse.find` on N synthetic ~1,000-word articles.

    .venv/bin/python benchmarks/bench_reuse.py 10000

Articles are built deterministically (seeded) from the seed articles' sentences with their words
shuffled and a fifth replaced from the seed vocabulary, so they read like the story but share no
passages by accident; every 50th article receives a true copy (60 words, two edits) of a passage
of the article before it. Prints articles/s, peak memory and how many planted copies were found.
"""

from __future__ import annotations

import random
import re
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from newslens.reuse import find

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "articles"


def synthetic(n: int, *, seed: int = 2016, words_per_article: int = 1000, every: int = 50):
    rng = random.Random(seed)
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    sentences = [s.split() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 12]  # short ones repeat by chance once shuffled
    vocab = sorted({w for s in sentences for w in s})
    texts, planted = {}, []
    for i in range(n):
        out: list[str] = []
        while len(out) < words_per_article:
            words = list(rng.choice(sentences))
            rng.shuffle(words)
            out += [rng.choice(vocab) if rng.random() < 0.2 else w for w in words]
        if i % every == every - 1:
            source = texts[f"s{i - 1:06d}"].split()
            at = rng.randrange(0, len(source) - 60)
            copy = source[at:at + 60]
            copy[20], copy[40] = "however", "reportedly"  # small edits inside the copy
            where = rng.randrange(0, len(out))
            out[where:where] = copy
            planted.append((f"s{i - 1:06d}", f"s{i:06d}"))
        texts[f"s{i:06d}"] = " ".join(out)
    articles = pd.DataFrame({"article_id": list(texts), "published_utc": pd.Timestamp("2016-12-16", tz="UTC")})
    return SimpleNamespace(texts=texts, articles=articles), planted


def main(n: int) -> None:
    corpus, planted = synthetic(n)
    t0 = time.perf_counter()
    table = find(corpus)
    seconds = time.perf_counter() - t0
    pairs = set(zip(table["article_a"], table["article_b"]))
    found = sum(p in pairs for p in planted)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} articles, {sum(len(t.split()) for t in corpus.texts.values()):,} words: "
          f"find {seconds:.1f} s, {n / seconds:,.0f} articles/s, peak memory {peak_mb:,.0f} MB; "
          f"planted copies found {found}/{len(planted)}, other pairs reported {len(pairs - set(planted))}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
