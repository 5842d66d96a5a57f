"""The HTML page as a file: self-contained, escaped, deterministic; focused pages and their CLI errors.

What the page does in a browser is tested in test_browser.py.
"""

from __future__ import annotations

import json
import re

import pytest

from concept_graph import ConceptGraphError, load_graph
from concept_graph.views import subset
from concept_graph.viz import PAGE_SCRIPTS, script_json, to_html
from conftest import FIXTURES, ROOT, run_cli

HOSTILE_LABEL = "</script><script>alert(1)</script>"
DATA_BLOCK = re.compile(r'<script type="application/json" class="cg-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    (block,) = DATA_BLOCK.findall(page)
    return json.loads(block)


@pytest.fixture(scope="module")
def tiny_graph():
    return load_graph(FIXTURES / "tiny")


@pytest.fixture(scope="module")
def hostile_graph():
    return load_graph(FIXTURES / "hostile")


@pytest.fixture(scope="module")
def hostile_page(hostile_graph):
    return to_html(hostile_graph)


def test_a_label_that_closes_the_script_tag_stays_inside_the_json(hostile_graph, hostile_page):
    assert hostile_graph.concept("secure-base").label == HOSTILE_LABEL
    (block,) = DATA_BLOCK.findall(hostile_page)
    assert not re.search("[<>&\u2028\u2029]", block)
    labels = {c["id"]: c["label"] for c in page_data(hostile_page)["concepts"]}
    assert labels["secure-base"] == HOSTILE_LABEL


def test_every_hostile_text_round_trips_through_the_json_verbatim(hostile_graph, hostile_page):
    data = page_data(hostile_page)
    concepts = {c["id"]: c for c in data["concepts"]}
    for concept in hostile_graph.concepts:
        shown = concepts[concept.id]
        assert (shown["label"], shown["synonyms"], shown["definition"]) == (
            concept.label, list(concept.synonyms), concept.definition)
    assert [r["evidence"][0]["quote"] for r in data["relations"]] == [
        r.evidence[0].quote for r in hostile_graph.relations]
    assert data["graph"]["title"] == hostile_graph.meta.title


def elements(page: str) -> list[tuple[str, dict]]:
    """Every start tag as a browser's tokenizer sees it (script bodies are not markup)."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect(convert_charrefs=True).feed(page)
    return found


def test_the_page_has_only_its_own_scripts_and_escapes_the_title(hostile_graph, hostile_page):
    # vis-network, the data block and the page's script: no label added an element of its own.
    tags = elements(hostile_page)
    assert [attrs.get("type") for tag, attrs in tags if tag == "script"] == [None, "application/json", None]
    assert not [tag for tag, _ in tags if tag in ("img", "svg", "iframe", "b")]
    assert not [attrs for _, attrs in tags if any(name.startswith("on") for name in attrs)]
    assert "<title>Hostile &lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt; graph</title>" in hostile_page


def test_line_separators_are_escaped_for_old_javascript_parsers():
    assert script_json({"a": "x\u2028y\u2029z & <b>"}) == '{"a":"x\\u2028y\\u2029z \\u0026 \\u003cb\\u003e"}'


def test_the_page_is_self_contained_and_names_no_network_resource(tiny_graph):
    page = to_html(tiny_graph)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "@import" not in page
    assert "sourceMappingURL" not in page
    assert "default-src 'none'" in page  # the Content-Security-Policy forbids fetching anything
    assert "vis-network" in page and "9.1.2" in page


def test_the_same_graph_gives_byte_identical_pages(tiny_graph):
    assert to_html(tiny_graph) == to_html(load_graph(FIXTURES / "tiny"))


def test_the_page_holds_no_absolute_path_or_timestamp(tiny_graph):
    page = to_html(tiny_graph)
    assert str(ROOT) not in page and "file://" not in page
    assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", page.replace("2022-03-28T20:17:35.342Z", ""))


def test_the_page_has_as_many_concepts_and_relations_as_the_graph_each_concept_placed(tiny_graph):
    data = page_data(to_html(tiny_graph))
    assert [c["id"] for c in data["concepts"]] == [c.id for c in tiny_graph.concepts]
    assert [r["id"] for r in data["relations"]] == [r.id for r in tiny_graph.relations]
    assert all(len(c["at"]) == 2 and all(isinstance(v, int) for v in c["at"]) for c in data["concepts"])
    assert len({tuple(c["at"]) for c in data["concepts"]}) == len(tiny_graph.concepts)


def test_a_focused_page_keeps_the_concepts_places_on_the_whole_map(tiny_graph):
    whole = {c["id"]: c["at"] for c in page_data(to_html(tiny_graph))["concepts"]}
    part = page_data(to_html(tiny_graph, focus="mastery"))
    assert part["graph"]["part"] is True
    assert all(c["at"] == whole[c["id"]] for c in part["concepts"])


def test_parallel_relations_between_two_concepts_are_bent_apart(tiny_graph):
    from dataclasses import replace

    from concept_graph.model import Relation

    extra = Relation("exploration", "contrasts-with", "secure-base", tiny_graph.relations[0].evidence)
    graph = replace(tiny_graph, relations=(*tiny_graph.relations, extra))
    relations = {r["id"]: r for r in page_data(to_html(graph))["relations"]}
    first, second = relations["secure-base--fosters--exploration"], relations[extra.id]
    # Bends turn relative to each relation's own direction: these two run opposite ways, so equal
    # bends curve them to opposite sides of the pair.
    assert first["bend"] == second["bend"] != 0
    assert (first["subject"], first["object"]) == (second["object"], second["subject"])
    assert "bend" not in relations["exploration--leads-to--mastery"]


def test_relation_types_are_drawn_by_family_and_a_type_without_one_is_other(tiny_graph):
    data = page_data(to_html(tiny_graph))
    assert [f["id"] for f in data["families"]] == ["other"]
    assert {t["family"] for t in data["types"]} == {"other"}
    article = load_graph(ROOT / "graph" / "security")
    data = page_data(to_html(article))
    assert [f["id"] for f in data["families"]] == [f.id for f in article.families]
    assert {t["id"]: t["family"] for t in data["types"]} == {t.id: t.family for t in article.relation_types}
    styles = [(f["color"], json.dumps(f["dashes"]), f["arrow"]) for f in data["families"]]
    assert len(set(styles)) == len(styles) and len({s[1] for s in styles}) == len(styles)  # a line style each


def test_every_family_colour_is_at_least_3_to_1_on_the_page():
    from concept_graph.styles import BACKGROUND, FAMILY_STYLES, OTHER, contrast

    for style in (*FAMILY_STYLES, OTHER):
        assert contrast(style["color"], BACKGROUND) >= 3, style


def test_the_page_script_is_its_parts_in_order_each_one_factory(tiny_graph):
    from importlib import resources

    page = to_html(tiny_graph)
    data = resources.files("concept_graph") / "data"
    at = [page.index(f"/* ---- {name} ---- */") for name in PAGE_SCRIPTS]
    assert at == sorted(at)
    for name in PAGE_SCRIPTS[:-1]:
        source = (data / name).read_text("utf-8")
        assert len(re.findall(r"^function cg\w+\(", source, re.M)) == 1, name  # one job, one factory
    assert page.count("'sha256-") == 2  # vis-network and the page's one script


@pytest.mark.slow
def test_figures_and_exports_do_not_load_the_html_module():
    import subprocess
    import sys

    code = ("import sys; from concept_graph import exports, figure; from concept_graph.examples import tiny_graph; "
            "figure.to_figure(tiny_graph()); exports.to_graphml(tiny_graph()); "
            "print('concept_graph.viz' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_a_quote_comes_with_its_sentence_around_it(tiny_graph):
    data = page_data(to_html(tiny_graph))
    leads = next(r for r in data["relations"] if r["type"] == "leads-to")
    (evidence,) = leads["evidence"]
    assert evidence["quote"] == "leads to mastery"
    passage = evidence["before"] + evidence["quote"] + evidence["after"]
    assert "Exploration, also called venturing out, leads to mastery." in passage
    assert "Trauma" not in passage  # the next section is not part of the context


def test_a_focused_page_keeps_the_concept_and_its_neighbours(tiny_graph):
    data = page_data(to_html(tiny_graph, focus="exploration"))
    assert [c["id"] for c in data["concepts"]] == ["secure-base", "exploration", "mastery"]
    assert [r["id"] for r in data["relations"]] == ["secure-base--fosters--exploration",
                                                   "exploration--leads-to--mastery"]
    assert data["graph"]["title"] == "Tiny Security \u2014 around exploration"
    wider = page_data(to_html(tiny_graph, focus="exploration", depth=2))
    assert len(wider["concepts"]) == 5


def test_a_section_page_keeps_what_the_section_grounds(tiny_graph):
    view = subset(tiny_graph, section=2)
    assert [c.id for c in view.concepts] == ["secure-base", "trauma"]
    assert [r.type for r in view.relations] == ["threatens"]


@pytest.mark.parametrize("options, code", [
    ({"focus": "explortion"}, "unknown-concept"),
    ({"depth": 2}, "bad-option"),
    ({"section": 9}, "unknown-section"),
    ({"focus": "mastery", "section": 2}, "unknown-concept"),
])
def test_a_bad_filter_is_a_clear_problem(tiny_graph, options, code):
    with pytest.raises(ConceptGraphError) as caught:
        to_html(tiny_graph, **options)
    assert caught.value.codes == [code]


def test_the_cli_suggests_the_concept_meant_for_an_unknown_focus(tiny):
    result = run_cli("html", str(tiny), "--focus", "explortion")
    assert result.returncode == 2
    assert "did you mean 'exploration'?" in result.stderr
    assert "[unknown-concept]" in result.stderr
    assert not (tiny / "out").exists()


@pytest.mark.slow
def test_the_cli_writes_the_whole_page_where_build_puts_it(tiny):
    result = run_cli("html", str(tiny))
    assert result.returncode == 0, result.stderr
    written = tiny / "out" / "tiny.html"
    assert written.read_text(encoding="utf-8") == to_html(load_graph(tiny))


@pytest.mark.slow
def test_the_cli_names_a_focused_page_after_its_filters(tiny, tmp_path):
    result = run_cli("html", str(tiny), "--focus", "exploration", "--depth", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "tiny-exploration-depth2.html").read_text(encoding="utf-8")
    assert page_data(page)["graph"]["focus"] == "exploration"
    result = run_cli("html", str(tiny), "--section", "2", "-o", str(tmp_path / "slide.html"))
    assert result.returncode == 0, result.stderr
    assert len(page_data((tmp_path / "slide.html").read_text(encoding="utf-8"))["concepts"]) == 2


@pytest.mark.slow
def test_build_writes_the_page_with_the_other_outputs(tiny):
    from concept_graph import build

    result = build(tiny)
    assert (tiny / "out" / "tiny.html") in result.written
