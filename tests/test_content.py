"""The article's graph says what the article says: its argument, section by section.

These pin the content a lecturer would check first; the review that produced them is described in
the README ("How the graph was made").
"""

from __future__ import annotations

import pytest

from concept_graph import load_graph
from concept_graph.coverage import coverage
from concept_graph.mentions import concept_sections
from concept_graph.network import graph_stats

from conftest import ARTICLE_GRAPH


@pytest.fixture(scope="module")
def graph():
    return load_graph(ARTICLE_GRAPH)


CENTRAL = {
    1: [("psychological-security", "characterized-by", "assurance"),
        ("human-flourishing", "requires", "assurance"),
        ("support-system", "fosters", "psychological-security"),
        ("competence", "fosters", "psychological-security"),
        ("ego-sturdiness", "mechanism-of", "psychological-security")],
    2: [("responsive-caregiving", "leads-to", "secure-attachment"),
        ("secure-attachment", "leads-to", "internal-working-model"),
        ("secure-base", "enables", "exploration"),
        ("internalization", "develops-into", "self-soothing"),
        ("insecure-attachment", "threatens", "psychological-security")],
    3: [("mastery", "fosters", "self-trust"),
        ("recovery-from-failure", "fosters", "ego-sturdiness"),
        ("psychological-security", "enables", "exploration"),
        ("exploration", "leads-to", "mastery"),
        ("mastery", "reduces", "perceived-vulnerability")],
    4: [("psychological-security", "requires", "perceived-support-reliability"),
        ("relational-security", "requires", "trust"),
        ("relational-insecurity", "threatens", "basic-safety"),
        ("relational-security", "enables", "co-regulation"),
        ("external-validation", "fosters", "ego-sturdiness")],
    5: [("psychological-security", "operationalized-as", "trust"),
        ("therapeutic-alliance", "requires", "trust"),
        ("psychotherapy", "requires", "trust"),
        ("holding-environment", "enables", "self-examination"),
        ("therapeutic-relationship", "leads-to", "corrective-emotional-experience")],
    6: [("psychological-security", "reduces", "rumination"),
        ("psychological-security", "manifests-as", "emotional-regulation"),
        ("assurance", "reduces", "flight-or-fight-response"),
        ("psychological-security", "fosters", "psychological-openness"),
        ("psychological-security", "reduces", "defensive-response")],
    7: [("stressor", "threatens", "psychological-security"),
        ("interpersonal-invalidation", "threatens", "ego-sturdiness"),
        ("complex-trauma", "leads-to", "disorganized-security"),
        ("disorganized-security", "manifests-as", "contradictory-behavioral-patterns"),
        ("therapeutic-alliance", "mechanism-of", "basic-safety")],
    8: [("psychological-security", "requires", "ongoing-maintenance"),
        ("cultivating-internal-stability", "fosters", "psychological-security"),
        ("seeking-mastery-opportunities", "fosters", "ego-sturdiness"),
        ("efficacy-boosting-behavior", "fosters", "psychological-security"),
        ("mental-health", "requires", "psychological-security")],
}


@pytest.mark.parametrize("section", sorted(CENTRAL))
def test_each_section_s_central_relations_are_there_with_type_direction_and_a_quote_from_it(graph, section):
    stated = {(r.subject, r.type, r.object): r for r in graph.relations}
    for triple in CENTRAL[section]:
        assert triple in stated, f"section {section}: missing {triple}"
        assert section in {e.section for e in stated[triple].evidence}, f"{triple} is not quoted from {section}"


def test_the_inverse_direction_of_a_central_relation_is_not_stated(graph):
    stated = {(r.subject, r.type, r.object) for r in graph.relations}
    assert ("psychological-security", "requires", "mental-health") not in stated
    assert ("psychological-security", "threatens", "stressor") not in stated
    assert ("exploration", "enables", "secure-base") not in stated


def test_synonyms_are_alt_labels_of_one_concept_not_separate_nodes(graph):
    ego = graph.concept("ego-sturdiness")
    assert {"ego strength", "resilience"} <= set(ego.synonyms)
    labels = {c.label for c in graph.concepts}
    assert not {"ego strength", "resilience"} & labels
    assert graph.concept("john-bowlby").category == "theorist"
    theorized = {(r.subject, r.object) for r in graph.relations if r.type == "theorized-by"}
    assert theorized == {("attachment-relationship", "john-bowlby"), ("attachment-relationship", "mary-ainsworth")}


def test_the_graph_is_broad_every_concept_defined_and_grounded(graph):
    assert len(graph.concepts) >= 80
    assert len(graph.relations) >= 180
    assert 10 <= len(graph.relation_types) <= 24
    assert all(t.family in graph.family_by_id for t in graph.relation_types)
    assert all(c.definition and c.evidence for c in graph.concepts)
    assert all(r.evidence for r in graph.relations)
    assert {t.id for t in graph.relation_types} == {r.type for r in graph.relations}


def test_no_concept_is_isolated(graph):
    assert graph_stats(graph).isolated == []


def test_coverage_meets_the_targets(graph):
    rows = coverage(graph)
    assert rows[-1].share >= 0.9
    assert all(row.share >= 0.8 for row in rows[:-1])


def test_every_concept_knows_the_sections_it_appears_in(graph):
    sections = concept_sections(graph)
    assert sections["trust"][:1] and 5 in sections["trust"]
    assert 2 in sections["secure-base"] and 5 in sections["secure-base"]
    assert all(sections[c.id] for c in graph.concepts)


def test_the_article_s_argument_is_one_connected_whole(graph):
    import networkx as nx

    from concept_graph import to_networkx

    G = to_networkx(graph)
    assert nx.number_weakly_connected_components(G) == 1
    assert nx.has_path(G.to_undirected(), "secure-base", "self-soothing")
