"""Writing RDF as text: Turtle, N-Triples and JSON-LD from a table of triples, fast and deterministic.

rdflib's serializers keep every triple as Python objects in a store, ask a namespace trie for
each term's prefix and, for JSON-LD, build the whole document before it is dumped: on a reading
list of 1.7 million triples that took minutes and gigabytes. Here the triples are a plain table
(subject -> ``(predicate, object)`` pairs) that the model is turned into directly, and each writer
yields its text piece by piece, so a build streams it to disk.

The text is the text rdflib writes, byte for byte (the tests compare them on every fixture graph):
N-Triples as sorted unique lines; Turtle as rdflib lays it out (subjects ordered by how often
they are referenced, then by IRI; ``rdf:type`` then ``rdfs:label`` then the other predicates by
IRI; a prefixed name where rdflib would write one); JSON-LD compacted with the graph's prefixes,
nodes sorted by ``@id`` and every list sorted, as :mod:`concept_graph.rdf` always post-processed
rdflib's. Two deliberate differences, in graphs this project never makes: a predicate whose
namespace has no prefix is written as a full IRI, where rdflib would invent a prefix ``ns1``; a
blank node is written by its label, where rdflib's Turtle nests it in ``[ ]``.

Terms: an IRI is a ``str``; an ``int`` is an ``xsd:integer``; :class:`Lit` is any other literal;
:class:`Blank` is a blank node (the project's graphs have none; graphs read from files may).
"""

from __future__ import annotations

import json
import json.encoder
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from unicodedata import category

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
XSD_STRING = XSD + "string"
_INTEGER_LEXICAL = re.compile(r"[+-]?[0-9]+\Z")


class Lit(NamedTuple):
    """A literal other than an integer: text with an optional language tag, or a typed value."""

    value: str
    lang: str | None = None
    datatype: str | None = None


class Blank(str):
    """A blank node, by its label."""


Term = str | int | Lit | Blank
Table = dict  # subject -> list of (predicate, object)


def add(table: Table, s: str, p: str, o: Term) -> None:
    """Add one triple (duplicates are dropped when the table is written)."""
    pairs = table.get(s)
    if pairs is None:
        table[s] = [(p, o)]
    else:
        pairs.append((p, o))


def unique(table: Table) -> Table:
    """The table with each subject's duplicate pairs dropped, as a graph (a set of triples) holds them."""
    return {s: list(dict.fromkeys(pairs)) for s, pairs in table.items()}


def count(table: Table) -> int:
    return sum(len(pairs) for pairs in table.values())


# -- N-Triples -----------------------------------------------------------------------------------
def _nt_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


def nt_term(term: Term) -> str:
    """A term as N-Triples writes it (as rdflib's ``nt`` serializer escapes it).

    >>> nt_term("http://x/a"), nt_term(3), nt_term(Lit('say "hi"', "en")), nt_term(Lit("a\\nb"))
    ('<http://x/a>', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"say \\\\"hi\\\\""@en', '"a\\\\nb"')
    """
    if isinstance(term, str):
        return "_:" + term if type(term) is Blank else "<" + term + ">"
    if isinstance(term, int):
        return f'"{term}"^^<{XSD_INTEGER}>'
    text = _nt_string(term.value)
    if term.lang:
        return text + "@" + term.lang
    if term.datatype:
        return text + "^^<" + term.datatype + ">"
    return text


def ntriples(table: Table) -> Iterator[str]:
    """N-Triples, one chunk per subject: lines sorted and unique, whatever the table's order.

    A subject's lines are contiguous in sorted order (``<s>`` cannot be a prefix of another
    subject's ``<s...>``, as ``>`` ends it), so sorting subjects, then each subject's few lines,
    sorts the whole file at a fraction of the cost.
    """
    if not table:
        yield "\n"
    iris: dict[str, str] = {}  # IRI -> <IRI>, for subjects, predicates and objects alike
    for s in table:
        if type(s) is str:
            iris[s] = "<" + s + ">"
    keyed = sorted((iris.get(s) or nt_term(s), s) for s in table)
    chunk: list[str] = []
    for s_nt, s in keyed:
        head = s_nt + " "
        lines = []
        for p, o in table[s]:
            p_nt = iris.get(p)
            if p_nt is None:
                p_nt = iris[p] = "<" + p + ">"
            if type(o) is str:
                o_nt = iris.get(o)
                if o_nt is None:
                    o_nt = iris[o] = "<" + o + ">"
            else:
                o_nt = nt_term(o)
            lines.append(head + p_nt + " " + o_nt + " .\n")
        if len(lines) > 1:
            lines = sorted(set(lines))
        chunk.append("".join(lines))
        if len(chunk) == 2000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


