"""The query library: named, commented SPARQL files shipped in the package, and safe parameters.

The library is the ``queries`` folder of the package (read with :mod:`importlib.resources`, so
it works from a wheel as from a checkout): ``.rq`` files, each plain SPARQL that any client can
run as it stands. Its first comment lines say what it asks, and each parameter is declared twice
on purpose: as a comment (``# param: concept : concept = secure-base  what it is``) for people,
and as a ``VALUES ?concept { "secure-base" }`` block holding the default, so the file runs
anywhere. Binding a parameter replaces only the data of that block with one term written by
:func:`sparql_term`, typed like the default: user text never becomes query syntax.

A parameter may say what it names (``: concept``, ``: type``, ``: category``) or list the values
it takes (``: in|out|both``). A name is resolved before binding (:func:`resolve`): a concept is
found by its id, its label or a synonym, a relation type by its id or label, and a value that
names nothing is refused with a did-you-mean instead of answering "(no rows)".

Queries never name the graph's base IRI: concepts are found by ``skos:notation`` (their id) and
relation types by theirs, so one library serves every graph the tool builds.

>>> q = parse_query(QUERY_DOC, name="example")
>>> q.title, [(p.name, p.refers_to) for p in q.params]
('Concepts with a label', [('label', None)])
>>> print(bind(q, {"label": 'a "quoted" label'}).splitlines()[-1])
SELECT ?c WHERE { VALUES ?label { "a \\"quoted\\" label" } ?c skos:prefLabel ?label }
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import ConceptGraphError, Problem, did_you_mean, display_path

NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REFERS_TO = ("concept", "type", "category")  # what a parameter may name

# The shape of a library query, for the examples in this module's documentation.
QUERY_DOC = """\
# Concepts with a label
#
# param: label = trust  the label to look for
SELECT ?c WHERE { VALUES ?label { "trust" } ?c skos:prefLabel ?label }"""


@dataclass(frozen=True)
class Param:
    """A parameter of a query: a variable bound by a one-row ``VALUES`` block.

    ``kind`` (``string``, ``integer`` or ``iri``) comes from the default in the block, and
    ``default`` is ``None`` when the block holds ``UNDEF`` (the parameter is then optional).
    ``refers_to`` says what the value names (a concept, a relation type, a category), and
    ``choices`` the only values it takes, when the comment declares either.
    """

    name: str
    kind: str
    default: str | None
    description: str
    refers_to: str | None = None
    choices: tuple[str, ...] = ()


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
                "params": [{"name": p.name, "kind": p.kind, "default": p.default, "description": p.description,
                            "refersTo": p.refers_to, "choices": list(p.choices)}
                           for p in self.params],
                "query": self.text}


def library() -> list[Query]:
    """Every query of the library, sorted by name; raises with every malformed file at once."""
    folder = resources.files("concept_graph").joinpath("queries")
    queries, problems = [], []
    for entry in sorted((e for e in folder.iterdir() if e.name.endswith(".rq")), key=lambda e: e.name):
        try:
            queries.append(parse_query(entry.read_text(encoding="utf-8"), name=entry.name[:-3],
                                       source=f"queries/{entry.name}"))
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


def load_query(ref: str) -> Query:
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
        queries = {q.name: q for q in library()}
        if ref not in queries:
            hint = did_you_mean(ref, queries) or "list them with 'concept-graph query --list'"
            raise ConceptGraphError(Problem("unknown-query", None, None,
                                            f"no query named {ref!r} in the library", hint))
        return queries[ref]
    return parse_query(ref)


_PARAM_LINE = re.compile(r"^param:\s*([A-Za-z_]\w*)\s*(?::\s*([\w|-]+)\s*)?=\s*(\S+)\s*(.*)$")


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
    for pname, refers, default, about in declared:
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
                                    f"parameter {pname!r}: the comment says {default!r}, "
                                    f"VALUES holds {text[start:end].strip()!r}",
                                    "keep the comment and the VALUES default the same single term"))
            continue
        choices = tuple(refers.split("|")) if refers and "|" in refers else ()
        if refers and not choices and refers not in REFERS_TO:
            problems.append(Problem("param-bad-kind", source, None,
                                    f"parameter {pname!r}: {refers!r} is not something a parameter names",
                                    "write ': concept', ': type', ': category' or the values as ': a|b|c'"))
            continue
        params.append(Param(pname, kind, value, about.strip(), None if choices else refers, choices))
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
            for name, term in zip(names, terms, strict=True):
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
    """The query's text with parameters bound: each one's VALUES data replaced by one term.

    Values are bound as given; :func:`resolve` first turns labels and synonyms into ids.
    """
    text = query.text
    values = dict(values or {})
    names = [p.name for p in query.params]
    problems = []
    for name in values:
        if name not in names:
            hint = did_you_mean(name, names) if names else "this query takes no parameters"
            problems.append(Problem("unknown-param", query.source, None,
                                    f"{_which(query)} has no parameter {name!r}", hint))
    replacements = []
    blocks = values_blocks(text)
    for param in query.params:
        if param.name not in values:
            continue
        value = values[param.name]
        if param.choices and value not in param.choices:
            close = did_you_mean(value, param.choices)
            problems.append(Problem("bad-param", query.source, None,
                                    f"parameter {param.name!r}: {value!r} is not one of " + ", ".join(param.choices),
                                    close if close and close.startswith("did") else None))
            continue
        try:
            term = sparql_term(value, param.kind)
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


def _which(query: Query) -> str:
    return "the query" if query.name.startswith("<") else f"query {query.name!r}"


# -- names: ids, labels and synonyms --------------------------------------------------------------
# Every name a parameter may use, from the graph itself, so that it works on every engine and on
# a remote store alike: concepts by id, label and synonym; relation types and families by id and
# label; categories by id (the last segment of their IRI) and label.
NAMES_QUERY = """\
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind ?id ?name ?rank WHERE {
  {
    ?x a skos:Concept ; skos:notation ?id .
    { ?x skos:prefLabel ?n BIND(1 AS ?rank) } UNION { ?x skos:altLabel ?n BIND(2 AS ?rank) }
    BIND("concept" AS ?kind)
  } UNION {
    ?x a owl:ObjectProperty ; skos:notation ?id ; rdfs:label ?n .
    BIND("type" AS ?kind) BIND(1 AS ?rank)
  } UNION {
    ?x a skos:Collection ; skos:prefLabel ?n .
    BIND(REPLACE(STR(?x), "^.*/", "") AS ?id) BIND("category" AS ?kind) BIND(1 AS ?rank)
  }
  BIND(STR(?n) AS ?name)
}"""


class Names:
    """What each id is called: the table that :func:`resolve` looks values up in.

    >>> names = Names([("concept", "ego-sturdiness", "ego sturdiness", 1),
    ...                ("concept", "ego-sturdiness", "resilience", 2)])
    >>> names.find("concept", "Resilience"), names.find("concept", "ego-sturdiness"), names.find("concept", "x")
    (['ego-sturdiness'], ['ego-sturdiness'], [])
    """

    def __init__(self, rows: Iterable[tuple[str, str, str, int]]):
        self.ids: dict[str, set[str]] = {}
        self.by_name: dict[tuple[str, int, str], set[str]] = {}
        for kind, ident, name, rank in rows:
            self.ids.setdefault(kind, set()).add(ident)
            self.by_name.setdefault((kind, int(rank), _fold(name)), set()).add(ident)

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> Names:
        """From the rows of :data:`NAMES_QUERY`."""
        return cls((r["kind"], r["id"], r["name"], int(r["rank"])) for r in records)

    def find(self, kind: str, value: str) -> list[str]:
        """The ids ``value`` names: itself if it is an id, else by label, else by synonym.

        Case, hyphens and spaces do not count: "Ego-Strength" is the synonym "ego strength".
        """
        if value in self.ids.get(kind, ()):
            return [value]
        for rank in (1, 2):
            found = self.by_name.get((kind, rank, _fold(value)))
            if found:
                return sorted(found)
        return []

    def all_names(self, kind: str) -> set[str]:
        return self.ids.get(kind, set()) | {name for (k, _, name) in self.by_name if k == kind}


def _fold(name: str) -> str:
    return " ".join(re.split(r"[\s_-]+", name.casefold())).strip()


def resolve(query: Query, values: Mapping[str, str], names: Names) -> dict[str, str]:
    """The values with every name of a concept, type or category replaced by its id.

    A value that names nothing is refused with the closest names; one that names several
    things (a synonym two concepts share) is refused with the ids to choose from.
    """
    out, problems = dict(values), []
    for param in query.params:
        value = values.get(param.name)
        if value is None or param.refers_to is None:
            continue
        found = names.find(param.refers_to, value)
        if len(found) == 1:
            out[param.name] = found[0]
            continue
        what = {"type": "relation type"}.get(param.refers_to, param.refers_to)
        if found:
            problems.append(Problem("ambiguous-name", query.source, None,
                                    f"parameter {param.name!r}: {value!r} names {len(found)} {what}s: "
                                    + ", ".join(found),
                                    "give the id of the one you mean"))
            continue
        hint = did_you_mean(_fold(value), names.all_names(param.refers_to))
        if hint is None and param.refers_to == "concept":
            hint = f"find it with: concept-graph query search -p text={value.split()[0] if value.split() else value}"
        problems.append(Problem(f"unknown-{param.refers_to}", query.source, None,
                                f"parameter {param.name!r}: no {what} is called {value!r}", hint))
    if problems:
        raise ConceptGraphError(problems)
    return out
