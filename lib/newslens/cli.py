"""`newslens` on the command line: build, check, report, notebooks, add.

User mistakes end with a message that says what to do and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from newslens.problems import CorpusError, NewslensError, format_problem

EXIT_PROBLEMS = 1  # the input has problems (check found some; a notebook failed)
EXIT_USAGE = 2  # the command could not run as asked


def _cmd_build(args: argparse.Namespace) -> int:
    from newslens import pipeline

    meta = pipeline.build(args.raw, args.out, progress=not args.quiet, wait=args.wait)
    rows = ", ".join(f"{k} {v['rows']}" for k, v in sorted(meta["tables"].items()))
    print(f"built {args.out}: {rows}")
    if meta["problems"]["warning"]:
        print(f"{meta['problems']['warning']} warning(s) recorded in problems.parquet — see `newslens check`")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from newslens.corpus import load
    from newslens.layout import load_layout

    load_layout()  # a broken layout file is a problem of its own, reported with its line
    corpus = load(args.raw)
    for row in corpus.problems.to_dict("records"):
        print(format_problem(row))
    n_err = len(corpus.errors)
    n_warn = len(corpus.problems) - n_err
    print(f"{len(corpus.articles)} article(s) loaded; {n_err} error(s), {n_warn} warning(s)")
    return EXIT_PROBLEMS if len(corpus.problems) else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newslens", description="Compare how outlets reported the same event.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="rebuild data/processed from data/raw")
    b.add_argument("--raw", default="data/raw")
    b.add_argument("--out", default="data/processed")
    b.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another build to finish")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_cmd_build)

    c = sub.add_parser("check", help="validate data/raw and list every problem")
    c.add_argument("--raw", default="data/raw")
    c.set_defaults(func=_cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CorpusError as exc:
        print(f"newslens {args.command}: {exc}", file=sys.stderr)
        print("Nothing was written. Fix the rows above, then run the command again.", file=sys.stderr)
        return EXIT_USAGE
    except NewslensError as exc:
        print(f"newslens {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; the previous processed tables are intact", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
