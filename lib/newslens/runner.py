"""Executing notebooks with papermill: kernel name, working folder and timeouts always set.

Each notebook runs in its own `papermill` process (a hung kernel can be killed; parallel runs
do not share an event loop) and writes into a temporary file that is moved into place only
when the run succeeded. Outputs are made deterministic: papermill's timing metadata is dropped.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

KERNEL = "newslens"
CELL_TIMEOUT = 300  # seconds per cell
NOTEBOOK_TIMEOUT = 900  # seconds for a whole notebook, kernel start included
_PORT_CLASH = "Address already in use"


@dataclass
class Run:
    """The outcome of one notebook execution."""

    notebook: str
    status: str  # ok | failed | timeout
    seconds: float
    error: str = ""
    cell: int | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop wall-clock metadata so that the same inputs give the same notebook file."""
    nb.metadata.pop("papermill", None)
    nb.metadata.get("widgets", {}).pop("application/vnd.jupyter.widget-state+json", None)
    if not nb.metadata.get("widgets"):
        nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


def first_error(nb: nbformat.NotebookNode) -> tuple[int | None, str]:
    """(cell number in the source notebook counted from 1, 'Error: message') of the first failing
    cell; cells papermill added (injected parameters, error banners) are not counted."""
    added = {"injected-parameters", "papermill-error-cell-tag"}
    own = [c for c in nb.cells if not added & set(c.get("metadata", {}).get("tags", []))]
    for i, cell in enumerate(own, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"
    return None, ""


def _papermill(cmd: list[str], env: dict[str, str], timeout: int, tmp: Path) -> tuple[int | None, str]:
    """Run papermill in its own process group; (exit code or None on timeout, its stderr).

    Output goes to a file, not a pipe: a kernel child that outlives papermill would hold a pipe
    open and make the caller wait for it. Whatever is left of the group is ended afterwards.
    """
    log = tmp / "papermill.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    return code, log.read_text(encoding="utf-8", errors="replace")


def execute(notebook: str | Path, output: str | Path, *, parameters: dict[str, Any] | None = None,
            cwd: str | Path | None = None, kernel: str = KERNEL, cell_timeout: int = CELL_TIMEOUT,
            timeout: int = NOTEBOOK_TIMEOUT, env: dict[str, str] | None = None) -> Run:
    """Run ``notebook`` into ``output`` (written only on success; a failed run is kept beside it
    as ``<output>.failed.ipynb`` for inspection)."""
    src, dst = Path(notebook).resolve(), Path(output).resolve()
    dst.parent.mkdir(parents=True, exist_ok=True)
    params = parameters or {}
    run_env = {**os.environ, "NEWSLENS_CHARTS": "svg", "PYDEVD_DISABLE_FILE_VALIDATION": "1", **(env or {})}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=dst.parent, prefix=".run-") as tmp:
        tmp_out = Path(tmp) / dst.name
        pfile = Path(tmp) / "parameters.yaml"
        pfile.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
        cmd = [sys.executable, "-m", "papermill", str(src), str(tmp_out), "-f", str(pfile), "-k", kernel,
               "--cwd", str(Path(cwd).resolve() if cwd else src.parent), "--execution-timeout", str(cell_timeout),
               "--no-progress-bar", "--log-level", "ERROR"]
        for attempt in (1, 2):
            returncode, stderr = _papermill(cmd, run_env, timeout, Path(tmp))
            if returncode is None:
                return Run(src.name, "timeout", time.monotonic() - started,
                           f"did not finish within {timeout} s", None, params)
            if returncode == 0 or _PORT_CLASH not in stderr or attempt == 2:
                break
        seconds = time.monotonic() - started
        if tmp_out.exists():
            nb = strip_volatile(nbformat.read(tmp_out, as_version=4))
            cell, err = first_error(nb)
        else:
            nb, cell, err = None, None, ""
        if returncode != 0 or err:
            if nb is not None:
                nbformat.write(nb, dst.with_suffix(".failed.ipynb"))
            tail = err or (stderr.strip().splitlines() or ["papermill failed"])[-1]
            status = "timeout" if "CellTimeoutError" in tail or "Timeout" in tail else "failed"
            return Run(src.name, status, seconds, tail, cell, params)
        nbformat.write(nb, tmp_out)
        os.replace(tmp_out, dst)
    return Run(src.name, "ok", seconds, "", None, params)


def inspect_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares: papermill's reading of its `parameters` cell, completed
    from the cell's own syntax for annotations papermill cannot parse (e.g. ``list | None``)."""
    import ast

    import papermill

    # papermill logs every annotation it cannot parse; those are read below instead.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    found = dict(papermill.inspect_notebook(str(notebook)))
    nb = nbformat.read(notebook, as_version=4)
    cell = next((c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return found
    lines = cell.source.splitlines()
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return found
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id not in found:
            line = lines[node.lineno - 1]
            found[node.target.id] = {
                "name": node.target.id,
                "inferred_type_name": ast.unparse(node.annotation),
                "default": ast.unparse(node.value) if node.value is not None else "None",
                "help": line.split("#", 1)[1].strip() if "#" in line else "",
            }
    return found


def notebooks_in(folder: str | Path) -> list[Path]:
    """Notebooks to run, in dependency order: their numeric prefixes (00_ first)."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb") if not p.name.endswith(".failed.ipynb"))
