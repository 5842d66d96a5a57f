"""SHACL: checking a built RDF graph against the project's shapes with pyshacl.

The shapes (``data/shapes.ttl``, also written next to every build's outputs) say what a
well-formed concept graph is, independently of the Python code that writes it; a knowledge
engineer can run them with any SHACL engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph


def shapes_text() -> str:
    return resources.files("concept_graph").joinpath("data/shapes.ttl").read_text(encoding="utf-8")


@dataclass(frozen=True)
class ShapesReport:
    conforms: bool
    violations: int
    text: str


def check_shapes(data: Graph) -> ShapesReport:
    """Validate ``data`` against the shapes; pyshacl is imported only here, as it is slow to load."""
    import pyshacl

    shapes = Graph().parse(data=shapes_text(), format="turtle")
    conforms, report_graph, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True,
                                                   inference="none", allow_warnings=False)
    from rdflib.namespace import SH

    violations = len(set(report_graph.subjects(predicate=SH.resultSeverity)))
    return ShapesReport(bool(conforms), violations, text)
