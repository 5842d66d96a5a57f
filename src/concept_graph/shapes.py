"""SHACL: checking a built RDF graph against the project's shapes.

The shapes (``data/shapes.ttl``, also written next to every build's outputs) say what a
well-formed concept graph is, independently of the Python code that writes it; a knowledge
engineer can run them with any SHACL engine.

The build checks them with a small SHACL Core engine of its own: each constraint of the shapes
file becomes one SPARQL query that selects the nodes breaking it, run on Oxigraph, so a check
costs a few scans of the graph whatever its size. pySHACL, the reference engine, validates node
by node in Python over an rdflib store: 1.1 s on the article, minutes on a reading list. The
engine compiles only what it understands (the targets and constraint components listed in
:data:`COMPONENTS`); a shapes file that uses anything else is refused with the name of the
feature, never half-checked, and ``engine="pyshacl"`` still runs it. The tests run both engines
on the same broken graphs and compare every result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Constraint components this engine compiles, by the parameter that names them.
COMPONENTS = {
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "class": "ClassConstraintComponent",
    "node": "NodeConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "qualifiedValueShape": "QualifiedValueShapeConstraintComponent",
}
# Parameters that describe a shape or a result but constrain nothing.
_INERT = {"path", "message", "name", "description", "order", "group", "severity", "qualifiedMinCount",
          "qualifiedMaxCount", "targetClass", "target", "property", "declare", "prefixes", "deactivated"}


def shapes_text() -> str:
    return resources.files("concept_graph").joinpath("data/shapes.ttl").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Result:
    """One validation result, as SHACL reports it (the sh: terms as IRIs, values in N-Triples form)."""

    focus: str
    path: str | None
    component: str
    value: str | None
    message: str
    shape: str = field(default="", compare=False)


@dataclass(frozen=True)
class ShapesReport:
    conforms: bool
    violations: int
    text: str
    results: tuple[Result, ...] = ()


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature this engine does not compile."""


def check_shapes(data, engine: str = "oxigraph") -> ShapesReport:
    """Validate ``data`` (a table of triples, an rdflib Graph or a pyoxigraph Store) against the shapes.

    ``engine="pyshacl"`` runs pySHACL, the reference, on the same data.
    """
    if engine == "pyshacl":
        return _pyshacl(data)
    return Checker(shapes_text()).check(_store(data))


