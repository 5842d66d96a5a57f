"""Both notebooks run top to bottom, as a student or lecturer would run them."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from concept_graph import load_graph

from conftest import ROOT


@pytest.mark.parametrize("name", ["explore", "lecture"])
def test_the_notebook_runs_cleanly_from_top_to_bottom(name, tmp_path, monkeypatch):
    monkeypatch.setenv("CONCEPT_GRAPH_SLIDES", str(tmp_path / "slides"))
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert f"{len(load_graph(ROOT / 'graph' / 'security').concepts)} concepts" in text
    html = [o for o in outputs if o.output_type == "display_data" or o.output_type == "execute_result"]
    assert any("text/html" in o.get("data", {}) and "<iframe srcdoc=" in o["data"]["text/html"] for o in html)
    if name == "explore":
        assert "secure base" in text and "self-soothing" in text
        assert any("image/png" in o.get("data", {}) for o in html)  # the community plot
    else:
        assert (tmp_path / "slides" / "trust.png").stat().st_size > 10_000
        assert (tmp_path / "slides" / "trust.html").read_text().startswith("<!DOCTYPE html>")
