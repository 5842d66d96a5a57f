"""The pipeline that the CLI and notebooks both call: load, validate, render, write atomically.

Every output is rendered to a temporary file in the output folder; only when all of them are
ready (and the RDF conforms to the shapes) does each replace the old file, by a rename. A failed
or interrupted build therefore leaves every earlier output whole.

A build remembers what it was made from: ``.concept-graph-build.json`` in the output folder
holds the SHA-256 of every input (the spec files, the article, this package's own files and the
list of installed distributions) and of every output written. A second build whose inputs have
not changed, and whose outputs are still the bytes it wrote, does nothing. ``only`` builds a
part of the outputs (``--only ttl,html``); ``progress`` is told each step as it starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Union

from .errors import ConceptGraphError, Problem, did_you_mean, display_path
from .model import ConceptGraph

OUT_DIR = "out"
STAMP = ".concept-graph-build.json"
STAMP_VERSION = 1

Rendering = Union[str, bytes, Iterable[str]]
Progress = Callable[[str, int, int], None]  # step, steps done, steps in all


@dataclass
class Rendered:
    """What the renderers share, so the RDF table is made once per build."""

    graph: ConceptGraph
    _table: dict | None = None

    @property
    def table(self) -> dict:
        if self._table is None:
            from .rdf import triples
            from .rdfwrite import unique

            self._table = unique(triples(self.graph))
        return self._table

    @property
    def prefixes(self) -> dict[str, str]:
        from .rdf import Iris

        return Iris(self.graph.meta.base).prefixes()


def _turtle(r: Rendered) -> Rendering:
    from .rdfwrite import turtle

    return turtle(r.table, r.prefixes)


def _ntriples(r: Rendered) -> Rendering:
    from .rdfwrite import ntriples

    return ntriples(r.table)


def _jsonld(r: Rendered) -> Rendering:
    from .rdfwrite import jsonld

    return jsonld(r.table, dict(sorted(r.prefixes.items())))


def _ontology(r: Rendered) -> Rendering:
    from .rdf import ontology_triples, write

    return write(ontology_triples(r.graph), "turtle", r.prefixes)


def _shapes(r: Rendered) -> Rendering:
    from .shapes import shapes_text

    return shapes_text()


def _html(r: Rendered) -> Rendering:
    from .viz import to_html

    return to_html(r.graph)


def _export(name: str) -> Callable[[Rendered], Rendering]:
    def render(r: Rendered) -> Rendering:
        from . import exports

        return getattr(exports, name)(r.graph)

    return render


def _figure(fmt: str) -> Callable[[Rendered], Rendering]:
    def render(r: Rendered) -> Rendering:
        from .figure import to_figure

        return to_figure(r.graph, fmt)

    return render


# Output file name (``{id}`` is the graph's id) -> renderer. Order is the order of rendering: the
# RDF first, so the shapes are checked before the slower outputs are drawn.
OUTPUTS: dict[str, Callable[[Rendered], Rendering]] = {
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
# What ``--only`` names: each kind of output and its files.
KINDS: dict[str, tuple[str, ...]] = {
    "ttl": ("{id}.ttl",), "jsonld": ("{id}.jsonld",), "nt": ("{id}.nt",), "ontology": ("ontology.ttl",),
    "shapes": ("shapes.ttl",), "html": ("{id}.html",), "graphml": ("{id}.graphml",), "gexf": ("{id}.gexf",),
    "csv": ("{id}-nodes.csv", "{id}-edges.csv"), "svg": ("{id}.svg",), "png": ("{id}.png",),
}
RDF_OUTPUTS = ("{id}.ttl", "{id}.jsonld", "{id}.nt")  # the graph's triples: what the shapes check


@dataclass(frozen=True)
class BuildResult:
    """What a build did. ``graph`` is ``None`` when every output was up to date (nothing was loaded)."""

    graph: ConceptGraph | None
    out_dir: Path
    written: tuple[Path, ...]
    concepts: int = 0
    relations: int = 0
    up_to_date: tuple[Path, ...] = field(default=())


def select(only: Iterable[str] | str | None) -> list[str]:
    """The output name templates that ``only`` names (every output for ``None``), in build order."""
    if only is None:
        return list(OUTPUTS)
    kinds = [k.strip() for k in (only.split(",") if isinstance(only, str) else only) if k.strip()]
    problems = [Problem("unknown-output", None, None, f"unknown output kind {k!r}",
                        did_you_mean(k, KINDS) or "one of: " + ", ".join(KINDS)) for k in kinds if k not in KINDS]
    if problems or not kinds:
        raise ConceptGraphError(problems or [Problem("unknown-output", None, None, "no output kind given",
                                                     "e.g. --only ttl,html; kinds: " + ", ".join(KINDS))])
    wanted = {name for k in kinds for name in KINDS[k]}
    return [name for name in OUTPUTS if name in wanted]


def render(graph: ConceptGraph, names: Iterable[str] | None = None) -> Iterable[tuple[str, Rendering]]:
    """(file name, rendering) for each output template in ``names`` (all by default), one at a time."""
    rendered = Rendered(graph)
    for name in names if names is not None else OUTPUTS:
        yield name.format(id=graph.meta.id), OUTPUTS[name](rendered)


def render_outputs(graph: ConceptGraph, check: bool = True) -> dict[str, bytes]:
    """Every output file's name and bytes, in memory; raises if the RDF does not conform to the shapes."""
    files = {name: _bytes(data) for name, data in render(graph)}
    if check:
        from .rdf import triples

        _check_shapes(triples(graph))
    return files


