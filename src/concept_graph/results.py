"""Query results as plain data, and the formats they are written in.

Every engine (rdflib, pyoxigraph, a remote SPARQL endpoint) hands back its own kind of term, so
results are converted at once into :class:`Term` and :class:`Result`, which mirror the W3C
SPARQL 1.1 Query Results JSON format: the same answer from two engines is then the same value,
and every output format is written from one place. Terms are normalized as RDF 1.1 says: a
simple literal and an ``xsd:string`` literal are the same term, and language tags are compared
in lower case.

>>> r = Result(("concept", "n"), ((Term.literal("trust"), Term.literal("3", XSD_INTEGER)),))
>>> print(render(r, "table"), end="")
concept  n
-------  -
trust    3
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .errors import ConceptGraphError, Problem, did_you_mean

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short",
                              "nonNegativeInteger", "positiveInteger")}
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass(frozen=True)
class Term:
    """An RDF term as a SPARQL result binding: ``kind`` is ``uri``, ``literal`` or ``bnode``."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def uri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def bnode(cls, value: str) -> Term:
        return cls("bnode", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        """A literal, normalized: no datatype for plain strings, lower-case language tags."""
        if lang:
            return cls("literal", value, None, lang.lower())
        if datatype in (XSD_STRING, RDF_LANGSTRING):
            datatype = None
        return cls("literal", value, datatype or None, None)

    def __str__(self) -> str:
        return self.value

    def n3(self) -> str:
        """The term in N-Triples syntax, as TSV results and N-Triples graphs write it."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + _escape_string(self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype:
            return f"{text}^^<{self.datatype}>"
        return text

    def json(self) -> dict:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out


Row = tuple  # of Term | None, one per variable


@dataclass(frozen=True)
class Result:
    """The answer to a query.

    ``kind`` is ``select`` (``variables`` and ``rows``), ``ask`` (``boolean``) or ``graph`` for
    CONSTRUCT and DESCRIBE, whose triples are rows of subject, predicate and object.
    """

    variables: tuple[str, ...]
    rows: tuple[Row, ...]
    boolean: bool | None = None
    kind: str = "select"

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, variable: str) -> list[str | None]:
        """One column as plain strings (``None`` where unbound)."""
        i = self.variables.index(variable)
        return [None if row[i] is None else row[i].value for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Each row as a dict of the bound variables' plain values: handy in a notebook."""
        return [{v: t.value for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]


GRAPH_VARIABLES = ("subject", "predicate", "object")


def graph_result(triples) -> Result:
    """A CONSTRUCT or DESCRIBE answer: its triples, sorted so output is deterministic."""
    rows = sorted(set(triples), key=lambda t: tuple(x.n3() for x in t))
    return Result(GRAPH_VARIABLES, tuple(rows), kind="graph")


def _escape_string(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


# -- reading results --------------------------------------------------------------------------
def from_sparql_json(data: dict) -> Result:
    """A result from the W3C SPARQL 1.1 Query Results JSON format (what endpoints return)."""
    if "boolean" in data:
        return Result((), (), boolean=bool(data["boolean"]), kind="ask")
    variables = tuple(data["head"]["vars"])
    rows = []
    for binding in data["results"]["bindings"]:
        rows.append(tuple(_json_term(binding[v]) if v in binding else None for v in variables))
    return Result(variables, tuple(rows))


def _json_term(b: dict) -> Term:
    kind = b["type"]
    if kind == "uri":
        return Term.uri(b["value"])
    if kind == "bnode":
        return Term.bnode(b["value"])
    # "typed-literal" is the pre-standard spelling some older endpoints still send.
    return Term.literal(b["value"], b.get("datatype"), b.get("xml:lang"))


# -- writing results --------------------------------------------------------------------------
def shorten(iri: str, prefixes: dict[str, str] | None) -> str:
    """An IRI as ``prefix:local`` when a prefix covers it and the rest is a plain name.

    >>> shorten("https://example.org/concept/trust", {"concept": "https://example.org/concept/"})
    'concept:trust'
    """
    best = None
    for prefix, ns in (prefixes or {}).items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"


def _cell(term: Term | None, prefixes) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return shorten(term.value, prefixes)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return " ".join(term.value.split()) if "\n" in term.value or "\r" in term.value else term.value


def format_table(result: Result, prefixes: dict[str, str] | None = None) -> str:
    """An aligned table for people: numbers right-aligned, IRIs shortened by the prefixes."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    numeric = [bool(result.rows) and all(row[i] is None or (row[i].kind == "literal" and row[i].datatype in _NUMERIC)
                                         for row in result.rows)
               for i in range(len(result.variables))]
    return text_table(result.variables, [[_cell(t, prefixes) for t in row] for row in result.rows], numeric)


def text_table(headers, rows, numeric: list[bool] | None = None, empty: str = "(no rows)") -> str:
    """Rows of plain values as an aligned table; columns of numbers (or those ``numeric`` marks) right-aligned.

    >>> print(text_table(["name", "n"], [["a", 10], ["bb", 2]]), end="")
    name   n
    ----  --
    a     10
    bb     2
    """
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    if numeric is None:
        numeric = [bool(rows) and all(re.fullmatch(r"-?\d+(?:\.\d+)?", r[i]) for r in rows)
                   for i in range(len(headers))]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells):
        cells = (c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True))
        return "  ".join(cells).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows] or ([empty] if empty else [])
    return "\n".join(out) + "\n"


def format_csv(result: Result, prefixes=None) -> str:
    """W3C SPARQL 1.1 Query Results CSV: plain values, RFC 4180 quoting, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
    return buffer.getvalue()


def format_tsv(result: Result, prefixes=None) -> str:
    """W3C SPARQL 1.1 Query Results TSV: terms in Turtle syntax, one row a line."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(t: Term) -> str:
    if t.kind == "literal" and t.datatype == XSD_INTEGER and re.fullmatch(r"[+-]?\d+", t.value):
        return t.value
    return t.n3()


def format_json(result: Result, prefixes=None) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        data = {"head": {}, "boolean": bool(result.boolean)}
    else:
        data = {"head": {"vars": list(result.variables)},
                "results": {"bindings": [{v: t.json() for v, t in zip(result.variables, row, strict=True)
                                          if t is not None}
                                         for row in result.rows]}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def format_xml(result: Result, prefixes=None) -> str:
    """W3C SPARQL Query Results XML Format (second edition)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("  </head>")
    if result.kind == "ask":
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in result.rows:
            out.append("    <result>")
            for v, t in zip(result.variables, row, strict=True):
                if t is not None:
                    out.append(f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_term(t: Term) -> str:
    if t.kind == "uri":
        return f"<uri>{escape(t.value)}</uri>"
    if t.kind == "bnode":
        return f"<bnode>{escape(t.value)}</bnode>"
    attrs = f" xml:lang={quoteattr(t.lang)}" if t.lang else (f" datatype={quoteattr(t.datatype)}" if t.datatype else "")
    return f"<literal{attrs}>{escape(t.value)}</literal>"


def format_ntriples(result: Result, prefixes=None) -> str:
    """A CONSTRUCT or DESCRIBE answer as N-Triples (which is also valid Turtle)."""
    return "".join(" ".join(t.n3() for t in row) + " .\n" for row in result.rows)


# Output formats by name, as rdflib's SUFFIX_FORMAT_MAP does it; the CLI offers these names.
FORMATS: dict[str, Callable[..., str]] = {
    "table": format_table,
    "csv": format_csv,
    "tsv": format_tsv,
    "json": format_json,
    "xml": format_xml,
}

GRAPH_FORMATS = ("nt", "turtle", "json-ld", "xml")  # CONSTRUCT and DESCRIBE answers, by rdflib's names


def render(result: Result, fmt: str = "table", prefixes: dict[str, str] | None = None) -> str:
    """The result written in one of :data:`FORMATS`; an unknown name lists the valid ones."""
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise ConceptGraphError(Problem("unknown-format", None, None, f"unknown result format {fmt!r}",
                                        did_you_mean(fmt, FORMATS))) from None
    return writer(result, prefixes)


def render_graph(result: Result, fmt: str, prefixes: dict[str, str] | None = None) -> str:
    """A CONSTRUCT or DESCRIBE answer as N-Triples (also Turtle), JSON-LD or RDF/XML."""
    if fmt in ("nt", "turtle"):
        return format_ntriples(result)
    from rdflib import BNode, Graph, Literal, URIRef

    def term(t: Term):
        if t.kind == "uri":
            return URIRef(t.value)
        if t.kind == "bnode":
            return BNode(t.value)
        return Literal(t.value, lang=t.lang, datatype=URIRef(t.datatype) if t.datatype else None)

    g = Graph()
    for prefix, ns in (prefixes or {}).items():
        if prefix:
            g.bind(prefix, ns)
    for row in result.rows:
        g.add(tuple(term(t) for t in row))
    if fmt == "json-ld":
        context = {p: ns for p, ns in sorted((prefixes or {}).items()) if p}
        return g.serialize(format="json-ld", context=context, auto_compact=True)
    return g.serialize(format="pretty-xml" if fmt == "xml" else fmt)


def write_answer(result: Result, accept: str | None, prefixes: dict[str, str] | None,
                 max_bytes: int) -> tuple[bytes, str]:
    """The answer as bytes in the format ``accept`` prefers, and its media type; refuses one over ``max_bytes``.

    The values' own length is counted before anything is written, so an answer that could only
    be too large is refused without being built.
    """
    from .media import graph_offers, negotiate, result_offers

    offers = graph_offers() if result.kind == "graph" else result_offers()
    chosen = negotiate(accept, list(offers))
    if chosen is None:
        what = "a CONSTRUCT or DESCRIBE answer" if result.kind == "graph" else "results"
        raise ConceptGraphError(Problem("not-acceptable", None, None,
                                        f"{what} are available as " + ", ".join(offers), "change the Accept header"))
    at_least = sum(len(t.value) for row in result.rows for t in row if t is not None)
    if at_least <= max_bytes:
        if result.kind == "graph":
            text = render_graph(result, offers[chosen], prefixes)
        else:
            text = render(result, offers[chosen], prefixes)
        body = text.encode("utf-8")
        if len(body) <= max_bytes:
            from .media import RESULT_MEDIA_TYPES

            media_type = chosen if result.kind == "graph" else RESULT_MEDIA_TYPES[offers[chosen]][0]
            return body, media_type
    raise ConceptGraphError(Problem(
        "result-too-large", "query", None, f"the answer is larger than this endpoint's limit of {max_bytes:,} bytes",
        "add a LIMIT, select fewer or shorter values, or narrow the query"))
