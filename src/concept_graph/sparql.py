"""SPARQL from Python in one call: run a library query, a ``.rq`` file or a query string on a graph.

The public face of the SPARQL modules, for notebooks: :mod:`concept_graph.library` (the query
library, parameters), :mod:`concept_graph.engines` (checking and running queries),
:mod:`concept_graph.remote` (SPARQL endpoints) and :mod:`concept_graph.source` (the graph as
data). The names a notebook needs are importable from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .engines import ENGINES, Engine, OxigraphEngine, Prepared, RdflibEngine, default_engine, open_engine, prepare
from .library import Param, Query, bind, library, load_query, parse_query, sparql_term
from .results import Result
from .source import GraphData, load_data, standard_prefixes

__all__ = ["ENGINES", "Engine", "GraphData", "OxigraphEngine", "Param", "Prepared", "Query", "RdflibEngine",
           "Result", "bind", "default_engine", "library", "load_data", "load_query", "open_engine", "parse_query",
           "prepare", "run", "sparql_term", "standard_prefixes"]


def run(query: Query | str, source: Path | str | GraphData | None = None, params: Mapping[str, str] | None = None,
        engine: str | None = None, endpoint: str | None = None, default_graph: str | None = None) -> Result:
    """Run a library query (by name), a ``.rq`` file or a query string on a graph or endpoint.

    Parameters that name a concept or a relation type take its id, label or a synonym. To run
    many queries on one graph, open the engine once with :func:`open_engine` and call its ``run``.

    >>> run("synonyms", "tests/fixtures/lecture", {"term": "resilience"}).values("name")
    ['ego sturdiness', 'ego strength', 'resilience']
    """
    if source is None and not endpoint:
        from .errors import ConceptGraphError, Problem

        raise ConceptGraphError(Problem("missing-graph", None, None, "no graph to query",
                                        "give a graph folder, an RDF file, or endpoint=URL"))
    return open_engine(source, engine, endpoint, default_graph).run(query, params)
