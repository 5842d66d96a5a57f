"""The model as RDF: SKOS concepts, OWL relation types, and W3C Web Annotation evidence.

Every relation appears twice on purpose: as a direct triple ``concept rel:type concept`` so that
simple SPARQL works, and as a reified ``cg:Relation`` node that carries its evidence (the exact
quote, located by TextQuoteSelector and TextPositionSelector, derived with PROV-O from the
article). All nodes have IRIs, no blank nodes, so every serialization is deterministic.

The model becomes a plain table of triples (:mod:`concept_graph.rdfwrite`), which the build
writes as Turtle, N-Triples and JSON-LD without an rdflib store in between; :func:`to_rdf` gives
the same triples as an rdflib ``Graph`` for notebooks and queries.

Evidence IRIs: an annotation is ``evidence:<relation-id>--<n>`` (``evidence:definition--<id>``
for a concept's definition), and its target and selectors add ``--target``, ``--quote``,
``--position``. Every evidence node is a local name in one namespace: the earlier
``evidence/<relation-id>/<n>#target`` made two namespaces per quote, which rdflib's namespace
trie (Turtle, pySHACL's report) and any reader's prefix table paid for. Ids never contain
``--``, so these names cannot collide.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCMITYPE, DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from . import rdfwrite
from .errors import ConceptGraphError, Problem, did_you_mean
from .mentions import mention_counts, mentioned_sections
from .model import ConceptGraph, Evidence, RelationType
from .rdfwrite import Lit, Table, Term
from .vocab import CG, OA, PREFIXES, graph_namespaces

# Output formats by file suffix, as rdflib's own SUFFIX_FORMAT_MAP does it.
SUFFIX_FORMAT = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}

# The terms as plain strings (the table's IRIs), read through the checked namespaces once.
A = str(RDF.type)
_RDF_STATEMENT, _RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (str(RDF.Statement), str(RDF.subject),
                                                             str(RDF.predicate), str(RDF.object))
_LABEL, _COMMENT, _DEFINED_BY, _SUBPROPERTY = (str(RDFS.label), str(RDFS.comment), str(RDFS.isDefinedBy),
                                               str(RDFS.subPropertyOf))
_DOMAIN, _RANGE = str(RDFS.domain), str(RDFS.range)
_PREF, _ALT, _DEFINITION, _NOTATION, _IN_SCHEME, _MEMBER = (
    str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.definition), str(SKOS.notation), str(SKOS.inScheme),
    str(SKOS.member))
_BROADER, _NARROWER, _SKOS_CONCEPT = str(SKOS.broader), str(SKOS.narrower), str(SKOS.Concept)
_EXACT_MATCH = str(SKOS.exactMatch)
_TITLE, _DESCRIPTION, _SOURCE, _LANGUAGE, _PART_OF, _HAS_PART = (
    str(DCTERMS.title), str(DCTERMS.description), str(DCTERMS.source), str(DCTERMS.language),
    str(DCTERMS.isPartOf), str(DCTERMS.hasPart))
_DERIVED = str(PROV.wasDerivedFrom)
_OBJECT_PROPERTY, _SYMMETRIC, _INVERSE_OF, _ONTOLOGY = (str(OWL.ObjectProperty), str(OWL.SymmetricProperty),
                                                        str(OWL.inverseOf), str(OWL.Ontology))
_ANNOTATION, _SPECIFIC, _QUOTE_SELECTOR, _POSITION_SELECTOR = (
    str(OA.Annotation), str(OA.SpecificResource), str(OA.TextQuoteSelector), str(OA.TextPositionSelector))
_BODY, _TARGET, _HAS_SOURCE, _SELECTOR, _MOTIVATED = (str(OA.hasBody), str(OA.hasTarget), str(OA.hasSource),
                                                      str(OA.hasSelector), str(OA.motivatedBy))
_EXACT, _PREFIX, _SUFFIX, _START, _END = (str(OA.exact), str(OA.prefix), str(OA.suffix), str(OA.start),
                                          str(OA.end))
_LINKING, _DESCRIBING = str(OA.linking), str(OA.describing)
_CG_SECTION, _CG_SENTENCE, _CG_EVIDENCE, _CG_DEFINITION_SOURCE, _CG_RELATION = (
    str(CG.section), str(CG.sentenceIndex), str(CG.evidence), str(CG.definitionSource), str(CG.Relation))


def slug(text: str) -> str:
    """An IRI-safe id from a label.

    >>> slug("is fostered by")
    'is-fostered-by'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Iris:
    """The IRIs of one graph, all minted from its base and the spec's ids."""

    def __init__(self, base: str):
        self.base = base
        self.ns: dict[str, str] = {prefix: str(ns) for prefix, ns in graph_namespaces(base).items()}
        self.scheme = base
        self.article = base + "article"

    def concept(self, cid: str) -> str:
        return self.ns["concept"] + cid

    def category(self, cid: str) -> str:
        return self.ns["category"] + cid

    def relation_type(self, tid: str) -> str:
        return self.ns["rel"] + tid

    def inverse_type(self, rtype: RelationType) -> str | None:
        return self.ns["rel"] + slug(rtype.inverse_label) if rtype.inverse_label else None

    def relation(self, rid: str) -> str:
        return self.ns["relation"] + rid

    def section(self, number: int) -> str:
        return f"{self.base}article/section/{number}"

    def evidence(self, key: str) -> str:
        """An annotation: ``key`` is ``<relation-id>--<n>`` or ``definition--<concept-id>``."""
        return self.ns["evidence"] + key

    def prefixes(self) -> dict[str, str]:
        """Every prefix a serialization may use: the standard ones and the graph's own."""
        return {**{p: str(ns) for p, ns in PREFIXES.items()}, **self.ns}


