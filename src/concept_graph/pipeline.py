"""The pipeline that the CLI and notebooks both call: load, validate, render, write atomically.

Every output is rendered to a temporary file in the output folder; only when all of them are
ready (and the RDF conforms to the shapes) does each replace the old file, by a rename. A failed
or interrupted build therefore leaves every earlier output whole.

A build remembers what it was made from: ``.concept-graph-build.json`` in the output folder
holds the SHA-256 of every input (the spec files, the article, this package's own files and the
list of installed distributions) and of every output written. A second build whose inputs have
not changed, and whose outputs are still the bytes it wrote, does nothing. ``only`` builds a
part of the outputs (``--only ttl,html``); ``progress`` is told each step as it starts.

A folder holding several graph folders (``graph/`` of a course) also has a combined graph of
them all (:mod:`concept_graph.combine`), built by :func:`build_combined` into its own ``out/``
(``graph/out/``: the outputs of a folder are in its ``out/``, and no graph folder can be called
``out`` there without its outputs and the combined ones getting mixed up, so the name is already
reserved): the same atomic writer, the same up-to-date stamp over every article's inputs.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .combine import COMBINED_ID
from .errors import ConceptGraphError, Problem, did_you_mean, display_path
from .model import ConceptGraph

if TYPE_CHECKING:
    from .combine import Combined

OUT_DIR = "out"
STAMP = ".concept-graph-build.json"
STAMP_VERSION = 1

Rendering = str | bytes | Iterable[str]
Progress = Callable[[str, int, int], None]  # step, steps done, steps in all


@dataclass
class Rendered:
    """What the renderers share, so the RDF table is made once per build."""

    graph: ConceptGraph
    storyboards: tuple = ()  # the graph folder's lectures, offered by the page's Lecture button
    _table: dict | None = None

    @property
    def table(self) -> dict:
        if self._table is None:
            from .rdf import triples

            self._table = triples(self.graph)
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

    return to_html(r.graph, storyboards=r.storyboards)


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
    lint_findings: int = 0


def select(only: Iterable[str] | str | None, outputs: Iterable[str] | None = None) -> list[str]:
    """The output name templates that ``only`` names (every output for ``None``), in build order.

    ``outputs`` are the outputs to choose from (a graph folder's by default; the combined graph's
    are :data:`COMBINED_OUTPUTS`). A kind that only the other one has selects nothing here: ``trig``
    is the combined graph's, ``png`` a graph folder's.
    """
    outputs = list(OUTPUTS if outputs is None else outputs)
    if only is None:
        return outputs
    known = {**KINDS, **COMBINED_KINDS}
    kinds = [k.strip() for k in (only.split(",") if isinstance(only, str) else only) if k.strip()]
    problems = [Problem("unknown-output", None, None, f"unknown output kind {k!r}",
                        did_you_mean(k, known) or "one of: " + ", ".join(known)) for k in kinds if k not in known]
    if problems or not kinds:
        raise ConceptGraphError(problems or [Problem("unknown-output", None, None, "no output kind given",
                                                     "e.g. --only ttl,html; kinds: " + ", ".join(known))])
    wanted = {name for k in kinds for name in (*KINDS.get(k, ()), *COMBINED_KINDS.get(k, ()))}
    return [name for name in outputs if name in wanted]


def render(graph: ConceptGraph, names: Iterable[str] | None = None,
           storyboards: tuple = ()) -> Iterable[tuple[str, Rendering]]:
    """(file name, rendering) for each output template in ``names`` (all by default), one at a time."""
    rendered = Rendered(graph, tuple(storyboards))
    for name in names if names is not None else OUTPUTS:
        yield name.format(id=graph.meta.id), OUTPUTS[name](rendered)


def render_outputs(graph: ConceptGraph, check: bool = True, storyboards: tuple = ()) -> dict[str, bytes]:
    """Every output file's name and bytes, in memory; raises if the RDF does not conform to the shapes."""
    files = {name: _bytes(data) for name, data in render(graph, storyboards=storyboards)}
    if check:
        from .rdf import triples

        _check_shapes(triples(graph))
    return files


