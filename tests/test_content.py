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
        ("secure-attachment", "provides", "secure-internal-working-model"),
        ("secure-base", "enables", "exploration"),
        ("internalized-caregiver-presence", "develops-into", "self-soothing"),
        ("insecure-attachment", "threatens", "psychological-security")],
    3: [("mastery", "fosters", "self-trust"),
        ("recovery-from-failure", "fosters", "ego-sturdiness"),
        ("psychological-security", "enables", "exploration"),
        ("exploration", "fosters", "mastery"),
        ("mastery-internalization", "reduces", "psychological-vulnerability")],
    4: [("psychological-security", "requires", "perceived-support-reliability"),
        ("relational-security", "requires", "trust"),
        ("relational-insecurity", "threatens", "basic-safety"),
        ("relational-security", "enables", "co-regulation"),
        ("external-validation", "fosters", "ego-sturdiness")],
    5: [("psychological-security", "operationalized-as", "therapeutic-trust"),
        ("therapeutic-alliance", "requires", "therapeutic-trust"),
        ("psychotherapy", "requires", "therapeutic-trust"),
        ("holding-environment", "enables", "self-examination"),
        ("therapeutic-relationship", "provides", "corrective-emotional-experience")],
    6: [("psychological-security", "reduces", "rumination"),
        ("psychological-security", "manifests-as", "emotional-regulation"),
        ("self-trust", "reduces", "flight-or-fight-response"),
        ("psychological-security", "fosters", "psychological-openness"),
        ("psychological-security", "reduces", "defensive-response")],
    7: [("stressor", "threatens", "psychological-security"),
        ("interpersonal-invalidation", "threatens", "ego-sturdiness"),
        ("complex-trauma", "leads-to", "disorganized-security"),
        ("disorganized-security", "manifests-as", "contradictory-behavioral-patterns"),
        ("holding-environment", "mechanism-of", "basic-safety")],
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


def test_every_section_is_fully_grounded(graph):
    rows = coverage(graph)
    assert all(row.share == 1.0 for row in rows)


def test_every_concept_knows_the_sections_it_appears_in(graph):
    sections = concept_sections(graph)
    assert 5 in sections["therapeutic-trust"] and 4 in sections["trust"]
    assert 2 in sections["secure-base"] and 5 in sections["secure-base"]
    assert all(sections[c.id] for c in graph.concepts)


def test_the_article_s_argument_is_one_connected_whole(graph):
    import networkx as nx

    from concept_graph import to_networkx

    G = to_networkx(graph)
    assert nx.number_weakly_connected_components(G) == 1
    assert nx.has_path(G.to_undirected(), "secure-base", "self-soothing")


# What an expert's audit of the first version found, fixed; each stays fixed.
def stated(graph):
    return {(r.subject, r.type, r.object) for r in graph.relations}


def test_security_withstands_stressors_it_does_not_remove_them(graph):
    relations = stated(graph)
    assert ("psychological-security", "withstands", "stressor") in relations
    assert ("stressor", "threatens", "psychological-security") in relations
    assert ("psychological-security", "reduces", "stressor") not in relations
    # "despite" and "buffer against" are coping, not removal
    assert ("ego-sturdiness", "withstands", "internal-conflict") in relations
    assert ("external-validation", "buffers", "uncertainty") in relations


def test_the_central_node_does_not_contradict_itself(graph):
    from concept_graph.lint import lint

    relations = stated(graph)
    assert ("psychological-security", "characterized-by", "assurance") in relations
    assert ("psychological-security", "enables", "assurance") not in relations
    assert ("psychological-security", "manifests-as", "emotional-regulation") in relations
    assert ("psychological-security", "fosters", "emotional-regulation") not in relations
    assert [f for f in lint(graph) if f.code == "conflict"] == []


