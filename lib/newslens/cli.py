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

    meta = pipeline.build(args.raw, args.out, progress=not args.quiet, wait=args.wait, engine=args.engine,
                          workers=args.workers, scheduler=args.scheduler, chunk_size=args.chunk_size, reuse=args.reuse)
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


def _cmd_report(args: argparse.Namespace) -> int:
    from newslens import report

    rundir, runs = report.run(raw=args.raw, processed=args.processed, out=args.out, notebooks_dir=args.dir,
                              only=args.notebooks, params_file=args.params, assignments=args.p, jobs=args.jobs,
                              timeout=args.timeout, progress=not args.quiet)
    for r in runs:
        line = f"{r.status:>7}  {r.notebook}  {r.seconds:.1f}s"
        if r.status != "ok":
            line += f"  — cell {r.cell}: {r.error}" if r.cell else f"  — {r.error}"
        print(line)
    failed = [r for r in runs if r.status != "ok"]
    if failed:
        print(f"report FAILED: {len(failed)} notebook(s) failed; partial run kept in {rundir} "
              f"(see *.failed.ipynb); {args.out}/latest was not changed", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"report: {rundir / 'index.html'}  (latest → {rundir.name})")
    return 0


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from newslens import pipeline, runner

    why = pipeline.is_stale(args.raw, args.processed)
    if why:
        print(f"building {args.processed}: {why}")
        pipeline.build(args.raw, args.processed)
    failed = 0
    for nb in runner.notebooks_in(args.dir):
        if args.only and nb.stem not in args.only and nb.name not in args.only:
            continue
        run = runner.execute(nb, nb, cwd=nb.parent)
        print(f"{run.status:>7}  {nb.name}  {run.seconds:.1f}s" + (f"  cell {run.cell}: {run.error}" if run.error else ""))
        failed += run.status != "ok"
    return EXIT_PROBLEMS if failed else 0


def _cmd_add(args: argparse.Namespace) -> int:
    from newslens import ingest

    options = ingest.Options(outlet=args.outlet, published=args.published, url=args.url, affiliation=args.affiliation,
                             byline=args.byline, language=args.language, article_id=args.id)
    outcomes = ingest.add(args.paths, raw_dir=args.raw, options=options)
    for line in ingest.summary(outcomes):
        print(line)
    return EXIT_PROBLEMS if any(o.error for o in outcomes) else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newslens", description="Compare how outlets reported the same event.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="rebuild data/processed from data/raw")
    b.add_argument("--raw", default="data/raw")
    b.add_argument("--out", default="data/processed")
    b.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another build to finish")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local worker processes (default) or a Dask cluster")
    b.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a LocalCluster)")
    b.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    b.add_argument("--chunk-size", type=int, default=250, help="articles per chunk (peak memory grows with it)")
    b.add_argument("--reuse", action=argparse.BooleanOptionalAction, default=None,
                   help="detect text reuse (default: for corpora of up to 20,000 articles)")
    b.set_defaults(func=_cmd_build)

    c = sub.add_parser("check", help="validate data/raw and list every problem")
    c.add_argument("--raw", default="data/raw")
    c.set_defaults(func=_cmd_check)

    r = sub.add_parser("report", help="run every notebook with papermill into offline HTML reports")
    r.add_argument("--raw", default="data/raw")
    r.add_argument("--processed", default="data/processed")
    r.add_argument("--params", help="YAML file of parameters (see reports/params.example.yaml)")
    r.add_argument("-p", action="append", default=[], metavar="KEY=VALUE", help="one parameter (repeatable)")
    r.add_argument("--out", default="reports")
    r.add_argument("--dir", default="notebooks", help="folder of the notebooks")
    r.add_argument("--notebooks", nargs="+", help="run only these notebooks (names without .ipynb)")
    r.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    r.add_argument("--timeout", type=int, default=900, help="seconds allowed per notebook")
    r.add_argument("--quiet", action="store_true")
    r.set_defaults(func=_cmd_report)

    n = sub.add_parser("notebooks", help="re-execute the notebooks in place (their stored outputs)")
    n.add_argument("--dir", default="notebooks")
    n.add_argument("--raw", default="data/raw")
    n.add_argument("--processed", default="data/processed", help="rebuilt first if stale (the notebooks read their own default)")
    n.add_argument("only", nargs="*", help="notebook names to run (default: all)")
    n.set_defaults(func=_cmd_notebooks)

    a = sub.add_parser("add", help="copy article files into data/raw and register them in the manifest")
    a.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .md, .html/.htm or .json (see README)")
    a.add_argument("--raw", default="data/raw")
    a.add_argument("--outlet", default="", help="the outlet as readers know it (else taken from the page)")
    a.add_argument("--published", default="", help="2016-12-16T12:00:00+00:00, or 2016-12-16 if only the day is known")
    a.add_argument("--url", default="")
    a.add_argument("--affiliation", default="", help="who owns or funds the outlet")
    a.add_argument("--byline", default="")
    a.add_argument("--language", default="", help="ISO 639-1 code (else guessed from the text)")
    a.add_argument("--id", default="", help="article_id (default <outlet>-<yyyy-mm-dd>)")
    a.set_defaults(func=_cmd_add)
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