def triples(graph: ConceptGraph) -> Table:
    """The whole graph as a table of triples: scheme, concepts, relation types, relations, evidence, article.

    No triple is listed twice (a graph is a set): only a concept's triples can repeat (two
    relations of one family between the same concepts state the family triple twice), so only
    those are made unique.
    """
    iris = Iris(graph.meta.base)
    t: Table = rdfwrite.unique(ontology_triples(graph))
    add = rdfwrite.add
    lang = graph.meta.language

    def text(value: str) -> Lit:
        return Lit(value, lang)

    scheme, article_iri = iris.scheme, iris.article
    t[scheme] = [(A, str(SKOS.ConceptScheme)), (_TITLE, text(graph.meta.title))]
    if graph.meta.description:
        t[scheme].append((_DESCRIPTION, text(graph.meta.description)))
    t[scheme] += [(_SOURCE, article_iri), (_DERIVED, article_iri)]

    article = graph.article
    t[article_iri] = [(A, str(PROV.Entity)), (A, str(DCMITYPE.Text)), (_TITLE, text(article.title)),
                      (_LANGUAGE, Lit(lang)), (str(CG.characters), len(article.text)),
                      (str(CG.textSha256), Lit(hashlib.sha256(article.text.encode("utf-8")).hexdigest()))]
    for section in article.sections:
        s = iris.section(section.number)
        t[s] = [(A, str(CG.Section)), (_LABEL, text(section.heading)), (str(CG.sectionNumber), section.number),
                (_PART_OF, article_iri), (_START, section.heading_start), (_END, section.end)]
        t[article_iri].append((_HAS_PART, s))

    for category in graph.categories:
        c = iris.category(category.id)
        add(t, c, A, str(SKOS.Collection))
        add(t, c, _PREF, text(category.label))
        if category.definition:
            add(t, c, _DEFINITION, text(category.definition))

    for concept in graph.concepts:
        c = iris.concept(concept.id)
        category_iri = iris.category(concept.category)
        pairs: list[tuple[str, Term]] = [(A, _SKOS_CONCEPT), (_IN_SCHEME, scheme), (_PREF, text(concept.label))]
        pairs += [(_ALT, text(synonym)) for synonym in concept.synonyms]
        pairs += [(_DEFINITION, text(concept.definition)), (_NOTATION, Lit(concept.id)),
                  (str(CG.category), category_iri)]
        pairs += [(_EXACT_MATCH, iri) for iri in concept.exact_match]  # the same concept in another graph
        if concept.evidence:
            ann = iris.evidence(f"definition--{concept.id}")
            _annotation(t, iris, ann, c, concept.evidence, _DESCRIBING)
            pairs.append((_CG_DEFINITION_SOURCE, ann))
        t.setdefault(c, []).extend(pairs)
        add(t, category_iri, _MEMBER, c)

    mentioned_in, mention_count = str(CG.mentionedIn), str(CG.mentionCount)
    for concept_id, sections in mentioned_sections(graph).items():
        c = iris.concept(concept_id)
        for number in sections:
            add(t, c, mentioned_in, iris.section(number))
    for concept_id, count in mention_counts(graph).items():
        add(t, iris.concept(concept_id), mention_count, count)

    types = graph.relation_type_by_id
    for relation in graph.relations:
        s, o = iris.concept(relation.subject), iris.concept(relation.object)
        rtype = types[relation.type]
        p = iris.relation_type(relation.type)
        add(t, s, p, o)
        # What OWL and RDFS entail, written out, so that plain SPARQL on any engine (none of them
        # reasons by default) finds a relation from either end and by its family.
        inverse = iris.inverse_type(rtype)
        if inverse is not None:
            add(t, o, inverse, s)
        if rtype.symmetric:
            add(t, o, p, s)
        if rtype.family:
            add(t, s, iris.relation_type(rtype.family), o)
        if rtype.skos == "broader":
            add(t, s, _BROADER, o)
            add(t, o, _NARROWER, s)
        r = iris.relation(relation.id)
        pairs = [(A, _CG_RELATION), (A, _RDF_STATEMENT), (_RDF_SUBJECT, s), (_RDF_PREDICATE, p),
                 (_RDF_OBJECT, o), (_DERIVED, article_iri)]
        if relation.note:
            pairs.append((_COMMENT, text(relation.note)))
        for n, evidence in enumerate(relation.evidence, start=1):
            ann = iris.evidence(f"{relation.id}--{n}")
            _annotation(t, iris, ann, r, evidence, _LINKING)
            pairs.append((_CG_EVIDENCE, ann))
        t.setdefault(r, []).extend(pairs)
    for concept in graph.concepts:
        c = iris.concept(concept.id)
        t[c] = list(dict.fromkeys(t[c]))
    return t


