"""Building: all outputs or none, byte-identical on rebuild, nothing redone when nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Graph

from concept_graph import ConceptGraphError, build, pipeline
from concept_graph.pipeline import KINDS, OUTPUTS
from concept_graph.shapes import check_shapes
from conftest import ARTICLE_GRAPH, ROOT, run_cli


def snapshot(folder):
    """Every output and its bytes (the build's own record, a dot-file, is not an output)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def mtimes(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


@pytest.mark.slow
def test_build_writes_every_output(tiny):
    result = build(tiny)
    names = {p.name for p in result.written}
    assert names == {name.format(id="tiny") for name in OUTPUTS}
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_the_committed_outputs_are_exactly_what_a_fresh_build_writes(tmp_path):
    committed = ARTICLE_GRAPH / "out"
    build(ARTICLE_GRAPH, tmp_path / "out")
    fresh = snapshot(tmp_path / "out")
    assert fresh.keys() == snapshot(committed).keys()
    stale = [name for name, data in fresh.items() if (committed / name).read_bytes() != data]
    assert not stale, f"stale outputs, run 'concept-graph build' and commit: {stale}"


@pytest.mark.slow
def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "concept_graph.cli", "build", str(ARTICLE_GRAPH), "-o", str(out)],
                       check=True, env=env, capture_output=True, cwd=ROOT)
        outs.append(snapshot(out))
    assert outs[0] == outs[1]


@pytest.mark.slow
def test_the_article_graph_outputs_parse_and_conform(tmp_path):
    result = build(ARTICLE_GRAPH, tmp_path)
    graphs = [Graph().parse(tmp_path / f"security.{ext}") for ext in ("ttl", "jsonld", "nt")]
    assert len({len(g) for g in graphs}) == 1
    assert check_shapes(graphs[0]).conforms
    assert len(result.graph.concepts) > 0


def test_a_failed_build_leaves_the_previous_outputs_untouched(tiny):
    build(tiny)
    before = snapshot(tiny / "out")
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("object: mastery", "object: mastry"))
    with pytest.raises(ConceptGraphError):
        build(tiny)
    assert snapshot(tiny / "out") == before


@pytest.fixture
def old_and_new(tiny):
    """The tiny graph built, then its spec changed: (old outputs, new outputs), every RDF file different."""
    build(tiny)
    old = snapshot(tiny / "out")
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("Going out into the world.", "Going out into the wide world."))
    new = snapshot(build(tiny, tiny.parent / "expected").out_dir)
    assert all(old[name] != new[name] for name in ("tiny.ttl", "tiny.nt", "tiny.jsonld"))
    return old, new


