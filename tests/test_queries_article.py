"""Every library query, pinned on the article graph: its answer agrees with the model it came from
(computed independently in Python) and holds what a lecturer would look for."""

from __future__ import annotations

from collections import Counter

import pytest

from concept_graph import load_graph, sparql
from concept_graph.network import to_networkx
from conftest import ARTICLE_GRAPH


@pytest.fixture(scope="module")
def graph():
    return load_graph(ARTICLE_GRAPH)


@pytest.fixture(scope="module")
def engine():
    return sparql.open_engine(ARTICLE_GRAPH)


def records(engine, name, **params):
    return engine.run(name, params).records()


def triples(graph, type_=None):
    return {(r.subject, r.type, r.object) for r in graph.relations if type_ in (None, r.type)}


def test_every_library_query_is_pinned_here():
    pinned = {name[len("test_"):].replace("_", "-") for name in globals() if name.startswith("test_")}
    assert {q.name for q in sparql.library()} <= pinned


@pytest.mark.slow
def test_what_fosters(graph, engine):
    rows = records(engine, "what-fosters", concept="psychological-security")
    expected = {s for s, _, o in triples(graph, "fosters") if o == "psychological-security"}
    assert {r["fosterer"] for r in rows} == expected
    assert {"support-system", "competence", "cultivating-internal-stability"} <= expected


def test_what_threatens(graph, engine):
    rows = records(engine, "what-threatens", concept="psychological-security")
    direct = {s for s, _, o in triples(graph, "threatens") if o == "psychological-security"}
    assert direct <= {r["threat"] for r in rows}
    assert {"stressor", "insecure-attachment"} <= direct
    assert {r["threat"] for r in rows if r.get("via") == "stressor"} >= {"acute-threat", "chronic-threat"}


def chains(graph, start: str, goal: str, longest: int = 4) -> list[tuple[int, str]]:
    """Every chain of up to ``longest`` relations, each followed either way, as the query writes it."""
    steps: dict[str, list[tuple[str, str]]] = {}
    for r in graph.relations:
        rtype = graph.relation_type_by_id[r.type]
        steps.setdefault(r.subject, []).append((rtype.label, r.object))
        back = rtype.label if rtype.symmetric else rtype.inverse_label
        if back:
            steps.setdefault(r.object, []).append((back, r.subject))
    label = lambda c: graph.concept(c).label  # noqa: E731
    found = []

    def walk(node, path, text):
        for how, nxt in steps.get(node, ()):
            if nxt in path:
                continue
            line = f"{text} -[{how}]-> {label(nxt)}"
            if nxt == goal:
                found.append((len(path), line))
            elif len(path) < longest:
                walk(nxt, path + [nxt], line)

    walk(start, [start], label(start))
    return sorted(found)


@pytest.mark.parametrize("start,goal", [("primary-caregiver", "self-soothing"), ("support-system", "assurance")])
def test_chain(graph, engine, start, goal):
    rows = records(engine, "chain", **{"from": graph.concept(start).label, "to": goal})
    assert sorted((int(r["hops"]), r["chain"]) for r in rows) == chains(graph, start, goal)
    assert [int(r["hops"]) for r in rows] == sorted(int(r["hops"]) for r in rows)  # shortest first


def test_chain_finds_the_four_steps_from_the_caregiver_to_self_soothing_against_the_stated_directions(engine):
    rows = records(engine, "chain", **{"from": "primary caregiver", "to": "self-soothing"})
    assert rows[0]["hops"] == "4"
    assert rows[0]["chain"].startswith("primary caregiver -[is a member of]-> support system")
    assert rows[0]["chain"].endswith("-[has kind]-> self-soothing")  # stated the other way round


def test_concepts_of_section(graph, engine):
    rows = records(engine, "concepts-of-section", section="2")
    grounded = {c.id for c in graph.concepts if c.evidence and c.evidence.section == 2}
    for r in graph.relations:
        if any(e.section == 2 for e in r.evidence):
            grounded |= {r.subject, r.object}
    assert {r["concept"] for r in rows} == grounded
    assert {"secure-base", "secure-attachment", "john-bowlby"} <= grounded


def test_where_discussed(engine):
    rows = records(engine, "where-discussed", concept="secure-base")
    assert [r["section"] for r in rows] == ["2", "5"]


def test_quote_behind_relation(graph, engine):
    (row,) = records(engine, "quote-behind-relation", subject="secure-base", type="enables", object="exploration")
    start, end = int(row["start"]), int(row["end"])
    assert graph.article.text[start:end] == row["quote"]
    assert "explore the world" in row["quote"] and row["section"] == "2"


def test_most_connected(graph, engine):
    rows = records(engine, "most-connected")
    degree = dict(to_networkx(graph).degree())
    assert rows[0]["concept"] == "psychological-security"
    assert all(int(r["relations"]) == degree[r["concept"]] for r in rows)


def test_defenses(graph, engine):
    rows = records(engine, "defenses")
    defenses = {c.id for c in graph.concepts if c.category == "defense"}
    assert defenses <= {r["defense"] for r in rows}
    assert {"avoidance-of-intimacy", "denial", "projection", "emotional-numbing"} <= {r["defense"] for r in rows}
    assert "avoidant-attachment" not in {r["defense"] for r in rows}  # an attachment style, not a defence
    # what a defence is for: "defensive responses aimed at restoring a sense of safety"
    shown = {(r["defense"], r.get("how"), r.get("other")) for r in rows}
    assert ("defensive-response", "aims at", "basic safety") in shown
    assert ("projection", "tries to manage", "anxiety") in shown