# -- prefixed names, as rdflib computes them -----------------------------------------------------
_NAME_START = {"Ll", "Lu", "Lo", "Lt", "Nl"}
_SPLIT_START = _NAME_START | {"Nd"}
_NAME = _NAME_START | {"Mc", "Me", "Mn", "Lm", "Nd"}
_NAME_CHARS = {"\u00B7", "\u0387", "-", ".", "_", "%", "(", ")"}
_XMLNS = "http://www.w3.org/XML/1998/namespace"
_ASCII_TAIL = re.compile(r"[A-Za-z0-9\u00B7\u0387\-._%()]*\Z")  # the name characters that end an IRI
_ASCII_SPLIT_START = re.compile(r"[A-Za-z0-9_]")
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*\Z")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def split_iri(iri: str) -> tuple[str, str] | None:
    """Namespace and local name, split where rdflib's ``split_uri`` splits; ``None`` if it cannot.

    >>> split_iri("https://x.org/g/concept/secure-base"), split_iri("https://x.org/g/")
    (('https://x.org/g/concept/', 'secure-base'), None)
    """
    if iri.startswith(_XMLNS):
        return _XMLNS, iri.split(_XMLNS)[1]
    if iri.isascii() and iri[:1].isalpha():
        # The same rule for the usual case, by regular expressions instead of a category per character.
        tail = _ASCII_TAIL.search(iri)
        assert tail is not None  # the pattern matches the empty tail at worst
        start = _ASCII_SPLIT_START.search(iri, tail.start()) if tail.start() > 0 else None
        return (iri[:start.start()], iri[start.start():]) if start else None
    length = len(iri)
    for i in range(length):
        c = iri[-i - 1]
        if category(c) not in _NAME:
            if c in _NAME_CHARS:
                continue
            for j in range(-1 - i, length):
                if category(iri[j]) in _SPLIT_START or iri[j] == "_":
                    if not iri[:j]:
                        break
                    return iri[:j], iri[j:]
            break
    return None


class Names:
    """How each IRI is written in Turtle, remembered, and which prefixes those names use."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefix_of = {ns: p for p, ns in sorted(prefixes.items(), reverse=True)}
        self.used: set[str] = set()
        self.labels: dict[str, str] = {}

    def label(self, iri: str) -> str:
        """``prefix:local`` where rdflib's Turtle serializer would write one, else ``<iri>``."""
        out = self.labels.get(iri)
        if out is None:
            # The usual case, decided without scanning the IRI: a namespace ending at its last '/' or
            # '#', then a local name of plain name characters, which rdflib splits there too.
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            prefix = self.prefix_of.get(iri[:cut]) if cut else None
            if prefix is not None and _PLAIN_LOCAL.match(iri, cut):
                self.used.add(prefix)
                out = self.labels[iri] = prefix + ":" + iri[cut:]
                return out
            parts = self._split(iri)
            if parts is None:
                out = "<" + iri + ">"
            else:
                self.used.add(parts[0])
                out = parts[0] + ":" + parts[1]
            self.labels[iri] = out
        return out

    def _split(self, iri: str) -> tuple[str, str] | None:
        split = split_iri(iri)
        if split is None:
            prefix = self.prefix_of.get(iri)  # the namespace itself, e.g. ``cg:``
            return (prefix, "") if prefix else None
        namespace, local = split
        prefix = self.prefix_of.get(namespace)
        if prefix is None:
            return None
        local = _PERCENT.sub("\\%", local.replace("(", "\\(").replace(")", "\\)"))
        return None if local.endswith(".") else (prefix, local)


# -- Turtle --------------------------------------------------------------------------------------
def _turtle_string(value: str) -> str:
    """rdflib's quoting: long strings (with a newline) in triple quotes."""
    if "\n" in value:
        encoded = value.replace("\\", "\\\\")
        if '"""' in value:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + '\\"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'


def _object_key(term: Term):
    """rdflib's order of nodes: blank nodes, IRIs, then literals (numbers by value, text by text)."""
    if isinstance(term, str):
        return (10 if type(term) is Blank else 30, "", "", 0, term)
    if isinstance(term, int):
        return (40, XSD_INTEGER, "", term, "")
    return (40, term.datatype or XSD_STRING, term.lang or "", 0, term.value)