def _store(data):
    import pyoxigraph as ox

    if isinstance(data, ox.Store):
        return data
    from . import rdfwrite

    if isinstance(data, dict):
        table = data
    else:  # an rdflib Graph
        from .rdf import from_graph

        table = from_graph(data)
    store = ox.Store()
    for chunk in rdfwrite.ntriples(rdfwrite.unique(table)):
        store.load(chunk.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


# -- the engine ----------------------------------------------------------------------------------
@dataclass
class _Shape:
    iri: str  # N-Triples form, as it appears in queries
    name: str  # for people
    targets: list[str]  # SPARQL group patterns binding ?this
    properties: list[dict]
    prologue: dict[str, str] = field(default_factory=dict)  # prefixes its SPARQL targets declare


class Checker:
    """The shapes of one shapes graph, compiled; :meth:`check` runs them on a store."""

    def __init__(self, shapes_turtle: str):
        import pyoxigraph as ox

        self.graph = ox.Store()
        self.graph.load(shapes_turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
        self.prefixes = self._prefixes(shapes_turtle)
        self.shapes: dict[str, _Shape] = {}
        rows = self.graph.query(f"SELECT DISTINCT ?s WHERE {{ ?s a <{SH}NodeShape> }}")
        assert isinstance(rows, ox.QuerySolutions)  # a SELECT answers with solutions
        for row in rows:
            self._shape(row["s"])

    # -- reading the shapes graph ----------------------------------------------------------------
    def _values(self, node, name: str) -> list:
        import pyoxigraph as ox

        return [q.object for q in self.graph.quads_for_pattern(node, ox.NamedNode(SH + name), None)]

    def _one(self, node, name: str):
        values = self._values(node, name)
        return values[0] if values else None

    def _params(self, node) -> dict[str, list]:
        params: dict[str, list] = {}
        for quad in self.graph.quads_for_pattern(node, None, None):
            p = quad.predicate.value
            if p == RDF_TYPE:
                continue
            if not p.startswith(SH):
                continue
            params.setdefault(p[len(SH):], []).append(quad.object)
        return params

    def _name(self, node) -> str:
        text = str(node)
        for prefix, ns in self.prefixes.items():
            if text.startswith("<" + ns):
                return f"{prefix}:{text[len(ns) + 1:-1]}"
        return text

    @staticmethod
    def _prefixes(turtle: str) -> dict[str, str]:
        import re

        return {m.group(1): m.group(2) for m in re.finditer(r"@prefix\s+([\w-]*):\s*<([^>]*)>", turtle)}

    def _shape(self, node) -> _Shape:
        key = str(node)
        if key in self.shapes:
            return self.shapes[key]
        shape = _Shape(key, self._name(node), [], [])
        self.shapes[key] = shape
        params = self._params(node)
        for unknown in sorted(set(params) - _INERT - {"targetNode", "targetSubjectsOf", "targetObjectsOf"}):
            raise UnsupportedShapes(f"sh:{unknown} on the node shape {shape.name}")
        for cls in params.get("targetClass", []):
            shape.targets.append(f"?this <{RDF_TYPE}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {cls} .")
        for target in params.get("targetNode", []):
            shape.targets.append(f"VALUES ?this {{ {target} }}")
        for p in params.get("targetSubjectsOf", []):
            shape.targets.append(f"?this {p} ?any_ .")
        for p in params.get("targetObjectsOf", []):
            shape.targets.append(f"?any_ {p} ?this .")
        for target in params.get("target", []):
            shape.targets.append(self._sparql_target(target, shape))
        for prop in params.get("property", []):
            shape.properties.append(self._property(prop, shape))
        return shape

    def _sparql_target(self, target, shape: _Shape) -> str:
        import pyoxigraph as ox

        types = {q.object.value for q in self.graph.quads_for_pattern(target, None, None)
                 if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)}
        select = self._one(target, "select")
        if SH + "SPARQLTarget" not in types or select is None:
            raise UnsupportedShapes(f"a target of {shape.name} that is not a sh:SPARQLTarget with sh:select")
        for prefix, namespace in self._declared(target).items():
            if shape.prologue.setdefault(prefix, namespace) != namespace:
                raise UnsupportedShapes(f"prefix {prefix}: declared twice for {shape.name}")
        return "{ " + select.value + " }"

    def _declared(self, node) -> dict[str, str]:
        out = {}
        for owner in self._values(node, "prefixes"):
            for declaration in self._values(owner, "declare"):
                prefix, namespace = self._one(declaration, "prefix"), self._one(declaration, "namespace")
                out[prefix.value] = namespace.value
        return out

    def _property(self, node, shape: _Shape) -> dict:
        params = self._params(node)
        path = params.get("path", [None])[0]
        if path is None or not str(path).startswith("<"):
            raise UnsupportedShapes(f"a property shape of {shape.name} whose sh:path is not one IRI")
        for unknown in sorted(set(params) - _INERT - set(COMPONENTS)):
            raise UnsupportedShapes(f"sh:{unknown} in a property shape of {shape.name}")
        message = params.get("message", [None])[0]
        qualified = params.get("qualifiedValueShape", [None])[0]
        return {"path": str(path), "iri": path.value, "params": {k: v[0] for k, v in params.items()},
                "message": message.value if message is not None else None,
                "qualified": self._value_conditions(qualified, shape) if qualified is not None else None}

    def _value_conditions(self, node, shape: _Shape) -> str:
        """A qualified value shape as a SPARQL condition on ?v (value constraints only)."""
        params = self._params(node)
        conditions = []
        for name, values in params.items():
            if name in ("message", "name", "description"):
                continue
            if name not in _VALUE_VIOLATIONS:
                raise UnsupportedShapes(f"sh:{name} in a qualified value shape of {shape.name}")
            conditions.append(f"!({_VALUE_VIOLATIONS[name](values[0])})")
        return " && ".join(conditions) or "true"

    # -- running them --------------------------------------------------------------------------------
    def check(self, store) -> ShapesReport:
        results: list[Result] = []
        for shape in self.shapes.values():
            if shape.targets:
                target = " UNION ".join("{ " + t + " }" for t in shape.targets)
                results += self._violations(store, shape, target, shape.prologue)
        results.sort(key=lambda r: (r.focus, r.component, r.path or "", r.value or ""))
        return ShapesReport(not results, len(results), _report_text(results, self._name_of), tuple(results))

    def _name_of(self, text: str) -> str:
        for prefix, ns in self.prefixes.items():
            if text.startswith("<" + ns) and text.endswith(">"):
                return f"{prefix}:{text[len(ns) + 1:-1]}"
        return text

    def _violations(self, store, shape: _Shape, target: str, prologue: dict[str, str]) -> list[Result]:
        """Every result of ``shape`` on the focus nodes that ``target`` (a pattern binding ?this) selects.

        ``prologue``: the prefixes that ``target`` uses (a SPARQL target's declarations). Each
        property is screened first by one query that tests all its constraints together (one scan
        of the focus nodes, where a query per constraint made a scan each); only the nodes it
        flags, rarely any, are then tested constraint by constraint for the exact results.
        """
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prologue.items()))
        results = []
        for prop in shape.properties:
            flagged = self._screen(store, head, target, prop)
            for at in range(0, len(flagged), 500):
                chunk = "VALUES ?this { " + " ".join(flagged[at:at + 500]) + " }"
                results += self._exact(store, shape, chunk, prop)
            if "node" in prop["params"]:
                results += self._node(store, shape, target, prologue, prop["iri"], prop["params"]["node"],
                                      SH + COMPONENTS["node"], prop["message"] or "NodeConstraintComponent on "
                                      + self._name_of(prop["path"]))
        return results

    def _screen(self, store, head: str, target: str, prop: dict) -> list[str]:
        """The focus nodes that may break a constraint of ``prop`` (sh:node aside), in one query."""
        path, params = prop["path"], prop["params"]
        tests = []
        for name, value in params.items():
            if name in ("minCount", "maxCount"):
                n = int(value.value)
                tests.append(f"COUNT(?v) {'<' if name == 'minCount' else '>'} {n}")
            elif name in _VALUE_VIOLATIONS:
                tests.append(f"SUM(IF(BOUND(?v) && COALESCE({_VALUE_VIOLATIONS[name](value)}, true), 1, 0)) > 0")
            elif name == "qualifiedValueShape":
                counted = f"SUM(IF(BOUND(?v) && COALESCE({prop['qualified']}, false), 1, 0))"
                if "qualifiedMinCount" in params:
                    tests.append(f"{counted} < {int(params['qualifiedMinCount'].value)}")
                if "qualifiedMaxCount" in params:
                    tests.append(f"{counted} > {int(params['qualifiedMaxCount'].value)}")
        if not tests:
            return []
        query = (f"{head}SELECT ?this WHERE {{ {{ {target} }} OPTIONAL {{ ?this {path} ?v }} }} GROUP BY ?this "
                 f"HAVING ({' || '.join(tests)})")
        return sorted({str(row["this"]) for row in store.query(query)})

    def _exact(self, store, shape: _Shape, target: str, prop: dict) -> list[Result]:
        """The results of each constraint of ``prop`` (sh:node aside) on the nodes ``target`` binds."""
        path, params = prop["path"], prop["params"]
        results = []
        for name, value in params.items():
            if name not in COMPONENTS or name == "node":
                continue
            component = SH + COMPONENTS[name]
            message = prop["message"] or f"{COMPONENTS[name]} on {self._name_of(path)}"  # pySHACL's words differ
            if name == "qualifiedValueShape":
                for bound, op, kind in (("qualifiedMinCount", "<", "QualifiedMinCount"),
                                        ("qualifiedMaxCount", ">", "QualifiedMaxCount")):
                    if bound in params:
                        query = (f"SELECT ?this WHERE {{ {{ {target} }} OPTIONAL {{ ?this {path} ?v "
                                 f"FILTER({prop['qualified']}) }} }} GROUP BY ?this "
                                 f"HAVING (COUNT(DISTINCT ?v) {op} {int(params[bound].value)})")
                        results += [Result(str(row["this"]), prop["iri"], SH + kind + "ConstraintComponent", None,
                                           prop["message"] or f"{kind} on {self._name_of(path)}", shape.name)
                                    for row in store.query(query)]
                continue
            check = self._query(name, value, target, path)
            if check is None:
                continue
            with_value = name in _VALUE_VIOLATIONS
            for row in store.query(check):
                results.append(Result(str(row["this"]), prop["iri"], component,
                                      str(row["v"]) if with_value else None, message, shape.name))
        return results

    def _query(self, name: str, value, target: str, path: str) -> str | None:
        where = "{ " + target + " }"
        if name == "minCount":
            n = int(value.value)
            if n == 0:
                return None
            if n == 1:
                return f"SELECT DISTINCT ?this WHERE {{ {where} FILTER NOT EXISTS {{ ?this {path} ?v0 }} }}"
            return (f"SELECT ?this WHERE {{ {where} OPTIONAL {{ ?this {path} ?v0 }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v0) < {n})")
        if name == "maxCount":
            n = int(value.value)
            return (f"SELECT ?this WHERE {{ {where} ?this {path} ?v0 }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v0) > {n})")
        if name in _VALUE_VIOLATIONS:
            return (f"SELECT DISTINCT ?this ?v WHERE {{ {where} ?this {path} ?v "
                    f"FILTER({_VALUE_VIOLATIONS[name](value)}) }}")
        raise UnsupportedShapes(f"sh:{name}")

    def _node(self, store, shape: _Shape, target: str, prologue: dict[str, str], iri: str, node,
              component: str, message: str) -> list[Result]:
        """sh:node: a value breaks it when it breaks any constraint of the other shape."""
        path = f"<{iri}>"
        other = self._shape(node)
        values = ("{ SELECT DISTINCT ?this WHERE { { SELECT (?this AS ?focus_) WHERE { " + target + " } } "
                  "?focus_ " + path + " ?this } }")
        bad = {r.focus for r in self._violations(store, other, values, {**prologue, **other.prologue})}
        if not bad:
            return []
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prologue.items()))
        out = []
        for row in store.query(f"{head}SELECT DISTINCT ?this ?v WHERE {{ {{ {target} }} ?this {path} ?v }}"):
            if str(row["v"]) in bad:
                out.append(Result(str(row["this"]), iri, component, str(row["v"]), message, shape.name))
        return out