def test_every_defence_is_a_kind_of_defensive_response_which_aims_at_safety(graph):
    kinds = {s for s, t, o in stated(graph) if t == "kind-of" and o == "defensive-response"}
    defences = {c.id for c in graph.concepts if c.category == "defense"} - {"defensive-response"}
    assert defences and defences <= kinds
    assert ("defensive-response", "aims-at", "basic-safety") in stated(graph)
    assert ("avoidant-attachment", "kind-of", "defensive-response") not in stated(graph)
    assert ("avoidant-attachment", "leads-to", "controlled-safety") in stated(graph)


def test_attachment_patterns_share_a_category_and_disorganization_hangs_on_security(graph):
    patterns = ("secure-attachment", "insecure-attachment", "avoidant-attachment", "anxious-attachment")
    assert {graph.concept(c).category for c in patterns} == {"attachment"}
    relations = stated(graph)
    assert ("complex-trauma", "leads-to", "disorganized-security") in relations
    assert ("complex-trauma", "threatens", "psychological-security") in relations


def test_what_the_therapist_provides_is_in_the_graph(graph):
    provided = {o for s, t, o in stated(graph) if s == "therapist" and t == "provides"}
    assert {"consistent-boundaries", "confidentiality", "unconditional-positive-regard", "empathy",
            "holding-environment", "reliability", "predictable-responsiveness",
            "secure-relational-template"} <= provided


def test_the_secure_model_not_every_model_fosters_safety(graph):
    relations = stated(graph)
    assert ("secure-internal-working-model", "fosters", "basic-safety") in relations
    assert ("internal-working-model", "fosters", "basic-safety") not in relations
    assert ("negative-internal-working-model", "kind-of", "internal-working-model") in relations
    assert ("attachment-quality", "fosters", "psychological-security") in relations
    assert ("attachment-relationship", "leads-to", "psychological-security") not in relations


def test_the_therapeutic_relationship_is_part_of_the_association_not_the_alliance(graph):
    relations = stated(graph)
    assert ("therapeutic-relationship", "part-of", "therapist-patient-association") in relations
    assert "therapist-patient association" not in graph.concept("therapeutic-alliance").synonyms


def test_senses_are_split_and_labels_do_not_clash(graph):
    assert graph.concept("perceived-vulnerability").label == "perceived vulnerability"
    assert graph.concept("vulnerability").label == "being vulnerable"
    assert "fight-or-flight response" in graph.concept("flight-or-fight-response").synonyms
    labels = [c.label for c in graph.concepts]
    assert len([label for label in labels if label == "integration"]) == 0
    relations = stated(graph)
    assert ("felt-acceptance", "requires", "vulnerability") in relations
    assert ("therapeutic-trust", "kind-of", "trust") in relations


def test_what_the_first_reading_missed_is_stated(graph):
    ids = {c.id for c in graph.concepts}
    assert {"internal-locus-of-control", "cognitive-stability", "basic-survival", "reliability",
            "state-of-alarm", "relational-template", "momentary-disturbance", "controlled-safety"} <= ids
    relations = stated(graph)
    for pattern in ("trust-difficulties", "hypervigilance", "emotional-suppression"):
        assert (pattern, "tries-to-manage", "state-of-alarm") in relations
    assert ("secure-internal-working-model", "functions-as", "relational-template") in relations
    assert ("projection", "tries-to-manage", "anxiety") in relations
    assert ("self-efficacy", "fosters", "psychological-security") in relations
    assert ("relational-security", "kind-of", "psychological-security") in relations
    assert ("basic-safety", "enables", "exploration") in relations


def test_the_article_graph_is_lint_clean_and_meets_its_targets(graph):
    from concept_graph.targets import measure

    report = measure(graph)
    assert report.findings == ()
    assert report.missed == ()
    assert report.coverage == 1.0


