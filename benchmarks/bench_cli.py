"""Wall time and peak memory of cold CLI runs, next to a bare `import rdflib` measured in the same run.

Each command runs in a fresh process (cold: nothing imported yet), several times; the script prints
the median wall time and the peak resident memory of the child (ru_maxrss). Run it from the
project root with the virtual environment active:

    python benchmarks/bench_cli.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "graph" / "security"


def measure(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one cold run of ``cmd`` in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as out:
        cases = [
            ("python -c 'import rdflib' (reference)", [py, "-c", "import rdflib"]),
            ("concept-graph --help", [py, "-m", "concept_graph.cli", "--help"]),
            ("concept-graph validate --no-shapes",
             [py, "-m", "concept_graph.cli", "validate", str(GRAPH), "--no-shapes"]),
            ("concept-graph validate", [py, "-m", "concept_graph.cli", "validate", str(GRAPH)]),
            ("concept-graph build --force", [py, "-m", "concept_graph.cli", "build", str(GRAPH), "-o", out, "--force"]),
            ("concept-graph build (up to date)", [py, "-m", "concept_graph.cli", "build", str(GRAPH), "-o", out]),
        ]
        print(f"{'command':40}  {'median s':>9}  {'min s':>7}  {'peak MiB':>8}   ({args.runs} cold runs each)")
        for name, cmd in cases:
            runs = [measure(cmd) for _ in range(args.runs)]
            times = [t for t, _ in runs]
            print(f"{name:40}  {statistics.median(times):9.3f}  {min(times):7.3f}  {max(m for _, m in runs):8.1f}")


if __name__ == "__main__":
    main()
