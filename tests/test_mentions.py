"""Where the article names each concept, and how much of it the graph grounds."""

from __future__ import annotations

import pytest

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


# -- the automaton finds what one regular expression per name found -------------------------------
import re  # noqa: E402
from dataclasses import replace  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from concept_graph.article import parse_article  # noqa: E402
from concept_graph.mentions import scan  # noqa: E402
from concept_graph.model import Concept  # noqa: E402


def regex_mentions(graph):
    """The reference: a regex per name (word boundaries, \\s+ between words, plurals), longest match wins."""
    def pattern(name):
        words = [re.escape(w) for w in name.split()]
        last = words[-1]
        if name.endswith("y") and len(name) > 2 and name[-2] not in "aeiou":
            last = f"(?:{last}|{re.escape(name.split()[-1][:-1])}ies)"
        else:
            last = f"{last}(?:s|es)?"
        return r"(?<![\w-])" + r"\s+".join([*words[:-1], last]) + r"(?![\w-])"

    article, candidates = graph.article, []
    for concept in graph.concepts:
        for name in concept.names:
            for m in re.finditer(pattern(name), article.text, flags=re.IGNORECASE):
                candidates.append((m.start(), m.start() - m.end(), concept.id, m.end()))
    out, until = [], -1
    for start, _, cid, end in sorted(candidates):
        section = article.section_at(start)
        if start < until or section is None or start < section.start:
            continue
        out.append((cid, start, end, section.number))
        until = end
    return out


WORDS = ["base", "secure", "bases", "anxiety", "anxieties", "trust", "day", "days", "ego", "strength", "self-trust",
         "Secure", "BASE", "x_y", "care", "caregiver", "caregivers", "Ego"]
SPACE = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", " \n ", ", ", ". ", "-", "'"])


@st.composite
def texts_and_names(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
    body = "".join(w + draw(SPACE) for w in words).strip() or "base"
    names = draw(st.lists(st.lists(st.sampled_from(WORDS[:12] + ["ego strength", "secure base", "care giver"]),
                                   min_size=1, max_size=2).map(" ".join), min_size=1, max_size=6, unique=True))
    return body, names


@settings(max_examples=150, deadline=None)
@given(texts_and_names())
@pytest.mark.slow
def test_the_automaton_finds_exactly_what_a_regex_per_name_finds(tiny_graph_for_mentions, case):
    body, names = case
    article = parse_article(f"Title\nHeading\n{body}\nSecond heading\n{body.upper()} and {body.lower()}")
    concepts = tuple(Concept(f"c{i}", name, (), "process", "d") for i, name in enumerate(names))
    graph = replace(tiny_graph_for_mentions, article=article, concepts=concepts, relations=())
    assert [(m.concept, m.start, m.end, m.section) for m in scan(graph)] == regex_mentions(graph)


def test_a_name_overlapping_itself_is_found_as_a_regex_finds_it(tiny_graph_for_mentions):
    """re.finditer skips a name's match that overlaps its previous one, which frees the text after it."""
    article = parse_article("Title\nHeading\nx base base base here.")
    concepts = (Concept("a", "x base", (), "process", "d"), Concept("b", "base base", (), "process", "d"))
    graph = replace(tiny_graph_for_mentions, article=article, concepts=concepts, relations=())
    assert [(m.concept, m.text) for m in scan(graph)] == [("a", "x base")] == [
        (c, article.text[s:e]) for c, s, e, _ in regex_mentions(graph)]


def test_the_article_graph_mentions_are_the_regex_ones():
    from conftest import ARTICLE_GRAPH

    graph = load_graph(ARTICLE_GRAPH)
    assert [(m.concept, m.start, m.end, m.section) for m in find_mentions(graph)] == regex_mentions(graph)



@pytest.fixture(scope="module")
def tiny_graph_for_mentions():
    from conftest import FIXTURES

    return load_graph(FIXTURES / "tiny")


def test_coverage_by_binary_search_counts_what_testing_every_pair_counts():
    from concept_graph.coverage import grounding
    from conftest import ARTICLE_GRAPH

    graph = load_graph(ARTICLE_GRAPH)
    spans = [e for r in graph.relations for e in r.evidence] + [c.evidence for c in graph.concepts if c.evidence]
    every_pair = {s.index: sum(e.start < s.end and s.start < e.end for e in spans) for s in graph.article.sentences}
    assert grounding(graph) == every_pair
