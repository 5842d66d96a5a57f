"""Where the article names each concept, and how much of it the graph grounds."""

from __future__ import annotations

from concept_graph import load_graph
from concept_graph.coverage import coverage
from concept_graph.mentions import concept_sections, find_mentions, mention_counts


def test_mentions_are_found_by_label_synonym_case_and_plural(tiny):
    (tiny / "article.txt").write_text((tiny / "article.txt").read_text() + " Secure bases and Explorations abound.")
    graph = load_graph(tiny)
    texts = [(m.concept, m.text) for m in find_mentions(graph)]
    assert ("exploration", "venturing out") in texts
    assert ("secure-base", "Secure bases") in texts
    assert ("exploration", "Explorations") in texts


def test_headings_and_the_table_of_contents_are_not_mentions(tiny):
    graph = load_graph(tiny)
    first_body = graph.article.sections[0].start
    assert all(m.start >= first_body for m in find_mentions(graph))


def test_each_concept_knows_the_sections_it_appears_in(tiny):
    graph = load_graph(tiny)
    sections = concept_sections(graph)
    assert sections["secure-base"] == [1, 2]
    assert sections["trauma"] == [2]
    assert mention_counts(graph)["secure-base"] == 2


def test_coverage_counts_grounded_sentences_per_section_and_lists_the_rest(tiny):
    graph = load_graph(tiny)
    rows = coverage(graph)
    assert [(r.number, r.sentences, r.grounded) for r in rows] == [(1, 3, 3), (2, 2, 1), (0, 5, 4)]
    assert [s.text for s in rows[-1].ungrounded] == ["Avoidance is a defense."]