def _annotation(t: Table, iris: Iris, ann: str, body: str, evidence: Evidence, motivation: str) -> None:
    """A Web Annotation whose target is the quoted passage of the article."""
    target, quote, position = ann + "--target", ann + "--quote", ann + "--position"
    t.setdefault(ann, []).extend([(A, _ANNOTATION), (_MOTIVATED, motivation), (_BODY, body), (_TARGET, target),
                                  (_CG_SECTION, iris.section(evidence.section)),
                                  (_CG_SENTENCE, evidence.sentence)])
    t[target] = [(A, _SPECIFIC), (_HAS_SOURCE, iris.article), (_SELECTOR, quote), (_SELECTOR, position)]
    t[quote] = [(A, _QUOTE_SELECTOR), (_EXACT, Lit(evidence.quote)), (_PREFIX, Lit(evidence.prefix)),
                (_SUFFIX, Lit(evidence.suffix))]
    t[position] = [(A, _POSITION_SELECTOR), (_START, evidence.start), (_END, evidence.end)]


def ontology_triples(graph: ConceptGraph) -> Table:
    """The relation types as OWL object properties, plus the project's own terms, for Protege."""
    iris = Iris(graph.meta.base)
    t: Table = {}
    add = rdfwrite.add
    lang = graph.meta.language
    onto = iris.base + "ontology"
    add(t, onto, A, _ONTOLOGY)
    add(t, onto, _LABEL, Lit(f"Relation types of the graph '{graph.meta.title}'", "en"))
    add(t, onto, _SOURCE, iris.article)
    for family in graph.families:
        f = iris.relation_type(family.id)
        for p, o in ((A, _OBJECT_PROPERTY), (A, str(CG.Family)), (_DEFINED_BY, onto),
                     (_LABEL, Lit(family.label, lang)), (_COMMENT, Lit(family.definition, lang)),
                     (_DOMAIN, _SKOS_CONCEPT), (_RANGE, _SKOS_CONCEPT), (_NOTATION, Lit(family.id))):
            add(t, f, p, o)
    for rtype in graph.relation_types:
        p = iris.relation_type(rtype.id)
        if rtype.family:
            add(t, p, _SUBPROPERTY, iris.relation_type(rtype.family))
            add(t, p, str(CG.family), iris.relation_type(rtype.family))
        for pred, o in ((A, _OBJECT_PROPERTY), (_DEFINED_BY, onto), (_LABEL, Lit(rtype.label, lang)),
                        (_COMMENT, Lit(rtype.definition, lang)), (_DOMAIN, _SKOS_CONCEPT), (_RANGE, _SKOS_CONCEPT),
                        (_NOTATION, Lit(rtype.id))):
            add(t, p, pred, o)
        if rtype.symmetric:
            add(t, p, A, _SYMMETRIC)
        if rtype.skos:
            add(t, p, _SUBPROPERTY, str(SKOS[rtype.skos]))
        inverse = iris.inverse_type(rtype)
        if inverse is not None and rtype.inverse_label:  # inverse_type names one exactly when there is a label
            add(t, p, str(CG.inverseLabel), Lit(rtype.inverse_label, lang))
            add(t, inverse, A, _OBJECT_PROPERTY)
            add(t, inverse, _DEFINED_BY, onto)
            add(t, inverse, _LABEL, Lit(rtype.inverse_label, lang))
            add(t, inverse, _INVERSE_OF, p)
            add(t, p, _INVERSE_OF, inverse)
    namespace = str(CG._NS)
    for term, kind, label, comment in _CG_TERMS:
        c = str(CG[term])
        add(t, c, A, str(kind))
        add(t, c, _LABEL, Lit(label, "en"))
        add(t, c, _COMMENT, Lit(comment, "en"))
        add(t, c, _DEFINED_BY, namespace)
    return t


