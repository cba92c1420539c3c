"""`newslens report`: run every notebook with papermill and publish offline HTML reports.

A run writes `reports/<run-id>/` with each executed notebook, a self-contained HTML page per
notebook (inline SVG charts, no script at all, a Content-Security-Policy that forbids scripts
and network requests), the table behind every chart as CSV, `index.html` and `run.json`.
`reports/latest` moves to a run only when every notebook succeeded.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
from tqdm.auto import tqdm

import newslens
from newslens import params as P
from newslens import pipeline, runner, store
from newslens.charts import TABLE_MIME
from newslens.problems import NewslensError

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
PACKAGES = ["newslens", "pandas", "pyarrow", "altair", "vl-convert-python", "papermill", "nbconvert",
            "ipykernel", "ipywidgets", "jupyterlab", "nbval"]
STYLE = """
body{font-family:DejaVu Sans,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
table{border-collapse:collapse;font-size:13px;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f2f2f2}pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:12px}
.input_area{border-left:3px solid #ddd;margin:.5em 0}.jp-RenderedSVG,.output_svg{overflow-x:auto}
a{color:#0645ad}.failed{color:#a00}.ok{color:#060}
"""


class ReportError(NewslensError):
    pass


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def notebook_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Static HTML for an executed notebook: no scripts, no CDN, charts as inline SVG."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    # Belt and braces: the CSP already forbids scripts; none should be there at all.
    body = re.sub(r"<script\b[^>]*>.*?</script\s*>", "", body, flags=re.S | re.I)
    body = _SVG_IMG.sub(_inline_svg, body)
    return _page(title, body)


# nbconvert embeds SVG outputs as base64 <img>; inline them so the charts are part of the page
# (selectable text, countable marks) — vl-convert's SVG escapes all text, and the CSP forbids scripts.
_SVG_IMG = re.compile(r'<img\b[^>]*?src="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"[^>]*>')


def _inline_svg(m: re.Match[str]) -> str:
    svg = base64.b64decode(m.group(1)).decode("utf-8")
    svg = re.sub(r"<\?xml[^>]*>", "", svg)
    svg = re.sub(r"<script\b.*?</script\s*>", "", svg, flags=re.S | re.I)
    return f'<div class="chart">{svg}</div>'


def chart_tables(nb: nbformat.NotebookNode) -> dict[str, list[list[Any]]]:
    """Name → rows (header first) of every chart's table kept in the notebook's outputs."""
    out: dict[str, list[list[Any]]] = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            t = o.get("data", {}).get(TABLE_MIME)
            if t:
                out[t["name"]] = [t["columns"], *t["data"]]
    return out


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def collect_parameters(notebooks: list[Path], params_file: str | None, assignments: list[str]) -> dict[str, Any]:
    """Parameters for the run, validated against every notebook's parameters cell."""
    specs = {nb.name: runner.inspect_parameters(nb) for nb in notebooks}
    declared: dict[str, str] = {}
    for s in specs.values():
        declared.update(P.declared_types(s))
    values: dict[str, Any] = P.load_file(params_file) if params_file else {}
    for item in assignments:
        key, value = P.parse_assignment(item, declared.get(item.split("=", 1)[0].strip()))
        values[key] = value
    problems = P.validate(values, specs)
    if problems:
        raise P.ParameterError("parameters do not fit the notebooks; nothing was run:\n  " + "\n  ".join(problems))
    return values


def example_parameters(notebooks: list[Path]) -> str:
    """A documented YAML file of every notebook parameter with its default (for `--params`)."""
    lines = [
        "# Parameters for `newslens report --params FILE.yaml` (or `-p name=value`).",
        "# Each notebook takes the names listed under it; a name shared by several notebooks is",
        "# passed to each. `processed_dir` and `raw_dir` are set by `newslens report` itself.",
        "# Quote text values: YAML 1.1 reads unquoted NO as false and 01234 as 668.",
        "",
    ]
    seen: set[str] = set()
    for nb in notebooks:
        specs = runner.inspect_parameters(nb)
        lines.append(f"# --- {nb.stem}")
        for name, spec in specs.items():
            if name in {"processed_dir", "raw_dir"}:
                continue
            comment = f"  # {spec['inferred_type_name']}: {spec['help']}".rstrip(": ")
            prefix = "# " if name in seen else ""
            default = spec["default"].replace("None", "null").replace("True", "true").replace("False", "false")
            lines.append(f"{prefix}{name}: {default}{comment}")
            seen.add(name)
        lines.append("")
    return "\n".join(lines)


def _versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def _index(run_id: str, runs: list[runner.Run], values: dict[str, Any]) -> str:
    rows = []
    for r in runs:
        stem = Path(r.notebook).stem
        link = f'<a href="{html.escape(stem)}.html">{html.escape(stem)}</a>' if r.status == "ok" else html.escape(stem)
        detail = html.escape(f"cell {r.cell}: {r.error}" if r.error else "")
        csvs = "".join(f' <a href="{html.escape(stem)}/{html.escape(c)}">{html.escape(c)}</a>'
                       for c in sorted(getattr(r, "csv", [])))
        rows.append(f"<tr><td>{link}</td><td class=\"{r.status}\">{r.status}</td><td>{r.seconds:.1f} s</td>"
                    f"<td>{detail}</td><td>{csvs}</td></tr>")
    ptable = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(json.dumps(v, ensure_ascii=False))}</td></tr>"
                     for k, v in sorted(values.items())) or "<tr><td colspan=2>notebook defaults</td></tr>"
    body = (
        f"<h1>newslens report {html.escape(run_id)}</h1>"
        "<h2>Notebooks</h2><table><tr><th>notebook</th><th>status</th><th>time</th><th>error</th><th>chart data (CSV)</th></tr>"
        + "".join(rows) + "</table>"
        "<h2>Parameters</h2><table><tr><th>name</th><th>value</th></tr>" + ptable + "</table>"
        "<p>Each page is self-contained and opens with no network. Run details: "
        "<a href=\"run.json\">run.json</a>.</p>"
    )
    return _page(f"newslens report {run_id}", body)


