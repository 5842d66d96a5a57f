"""The fast writers write what the libraries write: Turtle, N-Triples and JSON-LD as rdflib serializes
them, GraphML and GEXF as networkx generates them, byte for byte, hostile text included."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from concept_graph import exports, load_graph, rdf, rdfwrite
from concept_graph.mentions import concept_sections
from concept_graph.rdfwrite import Blank, Lit
from conftest import FIXTURES

GRAPHS = ["tiny", "lecture", "hostile"]


def rdflib_text(g: Graph, fmt: str, context: dict | None = None) -> str:
    """What the build wrote before it had its own writers: rdflib's serializers, sorted where they are not."""
    if fmt == "nt":
        lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return "\n".join(sorted(set(line for line in lines if line.strip()))) + "\n"
    if fmt == "json-ld":
        data = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
        nodes = data.get("@graph", [])
        for node in nodes:
            for key, value in node.items():
                if isinstance(value, list):
                    node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        data["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return g.serialize(format=fmt)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
@pytest.mark.parametrize("name", GRAPHS)
def test_the_rdf_of_each_fixture_graph_is_written_as_rdflib_writes_it(name, fmt):
    graph = load_graph(FIXTURES / name)
    prefixes = rdf.Iris(graph.meta.base).prefixes()
    table = rdf.triples(graph)
    expected = rdflib_text(rdf.to_graph(table, prefixes), fmt, rdf.jsonld_context(graph))
    assert rdfwrite.text(rdf.write(table, fmt, prefixes)) == expected
    ontology = rdf.ontology_triples(graph)
    assert rdfwrite.text(rdf.write(ontology, "turtle", prefixes)) == rdflib_text(rdf.to_graph(ontology, prefixes),
                                                                                  "turtle")


HOSTILE = ["plain", "", "line\nbreak", 'ends with a quote"', 'three """ quotes\nand a line', "back\\slash\n\\",
           "carriage\rreturn", "tab\tstop", "ünïcödé ‮", "line\u2028separator", '"', '\n"', "<script>&</script>"]


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_hostile_literals_and_unusual_terms_are_written_as_rdflib_writes_them(fmt):
    base = "https://example.org/g/"
    prefixes = {"ex": base, "xsd": rdfwrite.XSD, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    table: dict = {}
    for n, text in enumerate(HOSTILE):
        s = f"{base}node-{n}"
        rdfwrite.add(table, s, rdfwrite.RDF_TYPE, base + "Thing")
        rdfwrite.add(table, s, rdfwrite.RDFS_LABEL, Lit(text, "en"))
        rdfwrite.add(table, s, base + "plain", Lit(text))
        rdfwrite.add(table, s, base + "count", n * 1000 - 3)
        rdfwrite.add(table, s, base + "typed", Lit(text, None, rdfwrite.XSD_STRING))
    rdfwrite.add(table, base + "1starts-with-a-digit", base + "see", base + "node-0")
    rdfwrite.add(table, base + "node-0", base + "see", base)  # the namespace itself
    rdfwrite.add(table, base + "node-0", base + "see", "urn:x:y")
    rdfwrite.add(table, base + "node-0", base + "see", base + "a/b#c")
    g = rdf.to_graph(table, prefixes)
    assert rdfwrite.text(rdf.write(table, fmt, prefixes)) == rdflib_text(g, fmt, prefixes if fmt == "json-ld" else None)
    # Blank nodes (the project's graphs have none) are written by their labels, not nested as rdflib
    # nests them in Turtle: another text, the same graph.
    blank = {base + "a": [(base + "has", Blank("b1")), (base + "n", 7)],
             Blank("b1"): [(base + "in", Lit("a blank node's value", "en")), (base + "to", Blank("b2"))],
             Blank("b2"): [(rdfwrite.RDF_TYPE, base + "Thing")]}
    back = Graph().parse(data=rdfwrite.text(rdf.write(blank, fmt, prefixes)), format=fmt)
    assert isomorphic(back, rdf.to_graph(blank, prefixes))


def networkx_exports(graph):
    """GraphML and GEXF as exports.py made them with networkx before it wrote them itself."""
    join = " | "
    sections = concept_sections(graph)
    types = graph.relation_type_by_id
    G = nx.MultiDiGraph()
    G.graph.update(id=graph.meta.id, title=graph.meta.title, base=graph.meta.base)
    for c in graph.concepts:
        G.add_node(c.id, label=c.label, synonyms=join.join(c.synonyms), category=c.category,
                   category_label=graph.category_by_id[c.category].label, definition=c.definition,
                   definition_quote=c.evidence.quote if c.evidence else "",
                   sections=join.join(map(str, sections[c.id])), iri=f"{graph.meta.base}concept/{c.id}")
    for r in graph.relations:
        G.add_edge(r.subject, r.object, key=r.type, id=r.id, type=r.type, label=types[r.type].label,
                   quote=join.join(e.quote for e in r.evidence), section=join.join(str(e.section) for e in r.evidence),
                   quote_start=join.join(str(e.start) for e in r.evidence),
                   quote_end=join.join(str(e.end) for e in r.evidence), note=r.note or "")
    graphml = "\n".join(nx.generate_graphml(G, edge_id_from_attribute="id")) + "\n"
    for _, _, data in G.edges(data=True):
        data["relation"] = data.pop("type")
    gexf = "\n".join(nx.generate_gexf(G)) + "\n"
    gexf = re.sub(r' lastmodifieddate="[^"]*"', "", gexf)
    gexf = re.sub(r"<creator>NetworkX [^<]*</creator>", "<creator>concept-graph</creator>", gexf)
    return graphml, gexf


@pytest.mark.parametrize("name", GRAPHS)
def test_graphml_and_gexf_are_written_as_networkx_writes_them(name):
    graph = load_graph(FIXTURES / name)
    assert (exports.to_graphml(graph), exports.to_gexf(graph)) == networkx_exports(graph)


def test_a_graph_without_relations_is_written_as_networkx_writes_it():
    graph = replace(load_graph(FIXTURES / "tiny"), relations=())
    assert (exports.to_graphml(graph), exports.to_gexf(graph)) == networkx_exports(graph)