def test_synonyms(engine):
    rows = records(engine, "synonyms", term="resilience")
    assert {(r["concept"], r["name"], r["kind"]) for r in rows} == {
        ("ego-sturdiness", "ego sturdiness", "preferred"), ("ego-sturdiness", "ego strength", "synonym"),
        ("ego-sturdiness", "resilience", "synonym")}


def test_kinds_of(graph, engine):
    rows = records(engine, "kinds-of", concept="defensive-response")
    direct = {s for s, _, o in triples(graph, "kind-of") if o == "defensive-response"}
    assert direct <= {r["kind"] for r in rows}
    assert {"denial", "avoidance", "projection"} <= direct


def test_definitions(graph, engine):
    rows = records(engine, "definitions")
    assert {r["concept"]: r["definition"] for r in rows} == {c.id: c.definition for c in graph.concepts}


def test_relations_by_type(graph, engine):
    rows = records(engine, "relations-by-type")
    assert {r["type"]: int(r["relations"]) for r in rows} == Counter(r.type for r in graph.relations)


def test_concepts_by_category(graph, engine):
    rows = records(engine, "concepts-by-category")
    assert {(r["category"], r["concept"]) for r in rows} == {(c.category, c.id) for c in graph.concepts}


def test_relations_of(graph, engine):
    rows = records(engine, "relations-of", concept="secure-base")
    label = lambda c: graph.concept(c).label  # noqa: E731
    expected = {(label(r.subject), graph.relation_type_by_id[r.type].label, label(r.object), r.type,
                 str(e.section), e.quote)
                for r in graph.relations_of("secure-base") for e in r.evidence}
    assert {tuple(r.values()) for r in rows} == expected


def test_relations_of_one_type_going_out(graph, engine):
    rows = records(engine, "relations-of", concept="security", type="manifests as", direction="out")
    expected = {graph.concept(o).label for s, _, o in triples(graph, "manifests-as") if s == "psychological-security"}
    assert {r["object"] for r in rows} == expected and expected
    assert {r["subject"] for r in rows} == {"psychological security"}


def outgoing(graph, concept: str, types: set[str]) -> set[tuple[str, str, str]]:
    """(type label, object label, quote) of every quote of the concept's relations of these types."""
    return {(graph.relation_type_by_id[r.type].label, graph.concept(r.object).label, e.quote)
            for r in graph.relations if r.subject == concept and r.type in types for e in r.evidence}


def family(graph, name: str) -> set[str]:
    return {t.id for t in graph.relation_types if t.family == name}


@pytest.mark.parametrize("question,concept,type_,types", [
    ("what does security reduce?", "security", "reduces", {"reduces"}),
    ("how does security manifest?", "security", "manifests as", {"manifests-as"}),
    ("what does the therapist provide?", "therapist", "promotes", None),
])
def test_what_it_does(graph, engine, question, concept, type_, types):
    rows = records(engine, "what-it-does", concept=concept, type=type_)
    concept_id = next(c.id for c in graph.concepts if concept in (c.id, *c.names))
    expected = outgoing(graph, concept_id, types or family(graph, "promotes"))
    assert {(r["relation"], r["object"], r["quote"]) for r in rows} == expected
    assert expected, f"the article answers {question!r}"


def test_what_promotes(graph, engine):
    import networkx as nx

    rows = records(engine, "what-promotes", concept="psychological-security")
    helps = family(graph, "promotes")
    direct = {(r.subject, e.quote) for r in graph.relations if r.object == "psychological-security" and r.type in helps
              for e in r.evidence}
    kinds = nx.DiGraph([(s, o) for s, _, o in triples(graph, "kind-of")])  # kind -> what it is a kind of
    by_kind = {(k, graph.concept(d).label, q) for d, q in direct if d in kinds for k in nx.ancestors(kinds, d)}
    assert {(r["promoter"], r["quote"]) for r in rows if "via" not in r} == direct
    assert {(r["promoter"], r["via"], r["quote"]) for r in rows if "via" in r} == by_kind


def test_quotes(graph, engine):
    rows = records(engine, "quotes")
    label = lambda c: graph.concept(c).label  # noqa: E731
    quoted = sorted((e.start, label(r.subject), graph.relation_type_by_id[r.type].label, label(r.object), e.quote)
                    for r in graph.relations for e in r.evidence)
    assert [r["quote"] for r in rows] == [q[-1] for q in quoted]  # in the order of the article
    found = records(engine, "quotes", text="SECURE BASE")
    assert {r["quote"] for r in found} == {q[-1] for q in quoted if "secure base" in q[-1].lower()} != set()


def test_downstream(graph, engine):
    import networkx as nx

    rows = records(engine, "downstream", concept="secure-base")
    assert {r["downstream"] for r in rows} == nx.descendants(to_networkx(graph), "secure-base")


def test_search(engine):
    rows = records(engine, "search", text="safety")
    found = {r["concept"]: r["found"] for r in rows}
    assert found["basic-safety"] == "label" and found["safe-haven"] == "label"


def test_contrasts(graph, engine):
    rows = records(engine, "contrasts")
    expected = {(s, o) for s, _, o in triples(graph, "contrasts-with")}
    assert {(r["concept"], r["contrastsWith"]) for r in rows} == expected
