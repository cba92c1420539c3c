"""Settings for every test run, including the notebook kernels nbval starts (they inherit
this process's environment): charts render as static SVG, byte-identical run to run."""

import os

os.environ["NEWSLENS_CHARTS"] = "svg"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