class _Steps:
    """A build's named steps, reported to ``progress`` as each one starts, then ``done``."""

    def __init__(self, names: list[str], progress: Progress | None):
        self.names, self.progress, self.done = names, progress, 0

    def __call__(self, name: str) -> None:
        if self.progress is not None:
            self.progress(name, self.done, len(self.names))
        self.done += 1

    def finish(self) -> None:
        if self.progress is not None:
            self.progress("done", len(self.names), len(self.names))


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
          force: bool = False, workers: int = 1) -> BuildResult:
    """Validate a graph folder and write its outputs (to ``GRAPH_DIR/out`` by default).

    Nothing is done when the outputs asked for are up to date (see the module's documentation),
    unless ``force``. With ``workers=2`` (the CLI's choice on a machine with two cores or more),
    one forked copy of the process writes the RDF and another the page, exports and figures,
    while this one waits, then checks the RDF against the shapes; the outputs are the same bytes
    either way (tested). Where there is no ``os.fork``, ``workers`` is ignored.
    """
    graph_dir = Path(graph_dir)
    target = Path(out_dir) if out_dir is not None else graph_dir / OUT_DIR
    names = select(only)
    stamp = _read_stamp(target)
    if not force:
        fresh = _up_to_date(graph_dir, target, names, check, stamp)
        if fresh is not None:
            return fresh
    # The build makes millions of objects that live until it ends (spec records, the model, the
    # triples); the cyclic garbage collector's full passes over them took 60% of reading,
    # validating and making the RDF at 10,000 concepts. Reference counting still frees what
    # the build lets go of; the collector runs again when the build returns.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(graph_dir, target, names, stamp, check, progress, workers)
    finally:
        if collecting:
            gc.enable()


def _build(graph_dir: Path, target: Path, names: list[str], stamp: dict, check: bool, progress: Progress | None,
           workers: int) -> BuildResult:
    rdf_wanted = [n for n in names if n in RDF_OUTPUTS]
    rdf_lane = [n for n in names if n in RDF_LANE]
    scratch = "{id}.nt" if check and rdf_wanted and "{id}.nt" not in names else None
    if scratch:  # the shapes are checked on the N-Triples: write them aside when they are not asked for
        rdf_lane.append(scratch)
    other_lane = [n for n in names if n not in RDF_LANE]
    parallel = workers > 1 and hasattr(os, "fork") and bool(rdf_lane) and bool(other_lane)
    if parallel:
        steps = ["read the spec", "validate", "find mentions", "write the RDF (page, exports, figures beside it)",
                 *(["check the shapes"] if check and rdf_wanted else []),
                 "wait for the page, exports and figures", "write"]
    else:
        steps = ["read the spec", "validate", "find mentions", *(["make the RDF"] if rdf_wanted else []), *rdf_lane,
                 *(["check the shapes"] if check and rdf_wanted else []), *other_lane, "write"]
    step = _Steps(steps, progress)

    from .spec import load_spec
    from .validate import Validator

    step("read the spec")
    raw = load_spec(graph_dir)
    step("validate")
    graph = Validator(raw).run()
    # The targets first: a spec cut in half is named as such, not by what it breaks downstream.
    from .storyboard import load_storyboards
    from .targets import check as check_targets

    findings = len(check_targets(graph).findings)
    boards = tuple(load_storyboards(graph_dir, graph))  # a typo in one fails the build like the spec
    article = str((raw.graph.get("article") if raw.graph else None) or "article.txt")
    del raw  # its records (a few hundred bytes a field) are the largest thing in memory at 10,000 concepts
    step("find mentions")
    graph.mentions  # noqa: B018 - computed here, so that progress shows the time it takes
    gid = graph.meta.id
    nt_file = f"{gid}.nt"
    writer = Writer(target)
    lanes: list[Lane] = []
    try:
        if parallel:
            # Two forked copies: one writes the RDF (its triples go with it when it ends), one the
            # exports and figures (matplotlib's import and drawing are the longest chain); this
            # process writes the page meanwhile, then checks the RDF against the shapes.
            step(steps[3])
            here = [n for n in other_lane if n in PAGE_HERE]
            lanes = [Lane(graph, rdf_lane, target)]
            drawn = [n for n in other_lane if n not in here]
            if drawn:
                lanes.append(Lane(graph, drawn, target, boards, awaits_map=any(n in MAPPED for n in drawn)))
            if any(n in MAPPED for n in other_lane):
                # The page and the figures share the map: laid out once, here, while the copy that
                # draws the figures imports matplotlib, then sent to it.
                from .layout import graph_map

                positions = graph_map(graph)
                for lane in lanes[1:]:
                    lane.send_map(positions)
            if here:
                rendered = Rendered(graph, boards)
                for name in here:
                    writer.add(name.format(id=gid), OUTPUTS[name](rendered))
            lanes[0].join(writer)
            if check and rdf_wanted:
                step("check the shapes")
                _check_shapes(_store_of(writer.temps[nt_file]))
            step("wait for the page, exports and figures")
            for lane in lanes[1:]:
                lane.join(writer)
        else:
            from .rdfwrite import count

            rendered = Rendered(graph, boards)
            if rdf_wanted:
                step("make the RDF")
                rendered.table  # noqa: B018
            for name in rdf_lane:
                step(name.format(id=gid))
                writer.add(name.format(id=gid), OUTPUTS[name](rendered))
            if check and rdf_wanted:
                step("check the shapes")
                data = rendered.table
                rendered._table = None  # every RDF output is written: the triples can go
                _check_shapes(data if count(data) < SHAPES_FROM_FILE else _store_of(writer.temps[nt_file], data))
                del data
            rendered._table = None
            for name in other_lane:
                step(name.format(id=gid))
                writer.add(name.format(id=gid), OUTPUTS[name](rendered))
        if scratch:
            writer.drop(nt_file)
        step("write")
        inputs = _inputs(graph_dir, article, check)
        written = writer.commit([name.format(id=gid) for name in names])
        _write_stamp(target, stamp, gid, inputs, writer.hashes, len(graph.concepts), len(graph.relations), findings)
    finally:
        for lane in lanes:
            lane.stop()
        writer.discard()
    step.finish()
    return BuildResult(graph, target, written, len(graph.concepts), len(graph.relations), lint_findings=findings)