def turtle(table: Table, prefixes: dict[str, str]) -> Iterator[str]:
    """Turtle as rdflib lays it out; the first chunk holds the ``@prefix`` lines of the names used."""
    names = Names(prefixes)
    _name_terms(table, names)
    yield _prefix_lines(prefixes, names)
    yield from _blocks(table, names)
    yield "\n"


def trig(graphs: Iterable[tuple[str | None, Table]], prefixes: dict[str, str]) -> Iterator[str]:
    """TriG: the ``@prefix`` lines once, then each graph as ``<name> { ... }`` (``None`` names the default graph).

    Inside the braces a graph reads as :func:`turtle` writes it (the same order of subjects and
    predicates); graphs come in the order given. rdflib's TriG differs only in layout (it
    indents each graph and orders graphs its own way); a reader gets the same dataset.

    >>> print(text(trig([("http://x/g", {"http://x/a": [("http://x/p", Lit("b"))]})], {"x": "http://x/"})))
    @prefix x: <http://x/> .
    <BLANKLINE>
    <http://x/g> {
    <BLANKLINE>
    x:a x:p "b" .
    }
    <BLANKLINE>
    """
    graphs = list(graphs)
    names = Names(prefixes)
    for _, table in graphs:
        _name_terms(table, names)
    yield _prefix_lines(prefixes, names)
    for name, table in graphs:
        yield ("\n{\n" if name is None else "\n<" + name + "> {\n")
        yield from _blocks(table, names)
        yield "}\n"


def _prefix_lines(prefixes: dict[str, str], names: Names) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items()) if p in names.used)


def _name_terms(table: Table, names: Names) -> None:
    """Name every distinct IRI of the table once, before a line is written."""
    iri_label = names.label
    # rdflib declares the prefix of every name it could shorten, literal datatypes included: name
    # every distinct IRI once, before writing a line (sets first: 1.75 million pairs, 400,000 IRIs).
    objects = {o for pairs in table.values() for _, o in pairs}
    predicates = {p for pairs in table.values() for p, _ in pairs} - {RDF_TYPE}
    for term in (*table, *predicates, *objects):
        kind = type(term)
        if kind is str:
            iri_label(term)
        elif kind is int:
            iri_label(XSD_INTEGER)
        elif kind is Lit and term.datatype:
            iri_label(term.datatype)


def _subject_order(table: Table) -> list:
    """Subjects in rdflib's order: classes first, then IRIs before blank nodes, the least referenced first."""
    refs = Counter(o for pairs in table.values() for _, o in pairs if type(o) is str or type(o) is Blank)
    classes = sorted(s for s, pairs in table.items() if (RDF_TYPE, RDFS_CLASS) in pairs)
    top = set(classes)
    return classes + sorted((s for s in table if s not in top), key=lambda s: (type(s) is Blank, refs.get(s, 0), s))


def _blocks(table: Table, names: Names) -> Iterator[str]:
    """The Turtle blocks of a table's subjects, in rdflib's order, each starting with a blank line."""
    labels = names.labels

    def label(t: Term) -> str:
        if isinstance(t, str):
            return "_:" + t if type(t) is Blank else labels[t]
        if isinstance(t, int):
            return str(t)
        text = _turtle_string(t.value)
        if t.lang:
            return text + "@" + t.lang
        if t.datatype:
            if t.datatype == XSD_INTEGER and _INTEGER_LEXICAL.match(t.value):
                return t.value
            return text + "^^" + labels[t.datatype]
        return text

    order = _subject_order(table)
    # Predicates in rdflib's order (rdf:type, rdfs:label, then by IRI), as one sortable string each.
    verb_key = {p: ("0" if p == RDF_TYPE else "1" if p == RDFS_LABEL else "2") + p
                for p in {p for pairs in table.values() for p, _ in pairs}}
    verb = {p: "a" if p == RDF_TYPE else labels[p] for p in verb_key}

    def block(s) -> str:
        pairs = table[s]
        by_predicate: dict[str, list[Term]] = {}
        for p, o in pairs:
            have = by_predicate.get(p)
            if have is None:
                by_predicate[p] = [o]
            else:
                have.append(o)
        parts = []
        for key in sorted(verb_key[p] for p in by_predicate):
            p = key[1:]
            objects = by_predicate[p]
            if len(objects) == 1:
                o = objects[0]
                parts.append(verb[p] + " " + (labels[o] if type(o) is str else label(o)))
            else:
                objects.sort(key=_object_key)
                parts.append(verb[p] + " " + ",\n        ".join(label(o) for o in objects))
        return "\n" + (labels[s] if type(s) is str else "_:" + s) + " " + " ;\n    ".join(parts) + " .\n"

    for at in range(0, len(order), 2000):
        yield "".join(block(s) for s in order[at:at + 2000])


