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
    if command is None:
        pytest.skip("the oxigraph server is not installed (pip install 'concept-graph[test]')")
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
    assert f"graph <{LECTURE_IRI}> replaced by 1590 triples" in result.stdout
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


def test_the_pushed_graph_is_a_named_graph_apart_from_the_default_graph(pushed):
    default = run_cli("query", "most-connected", "--endpoint", pushed.query_url)
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


def test_querying_an_endpoint_that_is_down_says_so_and_exits_2():
    result = run_cli("query", "most-connected", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.returncode == 2 and "cannot reach the SPARQL endpoint" in result.stderr


# -- the article graph: robust properties only -----------------------------------------------------
@pytest.fixture(scope="module")
def article(oxigraph):
    data = load_data(ARTICLE_GRAPH)
    result = run_cli("push", str(ARTICLE_GRAPH), "--store", oxigraph.store_url)
    assert result.returncode == 0, result.stderr
    return open_engine(data), EndpointEngine(oxigraph.query_url, data.base)


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_every_library_query_answers_the_article_graph_alike_in_oxigraph(article, query):
    embedded, remote = article
    answer = embedded.run(query)
    assert len(answer) > 0
    assert normalized(remote.run(query)) == normalized(answer)
