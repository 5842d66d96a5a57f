"""The model as a networkx graph, and analysis helpers that return plain data.

A ``MultiDiGraph`` because two concepts can be linked by several relation types, and the
direction is what the sentence states.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .model import ConceptGraph


def to_networkx(graph: ConceptGraph) -> nx.MultiDiGraph:
    """Concepts as nodes, relations as edges keyed by relation type, everything as attributes.

    >>> from concept_graph.examples import tiny_graph
    >>> G = to_networkx(tiny_graph())
    >>> G.number_of_nodes(), G.number_of_edges()
    (3, 2)
    """
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(id=graph.meta.id, title=graph.meta.title, base=graph.meta.base)
    for concept in graph.concepts:
        G.add_node(concept.id, label=concept.label, synonyms=list(concept.synonyms),
                   category=concept.category, definition=concept.definition)
    types = graph.relation_type_by_id
    for relation in graph.relations:
        G.add_edge(relation.subject, relation.object, key=relation.type, type=relation.type,
                   label=types[relation.type].label, quotes=[e.quote for e in relation.evidence],
                   sections=sorted({e.section for e in relation.evidence}),
                   offsets=[(e.start, e.end) for e in relation.evidence], note=relation.note or "")
    return G


@dataclass(frozen=True)
class Stats:
    concepts: int
    relations: int
    relation_types_used: int
    by_category: list[tuple[str, int]]
    by_relation_type: list[tuple[str, int]]
    central: list[tuple[str, str, int, float]]  # id, label, degree, betweenness
    isolated: list[str]


def graph_stats(graph: ConceptGraph, top: int = 10) -> Stats:
    """Counts by category and relation type, the most central concepts, the isolated ones."""
    G = to_networkx(graph)
    by_category = Counter(c.category for c in graph.concepts)
    by_type = Counter(r.type for r in graph.relations)
    simple: nx.Graph[str] = nx.Graph(G.to_undirected())
    betweenness = nx.betweenness_centrality(simple) if len(simple) > 2 else {n: 0.0 for n in simple}
    degree = dict(G.degree())
    ranked = sorted(G.nodes, key=lambda n: (-degree[n], -betweenness[n], n))[:top]
    central = [(n, G.nodes[n]["label"], degree[n], round(betweenness[n], 3)) for n in ranked]
    return Stats(
        concepts=len(graph.concepts),
        relations=len(graph.relations),
        relation_types_used=len(by_type),
        by_category=[(c.id, by_category.get(c.id, 0)) for c in graph.categories],
        by_relation_type=[(t.id, by_type.get(t.id, 0)) for t in graph.relation_types],
        central=central,
        isolated=sorted(n for n in G.nodes if degree[n] == 0),
    )


def neighbourhood(graph: ConceptGraph, concept_id: str, depth: int = 1) -> set[str]:
    """The concepts within ``depth`` relations of a concept, in either direction."""
    G = to_networkx(graph).to_undirected(as_view=True)
    return set(nx.single_source_shortest_path_length(G, concept_id, cutoff=depth))


def communities(graph: ConceptGraph, seed: int = 7) -> list[list[str]]:
    """Groups of concepts more linked among themselves than with the rest (Louvain, seeded): roughly,
    the themes of the article. Largest first; in each, the most connected concepts first.

    The same graph gives the same groups in the same order in every process: ties (equal sizes,
    equal degrees) are broken by id, never by the order of a set, which changes with Python's hash
    seed.

    >>> from concept_graph.examples import tiny_graph
    >>> communities(tiny_graph())
    [['exploration', 'mastery', 'secure-base']]
    """
    simple: nx.Graph[str] = nx.Graph(to_networkx(graph).to_undirected())
    degree = dict(simple.degree())
    found = nx.community.louvain_communities(simple, seed=seed) if simple.number_of_edges() else \
        [{n} for n in simple]
    groups = [sorted(group, key=lambda n: (-degree[n], n)) for group in found]
    return sorted(groups, key=lambda group: (-len(group), min(group)))
