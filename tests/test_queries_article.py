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


def test_chain(engine):
    rows = records(engine, "chain", **{"from": "competence", "to": "exploration"})
    chains = [r["chain"] for r in rows]
    assert chains[0] == "competence -[fosters]-> psychological security -[enables]-> exploration"
    assert all(c.startswith("competence") and c.endswith("exploration") for c in chains)


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
    assert {(r["subject"], r["object"]) for r in rows} == {(r.subject, r.object) for r in graph.relations_of("secure-base")}


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
    assert {(r["concept"], r["contrastsWith"]) for r in rows} == {(s, o) for s, _, o in triples(graph, "contrasts-with")}
