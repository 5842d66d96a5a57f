"""SPARQL for users: the query library, safe parameters, and running a query on an engine.

The library is a folder of ``.rq`` files (``graph/queries``), each plain SPARQL that any client
can run as it stands. Its first comment lines say what it asks, and each parameter is declared
twice on purpose: as a comment (``# param: concept = secure-base  what it is``) for people, and
as a ``VALUES ?concept { "secure-base" }`` block holding the default, so the file runs anywhere.
Binding a parameter replaces only the data of that block with one term written by
:func:`sparql_term`, typed like the default: user text never becomes query syntax.

Queries never name the graph's base IRI: concepts are found by ``skos:notation`` (their id) and
relation types by theirs, so one library serves every graph the tool builds.

Engines: ``rdflib`` (embedded, the default), ``oxigraph`` (embedded pyoxigraph, an optional
extra), or any SPARQL 1.1 endpoint by URL (the Protocol over :mod:`urllib`). Every query is first
parsed by rdflib's parser, whatever the engine, so a syntax error reads the same everywhere
(line, column, offending text), updates are refused before they reach a store, and the server
can refuse ``SERVICE`` from the parse tree rather than from a guess at the text.

>>> q = parse_query(QUERY_DOC, name="example")
>>> q.title, [p.name for p in q.params]
('Concepts with a label', ['label'])
>>> print(bind(q, {"label": 'a "quoted" label'}).splitlines()[-1])
SELECT ?c WHERE { VALUES ?label { "a \\"quoted\\" label" } ?c skos:prefLabel ?label }
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .errors import ConceptGraphError, Problem, did_you_mean, display_path
from .results import Result, Term, from_sparql_json, graph_result

QUERY_DIR = Path(__file__).resolve().parents[2] / "graph" / "queries"
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
USER_AGENT = "concept-graph"

# The shape of a library query, for the examples in this module's documentation.
QUERY_DOC = """\
# Concepts with a label
#
# param: label = trust  the label to look for
SELECT ?c WHERE { VALUES ?label { "trust" } ?c skos:prefLabel ?label }"""


# -- the library --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    """A parameter of a query: a variable bound by a one-row ``VALUES`` block.

    ``kind`` (``string``, ``integer`` or ``iri``) comes from the default in the block, and
    ``default`` is ``None`` when the block holds ``UNDEF`` (the parameter is then optional).
    """

    name: str
    kind: str
    default: str | None
    description: str


@dataclass(frozen=True)
class Query:
    """A query of the library, or one given as a file or a string, with what its comments say."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    source: str  # where it came from, for messages: a path, or "<query>"

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def info(self) -> dict:
        """What ``/queries`` and ``--list`` show: everything but the source path."""
        return {"name": self.name, "title": self.title, "description": self.description,
                "params": [{"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
                           for p in self.params],
                "query": self.text}


def library(folder: Path | str | None = None) -> list[Query]:
    """Every query of the library, sorted by name; raises with every malformed file at once."""
    folder = Path(folder) if folder is not None else QUERY_DIR
    if not folder.is_dir():
        raise ConceptGraphError(Problem("missing-file", display_path(folder), None, "query library not found",
                                        "run from a checkout of concept-graph, or give a .rq file"))
    queries, problems = [], []
    for path in sorted(folder.glob("*.rq")):
        try:
            queries.append(read_query(path))
        except ConceptGraphError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConceptGraphError(problems)
    return queries


def read_query(path: Path | str) -> Query:
    path = Path(path)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConceptGraphError(Problem("missing-file", shown, None, "query file not found")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConceptGraphError(Problem("unreadable-file", shown, None, f"cannot read the query: {exc}")) from None
    return parse_query(text, name=path.stem, source=shown)


def load_query(ref: str, folder: Path | str | None = None) -> Query:
    """A query from a library name, a ``.rq`` file, or the text of a query.

    A lower-case word with hyphens is a library name, and a misspelt one gets a did-you-mean.
    """
    ref_path = Path(ref) if "\n" not in ref and "\x00" not in ref and len(ref) < 4096 else None
    if ref_path is not None and (ref.endswith(".rq") or (ref_path.suffix and ref_path.is_file())):
        return read_query(ref_path)
    if ref_path is not None and ref_path.is_dir():
        raise ConceptGraphError(Problem("missing-query", None, None, f"{ref!r} is a folder, not a query",
                                        "the query comes first: concept-graph query NAME [GRAPH_DIR]"))
    if NAME_PATTERN.match(ref):
        queries = {q.name: q for q in library(folder)}
        if ref not in queries:
            hint = did_you_mean(ref, queries) or "list them with 'concept-graph query --list'"
            raise ConceptGraphError(Problem("unknown-query", None, None, f"no query named {ref!r} in the library", hint))
        return queries[ref]
    return parse_query(ref)


_PARAM_LINE = re.compile(r"^param:\s*([A-Za-z_]\w*)\s*=\s*(\S+)\s*(.*)$")


def parse_query(text: str, name: str = "<query>", source: str = "<query>") -> Query:
    """A query and the metadata in its leading comments: title, description, parameters."""
    header = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        header.append(stripped[1:].strip())
    title = header[0] if header else ""
    description, declared = [], []
    for line in header[1:]:
        match = _PARAM_LINE.match(line)
        if match:
            declared.append(match.groups())
        elif not declared:
            description.append(line)
    blocks = values_blocks(text)
    params, problems = [], []
    for pname, default, about in declared:
        if pname not in blocks:
            problems.append(Problem("param-without-values", source, None,
                                    f"parameter {pname!r} has no 'VALUES ?{pname} {{ default }}' block",
                                    "put its default in a one-row VALUES block, so the query runs as it stands"))
            continue
        start, end = blocks[pname]
        kind, value = _default_term(text[start:end])
        shown = "UNDEF" if value is None else value
        if kind is None or shown != default:
            problems.append(Problem("param-default-mismatch", source, text.count("\n", 0, start) + 1,
                                    f"parameter {pname!r}: the comment says {default!r}, VALUES holds {text[start:end].strip()!r}",
                                    "keep the comment and the VALUES default the same single term"))
            continue
        params.append(Param(pname, kind, value, about.strip()))
    if problems:
        raise ConceptGraphError(problems)
    return Query(name, title, " ".join(" ".join(description).split()), tuple(params), text, source)


def _default_term(data: str) -> tuple[str | None, str | None]:
    data = data.strip()
    if data == "UNDEF":
        return "string", None
    if re.fullmatch(r'"(?:[^"\\\n]|\\.)*"', data):
        return "string", re.sub(r"\\(.)", r"\1", data[1:-1])
    if re.fullmatch(r"[+-]?\d+", data):
        return "integer", data
    if re.fullmatch(r"<[^<>\"{}|^`\\\x00-\x20]*>", data):
        return "iri", data[1:-1]
    return None, None


# -- reading SPARQL text without parsing it -----------------------------------------------------
_LEXEMES = re.compile(r'''
    (?P<long>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n]*)
''', re.VERBOSE | re.DOTALL)


def mask(text: str) -> str:
    """The text with the insides of comments, strings and IRIs blanked, offsets kept.

    Keywords and ``VALUES`` blocks can then be found with a regular expression without being
    fooled by a ``#`` in an IRI or a brace in a string.

    >>> mask('SELECT * { ?s ?p "a { b" } # VALUES')
    'SELECT * { ?s ?p "     " }         '
    """
    def blank(m: re.Match) -> str:
        s = m.group(0)
        inner = re.sub(r"[^\n]", " ", s)
        return inner if m.lastgroup == "comment" else s[0] + inner[1:-1] + s[-1]

    return _LEXEMES.sub(blank, text)


_VALUES_ONE = re.compile(r"\bVALUES\s+[?$]([A-Za-z_]\w*)\s*\{([^{}]*)\}", re.IGNORECASE)
_VALUES_ROW = re.compile(r"\bVALUES\s*\(([^()]*)\)\s*\{\s*\(([^()]*)\)\s*\}", re.IGNORECASE)
_DATA_TERM = re.compile(r'"[^"]*"|<[^<>]*>|[^\s()]+')  # on masked text: strings and IRIs are blank inside


def values_blocks(text: str) -> dict[str, tuple[int, int]]:
    """Where each parameter's term is: variable -> span of its one term in a VALUES block.

    Two shapes hold parameters: ``VALUES ?x { term }`` and the single row
    ``VALUES (?x ?y) { (term term) }``. A query with several parameters uses the second, because
    rdflib evaluates a pattern joined with one VALUES block with the values already bound, but
    a pattern joined with several blocks without them, which is much slower.
    """
    masked = mask(text)
    blocks: dict[str, tuple[int, int]] = {}
    for m in _VALUES_ONE.finditer(masked):
        terms = list(_DATA_TERM.finditer(masked, m.start(2), m.end(2)))
        if len(terms) == 1:
            blocks.setdefault(m.group(1), terms[0].span())
    for m in _VALUES_ROW.finditer(masked):
        names = re.findall(r"[?$]([A-Za-z_]\w*)", m.group(1))
        terms = list(_DATA_TERM.finditer(masked, m.start(2), m.end(2)))
        if len(names) == len(terms):
            for name, term in zip(names, terms):
                blocks.setdefault(name, term.span())
    return blocks


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a query declares with PREFIX, as a dict of prefix -> namespace IRI."""
    masked = mask(text)
    return {m.group(1) or "": text[m.start(2) + 1:m.end(2) - 1]
            for m in re.finditer(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*(<[^>]*>)", masked, re.IGNORECASE)}


def first_keyword(text: str) -> str:
    """The first keyword after the prologue: SELECT, ASK, INSERT, ..."""
    masked = re.sub(r"\b(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", " ", mask(text), flags=re.IGNORECASE)
    m = re.search(r"[A-Za-z]+", masked)
    return m.group(0).upper() if m else ""


# -- binding parameters -------------------------------------------------------------------------
def sparql_term(value: str, kind: str = "string") -> str:
    r"""A value as one SPARQL term of the given kind; raises if it is not one.

    Strings are escaped so that no value can end the literal. SPARQL processors expand
    ``\uXXXX`` anywhere in a query before parsing, so a ``u`` after a backslash is itself
    written as an escape, ``\U00000075``: the value comes back exactly as given.

    >>> sparql_term('say "hi"\n')
    '"say \\"hi\\"\\n"'
    >>> sparql_term("12", "integer"), sparql_term("https://example.org/a", "iri")
    ('12', '<https://example.org/a>')
    """
    if kind == "integer":
        if not re.fullmatch(r"\s*[+-]?\d+\s*", value):
            raise ValueError(f"{value!r} is not a whole number")
        return str(int(value))
    if kind == "iri":
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*", value):
            raise ValueError(f"{value!r} is not an absolute IRI")
        return f"<{value}>"
    out = []
    for i, ch in enumerate(value):
        if ch == "\\":
            out.append("\\\\")
        elif ch in "uU" and i and value[i - 1] == "\\":
            out.append(f"\\U{ord(ch):08X}")  # not \uXXXX: rdflib reads up to 8 hex digits after \u
        else:
            out.append({'"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, ch))
    return '"' + "".join(out) + '"'


def bind(query: Query, values: Mapping[str, str] | None = None) -> str:
    """The query's text with parameters bound: each one's VALUES data replaced by one term."""
    text = query.text
    values = dict(values or {})
    names = [p.name for p in query.params]
    problems = []
    for name in values:
        if name not in names:
            hint = did_you_mean(name, names) if names else "this query takes no parameters"
            which = "the query" if query.name.startswith("<") else f"query {query.name!r}"
            problems.append(Problem("unknown-param", query.source, None, f"{which} has no parameter {name!r}", hint))
    replacements = []
    blocks = values_blocks(text)
    for param in query.params:
        if param.name not in values:
            continue
        try:
            term = sparql_term(values[param.name], param.kind)
        except ValueError as exc:
            problems.append(Problem("bad-param", query.source, None, f"parameter {param.name!r}: {exc}",
                                    f"give {'an ' if param.kind == 'integer' else 'a '}{param.kind}, e.g. "
                                    f"{param.default or ('3' if param.kind == 'integer' else 'x')!r}"))
            continue
        replacements.append((blocks[param.name], term))
    if problems:
        raise ConceptGraphError(problems)
    for (start, end), data in sorted(replacements, reverse=True):
        text = text[:start] + data + text[end:]
    return text


# -- checking a query ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    """A query that parsed: the text an engine runs, its form, and rdflib's algebra of it."""

    text: str
    form: str  # select, ask, construct or describe
    source: str
    algebra: object = field(repr=False, compare=False)
    prefixes: dict = field(default_factory=dict, compare=False)


_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}


def prepare(text: str, source: str = "<query>", prefixes: Mapping[str, str] | None = None,
            read_only: bool = False) -> Prepared:
    """Parse a query as rdflib does, or raise a problem a user can act on.

    ``prefixes`` that the query uses without declaring are declared for it (the project's
    vocabularies and the graph's own, like ``concept:``). ``read_only`` is the server's mode: a
    query that would make it fetch other URLs (``SERVICE``, ``FROM``) is refused.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    keyword = first_keyword(text)
    if keyword in UPDATE_KEYWORDS:
        raise ConceptGraphError(Problem(
            "update-refused", source, None, f"{keyword} is a SPARQL update, and updates are refused: the graph is read-only",
            "the graph is built from the spec: change the spec and rebuild"))
    declared = declared_prefixes(text)
    extra = {p: ns for p, ns in (prefixes or {}).items() if p not in declared}
    prologue = "".join(f"PREFIX {p}: <{ns}> " for p, ns in sorted(extra.items()))
    full = prologue + "\n" + text if prologue else text
    shift = 1 if prologue else 0
    try:
        parsed = parseQuery(full)
    except ParseException as exc:
        raise ConceptGraphError(_syntax_problem(text, source, exc.lineno - shift, exc.col)) from None
    except RecursionError:
        raise ConceptGraphError(Problem("sparql-too-deep", source, None, "the query is nested too deeply to parse",
                                        "simplify the query")) from None
    if read_only:
        _refuse_fetching(parsed, source)
    try:
        algebra = translateQuery(parsed)
    except Exception as exc:  # rdflib raises bare Exceptions here, e.g. for an unknown prefix
        raise ConceptGraphError(_translate_problem(text, source, exc, {**declared, **extra})) from None
    return Prepared(full, _FORMS.get(algebra.algebra.name, "select"), source, algebra, {**extra, **declared})


def _syntax_problem(text: str, source: str, line: int, col: int) -> Problem:
    lines = text.splitlines() or [""]
    if line < 1 or line > len(lines):
        line, col = len(lines), len(lines[-1]) + 1
    line_text = lines[line - 1]
    near = line_text[col - 1:].strip()
    near = (near[:30] + "...") if len(near) > 30 else near
    where = f"near {near!r}" if near else "at the end of the line"
    hint = (f"the line reads {line_text.strip()!r}" if near != line_text.strip() else
            "check this line and the one before it: a missing '.', ';' or '}', or a misspelt keyword")
    return Problem("sparql-syntax", source, line, f"SPARQL syntax error at line {line}, column {col}, {where}", hint)


def _translate_problem(text: str, source: str, exc: Exception, known: dict) -> Problem:
    message = str(exc)
    match = re.match(r"Unknown namespace prefix\s*:\s*(\S*)", message)
    if match:
        prefix = match.group(1)
        used = re.search(rf"(?<![\w?$:]){re.escape(prefix)}:", mask(text))
        line = text.count("\n", 0, used.start()) + 1 if used else None
        hint = did_you_mean(prefix, known) if known else None
        hint = (f"{hint[:-1]}, or declare it" if hint and hint.startswith("did you") else "declare it") + \
            f" with 'PREFIX {prefix}: <...>'"
        return Problem("unknown-prefix", source, line, f"unknown prefix '{prefix}:'", hint)
    return Problem("sparql-invalid", source, None, f"invalid query: {message}")


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _refuse_fetching(parsed, source: str) -> None:
    for node in _walk(parsed):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise ConceptGraphError(Problem(
                "service-refused", source, None, "SERVICE is refused: this endpoint never fetches other URLs",
                "run federated queries from your own machine, e.g. with 'concept-graph query'"))
        if name == "DatasetClause":
            raise ConceptGraphError(Problem(
                "dataset-refused", source, None, "FROM and FROM NAMED are refused: this endpoint serves one graph and never fetches others",
                "drop the FROM clauses; the query runs on the graph served here"))


# -- the graph as data --------------------------------------------------------------------------
@dataclass(frozen=True)
class GraphData:
    """The RDF of one graph as bytes in one format, and the prefixes it binds."""

    data: bytes
    format: str  # rdflib's name: turtle, nt or json-ld
    name: str  # for messages
    prefixes: dict = field(default_factory=dict)
    graph_dir: Path | None = None
    graph_id: str | None = None
    base: str | None = None

    @property
    def media_type(self) -> str:
        return {"turtle": "text/turtle", "nt": "application/n-triples", "json-ld": "application/ld+json"}[self.format]


def load_data(source: Path | str) -> GraphData:
    """The graph of a graph folder, built in memory from its spec, or of an RDF file.

    A folder is always built from its spec, never read from ``out/``: a built file can be older
    than the spec it came from (an edit since the last build, or a checkout that reset its
    time), and a query must not answer from a stale build. To query a built file, name it
    (``.ttl``, ``.nt`` or ``.jsonld``).
    """
    from .rdf import format_for

    path = Path(source)
    if path.is_file():
        fmt = format_for(path)
        data = path.read_bytes()
        prefixes = _turtle_prefixes(data) if fmt == "turtle" else {}
        return GraphData(data, fmt, display_path(path), prefixes, base=_base_from(prefixes))
    from .rdf import Iris, to_rdf
    from .validate import load_graph
    from .vocab import PREFIXES

    graph = load_graph(path)
    data = to_rdf(graph).serialize(format="nt", encoding="utf-8")
    prefixes = {p: str(ns) for p, ns in {**PREFIXES, **Iris(graph.meta.base).ns}.items()}
    return GraphData(data, "nt", display_path(path), prefixes, path, graph.meta.id, graph.meta.base)


def _turtle_prefixes(data: bytes) -> dict[str, str]:
    head = data[:20000].decode("utf-8", "replace")
    return {m.group(1): m.group(2) for m in re.finditer(r"(?m)^@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.", head)}


def _base_from(prefixes: dict[str, str]) -> str | None:
    concept = prefixes.get("concept", "")
    return concept[: -len("concept/")] if concept.endswith("concept/") else None


def standard_prefixes() -> dict[str, str]:
    from .vocab import PREFIXES

    return {p: str(ns) for p, ns in PREFIXES.items()}


# -- engines ------------------------------------------------------------------------------------
class Engine:
    """Runs prepared queries. ``prefixes`` are declared for queries that use them undeclared."""

    name = "engine"
    prefixes: dict = {}

    def query(self, prepared: Prepared) -> Result:
        raise NotImplementedError

    def run(self, query: Query | str, params: Mapping[str, str] | None = None, read_only: bool = False) -> Result:
        """Load (if a name, file or text), bind, check and run a query."""
        q = load_query(query) if isinstance(query, str) else query
        return self.query(prepare(bind(q, params), q.source, self.prefixes, read_only))


class RdflibEngine(Engine):
    """rdflib's SPARQL engine over the graph held in memory: nothing to install or start."""

    name = "rdflib"

    def __init__(self, data: GraphData):
        from rdflib import Graph

        self.graph = Graph()
        self.graph.parse(data=data.data, format=data.format)
        self.prefixes = {**standard_prefixes(), **data.prefixes}

    def query(self, prepared: Prepared) -> Result:
        try:
            _plan(prepared.algebra.algebra)
            answer = self.graph.query(prepared.algebra)
            if answer.type == "ASK":
                return Result((), (), boolean=bool(answer.askAnswer), kind="ask")
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                return graph_result(tuple(_from_rdflib(t) for t in triple) for triple in answer.graph)
            variables = tuple(str(v) for v in answer.vars)
            return Result(variables, tuple(tuple(_from_rdflib(t) for t in row) for row in answer))
        except ConceptGraphError:
            raise
        except Exception as exc:  # rdflib reports evaluation errors with many exception types
            raise ConceptGraphError(Problem("query-failed", prepared.source, None,
                                            f"the query failed on rdflib: {type(exc).__name__}: {exc}")) from None


_PLANNED = "concept-graph-planned-bgp"


def _plan(algebra) -> None:
    """Let the triple patterns of each basic graph pattern be ordered when it is evaluated.

    rdflib orders a basic graph pattern by how many of its terms are unbound when evaluation
    reaches it, once, all at the start: every pattern with one unbound term comes first, even
    ``?x a oa:TextQuoteSelector``, which enumerates a whole class, before a pattern that the first
    ones would have bound. The library's queries, whose parameters arrive in VALUES blocks, then
    take minutes on the article graph. Renamed BGP nodes are evaluated by :func:`_eval_planned`,
    which orders greedily: next the pattern with the fewest unbound variables, preferring one
    whose bound term selects few triples. The order of the patterns of a basic graph pattern
    never changes its answer, only its cost.
    """
    from rdflib.plugins.sparql import CUSTOM_EVALS
    from rdflib.plugins.sparql.parserutils import CompValue

    CUSTOM_EVALS.setdefault(_PLANNED, _eval_planned)
    for node in _walk(algebra):
        if isinstance(node, CompValue) and node.name == "BGP" and len(node.get("triples") or ()) > 1:
            node.name = _PLANNED


def _eval_planned(ctx, part):
    """rdflib custom evaluation hook: handles only our renamed BGP nodes, nothing else."""
    from rdflib import Variable
    from rdflib.plugins.sparql.evaluate import evalBGP

    if getattr(part, "name", None) != _PLANNED:
        raise NotImplementedError()
    known = frozenset(t for triple in part.triples for t in triple if isinstance(t, Variable) and ctx[t] is not None)
    return evalBGP(ctx, _order_triples(part.triples, known))


def _order_triples(triples, known: frozenset) -> list:
    """Greedy order: fewest unbound variables first, then the pattern that selects fewest triples."""
    from rdflib import Variable
    from rdflib.namespace import RDF
    from rdflib.paths import Path as PropertyPath

    bound = set(known)
    remaining = list(triples)
    ordered = []

    def is_free(term) -> bool:
        return isinstance(term, Variable) and term not in bound

    def cost(triple):
        s, p, o = triple
        if not is_free(s):
            rank = 0  # the out-links of one node
        elif is_free(o):
            rank = 4  # a whole predicate
        elif p == RDF.type and not isinstance(o, Variable):
            rank = 3  # a whole class
        elif isinstance(p, PropertyPath):
            rank = 2  # a path walked backwards from a value: its first step may fan out
        else:
            rank = 1  # the in-links of one node or value
        return len({t for t in triple if is_free(t)}), rank

    while remaining:
        best = min(range(len(remaining)), key=lambda i: (cost(remaining[i]), i))
        triple = remaining.pop(best)
        ordered.append(triple)
        bound.update(t for t in triple if isinstance(t, Variable))
    return ordered


def _from_rdflib(t) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return Term.uri(str(t))
    if isinstance(t, BNode):
        return Term.bnode(str(t))
    if isinstance(t, Literal):
        return Term.literal(str(t), str(t.datatype) if t.datatype else None, t.language)
    raise TypeError(f"not an RDF term: {t!r}")


class OxigraphEngine(Engine):
    """Oxigraph, a SPARQL engine in Rust, embedded through pyoxigraph: for larger graphs."""

    name = "oxigraph"

    def __init__(self, data: GraphData):
        ox = _pyoxigraph()
        formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}
        self.store = ox.Store()
        self.store.bulk_load(data.data, formats[data.format])
        self.prefixes = {**standard_prefixes(), **data.prefixes}

    def query(self, prepared: Prepared) -> Result:
        ox = _pyoxigraph()
        try:
            answer = self.store.query(prepared.text)
            if isinstance(answer, ox.QueryBoolean):
                return Result((), (), boolean=bool(answer), kind="ask")
            if isinstance(answer, ox.QueryTriples):
                return graph_result((_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                                    for t in answer)
            variables = tuple(v.value for v in answer.variables)
            return Result(variables, tuple(tuple(_from_oxigraph(s[v]) for v in variables) for s in answer))
        except (SyntaxError, OSError, ValueError, TypeError) as exc:
            raise ConceptGraphError(Problem("query-failed", prepared.source, None,
                                            f"the query failed on oxigraph: {exc}")) from None


def _pyoxigraph():
    try:
        import pyoxigraph
    except ImportError:
        raise ConceptGraphError(Problem("missing-dependency", None, None, "the oxigraph engine needs pyoxigraph",
                                        "pip install 'concept-graph[oxigraph]'")) from None
    return pyoxigraph


def _from_oxigraph(t) -> Term | None:
    if t is None:
        return None
    kind = type(t).__name__
    if kind == "NamedNode":
        return Term.uri(t.value)
    if kind == "BlankNode":
        return Term.bnode(t.value)
    if kind == "Literal":
        return Term.literal(t.value, t.datatype.value if t.datatype else None, t.language)
    raise TypeError(f"not an RDF term: {t!r}")


class EndpointEngine(Engine):
    """Any SPARQL 1.1 endpoint, through the Protocol: a form-encoded POST, JSON results.

    ``default_graph`` is sent as ``default-graph-uri``, so the queries read one named graph of a
    store (the one ``concept-graph push`` wrote) whatever the store's default graph holds.
    """

    name = "endpoint"

    def __init__(self, url: str, default_graph: str | None = None, timeout: float = 60.0):
        check_url(url, "endpoint")
        self.url, self.default_graph, self.timeout = url, default_graph, timeout
        self.prefixes = standard_prefixes()

    def query(self, prepared: Prepared) -> Result:
        from urllib.parse import urlencode

        fields = {"query": prepared.text}
        if self.default_graph:
            fields["default-graph-uri"] = self.default_graph
        graph = prepared.form in ("construct", "describe")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        body = http_request(self.url, "POST", urlencode(fields).encode("utf-8"),
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                            self.timeout, what="the SPARQL endpoint")
        try:
            if graph:
                from rdflib import Graph

                g = Graph().parse(data=body, format="nt")
                return graph_result(tuple(_from_rdflib(t) for t in triple) for triple in g)
            return from_sparql_json(json.loads(body))
        except Exception as exc:
            raise ConceptGraphError(Problem("endpoint-error", self.url, None,
                                            f"the endpoint's answer is not valid SPARQL results: {exc}")) from None


def check_url(url: str, what: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConceptGraphError(Problem(f"bad-{what}-url", None, None, f"{what} URL {url!r} is not an http(s) URL",
                                        "e.g. http://127.0.0.1:7878/query"))


def http_request(url: str, method: str, body: bytes | None, headers: dict, timeout: float, what: str) -> bytes:
    """One HTTP request with the standard library; every failure becomes a problem that says why."""
    import socket
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    request = Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is checked to be http(s)
            return response.read()
    except HTTPError as exc:
        detail = " ".join(exc.read(2000).decode("utf-8", "replace").split())[:300]
        raise ConceptGraphError(Problem(f"{what.split()[-1]}-refused", url, None,
                                        f"{what} answered HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""))) from None
    except (URLError, socket.timeout, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConceptGraphError(Problem(f"{what.split()[-1]}-unreachable", url, None, f"cannot reach {what}: {reason}",
                                        "check the URL and that the server is running")) from None


# Engines by name, as the CLI's --engine offers them.
ENGINES = {"rdflib": RdflibEngine, "oxigraph": OxigraphEngine}


def open_engine(source: Path | str | GraphData | None = None, engine: str = "rdflib", endpoint: str | None = None,
                default_graph: str | None = None) -> Engine:
    """An engine over a graph folder or RDF file, or a remote endpoint when ``endpoint`` is given."""
    if endpoint:
        return EndpointEngine(endpoint, default_graph)
    try:
        kind = ENGINES[engine]
    except KeyError:
        raise ConceptGraphError(Problem("unknown-engine", None, None, f"unknown engine {engine!r}",
                                        did_you_mean(engine, ENGINES))) from None
    data = source if isinstance(source, GraphData) else load_data(source)
    return kind(data)


def run(query: Query | str, source: Path | str | GraphData | None = None, params: Mapping[str, str] | None = None,
        engine: str = "rdflib", endpoint: str | None = None, default_graph: str | None = None) -> Result:
    """Run a library query (by name), a ``.rq`` file or a query string on a graph or endpoint.

    The function a notebook calls; the CLI calls the same pieces. To run many queries on one
    graph, open the engine once with :func:`open_engine` and call its ``run``.
    """
    return open_engine(source, engine, endpoint, default_graph).run(query, params)