# -- JSON-LD -------------------------------------------------------------------------------------
def jsonld(table: Table, context: dict[str, str]) -> Iterator[str]:
    """JSON-LD compacted with ``context`` (prefixes only), as rdflib compacts it, sorted throughout.

    The text is ``json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)`` of the
    document rdflib makes, list values sorted by their compact JSON; it is written here directly,
    node by node, since ``json`` falls back to its pure-Python encoder when asked to indent.
    """
    prefix_of = {ns: p for p, ns in sorted(context.items(), reverse=True)}
    shrunk: dict[str, str] = {}

    def shrink(iri: str) -> str:
        out = shrunk.get(iri)
        if out is None:
            at = iri.rfind("#")
            if at < 0:
                at = iri.rfind("/")
            if at < 0:
                at = iri.rfind(":")
            prefix = prefix_of.get(iri[: at + 1]) if at >= 0 else None
            out = shrunk[iri] = prefix + ":" + iri[at + 1:] if prefix else iri
        return out

    enc = _encode

    def value(t: Term, ind: str) -> tuple[str, str]:
        """(compact JSON, the order of a list; JSON at indent ``ind``) of an object."""
        if isinstance(t, str):
            ident = enc("_:" + t if type(t) is Blank else shrink(t))
            return '{"@id": ' + ident + "}", "{\n" + ind + '  "@id": ' + ident + "\n" + ind + "}"
        if isinstance(t, int):
            return str(t), str(t)
        if t.lang:
            lang, text = enc(t.lang), enc(t.value)
            return ('{"@language": ' + lang + ', "@value": ' + text + "}",
                    "{\n" + ind + '  "@language": ' + lang + ",\n" + ind + '  "@value": ' + text + "\n" + ind + "}")
        if t.datatype and t.datatype != XSD_STRING:
            if t.datatype == XSD_INTEGER and _INTEGER_LEXICAL.match(t.value):
                return str(int(t.value)), str(int(t.value))
            dt, text = enc(shrink(t.datatype)), enc(t.value)
            return ('{"@type": ' + dt + ', "@value": ' + text + "}",
                    "{\n" + ind + '  "@type": ' + dt + ",\n" + ind + '  "@value": ' + text + "\n" + ind + "}")
        text = enc(t.value)
        return text, text

    def node(s) -> str:
        by_key: dict[str, list] = {}
        for p, o in table[s]:
            by_key.setdefault("@type" if p == RDF_TYPE else shrunk.get(p) or shrink(p), []).append(o)
        ident = "_:" + s if type(s) is Blank else shrink(s)
        by_key["@id"] = []
        lines = []
        for key in sorted(by_key):
            objects = by_key[key]
            if key == "@id":
                text = enc(ident)
            elif key == "@type":
                texts = sorted(enc(shrink(o)) if type(o) is str else value(o, "        ")[0] for o in objects)
                text = texts[0] if len(texts) == 1 else "[\n        " + ",\n        ".join(texts) + "\n      ]"
            elif len(objects) == 1:
                text = value(objects[0], "      ")[1]
            else:
                text = ("[\n        " + ",\n        ".join(t for _, t in sorted(value(o, "        ") for o in objects))
                        + "\n      ]")
            lines.append("      " + enc(key) + ": " + text)
        return "{\n" + ",\n".join(lines) + "\n    }"

    order = sorted(table, key=lambda s: "_:" + s if type(s) is Blank else shrink(s))
    head = json.dumps({"@context": dict(sorted(context.items()))}, indent=2, ensure_ascii=False)
    yield head[:-2] + ',\n  "@graph": ['
    for at in range(0, len(order), 2000):
        yield "".join(("\n    " if i == 0 else ",\n    ") + node(s) for i, s in enumerate(order[at:at + 2000], at))
    yield "\n  ]\n}\n" if order else "]\n}\n"


_encode = json.encoder.encode_basestring  # the C function, ensure_ascii off


def text(chunks: Iterable[str]) -> str:
    return "".join(chunks)
