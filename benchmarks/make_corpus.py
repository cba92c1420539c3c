"""Generate a deterministic benchmark corpus: N articles with a manifest, from the seeds.

    python benchmarks/make_corpus.py 100000 --out benchmarks/out/corpus-100k [--seed 0] [--words 1000]

Each article recombines paragraphs of the five seed articles (data/raw) in a new order, with
every number perturbed (same number of digits), weekdays and month days shuffled, and an outlet
and publication time drawn from a fixed list — so the extractors have real work to do and no
cache can recognise a repeated text. Page chrome lines ("READ MORE: …", "2 min read") and
quotes come along with their paragraphs. The same N and seed always give the same bytes.

Importable: `texts(n, seed=0)` yields the article texts alone (used by the other benchmarks).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "raw" / "articles"
OUTLETS = [
    ("RT", "Russian state-funded"), ("Sputnik", "Russian state-funded"), ("TASS", "Russian state news agency"),
    ("Fars News Agency", "Iranian state media"), ("Press TV", "Iranian state media"), ("SANA", "Syrian state media"),
    ("The New Arab", "Qatari-owned"), ("Al Jazeera English", "Qatari state-funded"), ("Anadolu Agency", "Turkish state news agency"),
    ("The Interpreter", "US-government-funded"), ("Reuters", "news agency"), ("AFP", "news agency"),
    ("Associated Press", "news agency"), ("BBC News", "UK public broadcaster"), ("The Guardian", "UK newspaper"),
    ("Syrian Observatory", "opposition-leaning monitor"), ("Enab Baladi", "Syrian opposition media"),
    ("Orient News", "Syrian opposition media"), ("Al-Masdar News", "pro-government Syrian site"), ("Daily Sabah", "Turkish newspaper"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER_RE = re.compile(r"\d+")
_WEEKDAY_RE = re.compile(r"\b(?:%s)\b" % "|".join(WEEKDAYS))
_DAY_RE = re.compile(r"\b(December|Dec) (\d{1,2})\b")


def _paragraphs() -> list[str]:
    paras = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paras += [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 3]
    return paras


def _perturb(text: str, rng: random.Random) -> str:
    def number(m: re.Match[str]) -> str:
        digits = m.group()
        first = str(rng.randint(1, 9)) if len(digits) > 1 else str(rng.randint(0, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    text = _NUMBER_RE.sub(number, text)
    text = _WEEKDAY_RE.sub(lambda m: rng.choice(WEEKDAYS), text)
    return _DAY_RE.sub(lambda m: f"{m.group(1)} {rng.randint(1, 28)}", text)


def _article(paras: list[str], rng: random.Random, words: int) -> str:
    title = _perturb(rng.choice(paras).split(". ")[0][:140], rng)
    body, count = [], 0
    while count < words:
        p = _perturb(rng.choice(paras), rng)
        body.append(p)
        count += len(p.split())
    return title + "\n\n" + "\n\n".join(body) + "\n"


def texts(n: int, *, seed: int = 0, words: int = 1_000) -> Iterator[str]:
    """The article texts of a generated corpus, in order."""
    rng = random.Random(seed)
    paras = _paragraphs()
    for _ in range(n):
        yield _article(paras, rng, words)


def write(n: int, out: Path, *, seed: int = 0, words: int = 1_000) -> Path:
    """Write `out/articles/…` and `out/manifest.csv` (+ story.yaml); returns `out`."""
    rng = random.Random(seed + 1)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "story.yaml").write_text("title: generated benchmark corpus\nevent_timezone: Asia/Damascus\n", encoding="utf-8")
    rows = []
    for i, text in enumerate(texts(n, seed=seed, words=words)):
        outlet, affiliation = OUTLETS[rng.randrange(len(OUTLETS))]
        day, hour, minute = rng.randint(12, 23), rng.randint(0, 23), rng.randint(0, 59)
        slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")
        aid = f"{slug}-{i:06d}"
        rel = f"articles/{i // 1000:03d}/{aid}.txt"
        data = text.encode("utf-8")
        path = out / rel
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        rows.append({
            "article_id": aid, "file": rel, "outlet": outlet, "affiliation": affiliation, "url": "",
            "published": f"2016-12-{day:02d}T{hour:02d}:{minute:02d}:00+00:00", "byline": "", "language": "en",
            "encoding": "utf-8", "sha256": hashlib.sha256(data).hexdigest(), "republished_from": "",
            "attribution_note": f"generated from the seed articles (seed {seed})",
        })
    with open(out / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["article_id"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of articles")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--words", type=int, default=1_000, help="about this many words per article")
    args = p.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out} exists and is not empty; choose another --out", file=sys.stderr)
        return 2
    write(args.n, args.out, seed=args.seed, words=args.words)
    print(f"wrote {args.n} articles to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
