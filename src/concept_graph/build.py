"""The pipeline that the CLI and notebooks both call: load, validate, render, write atomically.

Every output is rendered in memory first; only when all of them are ready (and the RDF conforms to
the shapes) are they written, each to a temporary file in the output folder that then replaces the
old file. A failed or interrupted build therefore leaves every earlier output whole.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import ConceptGraphError, Problem, display_path
from .model import ConceptGraph
from .validate import load_graph

OUT_DIR = "out"


@dataclass
class Rendered:
    """What the renderers share, so the RDF graph is made once per build."""

    graph: ConceptGraph
    storyboards: tuple = ()  # the graph folder's lectures, offered by the page's Lecture button
    _rdf: object = None

    @property
    def rdf(self):
        if self._rdf is None:
            from .rdf import to_rdf

            self._rdf = to_rdf(self.graph)
        return self._rdf


def _turtle(r: Rendered) -> str:
    from .rdf import serialize

    return serialize(r.rdf, "turtle")


def _ntriples(r: Rendered) -> str:
    from .rdf import serialize

    return serialize(r.rdf, "nt")


def _jsonld(r: Rendered) -> str:
    from .rdf import jsonld_context, serialize

    return serialize(r.rdf, "json-ld", jsonld_context(r.graph))


def _ontology(r: Rendered) -> str:
    from .rdf import ontology_rdf, serialize

    return serialize(ontology_rdf(r.graph), "turtle")


def _shapes(r: Rendered) -> str:
    from .shapes import shapes_text

    return shapes_text()


def _html(r: Rendered) -> str:
    from .viz import to_html

    return to_html(r.graph, storyboards=r.storyboards)


def _export(name: str) -> Callable[[Rendered], str]:
    def render(r: Rendered) -> str:
        from . import exports

        return getattr(exports, name)(r.graph)

    return render


def _figure(fmt: str) -> Callable[[Rendered], bytes]:
    def render(r: Rendered) -> bytes:
        from .figure import to_figure

        return to_figure(r.graph, fmt)

    return render


# Output file name (``{id}`` is the graph's id) -> renderer. Order is the order of writing.
OUTPUTS: dict[str, Callable[[Rendered], str | bytes]] = {
    "{id}.ttl": _turtle,
    "{id}.jsonld": _jsonld,
    "{id}.nt": _ntriples,
    "ontology.ttl": _ontology,
    "shapes.ttl": _shapes,
    "{id}.html": _html,
    "{id}.graphml": _export("to_graphml"),
    "{id}.gexf": _export("to_gexf"),
    "{id}-nodes.csv": _export("nodes_csv"),
    "{id}-edges.csv": _export("edges_csv"),
    "{id}.svg": _figure("svg"),
    "{id}.png": _figure("png"),
}


@dataclass(frozen=True)
class BuildResult:
    graph: ConceptGraph
    out_dir: Path
    written: tuple[Path, ...]
    lint_findings: int = 0


def render_outputs(graph: ConceptGraph, check: bool = True, storyboards: tuple = ()) -> dict[str, bytes]:
    """Every output file's name and bytes; raises if the RDF does not conform to the shapes."""
    rendered = Rendered(graph, tuple(storyboards))
    files = {}
    for name, render in OUTPUTS.items():
        data = render(rendered)
        files[name.format(id=graph.meta.id)] = data.encode("utf-8") if isinstance(data, str) else data
    if check:
        from .shapes import check_shapes

        report = check_shapes(rendered.rdf)
        if not report.conforms:
            raise ConceptGraphError(Problem("shapes-violation", None, None,
                                            f"the built RDF breaks {report.violations} SHACL constraint(s)",
                                            "run 'concept-graph validate' for the report"))
    return files


def build(graph_dir: Path | str, out_dir: Path | str | None = None, check: bool = True) -> BuildResult:
    """Validate a graph folder and write all its outputs (to ``GRAPH_DIR/out`` by default).

    Raises :class:`~concept_graph.targets.TargetsMissed` (nothing written) when the graph misses a
    target its ``graph.yaml`` sets.
    """
    from .targets import check as check_targets

    graph_dir = Path(graph_dir)
    graph = load_graph(graph_dir)
    report = check_targets(graph)  # first: a spec cut in half is named as such, not by what it breaks
    from .storyboard import load_storyboards

    boards = load_storyboards(graph_dir, graph)  # a storyboard with a typo fails the build like the spec
    files = render_outputs(graph, check=check, storyboards=boards)
    target = Path(out_dir) if out_dir is not None else graph_dir / OUT_DIR
    written = write_files(target, files)
    return BuildResult(graph, target, written, len(report.findings))


def write_files(folder: Path, files: dict[str, bytes]) -> tuple[Path, ...]:
    """Write all files or none: temporaries first, then one rename each."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConceptGraphError(Problem("unwritable-output", display_path(folder), None,
                                        f"cannot create the output folder: {exc.strerror}",
                                        "choose a folder you can write to with -o")) from None
    for stale in folder.glob(".*.tmp"):  # left by a build that was killed before its renames
        stale.unlink(missing_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            temps.append((tmp, folder / name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
    except OSError as exc:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise ConceptGraphError(Problem("unwritable-output", display_path(folder), None,
                                        f"cannot write the outputs: {exc.strerror}",
                                        "check the folder's permissions and free space; earlier outputs are untouched")) from None
    for tmp, final in temps:
        os.replace(tmp, final)
    return tuple(final for _, final in temps)


def find_graph_dirs(root: Path | str = "graph") -> list[Path]:
    """Graph folders under ``root``: those holding a ``spec/`` folder."""
    root = Path(root)
    if (root / "spec").is_dir():
        return [root]
    return sorted(p.parent for p in root.glob("*/spec") if p.is_dir())
