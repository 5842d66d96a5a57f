"""The RDF a knowledge engineer gets: SKOS, OWL, Web Annotation evidence; round trips; SHACL."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS

from concept_graph import load_graph, to_rdf
from concept_graph.rdf import jsonld_context, ontology_rdf, serialize
from concept_graph.shapes import check_shapes
from concept_graph.vocab import CG, OA

BASE = "https://example.org/tiny/"


@pytest.fixture(scope="module")
def tiny_graph():
    from conftest import FIXTURES

    return load_graph(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def rdf(tiny_graph):
    return to_rdf(tiny_graph)


def test_each_concept_is_a_skos_concept_with_labels_definition_and_scheme(rdf):
    c = URIRef(BASE + "concept/exploration")
    assert (c, RDF.type, SKOS.Concept) in rdf
    assert rdf.value(c, SKOS.prefLabel) == Literal("exploration", lang="en")
    assert set(rdf.objects(c, SKOS.altLabel)) == {Literal("venturing out", lang="en")}
    assert rdf.value(c, SKOS.definition) == Literal("Going out into the world.", lang="en")
    assert rdf.value(c, SKOS.inScheme) == URIRef(BASE)
    assert (URIRef(BASE), RDF.type, SKOS.ConceptScheme) in rdf
    assert rdf.value(c, CG.category) == URIRef(BASE + "category/process")


def test_a_relation_is_a_direct_triple_and_a_reified_node_with_its_quote(rdf):
    s, p, o = (URIRef(BASE + "concept/secure-base"), URIRef(BASE + "rel/fosters"),
               URIRef(BASE + "concept/exploration"))
    assert (s, p, o) in rdf
    node = URIRef(BASE + "relation/secure-base--fosters--exploration")
    assert (node, RDF.type, CG.Relation) in rdf
    assert (rdf.value(node, RDF.subject), rdf.value(node, RDF.predicate), rdf.value(node, RDF.object)) == (s, p, o)
    rows = list(rdf.query("""
        SELECT ?exact ?start ?end ?section WHERE {
          ?rel cg:evidence ?ann . ?ann cg:section/cg:sectionNumber ?section ;
               oa:hasTarget/oa:hasSelector ?q, ?pos .
          ?q oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end . }""",
        initNs={"cg": CG._NS, "oa": OA._NS}, initBindings={"rel": node}))
    assert [(str(r.exact), r.start.toPython(), r.end.toPython(), r.section.toPython()) for r in rows] == [
        ("A secure base fosters exploration", 36, 69, 1)]


def test_relation_types_are_owl_properties_with_inverses_and_kind_of_is_skos_broader(tiny_graph, rdf):
    onto = ontology_rdf(tiny_graph)
    fosters, inverse = URIRef(BASE + "rel/fosters"), URIRef(BASE + "rel/is-fostered-by")
    assert (fosters, RDF.type, OWL.ObjectProperty) in onto
    assert (fosters, OWL.inverseOf, inverse) in onto
    assert (URIRef(BASE + "rel/contrasts-with"), RDF.type, OWL.SymmetricProperty) in onto
    assert (URIRef(BASE + "rel/kind-of"), URIRef(str(OWL) + "inverseOf"), None) in onto
    assert (URIRef(BASE + "concept/mastery"), SKOS.broader, URIRef(BASE + "concept/competence")) in rdf


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt"])
def test_every_serialization_parses_back_isomorphic(tiny_graph, rdf, fmt):
    text = serialize(rdf, fmt, jsonld_context(tiny_graph) if fmt == "json-ld" else None)
    back = Graph().parse(data=text, format=fmt)
    assert len(back) == len(rdf)
    assert isomorphic(back, rdf)


def test_the_tiny_graph_conforms_to_the_shapes(rdf):
    report = check_shapes(rdf)
    assert report.conforms, report.text


def test_a_relation_without_evidence_breaks_the_shapes(rdf):
    broken = Graph() + rdf
    broken.remove((URIRef(BASE + "relation/secure-base--fosters--exploration"), CG.evidence, None))
    report = check_shapes(broken)
    assert not report.conforms and report.violations == 1


def test_a_quote_whose_offsets_do_not_span_it_breaks_the_shapes(rdf):
    broken = Graph() + rdf
    position = URIRef(BASE + "evidence/secure-base--fosters--exploration--1--position")
    broken.set((position, OA.end, Literal(99)))
    report = check_shapes(broken)
    assert not report.conforms
    assert "end - start must equal its length" in report.text


def test_a_reified_relation_without_its_direct_triple_breaks_the_shapes(rdf):
    broken = Graph() + rdf
    broken.remove((URIRef(BASE + "concept/secure-base"), URIRef(BASE + "rel/fosters"),
                   URIRef(BASE + "concept/exploration")))
    report = check_shapes(broken)
    assert not report.conforms and report.violations == 1
    assert "has no direct triple" in report.text
