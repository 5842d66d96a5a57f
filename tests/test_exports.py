"""Formats for other tools and figures for slides: read back, complete, safe, repeatable."""

from __future__ import annotations

import csv
import io
import struct

import networkx as nx
import pytest

from concept_graph import load_graph
from concept_graph.exports import edges_csv, nodes_csv, safe_cell, to_gexf, to_graphml
from concept_graph.figure import to_figure
from conftest import ARTICLE_GRAPH, run_cli


@pytest.fixture(scope="module")
def article_graph():
    return load_graph(ARTICLE_GRAPH)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_and_cytoscape_formats_read_back_with_every_node_edge_and_attribute(article_graph, fmt, tmp_path):
    text = to_graphml(article_graph) if fmt == "graphml" else to_gexf(article_graph)
    path = tmp_path / f"g.{fmt}"
    path.write_text(text, encoding="utf-8")
    G = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert G.number_of_nodes() == len(article_graph.concepts)
    assert G.number_of_edges() == len(article_graph.relations)
    concept = article_graph.concepts[0]
    node = G.nodes[concept.id]
    assert node["label"] == concept.label and node["category"] == concept.category
    assert node["definition"] == concept.definition
    relation = article_graph.relations[0]
    edges = [d for _, _, d in G.edges(data=True) if d.get("id") == relation.id]
    assert len(edges) == 1
    assert edges[0]["quote"].split(" | ")[0] == relation.evidence[0].quote
    assert int(str(edges[0]["quote_start"]).split(" | ")[0]) == relation.evidence[0].start


def test_csv_nodes_and_edges_carry_labels_types_and_every_quote(article_graph):
    nodes = list(csv.DictReader(io.StringIO(nodes_csv(article_graph))))
    edges = list(csv.DictReader(io.StringIO(edges_csv(article_graph))))
    assert len(nodes) == len(article_graph.concepts)
    assert len(edges) == sum(len(r.evidence) for r in article_graph.relations)
    first = article_graph.relations[0]
    row = edges[0]
    assert (row[":START_ID"], row[":TYPE"], row[":END_ID"]) == (first.subject, first.type, first.object)
    text = article_graph.article.text
    for row in edges:
        assert text[int(row["start:int"]):int(row["end:int"])] == row["quote"]


def test_a_label_that_looks_like_a_formula_is_inert_in_csv():
    assert safe_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert safe_cell("+1") == "'+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("ego strength") == "ego strength"


def test_exports_are_the_same_on_every_run(article_graph):
    assert to_gexf(article_graph) == to_gexf(article_graph)
    assert "lastmodifieddate" not in to_gexf(article_graph)
    assert to_graphml(article_graph) == to_graphml(article_graph)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_a_slide_figure_is_16_to_9_with_a_legend_and_repeatable(tiny):
    graph = load_graph(tiny)
    png = to_figure(graph, "png")
    assert png_size(png) == (1919, 1080) or png_size(png) == (1920, 1080)
    svg = to_figure(graph, "svg").decode()
    assert svg == to_figure(graph, "svg").decode()
    assert "fosters" in svg and "Process" in svg  # the legend names relation types and categories
    assert "other relations" in svg  # the family of types that name none
    assert "<dc:date>" not in svg


def test_a_neighbourhood_figure_shows_only_the_neighbourhood(tiny):
    graph = load_graph(tiny)
    svg = to_figure(graph, "svg", focus="mastery", depth=1).decode()
    assert "competence" in svg and "exploration" in svg
    assert "trauma" not in svg


@pytest.mark.slow
def test_a_figure_is_drawn_once_for_both_formats_and_leaves_matplotlib_as_it_found_it():
    import subprocess
    import sys

    # The settings are read raw: asking matplotlib for its backend would itself import pyplot.
    code = ("import sys, matplotlib; raw = lambda: {k: dict.__getitem__(matplotlib.rcParams, k) for k in "
            "matplotlib.rcParams}; before = raw(); "
            "from concept_graph import load_graph; from concept_graph.figure import to_figure, _drawn; "
            f"g = load_graph({str(ARTICLE_GRAPH)!r}); to_figure(g, 'svg'); to_figure(g, 'png'); "
            "print(_drawn.cache_info().misses, _drawn.cache_info().hits, 'matplotlib.pyplot' in sys.modules, "
            "raw() == before)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.split() == ["1", "1", "False", "True"], result.stderr


@pytest.mark.slow
def test_a_figure_of_the_whole_graph_is_the_pages_map(article_graph):
    """The figure places concepts where the page's map does, scaled: a slide matches the page."""
    import numpy as np
    from matplotlib.collections import PathCollection

    from concept_graph.figure import _drawn
    from concept_graph.layout import graph_map

    figure = _drawn(article_graph, None, None, None, None)
    placed = np.vstack([c.get_offsets() for c in figure.axes[0].collections if isinstance(c, PathCollection)])
    # One scatter per category, in the spec's order, its concepts in the spec's order.
    ids = [c.id for category in article_graph.categories for c in article_graph.concepts if c.category == category.id]
    at = np.array([graph_map(article_graph)[i] for i in ids], dtype=float)
    for axis in (0, 1):
        slope, shift = np.polyfit(at[:, axis], placed[:, axis], 1)
        assert slope > 0 and np.abs(at[:, axis] * slope + shift - placed[:, axis]).max() < 0.01


def test_cli_export_writes_csv_pairs_and_refuses_an_unknown_focus(tiny, tmp_path):
    result = run_cli("export", str(tiny), "--format", "csv", "-o", str(tmp_path / "tiny.csv"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "tiny.csv").exists() and (tmp_path / "tiny-edges.csv").exists()
    result = run_cli("export", str(tiny), "--format", "svg", "--focus", "secure-bse", "-o", str(tmp_path / "x.svg"))
    assert result.returncode == 2
    assert "did you mean 'secure-base'?" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "graphml", "gexf"])
def test_a_section_filter_applies_to_data_exports_as_to_figures(tmp_path, fmt):
    from concept_graph import load_graph
    from concept_graph.views import subset

    part = subset(load_graph(ARTICLE_GRAPH), section=2)
    out = tmp_path / f"s2.{fmt}"
    result = run_cli("export", str(ARTICLE_GRAPH), "--format", fmt, "--section", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    shown = {c.id for c in part.concepts}
    assert all(cid in text for cid in shown)
    outside = [c.id for c in load_graph(ARTICLE_GRAPH).concepts if c.id not in shown]
    assert not [cid for cid in outside if f'"{cid}"' in text or f"\n{cid}," in text]


def test_a_title_for_a_data_export_is_refused_not_ignored(tmp_path):
    result = run_cli("export", str(ARTICLE_GRAPH), "--format", "csv", "--title", "x", "-o", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "--title is for figures" in result.stderr
