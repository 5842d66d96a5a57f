"""How long the combined graph of several articles takes, and how big it is.

Copies graph/security and the curated second article of the tests
(tests/fixtures/attachment-at-work-curated) into a temporary graph/ folder, then times:

- the combined build alone (every article validated with its targets and storyboards, joined,
  TriG, union Turtle and N-Triples, page, SHACL check), step by step, each run in a fresh process
  (the layout and the page's assets are cached per process), and its up-to-date rerun;
- loading the union for SPARQL (``query --graph all``: every spec read and validated, the TriG
  made in memory and loaded by the engine) and a library query over it, on both engines.

Prints the counts: articles, nodes, shared concepts, relations, triples of the union, quads of
the dataset, and the size of each file.

Run: python benchmarks/bench_combined.py [REPEATS]
"""

from __future__ import annotations

import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from concept_graph.engines import open_engine  # noqa: E402
from concept_graph.pipeline import build_combined  # noqa: E402
from concept_graph.source import load_union  # noqa: E402


def timed_build(graph: Path) -> tuple[float, list[tuple[str, float]]]:
    """In a fresh process: the combined build's time, and when each of its steps began."""
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()
    build_combined(graph, force=True, progress=lambda step, done, total: marks.append((step, time.perf_counter())))
    return time.perf_counter() - started, marks


def main(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "graph"
        shutil.copytree(ROOT / "graph" / "security", graph / "security", ignore=shutil.ignore_patterns("out"))
        shutil.copytree(ROOT / "tests" / "fixtures" / "attachment-at-work-curated", graph / "attachment-at-work")
        times, steps = [], {}
        spawn = multiprocessing.get_context("spawn")
        with spawn.Pool(1, maxtasksperchild=1) as pool:
            for _ in range(repeats):
                total, marks = pool.apply(timed_build, (graph,))
                times.append(total)
                for (step, at), (_, after) in pairwise(marks):
                    steps.setdefault(step, []).append(after - at)
        result = build_combined(graph, force=True)
        started = time.perf_counter()
        fresh = build_combined(graph)
        up_to_date = time.perf_counter() - started
        assert fresh.combined is None
        print(f"combined build of {result.articles} articles: {statistics.median(times):.2f} s "
              f"(median of {repeats}; min {min(times):.2f} s); up to date: {up_to_date * 1000:.0f} ms")
        for step, values in steps.items():
            print(f"  {step:32} {statistics.median(values):6.2f} s")
        print(f"nodes {result.concepts} ({result.shared} shared), relations {result.relations}, "
              f"union triples {result.triples}")
        quads = sum(len(table_pairs) for _, table in result.combined.dataset() for table_pairs in table.values())
        print(f"dataset quads {quads} (a vocabulary term both articles define is in both named graphs)")
        for path in sorted((graph / "out").glob("combined.*")):
            print(f"  {path.name:15} {path.stat().st_size / 1e6:6.2f} MB")
        for engine in ("oxigraph", "rdflib"):
            started = time.perf_counter()
            data = load_union(graph)
            loaded = time.perf_counter() - started
            engine_ = open_engine(data, engine)
            opened = time.perf_counter() - started - loaded
            started = time.perf_counter()
            rows = engine_.run("relations-of", {"concept": "secure-base"}).rows
            queried = time.perf_counter() - started
            print(f"query --graph all on {engine}: union made {loaded:.2f} s, loaded {opened:.2f} s, "
                  f"relations-of secure-base {queried * 1000:.0f} ms ({len(rows)} rows)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
