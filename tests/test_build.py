"""Building: all outputs or none, byte-identical on rebuild, and the committed ones are fresh."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from rdflib import Graph

from concept_graph import ConceptGraphError, build
from concept_graph.build import OUTPUTS
from concept_graph.shapes import check_shapes

from conftest import ARTICLE_GRAPH, ROOT, run_cli


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_build_writes_every_output(tiny):
    result = build(tiny)
    names = {p.name for p in result.written}
    assert names == {name.format(id="tiny") for name in OUTPUTS}
    assert not [p for p in (tiny / "out").iterdir() if p.name.endswith(".tmp")]


def test_the_committed_outputs_are_exactly_what_a_fresh_build_writes(tmp_path):
    committed = ARTICLE_GRAPH / "out"
    build(ARTICLE_GRAPH, tmp_path / "out")
    fresh = snapshot(tmp_path / "out")
    assert fresh.keys() == snapshot(committed).keys()
    stale = [name for name, data in fresh.items() if (committed / name).read_bytes() != data]
    assert not stale, f"stale outputs, run 'concept-graph build' and commit: {stale}"


def test_builds_in_processes_with_different_hash_seeds_are_byte_identical(tmp_path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "concept_graph.cli", "build", str(ARTICLE_GRAPH), "-o", str(out)],
                       check=True, env=env, capture_output=True, cwd=ROOT)
        outs.append(snapshot(out))
    assert outs[0] == outs[1]


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


def test_a_build_killed_mid_way_leaves_every_output_whole(tiny):
    """Kill builds at several moments: each output is then the old file or the new one, never a torso."""
    build(tiny)
    old = snapshot(tiny / "out")
    spec = tiny / "spec" / "graph.yaml"
    spec.write_text(spec.read_text().replace("Going out into the world.", "Going out into the wide world."))
    new = snapshot(build(tiny, tiny / "expected").out_dir)
    shutil.rmtree(tiny / "expected")
    assert all(old[name] != new[name] for name in ("tiny.ttl", "tiny.nt", "tiny.jsonld"))
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):
        proc = subprocess.Popen([sys.executable, "-m", "concept_graph.cli", "build", str(tiny)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(tiny / "out")
        assert set(now) == set(old)
        for name, data in now.items():
            assert data in (old[name], new[name]), f"{name} is neither the old nor the new file after {delay}s"
    build(tiny)
    assert snapshot(tiny / "out") == new  # the next build also clears temporaries left by the killed ones


def test_cli_build_reports_what_it_wrote(tiny, tmp_path):
    result = run_cli("build", str(tiny), "-o", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "5 concepts, 4 relations" in result.stdout
