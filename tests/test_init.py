"""A curator starts the next article: init, then the reference alone, then validate and build."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, run_cli

ARTICLE = FIXTURES / "attachment-at-work" / "article.txt"


@pytest.mark.slow
def test_init_writes_a_folder_that_validates_and_builds_as_it_is(tmp_path):
    folder = tmp_path / "attachment-at-work"
    result = run_cli("init", str(folder), str(ARTICLE))
    assert result.returncode == 0, result.stderr
    assert (folder / "article.txt").read_bytes() == ARTICLE.read_bytes()
    assert {p.name for p in (folder / "spec").iterdir()} == {"graph.yaml", "concepts.yaml", "schema.json"}
    assert "concept-graph draft" in result.stdout
    graph = yaml.safe_load((folder / "spec" / "graph.yaml").read_text(encoding="utf-8"))
    assert graph["graph"]["id"] == "attachment-at-work"
    schema = json.loads((folder / "spec" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(graph, schema)
    assert run_cli("validate", str(folder)).returncode == 0
    assert run_cli("build", str(folder)).returncode == 0


@pytest.mark.slow
def test_a_concept_and_a_relation_written_from_the_reference_build(tmp_path):
    """What docs/spec.md tells a curator to write, for two concepts of the fixture article."""
    folder = tmp_path / "work"
    assert run_cli("init", str(folder), str(ARTICLE)).returncode == 0
    text = ARTICLE.read_text(encoding="utf-8")
    sentence = next(line for line in text.split("\n")[1:] if "secure base" in line and not line.startswith("- "))
    start = sentence.index("secure base")
    quote = sentence[max(0, start - 40):start + 11]
    (folder / "spec" / "concepts.yaml").write_text(
        "concepts:\n"
        "  - id: secure-base\n    label: secure base\n    category: construct\n"
        "    definition: A reliable base from which one ventures out.\n"
        f"    quote: {json.dumps(quote)}\n", encoding="utf-8")
    result = run_cli("validate", str(folder))
    assert result.returncode == 0, result.stderr
    assert "1 concepts" in result.stdout


@pytest.mark.slow
def test_init_refuses_a_folder_that_already_has_a_spec_and_a_broken_article(tmp_path):
    folder = tmp_path / "g"
    assert run_cli("init", str(folder), str(ARTICLE)).returncode == 0
    again = run_cli("init", str(folder), str(ARTICLE))
    assert again.returncode == 2 and "[folder-has-spec]" in again.stderr
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(ARTICLE.read_bytes().replace(b"\n", b"\r\n"))
    broken = run_cli("init", str(tmp_path / "h"), str(crlf))
    assert broken.returncode == 2 and "[article-line-endings]" in broken.stderr
    assert not (tmp_path / "h").exists()  # nothing written
