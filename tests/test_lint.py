"""A curator's second reader: lint finds what reads wrong, and targets stop a spec cut in half.

The reader fixture is lint-clean; each case adds one small spec file with one thing a careful
reader would trip over, and lint must name its rule at that file's line.
"""

from __future__ import annotations

import shutil

import pytest

from concept_graph import ConceptGraphError, build, load_graph
from concept_graph.lint import RULES, lint
from concept_graph.targets import TargetsMissed, measure
from conftest import ARTICLE_GRAPH, FIXTURES, run_cli


@pytest.fixture
def reader(tmp_path):
    target = tmp_path / "reader"
    shutil.copytree(FIXTURES / "reader", target)
    return target


def add_spec(folder, text: str) -> None:
    (folder / "spec" / "zz-extra.yaml").write_text(text, encoding="utf-8")


def concept(cid, label, category="construct", quote="Curiosity and caution", definition=None, synonyms=None):
    text = f"  - id: {cid}\n    label: {label}\n    category: {category}\n"
    if synonyms:
        text += f"    synonyms: [{', '.join(synonyms)}]\n"
    definition = definition or f"A stance of {label} toward new things, chosen with an eye to what may come."
    return text + f"    definition: {definition}\n    quote: {quote}\n"


def relation(subject, type_, object_, quote):
    return f"  - subject: {subject}\n    type: {type_}\n    object: {object_}\n    quote: {quote}\n"


# rule -> (extra spec text, the 1-based line of that file the finding points at)
CASES = {
    "conflict": ("relations:\n" + relation("secure-base", "threatens", "exploration", "A secure base fosters"), 2),
    "inherited-conflict": ("relations:\n" + relation("mastery", "threatens", "confidence", "Mastery is a kind"), 2),
    "inherited-duplicate": ("relations:\n" + relation("mastery", "fosters", "confidence",
                                                      "Competence fosters confidence"), 2),
    "no-outgoing": ("concepts:\n" + concept("denial", "denial", "defense", "Avoidance is a defense aimed"), 2),
    "sibling-categories": ("concepts:\n" + concept("stance", "stance", quote="two kinds of stance")
                           + concept("curiosity", "curiosity", "construct", "Curiosity and caution are")
                           + concept("caution", "caution", "process", "caution are two kinds")
                           + "relations:\n"
                           + relation("curiosity", "kind-of", "stance", "Curiosity and caution are two")
                           + relation("caution", "kind-of", "stance", "and caution are two kinds of stance"), 12),
    "near-duplicate-label": ("concepts:\n" + concept("world-exploration", "exploration of the world",
                                                    quote="Exploration of the world")
                             + "relations:\n" + relation("world-exploration", "fosters", "confidence",
                                                         "Exploration of the world is named"), 2),
    "shared-synonym": ("concepts:\n" + concept("roaming", "roaming", "process", "Exploration of the world",
                                               synonyms=["explorations"])
                       + "relations:\n" + relation("roaming", "fosters", "mastery", "Exploration of the world is"), 2),
    "thin-definition": ("concepts:\n" + concept("stance", "stance", quote="two kinds of stance",
                                                definition="A stance that fosters confidence.")
                        + "relations:\n" + relation("stance", "fosters", "confidence", "kinds of stance"), 2),
}


def test_the_reader_fixture_is_lint_clean(reader):
    assert lint(load_graph(reader)) == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_lint_names_the_rule_and_the_line_a_reader_trips_over(reader, rule):
    text, line = CASES[rule]
    add_spec(reader, text)
    findings = [f for f in lint(load_graph(reader)) if f.code == rule]
    assert findings, f"{rule} found nothing"
    assert findings[0].file.endswith("spec/zz-extra.yaml")
    assert findings[0].line == line
    assert findings[0].hint


def test_a_concept_the_article_names_twice_but_that_hangs_by_one_edge_is_found(reader):
    article = reader / "article.txt"
    article.write_text(article.read_text() + " Confidence grows slowly.\n")
    findings = lint(load_graph(reader))
    assert [(f.code, f.message) for f in findings] == [
        ("one-edge", "'confidence' has one relation, but the article names it in 2 sentences")]
    assert findings[0].file.endswith("spec/graph.yaml")


def test_a_curator_who_read_the_sentences_can_quiet_a_rule_for_that_concept_alone(reader):
    article = reader / "article.txt"
    article.write_text(article.read_text() + " Confidence grows slowly.\n")
    spec = reader / "spec" / "graph.yaml"
    text = spec.read_text()
    assert text.count("    quote: Competence fosters confidence.\n") == 1
    spec.write_text(text.replace("    quote: Competence fosters confidence.\n",
                                 "    quote: Competence fosters confidence.\n"
                                 "    # lint one-edge: 'grows slowly' states no relation\n"
                                 "    lint: {disable: [one-edge]}\n"))
    graph = load_graph(reader)
    assert graph.concept("confidence").lint_disabled == ("one-edge",)
    assert lint(graph) == []
    # the other concepts are still linted: the caregiver, named twice now, is found
    article.write_text(article.read_text() + " The caregiver stays near.\n")
    assert [(f.code, f.message.split(" has")[0]) for f in lint(load_graph(reader))] == [("one-edge", "'caregiver'")]


