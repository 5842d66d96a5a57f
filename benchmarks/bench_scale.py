"""How the build scales: a reading list of 1,000 to 10,000 concepts, the article, start-up and queries.

Prints four tables, each figure measured in fresh processes on this machine:

1. Scale: synthetic graph folders (``benchmarks/synthetic.py``: ~5 relations per concept, every
   quote verbatim in a generated article) of 1k, 3k and 10k concepts, each built cold with every
   output; per step of the build its wall time, CPU time and peak resident memory, then the total
   and the ratio of the largest size to the smallest.
2. The article (graph/security): a cold build (every output, empty output folder), a warm build
   (nothing changed: nothing to redo), ``validate`` and ``--help``, against
   ``python -c "import rdflib, networkx, pyvis, yaml, matplotlib, pyshacl"`` and
   ``python -c "import rdflib"`` measured in the same run (medians of ``--runs``).
3. The query library end to end on a generated graph of 100,000 triples: load the N-Triples, then
   parse and run every library query, with ``--engine rdflib`` and ``--engine oxigraph``.

    python benchmarks/bench_scale.py                      # everything (about 10 minutes)
    python benchmarks/bench_scale.py --sizes 1000 3000    # a quicker scale table
    python benchmarks/bench_scale.py --skip svg,png       # leave out the figures
    python benchmarks/bench_scale.py --parts article      # only the article table

Each size is built twice: one step after the other (workers=1), and with two workers (the CLI's
choice when a core is idle: forked copies render the RDF and the page/exports/figures side by side).
Peak memory is that of both processes together, sampled every 20 ms by a thread (a step that
holds the GIL in native code shows its peak when it returns); the copies' pages shared with the
building process are counted once (PSS), as the machine's memory holds them once. CPU time is all
processes' user and system time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
ARTICLE = ROOT / "graph" / "security"
IMPORT_LINE = "import rdflib, networkx, pyvis, yaml, matplotlib, pyshacl"


# -- the child: one build, timed step by step -----------------------------------------------------
def _rss(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _pss(pid: int | str) -> int:
    """Proportional set size: resident memory, pages shared with other processes counted in shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_rss() -> int:
    """Memory of this process and its children (the build's forked copies), without counting twice
    the pages a copy still shares with this process (their PSS); plain RSS without children."""
    try:
        children = []
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                children += f.read().split()
    except OSError:
        children = []
    if not children:
        return _rss()
    return _pss("self") + sum(_pss(pid) for pid in children)


def child(folder: str, out: str, only: str | None, workers: int) -> None:
    """Build ``folder`` into ``out`` and print one JSON line: the steps, the total, the peak."""
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    peak = [_tree_rss()]
    top = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            now = _tree_rss()
            peak[0], top[0] = max(peak[0], now), max(top[0], now)
            stop.wait(0.02)

    threading.Thread(target=sample, daemon=True).start()
    steps = []
    last = [None, started_wall, started_cpu]

    def progress(step, done, total):
        now_wall, now_cpu = time.perf_counter(), time.process_time()
        peak[0] = max(peak[0], _tree_rss())
        if last[0] is not None:
            steps.append({"step": last[0], "wall": now_wall - last[1], "cpu": now_cpu - last[2],
                          "peak_mib": peak[0] / 2**20})
        last[:] = [step, now_wall, now_cpu]
        peak[0] = _tree_rss()

    from concept_graph.pipeline import build

    importing = time.perf_counter() - started_wall
    result = build(folder, out, only=only.split(",") if only else None, progress=progress, force=True,
                   workers=workers)
    stop.set()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"steps": steps, "import": importing, "wall": time.perf_counter() - started_wall,
                      "cpu": time.process_time() - started_cpu + children.ru_utime + children.ru_stime,
                      "maxrss_mib": max(top[0] / 2**20, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "concepts": result.concepts, "relations": result.relations}))


def run_child(folder: Path, out: Path, only: str | None, workers: int) -> dict:
    cmd = ([sys.executable, __file__, "--child", str(folder), str(out), "--workers", str(workers)]
           + (["--only", only] if only else []))
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"build of {folder} failed:\n{proc.stderr}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["process_wall"] = time.perf_counter() - started
    return data