def _bytes(data: Rendering) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    return "".join(data).encode("utf-8")


def _check_shapes(data) -> None:
    from .shapes import check_shapes

    report = check_shapes(data)
    if not report.conforms:
        raise ConceptGraphError(Problem("shapes-violation", None, None,
                                        f"the built RDF breaks {report.violations} SHACL constraint(s)",
                                        "run 'concept-graph validate' for the report"))


def build(graph_dir: Path | str, out_dir: Path | str | None = None, check: bool = True,
          only: Iterable[str] | str | None = None, progress: Progress | None = None,
          force: bool = False) -> BuildResult:
    """Validate a graph folder and write its outputs (to ``GRAPH_DIR/out`` by default).

    Nothing is done when the outputs asked for are up to date (see the module's documentation),
    unless ``force``.
    """
    graph_dir = Path(graph_dir)
    target = Path(out_dir) if out_dir is not None else graph_dir / OUT_DIR
    names = select(only)
    stamp = _read_stamp(target)
    if not force:
        fresh = _up_to_date(graph_dir, target, names, check, stamp)
        if fresh is not None:
            return fresh
    steps = ["read the spec", "validate", "find mentions"]
    rdf_wanted = [n for n in names if n in RDF_OUTPUTS]
    if rdf_wanted:
        steps.append("make the RDF")
    steps += names
    if check and rdf_wanted:
        steps.append("check the shapes")
    steps.append("write")
    done = 0

    def step(name: str) -> None:
        nonlocal done
        if progress is not None:
            progress(name, done, len(steps))
        done += 1

    from .spec import load_spec
    from .validate import Validator

    step("read the spec")
    raw = load_spec(graph_dir)
    step("validate")
    graph = Validator(raw).run()
    step("find mentions")
    graph.mentions  # noqa: B018 - computed here, so that progress shows the time it takes
    rendered = Rendered(graph)
    if rdf_wanted:
        step("make the RDF")
        rendered.table  # noqa: B018
    last_rdf = max((names.index(n) for n in rdf_wanted), default=-1)
    writer = Writer(target)
    shapes: ShapesCheck | None = None
    try:
        for index, name in enumerate(names):
            step(name.format(id=graph.meta.id))
            writer.add(name.format(id=graph.meta.id), OUTPUTS[name](rendered))
            if index == last_rdf:
                if check:
                    step("check the shapes")
                    shapes = ShapesCheck(rendered, writer, graph.meta.id)
                rendered._table = None  # every RDF output is written: the triples can go
        step("write")
        if shapes is not None:
            shapes.wait()
        article = (raw.graph.get("article") if raw.graph else None) or "article.txt"
        inputs = _inputs(graph_dir, str(article), check)
        written = writer.commit()
        _write_stamp(target, stamp, graph.meta.id, inputs, writer.hashes, len(graph.concepts), len(graph.relations))
    finally:
        if shapes is not None:
            shapes.stop()
        writer.discard()
    if progress is not None:
        progress("done", len(steps), len(steps))
    return BuildResult(graph, target, written, len(graph.concepts), len(graph.relations))


