"""Text reuse: passages two articles share, word for word or nearly (copied wire copy,
republished statements, recycled paragraphs).

Method, in four steps, none of which compares whole texts pairwise:

1. Words are normalised (NFKC, lowercase, punctuation dropped, digits kept: "4,500" → "4500")
   and turned into integer ids; every run of `shingle` consecutive words is hashed.
2. An inverted index (a sort of all shingle hashes) groups the places each shingle occurs.
   A shingle found in more than `max_df` articles (page furniture, stock phrases) is dropped
   from the index, so one common phrase cannot make every pair of articles a candidate.
3. Article pairs sharing enough shingles are seeds; hits on nearby diagonals are clustered and
   each cluster is aligned with `difflib.SequenceMatcher` over the words of a padded window, which
   extends the seed and tolerates small edits ("will be monitored" / "monitored").
4. Aligned passages that overlap are merged; offsets map back to characters of the clean texts.

>>> from types import SimpleNamespace
>>> import pandas as pd
>>> t = "The evacuation operation will be monitored by web cameras along the corridors today."
>>> c = SimpleNamespace(texts={"a": t, "b": "Meanwhile " + t.replace("will be ", "")},
...                     articles=pd.DataFrame({"article_id": ["a", "b"], "published_utc": pd.NaT}))
>>> find(c)[["article_a", "article_b", "n_words"]].values.tolist()
[['a', 'b', 11]]
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, Sequence

import numpy as np
import pandas as pd

COLUMNS = ["article_a", "article_b", "start_a", "end_a", "start_b", "end_b", "n_words",
           "similarity", "text_a", "text_b", "direction"]

# A word: letters/digits, possibly joined by inner punctuation ("4,500", "al-Ramouseh", "21km").
_WORD = re.compile(r"[^\W_]+(?:[.,'’\-][^\W_]+)*")
_NOT_ALNUM = re.compile(r"[\W_]+")
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the polynomial shingle hash


def normalize_word(word: str) -> str:
    """The form two words must share to count as the same word.

    >>> normalize_word("4,500"), normalize_word("Ramouseh’s"), normalize_word("ＡＢＣ")
    ('4500', 'ramousehs', 'abc')
    """
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", word).casefold())


def _ids(texts: Sequence[str]) -> list[np.ndarray]:
    """Each text as an array of word ids; one id per normalised word, assigned in reading order."""
    raw_ids: dict[str, int] = {}
    norm_ids: dict[str, int] = {}
    out = []
    for text in texts:
        ids = []
        for w in _WORD.findall(text):
            i = raw_ids.get(w)
            if i is None:
                i = raw_ids[w] = norm_ids.setdefault(normalize_word(w), len(norm_ids))
            ids.append(i)
        out.append(np.asarray(ids, dtype=np.uint64))
    return out


def _shingles(ids: list[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hash, article index, word position) of every k-word shingle of every article."""
    lengths = np.array([len(a) for a in ids], dtype=np.int64)
    if not len(ids) or lengths.sum() == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty.astype(np.uint64), empty, empty
    flat = np.concatenate(ids)
    n = len(flat) - k + 1
    if n <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty.astype(np.uint64), empty, empty
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrap-around is the hash
        for j in range(k):
            h = h * _BASE + flat[j:j + n] + np.uint64(1)
    article = np.repeat(np.arange(len(ids)), lengths)[:n]
    position = np.arange(n) - np.repeat(np.cumsum(lengths) - lengths, lengths)[:n]
    keep = position + k <= lengths[article]  # no shingle across two articles
    return h[keep], article[keep], position[keep]


def _candidate_hits(h: np.ndarray, art: np.ndarray, pos: np.ndarray, *, max_df: int) -> np.ndarray:
    """Rows (article a, position a, article b, position b), a < b, of shingles two articles share."""
    order = np.lexsort((pos, art, h))
    h, art, pos = h[order], art[order], pos[order]
    # One occurrence per (shingle, article) is enough to seed; alignment finds the rest.
    first = np.ones(len(h), dtype=bool)
    first[1:] = (h[1:] != h[:-1]) | (art[1:] != art[:-1])
    h, art, pos = h[first], art[first], pos[first]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    sizes = np.diff(np.r_[starts, len(h)])
    out = [np.zeros((0, 4), dtype=np.int64)]
    for size in range(2, max_df + 1):
        group = starts[sizes == size]
        if not len(group):
            continue
        i, j = np.triu_indices(size, 1)
        a, b = group[:, None] + i, group[:, None] + j
        out.append(np.stack([art[a].ravel(), pos[a].ravel(), art[b].ravel(), pos[b].ravel()], axis=1))
    return np.concatenate(out)


def _clusters(hits: np.ndarray, *, gap: int, drift: int) -> list[np.ndarray]:
    """Group one pair's hits (pos a, pos b) that lie close together on nearby diagonals."""
    hits = hits[np.lexsort((hits[:, 1], hits[:, 0]))]
    open_: list[list[int]] = []
    groups: list[list[int]] = []
    for n, (pa, pb) in enumerate(hits):
        for g in open_:
            la, lb = hits[g[-1]]
            if pa - la <= gap and abs((pb - pa) - (lb - la)) <= drift:
                g.append(n)
                break
        else:
            g = [n]
            open_.append(g)
            groups.append(g)
        open_ = [g for g in open_ if pa - hits[g[-1]][0] <= gap]
    return [hits[g] for g in groups]