def only_for(skip: set[str]) -> str | None:
    from concept_graph.pipeline import KINDS

    kinds = [k for k in KINDS if k not in skip]
    return None if len(kinds) == len(KINDS) else ",".join(kinds)


def scale(sizes: list[int], skip: set[str], work: Path) -> None:
    from synthetic import write_graph_folder

    results, cli = {}, {}
    for n in sizes:
        folder = work / f"g{n}"
        if not (folder / "spec").is_dir():
            write_graph_folder(folder, n)
        print(f"building {n} concepts, step by step ...", file=sys.stderr, flush=True)
        results[n] = run_child(folder, work / f"out{n}", only_for(skip), workers=1)
        print(f"building {n} concepts with two workers ...", file=sys.stderr, flush=True)
        cli[n] = run_child(folder, work / f"out{n}", only_for(skip), workers=min(2, os.cpu_count() or 1))
    print("\n1. Scale: synthetic reading lists, cold build in a fresh process"
          + (f" (without {', '.join(sorted(skip))})" if skip else " (every output)")
          + "; steps timed one after the other (workers=1)")
    header = f"{'step':22}" + "".join(f"{f'{n:,} wall s':>14}{'cpu s':>8}{'peak MiB':>10}" for n in sizes)
    print(header)
    names = [s["step"] for s in results[sizes[-1]]["steps"]]
    for name in names:
        row = f"{name:22}"
        for n in sizes:
            step = next((s for s in results[n]["steps"] if s["step"] == name), None)
            row += (f"{step['wall']:14.2f}{step['cpu']:8.2f}{step['peak_mib']:10.0f}" if step else " " * 32)
        print(row)
    print(f"{'total (process)':22}" + "".join(f"{r['process_wall']:14.2f}{r['cpu']:8.2f}{r['maxrss_mib']:10.0f}"
                                            for r in results.values()))
    print(f"{'two workers':22}" + "".join(f"{r['process_wall']:14.2f}{r['cpu']:8.2f}{r['maxrss_mib']:10.0f}"
                                              for r in cli.values())
          + "   (two workers, the CLI's choice when a core is idle: "
            "the RDF and the page/exports/figures in forked copies)")
    print("concepts / relations: " + ", ".join(f"{r['concepts']:,} / {r['relations']:,}" for r in results.values()))
    if len(sizes) > 1:
        for name, runs in (("one after the other", results), ("two workers", cli)):
            small, large = runs[sizes[0]], runs[sizes[-1]]
            wall, cpu = large["process_wall"] / small["process_wall"], large["cpu"] / small["cpu"]
            print(f"ratio {sizes[-1]:,} / {sizes[0]:,}, {name}: wall {wall:.1f}x, cpu {cpu:.1f}x, "
                  f"peak memory {large['maxrss_mib'] / small['maxrss_mib']:.1f}x")


# -- the article: cold, warm, validate, --help -----------------------------------------------------
ENV = dict(os.environ)


