"""The spec reference and the JSON Schema say what validation accepts, field for field."""

from __future__ import annotations

import json
import re
from importlib import resources

import jsonschema
import pytest
import yaml

from concept_graph import ConceptGraphError, parse_article
from concept_graph.validate import FIELDS
from conftest import ARTICLE_GRAPH, FIXTURES, ROOT

SCHEMA = json.loads((resources.files("concept_graph") / "data" / "spec.schema.json").read_text("utf-8"))
REFERENCE = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
VALID_FOLDERS = [ARTICLE_GRAPH, FIXTURES / "tiny", FIXTURES / "reader", FIXTURES / "lecture"]


def schema_fields(kind: str) -> dict[str, bool]:
    node = SCHEMA["properties"][kind]
    node = node.get("items", node)
    return {name: name in node.get("required", []) for name in node["properties"]}


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_the_schema_knows_exactly_the_fields_validation_knows(kind):
    assert schema_fields(kind) == FIELDS[kind]


@pytest.mark.parametrize("kind", sorted(FIELDS))
def test_the_reference_documents_every_field(kind):
    for field in FIELDS[kind]:
        assert f"| `{field}` |" in REFERENCE, f"docs/spec.md does not document {kind}.{field}"


@pytest.mark.parametrize("spec_file", [p for folder in VALID_FOLDERS for p in sorted((folder / "spec").glob("*.yaml"))],
                         ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_valid_spec_file_of_the_project_passes_the_schema(spec_file):
    jsonschema.validate(yaml.safe_load(spec_file.read_text(encoding="utf-8")) or {}, SCHEMA)


def test_the_schema_catches_a_misspelt_field_as_an_editor_would():
    data = {"concepts": [{"id": "x", "label": "x", "category": "c", "definition": "d", "quote": "q", "synonym": []}]}
    with pytest.raises(jsonschema.ValidationError, match="synonym"):
        jsonschema.validate(data, SCHEMA)


def test_the_graph_folder_s_copy_of_the_schema_is_the_package_s():
    copy = (ARTICLE_GRAPH / "spec" / "schema.json").read_text(encoding="utf-8")
    assert copy == json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"
    for spec_file in sorted((ARTICLE_GRAPH / "spec").glob("*.yaml")):
        assert spec_file.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema.json\n")


def test_the_reference_lists_every_code_validation_can_report():
    source = (ROOT / "src" / "concept_graph" / "validate.py").read_text(encoding="utf-8")
    source += (ROOT / "src" / "concept_graph" / "article.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'[pP]roblem\(\s*"([a-z-]+)"', source))
    assert codes
    missing = sorted(code for code in codes if f"`{code}`" not in REFERENCE)
    assert not missing


def test_hints_point_at_documents_that_exist():
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "concept_graph").glob("*.py"))
    for doc in set(re.findall(r"docs/[\w.-]+\.md", source)):
        assert (ROOT / doc).is_file(), doc
    assert "'The spec'" not in source


def test_a_heading_that_differs_from_its_contents_entry_in_case_is_named_with_its_line():
    text = "Title\n- First Part\n- Second\nFirst part\nOne sentence.\nSecond\nTwo.\n"
    with pytest.raises(ConceptGraphError) as info:
        parse_article(text, "a.txt")
    assert info.value.codes == ["heading-mismatch"]
    assert info.value.problems[0].line == 4
    assert "'First part' differs from its table of contents entry 'First Part'" in str(info.value)


def test_the_default_relation_types_a_new_graph_starts_with_are_the_security_graph_s():
    default = yaml.safe_load((resources.files("concept_graph") / "data" / "relation-types.yaml").read_text("utf-8"))
    security = yaml.safe_load((ARTICLE_GRAPH / "spec" / "graph.yaml").read_text(encoding="utf-8"))
    assert default["families"] == security["families"]
    assert default["relation_types"] == security["relation_types"]
