"""The command line: parse arguments, call the library, print, and map errors to exit codes.

Exit codes: 0 success; 1 the graph builds but does not conform (SHACL) or misses a target;
2 bad input or usage, with one ``file:line: message (hint) [code]`` line per problem.
Heavy libraries are imported inside the commands, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import ConceptGraphError, Problem

EPILOG = """\
GRAPH_DIR is a folder holding spec/*.yaml and the article text; without it, the one graph folder
under ./graph is used (build: every graph folder there, and their combined graph in ./graph/out).
Exit codes: 0 ok, 1 does not conform, 2 bad input (each problem as file:line: message)."""


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except ConceptGraphError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        if len(exc.problems) > 1:
            print(f"{len(exc.problems)} problems found", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    except KeyboardInterrupt:
        print("interrupted; earlier outputs are untouched", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


class IntermixedParser(argparse.ArgumentParser):
    """A subcommand parser that takes positionals after options: ``query NAME -p x=1 GRAPH_DIR``.

    argparse matches a command's positionals in one go, so with two of them, the second one
    after an option is refused; its intermixed parsing (which subcommands cannot use directly)
    is what users expect.
    """

    _intermixing = False

    def parse_known_args(self, args=None, namespace=None):
        if self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def make_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="concept-graph",
        description="Turn an article into a sourced, explorable knowledge graph of its concepts.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"concept-graph {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=IntermixedParser)

    def command(name, func, help_text, description=None):
        p = sub.add_parser(name, help=help_text, description=description or help_text, epilog=EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    p = command("build", cmd_build, "validate a graph folder and write every output (all or nothing)",
                "Validate the spec against the article, check the RDF against the SHACL shapes, then "
                "write Turtle, JSON-LD, N-Triples, the ontology, the shapes and the HTML to GRAPH_DIR/out. "
                "Nothing is written unless everything succeeds. A folder of several graph folders (./graph "
                "by default) builds each one, then their combined graph into its own out/: combined.trig "
                "(one named graph per article), combined.ttl and combined.nt (the union) and combined.html.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR",
                   help="a graph folder, or a folder of graph folders (default ./graph)")
    p.add_argument("-o", "--out", metavar="DIR", help="write the outputs here instead of GRAPH_DIR/out")
    p.add_argument("--only", metavar="KINDS", type=output_kinds,
                   help="build only these outputs, e.g. ttl,html (kinds: ttl, jsonld, nt, ontology, shapes, html, "
                   "graphml, gexf, csv, svg, png; trig: the combined graph's only)")
    p.add_argument("--force", action="store_true", help="rebuild even when the outputs are up to date")

    p = command("draft", cmd_draft, "propose grounded candidates for a new graph from its article (spec/draft.yaml)",
                "Read the article of GRAPH_DIR and write spec/draft.yaml: candidate concepts (the article's key "
                "phrases, merged by lemma, with the synonyms the text declares) and candidate relations (sentences "
                "naming two concepts around a cue of a relation type), each with a score and a verbatim quote that "
                "occurs once. Every record is marked 'status: candidate', which validate and build skip until a "
                "curator sets 'status: accepted'. Concepts another graph folder has are proposed under its id. "
                "Without spec/graph.yaml, a starter one is written too; curated files are never touched.")
    p.add_argument("graph_dir", metavar="GRAPH_DIR", help="a folder holding the article (article.txt)")
    p.add_argument("--review", action="store_true",
                   help="also write an HTML page of the candidates by section (GRAPH_DIR/draft-review.html)")
    p.add_argument("-o", "--out", metavar="FILE", help="with --review: write the page here instead")
    p.add_argument("--match-with", action="append", metavar="DIR", dest="match_with",
                   help="propose the concepts of this graph folder as the same concept (repeatable; "
                   "default: the other graph folders beside GRAPH_DIR)")

    p = command("validate", cmd_validate, "check a spec: every problem with file and line, then SHACL",
                "Report every problem in the spec at once (unknown ids, quotes not in the article, ...), "
                "then check the RDF it would produce against the SHACL shapes. Writes nothing.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--no-shapes", action="store_true", help="skip the SHACL check (faster)")

    p = command("init", cmd_init, "start a new graph folder from an article: it validates and builds as written",
                "Copy ARTICLE into DIR/article.txt (checking its format first) and write a starter spec: "
                "spec/graph.yaml with the graph's id, title and base IRI, broad categories and the built-in "
                "relation types; spec/concepts.yaml with a commented example; spec/schema.json for your "
                "editor. Then add concepts by hand (docs/spec.md) or run 'concept-graph draft DIR'.")
    p.add_argument("folder", metavar="DIR", help="the new graph folder (created if missing; must hold no spec yet)")
    p.add_argument("article", metavar="ARTICLE", help="the article's text file (UTF-8, see docs/spec.md)")

    p = command("lint", cmd_lint, "find what a careful reader would trip over: contradictions, dead ends, duplicates",
                "Check what the graph states, beyond validity: relations that contradict each other (the "
                "relation types' conflicts_with), a kind that contradicts or repeats its parent, concepts that "
                "act on nothing, kinds of one parent in different categories, near-duplicate labels and "
                "shared synonyms, concepts the article names often that hang by one relation, definitions "
                "that only restate an edge. One line per finding with file, line and rule; exit 1 if any. "
                "Switch rules off in graph.yaml: graph: lint: disable: [RULE, ...].")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--rules", action="store_true", help="list the rules and what each finds")

    p = command("stats", cmd_stats, "counts by category and relation type, central and isolated concepts")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--top", type=positive_int, default=10, metavar="N", help="how many central concepts to list")

    p = command("export", cmd_export, "a static figure (SVG, PNG) or a file for Gephi, Cytoscape, Neo4j, spreadsheets",
                "Write the whole graph, a section or a concept's neighbourhood as a 16:9 figure for a slide "
                "(svg, png), or the graph as GraphML, GEXF or CSV (nodes and edges files) with labels, "
                "types and evidence.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS, help="output format")
    p.add_argument("-o", "--out", required=True, metavar="FILE",
                   help="output file (csv: FILE is the nodes file, the edges file gets -edges before its suffix)")
    p.add_argument("--focus", metavar="ID", help="only this concept and its neighbourhood (every format)")
    p.add_argument("--depth", type=positive_int, metavar="N", help="neighbourhood depth around --focus (default 1)")
    p.add_argument("--section", type=positive_int, metavar="N", help="only what section N grounds (every format)")
    p.add_argument("--title", help="figures: the title on the slide")

    p = command("html", cmd_html, "the interactive HTML page, or a smaller page for one slide",
                "Write one self-contained HTML page (no network access needed) to explore the graph, "
                "step through the article in lecture mode and embed in slides. Without filters it is "
                "GRAPH_DIR/out/<id>.html, as build writes it; --focus and --section make a smaller page "
                "(named after them in the current folder unless -o is given).")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--focus", metavar="ID", help="only this concept and its neighbourhood")
    p.add_argument("--depth", type=positive_int, metavar="N", help="neighbourhood depth around --focus (default 1)")
    p.add_argument("--section", type=positive_int, metavar="N", help="only what article section N grounds")
    p.add_argument("--title", help="the page's title (default: the graph's title and the filters)")
    p.add_argument("-o", "--out", metavar="FILE", help="write the page here ('-' for standard output)")

    p = command("slides", cmd_slides, "a slide deck of a storyboard: one offline HTML file, a slide per step",
                "Write the storyboard (lecture.yaml or lectures/NAME.yaml) of GRAPH_DIR as one self-contained "
                "HTML slide deck: a title slide, then per step the live graph in present mode, the caption and "
                "the article's quotes with their section. Arrow keys and a presentation clicker (Page Up/Down) "
                "move the deck and the graph together; printing gives one 16:9 page per slide, with a picture "
                "of each step's view. The deck makes no network request.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--lecture", metavar="NAME", help="which storyboard, by its file's name "
                   "(default: the only one; lecture.yaml is 'lecture')")
    p.add_argument("-o", "--out", metavar="FILE", help="write the deck here (default: GRAPHID-NAME-slides.html)")

    p = command("coverage", cmd_coverage, "share of the article's sentences that the graph grounds, per section",
                "For each section and the whole article, the share of sentences that ground at least one "
                "relation or concept definition, then the sentences that ground nothing.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR")
    p.add_argument("--min", type=float, default=None, metavar="SHARE",
                   help="exit 1 if the whole article's share is below SHARE (e.g. 0.9)")

    p = command("query", cmd_query, "run a SPARQL query: a library query by name, a .rq file, or SPARQL text",
                "Run a query on the graph with the embedded engine (oxigraph when pyoxigraph is installed, "
                "else rdflib; nothing to start), or on any SPARQL 1.1 endpoint with --endpoint. QUERY is a "
                "name from the library (list them with --list), a .rq file, or the text of a query; the "
                "usual prefixes (skos, rdf, rdfs, owl, xsd, prov, dcterms, oa, cg and the graph's own: "
                "concept, rel, ...) need no PREFIX line. A parameter that names a concept or a relation "
                "type takes its id, its label or a synonym.")
    p.add_argument("query", nargs="?", metavar="QUERY", help="a library query's name, a .rq file, or SPARQL text")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR", help="a graph folder, or a built .ttl/.nt/.jsonld file")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter of the query (repeatable); see --list")
    p.add_argument("--format", "-f", default="table", choices=("table", "csv", "tsv", "json", "xml"),
                   help="output: aligned table (default), or W3C SPARQL results as CSV, TSV, JSON, XML")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"),
                   help="embedded engine (default: oxigraph if pyoxigraph is installed, else rdflib)")
    p.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead")
    p.add_argument("--graph", metavar="IRI", help="'all': the combined graph of every graph folder under GRAPH_DIR "
                   "(default ./graph), each article a named graph. With --endpoint: the named graph to query (default: "
                   "the base IRI of GRAPH_DIR, or of the one graph folder under ./graph, where push puts it; without "
                   "either, the store's default graph)")
    p.add_argument("--timeout", type=positive_number, default=60.0, metavar="SECONDS",
                   help="with --endpoint: how long to wait for the answer (default 60)")
    p.add_argument("--list", action="store_true", help="list the library's queries and their parameters")

    p = command("serve", cmd_serve, "a read-only SPARQL endpoint, the graph's page and a query panel",
                "Serve the graph on http://HOST:PORT/: a SPARQL 1.1 Protocol endpoint at /sparql (results "
                "as JSON, XML, CSV or TSV, graphs as Turtle, N-Triples, JSON-LD or RDF/XML, by Accept), the "
                "RDF at /graph, the query library at /queries, and at / a query panel beside the HTML "
                "graph. Updates, SERVICE, FROM and default-graph-uri are refused; each answer is bounded "
                "in time, rows, bytes and memory; a busy server answers 503 with Retry-After at once.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR",
                   help="a graph folder, a built .ttl/.nt/.jsonld/.trig file, "
                   "or with --graph all a folder of graph folders")
    p.add_argument("--graph", choices=("all",),
                   help="all: serve the combined graph of every graph folder under GRAPH_DIR "
                   "(default ./graph); its page is GRAPH_DIR/out/combined.html")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"),
                   help="embedded engine (default: oxigraph if pyoxigraph is installed, else rdflib)")
    p.add_argument("--workers", type=positive_int, metavar="N",
                   help="query worker processes (default: one per CPU, at least 2)")
    p.add_argument("--timeout", type=positive_number, default=10.0, metavar="SECONDS",
                   help="time limit of a query, from parsing to the written answer (default 10)")
    p.add_argument("--max-rows", type=positive_int, default=10_000, metavar="N",
                   help="largest answer, in rows or triples, the endpoint sends (default 10000)")
    p.add_argument("--max-bytes", type=positive_int, default=16 * 1024 * 1024, metavar="N",
                   help="largest answer, in bytes as written (default 16777216, 16 MiB)")
    p.add_argument("--max-memory", type=positive_int, default=1024, metavar="MIB",
                   help="memory a query may take in its worker, beyond the graph (default 1024 MiB)")

    p = command("push", cmd_push, "upload the graph to a triple store (SPARQL 1.1 Graph Store Protocol)",
                "Replace a named graph of a triple store with the graph, in one HTTP PUT to "
                "STORE?graph=IRI; the store applies it atomically, so a push it refuses leaves its previous "
                "graph in place. For Oxigraph, STORE is http://HOST:7878/store.")
    p.add_argument("graph_dir", nargs="?", metavar="GRAPH_DIR", help="a graph folder, or a built .ttl/.nt file")
    p.add_argument("--store", required=True, metavar="URL", help="the store's Graph Store Protocol URL")
    p.add_argument("--graph", metavar="IRI", help="the named graph to replace (default: the graph's base IRI)")
    p.add_argument("--timeout", type=positive_number, default=120.0, metavar="SECONDS",
                   help="how long to wait for the store (default 120)")
    return parser


def resolve_graph_dir(value: str | None, allow_many: bool = False) -> list[Path]:
    """The graph folders GRAPH_DIR names: itself, or the graph folders inside it (./graph by default)."""
    from .pipeline import find_graph_dirs

    if value:
        given = Path(value)
        found = find_graph_dirs(given) if given.is_dir() else []
        if len(found) <= 1 or allow_many:
            return found or [given]  # nothing inside: the loader says what is missing
    elif Path("spec").is_dir():  # run from inside a graph folder
        return [Path(".")]
    else:
        found = find_graph_dirs("graph")
    where = value or "graph"
    if not found:
        raise ConceptGraphError(Problem("missing-file", "graph", None, "no graph folder found here or under ./graph",
                                        "give GRAPH_DIR, a folder holding spec/*.yaml, or start one with "
                                        "'concept-graph init DIR ARTICLE'"))
    if len(found) > 1 and not allow_many:
        raise ConceptGraphError(Problem("ambiguous-graph", where, None,
                                        "several graph folders: " + ", ".join(map(str, found)),
                                        "name one as GRAPH_DIR; query and serve also take --graph all: "
                                        "the combined graph of them all"))
    return found


def cmd_build(args) -> int:
    from .pipeline import COMBINED_OUTPUTS, build, build_combined, select

    folders = resolve_graph_dir(args.graph_dir, allow_many=True)
    several = len(folders) > 1
    if several and args.out:
        raise ConceptGraphError(Problem("bad-option", None, None,
                                        f"-o names one output folder, and there are {len(folders)} graph folders",
                                        "build one graph folder with -o, or drop -o: each graph folder writes to "
                                        "its own out/, the combined graph to the out/ beside them"))
    own, joined = select(args.only), select(args.only, COMBINED_OUTPUTS) if several else []
    if not own and not joined:
        raise ConceptGraphError(Problem("unknown-output", None, None,
                                        "nothing to build: trig is the combined graph's output, "
                                        "and it needs a folder of several graph folders", "e.g. --only ttl,html"))
    for graph_dir in folders if own else []:
        with terminal_progress(str(graph_dir)) as bar:
            result = build(graph_dir, args.out, only=args.only, progress=bar, force=args.force, workers=idle_cores())
        counts = (f"{result.concepts} concepts, {result.relations} relations, "
                  f"{result.lint_findings} lint finding{'s' if result.lint_findings != 1 else ''}")
        if result.graph is None:
            print(f"{graph_dir} is up to date: {counts}, {len(result.up_to_date)} files in {result.out_dir}")
        else:
            print(f"built {graph_dir}: {counts} -> {len(result.written)} files in {result.out_dir}")
    if joined:
        root = folders[0].parent
        with terminal_progress("the combined graph") as bar:
            done = build_combined(root, only=args.only, progress=bar, force=args.force)
        counts = (f"{done.articles} articles, {done.concepts} concepts ({done.shared} shared), "
                  f"{done.relations} relations")
        if done.combined is None:
            print(f"the combined graph is up to date: {counts}, {len(done.up_to_date)} files in {done.out_dir}")
        else:
            triples = f", {done.triples} triples" if done.triples else ""
            print(f"built the combined graph: {counts}{triples} -> {len(done.written)} files in {done.out_dir}")
    return 0


def idle_cores() -> int:
    """Workers for a build: two when this process may use two cores and the machine is not saturated.

    A second worker renders beside the first (the figures beside the RDF and the page); on a
    machine whose every core is already busy it only adds the cost of the fork. The one-minute
    load includes the builds just run, so "busy" means at least as much load as cores. The outputs
    are the same bytes either way.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    return 2 if cores >= 2 and busy < cores else 1


def output_kinds(text: str) -> list[str]:
    """``--only``'s value: known output kinds, comma-separated (argparse reports a bad one, exit 2)."""
    from .pipeline import COMBINED_KINDS, KINDS

    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS and k not in COMBINED_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"unknown output kind {unknown[0]!r}" if unknown else "no output kind given")
    return kinds


class ProgressBar:
    """One line on a terminal, redrawn at each step of a build: ``[#####.....] 5/16 security.ttl 3.1 s``."""

    WIDTH = 20

    def __init__(self, stream, what: str):
        import time

        self.stream, self.what, self.clock = stream, what, time.perf_counter
        self.started = self.clock()
        self.shown = 0

    def __call__(self, step: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        line = (f"building {self.what} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {step} "
                f"{self.clock() - self.started:.1f} s")
        self.stream.write("\r" + line.ljust(self.shown))
        self.stream.flush()
        self.shown = len(line)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()


@contextlib.contextmanager
def terminal_progress(what: str) -> Iterator[ProgressBar | None]:
    """A progress bar on stderr while a build runs, when stderr is a terminal (quiet otherwise),
    cleared when the build ends or fails."""
    bar = ProgressBar(sys.stderr, what) if sys.stderr.isatty() else None
    try:
        yield bar
    finally:
        if bar:
            bar.clear()


def cmd_draft(args) -> int:
    from .draft import draft, write_draft

    if args.out and not args.review:
        raise ConceptGraphError(Problem("bad-option", None, None, "-o/--out needs --review",
                                        "add --review to write the review page"))
    result = draft(args.graph_dir, args.match_with)
    written = write_draft(result)
    shared = sum(1 for c in result.concepts if c.same_as)
    print(f"drafted {args.graph_dir}: {len(result.concepts)} concept candidates ({shared} shared with other graphs), "
          f"{len(result.relations)} relation candidates")
    for path in written:
        print(f"wrote {path}")
    if args.review:
        from .pipeline import write_files
        from .review import to_review_html

        out = Path(args.out) if args.out else Path(args.graph_dir) / "draft-review.html"
        for path in write_files(out.parent, {out.name: to_review_html(result).encode("utf-8")}):
            print(f"wrote {path}")
    return 0


def cmd_init(args) -> int:
    from .starter import init_folder

    for path in init_folder(args.folder, args.article):
        print(f"wrote {path}")
    print(f"next: concept-graph draft {args.folder}   (candidates to accept), or add concepts to "
          f"{Path(args.folder) / 'spec' / 'concepts.yaml'}; then concept-graph validate {args.folder}")
    return 0


def cmd_lint(args) -> int:
    from .lint import RULES, lint
    from .validate import load_graph

    if args.rules:
        print_table(["rule", "finds"], sorted(RULES.items()))
        return 0
    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    findings = lint(graph)
    for finding in findings:
        print(f"{finding}")
    off = f" ({len(graph.meta.lint_disabled)} rules disabled)" if graph.meta.lint_disabled else ""
    print(f"{graph_dir}: {len(findings)} finding{'s' if len(findings) != 1 else ''}{off}",
          file=sys.stderr if findings else sys.stdout)
    return 1 if findings else 0


def cmd_validate(args) -> int:
    from .validate import load_graph

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    quotes = sum(len(r.evidence) for r in graph.relations) + sum(1 for c in graph.concepts if c.evidence)
    print(f"{graph_dir}: spec valid: {len(graph.concepts)} concepts, {len(graph.relations)} relations, "
          f"{quotes} quotes located in the article")
    from .storyboard import load_storyboards
    from .targets import check

    measured = check(graph)
    print(f"{graph_dir}: targets met: {measured.coverage:.0%} of sentences grounded, "
          f"{len(measured.isolated)} isolated, {len(measured.findings)} lint findings")
    boards = load_storyboards(graph_dir, graph)
    if boards:
        print(f"{graph_dir}: storyboards valid: " + ", ".join(f"{b.name} ({len(b.steps)} steps)" for b in boards))
    if args.no_shapes:
        return 0
    from .rdf import triples
    from .shapes import check_shapes

    report = check_shapes(triples(graph))
    if not report.conforms:
        print(report.text, file=sys.stderr)
        print(f"{graph_dir}: RDF does not conform to the SHACL shapes ({report.violations} violations)",
              file=sys.stderr)
        return 1
    print(f"{graph_dir}: RDF conforms to the SHACL shapes")
    return 0


def cmd_stats(args) -> int:
    from .network import graph_stats
    from .validate import load_graph

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    stats = graph_stats(graph, top=args.top)
    print(f"{graph.meta.title}: {stats.concepts} concepts, {stats.relations} relations, "
          f"{stats.relation_types_used} of {len(graph.relation_types)} relation types used")
    print()
    print_table(["category", "concepts"], stats.by_category)
    print()
    print_table(["relation type", "relations"], stats.by_relation_type)
    print()
    print_table(["most central concept", "degree", "betweenness"],
                [(label, degree, f"{b:.3f}") for _, label, degree, b in stats.central])
    print()
    if stats.isolated:
        print(f"isolated concepts ({len(stats.isolated)}): " + ", ".join(stats.isolated))
    else:
        print("isolated concepts: none")
    return 0


EXPORT_FORMATS = ("svg", "png", "graphml", "gexf", "csv")


def cmd_export(args) -> int:
    from .pipeline import write_files
    from .validate import load_graph

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    out = Path(args.out)
    if args.format in ("svg", "png"):
        from .figure import to_figure

        files = {out.name: to_figure(graph, args.format, focus=args.focus, depth=args.depth,
                                     section=args.section, title=args.title)}
    else:
        from . import exports
        from .views import subset

        if args.title:
            raise ConceptGraphError(Problem("bad-option", None, None,
                                            f"--title is for figures; {args.format} has no title",
                                            "drop --title, or export svg or png"))
        # The part a figure would show, in the data formats too: a section's or a neighbourhood's rows.
        graph = subset(graph, focus=args.focus, depth=args.depth, section=args.section)
        if args.format == "csv":
            files = {out.name: exports.nodes_csv(graph).encode(),
                     out.stem + "-edges" + (out.suffix or ".csv"): exports.edges_csv(graph).encode()}
        else:
            render = {"graphml": exports.to_graphml, "gexf": exports.to_gexf}[args.format]
            files = {out.name: render(graph).encode()}
    for path in write_files(out.parent, files):
        print(f"wrote {path}")
    return 0


def cmd_html(args) -> int:
    from .pipeline import OUT_DIR, write_files
    from .storyboard import load_storyboards
    from .validate import load_graph
    from .viz import to_html

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    page = to_html(graph, focus=args.focus, depth=args.depth, section=args.section, title=args.title,
                   storyboards=load_storyboards(graph_dir, graph))
    if args.out == "-":
        sys.stdout.write(page)
        return 0
    if args.out:
        out = Path(args.out)
    elif args.focus is None and args.section is None:
        out = graph_dir / OUT_DIR / f"{graph.meta.id}.html"
    else:
        # A slide's page is named for what it shows; it is not one of the build's outputs.
        parts = [graph.meta.id]
        if args.section is not None:
            parts.append(f"section{args.section}")
        if args.focus is not None:
            parts.append(args.focus + (f"-depth{args.depth}" if args.depth not in (None, 1) else ""))
        out = Path("-".join(parts) + ".html")
    for path in write_files(out.parent, {out.name: page.encode("utf-8")}):
        print(f"wrote {path}")
    return 0


def cmd_slides(args) -> int:
    from .errors import display_path
    from .pipeline import write_files
    from .slides import to_deck
    from .storyboard import find_storyboard, load_storyboards
    from .validate import load_graph

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    board = find_storyboard(load_storyboards(graph_dir, graph), args.lecture, display_path(graph_dir))
    out = Path(args.out or f"{graph.meta.id}-{board.name}-slides.html")
    for path in write_files(out.parent, {out.name: to_deck(graph, board).encode("utf-8")}):
        print(f"wrote {path}: {len(board.steps)} steps and a title slide")
    return 0


def cmd_coverage(args) -> int:
    from .coverage import coverage
    from .validate import load_graph

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    graph = load_graph(graph_dir)
    rows = coverage(graph)
    print_table(["#", "section", "sentences", "grounded", "share"],
                [(r.number or "all", r.heading, r.sentences, r.grounded, f"{r.share:.0%}") for r in rows])
    whole = rows[-1]
    if whole.ungrounded:
        print()
        print(f"sentences that ground nothing ({len(whole.ungrounded)}):")
        for sentence in whole.ungrounded:
            print(f"  [{sentence.section}] {sentence.text}")
    if args.min is not None and whole.share < args.min:
        print(f"coverage {whole.share:.1%} is below {args.min:.0%}", file=sys.stderr)
        return 1
    return 0


def cmd_query(args) -> int:
    from .engines import Engine, open_engine
    from .library import library, load_query
    from .results import render, text_table

    if args.list:
        sys.stdout.write(text_table(["query", "parameters", "title"], [
            (q.name, " ".join(f"{p.name}={'(any)' if p.default is None else p.default}" for p in q.params), q.title)
            for q in library()]))
        return 0
    if not args.query:
        raise ConceptGraphError(Problem("missing-query", None, None, "no query given",
                                        "give a library name (see --list), a .rq file or the text of a query"))
    if args.graph and args.graph != "all" and not args.endpoint:
        raise ConceptGraphError(Problem("bad-option", None, None, "--graph IRI needs --endpoint",
                                        "the embedded engines query GRAPH_DIR itself, or with --graph all "
                                        "the combined graph of the graph folders under it"))
    if args.graph == "all" and args.endpoint:
        raise ConceptGraphError(Problem("bad-option", None, None, "--graph all is for the embedded engines",
                                        "with --endpoint, name one pushed graph's IRI, "
                                        "or none for the store's default graph"))
    query = load_query(args.query)
    params = parse_params(args.param)
    engine: Engine
    if args.endpoint:
        from .remote import EndpointEngine

        graph, base = _pushed_graph(args.graph_dir) if args.graph_dir or not args.graph else (None, None)
        engine = EndpointEngine(args.endpoint, args.graph or graph, args.timeout, base)
    elif args.graph == "all":
        engine = open_engine(_all_graphs(args.graph_dir), args.engine)
    else:
        (graph_dir,) = resolve_graph_dir(args.graph_dir)
        engine = open_engine(graph_dir, args.engine)
    prepared = engine.check(engine.bind(query, params), query.source)
    result = engine.query(prepared)
    sys.stdout.write(render(result, args.format, {**engine.prefixes, **prepared.prefixes}))
    return 0


def _all_graphs(value: str | None):
    """``--graph all``: the combined graph of the graph folders under GRAPH_DIR (./graph by default), or a .trig."""
    from .source import load_data, load_union

    path = Path(value or "graph")
    return load_data(path) if path.is_file() else load_union(path)


def _pushed_graph(graph_dir: str | None) -> tuple[str | None, str | None]:
    """The named graph ``push`` wrote for GRAPH_DIR (or the one graph folder here), and its base IRI.

    Without either, nothing: the query then reads the store's default graph.
    """
    from .store import graph_iri

    try:
        (folder,) = resolve_graph_dir(graph_dir)
    except ConceptGraphError as exc:
        if graph_dir is None and exc.codes == ["missing-file"]:
            return None, None
        raise
    iri = graph_iri(folder)
    return iri, iri


def parse_params(items: list[str]) -> dict[str, str]:

    values, problems = {}, []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            problems.append(Problem("bad-param", None, None, f"--param {item!r} is not NAME=VALUE",
                                    "e.g. --param concept=secure-base"))
        else:
            values[name.strip()] = value
    if problems:
        raise ConceptGraphError(problems)
    return values


def cmd_serve(args) -> int:
    from .server import make_server

    if args.graph == "all":
        source = _all_graphs(args.graph_dir)
        graph_dir = Path(args.graph_dir or "graph")
    else:
        (graph_dir,) = resolve_graph_dir(args.graph_dir)
        source = graph_dir
    server = make_server(source, args.host, args.port, args.engine, args.timeout, workers=args.workers,
                         max_rows=args.max_rows, max_bytes=args.max_bytes, max_memory=args.max_memory,
                         log=lambda line: print(line, file=sys.stderr))
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"note: listening on {args.host}: other machines can query this graph", file=sys.stderr)
    print(f"serving {graph_dir} at {server.url} (SPARQL endpoint {server.url}sparql); Ctrl-C stops", flush=True)
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # a service manager's stop also ends the query workers
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0


def cmd_push(args) -> int:
    from .store import push

    (graph_dir,) = resolve_graph_dir(args.graph_dir)
    result = push(graph_dir, args.store, args.graph, args.timeout)
    size = f"{result.triples} triples" if result.triples is not None else f"{result.bytes} bytes"
    print(f"pushed {graph_dir} to {result.store}: graph <{result.graph}> replaced by {size}")
    return 0


def print_table(headers, rows) -> None:
    from .results import text_table

    sys.stdout.write(text_table(headers, rows, empty=""))


# -- argument types: a bad number is refused where it is parsed (exit 2, never a traceback) ------
def number_type(kind: type, low: float, high: float | None = None, what: str = "number"):
    """An argparse ``type=``: a ``kind`` from ``low`` (excluded for a float) up to ``high``, finite."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}") from None
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}: give {low:g} to {high:g}")
        if not (value > low if kind is float else value >= low) or value in (float("inf"), float("-inf")):
            bound = f"greater than {low:g}" if kind is float else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"{text!r} must be a {what} {bound}")
        return value

    return parse


positive_number = number_type(float, 0)
positive_int = number_type(int, 1, what="whole number")
port_number = number_type(int, 0, 65535, "port")


if __name__ == "__main__":
    sys.exit(main())