# The outputs made from the RDF triples (rendered together, in one lane when there are two).
RDF_LANE = (*RDF_OUTPUTS, "ontology.ttl", "shapes.ttl")
PAGE_HERE = ("{id}.html",)  # with two lanes, written by the building process while the lanes work
MAPPED = ("{id}.html", "{id}.svg", "{id}.png")  # the outputs drawn on the map of the graph (layout.graph_map)
SHAPES_FROM_FILE = 100_000  # triples: above, Oxigraph reads the N-Triples just written, not Python


def _store_of(nt: Path, table: dict | None = None):
    """An Oxigraph store read from an N-Triples file (the table, if given, is emptied first to free memory)."""
    import pyoxigraph as ox

    if table is not None:
        table.clear()
    store = ox.Store()
    # lenient: the file was just written from checked terms; Oxigraph need not validate each IRI again
    store.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store


class Lane:
    """Outputs rendered by a forked copy of this process into the same folder, while this one goes on.

    What the copy allocates (the RDF triples, the page's data) is given back when it ends.

    The copy shares the validated graph (copy-on-write), writes each output to a temporary file
    and sends back their names and hashes, or the problems it met; :meth:`join` adopts the files
    into the writer, so they are renamed with the others, or never. Used only where ``os.fork``
    exists.
    """

    def __init__(self, graph: ConceptGraph, names: list[str], folder: Path, storyboards: tuple = (),
                 awaits_map: bool = False):
        import multiprocessing

        # The copy inherits the build's disabled garbage collector: no collection visits (and so
        # copies) the pages it shares with this process.
        context = multiprocessing.get_context("fork")
        self.files = [name.format(id=graph.meta.id) for name in names]
        self.folder = folder
        self.receive, send = context.Pipe(duplex=False)
        # With awaits_map, the copy renders what needs no map, then waits for send_map.
        self._map_out: Any = None
        mapped = None
        if awaits_map:
            mapped, self._map_out = context.Pipe(duplex=False)
        self.process = context.Process(target=_render_lane, args=(graph, names, folder, send, storyboards, mapped),
                                       daemon=True)
        self.process.start()
        send.close()
        if mapped is not None:
            mapped.close()

    def send_map(self, positions: dict) -> None:
        """Give the copy the graph's map (see ``awaits_map``); a copy that stopped is reported by :meth:`join`."""
        if self._map_out is not None:
            try:
                self._map_out.send(positions)
            except (BrokenPipeError, OSError):
                pass
            self._map_out.close()
            self._map_out = None

    def join(self, writer: Writer) -> None:
        try:
            kind, payload = self.receive.recv()
        except EOFError:
            raise ConceptGraphError(Problem("build-failed", None, None,
                                            "the process rendering the page, exports and figures stopped",
                                            "run the build again; if it stops again, report it")) from None
        self.process.join()
        if kind == "problems":
            raise ConceptGraphError(payload)
        if kind == "crash":
            raise RuntimeError(f"rendering {', '.join(self.files)} failed:\n{payload}")
        for name, tmp, digest in payload:
            writer.temps[name], writer.hashes[name] = Path(tmp), digest

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.receive.close()
        for name in self.files:  # a copy stopped before it could clean up after itself
            for stale in self.folder.glob(f".{name}.*.tmp"):
                stale.unlink(missing_ok=True)


