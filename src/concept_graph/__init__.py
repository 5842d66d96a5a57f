"""concept-graph: turn an article into a sourced, explorable knowledge graph of its concepts.

The public functions are the same ones the CLI calls::

    from concept_graph import load_graph, to_rdf, to_networkx, build
    graph = load_graph("graph/security")

Each name is imported from its module on first use (PEP 562), so ``concept-graph --help`` and
a build with nothing to do load no library they do not need. ``build`` is the function; the
module that holds the pipeline is :mod:`concept_graph.pipeline`.
"""

from __future__ import annotations

from importlib import import_module

# Public name -> module that defines it.
_WHERE = {
    "Article": "model", "Category": "model", "Concept": "model", "ConceptGraph": "model", "Evidence": "model",
    "Family": "model", "GraphMeta": "model", "Relation": "model", "RelationType": "model", "Section": "model",
    "Sentence": "model", "ConceptGraphError": "errors", "Problem": "errors", "locate": "article",
    "parse_article": "article", "read_article": "article", "build": "pipeline", "render_outputs": "pipeline",
    "check_graph": "validate", "load_graph": "validate", "to_rdf": "rdf", "to_networkx": "network",
}
__all__ = sorted(_WHERE)
__version__ = "0.1.0"


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'concept_graph' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
