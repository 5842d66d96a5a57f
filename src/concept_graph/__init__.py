"""concept-graph: turn an article into a sourced, explorable knowledge graph of its concepts.

The public functions are the same ones the CLI calls::

    from concept_graph import load_graph, to_rdf, to_networkx, build
    graph = load_graph("graph/security")
"""

from __future__ import annotations

from .article import locate, parse_article, read_article
from .build import build, render_outputs
from .errors import ConceptGraphError, Problem
from .model import (Article, Category, Concept, ConceptGraph, Evidence, GraphMeta, Relation, RelationType,
                    Section, Sentence)
from .validate import check_graph, load_graph


def to_rdf(graph):
    """The graph as an rdflib Graph (see :func:`concept_graph.rdf.to_rdf`); rdflib loads on first use."""
    from .rdf import to_rdf as _to_rdf

    return _to_rdf(graph)


def to_networkx(graph):
    """The graph as a networkx MultiDiGraph (see :func:`concept_graph.network.to_networkx`)."""
    from .network import to_networkx as _to_networkx

    return _to_networkx(graph)


__all__ = [
    "Article", "Category", "Concept", "ConceptGraph", "ConceptGraphError", "Evidence", "GraphMeta",
    "Problem", "Relation", "RelationType", "Section", "Sentence", "build", "check_graph", "load_graph",
    "locate", "parse_article", "read_article", "render_outputs", "to_networkx", "to_rdf",
]
__version__ = "0.1.0"
