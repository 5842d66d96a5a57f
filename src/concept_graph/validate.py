"""Validation: raw spec records plus the article become a model, or every problem at once.

Each check appends a :class:`~concept_graph.errors.Problem` with the file and line of the
offending field and goes on, so a spec with ten mistakes reports ten lines in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .article import QuoteAmbiguous, QuoteIndex, QuoteNotFound, read_article
from .errors import ConceptGraphError, Problem, clip, did_you_mean
from .model import (
    Article,
    Category,
    Concept,
    ConceptGraph,
    Evidence,
    Family,
    GraphMeta,
    Relation,
    RelationType,
    Targets,
)
from .spec import LineDict, RawSpec, load_spec

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
MAX_LABEL = 120
MAX_TEXT = 2000
SKOS_MAPPINGS = ("broader", "related")

FIELDS = {
    "graph": {"id": True, "title": True, "description": False, "base": True, "article": False,
              "language": False, "targets": False, "lint": False},
    "categories": {"id": True, "label": True, "definition": False, "needs_outgoing": False},
    "families": {"id": True, "label": True, "definition": True},
    "relation_types": {"id": True, "label": True, "definition": True, "inverse": False,
                       "symmetric": False, "skos": False, "family": False, "conflicts_with": False,
                       "cues": False, "reverse_cues": False},
    "concepts": {"id": True, "label": True, "synonyms": False, "category": True, "definition": True,
                 "quote": True, "exact_match": False, "lint": False, "status": False, "score": False},
    "relations": {"subject": True, "type": True, "object": True, "quote": True, "note": False,
                  "status": False, "score": False},
}
# `concept-graph draft` marks what it proposes `status: candidate`; a curator keeps a record by
# setting `status: accepted` (or dropping the field). Candidates are skipped, so a draft never
# pollutes a graph; `score` is the draft's confidence, kept for the curator and not exported.
STATUSES = ("candidate", "accepted")
SINGULAR = {"categories": "category", "families": "family", "relation_types": "relation type",
            "concepts": "concept", "relations": "relation"}
# Fields whose value is not one text, and what it must be instead.
FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "synonyms": list, "quote": (str, list), "symmetric": bool, "needs_outgoing": bool, "conflicts_with": list,
    "cues": list, "reverse_cues": list, "targets": dict, "lint": dict, "score": (int, float),
    "exact_match": (str, list)}
TARGETS = {"min_coverage": "a share of sentences from 0 to 1, e.g. 1.0",
           "max_isolated": "a whole number of concepts, e.g. 0",
           "max_lint_findings": "a whole number of findings, e.g. 0"}


def load_graph(graph_dir: Path | str) -> ConceptGraph:
    """Load, check and build the model of a graph folder; raise every problem found at once."""
    raw = load_spec(graph_dir)
    return Validator(raw).run()


def check_graph(graph_dir: Path | str) -> list[Problem]:
    """Every problem of a graph folder, or an empty list when it is valid."""
    try:
        load_graph(graph_dir)
    except ConceptGraphError as exc:
        return exc.problems
    return []


class Validator:
    def __init__(self, raw: RawSpec):
        self.raw = raw
        self.problems: list[Problem] = []
        self.quotes: QuoteIndex | None = None

    # -- helpers ---------------------------------------------------------------------------
    def problem(self, code, record, key, message, hint=None):
        file = getattr(record, "file", None) or (self.raw.files[0] if self.raw.files else None)
        line = None
        if isinstance(record, LineDict):
            line = record.key_lines.get(key, record.line) if key else record.line
        elif record is not None:
            line = getattr(record, "line", None)
        self.problems.append(Problem(code, file, line, message, hint))

    def where(self, kind, record, index):
        ident = record.get("id") if isinstance(record, dict) else None
        if kind == "relations" and isinstance(record, dict):
            ident = " ".join(str(record.get(k) or "?") for k in ("subject", "type", "object"))
        return f"{SINGULAR.get(kind, kind)} {ident!r}" if ident else f"{SINGULAR.get(kind, kind)} #{index + 1}"

    def fields(self, kind, record, index) -> bool:
        """Check required, unknown and scalar fields of one record; False if unusable."""
        if not isinstance(record, dict):
            self.problem("wrong-type", record, None,
                         f"{SINGULAR.get(kind, kind)} #{index + 1} must be a mapping of fields",
                         "write 'key: value' lines under the '- '")
            return False
        spec = FIELDS[kind]
        ok = True
        for key in record:
            if key not in spec:
                self.problem("unknown-field", record, key,
                             f"unknown field {key!r} in {self.where(kind, record, index)}",
                             did_you_mean(str(key), spec))
        for key, required in spec.items():
            value = record.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                if required:
                    code = "empty-label" if key == "label" and key in record else "missing-field"
                    self.problem(code, record, key if key in record else None,
                                 f"{self.where(kind, record, index)} has "
                                 f"{'an empty' if key in record else 'no'} '{key}'",
                                 f"add '{key}: ...'")
                    ok = False
                continue
            expected = FIELD_TYPES.get(key, str)
            if not isinstance(value, expected):
                names = {str: "a text", list: "a list", bool: "true or false", dict: "a mapping",
                         (str, list): "a text or a list of texts", (int, float): "a number"}
                self.problem("wrong-type", record, key,
                             f"'{key}' of {self.where(kind, record, index)} must be {names[expected]}, "
                             f"not {_describe(value)}",
                             "put text in quotes if YAML reads it as a number, date or boolean")
                ok = False
            elif key in ("label", "title") and isinstance(value, str) and len(value) > MAX_LABEL:
                self.problem("label-too-long", record, key,
                             f"'{key}' of {self.where(kind, record, index)} is {len(value)} characters long",
                             f"keep it under {MAX_LABEL}; put the rest in the definition")
                ok = False
            elif isinstance(value, str) and len(value) > MAX_TEXT:
                self.problem("text-too-long", record, key,
                             f"'{key}' of {self.where(kind, record, index)} is {len(value)} characters long",
                             f"keep it under {MAX_TEXT}")
                ok = False
        return ok

    def check_id(self, kind, record, index, seen: dict) -> str | None:
        ident = record.get("id")
        if not isinstance(ident, str):
            return None
        if not ID_PATTERN.match(ident):
            suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")
            self.problem("bad-id", record, "id", f"{SINGULAR[kind]} id {ident!r} is not a valid id",
                         "use lower-case letters, digits and single hyphens"
                         + (f", e.g. {suggestion!r}" if suggestion else ""))
            return None
        if ident in seen:
            first = seen[ident]
            self.problem("duplicate-id", record, "id", f"{SINGULAR[kind]} id {ident!r} is defined twice",
                         f"first defined at {first.file}:{first.line}")
            return None
        seen[ident] = record
        return str(ident)

    def evidence(self, article: Article, record, key, quote) -> Evidence | None:
        if self.quotes is None or self.quotes.article is not article:
            self.quotes = QuoteIndex(article, self.raw_quotes())
        try:
            return self.quotes.locate(str(quote))
        except QuoteNotFound as exc:
            self.problem("quote-not-found", quote if hasattr(quote, "line") else record, key,
                         f"quote not found in {article.path}: {_short(quote)}", exc.hint)
        except QuoteAmbiguous as exc:
            self.problem("quote-ambiguous", quote if hasattr(quote, "line") else record, key,
                         f"quote occurs {exc.count} times in the article (sections "
                         f"{', '.join(map(str, exc.sections))}): {_short(quote)}",
                         "lengthen the quote until it occurs once")
        return None

    def raw_quotes(self):
        """Every quote the spec gives, so that one pass over the article locates them all."""
        for kind in ("concepts", "relations"):
            for record in self.raw.lists[kind]:
                quote = record.get("quote") if isinstance(record, dict) else None
                yield from quote if isinstance(quote, list) else (quote,)

    # -- the checks --------------------------------------------------------------------------
    def run(self) -> ConceptGraph:
        self.skip_candidates()
        meta, article = self.graph_meta()
        categories = self.categories()
        families = self.families()
        types = self.relation_types({f.id: f for f in families})
        concepts = self.concepts(article, {c.id for c in categories})
        relations = self.relations(article, {c.id for c in concepts}, {t.id: t for t in types})
        if self.problems or meta is None or article is None:
            raise ConceptGraphError(self.problems)
        return ConceptGraph(meta, article, tuple(categories), tuple(types), tuple(concepts), tuple(relations),
                            tuple(families))

    def skip_candidates(self) -> None:
        """Drop the draft's candidates from the concepts and relations; report unknown statuses."""
        for kind in ("concepts", "relations"):
            kept = []
            for record in self.raw.lists[kind]:
                status = record.get("status") if isinstance(record, dict) else None
                if status == "candidate":
                    continue
                if status is not None and status not in STATUSES:
                    self.problem("bad-status", record, "status", f"unknown status {status!r} of a {SINGULAR[kind]}",
                                 did_you_mean(str(status), STATUSES))
                kept.append(record)
            self.raw.lists[kind] = kept

    def graph_meta(self):
        graph = self.raw.graph
        if graph is None:
            self.problems.append(Problem("missing-field", self.raw.files[0] if self.raw.files else None, None,
                                         "no 'graph:' section in any spec file",
                                         "add graph: with id, title, base and article"))
            return None, None
        if not self.fields("graph", graph, 0):
            return None, None
        ident = graph["id"]
        if not ID_PATTERN.match(ident):
            self.problem("bad-id", graph, "id", f"graph id {ident!r} is not a valid id",
                         "use lower-case letters, digits and single hyphens")
        base = graph["base"]
        parts = urlsplit(base)
        if (parts.scheme not in ("http", "https", "urn") or (parts.scheme != "urn" and not parts.netloc)
                or re.search(r"[\s<>\"{}|\\^`]", base) or not base.endswith(("/", "#"))):
            self.problem("bad-base-iri", graph, "base", f"base {base!r} is not a usable base IRI",
                         "use an absolute http(s) IRI ending in '/' or '#', e.g. https://example.org/graphs/security/")
        language = graph.get("language") or "en"
        if not LANGUAGE_PATTERN.match(language):
            self.problem("bad-language", graph, "language", f"language {language!r} is not a BCP 47 tag",
                         "use e.g. 'en' or 'en-GB'")
        article_path = self.raw.folder / (graph.get("article") or "article.txt")
        article = None
        try:
            article = read_article(article_path)
        except ConceptGraphError as exc:
            self.problems.extend(exc.problems)
        meta = GraphMeta(str(ident), graph["title"].strip(), (graph.get("description") or "").strip(), str(base),
                         str(language), self.targets(graph), self.lint_options(graph),
                         (graph.file, graph.key_lines.get("targets", graph.line)))
        return meta, article

    def targets(self, graph: LineDict) -> Targets:
        record = graph.get("targets")
        if not isinstance(record, dict):
            return Targets()
        values: dict[str, Any] = {}  # checked below: min_coverage a float, the others ints
        for key, value in record.items():
            if key not in TARGETS:
                self.problem("unknown-field", record, key, f"unknown target {key!r}", did_you_mean(str(key), TARGETS))
                continue
            share = key == "min_coverage"
            good = (isinstance(value, (int, float)) and not isinstance(value, bool)
                    and (0 <= value <= 1 if share else isinstance(value, int) and value >= 0))
            if not good:
                self.problem("bad-target", record, key, f"target {key} is {_describe(value)}", f"use {TARGETS[key]}")
                continue
            values[key] = float(value) if share else int(value)
        return Targets(**values)

    def lint_options(self, graph: LineDict) -> tuple[str, ...]:
        """``lint: {disable: [rule, ...]}`` of the graph, or of one concept; not ``off:``, which YAML
        1.1 reads as the boolean false."""
        record = graph.get("lint")
        if not isinstance(record, dict):
            return ()
        for key in record:
            if key != "disable":
                self.problem("unknown-field", record, key if isinstance(key, str) else None,
                             f"unknown lint option {key!r}", "valid: disable, e.g. disable: [one-edge]")
        rules = record.get("disable") or []
        if not isinstance(rules, list) or not all(isinstance(rule, str) for rule in rules):
            self.problem("wrong-type", record, "disable", "'disable' must be a list of lint rule ids",
                         "e.g. disable: [one-edge]")
            return ()
        from .lint import RULES

        for rule in rules:
            if rule not in RULES:
                self.problem("unknown-lint-rule", rules, None, f"unknown lint rule {rule!r}", did_you_mean(rule, RULES))
        return tuple(str(rule) for rule in rules)

    def records(self, kind: str) -> Iterator[tuple[LineDict, str | None]]:
        """Each record of ``kind`` whose fields are usable, with its id if that is valid and not taken.

        A record whose id is not usable still comes: its other fields are checked all the same.
        """
        seen: dict[str, LineDict] = {}
        for index, record in enumerate(self.raw.lists[kind]):
            if self.fields(kind, record, index):
                yield record, self.check_id(kind, record, index, seen)

    def categories(self) -> list[Category]:
        return [Category(ident, record["label"].strip(), (record.get("definition") or "").strip(),
                         bool(record.get("needs_outgoing", False)))
                for record, ident in self.records("categories") if ident]

    def families(self) -> list[Family]:
        return [Family(ident, record["label"].strip(), " ".join(record["definition"].split()))
                for record, ident in self.records("families") if ident]

    def relation_types(self, families: dict[str, Family]) -> list[RelationType]:
        out: list[RelationType] = []
        type_ids = {r.get("id") for r in self.raw.lists["relation_types"] if isinstance(r, dict)}
        for record, ident in self.records("relation_types"):
            symmetric = bool(record.get("symmetric", False))
            if symmetric and record.get("inverse"):
                self.problem("symmetric-with-inverse", record, "inverse",
                             f"relation type {ident!r} is symmetric and also has an inverse",
                             "a symmetric relation is its own inverse: drop 'inverse'")
            skos = record.get("skos")
            if skos is not None and skos not in SKOS_MAPPINGS:
                self.problem("bad-skos-mapping", record, "skos", f"skos mapping {skos!r} is not supported",
                             did_you_mean(str(skos), SKOS_MAPPINGS))
            family = record.get("family")
            if family is not None and family not in families:
                self.problem("unknown-family", record, "family",
                             f"unknown family {family!r} of relation type {ident!r}",
                             did_you_mean(str(family), families))
            if ident and ident in families:
                self.problem("duplicate-id", record, "id", f"relation type id {ident!r} is also a family's id",
                             "a family and a relation type share the rel: namespace; rename one")
            conflicts = record.get("conflicts_with") or []
            for other in conflicts:
                if other not in type_ids and other not in families:
                    self.problem("unknown-relation-type", record, "conflicts_with",
                                 f"conflicts_with of {ident!r} names {other!r}, neither a relation type nor a family",
                                 did_you_mean(str(other), {*filter(None, type_ids), *families}))
            inverse = (record.get("inverse") or "").strip()
            if inverse and isinstance(inverse, str):
                inverse_id = re.sub(r"[^a-z0-9]+", "-", inverse.lower()).strip("-")
                if inverse_id in type_ids or inverse_id in families:
                    self.problem("duplicate-id", record, "inverse",
                                 f"the inverse {inverse!r} of {ident!r} names the same property "
                                 "as a relation type or family",
                                 "an inverse is exported as rel:" + inverse_id + "; word it differently")
            cues = {}
            for key in ("cues", "reverse_cues"):
                words = record.get(key) or []
                if not all(isinstance(w, str) and w.strip() for w in words):
                    self.problem("wrong-type", record, key, f"'{key}' of {ident!r} must be a list of texts")
                    words = []
                cues[key] = tuple(" ".join(w.split()) for w in words)
            if ident:
                out.append(RelationType(ident, record["label"].strip(), " ".join(record["definition"].split()),
                                        (record.get("inverse") or "").strip() or None, symmetric,
                                        str(skos) if skos else None, str(family) if family else None,
                                        tuple(str(c) for c in conflicts), cues["cues"], cues["reverse_cues"]))
        return out

    def concepts(self, article, categories: set[str]) -> list[Concept]:
        out: list[Concept] = []
        names: dict[str, tuple[str, LineDict]] = {}  # folded name -> (concept id, its record)
        for record, ident in self.records("concepts"):
            category = str(record["category"])
            if category not in categories:
                self.problem("unknown-category", record, "category",
                             f"unknown category {category!r} in concept {record['id']!r}",
                             did_you_mean(category, categories))
            synonyms = []
            for position, synonym in enumerate(record.get("synonyms") or []):
                if not isinstance(synonym, str) or not synonym.strip():
                    self.problem("empty-label", record, "synonyms",
                                 f"synonym #{position + 1} of concept {record['id']!r} is empty or not text")
                    continue
                synonyms.append(synonym.strip())
            label = record["label"].strip()
            for name in (label, *synonyms):
                key = " ".join(name.casefold().split())
                owner = names.get(key)
                if owner and owner[0] != record["id"]:
                    self.problem("synonym-clash", record, "synonyms" if name != label else "label",
                                 f"{name!r} names both {owner[0]!r} and {record['id']!r}",
                                 f"a name belongs to one concept; {owner[0]!r} claims it at "
                                 f"{owner[1].file}:{owner[1].line}")
                elif not owner:
                    names[key] = (record["id"], record)
            evidence = (self.evidence(article, record, "quote", record["quote"])
                        if article and isinstance(record["quote"], str) else None)
            if not isinstance(record["quote"], str):
                self.problem("wrong-type", record, "quote", f"'quote' of concept {record['id']!r} must be one text")
            matches = self.exact_matches(record)
            quiet = self.lint_options(record)
            if ident:
                out.append(Concept(ident, label, tuple(synonyms), category, " ".join(record["definition"].split()),
                                   evidence, _source(record), matches, quiet))
        return out

    def exact_matches(self, record) -> tuple[str, ...]:
        """``exact_match``: the IRI (or IRIs) of the same concept in another graph (skos:exactMatch)."""
        value = record.get("exact_match")
        values = value if isinstance(value, list) else [] if value is None else [value]
        good = []
        for iri in values:
            parts = urlsplit(iri) if isinstance(iri, str) else None
            if parts is None or parts.scheme not in ("http", "https", "urn") or re.search(r"[\s<>\"{}|\\^`]", iri):
                self.problem("bad-iri", record, "exact_match", f"exact_match {_short(iri)} is not an absolute IRI",
                             "give the other graph's concept IRI, e.g. https://w3id.org/concept-graph/graphs/security/concept/secure-base")
            else:
                good.append(str(iri))
        return tuple(good)

    def relations(self, article, concepts: set[str], types: dict[str, RelationType]) -> list[Relation]:
        out: list[Relation] = []
        seen: dict[tuple[str, str, str], LineDict] = {}
        for index, record in enumerate(self.raw.lists["relations"]):
            if not self.fields("relations", record, index):
                continue
            subject, type_, object_ = (str(record[k]) for k in ("subject", "type", "object"))
            valid = True
            for key, value in (("subject", subject), ("object", object_)):
                if value not in concepts:
                    self.problem("unknown-concept", record, key,
                                 f"unknown concept {value!r} as {key} of relation '{type_}'",
                                 did_you_mean(value, concepts))
                    valid = False
            if type_ not in types:
                self.problem("unknown-relation-type", record, "type", f"unknown relation type {type_!r}",
                             did_you_mean(type_, types))
                valid = False
            if subject == object_:
                self.problem("self-relation", record, "subject", f"relation '{type_}' from {subject!r} to itself",
                             "a concept cannot be related to itself; check subject and object")
                valid = False
            quotes = record["quote"] if isinstance(record["quote"], list) else [record["quote"]]
            evidence = []
            if not quotes:
                self.problem("missing-field", record, "quote", f"relation {subject} {type_} {object_} has no quote")
                valid = False
            for quote in quotes:
                if not isinstance(quote, str) or not quote.strip():
                    self.problem("wrong-type", record, "quote", "each quote must be non-empty text")
                    valid = False
                elif article:
                    found = self.evidence(article, record, "quote", quote)
                    if found:
                        evidence.append(found)
                    else:
                        valid = False
            triple = (subject, type_, object_)
            if type_ in types and types[type_].symmetric and (object_, type_, subject) in seen:
                triple = (object_, type_, subject)
            if triple in seen and valid:
                first = seen[triple]
                self.problem("duplicate-relation", record, "subject",
                             f"relation {subject} {type_} {object_} is stated twice",
                             f"first at {first.file}:{first.line}; give one relation a list of quotes")
                valid = False
            seen.setdefault(triple, record)
            if valid:
                note = record.get("note")
                out.append(Relation(subject, type_, object_, tuple(evidence),
                                    " ".join(note.split()) if note else None, _source(record)))
        self.hierarchy_cycles(out, types)
        return out

    def hierarchy_cycles(self, relations: list[Relation], types: dict[str, RelationType]):
        """Broader-than relations (kind-of) must form no cycle: nothing is a kind of itself."""
        edges: dict[str, list[str]] = {}
        for relation in relations:
            if types[relation.type].skos == "broader":
                edges.setdefault(relation.subject, []).append(relation.object)
        state: dict[str, int] = {}
        for start in sorted(edges):
            stack = [(start, iter(edges.get(start, ())))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                    path.pop()
                elif state.get(child) == 1:
                    cycle = path[path.index(child):] + [child]
                    # Blame the edge of the cycle written last: most likely the new mistake.
                    pairs = set(pairwise(cycle))
                    broader = {t for t, rtype in types.items() if rtype.skos == "broader"}
                    record = [r for r in self.raw.lists["relations"] if isinstance(r, dict)
                              and (r.get("subject"), r.get("object")) in pairs and r.get("type") in broader][-1]
                    self.problem("hierarchy-cycle", record, "subject", "kind-of cycle: " + " -> ".join(cycle),
                                 "a concept cannot be a kind of itself; remove one of these relations")
                    state[child] = 2
                elif child not in state:
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(edges.get(child, ()))))


def _source(record) -> tuple[str, int] | None:
    file, line = getattr(record, "file", None), getattr(record, "line", None)
    return (file, line) if file and line else None


def _describe(value) -> str:
    """What a YAML value is, in words a spec's author knows."""
    if isinstance(value, str):
        return f"the text {_short(value, 40)}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):  # a LineList too
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _short(text, limit: int = 70) -> str:
    """A value of the spec as a message quotes it: on one line, clipped, in quotes."""
    return repr(clip(" ".join(str(text).split()), limit))
