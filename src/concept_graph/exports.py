"""Formats for other tools: GraphML and GEXF (Gephi, Cytoscape, yEd) and CSV (spreadsheets, Neo4j).

Each carries the labels, categories, relation types and evidence. GraphML and GEXF hold only
scalar attributes, so lists (synonyms, quotes, sections) are joined with `` | ``; the CSV cells
that a spreadsheet would run as a formula are made inert.
"""

from __future__ import annotations

import csv
import io
import re

from .mentions import concept_sections
from .model import ConceptGraph

JOIN = " | "
# A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _flat_graph(graph: ConceptGraph):
    """A networkx MultiDiGraph whose attributes are all strings or integers."""
    import networkx as nx

    sections = concept_sections(graph)
    types = graph.relation_type_by_id
    # Offsets are named quote_start/quote_end: GEXF reads 'start' and 'end' as time spans.
    G = nx.MultiDiGraph()
    G.graph.update(id=graph.meta.id, title=graph.meta.title, base=graph.meta.base)
    for c in graph.concepts:
        G.add_node(c.id, label=c.label, synonyms=JOIN.join(c.synonyms), category=c.category,
                   category_label=graph.category_by_id[c.category].label, definition=c.definition,
                   definition_quote=c.evidence.quote if c.evidence else "",
                   sections=JOIN.join(map(str, sections[c.id])), iri=f"{graph.meta.base}concept/{c.id}")
    for r in graph.relations:
        G.add_edge(r.subject, r.object, key=r.type, id=r.id, type=r.type, label=types[r.type].label,
                   quote=JOIN.join(e.quote for e in r.evidence),
                   section=JOIN.join(str(e.section) for e in r.evidence),
                   quote_start=JOIN.join(str(e.start) for e in r.evidence),
                   quote_end=JOIN.join(str(e.end) for e in r.evidence), note=r.note or "")
    return G


def to_graphml(graph: ConceptGraph) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(_flat_graph(graph), edge_id_from_attribute="id")) + "\n"


def to_gexf(graph: ConceptGraph) -> str:
    """GEXF 1.2 without networkx's date stamp, so the file is the same on every rebuild."""
    import networkx as nx

    G = _flat_graph(graph)
    for _, _, data in G.edges(data=True):
        data["relation"] = data.pop("type")  # 'type' is a reserved GEXF edge attribute
    text = "\n".join(nx.generate_gexf(G)) + "\n"
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text)
    return re.sub(r"<creator>NetworkX [^<]*</creator>", "<creator>concept-graph</creator>", text)


def safe_cell(value) -> str:
    """A CSV cell that no spreadsheet runs as a formula.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("secure base")
    ('\\'=HYPERLINK("http://x")', 'secure base')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def nodes_csv(graph: ConceptGraph) -> str:
    """One row per concept; the header suits ``neo4j-admin import`` (``id:ID``, ``:LABEL``)."""
    sections = concept_sections(graph)
    return _csv(["id:ID", "label", "synonyms", "category:LABEL", "definition", "definition_quote", "sections"],
                ([c.id, c.label, JOIN.join(c.synonyms), c.category, c.definition,
                  c.evidence.quote if c.evidence else "", JOIN.join(map(str, sections[c.id]))]
                 for c in graph.concepts))


def edges_csv(graph: ConceptGraph) -> str:
    """One row per piece of evidence: a relation stated twice in the article has two rows."""
    types = graph.relation_type_by_id
    headings = {s.number: s.heading for s in graph.article.sections}
    return _csv([":START_ID", ":END_ID", ":TYPE", "label", "quote", "section", "section_heading", "start:int",
                 "end:int", "note"],
                ([r.subject, r.object, r.type, types[r.type].label, e.quote, e.section, headings[e.section],
                  e.start, e.end, r.note or ""]
                 for r in graph.relations for e in r.evidence))