# Value-level components: a SPARQL expression on ?v that is true when the value breaks it.
_VALUE_VIOLATIONS = {
    "datatype": lambda d: f"!isLiteral(?v) || datatype(?v) != {d}",
    "minLength": lambda n: f"isBlank(?v) || STRLEN(STR(?v)) < {int(n.value)}",
    "maxLength": lambda n: f"isBlank(?v) || STRLEN(STR(?v)) > {int(n.value)}",
    "class": lambda c: (f"NOT EXISTS {{ ?v <{RDF_TYPE}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {c} }}"),
    "minInclusive": lambda x: f"!COALESCE(?v >= {x}, false)",
    "maxInclusive": lambda x: f"!COALESCE(?v <= {x}, false)",
    "hasValue": lambda x: f"?v != {x}",
}


def _report_text(results: Iterable[Result], name) -> str:
    results = list(results)
    lines = ["Validation Report", f"Conforms: {not results}"]
    if results:
        lines.append(f"Results ({len(results)}):")
    for r in results:
        component = r.component[len(SH):]
        lines += [f"Constraint Violation in {component} ({r.component}):",
                  "\tSeverity: sh:Violation",
                  f"\tSource Shape: {r.shape}",
                  f"\tFocus Node: {name(r.focus)}"]
        if r.value is not None:
            lines.append(f"\tValue Node: {name(r.value)}")
        if r.path:
            lines.append(f"\tResult Path: {name('<' + r.path + '>')}")
        lines.append(f"\tMessage: {r.message}")
    return "\n".join(lines) + "\n"