def _point_latest(out: Path, run_id: str) -> None:
    tmp = out / f".latest-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(run_id, tmp)
    os.replace(tmp, out / "latest")


def run(*, raw: str = "data/raw", processed: str = "data/processed", out: str = "reports",
        notebooks_dir: str = "notebooks", only: list[str] | None = None, params_file: str | None = None,
        assignments: list[str] | None = None, jobs: int = 2, timeout: int = runner.NOTEBOOK_TIMEOUT,
        progress: bool = True, run_id: str | None = None) -> tuple[Path, list[runner.Run]]:
    """Execute the notebooks and publish a report run; returns (run folder, runs)."""
    nbs = runner.notebooks_in(notebooks_dir)
    if only:
        wanted = {Path(n).stem for n in only}
        unknown = wanted - {nb.stem for nb in nbs}
        if unknown:
            raise ReportError(f"no such notebook(s): {', '.join(sorted(unknown))} in {notebooks_dir}")
        nbs = [nb for nb in nbs if nb.stem in wanted]
    if not nbs:
        raise ReportError(f"no notebooks found in {notebooks_dir}")
    values = collect_parameters(nbs, params_file, assignments or [])

    why = pipeline.is_stale(raw, processed)
    if why:
        if progress:
            print(f"building {processed}: {why}")
        pipeline.build(raw, processed)
    processed_abs, raw_abs = str(Path(processed).resolve()), str(Path(raw).resolve())

    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    run_id = run_id or datetime.now(timezone.utc).strftime("run-%Y%m%dT%H%M%SZ")
    rundir = outdir / run_id
    n = 1
    while rundir.exists():
        n += 1
        rundir = outdir / f"{run_id}-{n}"
    rundir.mkdir()
    run_id = rundir.name

    def one(nb: Path) -> runner.Run:
        declared = runner.inspect_parameters(nb)
        p = {k: v for k, v in values.items() if k in declared}
        if "processed_dir" in declared:
            p["processed_dir"] = processed_abs
        if "raw_dir" in declared:
            p["raw_dir"] = raw_abs
        return runner.execute(nb, rundir / nb.name, parameters=p, cwd=nb.parent, timeout=timeout)

    runs: list[runner.Run] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for r in tqdm(pool.map(one, nbs), total=len(nbs), desc="notebooks", unit="nb", disable=not progress):
            runs.append(r)

    for r in runs:
        r.csv = []  # type: ignore[attr-defined]
        if r.status != "ok":
            continue
        nb = nbformat.read(rundir / r.notebook, as_version=4)
        stem = Path(r.notebook).stem
        (rundir / f"{stem}.html").write_text(notebook_html(nb, stem), encoding="utf-8")
        tables = chart_tables(nb)
        if tables:
            (rundir / stem).mkdir(exist_ok=True)
        for name, rows in sorted(tables.items()):
            _write_csv(rundir / stem / f"{name}.csv", rows)
            r.csv.append(f"{name}.csv")  # type: ignore[attr-defined]

    ok = all(r.status == "ok" for r in runs)
    build = store.read_build(processed)
    record = {
        "run_id": run_id,
        "status": "ok" if ok else "failed",
        "parameters": values,
        "newslens_version": newslens.__version__,
        "packages": _versions(),
        "inputs": build.get("inputs", {}),
        "tables": build.get("tables", {}),
        "notebooks": [{"notebook": r.notebook, "status": r.status, "seconds": round(r.seconds, 2),
                       "cell": r.cell, "error": r.error, "parameters": r.parameters} for r in runs],
    }
    (rundir / "run.json").write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    (rundir / "index.html").write_text(_index(run_id, runs, values), encoding="utf-8")
    if ok:
        _point_latest(outdir, run_id)
    else:
        (rundir / "FAILED").write_text("".join(f"{r.notebook}: cell {r.cell}: {r.error}\n" for r in runs if r.status != "ok"))
    return rundir, runs
