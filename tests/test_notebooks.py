"""Both notebooks run top to bottom, as a student or lecturer would run them: cleanly (nothing on
stderr in any cell), for the article and, with only the parameters cell changed, for the small
lecture fixture; the lecture notebook writes its files next to itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from concept_graph import load_graph
from conftest import ARTICLE_GRAPH, FIXTURES, ROOT

pytestmark = pytest.mark.slow  # browsers, servers or whole builds: the full suite runs them, the quick loop does not

LECTURE = FIXTURES / "lecture"
# What the parameters cell becomes for another article: the only cell that names its concepts.
FIXTURE_PARAMETERS = {
    "explore": f'GRAPH_DIR = {str(LECTURE)!r}\nFOCUS = "secure-base"\nTARGET = "trust"\nSECTION = 3\n',
    "lecture": f'GRAPH_DIR = {str(LECTURE)!r}\nFOCUS = "trust"\nSECTION = 3\nLECTURE = None\nOUT = "slides"\n',
}


def run(name: str, tmp_path: Path, parameters: str | None = None):
    """Run a copy of the notebook in a project-like folder (its own notebooks/ beside graph/), so
    that what it writes next to itself lands in the temporary folder."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "graph").symlink_to(ROOT / "graph", target_is_directory=True)
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    (cell,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    if parameters is not None:
        cell.source = parameters
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / "notebooks")}}).execute()
    return notebook


def outputs(notebook):
    return [(i, o) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
            for o in cell.get("outputs", [])]


def stdout(notebook) -> str:
    return "".join(o.get("text", "") for _, o in outputs(notebook) if o.output_type == "stream" and o.name == "stdout")


def html_outputs(notebook) -> list[str]:
    return [o["data"]["text/html"] for _, o in outputs(notebook)
            if o.output_type in ("display_data", "execute_result") and "text/html" in o.get("data", {})]


def assert_clean(notebook):
    """No error and nothing on stderr (warnings included) in any cell."""
    assert [(i, o.get("ename")) for i, o in outputs(notebook) if o.output_type == "error"] == []
    assert [(i, o.text) for i, o in outputs(notebook) if o.output_type == "stream" and o.name == "stderr"] == []


def test_the_explore_notebook_runs_cleanly_on_the_article(tmp_path):
    notebook = run("explore", tmp_path)
    assert_clean(notebook)
    text = stdout(notebook)
    graph = load_graph(ARTICLE_GRAPH)
    assert f"{len(graph.concepts)} concepts" in text
    assert "From secure base to self-soothing in" in text  # the path, with its quotes
    assert "SELECT ?fosterer" in text  # the SPARQL is shown, not only its answer
    assert any("image/png" in o.get("data", {}) for _, o in outputs(notebook))  # the community plot
    (page,) = html_outputs(notebook)
    assert "<iframe srcdoc=" in page and "not trusted" in page  # the hint an untrusted notebook keeps
    hint = re.search(r"Try the search box: \u201c([^\u201d]+)\u201d finds ([^,]+), by its other name", text)
    from concept_graph.views import subset

    near = subset(graph, focus="secure-base", depth=2)
    assert hint and any(hint.group(1) in c.synonyms and c.label == hint.group(2) for c in near.concepts)


def test_the_lecture_notebook_writes_its_slides_next_to_itself_and_its_snippets_point_at_them(tmp_path):
    notebook = run("lecture", tmp_path)
    assert_clean(notebook)
    slides = tmp_path / "notebooks" / "slides"
    deck = (slides / "security-lecture-slides.html").read_text(encoding="utf-8")
    assert deck.count("data-cg-slide=") == 12  # the title and eleven steps
    snippets = re.findall(r'<iframe src="([^"#]+)', stdout(notebook))
    assert len(snippets) >= 4 and all((slides / src).is_file() for src in snippets)
    assert (slides / "security-trust.png").stat().st_size > 10_000
    assert len(html_outputs(notebook)) == 1 and '"view":"lecture=lecture/2' in html_outputs(notebook)[0]


@pytest.mark.parametrize("name", ["explore", "lecture"])
def test_a_notebook_runs_on_another_graph_by_changing_only_its_parameters_cell(name, tmp_path):
    notebook = run(name, tmp_path, FIXTURE_PARAMETERS[name])
    assert_clean(notebook)
    graph = load_graph(LECTURE)
    text = stdout(notebook)
    assert f"{graph.meta.title}: {len(graph.concepts)} concepts" in text
    if name == "explore":
        assert "From secure base to trust in" in text
    else:
        deck = (tmp_path / "notebooks" / "slides" / "lecture-lecture-slides.html").read_text(encoding="utf-8")
        assert deck.count("data-cg-slide=") == 5
        assert "Security in four steps" in text


@pytest.mark.parametrize("name", ["explore", "lecture"])
def test_no_cell_but_the_parameters_names_a_concept(name):
    graph = load_graph(ARTICLE_GRAPH)
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    ids = {c.id for c in graph.concepts} | {c.id for c in load_graph(LECTURE).concepts}
    for cell in notebook.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        named = {word for word in re.findall(r"[\"']([a-z][a-z0-9-]+)[\"']", cell.source) if word in ids}
        assert not named, (cell.source[:80], named)


@pytest.mark.parametrize("name", ["explore", "lecture"])
def test_each_notebook_asks_questions_and_leaves_cells_for_the_student(name):
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    (questions,) = [c.source for c in notebook.cells if c.source.startswith("## Questions to discuss")]
    assert 3 <= len(re.findall(r"^\d\. ", questions, re.M)) <= 5
    assert sum(c.source.startswith("# Your turn") for c in notebook.cells) >= 2
    assert sum("How to read it" in c.source for c in notebook.cells) >= 3  # after each analysis


def test_communities_come_out_the_same_in_every_kernel():
    """A kernel has its own hash seed; the communities and their members must not depend on it."""
    code = ("from concept_graph import load_graph; from concept_graph.network import communities; "
            f"print(communities(load_graph({str(ARTICLE_GRAPH)!r})))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(seen) == 1
