"""The graph as data for a SPARQL engine: built in memory from a graph folder, or read from a file.

Engines, the server's workers and ``push`` all start from a :class:`GraphData`: the RDF as bytes
in one format, with the prefixes it binds and the graph's base IRI, so that a worker process can
be sent the graph in one message and load it without importing the build pipeline.

Several articles (a folder of graph folders, or a built ``.trig``) are a dataset: TriG with one
named graph per article (:mod:`concept_graph.combine`). The engines query its union, as if it
were one graph, and ``GRAPH ?g`` names the article a triple comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import display_path
from .media import DATASET_MEDIA_TYPES, RDF_MEDIA_TYPES


@dataclass(frozen=True)
class GraphData:
    """The RDF of one graph as bytes in one format, and the prefixes it binds."""

    data: bytes
    format: str  # rdflib's name: turtle, nt, json-ld, or trig for several articles (a dataset)
    name: str  # for messages
    prefixes: dict = field(default_factory=dict)
    graph_dir: Path | None = None
    graph_id: str | None = None
    base: str | None = None

    @property
    def media_type(self) -> str:
        return RDF_MEDIA_TYPES.get(self.format) or DATASET_MEDIA_TYPES[self.format]

    @property
    def is_dataset(self) -> bool:
        """Several graphs, named: queries read their union."""
        return self.format in DATASET_MEDIA_TYPES


def load_data(source: Path | str | GraphData) -> GraphData:
    """The graph of a graph folder, built in memory from its spec, or of an RDF file.

    A folder is always built from its spec, never read from ``out/``: a built file can be older
    than the spec it came from (an edit since the last build, or a checkout that reset its
    time), and a query must not answer from a stale build. To query a built file, name it
    (``.ttl``, ``.nt``, ``.jsonld``, or the combined graph's ``.trig``). A folder without a
    spec that holds several graph folders is their combined graph (:func:`load_union`).
    """
    from .rdf import format_for

    if isinstance(source, GraphData):
        return source
    path = Path(source)
    if path.is_dir() and not (path / "spec").is_dir():
        from .combine import graph_folders

        if len(graph_folders(path)) > 1:
            return load_union(path)
    if path.is_file() and path.suffix.lower() == ".trig":
        data = path.read_bytes()
        return GraphData(data, "trig", display_path(path), _turtle_prefixes(data))
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


def load_union(root: Path | str) -> GraphData:
    """The combined graph of the graph folders under ``root``, built in memory from their specs, as TriG."""
    from .combine import COMBINED_ID, load_combined
    from .rdfwrite import text

    combined = load_combined(root)
    data = text(combined.trig()).encode("utf-8")
    return GraphData(data, "trig", display_path(root), combined.prefixes(), Path(root), COMBINED_ID)


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
