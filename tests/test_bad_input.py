"""Broken input, as a lecturer editing by hand produces it: each kind gets one exact, actionable
message (file, line, hint), exit code 2, no traceback, and the last good outputs stay as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SPEC = "spec/graph.yaml"


def replace(old: str, new: str, file: str = SPEC):
    def mutate(folder: Path):
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def extra(text: str):
    def mutate(folder: Path):
        (folder / "spec" / "zz-extra.yaml").write_text(text, encoding="utf-8")
    return mutate


def article_bytes(transform):
    def mutate(folder: Path):
        path = folder / "article.txt"
        path.write_bytes(transform(path.read_bytes()))
    return mutate


def remove(name: str):
    def mutate(folder: Path):
        target = folder / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return mutate


def relation(subject="mastery", type_="fosters", object_="competence", quote="Mastery is a kind"):
    return extra(f"relations:\n  - subject: {subject}\n    type: {type_}\n    object: {object_}\n    quote: {quote}\n")


def concept(id_="avoidance", label="avoidance", category="process", more=""):
    return extra(f"concepts:\n  - id: {id_}\n    label: {label}\n    category: {category}\n"
                 f"    definition: A defense.\n    quote: Avoidance is a defense.\n{more}")


T = "{dir}/"  # the tiny graph folder as the message shows it
CASES = {
    "malformed YAML": (
        extra("concepts:\n  - id: x\n   label: y\n"),
        T + "spec/zz-extra.yaml:3: YAML syntax error: expected <block end>, but found '<block mapping start>' "
            "(check indentation and quoting on this line or the one before) [yaml-syntax]"),
    "a list where a text belongs": (
        concept(more="    synonyms: one\n"),
        T + "spec/zz-extra.yaml:7: 'synonyms' of concept 'avoidance' must be a list, not the text 'one' "
            "(put text in quotes if YAML reads it as a number, date or boolean) [wrong-type]"),
    "a number where a label belongs": (
        concept(label="42"),
        T + "spec/zz-extra.yaml:3: 'label' of concept 'avoidance' must be a text, not 42 "
            "(put text in quotes if YAML reads it as a number, date or boolean) [wrong-type]"),
    "a relation without a quote": (
        extra("relations:\n  - subject: mastery\n    type: fosters\n    object: competence\n"),
        T + "spec/zz-extra.yaml:2: relation 'mastery fosters competence' has no 'quote' (add 'quote: ...') "
            "[missing-field]"),
    "a misspelt field": (
        concept(more="    synonym: [avoiding]\n"),
        T + "spec/zz-extra.yaml:7: unknown field 'synonym' in concept 'avoidance' (did you mean 'synonyms'?) "
            "[unknown-field]"),
    "a misspelt section": (
        extra("relation:\n  - subject: x\n"),
        T + "spec/zz-extra.yaml:1: unknown top-level key 'relation' (did you mean 'relations'?) [unknown-key]"),
    "a key given twice": (
        concept(more="    label: again\n"),
        T + "spec/zz-extra.yaml:7: key 'label' appears twice in the same mapping (keep one of them) [duplicate-key]"),
    "a concept id used twice": (
        concept(id_="mastery", label="mastery two"),
        T + "spec/zz-extra.yaml:2: concept id 'mastery' is defined twice (first defined at " + T
            + "spec/graph.yaml:28) [duplicate-id]"),
    "a relation type id used twice": (
        extra("relation_types:\n  - {id: fosters, label: builds, definition: d}\n"),
        T + "spec/zz-extra.yaml:2: relation type id 'fosters' is defined twice (first defined at " + T
            + "spec/graph.yaml:11) [duplicate-id]"),
    "an id that is not a valid IRI segment": (
        concept(id_="avoid ance/x"),
        T + "spec/zz-extra.yaml:2: concept id 'avoid ance/x' is not a valid id (use lower-case letters, digits and "
            "single hyphens, e.g. 'avoid-ance-x') [bad-id]"),
    "an unknown concept": (
        relation(object_="competance"),
        T + "spec/zz-extra.yaml:4: unknown concept 'competance' as object of relation 'fosters' "
            "(did you mean 'competence'?) [unknown-concept]"),
    "an unknown relation type": (
        relation(type_="foster"),
        T + "spec/zz-extra.yaml:3: unknown relation type 'foster' (did you mean 'fosters'?) [unknown-relation-type]"),
    "an unknown category": (
        concept(category="proces"),
        T + "spec/zz-extra.yaml:4: unknown category 'proces' in concept 'avoidance' (did you mean 'process'?) "
            "[unknown-category]"),
    "a quote not in the text": (
        relation(quote="Mastery is a sort of competence"),
        T + "spec/zz-extra.yaml:5: quote not found in " + T + "article.txt: 'Mastery is a sort of competence' "
            "(closest passage, in section 1: 'Mastery is a kind of competence.') [quote-not-found]"),
    "a quote with a straight apostrophe for a curly one": (
        replace("Mastery is a kind of competence.", "Mastery is everyone’s kind of competence.", "article.txt"),
        None),  # the article changed; checked below through the concept quote that no longer matches
    "a quote found twice": (
        relation(quote="secure base"),
        T + "spec/zz-extra.yaml:5: quote occurs 2 times in the article (sections 1, 2): 'secure base' "
            "(lengthen the quote until it occurs once) [quote-ambiguous]"),
    "an empty label": (
        concept(label="''"),
        T + "spec/zz-extra.yaml:3: concept 'avoidance' has an empty 'label' (add 'label: ...') [empty-label]"),
    "an enormous label": (
        concept(label="a" * 5000),
        T + "spec/zz-extra.yaml:3: 'label' of concept 'avoidance' is 5000 characters long "
            "(keep it under 120; put the rest in the definition) [label-too-long]"),
    "an enormous definition": (
        extra("concepts:\n  - id: avoidance\n    label: avoidance\n    category: process\n"
              f"    definition: {'word ' * 1000}\n    quote: Avoidance is a defense.\n"),
        T + "spec/zz-extra.yaml:5: 'definition' of concept 'avoidance' is 4999 characters long "
            "(keep it under 2000) [text-too-long]"),
    "a synonym claimed by two concepts": (
        concept(more="    synonyms: [Venturing  Out]\n"),
        T + "spec/zz-extra.yaml:7: 'Venturing  Out' names both 'exploration' and 'avoidance' (a name belongs to "
            "one concept; 'exploration' claims it at " + T + "spec/graph.yaml:22) [synonym-clash]"),
    "a relation from a concept to itself": (
        relation(object_="mastery"),
        T + "spec/zz-extra.yaml:2: relation 'fosters' from 'mastery' to itself (a concept cannot be related to "
            "itself; check subject and object) [self-relation]"),
    "a relation stated twice": (
        relation(subject="secure-base", object_="exploration", quote="secure base fosters"),
        T + "spec/zz-extra.yaml:2: relation secure-base fosters exploration is stated twice (first at " + T
            + "spec/graph.yaml:44; give one relation a list of quotes) [duplicate-relation]"),
    "a cycle in kind-of": (
        relation(subject="competence", type_="kind-of", object_="mastery", quote="kind of competence."),
        T + "spec/zz-extra.yaml:2: kind-of cycle: competence -> mastery -> competence (a concept cannot be a kind "
            "of itself; remove one of these relations) [hierarchy-cycle]"),
    "a symmetric type with an inverse": (
        extra("relation_types:\n  - {id: opposes, label: opposes, symmetric: true, inverse: x, definition: d}\n"),
        T + "spec/zz-extra.yaml:2: relation type 'opposes' is symmetric and also has an inverse (a symmetric "
            "relation is its own inverse: drop 'inverse') [symmetric-with-inverse]"),
    "a bad base IRI": (
        replace("base: https://example.org/tiny/", "base: example.org/tiny"),
        T + "spec/graph.yaml:4: base 'example.org/tiny' is not a usable base IRI (use an absolute http(s) IRI "
            "ending in '/' or '#', e.g. https://example.org/graphs/security/) [bad-base-iri]"),
    "a bad language tag": (
        replace("  article: article.txt", "  article: article.txt\n  language: english!"),
        T + "spec/graph.yaml:6: language 'english!' is not a BCP 47 tag (use e.g. 'en' or 'en-GB') [bad-language]"),
    "a SKOS mapping that does not exist": (
        replace("skos: broader", "skos: broadr"),
        T + "spec/graph.yaml:14: skos mapping 'broadr' is not supported (did you mean 'broader'?) [bad-skos-mapping]"),
    "an article that is not UTF-8": (
        article_bytes(lambda b: b.replace(b"Trauma", "Trauma \xe9".encode("latin-1"))),
        T + "article.txt:8: the article is not valid UTF-8 (byte 0xe9 at offset 177) (save it as UTF-8) "
            "[article-encoding]"),
    "an article with a byte order mark": (
        article_bytes(lambda b: b"\xef\xbb\xbf" + b),
        T + "article.txt:1: the article starts with a byte order mark (BOM) (save it as UTF-8 without BOM, so "
            "that character offsets start at the title) [article-bom]"),
    "an article with Windows line endings": (
        article_bytes(lambda b: b.replace(b"\n", b"\r\n")),
        T + "article.txt:1: the article has Windows (CRLF) or old Mac (CR) line endings (convert it to Unix "
            "line endings (LF), so that offsets are the same on every system) [article-line-endings]"),
    "an empty article": (
        article_bytes(lambda b: b""),
        T + "article.txt:1: the article has no title line (put the title on the first line) [empty-article]"),
    "text before the first heading": (
        article_bytes(lambda b: b.replace(b"- Threats\n", b"- Threats\nA stray paragraph.\n")),
        T + "article.txt:4: paragraph before the first section heading (start each section with its heading "
            "line (one of the table of contents)) [text-before-heading]"),
    "a missing article": (
        remove("article.txt"),
        T + "article.txt: article file not found (copy the article's text there, or set graph.article in the "
            "spec) [missing-file]"),
    "a missing spec folder": (
        remove("spec"),
        T + "spec: no spec files (*.yaml) found (run 'concept-graph init' to start one, or see docs/spec.md) "
            "[missing-file]"),
    "a spec file that is not UTF-8": (
        lambda folder: (folder / "spec" / "zz-extra.yaml").write_bytes(b"concepts: []\n# caf\xe9\n"),
        T + "spec/zz-extra.yaml:2: not valid UTF-8 (byte 0xe9 at offset 18) (save it as UTF-8) [spec-encoding]"),
    "a spec file that is a list": (
        extra("- id: x\n"),
        T + "spec/zz-extra.yaml:1: a spec file must be a mapping of sections (start with keys such as "
            "'concepts:' or 'relations:') [wrong-type]"),
    "no graph section anywhere": (
        replace("graph:\n  id: tiny\n  title: Tiny Security\n  base: https://example.org/tiny/\n"
                "  article: article.txt\n", ""),
        T + "spec/graph.yaml: no 'graph:' section in any spec file (add graph: with id, title, base and article) "
            "[missing-field]"),
}
del CASES["a quote with a straight apostrophe for a curly one"]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """The tiny graph after one good build (made once: a build draws figures and checks SHACL)."""
    folder = tmp_path_factory.mktemp("good") / "tiny"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", folder)
    result = subprocess.run([sys.executable, "-m", "concept_graph.cli", "build", str(folder)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def built(good_build, tmp_path):
    """A fresh copy of the built tiny graph, and a snapshot of its outputs."""
    folder = tmp_path / "tiny"
    shutil.copytree(good_build, folder)
    return folder, {p.name: p.read_bytes() for p in (folder / "out").iterdir()}


def test_there_are_at_least_25_kinds_of_broken_input():
    assert len(CASES) >= 25


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(CASES))
def test_broken_input_gets_one_exact_message_exit_2_and_leaves_the_outputs_untouched(built, kind, tmp_path):
    folder, before = built
    mutate, expected = CASES[kind]
    mutate(folder)
    result = subprocess.run([sys.executable, "-m", "concept_graph.cli", "build", "tiny"], capture_output=True,
                            text=True, cwd=folder.parent)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["error: " + expected.format(dir="tiny")]
    assert {p.name: p.read_bytes() for p in (folder / "out").iterdir()} == before


def test_an_unwritable_output_folder_is_named_and_nothing_is_half_written(built, tmp_path):
    folder, before = built
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.fail("running as root without setpriv: cannot drop privileges to test permissions")
    out = folder / "out"
    out.chmod(0o555)
    try:
        cmd = [sys.executable, "-m", "concept_graph.cli", "build", "tiny"]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
            for path in [folder, *folder.parents]:
                os.chmod(path, os.stat(path).st_mode | 0o005)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLCONFIGDIR": str(tmp_path / "mpl")}
        (tmp_path / "mpl").mkdir()
        (tmp_path / "mpl").chmod(0o777)
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=folder.parent, env=env)
    finally:
        out.chmod(0o755)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: tiny/out: cannot write the outputs: Permission denied (check the folder's permissions and free "
        "space; earlier outputs are untouched) [unwritable-output]"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
