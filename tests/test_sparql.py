"""Asking the graph in SPARQL: the query library a lecturer uses, its parameters, formats and errors.

Each library query is pinned on the lecture fixture (tests/fixtures/lecture), a small graph built
to give every query something to find; the article graph, still growing, gets only robust checks.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from concept_graph import ConceptGraphError
from concept_graph.engines import open_engine
from concept_graph.library import bind, library, load_query, mask, parse_query, sparql_term
from concept_graph.results import Result, from_sparql_json, render
from conftest import FIXTURES, ROOT, run_cli

LECTURE = FIXTURES / "lecture"

# Every library query's answer on the lecture graph with its default parameters, row by row.
EXPECTED = {
    "chain": (("hops", "chain"), [
        ("2", "support system -[fosters]-> psychological security -[is characterized by]-> assurance"),
        ("3", "support system -[fosters]-> ego sturdiness -[mediates]-> psychological security "
              "-[is characterized by]-> assurance"),
    ]),
    "concepts-by-category": (("category", "concept", "label"), [
        ("capacity", "competence", "competence"),
        ("construct", "ego-sturdiness", "ego sturdiness"),
        ("construct", "psychological-security", "psychological security"),
        ("defense", "avoidance", "avoidance"),
        ("defense", "defensive-response", "defensive response"),
        ("defense", "denial", "denial"),
        ("defense", "emotional-numbing", "emotional numbing"),
        ("practice", "mindfulness", "mindfulness"),
        ("process", "exploration", "exploration"),
        ("process", "mastery", "mastery"),
        ("relationship", "primary-caregiver", "primary caregiver"),
        ("relationship", "secure-base", "secure base"),
        ("relationship", "support-system", "support system"),
        ("state", "absence-of-danger", "absence of danger"),
        ("state", "anxiety", "anxiety"),
        ("state", "assurance", "assurance"),
        ("state", "basic-safety", "basic safety"),
        ("state", "intimacy", "intimacy"),
        ("state", "suspicion", "suspicion"),
        ("state", "trust", "trust"),
        ("threat", "bereavement", "bereavement"),
        ("threat", "loss", "loss"),
        ("threat", "stressor", "stressor"),
        ("threat", "trauma", "trauma"),
    ]),
    "concepts-of-section": (("concept", "label", "defined", "relations"), [
        ("competence", "competence", "yes", "2"),
        ("exploration", "exploration", "yes", "2"),
        ("mastery", "mastery", "yes", "2"),
        ("psychological-security", "psychological security", "no", "2"),
        ("secure-base", "secure base", "yes", "2"),
        ("support-system", "support system", "yes", "2"),
        ("ego-sturdiness", "ego sturdiness", "no", "1"),
        ("primary-caregiver", "primary caregiver", "yes", "1"),
    ]),
    "contrasts": (("concept", "contrastsWith", "quote"), [
        ("psychological-security", "absence-of-danger", "Security is not merely the absence of danger"),
        ("trust", "suspicion", "trust contrasts with suspicion"),
    ]),
    "defenses": (("defense", "label", "how", "other"), [
        ("avoidance", "avoidance", "costs", "intimacy"),
        ("avoidance", "avoidance", "is a response to", "trauma"),
        ("defensive-response", "defensive response", "protects against", "anxiety"),
        ("denial", "denial", None, None),
        ("emotional-numbing", "emotional numbing", None, None),
    ]),
    "definitions": (("concept", "label", "category", "definition"), [
        ("absence-of-danger", "absence of danger", "State or outcome", "Merely not being in danger."),
        ("anxiety", "anxiety", "State or outcome", "Worry about what might happen."),
        ("assurance", "assurance", "State or outcome", "A steady sense that one can cope."),
        ("avoidance", "avoidance", "Defense", "Keeping away from what feels threatening."),
        ("basic-safety", "basic safety", "State or outcome", "The feeling of being safe."),
        ("bereavement", "bereavement", "Threat", "The loss of a loved one through death."),
        ("competence", "competence", "Capacity or skill", "Being able to do what a task needs."),
        ("defensive-response", "defensive response", "Defense",
         "What people do to feel safe again when security is threatened."),
        ("denial", "denial", "Defense", "Refusing to acknowledge what is threatening."),
        ("ego-sturdiness", "ego sturdiness", "Construct", "The capacity of the self to hold together under pressure."),
        ("emotional-numbing", "emotional numbing", "Defense", "Feeling less so as to hurt less."),
        ("exploration", "exploration", "Process", "Venturing out into the world."),
        ("intimacy", "intimacy", "State or outcome", "Closeness with another person."),
        ("loss", "loss", "Threat", "Losing someone or something that mattered."),
        ("mastery", "mastery", "Process", "Successfully mastering tasks."),
        ("mindfulness", "mindfulness", "Practice or intervention", "Anchoring the self in the present moment."),
        ("primary-caregiver", "primary caregiver", "Relationship or role", "The person who looks after the child."),
        ("psychological-security", "psychological security", "Construct",
         "A state of basic safety and steady assurance."),
        ("secure-base", "secure base", "Relationship or role", "A safe person to explore from and return to."),
        ("stressor", "stressor", "Threat", "Anything that strains security."),
        ("support-system", "support system", "Relationship or role", "The people one can rely on."),
        ("suspicion", "suspicion", "State or outcome", "Doubt about others' intentions."),
        ("trauma", "trauma", "Threat", "A deeply distressing experience."),
        ("trust", "trust", "State or outcome", "Confidence in others."),
    ]),
    "downstream": (("downstream", "label"), [
        ("absence-of-danger", "absence of danger"),
        ("assurance", "assurance"),
        ("basic-safety", "basic safety"),
        ("competence", "competence"),
        ("ego-sturdiness", "ego sturdiness"),
        ("exploration", "exploration"),
        ("mastery", "mastery"),
        ("psychological-security", "psychological security"),
    ]),
    "kinds-of": (("kind", "label", "kindOf"), [
        ("emotional-numbing", "emotional numbing", "avoidance"),
        ("avoidance", "avoidance", "defensive-response"),
        ("denial", "denial", "defensive-response"),
    ]),
    "most-connected": (("concept", "label", "relations"), [
        ("psychological-security", "psychological security", "7"),
        ("avoidance", "avoidance", "4"),
        ("defensive-response", "defensive response", "3"),
        ("ego-sturdiness", "ego sturdiness", "3"),
        ("mastery", "mastery", "3"),
        ("stressor", "stressor", "3"),
        ("trauma", "trauma", "3"),
        ("assurance", "assurance", "2"),
        ("basic-safety", "basic safety", "2"),
        ("competence", "competence", "2"),
    ]),
    "quote-behind-relation": (("section", "heading", "start", "end", "quote"), [
        ("2", "Where Security Comes From", "409", "442", "a secure base enables exploration"),
    ]),
    "quotes": (("section", "subject", "relation", "object", "quote"), [
        ("1", "psychological security", "is characterized by", "basic safety",
         "Psychological security is a state characterized by basic safety"),
        ("1", "psychological security", "is characterized by", "assurance",
         "characterized by basic safety and by a steady assurance"),
        ("1", "ego sturdiness", "mediates", "psychological security", "mediates the experience of security"),
        ("1", "psychological security", "contrasts with", "absence of danger",
         "Security is not merely the absence of danger"),
        ("2", "primary caregiver", "functions as", "secure base", "A caregiver who functions as a secure base"),
        ("2", "secure base", "enables", "exploration", "a secure base enables exploration"),
        ("2", "exploration", "leads to", "mastery", "Exploration leads to mastery"),
        ("2", "mastery", "is a kind of", "competence", "mastery is a kind of competence"),
        ("2", "competence", "fosters", "psychological security", "Competence fosters psychological security"),
        ("2", "support system", "fosters", "psychological security",
         "A support system of family and friends fosters psychological security"),
        ("2", "support system", "fosters", "ego sturdiness", "the support system also fosters ego sturdiness"),
        ("3", "stressor", "threatens", "psychological security", "Stressors threaten psychological security"),
        ("3", "trauma", "is a kind of", "stressor", "Trauma is a kind of stressor"),
        ("3", "trauma", "threatens", "basic safety", "Trauma is a kind of stressor that threatens basic safety"),
        ("3", "loss", "is a kind of", "stressor", "Loss is another kind of stressor"),
        ("3", "bereavement", "is a kind of", "loss", "bereavement is a kind of loss"),
        ("3", "defensive response", "reduces", "anxiety", "Defensive responses protect against anxiety"),
        ("3", "avoidance", "is a kind of", "defensive response",
         "Avoidance and denial are kinds of defensive response"),
        ("3", "denial", "is a kind of", "defensive response", "denial are kinds of defensive response"),
        ("3", "emotional numbing", "is a kind of", "avoidance", "emotional numbing is a kind of avoidance"),
        ("3", "trauma", "leads to", "avoidance", "Trauma leads to avoidance"),
        ("3", "avoidance", "threatens", "intimacy", "avoidance threatens intimacy"),
        ("4", "mastery", "fosters", "ego sturdiness", "Repeated mastery fosters ego sturdiness"),
        ("4", "competence", "fosters", "psychological security", "Each new competence again fosters security"),
        ("4", "trust", "fosters", "assurance", "Trust in others fosters assurance"),
        ("4", "trust", "contrasts with", "suspicion", "trust contrasts with suspicion"),
    ]),
    "relations-by-type": (("type", "label", "relations"), [
        ("kind-of", "is a kind of", "7"),
        ("fosters", "fosters", "5"),
        ("threatens", "threatens", "3"),
        ("characterized-by", "is characterized by", "2"),
        ("contrasts-with", "contrasts with", "2"),
        ("leads-to", "leads to", "2"),
        ("enables", "enables", "1"),
        ("functions-as", "functions as", "1"),
        ("mediates", "mediates", "1"),
        ("reduces", "reduces", "1"),
    ]),
    "relations-of": (("subject", "relation", "object", "typeId", "section", "quote"), [
        ("primary caregiver", "functions as", "secure base", "functions-as", "2",
         "A caregiver who functions as a secure base"),
        ("secure base", "enables", "exploration", "enables", "2", "a secure base enables exploration"),
    ]),
    "search": (("concept", "label", "found"), [
        ("basic-safety", "basic safety", "label"),
        ("psychological-security", "psychological security", "definition"),
    ]),
    "synonyms": (("concept", "name", "kind"), [
        ("ego-sturdiness", "ego sturdiness", "preferred"),
        ("ego-sturdiness", "ego strength", "synonym"),
        ("ego-sturdiness", "resilience", "synonym"),
    ]),
    "what-fosters": (("fosterer", "label", "via", "section"), [
        ("competence", "competence", None, "2"),
        ("mastery", "mastery", "competence", "2"),
        ("support-system", "support system", None, "2"),
    ]),
    "what-it-does": (("relation", "object", "section", "quote"), [
        ("contrasts with", "absence of danger", "1", "Security is not merely the absence of danger"),
        ("is characterized by", "basic safety", "1", "Psychological security is a state characterized by basic safety"),
        ("is characterized by", "assurance", "1", "characterized by basic safety and by a steady assurance"),
    ]),
    "what-promotes": (("promoter", "label", "relation", "via", "section", "quote"), [
        ("competence", "competence", "fosters", None, "2", "Competence fosters psychological security"),
        ("mastery", "mastery", "fosters", "competence", "2", "Competence fosters psychological security"),
        ("support-system", "support system", "fosters", None, "2",
         "A support system of family and friends fosters psychological security"),
        ("competence", "competence", "fosters", None, "4", "Each new competence again fosters security"),
        ("mastery", "mastery", "fosters", "competence", "4", "Each new competence again fosters security"),
    ]),
    "what-threatens": (("threat", "label", "via", "section"), [
        ("bereavement", "bereavement", "stressor", "3"),
        ("loss", "loss", "stressor", "3"),
        ("stressor", "stressor", None, "3"),
        ("trauma", "trauma", "stressor", "3"),
    ]),
    "where-discussed": (("section", "heading", "defined", "relations"), [
        ("2", "Where Security Comes From", "yes", "2"),
    ]),
}


def plain(result: Result) -> tuple:
    return result.variables, [tuple(None if t is None else t.value for t in row) for row in result.rows]


def normalized(result: Result) -> tuple:
    """A result as engines can be compared on it: variables and the sorted set of rows."""
    return result.variables, sorted({tuple(repr(t) for t in row) for row in result.rows})


@pytest.fixture(scope="module")
def lecture():
    return open_engine(LECTURE, "rdflib")


@pytest.fixture(scope="module")
def lecture_oxigraph():
    return open_engine(LECTURE, "oxigraph")


# -- the library ----------------------------------------------------------------------------------
def test_the_library_has_at_least_twelve_queries_and_each_is_pinned_here():
    names = [q.name for q in library()]
    assert len(names) >= 12
    assert sorted(names) == sorted(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_library_query_answers_the_lecture_graph_as_pinned(lecture, name):
    assert plain(lecture.run(name)) == (EXPECTED[name][0], EXPECTED[name][1])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_oxigraph_gives_the_same_answers_in_the_same_order(lecture, lecture_oxigraph, name):
    assert plain(lecture_oxigraph.run(name)) == plain(lecture.run(name))


@pytest.mark.parametrize("query", library(), ids=lambda q: q.name)
def test_each_query_says_what_it_asks_and_never_names_a_graph(query):
    assert query.title and query.description.endswith(".")
    assert all(p.description for p in query.params)
    text = mask(query.text).lower()  # comments blanked
    # Concepts and relation types are found by skos:notation, so any built graph will do.
    assert "/graphs/" not in query.text and "example.org" not in query.text
    assert not re.search(r"\b(concept|rel|category|relation|evidence):", text)


def test_parameters_are_declared_in_comments_with_their_defaults():
    query = load_query("chain")
    assert [(p.name, p.kind, p.default) for p in query.params] == [
        ("from", "string", "support-system"), ("to", "string", "assurance")]
    assert load_query("concepts-of-section").param("section").kind == "integer"
    assert load_query("definitions").param("concept").default is None  # UNDEF: every concept


# -- parameters -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_lecturer_asks_for_the_chains_from_mastery_to_security_by_its_synonym(lecture):
    result = lecture.run("chain", {"from": "mastery", "to": "security"})
    assert plain(result)[1] == [
        ("2", "mastery -[fosters]-> ego sturdiness -[mediates]-> psychological security"),
        ("2", "mastery -[is a kind of]-> competence -[fosters]-> psychological security"),
        # The middle step goes against the stated direction, and reads as it does that way.
        ("3", "mastery -[fosters]-> ego sturdiness -[is fostered by]-> support system "
              "-[fosters]-> psychological security"),
    ]


def test_the_quotes_behind_a_relation_stated_twice_are_where_their_offsets_say(lecture):
    result = lecture.run("quote-behind-relation",
                         {"subject": "competence", "type": "fosters", "object": "psychological-security"})
    article = (LECTURE / "article.txt").read_text(encoding="utf-8")
    rows = result.records()
    assert [(r["section"], r["quote"]) for r in rows] == [
        ("2", "Competence fosters psychological security"), ("4", "Each new competence again fosters security")]
    for row in rows:
        assert article[int(row["start"]):int(row["end"])] == row["quote"]


def test_an_integer_parameter_picks_the_section(lecture):
    result = lecture.run("concepts-of-section", {"section": "4"})
    assert result.values("concept") == ["trust", "assurance", "competence", "ego-sturdiness", "mastery",
                                        "psychological-security", "suspicion", "mindfulness"]


def test_an_optional_parameter_narrows_the_glossary_to_one_concept(lecture):
    assert plain(lecture.run("definitions", {"concept": "trust"}))[1] == [
        ("trust", "trust", "State or outcome", "Confidence in others.")]


def test_synonyms_are_found_whatever_the_case(lecture):
    assert lecture.run("synonyms", {"term": "Defenses"}).values("name") == ["defensive response", "defenses"]


def test_kinds_of_a_threat_go_two_levels_down(lecture):
    assert plain(lecture.run("kinds-of", {"concept": "stressor"}))[1] == [
        ("bereavement", "bereavement", "loss"), ("loss", "loss", "stressor"), ("trauma", "trauma", "stressor")]


# -- names: a concept or a type by its id, label or synonym ----------------------------------------
@pytest.mark.parametrize("name", ["ego-sturdiness", "ego sturdiness", "Ego Strength", "resilience", "ego-strength"])
def test_a_concept_is_named_by_its_id_label_or_synonym_whatever_the_case_and_hyphens(lecture, name):
    assert lecture.run("what-fosters", {"concept": name}).values("fosterer") == ["support-system", "mastery"]


def test_a_relation_type_is_named_by_its_label_as_relations_of_prints_it(lecture):
    shown = lecture.run("relations-of", {"concept": "secure-base"}).records()[1]
    assert (shown["relation"], shown["typeId"]) == ("enables", "enables")
    result = lecture.run("quote-behind-relation", {"subject": "primary caregiver", "type": "functions as",
                                                   "object": "secure base"})
    assert result.values("quote") == ["A caregiver who functions as a secure base"]


@pytest.mark.slow
def test_a_family_stands_for_its_types(lecture):
    promotes = lecture.run("relations-of", {"concept": "psychological security", "type": "promotes"})
    assert {r["relation"] for r in promotes.records()} == {"fosters"}
    counters = lecture.run("relations-of", {"concept": "psychological security", "type": "counters"})
    assert [(r["subject"], r["relation"]) for r in counters.records()] == [("stressor", "threatens")]


@pytest.mark.slow
def test_relations_of_filters_by_direction(lecture):
    out = lecture.run("relations-of", {"concept": "trauma", "direction": "out"}).records()
    into = lecture.run("relations-of", {"concept": "trauma", "direction": "in"}).records()
    both = lecture.run("relations-of", {"concept": "trauma"}).records()
    assert {r["subject"] for r in out} == {"trauma"} and len(out) == 3
    assert [r["object"] for r in into] == ["trauma"] * len(into) and len(into) == 0
    assert sorted(map(str, both)) == sorted(map(str, out + into))


def test_a_category_is_named_by_its_label(lecture):
    assert lecture.run("concepts-by-category", {"category": "Defense"}).values("concept") == [
        "avoidance", "defensive-response", "denial", "emotional-numbing"]


def test_quotes_are_searched_in_bulk_whatever_the_case(lecture):
    rows = lecture.run("quotes", {"text": "KIND OF"}).records()
    assert len(rows) == 6 and all("kind of" in r["quote"].lower() for r in rows)
    assert {r["relation"] for r in rows} == {"is a kind of", "threatens"}  # "a kind of stressor that threatens"


@pytest.mark.parametrize("args,message", [
    (["what-fosters", "-p", "concept=ego-strenght"],
     "no concept is called 'ego-strenght' (did you mean 'ego strength'?)"),
    (["what-fosters", "-p", "concept=nothing-like-it"], "no concept is called 'nothing-like-it' (find it with: "
                                                         "concept-graph query search -p text=nothing-like-it)"),
    (["quote-behind-relation", "-p", "type=manifest as"], "no relation type is called 'manifest as'"),
    (["relations-of", "-p", "direction=sideways"], "'sideways' is not one of in, out, both"),
    (["concepts-by-category", "-p", "category=defence"], "no category is called 'defence' (did you mean 'defense'?)"),
])
@pytest.mark.slow
def test_a_value_that_names_nothing_is_refused_with_exit_2_not_answered_with_no_rows(args, message):
    result = run_cli("query", *args, str(LECTURE))
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_name_two_concepts_share_is_refused_with_both_ids():
    from concept_graph.library import Names, load_query, resolve

    names = Names([("concept", "trust", "trust", 1), ("concept", "trust", "faith", 2),
                   ("concept", "belief", "belief", 1), ("concept", "belief", "faith", 2)])
    with pytest.raises(ConceptGraphError) as err:
        resolve(load_query("what-fosters"), {"concept": "faith"}, names)
    assert err.value.codes == ["ambiguous-name"] and "names 2 concepts: belief, trust" in str(err.value)


HOSTILE = ['say "hi"', "back\\slash", 'x" } } SELECT * WHERE { ?s ?p ?o', "line\nbreak\ttab\r",
           "\\u0022 stays as text", "\\U0001F600 too", "#not a comment", "ünï©ødé 😀", "", "'single'"]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("engine", ["lecture", "lecture_oxigraph"])
def test_a_parameter_value_is_one_literal_whatever_it_contains(request, engine, value):
    query = parse_query('# echo\n# param: v = x  any text\nSELECT ?v WHERE { VALUES ?v { "x" } }')
    result = request.getfixturevalue(engine).run(query, {"v": value})
    assert result.values("v") == [value]


def test_a_hostile_search_text_finds_nothing_and_breaks_nothing(lecture):
    assert len(lecture.run("search", {"text": 'safety" ) ) } SELECT ?s WHERE { ?s ?p ?o } #'})) == 0


def test_binding_writes_terms_of_the_parameters_kind():
    assert sparql_term("42", "integer") == "42"
    with pytest.raises(ValueError):
        sparql_term("4 OR 1=1", "integer")
    with pytest.raises(ValueError):
        sparql_term("http://x/> . ?s ?p <http://y", "iri")
    text = bind(load_query("concepts-of-section"), {"section": "3"})
    assert "VALUES ?section { 3 }" in text


# -- formats --------------------------------------------------------------------------------------
def test_the_default_table_is_aligned_with_numbers_on_the_right(lecture):
    table = render(lecture.run("what-fosters"), "table")
    assert table.splitlines() == [
        "fosterer        label           via         section",
        "--------------  --------------  ----------  -------",
        "competence      competence                        2",
        "mastery         mastery         competence        2",
        "support-system  support system                    2",
    ]


def test_csv_is_w3c_sparql_csv(lecture):
    text = render(lecture.run("contrasts"), "csv")
    assert text.startswith("concept,contrastsWith,quote\r\n")
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "psychological-security", "absence-of-danger", "Security is not merely the absence of danger"]


def test_tsv_writes_terms_in_turtle_syntax(lecture):
    result = lecture.run("SELECT ?c ?n WHERE { ?c skos:notation ?n ; skos:prefLabel ?l } ORDER BY ?n LIMIT 1")
    assert render(result, "tsv").splitlines() == [
        "?c\t?n", '<https://example.org/lecture/concept/absence-of-danger>\t"absence-of-danger"']


def test_json_and_xml_are_the_w3c_result_formats_and_round_trip(lecture):
    result = lecture.run("what-threatens")
    data = json.loads(render(result, "json"))
    assert data["head"]["vars"] == ["threat", "label", "via", "section"]
    assert "via" not in data["results"]["bindings"][2]  # unbound stays unbound
    assert from_sparql_json(data) == result
    root = ET.fromstring(render(result, "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert len(root.findall("r:results/r:result", ns)) == 4


def test_ask_and_construct_answer_too(lecture):
    assert lecture.run("ASK { ?c skos:notation 'trust' }").boolean is True
    graph = lecture.run("CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:notation 'trust' ; skos:prefLabel ?l }")
    assert graph.kind == "graph" and len(graph) == 1


# -- errors a user can act on ---------------------------------------------------------------------
@pytest.mark.slow
def test_a_syntax_error_gives_line_column_and_the_offending_text():
    query = "SELECT ?c\nWHERE {\n  ?c a skos:Concept .\n  ?c skos:prefLabel\n}"
    result = run_cli("query", query, str(LECTURE))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "<query>:4: SPARQL syntax error at line 4, column 3, near '?c skos:prefLabel'" in result.stderr
    assert "[sparql-syntax]" in result.stderr


def test_an_unknown_prefix_is_named_with_a_did_you_mean():
    with pytest.raises(ConceptGraphError) as err:
        open_engine(LECTURE).run("SELECT ?l WHERE {\n ?c skso:prefLabel ?l }")
    problem = err.value.problems[0]
    assert (problem.code, problem.line) == ("unknown-prefix", 2)
    assert "'skso:'" in problem.message and "did you mean 'skos'" in problem.hint


def test_an_unknown_query_name_suggests_the_closest_and_exits_2():
    result = run_cli("query", "what-foster", str(LECTURE))
    assert result.returncode == 2
    assert "no query named 'what-foster'" in result.stderr and "did you mean 'what-fosters'?" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_misspelt_or_malformed_parameter_is_refused_before_anything_runs():
    result = run_cli("query", "what-fosters", str(LECTURE), "-p", "concpt=trust")
    assert result.returncode == 2
    assert "has no parameter 'concpt' (did you mean 'concept'?)" in result.stderr
    result = run_cli("query", "what-fosters", str(LECTURE), "-p", "oops")
    assert "--param 'oops' is not NAME=VALUE" in result.stderr
    result = run_cli("query", "concepts-of-section", str(LECTURE), "-p", "section=two")
    assert "'two' is not a whole number" in result.stderr


@pytest.mark.parametrize("update", ["INSERT DATA { <a:b> <a:c> <a:d> }", "LOAD <http://example.org/x.ttl>",
                                    "PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }", "CLEAR ALL", "DROP GRAPH <a:g>"])
def test_updates_are_refused_because_the_graph_is_built_from_the_spec(lecture, update):
    with pytest.raises(ConceptGraphError) as err:
        lecture.run(update)
    assert err.value.codes == ["update-refused"]


def test_a_folder_given_as_the_query_says_the_query_comes_first():
    result = run_cli("query", str(LECTURE))
    assert result.returncode == 2 and "the query comes first" in result.stderr


# -- the command line -----------------------------------------------------------------------------
def test_query_list_shows_every_query_with_its_parameters():
    result = run_cli("query", "--list")
    assert result.returncode == 0
    for query in library():
        assert query.name in result.stdout
    assert "from=support-system to=assurance" in result.stdout


@pytest.mark.slow
def test_a_query_from_the_command_line_with_options_anywhere(tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("# Mine\n# param: c = trust  a concept\nSELECT ?l WHERE { VALUES ?c { \"trust\" } "
                  "?x skos:notation ?c ; skos:prefLabel ?l }\n", encoding="utf-8")
    result = run_cli("query", str(rq), "-p", "c=assurance", str(LECTURE), "--format", "csv", "--engine", "oxigraph")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["l", "assurance"]


@pytest.mark.slow
def test_a_built_turtle_file_can_be_queried_directly(tmp_path):
    from concept_graph import build

    build(LECTURE, tmp_path)
    engine = open_engine(tmp_path / "lecture.ttl")
    assert plain(engine.run("most-connected")) == EXPECTED["most-connected"][0:1] + (EXPECTED["most-connected"][1],)
    assert engine.prefixes["concept"] == "https://example.org/lecture/concept/"


# -- the page on writing queries -------------------------------------------------------------------
DOCS = FIXTURES.parent.parent / "docs" / "queries.md"


@pytest.mark.slow
@pytest.mark.parametrize("block", re.findall(r"```sparql\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S))
def test_every_query_on_the_writing_queries_page_runs_and_answers(tmp_path, block):
    (tmp_path / "example.rq").write_text(block, encoding="utf-8")
    result = run_cli("query", str(tmp_path / "example.rq"), str(FIXTURES.parent.parent / "graph" / "security"))
    assert result.returncode == 0, result.stderr
    assert "(no rows)" not in result.stdout


@pytest.mark.slow
def test_the_page_shows_why_a_label_needs_its_language_tag(lecture):
    assert len(lecture.run('SELECT ?c WHERE { ?c skos:prefLabel "trust" }')) == 0
    assert len(lecture.run('SELECT ?c WHERE { ?c skos:prefLabel "trust"@en }')) == 1


@pytest.mark.slow
def test_on_oxigraph_a_valid_query_is_not_parsed_by_rdflib_first():
    """rdflib's parser costs more than Oxigraph's whole run of most queries; it is only the fallback."""
    code = ("import sys; from concept_graph.engines import open_engine; "
            f"e = open_engine({str(LECTURE)!r}, 'oxigraph'); r = e.run('most-connected'); "
            "print(len(r.rows) > 0, 'rdflib.plugins.sparql.parser' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split() == ["True", "False"], result.stderr