class ShapesCheck:
    """The SHACL check of a build's RDF: at once for a small graph, beside the other outputs for a large one.

    A graph of more than :attr:`ASIDE` triples is checked by a second process (``python -m
    concept_graph.shapes``) that reads the N-Triples just written with Oxigraph, while this one
    renders the page, the exports and the figures: on two cores the check then costs no time.
    :meth:`wait` raises if the RDF does not conform; nothing is renamed before it returns.
    """

    ASIDE = 300_000

    def __init__(self, rendered: Rendered, writer: Writer, graph_id: str):
        from .rdfwrite import count

        self.process = None
        self.scratch: Path | None = None
        if count(rendered.table) <= self.ASIDE:
            _check_shapes(rendered.table)
            return
        nt = writer.temps.get(f"{graph_id}.nt")
        if nt is None:  # the N-Triples are not among the outputs asked for: write them aside
            from .rdfwrite import ntriples

            fd, name = tempfile.mkstemp(prefix=f".{graph_id}.shapes.", suffix=".tmp", dir=writer.folder)
            self.scratch = nt = Path(name)
            with os.fdopen(fd, "wb") as handle:
                for piece in _pieces(ntriples(rendered.table)):
                    handle.write(piece)
        package_root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH"))
                                                           if p)}
        self.process = subprocess.Popen([sys.executable, "-m", "concept_graph.shapes", str(nt)], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def wait(self) -> None:
        if self.process is None:
            return
        out, err = self.process.communicate()
        self.process = None
        try:
            report = json.loads(out)
        except ValueError:
            raise ConceptGraphError(Problem("shapes-check-failed", None, None,
                                            "the SHACL check stopped before it finished: "
                                            + (err.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1],
                                            "run 'concept-graph validate' to see it fail")) from None
        if not report["conforms"]:
            raise ConceptGraphError(Problem("shapes-violation", None, None,
                                            f"the built RDF breaks {report['violations']} SHACL constraint(s)",
                                            "run 'concept-graph validate' for the report"))

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        if self.scratch is not None:
            self.scratch.unlink(missing_ok=True)


# -- writing all or nothing ----------------------------------------------------------------------
class Writer:
    """Outputs written to temporary files, then renamed over the old ones at :meth:`commit`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.temps: dict[str, Path] = {}
        self.hashes: dict[str, str] = {}
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConceptGraphError(Problem("unwritable-output", display_path(folder), None,
                                            f"cannot create the output folder: {exc.strerror}",
                                            "choose a folder you can write to with -o")) from None
        for stale in folder.glob(".*.tmp"):  # left by a build that was killed before its renames
            stale.unlink(missing_ok=True)

    def add(self, name: str, data: Rendering) -> None:
        """Write one output to its temporary file (streamed when it comes in pieces)."""
        digest = hashlib.sha256()
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            self.temps[name] = Path(tmp)
            with os.fdopen(fd, "wb") as handle:
                for piece in _pieces(data):
                    digest.update(piece)
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        except OSError as exc:
            raise self._unwritable(exc) from None
        self.hashes[name] = digest.hexdigest()

    def commit(self) -> tuple[Path, ...]:
        """Rename every temporary file over its output; an output whose bytes did not change is left alone."""
        written = []
        try:
            for name, tmp in list(self.temps.items()):
                final = self.folder / name
                if _same_file(final, tmp, self.hashes[name]):
                    tmp.unlink()
                else:
                    _replace(tmp, final)
                del self.temps[name]
                written.append(final)
        except OSError as exc:
            raise self._unwritable(exc, "some outputs are new, the others as they were") from None
        return tuple(written)

    def discard(self) -> None:
        for tmp in self.temps.values():
            tmp.unlink(missing_ok=True)
        self.temps.clear()

    def _unwritable(self, exc: OSError, state: str = "earlier outputs are untouched") -> ConceptGraphError:
        return ConceptGraphError(Problem("unwritable-output", display_path(self.folder), None,
                                         f"cannot write the outputs: {exc.strerror}",
                                         f"check the folder's permissions and free space; {state}"))


def _replace(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)


def _pieces(data: Rendering) -> Iterable[bytes]:
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, str):
        yield data.encode("utf-8")
    else:
        for piece in data:
            yield piece.encode("utf-8")


def _same_file(path: Path, tmp: Path, digest: str) -> bool:
    try:
        if path.stat().st_size != tmp.stat().st_size:
            return False
        return _sha256(path) == digest
    except OSError:
        return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_files(folder: Path, files: dict[str, bytes]) -> tuple[Path, ...]:
    """Write all files or none: temporaries first, then one rename each."""
    writer = Writer(folder)
    try:
        for name, data in files.items():
            writer.add(name, data)
        return writer.commit()
    finally:
        writer.discard()


# -- up to date by content hash ------------------------------------------------------------------
def _tool_fingerprint() -> str:
    """This package's own files and the installed distributions: what else shapes the outputs' bytes."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        digest.update("\0".join(names).encode())
    return digest.hexdigest()


def _inputs(graph_dir: Path, article: str | None, check: bool) -> dict:
    """The fingerprint of everything a build reads: spec files, the article, the tool, the options.

    ``article`` is the article's path as the spec gives it (relative to the graph folder).
    """
    files = {}
    for path in sorted((graph_dir / "spec").glob("*.yaml")):
        files["spec/" + path.name] = _sha256(path)
    if article is not None:
        try:
            files["article"] = _sha256(graph_dir / article)
        except OSError:
            files["article"] = ""
    return {"files": files, "article": article, "tool": _tool_fingerprint(), "check": check}


def _read_stamp(folder: Path) -> dict:
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) and stamp.get("version") == STAMP_VERSION else {}


