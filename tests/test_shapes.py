"""The SHACL check: the build's own engine (shapes compiled to SPARQL, run on Oxigraph) finds what
pySHACL, the reference engine, finds, on sound and on broken graphs, and refuses what it cannot check."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from concept_graph import load_graph, rdf, rdfwrite
from concept_graph.rdfwrite import Lit
from concept_graph.shapes import Checker, UnsupportedShapes, check_shapes, shapes_text
from conftest import ARTICLE_GRAPH, FIXTURES, ROOT

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def tiny_triples():
    return rdfwrite.unique(rdf.triples(load_graph(FIXTURES / "tiny")))


def outcome(report):
    """What a report finds: each result's focus node, component, path and value."""
    return report.conforms, sorted((r.focus, r.component.rsplit("#", 1)[1], r.path, r.value) for r in report.results)


def broken(table, seed: int):
    """The tiny graph with one to four random edits: triples dropped, objects swapped or retyped, nodes retyped."""
    rng = random.Random(seed)
    triples = [(s, p, o) for s, pairs in table.items() for p, o in pairs]
    subjects = list(table)
    classes = sorted({o for _, p, o in triples if p == RDF_TYPE})
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(triples))
        s, p, o = triples[i]
        roll = rng.random()
        if roll < 0.35:
            del triples[i]
        elif roll < 0.5:
            triples.append((s, p, rng.choice(subjects)))
        elif roll < 0.65:
            triples.append((s, p, Lit("x", "en") if rng.random() < 0.5 else rng.randint(-3, 99)))
        elif roll < 0.75:
            triples[i] = (s, p, Lit(""))
        elif roll < 0.85:
            triples[i] = (s, p, rng.randint(-5, 5) if type(o) is int else Lit(str(o)))
        elif roll < 0.93:
            triples.append((rng.choice(subjects), p, o))
        else:
            triples.append((rng.choice(subjects), RDF_TYPE, rng.choice(classes)))
    out: dict = {}
    for s, p, o in triples:
        rdfwrite.add(out, s, p, o)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(40))
def test_the_engine_finds_exactly_what_pyshacl_finds_on_a_broken_graph(tiny_triples, seed):
    data = broken(tiny_triples, seed)
    ours, reference = check_shapes(data), check_shapes(data, engine="pyshacl")
    assert outcome(ours) == outcome(reference)
    assert ours.violations == len(ours.results)


@pytest.mark.slow
def test_the_article_graph_conforms_for_both_engines():
    table = rdf.triples(load_graph(ARTICLE_GRAPH))
    ours, reference = check_shapes(table), check_shapes(table, engine="pyshacl")
    assert ours.conforms and reference.conforms


def test_a_report_names_the_focus_node_the_path_and_the_shapes_message(tiny_triples):
    data = {s: [(p, o) for p, o in pairs if p != str(rdf.CG.evidence)] for s, pairs in tiny_triples.items()}
    report = check_shapes(data)
    assert not report.conforms and report.violations == 4
    assert "Focus Node: <https://example.org/tiny/relation/secure-base--fosters--exploration>" in report.text
    assert "Result Path: cg:evidence" in report.text
    assert "every relation carries at least one quote of the article as evidence" in report.text


def test_shapes_using_a_feature_the_engine_does_not_compile_are_refused_not_half_checked():
    text = shapes_text().replace("sh:minLength 1 ] ;", "sh:pattern \"^[A-Z]\" ] ;", 1)
    with pytest.raises(UnsupportedShapes, match="sh:pattern"):
        Checker(text)
    with pytest.raises(UnsupportedShapes, match="sh:path is not one IRI"):
        Checker(shapes_text().replace("sh:path skos:altLabel", "sh:path ( skos:altLabel )", 1))


def test_a_file_is_checked_by_the_module_run_as_a_program(tiny_triples, tmp_path):
    """What a build of a large graph runs beside its other work: one JSON line, exit 1 when it breaks."""
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_text(rdfwrite.text(rdfwrite.ntriples(tiny_triples)), encoding="utf-8")
    index = str(rdf.CG.sentenceIndex)
    broken_table = {s: [(p, o) for p, o in pairs if p != index] for s, pairs in tiny_triples.items()}
    bad.write_text(rdfwrite.text(rdfwrite.ntriples(broken_table)), encoding="utf-8")
    runs = [subprocess.run([sys.executable, "-m", "concept_graph.shapes", str(path)], capture_output=True, text=True,
                           cwd=ROOT) for path in (good, bad)]
    assert [r.returncode for r in runs] == [0, 1]
    assert json.loads(runs[0].stdout)["conforms"] is True
    report = json.loads(runs[1].stdout)
    assert report["conforms"] is False and report["violations"] == 9  # one per annotation
    assert "MinCountConstraintComponent" in report["text"]
