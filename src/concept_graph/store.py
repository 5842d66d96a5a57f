"""Pushing a graph into a triple store, through the SPARQL 1.1 Graph Store HTTP Protocol.

For departments that already run a store (Oxigraph, Fuseki, GraphDB, ...): ``push`` sends the
whole graph in one HTTP ``PUT`` to ``STORE?graph=IRI``, which the protocol defines as "replace
the named graph". A store applies a PUT as one transaction, so a failed push (data the store
refuses, a dropped connection) leaves the store's previous graph whole, and readers never see
half a graph. The named graph is the graph's base IRI unless one is given, so pushing two
graphs into one store keeps them apart.

Then ``concept-graph query NAME --endpoint URL`` runs the library's queries there: with
``GRAPH_DIR`` or ``--graph``, on that named graph (sent as the Protocol's ``default-graph-uri``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from .errors import ConceptGraphError, Problem
from .media import RDF_MEDIA_TYPES
from .remote import HttpFailure, check_url, http_request
from .source import GraphData, load_data

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+$")


@dataclass(frozen=True)
class PushResult:
    store: str
    graph: str
    triples: int | None  # known when N-Triples were sent
    bytes: int


def graph_iri(source: Path | str | GraphData) -> str:
    """The named graph a graph goes to by default: its base IRI (also its concept scheme's IRI).

    Read from the spec without validating it, so ``query --endpoint`` stays quick.
    """
    if isinstance(source, GraphData):
        base = source.base
    elif Path(source).is_dir():
        from .spec import load_spec

        graph = load_spec(source).graph
        base = graph.get("base") if graph else None
    else:
        base = load_data(source).base
    if not base:
        raise ConceptGraphError(Problem("unknown-graph-iri", str(source), None, "cannot tell the graph's base IRI",
                                        "name the graph with --graph IRI"))
    return str(base)


TIMEOUT = 120.0  # seconds to wait for the store


def push(source: Path | str, store: str, graph: str | None = None, timeout: float = TIMEOUT) -> PushResult:
    """Replace the named graph ``graph`` of the store at ``store`` with the graph of ``source``.

    ``store`` is the store's Graph Store Protocol URL (Oxigraph: ``http://host:7878/store``).
    A graph folder is built in memory from its spec, so what is pushed is what ``validate``
    checks; an RDF file is sent as it is, and the store is the judge of it.
    """
    check_url(store, "store")
    data = load_data(source)
    if data.is_dataset:
        raise ConceptGraphError(Problem(
            "push-dataset", data.name, None, "the combined graph of several articles is a dataset, not one graph",
            "push each graph folder: each goes to the named graph of its base IRI, and the store's union "
            "is the combined graph"))
    iri = graph or graph_iri(data if data.base else source)
    if not _IRI.match(iri):
        raise ConceptGraphError(Problem("bad-graph-iri", None, None, f"graph {iri!r} is not an absolute IRI",
                                        "e.g. https://example.org/graphs/security/"))
    url = store + ("&" if "?" in store else "?") + urlencode({"graph": iri})
    # N-Triples is a subset of Turtle, and every Graph Store implementation reads Turtle.
    media_type = RDF_MEDIA_TYPES["turtle"] if data.format in ("nt", "turtle") else data.media_type
    try:
        http_request(url, "PUT", data.data, {"Content-Type": f"{media_type}; charset=utf-8"}, timeout, what="the store")
    except HttpFailure as exc:
        raise ConceptGraphError([Problem(p.code, p.file, p.line, p.message, _after_failure(exc, p))
                                 for p in exc.problems]) from None
    triples = data.data.count(b"\n") if data.format == "nt" else None
    return PushResult(store, iri, triples, len(data.data))


def _after_failure(exc: HttpFailure, problem: Problem) -> str:
    """What a failed push left in the store, as far as the failure tells."""
    if exc.status is not None and exc.status < 500:
        return "nothing was replaced: the store keeps its previous graph"
    if exc.status is not None:
        return ("the store failed while handling the push, so whether it kept its previous graph is not known: "
                "check with a query, and see the store's log")
    if "Connection refused" in problem.message:
        return "nothing was sent: the store keeps its previous graph"
    if problem.code.endswith("-timeout"):
        return "the store may still apply the push: check with a query before pushing again"
    return "if the upload was cut short the store applies nothing, but check with a query"
