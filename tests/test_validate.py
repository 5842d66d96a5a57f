"""A lecturer's mistakes in the spec: each found, located by file and line, all at once."""

from __future__ import annotations

import pytest

from concept_graph import ConceptGraphError, check_graph, load_graph
from conftest import FIXTURES, run_cli


def test_the_tiny_graph_loads_with_its_concepts_relations_and_evidence(tiny):
    graph = load_graph(tiny)
    assert [c.id for c in graph.concepts] == ["secure-base", "exploration", "mastery", "competence", "trauma"]
    assert graph.concept("exploration").synonyms == ("venturing out",)
    relation = graph.relations[0]
    assert (relation.subject, relation.type, relation.object) == ("secure-base", "fosters", "exploration")
    evidence = relation.evidence[0]
    assert graph.article.text[evidence.start:evidence.end] == "A secure base fosters exploration"
    assert evidence.section == 1


def add_spec(folder, text: str) -> str:
    (folder / "spec" / "zz-extra.yaml").write_text(text, encoding="utf-8")
    return "spec/zz-extra.yaml"


# Each case adds one small file with one mistake to the valid tiny graph: (code, yaml, line).
BAD = {
    "yaml-syntax": ("concepts:\n  - id: x\n   label: y\n", 3),
    "wrong-type": ("concepts:\n  - id: x\n    label: x\n    synonyms: one\n    category: process\n"
                   "    definition: d\n    quote: Avoidance is a defense.\n", 4),
    "missing-field": ("relations:\n  - subject: mastery\n    type: fosters\n    object: competence\n", 2),
    "unknown-field": ("relations:\n  - subject: mastery\n    type: fosters\n    object: competence\n"
                      "    quote: Mastery is a kind\n    qoute: x\n", 6),
    "unknown-key": ("concept:\n  - id: x\n", 1),
    "duplicate-key": ("concepts:\n  - id: x\n    id: y\n", 3),
    "duplicate-id": ("concepts:\n  - id: mastery\n    label: mastery two\n    category: process\n"
                     "    definition: d\n    quote: Avoidance is a defense.\n", 2),
    "bad-id": ("concepts:\n  - id: Avoid Ance\n    label: avoidance\n    category: process\n"
               "    definition: d\n    quote: Avoidance is a defense.\n", 2),
    "empty-label": ("concepts:\n  - id: avoidance\n    label: '  '\n    category: process\n"
                    "    definition: d\n    quote: Avoidance is a defense.\n", 3),
    "label-too-long": ("concepts:\n  - id: avoidance\n    label: " + "a" * 500 + "\n    category: process\n"
                       "    definition: d\n    quote: Avoidance is a defense.\n", 3),
    "unknown-category": ("concepts:\n  - id: avoidance\n    label: avoidance\n    category: defence\n"
                         "    definition: d\n    quote: Avoidance is a defense.\n", 4),
    "synonym-clash": ("concepts:\n  - id: avoidance\n    label: avoidance\n    synonyms: [Exploration]\n"
                      "    category: process\n    definition: d\n    quote: Avoidance is a defense.\n", 4),
    "unknown-concept": ("relations:\n  - subject: mastery\n    type: fosters\n    object: competance\n"
                        "    quote: Mastery is a kind\n", 4),
    "unknown-relation-type": ("relations:\n  - subject: mastery\n    type: foster\n    object: competence\n"
                              "    quote: Mastery is a kind\n", 3),
    "unknown-family": ("relation_types:\n  - id: opposes\n    label: opposes\n    definition: d\n"
                       "    family: helps\n", 5),
    "self-relation": ("relations:\n  - subject: mastery\n    type: fosters\n    object: mastery\n"
                      "    quote: Mastery is a kind\n", 2),
    "quote-not-found": ("relations:\n  - subject: mastery\n    type: fosters\n    object: competence\n"
                        "    quote: Mastery is a sort of competence\n", 5),
    "quote-ambiguous": ("relations:\n  - subject: mastery\n    type: fosters\n    object: competence\n"
                        "    quote: secure base\n", 5),
    "duplicate-relation": ("relations:\n  - subject: secure-base\n    type: fosters\n    object: exploration\n"
                           "    quote: secure base fosters\n", 2),
    "hierarchy-cycle": ("relations:\n  - subject: competence\n    type: kind-of\n    object: mastery\n"
                        "    quote: kind of competence.\n", 2),
    "symmetric-with-inverse": ("relation_types:\n  - id: opposes\n    label: opposes\n    symmetric: true\n"
                               "    inverse: is opposed by\n    definition: d\n", 5),
}


