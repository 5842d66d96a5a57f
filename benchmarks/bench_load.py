"""Load test of `concept-graph serve`: concurrent clients run the query library for a fixed time.

Starts the server on a free loopback port, runs CLIENTS threads that each send the library's
queries (with their default parameters) round-robin as SPARQL 1.1 Protocol GET requests for
SECONDS, then prints throughput, latency percentiles and errors, and checks that the server still
answers afterwards. Only 127.0.0.1 is contacted; the loop is bounded in time and stops by itself.

    python benchmarks/bench_load.py [--clients 50] [--seconds 30] [--graph graph/security]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from concept_graph import sparql  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(base: str, query: str, timeout: float = 30.0) -> bytes:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def wait_ready(base: str, proc: subprocess.Popen, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            ask(base, "ASK {}", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--graph", default=str(ROOT / "graph" / "security"))
    parser.add_argument("--engine", default="rdflib", choices=("rdflib", "oxigraph"))
    args = parser.parse_args()

    queries = [(q.name, q.text) for q in sparql.library()]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The access log goes to a file: an unread pipe would fill up and stall the server.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "concept_graph.cli", "serve", args.graph, "--host", "127.0.0.1",
                             "--port", str(port), "--engine", args.engine],
                            stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)
    try:
        wait_ready(base, proc)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def client(index: int) -> None:
            n = index
            while time.monotonic() < stop_at:
                name, text = queries[n % len(queries)]
                n += 1
                start = time.perf_counter()
                try:
                    body = ask(base, text)
                    json.loads(body)
                    ok, detail = True, ""
                except Exception as exc:  # every failure is counted, none stops the run
                    ok, detail = False, f"{name}: {type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - start
                with lock:
                    (latencies.append(elapsed) if ok else errors.append(detail))

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 120)
        wall = time.perf_counter() - started
        alive = ask(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        triples = json.loads(alive)["results"]["bindings"][0]["n"]["value"]
    finally:
        proc.terminate()
        proc.wait(10)

    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 if lat else float("nan")  # noqa: E731
    print(f"engine {args.engine}, {args.clients} clients, {args.seconds:.0f} s, {len(queries)} library queries")
    print(f"requests   {len(lat) + len(errors)}")
    print(f"throughput {len(lat) / wall:.1f} queries/s")
    print(f"latency    p50 {pct(50):.0f} ms   p90 {pct(90):.0f} ms   p99 {pct(99):.0f} ms   "
          f"mean {statistics.mean(lat) * 1000 if lat else float('nan'):.0f} ms")
    print(f"errors     {len(errors)}")
    for line in sorted(set(errors))[:10]:
        print("  ", line[:200])
    print(f"after the run the server still answers: {triples} triples")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
