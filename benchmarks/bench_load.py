"""Load test: `concept-graph serve` and a real Oxigraph server, same graph, same clients, one run.

Starts `concept-graph serve` on a free loopback port, then Oxigraph's own server (the `oxigraph`
binary of the PyPI package `oxigraph`) with the same graph pushed by `concept-graph push`, and
puts each under the same load in turn: CLIENTS threads, each on one keep-alive HTTP connection,
send a mix of library queries (with their default parameters) as SPARQL 1.1 Protocol GET
requests for SECONDS. Prints a table of throughput, latency percentiles and errors per server,
and whether `serve` meets the bar (0 errors, at least 0.8x Oxigraph's throughput, a p99 at most
1.5x Oxigraph's). Only 127.0.0.1 is contacted; every phase is bounded in time.

    python benchmarks/bench_load.py [--clients 50] [--seconds 30] [--graph graph/security]
                                    [--engine oxigraph|rdflib] [--workers N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from concept_graph.library import bind, load_query  # noqa: E402
from concept_graph.store import push  # noqa: E402

# A mix of what a class asks: a concept's relations, what fosters it, a search, a quote, the hubs.
MIX = ("relations-of", "what-fosters", "search", "quote-behind-relation", "most-connected")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
    return body


def wait_ready(port: int, path: str, proc: subprocess.Popen, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            get(conn, path)
            conn.close()
            return
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.2)
    raise SystemExit("server did not start")


def load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """Every client on its own keep-alive connection, round-robin over the paths, for ``seconds``."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = index
        while time.monotonic() < stop_at:
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            try:
                json.loads(get(conn, path))
                ok, detail = True, ""
            except Exception as exc:  # every failure is counted, none stops the run
                ok, detail = False, f"{MIX[(n - 1) % len(paths)]}: {type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                (latencies.append(elapsed) if ok else errors.append(detail))
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    wall = time.perf_counter() - started
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 if lat else float("nan")

    return {"throughput": len(lat) / wall, "p50": pct(50), "p99": pct(99), "errors": len(errors),
            "requests": len(lat) + len(errors), "samples": sorted(set(errors))[:5]}


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_serve(args, texts: list[str]) -> dict:
    port = free_port()
    command = [sys.executable, "-m", "concept_graph.cli", "serve", args.graph, "--port", str(port)]
    command += ["--engine", args.engine] if args.engine else []
    command += ["--workers", str(args.workers)] if args.workers else []
    # The access log goes to a file: an unread pipe would fill up and stall the server.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)
        try:
            wait_ready(port, "/sparql?query=ASK%7B%7D", proc)
            return load(port, ["/sparql?" + urllib.parse.urlencode({"query": t}) for t in texts],
                        args.clients, args.seconds)
        finally:
            stop(proc)


def run_oxigraph(args, texts: list[str]) -> dict:
    command = str(Path(sys.executable).parent / "oxigraph")
    if not Path(command).exists():
        command = shutil.which("oxigraph") or sys.exit("the oxigraph server is not installed: pip install oxigraph")
    port = free_port()
    with tempfile.TemporaryDirectory() as store:
        proc = subprocess.Popen([command, "serve", "--location", store, "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, "/query?query=ASK%7B%7D", proc)
            graph = push(args.graph, f"http://127.0.0.1:{port}/store").graph
            paths = ["/query?" + urllib.parse.urlencode({"query": t, "default-graph-uri": graph}) for t in texts]
            return load(port, paths, args.clients, args.seconds)
        finally:
            stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--graph", default=str(ROOT / "graph" / "security"))
    parser.add_argument("--engine", choices=("oxigraph", "rdflib"), help="serve's engine (default: serve's own)")
    parser.add_argument("--workers", type=int, help="serve's worker processes (default: serve's own)")
    args = parser.parse_args()

    texts = [bind(load_query(name)) for name in MIX]
    results = {}
    for name, run in (("serve", run_serve), ("oxigraph server", run_oxigraph)):
        print(f"{name}: {args.clients} clients for {args.seconds:g} s ...", file=sys.stderr, flush=True)
        results[name] = run(args, texts)

    print(f"{args.clients} keep-alive clients, {args.seconds:g} s each, queries: {', '.join(MIX)}")
    print()
    print("| target | queries/s | p50 | p99 | errors |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['throughput']:.0f} | {r['p50']:.0f} ms | {r['p99']:.0f} ms | {r['errors']} |")
    for name, r in results.items():
        for line in r["samples"]:
            print(f"  {name}: {line[:200]}")
    serve, ox = results["serve"], results["oxigraph server"]
    throughput = serve["throughput"] / ox["throughput"]
    checks = {"0 errors": serve["errors"] == 0,
              f"throughput {throughput:.2f}x >= 0.8x": serve["throughput"] >= 0.8 * ox["throughput"],
              f"p99 {serve['p99'] / ox['p99']:.2f}x <= 1.5x": serve["p99"] <= 1.5 * ox["p99"]}
    print()
    for check, ok in checks.items():
        print(f"{'met' if ok else 'NOT MET'}: {check}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
