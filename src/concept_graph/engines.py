"""Running SPARQL: check a query, then run it on an embedded engine, with rdflib's planner fixed.

Engines: ``oxigraph`` (embedded pyoxigraph, the default when it is installed), ``rdflib``
(embedded, nothing to install), or any SPARQL 1.1 endpoint by URL (:mod:`concept_graph.remote`).
Every query is first parsed by rdflib's parser, whatever the engine, so a syntax error reads the
same everywhere (line, column, offending text), updates are refused before they reach a store,
and the server can refuse ``SERVICE`` and ``FROM`` from the parse tree rather than from a guess
at the text. An engine keeps the queries it checked by their text, so a query sent again (the
page, the panel and the library send the same texts over and over) is not parsed again.

Both embedded engines hold one graph as the default graph of a dataset with no named graphs, so
``GRAPH ?g { ... }`` finds nothing on either, as on a store that keeps the graph apart. Several
articles (TriG, :mod:`concept_graph.combine`) keep their named graphs, and a query's default
graph is their union: the library's queries run unchanged, and ``GRAPH ?g`` tells the article.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ConceptGraphError, Problem, clip, did_you_mean
from .library import NAMES_QUERY, Names, Query, bind, declared_prefixes, first_keyword, load_query, mask, resolve
from .results import Result, Term, graph_result
from .source import GraphData, load_data, standard_prefixes

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
PREPARED_CACHE = 256  # distinct query texts an engine keeps checked


# -- checking a query ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    """A query that parsed: the text an engine runs, its form, and rdflib's algebra of it."""

    text: str
    form: str  # select, ask, construct or describe
    source: str
    algebra: Any = field(repr=False, compare=False)  # rdflib's Query, for the rdflib engine
    prefixes: dict = field(default_factory=dict, compare=False)
    original: str = field(default="", repr=False, compare=False)  # the text as given, before the prologue


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
            "update-refused", source, None,
            f"{keyword} is a SPARQL update, and updates are refused: the graph is read-only",
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
    except RecursionError:
        raise ConceptGraphError(Problem("sparql-too-deep", source, None, "the query is nested too deeply to parse",
                                        "simplify the query")) from None
    except Exception as exc:  # rdflib raises bare Exceptions here, e.g. for an unknown prefix
        raise ConceptGraphError(_translate_problem(text, source, exc, {**declared, **extra})) from None
    return Prepared(full, _FORMS.get(algebra.algebra.name, "select"), source, algebra, {**extra, **declared})


