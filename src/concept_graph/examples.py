"""A tiny graph built in memory, for doctests and quick experiments."""

from __future__ import annotations

from .article import locate, parse_article
from .model import Category, Concept, ConceptGraph, GraphMeta, Relation, RelationType

TINY_TEXT = ("Tiny\nSafety\nA secure base fosters exploration. "
             "Exploration leads to mastery.")


def tiny_graph() -> ConceptGraph:
    """Three concepts and two relations over a two-sentence article."""
    article = parse_article(TINY_TEXT, "tiny.txt")
    ev = lambda q: locate(article, q)  # noqa: E731
    return ConceptGraph(
        meta=GraphMeta("tiny", "Tiny", "", "https://example.org/tiny/", "en"),
        article=article,
        categories=(Category("thing", "Thing", ""),),
        relation_types=(RelationType("fosters", "fosters", "builds up", "is fostered by"),
                        RelationType("leads-to", "leads to", "causes", "results from")),
        concepts=(Concept("secure-base", "secure base", (), "thing", "a base", ev("A secure base")),
                  Concept("exploration", "exploration", (), "thing", "exploring", ev("Exploration leads")),
                  Concept("mastery", "mastery", (), "thing", "mastering", ev("to mastery"))),
        relations=(Relation("secure-base", "fosters", "exploration", (ev("A secure base fosters exploration"),)),
                   Relation("exploration", "leads-to", "mastery", (ev("Exploration leads to mastery"),))),
    )