def _render_lane(graph: ConceptGraph, names: list[str], folder: Path, send, storyboards: tuple = (),
                 mapped=None) -> None:
    """In the forked copy: render ``names``, send back (file, temporary path, hash) of each, or what went wrong.

    With ``mapped`` (a pipe), the graph's map comes from the building process: meanwhile the copy
    imports matplotlib and renders the outputs that need no map.
    """
    import traceback

    writer = Writer(folder, clean=False)
    try:
        rendered = Rendered(graph, storyboards)
        names = list(names)
        if mapped is not None:
            from .figure import prepare
            from .layout import remember_map

            if any(n in ("{id}.svg", "{id}.png") for n in names):
                prepare()
            for name in [n for n in names if n not in MAPPED]:
                writer.add(name.format(id=graph.meta.id), OUTPUTS[name](rendered))
            names = [n for n in names if n in MAPPED]
            try:
                remember_map(graph, mapped.recv())
            except EOFError:
                return  # the building process stopped: nothing to send back to
        names, helper = _save_figures_apart(graph, names, folder, storyboards)
        for name in names:
            writer.add(name.format(id=graph.meta.id), OUTPUTS[name](rendered))
        done = [(name, str(tmp), writer.hashes[name]) for name, tmp in writer.temps.items()]
        if helper is not None:
            pid, receive = helper
            kind, payload = receive.recv()
            os.waitpid(pid, 0)
            if kind != "done":
                send.send((kind, payload))
                return
            done += payload
        send.send(("done", done))
        writer.temps.clear()  # the building process owns them now
    except ConceptGraphError as exc:
        send.send(("problems", exc.problems))
    except BaseException:  # noqa: B036 - reported to the building process, which raises it
        send.send(("crash", traceback.format_exc()))
    finally:
        writer.discard()
        send.close()


def _save_figures_apart(graph: ConceptGraph, names: list[str], folder: Path, storyboards: tuple):
    """With both figures to write: draw once, then save the SVG in a forked copy while this
    process saves the PNG (each takes a third of a second for the article, on the longest chain of
    the build). Returns the names left to render here and (pid, pipe) of the copy, or ``None``."""
    if not ("{id}.svg" in names and "{id}.png" in names and hasattr(os, "fork")):
        return names, None
    import multiprocessing

    from .figure import draw

    draw(graph)
    receive, send = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the copy: save the SVG, report, and leave without running anything else
        try:
            receive.close()
            _render_lane(graph, ["{id}.svg"], folder, send, storyboards)
        finally:
            os._exit(0)
    send.close()
    return [n for n in names if n != "{id}.svg"], (pid, receive)


# -- writing all or nothing ----------------------------------------------------------------------
class Writer:
    """Outputs written to temporary files, then renamed over the old ones at :meth:`commit`."""

    def __init__(self, folder: Path, clean: bool = True):
        self.folder = folder
        self.temps: dict[str, Path] = {}
        self.hashes: dict[str, str] = {}
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConceptGraphError(Problem("unwritable-output", display_path(folder), None,
                                            f"cannot create the output folder: {exc.strerror}",
                                            "choose a folder you can write to with -o")) from None
        if clean:
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

    def commit(self, order: Iterable[str] | None = None) -> tuple[Path, ...]:
        """Rename every temporary file over its output (in ``order``, if given); unchanged bytes are left alone."""
        written = []
        names = [n for n in order if n in self.temps] if order is not None else list(self.temps)
        try:
            for name in names:
                tmp = self.temps[name]
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

    def drop(self, name: str) -> None:
        """Forget one output and delete its temporary file: it was only needed during the build."""
        self.temps.pop(name).unlink(missing_ok=True)
        self.hashes.pop(name, None)

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


