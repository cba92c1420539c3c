"""Run every benchmark and evaluation (`make bench`); results go to benchmarks/results/.

Not part of the test suite: timings depend on the machine. The README quotes the results with
the machine they ran on.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = [
    ["eval_figures.py"],
    ["eval_timex.py"],
    ["bench_figures.py"],
    ["bench_reuse.py", "10000"],
    ["bench_build.py", "100000", "--quantulum"],
]


def main() -> int:
    for step in STEPS:
        print(f"== {' '.join(step)}", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / step[0]), *step[1:]], cwd=HERE.parent)
        if rc:
            print(f"{step[0]} failed with exit code {rc}", file=sys.stderr)
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
