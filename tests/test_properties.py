"""Property: any spec either builds into RDF that round-trips and conforms, or fails with the clear
error; it never crashes. Hypothesis writes the specs, hostile text included."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from concept_graph import ConceptGraphError, load_graph, to_rdf
from concept_graph.rdf import jsonld_context, serialize
from concept_graph.shapes import check_shapes

ARTICLE = ("Props\n- One\n- Two\nOne\nA secure base fosters exploration. Trust <b>grows</b> & \"quotes\" `tick`.\n"
           "Two\nThreats erode safety. Resilience ‮reverses‬ nothing.")
SENTENCE_PIECES = ["A secure base fosters exploration", "Trust <b>grows</b> & \"quotes\" `tick`", "Threats erode",
                   "erode safety", "Resilience ‮reverses‬ nothing", "not in the text", "", "secure"]
HOSTILE = st.sampled_from(["<script>alert(1)</script>", "</script><script>x()</script>", "\"quoted\" 'single'",
                           "`back`ticks`", "javascript:alert(1)", "‮evil‬", "line\nbreak", "\\ backslash",
                           "=HYPERLINK(\"x\")", "ünïcödé", "line\u2028separator", "next\x85line", "  ", "@prefix",
                           "_:b0", "<http://x>"])
TEXT = st.one_of(HOSTILE, st.text(min_size=1, max_size=30), st.text(max_size=3))
IDS = st.one_of(st.sampled_from(["a", "b", "c", "secure-base", "trust"]),
                st.sampled_from(["a", "b", "c", "secure-base", "trust"]),
                st.from_regex(r"[a-z]{1,3}(-[a-z0-9]{1,3})?", fullmatch=True), st.text(max_size=6))


def concept_records():
    return st.fixed_dictionaries(
        {"id": IDS, "label": TEXT, "category": st.sampled_from(["thing", "thing", "other"]), "definition": TEXT,
         "quote": st.sampled_from(SENTENCE_PIECES[:5])},
        optional={"synonyms": st.lists(TEXT, max_size=2)})


def relation_records():
    return st.fixed_dictionaries(
        {"subject": IDS, "type": st.sampled_from(["fosters", "opposes", "kind-of", "nope"]), "object": IDS,
         "quote": st.one_of(st.sampled_from(SENTENCE_PIECES), st.lists(st.sampled_from(SENTENCE_PIECES), max_size=2))},
        optional={"note": TEXT})


NONBLANK = st.one_of(HOSTILE, st.text(min_size=1, max_size=30)).filter(lambda t: t.strip())


@st.composite
def sound_specs(draw):
    """Specs that are valid by construction, but for their (often hostile) text: most of them build."""
    ids = draw(st.lists(st.sampled_from(["a", "b", "c", "secure-base", "trust", "x-1"]), min_size=2, max_size=5,
                        unique=True))
    concepts = [{"id": i, "label": f"{draw(NONBLANK)} {n}", "category": "thing", "definition": draw(NONBLANK),
                 "quote": draw(st.sampled_from(SENTENCE_PIECES[:5])),
                 "synonyms": [f"{draw(NONBLANK)} syn {n}"]} for n, i in enumerate(ids)]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(["fosters", "opposes"]),
                                    st.sampled_from(ids)).filter(lambda t: t[0] != t[2]),
                          max_size=4, unique_by=lambda t: (min(t[0], t[2]), t[1], max(t[0], t[2]))))
    relations = [{"subject": a, "type": t, "object": b, "quote": draw(st.sampled_from(SENTENCE_PIECES[:5])),
                  "note": draw(NONBLANK)} for a, t, b in pairs]
    return concepts, relations


SPEC_HEAD = {
    "graph": {"id": "props", "title": "Props", "base": "https://example.org/props/", "article": "article.txt"},
    "categories": [{"id": "thing", "label": "Thing"}],
    "relation_types": [
        {"id": "fosters", "label": "fosters", "inverse": "is fostered by", "definition": "builds up"},
        {"id": "opposes", "label": "opposes", "symmetric": True, "definition": "sets against"},
        {"id": "kind-of", "label": "is a kind of", "inverse": "has kind", "skos": "broader", "definition": "form of"},
    ],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(spec=st.one_of(sound_specs(), st.tuples(st.lists(concept_records(), min_size=1, max_size=5),
                                                st.lists(relation_records(), max_size=5))))
@pytest.mark.slow
def test_a_generated_spec_builds_sound_rdf_or_fails_clearly(tmp_path_factory, spec):
    concepts, relations = spec
    folder = tmp_path_factory.mktemp("g")
    (folder / "spec").mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    spec = {**SPEC_HEAD, "concepts": concepts, "relations": relations}
    (folder / "spec" / "graph.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    try:
        graph = load_graph(folder)
    except ConceptGraphError as exc:
        event("refused with problems")
        assert exc.problems
        for problem in exc.problems:
            assert problem.code and problem.message and problem.file
        return
    event(f"built: {len(graph.concepts)} concepts, {len(graph.relations)} relations")
    rdf = to_rdf(graph)
    for fmt in ("turtle", "nt", "json-ld"):
        text = serialize(rdf, fmt, jsonld_context(graph) if fmt == "json-ld" else None)
        if fmt == "json-ld":
            json.loads(text)
        assert isomorphic(Graph().parse(data=text, format=fmt), rdf), fmt
    report = check_shapes(rdf)
    assert report.conforms, report.text


@pytest.mark.parametrize("label", ["<script>alert(1)</script>", "‮evil‬", "\"q\" `b` \\ \n x",
                                   "a\u2028line separator (once split N-Triples lines)"])
def test_hostile_labels_stay_text_in_turtle_and_json_ld(tmp_path, label):
    (tmp_path / "spec").mkdir()
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    spec = {**SPEC_HEAD, "concepts": [{"id": "a", "label": label, "synonyms": [label + "!"], "category": "thing",
                                       "definition": label, "quote": "Threats erode"}]}
    (tmp_path / "spec" / "graph.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    graph = load_graph(tmp_path)
    rdf = to_rdf(graph)
    for fmt in ("turtle", "nt"):
        back = Graph().parse(data=serialize(rdf, fmt), format=fmt)
        assert label.strip() in {str(o) for o in back.objects(predicate=SKOS.prefLabel)}
    data = json.loads(serialize(rdf, "json-ld", jsonld_context(graph)))
    assert label.strip() in set(strings(data))


def strings(value):
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