def _inputs(graph_dir: Path, article: str | None, check: bool, tool: str | None = None) -> dict:
    """The fingerprint of everything a build reads: spec files, the article, the tool, the options.

    ``article`` is the article's path as the spec gives it (relative to the graph folder);
    ``tool`` is :func:`_tool_fingerprint`, when it is already known.
    """
    from .storyboard import storyboard_files

    files = {}
    for path in sorted((graph_dir / "spec").glob("*.yaml")):
        files["spec/" + path.name] = _sha256(path)
    for path in storyboard_files(graph_dir):
        files[path.relative_to(graph_dir).as_posix()] = _sha256(path)
    if article is not None:
        try:
            files["article"] = _sha256(graph_dir / article)
        except OSError:
            files["article"] = ""
    return {"files": files, "article": article, "tool": tool or _tool_fingerprint(), "check": check}


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
    paths = _fresh_files(target, [name.format(id=graph_id) for name in names], key, outputs)
    if paths is None:
        return None
    return BuildResult(None, target, (), int(stamp.get("concepts", 0)), int(stamp.get("relations", 0)), paths,
                       int(stamp.get("lint_findings", 0)))


def _fresh_files(target: Path, files: list[str], key: str, outputs: dict) -> tuple[Path, ...] | None:
    """The output files, if each was written from inputs with this key and still holds those bytes."""
    paths = []
    for file in files:
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
    return tuple(paths)


def _write_stamp(folder: Path, old: dict, graph_id: str, inputs: dict, hashes: dict[str, str], concepts: int,
                 relations: int, lint_findings: int = 0) -> None:
    key = _input_key(inputs)
    outputs = {} if old.get("graph_id") != graph_id else dict(old.get("outputs") or {})
    outputs.update({name: {"sha256": digest, "inputs": key} for name, digest in hashes.items()})
    stamp = {"version": STAMP_VERSION, "graph_id": graph_id, "article": inputs["article"], "concepts": concepts,
             "lint_findings": lint_findings,
             "relations": relations, "outputs": outputs}
    _save_stamp(folder, stamp)


def _save_stamp(folder: Path, stamp: dict) -> None:
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
    from .combine import graph_folders

    root = Path(root)
    if (root / "spec").is_dir():
        return [root]
    return graph_folders(root)


# -- the combined graph of several articles -------------------------------------------------------
@dataclass
class Joined:
    """What the combined graph's renderers share: the dataset and its union, made once per build."""

    combined: Combined
    _dataset: list | None = None
    _union: dict | None = None

    @property
    def dataset(self) -> list:
        if self._dataset is None:
            self._dataset = self.combined.dataset()
        return self._dataset

    @property
    def union(self) -> dict:
        if self._union is None:
            self._union = self.combined.union(self.dataset)
        return self._union


def _combined_trig(j: Joined) -> Rendering:
    return j.combined.trig(j.dataset)


def _combined_turtle(j: Joined) -> Rendering:
    from .rdfwrite import turtle

    return turtle(j.union, j.combined.prefixes())


def _combined_ntriples(j: Joined) -> Rendering:
    from .rdfwrite import ntriples

    return ntriples(j.union)


def _combined_html(j: Joined) -> Rendering:
    from .combine import to_html

    return to_html(j.combined)


COMBINED_DIR = "out"  # under the folder holding the graph folders: graph/out/
COMBINED_OUTPUTS: dict[str, Callable[[Joined], Rendering]] = {
    "combined.trig": _combined_trig,
    "combined.ttl": _combined_turtle,
    "combined.nt": _combined_ntriples,
    "combined.html": _combined_html,
}
COMBINED_KINDS: dict[str, tuple[str, ...]] = {"trig": ("combined.trig",), "ttl": ("combined.ttl",),
                                              "nt": ("combined.nt",), "html": ("combined.html",)}
COMBINED_RDF = ("combined.trig", "combined.ttl", "combined.nt")


@dataclass(frozen=True)
class CombinedResult:
    """What a combined build did; ``combined`` is ``None`` when every output was up to date."""

    combined: Combined | None
    out_dir: Path
    written: tuple[Path, ...]
    articles: int = 0
    concepts: int = 0
    shared: int = 0
    relations: int = 0
    triples: int = 0
    up_to_date: tuple[Path, ...] = field(default=())