def timed(cmd: list[str], runs: int, before=None) -> tuple[float, float]:
    """(median wall seconds, peak MiB) of ``runs`` fresh processes; ``before`` runs ahead of each, untimed."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}: {proc.stderr.read().decode()}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


def article(runs: int, work: Path) -> None:
    import shutil

    py = sys.executable
    cli = [py, "-m", "concept_graph.cli"]
    out = work / "article-out"

    def empty():
        shutil.rmtree(out, ignore_errors=True)

    imports, _ = timed([py, "-c", IMPORT_LINE], runs)
    # A tenth of a second varies by a third from one run to the next: more runs for the short ones.
    quick = max(runs, 21)
    rdflib, _ = timed([py, "-c", "import rdflib"], quick)
    cold = timed([*cli, "build", str(ARTICLE), "-o", str(out)], runs, before=empty)
    no_figures = timed([*cli, "build", str(ARTICLE), "-o", str(out), "--only", only_for({"svg", "png"})], runs,
                       before=empty)
    subprocess.run([*cli, "build", str(ARTICLE), "-o", str(out)], check=True, capture_output=True, cwd=ROOT, env=ENV)
    warm = timed([*cli, "build", str(ARTICLE), "-o", str(out)], runs)
    validate = timed([*cli, "validate", str(ARTICLE)], runs)
    helping = timed([*cli, "--help"], quick)
    print(f"\n2. The article ({ARTICLE.relative_to(ROOT)}), median of {runs} fresh processes "
          f"({quick} for import rdflib and --help)")
    print(f"{'command':44}{'s':>8}{'peak MiB':>10}   ratio     target")
    print(f"{'python -c ' + repr(IMPORT_LINE)[:32] + '...':44}{imports:8.3f}{'':>10}   1.00")
    print(f"{'python -c ' + repr('import rdflib'):44}{rdflib:8.3f}")
    for name, (seconds, peak), limit, ref, ref_name in (
            ("build, cold (empty output folder)", cold, 3.0, imports, "imports"),
            ("build, cold, all but svg and png", no_figures, 3.0, imports, "imports"),
            ("build, warm (nothing changed)", warm, 1.2, imports, "imports"),
            ("validate", validate, 1.2, imports, "imports"),
            ("--help", helping, 0.5, rdflib, "import rdflib")):
        ratio = seconds / ref
        print(f"{'concept-graph ' + name:44}{seconds:8.3f}{peak:10.0f}   {ratio:5.2f}x   <= {limit}x {ref_name}"
              f"  {'met' if ratio <= limit else 'NOT met'}")


# -- the query library on 100k triples ------------------------------------------------------------
def queries(triples: int, work: Path) -> None:
    from bench_sparql import TOO_LARGE, graph_of_size

    from concept_graph.engines import open_engine
    from concept_graph.library import library

    data, count = graph_of_size(triples)
    path = work / "queries.nt"
    path.write_bytes(data.data)
    asked = [q for q in library() if q.name not in TOO_LARGE]
    totals = {}
    for engine in ("rdflib", "oxigraph"):
        started = time.perf_counter()
        eng = open_engine(path, engine)
        loaded = time.perf_counter() - started
        for query in asked:  # as 'concept-graph query' does: bind, check (parse) and run
            eng.query(eng.check(eng.bind(query), query.source))
        totals[engine] = (loaded, time.perf_counter() - started - loaded)
    print(f"\n3. The query library end to end on {count:,} triples (load the N-Triples, then parse and run "
          f"{len(asked)} queries once; {', '.join(sorted(TOO_LARGE))} left out as in bench_sparql)")
    for engine, (loaded, ran) in totals.items():
        print(f"  --engine {engine:9} load {loaded:6.2f} s + queries {ran:6.2f} s = {loaded + ran:6.2f} s")
    rd, ox = (sum(totals[e]) for e in ("rdflib", "oxigraph"))
    print(f"  oxigraph is {rd / ox:.1f}x faster end to end (target >= 10x: {'met' if rd / ox >= 10 else 'NOT met'}); "
          f"queries alone {totals['rdflib'][1] / totals['oxigraph'][1]:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--skip", default="", help="output kinds to leave out of the scale builds, e.g. svg,png")
    parser.add_argument("--parts", default="scale,article,queries", help="which tables: scale, article, queries")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per article command (median)")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the graph the queries run on")
    parser.add_argument("--work", help="keep the generated folders here (default: a temporary folder)")
    parser.add_argument("--src", help="run the article commands with this source tree first on PYTHONPATH "
                        "(e.g. an older checkout's src/, for a before-and-after)")
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.only, args.workers)
    parts = set(args.parts.split(","))
    if args.src:
        ENV["PYTHONPATH"] = os.pathsep.join(p for p in (args.src, ENV.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if "scale" in parts:
            scale(sorted(args.sizes), {k for k in args.skip.split(",") if k}, work)
        if "article" in parts:
            article(args.runs, work)
        if "queries" in parts:
            queries(args.triples, work)


if __name__ == "__main__":
    main()