def interrupt_writing_after(monkeypatch, files: int, error: BaseException):
    """Make the build's writer fail half-way through its (files + 1)-th file."""
    real = pipeline._pieces
    started = []

    def pieces(data):
        started.append(1)
        for n, piece in enumerate(real(data)):
            if len(started) > files and n == 0:
                yield piece[: len(piece) // 2]
                raise error
            yield piece

    monkeypatch.setattr(pipeline, "_pieces", pieces)


@pytest.mark.slow
@pytest.mark.parametrize("files", [0, 2, 5, len(OUTPUTS) - 1])
def test_a_build_whose_disk_fills_up_mid_file_leaves_every_output_old(tiny, old_and_new, monkeypatch, files):
    old, new = old_and_new
    interrupt_writing_after(monkeypatch, files, OSError(28, "No space left on device"))
    with pytest.raises(ConceptGraphError) as caught:
        build(tiny)
    assert caught.value.problems[0].code == "unwritable-output"
    assert "No space left on device" in caught.value.problems[0].message
    assert snapshot(tiny / "out") == old
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_a_build_stopped_with_ctrl_c_mid_file_leaves_every_output_old(tiny, old_and_new, monkeypatch):
    old, new = old_and_new
    interrupt_writing_after(monkeypatch, 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        build(tiny)
    assert snapshot(tiny / "out") == old
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
@pytest.mark.parametrize("renames", [0, 1, 4, -1])
def test_a_build_interrupted_between_renames_leaves_each_output_old_or_new_and_the_next_build_finishes(
        tiny, old_and_new, monkeypatch, renames):
    """-1: the last rename of all fails (a file whose bytes did not change is not renamed)."""
    old, new = old_and_new
    changed = sum(old[name] != new[name] for name in old)
    renames = renames % changed
    real, done = pipeline._replace, []

    def replace(tmp, final):
        if len(done) == renames:
            raise OSError(5, "Input/output error")
        done.append(final)
        real(tmp, final)

    monkeypatch.setattr(pipeline, "_replace", replace)
    with pytest.raises(ConceptGraphError):
        build(tiny)
    now = snapshot(tiny / "out")
    assert set(now) == set(old)
    for name, data in now.items():
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
    assert sum(now[name] == new[name] != old[name] for name in now) <= renames
    monkeypatch.setattr(pipeline, "_replace", real)
    build(tiny)
    assert snapshot(tiny / "out") == new


def test_a_second_build_with_unchanged_inputs_does_nothing(tiny):
    first = build(tiny)
    before = mtimes(tiny / "out")
    second = build(tiny)
    assert second.graph is None and second.written == ()
    assert {p.name for p in second.up_to_date} == {p.name for p in first.written}
    assert (second.concepts, second.relations) == (5, 4)
    assert mtimes(tiny / "out") == before


@pytest.mark.slow
def test_an_output_changed_by_hand_is_written_again(tiny):
    build(tiny)
    page = tiny / "out" / "tiny.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"<title>", b"<title>edited "))
    result = build(tiny)
    assert result.graph is not None
    assert page.read_bytes() == good


@pytest.mark.slow
def test_an_edited_spec_or_article_builds_again_and_only_changed_files_are_replaced(tiny):
    build(tiny)
    shapes_before = (tiny / "out" / "shapes.ttl").stat().st_mtime_ns
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("Going out into the world.", "Going out into the wide world."))
    assert build(tiny).graph is not None
    assert (tiny / "out" / "shapes.ttl").stat().st_mtime_ns == shapes_before  # same bytes: left alone
    assert b"wide world" in (tiny / "out" / "tiny.ttl").read_bytes()
    article = tiny / "article.txt"
    article.write_text(article.read_text() + "\n")
    assert build(tiny).graph is not None


def test_only_builds_the_outputs_named_and_leaves_the_others(tiny, tmp_path):
    out = tmp_path / "out"
    result = build(tiny, out, only=["ttl", "html"])
    assert sorted(p.name for p in result.written) == ["tiny.html", "tiny.ttl"]
    assert sorted(snapshot(out)) == ["tiny.html", "tiny.ttl"]
    assert build(tiny, out, only="ttl").graph is None  # up to date
    full = build(tiny, out)
    assert full.graph is not None and len(snapshot(out)) == len(OUTPUTS)
    assert build(tiny, out, only="csv").graph is None


def test_only_refuses_an_unknown_kind_and_names_the_known_ones(tiny):
    with pytest.raises(ConceptGraphError) as caught:
        build(tiny, only="ttl,htm")
    assert caught.value.problems[0].code == "unknown-output"
    assert "'html'" in caught.value.problems[0].hint
    result = run_cli("build", str(tiny), "--only", "ttl,pdf")
    assert result.returncode == 2 and "unknown output kind 'pdf'" in result.stderr


def test_every_output_kind_names_files_that_the_build_writes():
    assert {name for names in KINDS.values() for name in names} == set(OUTPUTS)


def test_progress_is_told_every_step_in_order(tiny):
    seen = []
    build(tiny, progress=lambda step, done, total: seen.append((step, done, total)))
    total = seen[0][2]
    assert [done for _, done, _ in seen] == list(range(total + 1))
    assert seen[-1] == ("done", total, total)
    steps = [step for step, _, _ in seen]
    assert steps.index("tiny.ttl") < steps.index("check the shapes") < steps.index("tiny.html")


@pytest.mark.slow
def test_cli_build_reports_what_it_wrote_then_that_it_is_up_to_date(tiny, tmp_path):
    result = run_cli("build", str(tiny), "-o", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "5 concepts, 4 relations" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    again = run_cli("build", str(tiny), "-o", str(tmp_path / "o"))
    assert again.returncode == 0
    assert "is up to date: 5 concepts, 4 relations, 5 lint findings, 12 files" in again.stdout
    forced = run_cli("build", str(tiny), "-o", str(tmp_path / "o"), "--force")
    assert forced.stdout.startswith("built ")


def break_the_rdf(monkeypatch):
    """Every build from now on drops the evidence of each relation from its RDF (4 SHACL violations)."""
    from concept_graph import rdf

    real = rdf.triples
    evidence = str(rdf.CG.evidence)
    monkeypatch.setattr(rdf, "triples", lambda graph: {s: [(p, o) for p, o in pairs if p != evidence]
                                                      for s, pairs in real(graph).items()})


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_rdf_that_breaks_the_shapes_stops_the_build_before_anything_is_replaced(tiny, monkeypatch, workers):
    build(tiny)
    before = snapshot(tiny / "out")
    monkeypatch.setattr(pipeline, "SHAPES_FROM_FILE", 0)  # checked as a large graph is: from the N-Triples file
    break_the_rdf(monkeypatch)
    with pytest.raises(ConceptGraphError) as caught:
        build(tiny, force=True, workers=workers)
    assert caught.value.problems[0].code == "shapes-violation"
    assert "breaks 4 SHACL constraint(s)" in caught.value.problems[0].message
    assert snapshot(tiny / "out") == before
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_two_workers_write_the_same_bytes_as_one(tiny, tmp_path):
    one = build(tiny, tmp_path / "one", workers=1)
    two = build(tiny, tmp_path / "two", workers=2)
    assert [p.name for p in one.written] == [p.name for p in two.written]
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


@pytest.mark.slow
def test_a_problem_met_by_the_forked_renderer_stops_the_build_and_leaves_no_temporary_file(tiny, monkeypatch):
    from concept_graph import exports

    build(tiny)
    before = snapshot(tiny / "out")

    def refuse(graph):
        raise ConceptGraphError(pipeline.Problem("export-failed", None, None, "GraphML refused", "a test"))

    monkeypatch.setattr(exports, "to_graphml", refuse)
    with pytest.raises(ConceptGraphError) as caught:
        build(tiny, force=True, workers=2)
    assert caught.value.problems[0].message == "GraphML refused"
    assert snapshot(tiny / "out") == before
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(exports, "to_gexf", lambda graph: 1 / 0)
    monkeypatch.setattr(exports, "to_graphml", lambda graph: "<graphml/>")
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        build(tiny, force=True, workers=2)
    assert snapshot(tiny / "out") == before
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]