def _input_key(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _up_to_date(graph_dir: Path, target: Path, names: list[str], check: bool, stamp: dict) -> BuildResult | None:
    """The result of a build that has nothing to do, or ``None`` when something must be rebuilt."""
    outputs = stamp.get("outputs")
    graph_id, article = stamp.get("graph_id"), stamp.get("article")
    if not isinstance(outputs, dict) or not graph_id:
        return None
    if not (graph_dir / "spec").is_dir():
        return None
    key = _input_key(_inputs(graph_dir, article, check))
    paths = []
    for name in names:
        file = name.format(id=graph_id)
        entry = outputs.get(file)
        if not isinstance(entry, dict) or entry.get("inputs") != key:
            return None
        path = target / file
        try:
            if _sha256(path) != entry.get("sha256"):
                return None
        except OSError:
            return None
        paths.append(path)
    return BuildResult(None, target, (), int(stamp.get("concepts", 0)), int(stamp.get("relations", 0)), tuple(paths))


def _write_stamp(folder: Path, old: dict, graph_id: str, inputs: dict, hashes: dict[str, str], concepts: int,
                 relations: int) -> None:
    key = _input_key(inputs)
    outputs = {} if old.get("graph_id") != graph_id else dict(old.get("outputs") or {})
    outputs.update({name: {"sha256": digest, "inputs": key} for name, digest in hashes.items()})
    stamp = {"version": STAMP_VERSION, "graph_id": graph_id, "article": inputs["article"], "concepts": concepts,
             "relations": relations, "outputs": outputs}
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{STAMP}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(stamp, handle, indent=1, sort_keys=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / STAMP)
    except OSError:
        pass  # without a stamp, the next build only does its work again


def find_graph_dirs(root: Path | str = "graph") -> list[Path]:
    """Graph folders under ``root``: those holding a ``spec/`` folder."""
    root = Path(root)
    if (root / "spec").is_dir():
        return [root]
    return sorted(p.parent for p in root.glob("*/spec") if p.is_dir())
