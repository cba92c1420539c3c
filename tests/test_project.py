"""The project's own promises: environment files in step, notebooks with real stored outputs,
a README whose first screen has exactly the two commands."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in project["dependencies"] + extras["test"] + extras["dask"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {_name(r) for r in pip if not r.startswith("-")}
    assert listed == wanted
    assert "python=3.11" in env["dependencies"] and "pip" in env["dependencies"]
    assert '-e ".[test,dask]"' in pip


def test_lock_pins_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = (ROOT / "requirements.lock").read_text().lower().replace("_", "-")
    pinned = {line.split("==")[0] for line in lock.splitlines() if "==" in line}
    deps = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    assert {_name(r) for r in deps} <= pinned


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_stored_outputs_from_a_clean_run(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code checks nothing"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "run it with `make notebooks`"
    assert sum(len(c.outputs) for c in code) >= len(code) // 2, "stored outputs are missing"
    assert code[0].metadata.get("tags") == ["parameters"], "first code cell is the parameters cell"
    for c in code:
        assert not any(o.get("output_type") == "error" for o in c.outputs)
        assert "papermill" not in c.metadata and "execution" not in c.metadata


def test_readme_first_screen_gives_exactly_two_commands():
    text = (ROOT / "README.md").read_text()
    first = text.split("\n---")[0]
    block = re.findall(r"```sh\n(.*?)```", first, flags=re.S)
    assert len(block) == 1
    commands = [l.split("#")[0].strip() for l in block[0].splitlines() if l.strip()]
    assert commands == ["make report", "make test"]


def test_processed_folder_is_ignored_but_documented():
    ignore = (ROOT / ".gitignore").read_text()
    assert "data/processed/*" in ignore and "!lib/" in ignore
    assert (ROOT / "data" / "processed" / "README.md").is_file()


def test_params_example_documents_every_parameter_and_loads():
    from newslens import params, report, runner

    path = ROOT / "reports" / "params.example.yaml"
    notebooks = runner.notebooks_in(ROOT / "notebooks")
    assert path.read_text() == report.example_parameters(notebooks), "regenerate with `make params`"
    values = params.load_file(path)
    specs = {nb.name: runner.inspect_parameters(nb) for nb in notebooks}
    assert params.validate(values, specs) == []


def test_kernels_skip_the_slow_iri_grammar_unless_asked():
    import subprocess

    probe = "import newslens, altair, jsonschema; print('iri' in jsonschema.FormatChecker().checkers)"
    run = lambda env: subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,  # noqa: E731
                                     env={**os.environ, **env}, check=True).stdout.strip()
    assert run({}) == "False"
    assert run({"NEWSLENS_IRI_CHECKS": "1"}) == "True"