@pytest.mark.parametrize("code", sorted(BAD))
def test_each_mistake_is_reported_with_its_code_file_and_line(tiny, code):
    text, line = BAD[code]
    file = add_spec(tiny, text)
    problems = check_graph(tiny)
    assert [p.code for p in problems] == [code], problems
    assert problems[0].file.endswith(file)
    assert problems[0].line == line
    assert problems[0].message


def test_a_bad_base_iri_is_refused(tiny):
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("https://example.org/tiny/", "example.org tiny"))
    (problem,) = check_graph(tiny)
    assert (problem.code, problem.line) == ("bad-base-iri", 4)


def test_a_missing_article_is_named(tiny):
    (tiny / "article.txt").unlink()
    (problem,) = check_graph(tiny)
    assert problem.code == "missing-file" and problem.file.endswith("article.txt")


def test_a_missing_graph_folder_is_named(tmp_path):
    with pytest.raises(ConceptGraphError) as info:
        load_graph(tmp_path / "nowhere")
    assert info.value.codes == ["missing-file"]


def test_unknown_ids_come_with_a_did_you_mean(tiny):
    add_spec(tiny, BAD["unknown-concept"][0])
    (problem,) = check_graph(tiny)
    assert problem.hint == "did you mean 'competence'?"


def test_a_spec_with_ten_mistakes_reports_all_ten_with_lines():
    problems = check_graph(FIXTURES / "ten-mistakes")
    assert len(problems) == 10
    assert len({p.code for p in problems}) == 10
    assert all(p.file.endswith("spec/graph.yaml") and p.line for p in problems)


def test_the_cli_prints_every_problem_and_exits_2_without_a_traceback():
    result = run_cli("validate", str(FIXTURES / "ten-mistakes"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 10
    assert any("graph.yaml:36: unknown concept 'secure-bse'" in line and "did you mean 'secure-base'?" in line
               for line in lines)
    assert result.stderr.rstrip().endswith("10 problems found")


def test_the_model_holds_plain_strings_not_yaml_line_records(tiny):
    graph = load_graph(tiny)
    values = [graph.meta.id, graph.meta.base, graph.meta.title]
    for c in graph.concepts:
        values += [c.id, c.label, c.category, c.definition, *c.synonyms]
    for r in graph.relations:
        values += [r.subject, r.type, r.object]
    for t in graph.relation_types:
        values += [t.id, t.label, t.definition, t.skos or ""]
    assert {type(v) for v in values} == {str}


def test_a_kind_of_cycle_is_blamed_on_a_kind_of_relation_not_on_another_relation_of_the_pair(tiny):
    add_spec(tiny, "relations:\n  - subject: competence\n    type: kind-of\n    object: mastery\n"
                   "    quote: Mastery is a kind of competence.\n"
                   "  - subject: competence\n    type: fosters\n    object: mastery\n"
                   "    quote: kind of competence\n")
    with pytest.raises(ConceptGraphError) as info:
        load_graph(tiny)
    cycle = [p for p in info.value.problems if p.code == "hierarchy-cycle"]
    assert [(p.file.endswith("zz-extra.yaml"), p.line) for p in cycle] == [(True, 2)]