def _align(wa: np.ndarray, wb: np.ndarray, ra: tuple[int, int], rb: tuple[int, int], *,
           min_words: int, max_gap: int, min_block: int) -> list[tuple[int, int, int, int, int]]:
    """Aligned passages in the windows ra of a and rb of b: (start a, end a, start b, end b, matched)."""
    sm = difflib.SequenceMatcher(None, wa[ra[0]:ra[1]].tolist(), wb[rb[0]:rb[1]].tolist(), autojunk=False)
    blocks = [blk for blk in sm.get_matching_blocks() if blk.size >= min_block]
    runs: list[list[Any]] = []
    for blk in blocks:
        if runs and blk.a - runs[-1][-1].a - runs[-1][-1].size <= max_gap and blk.b - runs[-1][-1].b - runs[-1][-1].size <= max_gap:
            runs[-1].append(blk)
        else:
            runs.append([blk])
    out = []
    for run in runs:
        # A two-word match at either edge is usually chance ("the militants"), not the copy.
        while len(run) > 1 and run[-1].size < 3:
            run.pop()
        while len(run) > 1 and run[0].size < 3:
            run.pop(0)
        matched = sum(blk.size for blk in run)
        if matched >= min_words:
            first, last = run[0], run[-1]
            out.append((ra[0] + first.a, ra[0] + last.a + last.size, rb[0] + first.b, rb[0] + last.b + last.size, matched))
    return out


def _merge(passages: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Union passages overlapping on both sides (one copied paragraph found from two seeds)."""
    merged: list[list[int]] = []
    for sa, ea, sb, eb, _ in sorted(passages):
        if merged and sa <= merged[-1][1] and sb <= merged[-1][3] and eb >= merged[-1][2]:
            m = merged[-1]
            m[1], m[2], m[3] = max(m[1], ea), min(m[2], sb), max(m[3], eb)
        else:
            merged.append([sa, ea, sb, eb])
    return [tuple(m) for m in merged]  # type: ignore[misc]


def _direction(ta: Any, tb: Any) -> str:
    if pd.isna(ta) or pd.isna(tb) or ta == tb:
        return "unknown"
    return "a→b" if ta < tb else "b→a"


def find(corpus: Any, min_words: int = 8, *, shingle: int = 5, max_df: int = 50, pad: int = 12,
         max_gap: int = 4, min_similarity: float = 0.6) -> pd.DataFrame:
    """The reuse table: passages of at least `min_words` matched words shared by two articles.

    `shingle` words make a seed; shingles in more than `max_df` articles are ignored as stock
    phrases; `pad` words around each seed cluster are aligned, so copies are extended through
    edits of up to `max_gap` words; `similarity` is difflib's ratio of the two passages' words.
    `direction` says which side was published first ("a→b": a is the likely source).
    """
    k = max(2, min(shingle, min_words))
    arts = corpus.articles.sort_values("article_id", kind="stable")
    ids_ = list(arts["article_id"])
    published = dict(zip(arts["article_id"], arts.get("published_utc", pd.Series(pd.NaT, index=arts.index))))
    texts = [corpus.texts[a] for a in ids_]
    words = _ids(texts)
    hits = _candidate_hits(*_shingles(words, k), max_df=max_df)
    rows = []
    if len(hits):
        pair_key = hits[:, 0] * len(ids_) + hits[:, 2]
        order = np.argsort(pair_key, kind="stable")
        hits, pair_key = hits[order], pair_key[order]
        bounds = np.flatnonzero(np.r_[True, pair_key[1:] != pair_key[:-1], True])
        spans: dict[int, list[tuple[int, int]]] = {}
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            if hi - lo < min_words - k + 1:  # too few shared shingles for a passage this long
                continue
            a, b = int(hits[lo, 0]), int(hits[lo, 2])
            found = []
            for cl in _clusters(hits[lo:hi][:, [1, 3]], gap=pad, drift=max_gap):
                ra = (max(0, int(cl[:, 0].min()) - pad), min(len(words[a]), int(cl[:, 0].max()) + k + pad))
                rb = (max(0, int(cl[:, 1].min()) - pad), min(len(words[b]), int(cl[:, 1].max()) + k + pad))
                found += _align(words[a], words[b], ra, rb, min_words=min_words, max_gap=max_gap, min_block=2)
            for sa, ea, sb, eb in _merge(found):
                for i in (a, b):
                    spans.setdefault(i, [m.span() for m in _WORD.finditer(texts[i])]) if i not in spans else None
                sim = difflib.SequenceMatcher(None, words[a][sa:ea].tolist(), words[b][sb:eb].tolist(), autojunk=False).ratio()
                n = sum(blk.size for blk in difflib.SequenceMatcher(
                    None, words[a][sa:ea].tolist(), words[b][sb:eb].tolist(), autojunk=False).get_matching_blocks())
                if sim < min_similarity or n < min_words:
                    continue
                ca, cb = (spans[a][sa][0], spans[a][ea - 1][1]), (spans[b][sb][0], spans[b][eb - 1][1])
                rows.append({"article_a": ids_[a], "article_b": ids_[b], "start_a": ca[0], "end_a": ca[1],
                             "start_b": cb[0], "end_b": cb[1], "n_words": n, "similarity": round(sim, 4),
                             "text_a": texts[a][ca[0]:ca[1]], "text_b": texts[b][cb[0]:cb[1]],
                             "direction": _direction(published.get(ids_[a]), published.get(ids_[b]))})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.astype({c: "int64" for c in ("start_a", "end_a", "start_b", "end_b", "n_words")})
    out = out.astype({"similarity": "float64"})
    return out.sort_values(["article_a", "article_b", "start_a", "start_b"], kind="stable").reset_index(drop=True)