def to_rdf(graph: ConceptGraph) -> Graph:
    """The whole graph as an rdflib Graph, with the graph's prefixes bound."""
    return to_graph(triples(graph), Iris(graph.meta.base).prefixes())


def ontology_rdf(graph: ConceptGraph) -> Graph:
    """The ontology (relation types and the project's terms) as an rdflib Graph."""
    return to_graph(ontology_triples(graph), Iris(graph.meta.base).prefixes())


def to_graph(table: Table, prefixes: dict[str, str]) -> Graph:
    """A table of triples as an rdflib Graph."""
    from rdflib import BNode, Literal, URIRef

    g = Graph()
    for prefix, ns in prefixes.items():
        g.bind(prefix, ns, override=True, replace=True)
    iris: dict[str, URIRef] = {}

    def node(term):
        kind = type(term)
        if kind is str:
            out = iris.get(term)
            if out is None:
                out = iris[term] = URIRef(term)
            return out
        if kind is int:
            return Literal(term)
        if kind is rdfwrite.Blank:
            return BNode(term)
        return Literal(term.value, lang=term.lang, datatype=term.datatype)

    g.addN((node(s), node(p), node(o), g) for s, pairs in table.items() for p, o in pairs)
    return g


def from_graph(g: Graph) -> Table:
    """An rdflib Graph as a table of triples (the inverse of :func:`to_graph`)."""
    from rdflib import BNode, Literal

    def term(node):
        if isinstance(node, Literal):
            if node.datatype is not None and str(node.datatype) == rdfwrite.XSD_INTEGER:
                try:
                    return int(str(node))
                except ValueError:
                    pass
            return Lit(str(node), node.language, str(node.datatype) if node.datatype is not None else None)
        if isinstance(node, BNode):
            return rdfwrite.Blank(node)
        return str(node)

    table: Table = {}
    for s, p, o in g:
        rdfwrite.add(table, term(s), str(p), term(o))
    return table