def build_combined(root: Path | str = "graph", out_dir: Path | str | None = None, check: bool = True,
                   only: Iterable[str] | str | None = None, progress: Progress | None = None,
                   force: bool = False) -> CombinedResult:
    """Join the graph folders under ``root`` and write the combined graph (to ``ROOT/out`` by default).

    Every article is validated as its own build validates it (spec, targets, storyboards); one
    failing article fails the whole, with its own files and lines, and leaves the earlier
    combined outputs as they were. The union is checked against the SHACL shapes. Outputs: the
    dataset as TriG (one named graph per article, named by its base IRI), the union as Turtle
    and N-Triples, and the combined page; a second build with nothing changed does nothing.
    """
    root = Path(root)
    target = Path(out_dir) if out_dir is not None else root / COMBINED_DIR
    names = select(only, COMBINED_OUTPUTS)
    stamp = _read_stamp(target)
    tool = _tool_fingerprint()
    if not force and names:
        fresh = _combined_up_to_date(root, target, names, check, stamp, tool)
        if fresh is not None:
            return fresh
    rdf_wanted = [n for n in names if n in COMBINED_RDF]
    steps = ["read and validate the articles", "join them", *(["make the RDF"] if rdf_wanted else []), *names,
             *(["check the shapes"] if check and rdf_wanted else []), "write"]
    step = _Steps(steps, progress)

    from .combine import load_combined
    from .storyboard import load_storyboards
    from .targets import check as check_targets

    def checked(folder: Path, graph: ConceptGraph) -> None:
        check_targets(graph)
        load_storyboards(folder, graph)

    step(steps[0])
    combined = load_combined(root, checked)
    step(steps[1])
    articles = {folder.name: article for folder, article in zip(combined.folders, combined.articles, strict=True)}
    joined = Joined(combined)
    if rdf_wanted:
        step("make the RDF")
        joined.union  # noqa: B018
    writer = Writer(target)
    try:
        for name in names:
            step(name)
            writer.add(name, COMBINED_OUTPUTS[name](joined))
        triples = sum(len(pairs) for pairs in joined.union.values()) if rdf_wanted else 0
        if check and rdf_wanted:
            step("check the shapes")
            if "combined.nt" in writer.temps and triples >= SHAPES_FROM_FILE:
                _check_shapes(_store_of(writer.temps["combined.nt"], joined.union))
            else:
                _check_shapes(joined.union)
        step("write")
        inputs = _combined_inputs(root, articles, check, tool)
        written = writer.commit(names)
        key = _input_key(inputs)
        outputs = dict(stamp.get("outputs") or {}) if stamp.get("graph_id") == COMBINED_ID else {}
        outputs.update({name: {"sha256": digest, "inputs": key} for name, digest in writer.hashes.items()})
        _save_stamp(target, {"version": STAMP_VERSION, "graph_id": COMBINED_ID, "articles": articles,
                             "counts": _counts(combined, triples), "outputs": outputs})
    finally:
        writer.discard()
    step.finish()
    return CombinedResult(combined, target, written, **_counts(combined, triples))


def _counts(combined: Combined, triples: int) -> dict:
    return {"articles": len(combined.graphs), "concepts": len(combined.view.concepts), "shared": len(combined.shared),
            "relations": len(combined.view.relations), "triples": triples}


def _combined_inputs(root: Path, articles: dict[str, str], check: bool, tool: str) -> dict:
    """Every article's inputs (by folder name), so that a change to any of them, or a new folder, rebuilds."""
    return {"graphs": {name: _inputs(root / name, article, check, tool) for name, article in sorted(articles.items())},
            "check": check}


def _combined_up_to_date(root: Path, target: Path, names: list[str], check: bool, stamp: dict,
                         tool: str) -> CombinedResult | None:
    from .combine import graph_folders

    articles, outputs = stamp.get("articles"), stamp.get("outputs")
    if stamp.get("graph_id") != COMBINED_ID or not isinstance(articles, dict) or not isinstance(outputs, dict):
        return None
    if sorted(articles) != [f.name for f in graph_folders(root)]:
        return None
    key = _input_key(_combined_inputs(root, articles, check, tool))
    paths = _fresh_files(target, names, key, outputs)
    if paths is None:
        return None
    counts = stamp.get("counts")
    if not isinstance(counts, dict):
        counts = {}
    return CombinedResult(None, target, (), up_to_date=paths,
                          **{k: int(counts.get(k, 0)) for k in ("articles", "concepts", "shared", "relations",
                                                                  "triples")})
