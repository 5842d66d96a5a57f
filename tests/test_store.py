"""A real triple store: push the graph into Oxigraph, query it there, and get the same answers.

The tests start Oxigraph's own server (PyPI package ``oxigraph``) on a free loopback port with a
store in a temporary folder, and stop it afterwards. Oxigraph keeps named graphs out of its
default graph (unless started with --union-default-graph), so queries name the pushed graph
with the Protocol's ``default-graph-uri``, as ``query --endpoint`` does.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from concept_graph.engines import open_engine
from concept_graph.library import library
from concept_graph.remote import EndpointEngine
from concept_graph.source import load_data
from conftest import ARTICLE_GRAPH, FIXTURES, run_cli

pytestmark = pytest.mark.slow  # browsers, servers or whole builds: the full suite runs them, the quick loop does not

LECTURE = FIXTURES / "lecture"
LECTURE_IRI = "https://example.org/lecture/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_command() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


class Oxigraph:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.query_url = self.base + "/query"
        self.store_url = self.base + "/store"

    def count(self, graph: str) -> int:
        result = EndpointEngine(self.query_url, graph).run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.values("n")[0])


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    command = oxigraph_command()
    assert command is not None, "the oxigraph server is not installed (pip install 'concept-graph[test]')"
    port = free_port()
    process = subprocess.Popen([command, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = Oxigraph(port)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(store.query_url + "?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("oxigraph did not start: " + process.stderr.read().decode(errors="replace"))
            time.sleep(0.1)
    yield store
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def pushed(oxigraph):
    result = run_cli("push", str(LECTURE), "--store", oxigraph.store_url)
    assert result.returncode == 0, result.stderr
    assert f"graph <{LECTURE_IRI}> replaced by {len(load_data(LECTURE).data.splitlines())} triples" in result.stdout
    return oxigraph


@pytest.fixture(scope="module")
def embedded():
    return open_engine(LECTURE, "rdflib")


def normalized(result) -> tuple:
    return result.variables, sorted({tuple(repr(t) for t in row) for row in result.rows})


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_library_query_gives_the_same_answers_in_oxigraph_as_embedded(pushed, embedded, query):
    remote = EndpointEngine(pushed.query_url, LECTURE_IRI).run(query)
    assert normalized(remote) == normalized(embedded.run(query))
    assert len(remote) > 0


def test_query_endpoint_on_the_command_line_prints_what_the_embedded_engine_prints(pushed):
    here = run_cli("query", "what-threatens", str(LECTURE), "-p", "concept=psychological-security")
    there = run_cli("query", "what-threatens", str(LECTURE), "-p", "concept=psychological-security",
                    "--endpoint", pushed.query_url)
    assert there.returncode == 0, there.stderr
    assert there.stdout == here.stdout


def test_the_pushed_graph_is_a_named_graph_apart_from_the_default_graph(pushed, tmp_path):
    # Away from any graph folder, with no GRAPH_DIR and no --graph, the store's default graph is asked.
    default = run_cli("query", "most-connected", "--endpoint", pushed.query_url, cwd=tmp_path)
    assert default.returncode == 0 and "(no rows)" in default.stdout
    named = run_cli("query", "most-connected", "--endpoint", pushed.query_url, "--graph", LECTURE_IRI)
    assert "psychological-security" in named.stdout


def test_a_push_replaces_the_named_graph_it_does_not_add_to_it(oxigraph):
    graph = "https://example.org/replaced/"
    for folder in ("lecture", "tiny"):
        result = run_cli("push", str(FIXTURES / folder), "--store", oxigraph.store_url, "--graph", graph)
        assert result.returncode == 0, result.stderr
    assert oxigraph.count(graph) == len(load_data(FIXTURES / "tiny").data.splitlines())


def test_a_push_the_store_refuses_leaves_the_previous_graph_in_place(pushed, tmp_path):
    before = pushed.count(LECTURE_IRI)
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"unterminated .\n",
                   encoding="utf-8")
    result = run_cli("push", str(bad), "--store", pushed.store_url, "--graph", LECTURE_IRI)
    assert result.returncode == 2
    assert "the store answered HTTP 400" in result.stderr
    assert "nothing was replaced: the store keeps its previous graph" in result.stderr
    assert "Traceback" not in result.stderr
    assert pushed.count(LECTURE_IRI) == before


def test_an_invalid_spec_is_never_pushed(pushed, tiny):
    before = pushed.count(LECTURE_IRI)
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("object: mastery", "object: mastry"))
    result = run_cli("push", str(tiny), "--store", pushed.store_url, "--graph", LECTURE_IRI)
    assert result.returncode == 2 and "unknown concept 'mastry'" in result.stderr
    assert pushed.count(LECTURE_IRI) == before


def test_pushing_to_a_store_that_is_down_says_so_and_exits_2():
    result = run_cli("push", str(LECTURE), "--store", f"http://127.0.0.1:{free_port()}/store")
    assert result.returncode == 2
    assert "cannot reach the store" in result.stderr and "keeps its previous graph" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_graph_prefixes_work_on_an_endpoint_as_they_do_locally(pushed):
    query = "SELECT ?label WHERE { concept:trust skos:prefLabel ?label . concept:trust rel:fosters ?x }"
    result = run_cli("query", query, str(LECTURE), "--endpoint", pushed.query_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2:] == ["trust"]


def test_a_concept_name_is_resolved_against_the_store_too(pushed):
    result = run_cli("query", "what-fosters", str(LECTURE), "-p", "concept=ego strength",
                     "--endpoint", pushed.query_url)
    assert result.returncode == 0 and "support-system" in result.stdout
    result = run_cli("query", "what-fosters", str(LECTURE), "-p", "concept=ego strenght",
                     "--endpoint", pushed.query_url)
    assert result.returncode == 2 and "did you mean 'ego strength'?" in result.stderr


class FailingStore:
    """A store that answers every request with one status, or never answers at all."""

    def __init__(self, status: int | None):
        import http.server
        import threading

        self.status = status
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if outer.status is None:
                    time.sleep(5)  # longer than the client waits
                    return
                self.send_response(outer.status)
                self.send_header("Content-Length", "13")
                self.end_headers()
                self.wfile.write(b"disk is full\n")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_store_that_fails_with_500_is_reported_as_a_failure_whose_outcome_is_unknown():
    store = FailingStore(500)
    try:
        result = run_cli("push", str(LECTURE), "--store", store.url)
    finally:
        store.close()
    assert result.returncode == 2 and "the store answered HTTP 500" in result.stderr and "disk is full" in result.stderr
    assert "whether it kept its previous graph is not known" in result.stderr
    assert "keeps its previous graph" not in result.stderr  # a 500 does not prove that


def test_a_store_that_does_not_answer_in_time_is_given_up_after_the_timeout():
    store = FailingStore(None)
    try:
        started = time.monotonic()
        result = run_cli("push", str(LECTURE), "--store", store.url, "--timeout", "1")
    finally:
        store.close()
    assert result.returncode == 2 and "the store did not answer within 1 s" in result.stderr
    assert "check with a query" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 60


def test_querying_an_endpoint_that_is_down_says_so_and_exits_2():
    result = run_cli("query", "most-connected", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.returncode == 2 and "cannot reach the SPARQL endpoint" in result.stderr


# -- the article graph: robust properties only -----------------------------------------------------
@pytest.fixture(scope="module")
def article(oxigraph):
    data = load_data(ARTICLE_GRAPH)
    result = run_cli("push", str(ARTICLE_GRAPH), "--store", oxigraph.store_url)
    assert result.returncode == 0, result.stderr
    return open_engine(data, "rdflib"), open_engine(data, "oxigraph"), EndpointEngine(oxigraph.query_url, data.base)


def test_the_readmes_push_then_query_example_returns_rows(oxigraph):
    # As README shows it: from the checkout, no GRAPH_DIR, the store's URLs only.
    pushed = run_cli("push", "--store", oxigraph.store_url)
    assert pushed.returncode == 0, pushed.stderr
    result = run_cli("query", "most-connected", "--endpoint", oxigraph.query_url)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[2:]
    assert len(rows) == 10 and rows[0].startswith("psychological-security")


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_library_query_answers_the_article_graph_alike_on_rdflib_pyoxigraph_and_an_oxigraph_server(
        article, query):
    rdflib_engine, oxigraph_engine, remote = article
    answer = rdflib_engine.run(query)
    assert len(answer) > 0
    assert normalized(oxigraph_engine.run(query)) == normalized(answer)
    assert normalized(remote.run(query)) == normalized(answer)
