"""A new graph folder, ready to curate: ``concept-graph init DIR ARTICLE``.

The folder validates and builds as it is written (no concepts yet), so a curator can follow the
reference (docs/spec.md) one concept at a time and check each step, or let ``concept-graph
draft`` propose candidates first. The article is checked on the way in: a BOM, CRLF line ends or
a heading that differs from its table of contents entry are refused before anything is written.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .errors import ConceptGraphError, Problem, display_path

EXAMPLE = """\
# yaml-language-server: $schema=schema.json
# The concepts of the article and the relations it states. Every quote is copied verbatim from
# article.txt and occurs there once. Reference: docs/spec.md; candidates: concept-graph draft.
# An example, to copy and adapt (it stays a comment until you remove the '#'):
#
# concepts:
#   - id: secure-base
#     label: secure base
#     synonyms: [safe haven]
#     category: construct
#     definition: A reliable person from whom one ventures out, knowing one can come back.
#     quote: When caregivers consistently function as a secure base
#
# relations:
#   - subject: secure-base
#     type: enables
#     object: exploration
#     quote: the child feels safe enough to venture out and explore the world
"""


def init_folder(folder: Path | str, article: Path | str) -> list[Path]:
    """Write ``folder/article.txt`` and a starter ``spec/``; refuse a folder that already has a spec."""
    from .article import read_article
    from .draft import slug, starter_graph_yaml
    from .pipeline import write_files

    folder, article = Path(folder), Path(article)
    existing = sorted((folder / "spec").glob("*.yaml")) if (folder / "spec").is_dir() else []
    if existing:
        raise ConceptGraphError(Problem(
            "folder-has-spec", display_path(folder), None, "this folder already holds a spec",
            "init starts a new graph; to propose candidates for this one, run 'concept-graph draft'"))
    parsed = read_article(article)  # every problem of the article, before anything is written
    text = article.read_bytes()
    graph_id = slug(folder.resolve().name) or "graph"
    if not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", graph_id):
        graph_id = "graph"
    base = f"https://example.org/graphs/{graph_id}/"
    graph_yaml = starter_graph_yaml(graph_id, parsed.title, base, by="init")
    graph_yaml = re.sub(r"(?m)^(  base: .*)$", r"\1  # an IRI you control: every IRI of the graph is minted under it",
                        graph_yaml, count=1)
    schema = (resources.files("concept_graph") / "data" / "spec.schema.json").read_bytes()
    written = list(write_files(folder, {"article.txt": text}))
    written += write_files(folder / "spec", {"graph.yaml": graph_yaml.encode("utf-8"),
                                             "concepts.yaml": EXAMPLE.encode("utf-8"), "schema.json": schema})
    return written
