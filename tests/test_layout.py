"""Where concepts sit: the map computed at build time, and the part layout shared by page and figures."""

from __future__ import annotations

import math
from itertools import combinations

import pytest

from concept_graph import load_graph
from concept_graph.layout import graph_map, map_layout, relax
from conftest import ARTICLE_GRAPH


@pytest.fixture(scope="module")
def article():
    return load_graph(ARTICLE_GRAPH)


@pytest.mark.slow
def test_the_map_is_the_same_on_every_run_in_whole_units(article):
    first = map_layout([c.id for c in article.concepts], [(r.subject, r.object) for r in article.relations])
    second = map_layout([c.id for c in article.concepts], [(r.subject, r.object) for r in article.relations])
    assert first == second == graph_map(article)
    assert all(isinstance(v, int) for xy in first.values() for v in xy)
    assert len(set(first.values())) == len(article.concepts)  # no two concepts on one spot


def test_related_concepts_sit_closer_than_unrelated_ones(article):
    at = graph_map(article)
    related = [math.dist(at[r.subject], at[r.object]) for r in article.relations]
    pairs = list(combinations(sorted(at), 2))[::97]
    anywhere = [math.dist(at[a], at[b]) for a, b in pairs]
    assert sum(related) / len(related) < 0.5 * sum(anywhere) / len(anywhere)


def test_the_map_is_about_as_wide_as_a_projector_canvas(article):
    at = graph_map(article).values()
    width = max(x for x, _ in at) - min(x for x, _ in at)
    height = max(y for _, y in at) - min(y for _, y in at)
    assert 1.3 <= width / height <= 1.9


def test_separate_parts_of_a_graph_do_not_overlap():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z")]
    at = map_layout(["a", "b", "c", "x", "y", "z", "alone"], edges)

    def box(ids):
        xs, ys = [at[i][0] for i in ids], [at[i][1] for i in ids]
        return min(xs), min(ys), max(xs), max(ys)

    boxes = [box("abc"), box("xyz"), box(["alone"])]
    for (a0, a1, a2, a3), (b0, b1, b2, b3) in combinations(boxes, 2):
        assert a2 < b0 or b2 < a0 or a3 < b1 or b3 < a1


@pytest.mark.slow
def test_a_large_graph_is_laid_out_by_sparse_stress_with_every_concept_apart():
    # 1,500 concepts: above the dense limit, so the sparse path runs (speed is in bench_html.py).
    nodes = [f"n{i}" for i in range(1500)]
    edges = [(f"n{i}", f"n{(i * 7 + 3) % i}") for i in range(1, 1500)]
    edges += [(f"n{i}", f"n{i - 1}") for i in range(1, 1500, 3)]
    at = map_layout(nodes, edges)
    assert len(at) == 1500 and len(set(at.values())) > 1450
    assert at == map_layout(nodes, edges)


def test_a_part_fills_its_view_with_each_label_inside_and_none_over_another(article):
    from concept_graph.mentions import concept_sections

    sections = concept_sections(article)
    ids = [c.id for c in article.concepts if 6 in sections[c.id]]
    edges = [(r.subject, r.object) for r in article.relations if r.subject in ids and r.object in ids]
    boxes = {i: (10.0, 90.0, 20.0) for i in ids}
    width, height = 1200, 700
    at = relax(ids, {i: graph_map(article)[i] for i in ids}, edges, width, height, boxes)
    assert at == relax(ids, {i: graph_map(article)[i] for i in ids}, edges, width, height, boxes)
    drawn = {i: (x - 45, y - 10, x + 45, y + 10 + 20 + 1) for i, (x, y) in at.items()}
    for left, top, right, bottom in drawn.values():
        assert left >= 0 and top >= 0 and right <= width and bottom <= height
    overlaps = [(a, b) for a, b in combinations(ids, 2)
                if drawn[a][0] < drawn[b][2] and drawn[b][0] < drawn[a][2]
                and drawn[a][1] < drawn[b][3] and drawn[b][1] < drawn[a][3]]
    assert overlaps == []
    xs = [x for x, _ in at.values()]
    assert max(xs) - min(xs) > 0.6 * width  # it fills the view, not a corner of it