def test_a_concept_s_lint_options_are_checked_like_the_graph_s(reader):
    spec = reader / "spec" / "graph.yaml"
    text = spec.read_text()
    spec.write_text(text.replace("    quote: Competence fosters confidence.\n",
                                 "    quote: Competence fosters confidence.\n    lint: {disable: [one-edges]}\n"))
    with pytest.raises(ConceptGraphError) as info:
        load_graph(reader)
    assert info.value.codes == ["unknown-lint-rule"]
    assert "did you mean 'one-edge'?" in str(info.value) and "graph.yaml" in str(info.value)


def test_every_rule_has_a_case_here_and_can_be_switched_off(reader):
    assert set(CASES) | {"one-edge"} == set(RULES)
    add_spec(reader, CASES["conflict"][0])
    spec = reader / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("  article: article.txt\n",
                                             "  article: article.txt\n  lint: {disable: [conflict]}\n"))
    assert lint(load_graph(reader)) == []


def test_an_unknown_rule_in_the_lint_options_is_refused_with_a_suggestion(reader):
    spec = reader / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("  article: article.txt\n",
                                             "  article: article.txt\n  lint: {disable: [conflicts]}\n"))
    with pytest.raises(ConceptGraphError) as info:
        load_graph(reader)
    assert info.value.codes == ["unknown-lint-rule"]
    assert "did you mean 'conflict'?" in str(info.value)


@pytest.mark.slow
def test_lint_on_the_command_line_exits_1_with_one_line_per_finding(reader):
    add_spec(reader, CASES["conflict"][0])
    result = run_cli("lint", str(reader))
    assert result.returncode == 1
    assert result.stdout.count("[conflict]") == 1
    assert "zz-extra.yaml:2: 'secure base' threatens 'exploration' contradicts" in result.stdout
    assert "1 finding" in result.stderr
    clean = run_cli("lint", str(FIXTURES / "reader"))
    assert (clean.returncode, clean.stdout.strip()) == (0, f"{FIXTURES / 'reader'}: 0 findings")


def test_lint_lists_its_rules():
    result = run_cli("lint", "--rules")
    assert result.returncode == 0
    assert all(rule in result.stdout for rule in RULES)


def test_the_article_graph_is_lint_clean_on_the_command_line():
    result = run_cli("lint", str(ARTICLE_GRAPH))
    assert result.returncode == 0, result.stdout


# --- targets ---------------------------------------------------------------------------------------

def cut_in_half(spec_file):
    """Keep the lines before the middle relation: still valid YAML, half the relations gone."""
    lines = spec_file.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("  - subject:")]
    spec_file.write_text("\n".join(lines[:starts[len(starts) // 2]]) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_spec_truncated_mid_file_fails_the_build_naming_the_missed_target(tmp_path):
    folder = tmp_path / "security"
    shutil.copytree(ARTICLE_GRAPH, folder)
    before = {p.name: p.read_bytes() for p in (folder / "out").iterdir()}
    cut_in_half(folder / "spec" / "part2.yaml")
    result = run_cli("build", str(folder))
    assert result.returncode == 1, result.stderr
    assert "target max_isolated missed" in result.stderr
    assert "target min_coverage missed" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in (folder / "out").iterdir()} == before
    validate = run_cli("validate", "--no-shapes", str(folder))
    assert validate.returncode == 1 and "target-missed" in validate.stderr


@pytest.mark.slow
def test_build_reports_its_lint_findings_and_refuses_beyond_the_target(reader):
    result = build(reader)
    assert result.lint_findings == 0
    add_spec(reader, CASES["conflict"][0])
    with pytest.raises(TargetsMissed) as info:
        build(reader)
    assert info.value.exit_code == 1
    assert "target max_lint_findings missed: lint finds 1" in str(info.value)
    assert info.value.problems[0].file.endswith("spec/graph.yaml")


@pytest.mark.slow
def test_without_targets_the_same_graph_builds_and_counts_its_findings(reader):
    spec = reader / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace(
        "  targets: {min_coverage: 0.5, max_isolated: 0, max_lint_findings: 0}\n", ""))
    add_spec(reader, CASES["conflict"][0])
    assert build(reader).lint_findings == 1
    result = run_cli("build", str(reader))
    assert result.returncode == 0
    assert "10 relations, 1 lint finding" in result.stdout


@pytest.mark.parametrize("value", ["1.5", "-1", "'all'", "true"])
def test_a_target_that_is_not_a_number_in_range_is_refused_with_its_line(reader, value):
    spec = reader / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("min_coverage: 0.5", f"min_coverage: {value}"))
    with pytest.raises(ConceptGraphError) as info:
        load_graph(reader)
    assert info.value.codes == ["bad-target"]
    assert info.value.problems[0].line == 7


def test_the_measure_reports_coverage_isolated_and_findings(reader):
    report = measure(load_graph(reader))
    assert (round(report.coverage, 2), report.isolated, report.findings, report.missed) == (0.8, (), (), ())
