# newslens — the front door. `make` alone prints this menu.
# Every target is a thin call to the CLI or pytest; logic lives in lib/newslens.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := newslens
RAW    ?= data/raw
PROCESSED ?= data/processed

.DEFAULT_GOAL := help
.PHONY: help setup report build check test test-fast notebooks params bench lock clean

help:  ## print this menu
	@awk 'BEGIN{FS=":.*## "} /^[a-z-]+:.*## /{printf "  make %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (newslens)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)  ## create .venv with the pinned lock, install newslens (editable), register the kernel

build: $(STAMP)  ## rebuild data/processed from data/raw
	$(BIN)/newslens build --raw $(RAW) --out $(PROCESSED)

check: $(STAMP)  ## validate data/raw and list every problem
	$(BIN)/newslens check --raw $(RAW)

report: $(STAMP)  ## set up if needed, (re)build the tables if stale, run every notebook into reports/
	$(BIN)/newslens report --raw $(RAW) --processed $(PROCESSED) --out reports

test: $(STAMP)  ## build the tables, then run every test: unit, property, notebooks (nbval), browser
	$(BIN)/newslens build --raw $(RAW) --out $(PROCESSED) --quiet
	$(BIN)/python -m pytest tests --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

test-fast: $(STAMP)  ## library tests only (no notebooks, no browser)
	$(BIN)/python -m pytest tests -m "not browser and not slow"

notebooks: $(STAMP)  ## re-execute every notebook in place (stored outputs for nbval)
	$(BIN)/newslens notebooks --processed $(PROCESSED)

params: $(STAMP)  ## regenerate reports/params.example.yaml from the notebooks' parameters cells
	$(BIN)/python -c "from newslens import report, runner; print(report.example_parameters(runner.notebooks_in('notebooks')), end='')" > reports/params.example.yaml

bench: $(STAMP)  ## run the benchmarks (not part of the tests); numbers go in the README
	$(BIN)/python benchmarks/run_all.py

lock:  ## recompile requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra test --extra dask --python-version 3.11 -o requirements.lock

clean:  ## remove derived tables and reports (raw data is never touched)
	rm -rf $(PROCESSED)/*.parquet $(PROCESSED)/build.json reports/run-* reports/latest
