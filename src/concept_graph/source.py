"""The graph as data for a SPARQL engine: built in memory from a graph folder, or read from a file.

Engines, the server's workers and ``push`` all start from a :class:`GraphData`: the RDF as bytes
in one format, with the prefixes it binds and the graph's base IRI, so that a worker process can
be sent the graph in one message and load it without importing the build pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import display_path
from .media import RDF_MEDIA_TYPES


@dataclass(frozen=True)
class GraphData:
    """The RDF of one graph as bytes in one format, and the prefixes it binds."""

    data: bytes
    format: str  # rdflib's name: turtle, nt or json-ld
    name: str  # for messages
    prefixes: dict = field(default_factory=dict)
    graph_dir: Path | None = None
    graph_id: str | None = None
    base: str | None = None

    @property
    def media_type(self) -> str:
        return RDF_MEDIA_TYPES[self.format]


def load_data(source: Path | str) -> GraphData:
    """The graph of a graph folder, built in memory from its spec, or of an RDF file.

    A folder is always built from its spec, never read from ``out/``: a built file can be older
    than the spec it came from (an edit since the last build, or a checkout that reset its
    time), and a query must not answer from a stale build. To query a built file, name it
    (``.ttl``, ``.nt`` or ``.jsonld``).
    """
    from .rdf import format_for

    path = Path(source)
    if path.is_file():
        fmt = format_for(path)
        data = path.read_bytes()
        prefixes = _turtle_prefixes(data) if fmt == "turtle" else {}
        return GraphData(data, fmt, display_path(path), prefixes, base=_base_from(prefixes))
    from .rdf import Iris, to_rdf
    from .validate import load_graph
    from .vocab import PREFIXES

    graph = load_graph(path)
    data = to_rdf(graph).serialize(format="nt", encoding="utf-8")
    prefixes = {p: str(ns) for p, ns in {**PREFIXES, **Iris(graph.meta.base).ns}.items()}
    return GraphData(data, "nt", display_path(path), prefixes, path, graph.meta.id, graph.meta.base)


def _turtle_prefixes(data: bytes) -> dict[str, str]:
    head = data[:20000].decode("utf-8", "replace")
    return {m.group(1): m.group(2) for m in re.finditer(r"(?m)^@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.", head)}


def _base_from(prefixes: dict[str, str]) -> str | None:
    concept = prefixes.get("concept", "")
    return concept[: -len("concept/")] if concept.endswith("concept/") else None


def standard_prefixes(base: str | None = None) -> dict[str, str]:
    """The prefixes every query may use undeclared: the vocabularies, and the graph's own under ``base``."""
    from .vocab import PREFIXES, graph_namespaces

    own = graph_namespaces(base) if base else {}
    return {p: str(ns) for p, ns in {**PREFIXES, **own}.items()}
