"""Formats for other tools: GraphML and GEXF (Gephi, Cytoscape, yEd) and CSV (spreadsheets, Neo4j).

Each carries the labels, categories, relation types and evidence. GraphML and GEXF hold only
scalar attributes, so lists (synonyms, quotes, sections) are joined with `` | ``; the CSV cells
that a spreadsheet would run as a formula are made inert.
"""

from __future__ import annotations

import csv
import io

from .mentions import concept_sections
from .model import ConceptGraph

JOIN = " | "
# A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


NODE_FIELDS = ("label", "synonyms", "category", "category_label", "definition", "definition_quote", "sections",
               "iri")
# Offsets are named quote_start/quote_end: GEXF reads 'start' and 'end' as time spans.
EDGE_FIELDS = ("id", "type", "label", "quote", "section", "quote_start", "quote_end", "note")


def _rows(graph: ConceptGraph):
    """(concept id, node fields) and (subject, object, edge fields), every value a string, in the order
    networkx's MultiDiGraph keeps them: nodes as given, edges by subject, then by object in order of
    their first edge, then as given."""
    sections = concept_sections(graph)
    types = graph.relation_type_by_id
    categories = graph.category_by_id
    nodes = [(c.id, (c.label, JOIN.join(c.synonyms), c.category, categories[c.category].label, c.definition,
                     c.evidence.quote if c.evidence else "", JOIN.join(map(str, sections[c.id])),
                     f"{graph.meta.base}concept/{c.id}")) for c in graph.concepts]
    by_subject: dict[str, dict[str, list]] = {c.id: {} for c in graph.concepts}
    for r in graph.relations:
        by_subject[r.subject].setdefault(r.object, []).append(r)
    edges = []
    for subject, objects in by_subject.items():
        for obj, relations in objects.items():
            for r in relations:
                edges.append((subject, obj, (r.id, r.type, types[r.type].label, JOIN.join(e.quote for e in r.evidence),
                                             JOIN.join(str(e.section) for e in r.evidence),
                                             JOIN.join(str(e.start) for e in r.evidence),
                                             JOIN.join(str(e.end) for e in r.evidence), r.note or "")))
    return nodes, edges


def _text(value: str) -> str:
    """XML character data, escaped as ElementTree escapes it."""
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                            "\t": "&#09;"})


def _attribute(value: str) -> str:
    """An XML attribute value, escaped as ElementTree escapes it."""
    return value.translate(_ATTRIBUTE)


def _ascii(text: str) -> str:
    """Characters beyond ASCII as character references, as networkx's ElementTree (us-ascii) writes them."""
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def to_graphml(graph: ConceptGraph) -> str:
    """GraphML as networkx writes it (``generate_graphml``, edge ids from the relation ids), written directly.

    networkx builds an ElementTree of every node and edge first: 5 s at 10,000 concepts; this is
    the same text, byte for byte (the tests compare them), in a fraction of that.
    """
    nodes, edges = _rows(graph)
    keys = [("graph", "title"), ("graph", "base")]
    if nodes:
        keys += [("node", name) for name in NODE_FIELDS]
    if edges:
        keys += [("edge", name) for name in EDGE_FIELDS]
    ids = {key: f"d{n}" for n, key in enumerate(keys)}
    out = ['<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    out += [f'  <key id="{ids[key]}" for="{key[0]}" attr.name="{_attribute(key[1])}" attr.type="string" />'
            for key in reversed(keys)]
    out.append(f'  <graph edgedefault="directed" id="{_attribute(graph.meta.id)}">')

    def data(key: str, value: str) -> str:
        return f'      <data key="{key}">{_text(value)}</data>' if value else f'      <data key="{key}" />'

    node_keys = [ids[("node", name)] for name in NODE_FIELDS] if nodes else []
    for node, values in nodes:
        out.append(f'    <node id="{_attribute(node)}">')
        out += [data(k, v) for k, v in zip(node_keys, values, strict=True)]
        out.append("    </node>")
    edge_keys = [ids[("edge", name)] for name in EDGE_FIELDS] if edges else []
    for source, target, values in edges:
        out.append(f'    <edge source="{_attribute(source)}" target="{_attribute(target)}" '
                   f'id="{_attribute(values[0])}">')
        out += [data(k, v) for k, v in zip(edge_keys, values, strict=True)]
        out.append("    </edge>")
    out += [data(ids[("graph", "title")], graph.meta.title)[2:], data(ids[("graph", "base")], graph.meta.base)[2:],
            "  </graph>", "</graphml>"]
    return _ascii("\n".join(out) + "\n")


def to_gexf(graph: ConceptGraph) -> str:
    """GEXF 1.2 as networkx writes it, without its date stamp and with this tool as the creator.

    Written directly, like :func:`to_graphml`; 'type' is a reserved GEXF edge attribute, so a
    relation's type is the attribute 'relation' (and networkx's edge key, 'networkx_key').
    """
    nodes, edges = _rows(graph)
    node_fields = NODE_FIELDS[1:]  # the label is the node's own attribute
    edge_fields = ("quote", "section", "quote_start", "quote_end", "note", "relation", "networkx_key")
    out = ['<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
           "  <meta>", "    <creator>concept-graph</creator>", "  </meta>",
           '  <graph defaultedgetype="directed" mode="static" name="">']
    first_edge = len(node_fields) if nodes else 0

    def attributes(kind: str, fields, first: int) -> list[str]:
        return ([f'    <attributes mode="static" class="{kind}">']
                + [f'      <attribute id="{first + n}" title="{name}" type="string" />'
                   for n, name in enumerate(fields)]
                + ["    </attributes>"])

    if edges:
        out += attributes("edge", edge_fields, first_edge)
    if nodes:
        out += attributes("node", node_fields, 0)

    def attvalues(values, first: int) -> list[str]:
        return (["        <attvalues>"]
                + [f'          <attvalue for="{first + n}" value="{_attribute(v)}" />' for n, v in enumerate(values)]
                + ["        </attvalues>"])

    if nodes:
        out.append("    <nodes>")
        for node, values in nodes:
            out.append(f'      <node id="{_attribute(node)}" label="{_attribute(values[0])}">')
            out += attvalues(values[1:], 0)
            out.append("      </node>")
        out.append("    </nodes>")
    else:
        out.append("    <nodes />")
    if edges:
        out.append("    <edges>")
        for source, target, values in edges:
            rid, rtype, label = values[0], values[1], values[2]
            out.append(f'      <edge source="{_attribute(source)}" target="{_attribute(target)}" '
                       f'id="{_attribute(rid)}" label="{_attribute(label)}">')
            out += attvalues((*values[3:], rtype, rtype), first_edge)
            out.append("      </edge>")
        out.append("    </edges>")
    else:
        out.append("    <edges />")
    out += ["  </graph>", "</gexf>"]
    return _ascii("\n".join(out) + "\n")


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