def test_what_the_third_reading_found_is_fixed(graph):
    """An auditor who read the article first judged 40 random relations (seed 205761): 37 right.
    The three wrong ones, and one sense the auditor flagged, are fixed here."""
    relations = stated(graph)
    # "the quality of the primary attachment relationships" names an attribute; it states nothing.
    assert ("attachment-relationship", "characterized-by", "attachment-quality") not in relations
    # the avoidant style's "controlled, albeit impoverished, sense of safety" is not basic safety
    assert ("controlled-safety", "kind-of", "basic-safety") not in relations
    # what becomes self-soothing is the internalized comforting presence, not internalization at large
    assert ("internalized-caregiver-presence", "develops-into", "self-soothing") in relations
    assert ("internalized-caregiver-presence", "develops-into", "independent-coping") in relations
    assert "internalization" not in {c.label for c in graph.concepts}
    # mastery reduces the susceptibility the text calls psychological vulnerability, a sense of its own
    assert ("mastery-internalization", "reduces", "psychological-vulnerability") in relations
    assert "psychological vulnerability" not in graph.concept("perceived-vulnerability").synonyms


def test_what_the_fourth_reading_found_is_fixed(graph):
    """A fourth reader's sample (seed 468237, 37 of 40 right before these fixes)."""
    relations = stated(graph)
    # "directly linked to" states a link, not what cognitive stability is
    assert ("cognitive-stability", "characterized-by", "independence-from-alarm") not in relations
    # what is "translated into" internal mechanisms is the approval and support, not the people
    assert ("support-system", "develops-into", "internal-psychological-mechanisms") not in relations
    assert ("external-validation", "develops-into", "internal-psychological-mechanisms") in relations
    # "not constantly scanning the horizon for potential danger" is not hypervigilance; vigilance is kept
    assert ("independence-from-alarm", "contrasts-with", "hypervigilance") in relations
    assert ("independence-from-alarm", "contrasts-with", "vigilance") not in relations


def test_what_a_full_reading_in_four_parts_found_is_fixed(graph):
    """Four readers, each a quarter of the relations in article order, after reading the article."""
    relations = stated(graph)
    # the internalization of mastery, not mastery, reduces vulnerability and brings assurance
    for t, o in (("reduces", "psychological-vulnerability"), ("fosters", "assurance"),
                 ("buffers", "momentary-disturbance")):
        assert ("mastery-internalization", t, o) in relations and ("mastery", t, o) not in relations
    # "This model ... serving as a template": the secure model, not every model
    assert ("internal-working-model", "functions-as", "relational-template") not in relations
    # the therapist offers a template for *secure* relating; the infant's template may be insecure
    assert ("therapist", "provides", "secure-relational-template") in relations
    assert ("re-parenting", "characterized-by", "secure-relational-template") in relations
    assert "template for secure relating" not in graph.concept("relational-template").synonyms
    # "essential for ... fostering the deep assurance that one is seen and accepted": preconditions
    assert {("felt-acceptance", "requires", "vulnerability"), ("felt-acceptance", "requires", "self-disclosure")} \
        <= relations
    # safety is rebuilt through the environment the alliance provides, not the alliance itself
    assert ("holding-environment", "mechanism-of", "basic-safety") in relations
    assert ("therapeutic-alliance", "provides", "holding-environment") in relations
    # not constrained by fear: security holds it off, it does not remove it
    assert ("psychological-security", "buffers", "fear") in relations
    assert ("psychological-security", "reduces", "fear") not in relations
    for gone in (("self-trust", "characterized-by", "internal-resources"),
                 ("client", "requires", "therapeutic-trust"),
                 ("support-system", "characterized-by", "reliability"),
                 ("growth", "fosters", "independence-from-alarm")):
        assert gone not in relations


def test_the_loop_of_competence_and_security_closes_as_the_article_says(graph):
    """'High competence yields greater security, which in turn frees up mental bandwidth for further
    exploration and risk-taking, leading to the acquisition of new skills': a lecturer's question."""
    relations = stated(graph)
    assert {("competence", "fosters", "psychological-security"), ("psychological-security", "enables", "exploration"),
            ("exploration", "fosters", "competence"), ("risk-taking", "fosters", "competence")} <= relations