_CG_TERMS = [
    ("Relation", OWL.Class, "relation", "A relation between two concepts stated by the article; reified with "
     "rdf:subject, rdf:predicate and rdf:object, and carrying its evidence."),
    ("Family", OWL.Class, "relation family", "A family of relation types read together (e.g. every positive "
     "influence); an object property that its types are sub-properties of."),
    ("family", OWL.AnnotationProperty, "family",
     "The family a relation type belongs to (also stated as rdfs:subPropertyOf)."),
    ("Section", OWL.Class, "section", "A section of the article, with its heading and character span."),
    ("category", OWL.ObjectProperty, "category", "The category of a concept, a skos:Collection."),
    ("evidence", OWL.ObjectProperty, "evidence",
     "A Web Annotation quoting the passage of the article that states the relation."),
    ("definitionSource", OWL.ObjectProperty, "definition source",
     "A Web Annotation quoting the passage the concept's definition rests on."),
    ("section", OWL.ObjectProperty, "section", "The section of the article in which the quoted passage lies."),
    ("sectionNumber", OWL.DatatypeProperty, "section number", "The 1-based number of a section."),
    ("sentenceIndex", OWL.DatatypeProperty, "sentence index",
     "The 0-based index over the article of the sentence where a quote starts."),
    ("inverseLabel", OWL.AnnotationProperty, "inverse label", "How a relation type reads from object to subject."),
    ("textSha256", OWL.DatatypeProperty, "text SHA-256",
     "SHA-256 of the article's UTF-8 text; offsets refer to this text."),
    ("characters", OWL.DatatypeProperty, "characters", "Length of the article in Unicode code points."),
    ("mentionedIn", OWL.ObjectProperty, "mentioned in", "A section whose text names the concept."),
    ("mentionCount", OWL.DatatypeProperty, "mention count", "How many times the article names the concept."),
]


def format_for(path: Path | str) -> str:
    """The rdflib format for an output path, from its suffix; an unknown suffix lists the valid ones."""
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIX_FORMAT[suffix]
    except KeyError:
        raise ConceptGraphError(Problem("unknown-format", str(path), None, f"unknown RDF file suffix {suffix!r}",
                                        did_you_mean(suffix, SUFFIX_FORMAT))) from None


def jsonld_context(graph: ConceptGraph) -> dict:
    return dict(sorted(Iris(graph.meta.base).prefixes().items()))


def write(table: Table, fmt: str, prefixes: dict[str, str]) -> Iterator[str]:
    """The text of a table in a format (``turtle``, ``nt``, ``json-ld``), in chunks; duplicates dropped.

    ``prefixes`` are those Turtle may use and JSON-LD's ``@context``.
    """
    table = rdfwrite.unique(table)
    if fmt == "nt":
        return rdfwrite.ntriples(table)
    if fmt == "json-ld":
        return rdfwrite.jsonld(table, dict(sorted(prefixes.items())))
    if fmt == "turtle":
        return rdfwrite.turtle(table, prefixes)
    raise ConceptGraphError(Problem("unknown-format", None, None, f"unknown RDF format {fmt!r}",
                                    did_you_mean(fmt, SUFFIX_FORMAT.values())))


def serialize(g: Graph, fmt: str, context: dict | None = None) -> str:
    """An rdflib Graph as text, written as the build writes its files: the same graph gives the same text.

    ``context`` is the JSON-LD context (the graph's bound prefixes by default).
    """
    prefixes = context if context is not None else {p: str(ns) for p, ns in g.namespaces() if p}
    return rdfwrite.text(write(from_graph(g), fmt, prefixes))