def _syntax_problem(text: str, source: str, line: int, col: int) -> Problem:
    lines = text.splitlines() or [""]
    if line < 1 or line > len(lines):
        line, col = len(lines), len(lines[-1]) + 1
    line_text = lines[line - 1]
    near = clip(line_text[col - 1:].strip(), 30)
    where = f"near {near!r}" if near else "at the end of the line"
    hint = (f"the line reads {clip(line_text.strip(), 200)!r}" if near != line_text.strip() else
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
    return Problem("sparql-invalid", source, None, f"invalid query: {clip(message, 300)}")


def walk(node):
    """Every node of a parse tree or algebra, depth first."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _refuse_fetching(parsed, source: str) -> None:
    for node in walk(parsed):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise ConceptGraphError(Problem(
                "service-refused", source, None, "SERVICE is refused: this endpoint never fetches other URLs",
                "run federated queries from your own machine, e.g. with 'concept-graph query'"))
        if name == "DatasetClause":
            raise ConceptGraphError(Problem(
                "dataset-refused", source, None,
                "FROM and FROM NAMED are refused: this endpoint serves one graph and never fetches others",
                "drop the FROM clauses; the query runs on the graph served here"))


# -- engines ------------------------------------------------------------------------------------
class Engine:
    """Runs prepared queries. ``prefixes`` are declared for queries that use them undeclared."""

    name = "engine"
    prefixes: dict = {}

    def __init__(self) -> None:
        self._prepared: OrderedDict[tuple[str, bool], Prepared] = OrderedDict()
        self._names: Names | None = None

    def query(self, prepared: Prepared) -> Result:
        raise NotImplementedError

    def check(self, text: str, source: str = "<query>", read_only: bool = False) -> Prepared:
        """:func:`prepare` with this engine's prefixes, kept by text: the same text is parsed once."""
        key = (text, read_only)
        found = self._prepared.get(key)
        if found is not None:
            self._prepared.move_to_end(key)
            return found if found.source == source else Prepared(found.text, found.form, source, found.algebra,
                                                                 found.prefixes)
        prepared = prepare(text, source, self.prefixes, read_only)
        self._prepared[key] = prepared
        if len(self._prepared) > PREPARED_CACHE:
            self._prepared.popitem(last=False)
        return prepared

    def names(self) -> Names:
        """Every id the graph has and what it is called, asked once."""
        if self._names is None:
            result = self.query(self.check(NAMES_QUERY, "names"))
            self._names = Names.from_records(result.records())
        return self._names

    def bind(self, query: Query, params: Mapping[str, str] | None = None) -> str:
        """The query's text with its parameters resolved (labels, synonyms) and bound."""
        params = dict(params or {})
        if any(p.refers_to and p.name in params for p in query.params):
            bind(query, params)  # misspelt parameter names and bad numbers first, before asking the graph
            params = resolve(query, params, self.names())
        return bind(query, params)

    def run(self, query: Query | str, params: Mapping[str, str] | None = None, read_only: bool = False) -> Result:
        """Load (if a name, file or text), resolve and bind the parameters, check and run a query."""
        q = load_query(query) if isinstance(query, str) else query
        return self.query(self.check(self.bind(q, params), q.source, read_only))


class RdflibEngine(Engine):
    """rdflib's SPARQL engine over the graph held in memory: nothing to install or start."""

    name = "rdflib"

    def __init__(self, data: GraphData):
        from rdflib import Dataset

        super().__init__()
        self.dataset = Dataset(default_union=data.is_dataset)
        self.dataset.parse(data=data.data, format=data.format)
        self.graph = self.dataset.default_graph
        self.prefixes = {**standard_prefixes(), **data.prefixes}

    def check(self, text: str, source: str = "<query>", read_only: bool = False) -> Prepared:
        prepared = super().check(text, source, read_only)
        _plan(prepared.algebra.algebra)  # in place, once: planning a planned algebra changes nothing
        return prepared

    def query(self, prepared: Prepared) -> Result:
        try:
            answer: Any = self.dataset.query(prepared.algebra)
            if answer.type == "ASK":
                return Result((), (), boolean=bool(answer.askAnswer), kind="ask")
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                return graph_result(tuple(_from_rdflib(t) for t in triple) for triple in answer.graph)
            variables = tuple(str(v) for v in answer.vars)
            return Result(variables, tuple(tuple(_from_rdflib(t) for t in row) for row in answer))
        except ConceptGraphError:
            raise
        except MemoryError:
            raise
        except Exception as exc:  # rdflib reports evaluation errors with many exception types
            raise ConceptGraphError(Problem(
                "query-failed", prepared.source, None,
                f"the query failed on rdflib: {type(exc).__name__}: {clip(str(exc), 300)}")) from None


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
    for node in walk(algebra):
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
    """Oxigraph, a SPARQL engine in Rust, embedded through pyoxigraph: 15 times faster than rdflib."""

    name = "oxigraph"

    def __init__(self, data: GraphData):
        super().__init__()
        ox = _pyoxigraph()
        formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
                   "trig": ox.RdfFormat.TRIG}
        self.store = ox.Store()
        self.store.bulk_load(data.data, formats[data.format])
        self.union = data.is_dataset
        self.prefixes = {**standard_prefixes(), **data.prefixes}

    def check(self, text: str, source: str = "<query>", read_only: bool = False) -> Prepared:
        """Outside the server, a query goes to Oxigraph's own parser, not rdflib's first.

        rdflib's parser costs 15-85 ms a query, more than Oxigraph takes to run most of them. The
        server (``read_only``) still parses with rdflib, to refuse SERVICE and FROM from the parse
        tree; here an update is refused by its keyword, and a query Oxigraph cannot parse is
        parsed by rdflib after all (:meth:`query`), so its error reads as on every engine.
        """
        if read_only or first_keyword(text) in UPDATE_KEYWORDS:
            return super().check(text, source, read_only)
        declared = declared_prefixes(text)
        extra = {p: ns for p, ns in self.prefixes.items() if p not in declared}
        prologue = "".join(f"PREFIX {p}: <{ns}> " for p, ns in sorted(extra.items()))
        form = first_keyword(text).lower()
        return Prepared(prologue + "\n" + text if prologue else text,
                        form if form in ("ask", "construct", "describe") else "select", source, None,
                        {**extra, **declared}, text)

    def query(self, prepared: Prepared) -> Result:
        ox = _pyoxigraph()
        try:
            try:
                answer = self.store.query(prepared.text, use_default_graph_as_union=self.union)
            except SyntaxError:
                if prepared.algebra is None:  # not parsed by rdflib yet: its message says where and why
                    prepare(prepared.original or prepared.text, prepared.source, self.prefixes)
                raise
            if isinstance(answer, ox.QueryBoolean):
                return Result((), (), boolean=bool(answer), kind="ask")
            if isinstance(answer, ox.QueryTriples):
                return graph_result((_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                                    for t in answer)
            variables = tuple(v.value for v in answer.variables)
            return Result(variables, tuple(tuple(_from_oxigraph(s[v]) for v in variables) for s in answer))
        except (SyntaxError, OSError, ValueError, TypeError) as exc:
            raise ConceptGraphError(Problem("query-failed", prepared.source, None,
                                            f"the query failed on oxigraph: {clip(str(exc), 300)}")) from None


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


# Engines by name, as the CLI's --engine offers them.
ENGINES = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}


def default_engine() -> str:
    """``oxigraph`` when pyoxigraph is installed (much faster), else ``rdflib``."""
    from importlib.util import find_spec

    return "oxigraph" if find_spec("pyoxigraph") is not None else "rdflib"


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ConceptGraphError(Problem("unknown-engine", None, None, f"unknown engine {engine!r}",
                                        did_you_mean(engine, ENGINES)))
    return engine


def open_engine(source=None, engine: str | None = None, endpoint: str | None = None,
                default_graph: str | None = None) -> Engine:
    """An engine over a graph folder, an RDF file or :class:`GraphData`, or a remote endpoint.

    With ``endpoint``, ``source`` (a graph folder or file) only names the graph to query there.
    """
    if endpoint:
        from .remote import EndpointEngine

        return EndpointEngine(endpoint, default_graph)
    kind = ENGINES[check_engine(engine or default_engine())]
    data = source if isinstance(source, GraphData) else load_data(source)
    return kind(data)