# -- the reference engine ------------------------------------------------------------------------
def _pyshacl(data) -> ShapesReport:
    """pySHACL on the same data, its results read back into :class:`Result`s."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH as RSH

    if isinstance(data, dict):
        from .rdf import to_graph

        data = to_graph(data, {})
    shapes = Graph().parse(data=shapes_text(), format="turtle")
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                              allow_warnings=False, inplace=True)
    results = []
    details = set(report.objects(predicate=RSH.detail))  # nested under a sh:node result, not results of their own
    for node in set(report.subjects(predicate=RSH.resultSeverity)) - details:
        value = report.value(node, RSH.value)
        path = report.value(node, RSH.resultPath)
        message = report.value(node, RSH.resultMessage)
        results.append(Result(report.value(node, RSH.focusNode).n3(), str(path) if path is not None else None,
                              str(report.value(node, RSH.sourceConstraintComponent)),
                              value.n3() if value is not None else None, str(message or "")))
    results.sort(key=lambda r: (r.focus, r.component, r.path or "", r.value or ""))
    return ShapesReport(bool(conforms), len(results), text, tuple(results))


def check_file(path: str, fmt: str = "nt") -> ShapesReport:
    """Validate an RDF file (N-Triples by default) against the shapes: Oxigraph reads it, not Python."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(path), format={"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}[fmt])
    return Checker(shapes_text()).check(store)


def main(argv: list[str] | None = None) -> int:
    """``python -m concept_graph.shapes FILE.nt``: the report as one JSON object (what a build runs aside)."""
    import json
    import sys

    (path,) = argv if argv is not None else sys.argv[1:]
    report = check_file(path)
    print(json.dumps({"conforms": report.conforms, "violations": report.violations, "text": report.text}))
    return 0 if report.conforms else 1


if __name__ == "__main__":
    raise SystemExit(main())
