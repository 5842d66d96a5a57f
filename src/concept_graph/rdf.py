"""The model as RDF: SKOS concepts, OWL relation types, and W3C Web Annotation evidence.

Every relation appears twice on purpose: as a direct triple ``concept rel:type concept`` so that
simple SPARQL works, and as a reified ``cg:Relation`` node that carries its evidence (the exact
quote, located by TextQuoteSelector and TextPositionSelector, derived with PROV-O from the
article). All nodes have IRIs, no blank nodes, so every serialization is deterministic.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCMITYPE, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import ConceptGraphError, Problem, did_you_mean
from .mentions import mention_counts, mentioned_sections
from .model import ConceptGraph, Evidence, RelationType
from .vocab import CG, OA, PREFIXES, graph_namespaces

# Output formats by file suffix, as rdflib's own SUFFIX_FORMAT_MAP does it.
SUFFIX_FORMAT = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


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
        self.ns: dict[str, Namespace] = graph_namespaces(base)
        self.scheme = URIRef(base)
        self.article = URIRef(base + "article")

    def concept(self, cid: str) -> URIRef:
        return self.ns["concept"][cid]

    def category(self, cid: str) -> URIRef:
        return self.ns["category"][cid]

    def relation_type(self, tid: str) -> URIRef:
        return self.ns["rel"][tid]

    def inverse_type(self, rtype: RelationType) -> URIRef | None:
        return self.ns["rel"][slug(rtype.inverse_label)] if rtype.inverse_label else None

    def relation(self, rid: str) -> URIRef:
        return self.ns["relation"][rid]

    def section(self, number: int) -> URIRef:
        return URIRef(f"{self.base}article/section/{number}")

    def evidence(self, key: str) -> URIRef:
        return self.ns["evidence"][key]


def _bind(g: Graph, iris: Iris) -> Graph:
    for prefix, ns in {**PREFIXES, **iris.ns}.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def to_rdf(graph: ConceptGraph) -> Graph:
    """The whole graph as RDF: scheme, concepts, relation types, relations, evidence, article."""
    iris = Iris(graph.meta.base)
    g = _bind(Graph(), iris)
    lang = graph.meta.language
    text = lambda s: Literal(s, lang=lang)  # noqa: E731

    g += ontology_rdf(graph)
    scheme = iris.scheme
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, text(graph.meta.title)))
    if graph.meta.description:
        g.add((scheme, DCTERMS.description, text(graph.meta.description)))
    g.add((scheme, DCTERMS.source, iris.article))
    g.add((scheme, PROV.wasDerivedFrom, iris.article))

    article = graph.article
    g.add((iris.article, RDF.type, PROV.Entity))
    g.add((iris.article, RDF.type, DCMITYPE.Text))
    g.add((iris.article, DCTERMS.title, text(article.title)))
    g.add((iris.article, DCTERMS.language, Literal(lang)))
    g.add((iris.article, CG.characters, Literal(len(article.text))))
    g.add((iris.article, CG.textSha256, Literal(hashlib.sha256(article.text.encode("utf-8")).hexdigest())))
    for section in article.sections:
        s = iris.section(section.number)
        g.add((s, RDF.type, CG.Section))
        g.add((s, RDFS.label, text(section.heading)))
        g.add((s, CG.sectionNumber, Literal(section.number)))
        g.add((s, DCTERMS.isPartOf, iris.article))
        g.add((iris.article, DCTERMS.hasPart, s))
        g.add((s, OA.start, Literal(section.heading_start)))
        g.add((s, OA.end, Literal(section.end)))

    for category in graph.categories:
        c = iris.category(category.id)
        g.add((c, RDF.type, SKOS.Collection))
        g.add((c, SKOS.prefLabel, text(category.label)))
        if category.definition:
            g.add((c, SKOS.definition, text(category.definition)))

    for concept in graph.concepts:
        c = iris.concept(concept.id)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.prefLabel, text(concept.label)))
        for synonym in concept.synonyms:
            g.add((c, SKOS.altLabel, text(synonym)))
        g.add((c, SKOS.definition, text(concept.definition)))
        g.add((c, SKOS.notation, Literal(concept.id)))
        g.add((c, CG.category, iris.category(concept.category)))
        g.add((iris.category(concept.category), SKOS.member, c))
        if concept.evidence:
            ann = iris.evidence(f"definition/{concept.id}")
            _annotation(g, iris, ann, c, concept.evidence, OA.describing)
            g.add((c, CG.definitionSource, ann))

    for concept_id, sections in mentioned_sections(graph).items():
        for number in sections:
            g.add((iris.concept(concept_id), CG.mentionedIn, iris.section(number)))
    for concept_id, count in mention_counts(graph).items():
        g.add((iris.concept(concept_id), CG.mentionCount, Literal(count)))

    types = graph.relation_type_by_id
    for relation in graph.relations:
        s, o = iris.concept(relation.subject), iris.concept(relation.object)
        rtype = types[relation.type]
        p = iris.relation_type(relation.type)
        g.add((s, p, o))
        # What OWL and RDFS entail, written out, so that plain SPARQL on any engine (none of them
        # reasons by default) finds a relation from either end and by its family.
        inverse = iris.inverse_type(rtype)
        if inverse is not None:
            g.add((o, inverse, s))
        if rtype.symmetric:
            g.add((o, p, s))
        if rtype.family:
            g.add((s, iris.relation_type(rtype.family), o))
        if rtype.skos == "broader":
            g.add((s, SKOS.broader, o))
            g.add((o, SKOS.narrower, s))
        r = iris.relation(relation.id)
        g.add((r, RDF.type, CG.Relation))
        g.add((r, RDF.type, RDF.Statement))
        g.add((r, RDF.subject, s))
        g.add((r, RDF.predicate, p))
        g.add((r, RDF.object, o))
        g.add((r, PROV.wasDerivedFrom, iris.article))
        if relation.note:
            g.add((r, RDFS.comment, text(relation.note)))
        for n, evidence in enumerate(relation.evidence, start=1):
            ann = iris.evidence(f"{relation.id}/{n}")
            _annotation(g, iris, ann, r, evidence, OA.linking)
            g.add((r, CG.evidence, ann))
    return g


def _annotation(g: Graph, iris: Iris, ann: URIRef, body: URIRef, evidence: Evidence, motivation: URIRef):
    """A Web Annotation whose target is the quoted passage of the article."""
    target, quote, position = URIRef(ann + "#target"), URIRef(ann + "#quote"), URIRef(ann + "#position")
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.motivatedBy, motivation))
    g.add((ann, OA.hasBody, body))
    g.add((ann, OA.hasTarget, target))
    g.add((ann, CG.section, iris.section(evidence.section)))
    g.add((ann, CG.sentenceIndex, Literal(evidence.sentence)))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, iris.article))
    g.add((target, OA.hasSelector, quote))
    g.add((target, OA.hasSelector, position))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(evidence.quote)))
    g.add((quote, OA.prefix, Literal(evidence.prefix)))
    g.add((quote, OA.suffix, Literal(evidence.suffix)))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(evidence.start)))
    g.add((position, OA.end, Literal(evidence.end)))


def ontology_rdf(graph: ConceptGraph) -> Graph:
    """The relation types as OWL object properties, plus the project's own terms, for Protege."""
    iris = Iris(graph.meta.base)
    g = _bind(Graph(), iris)
    lang = graph.meta.language
    onto = URIRef(iris.base + "ontology")
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal(f"Relation types of the graph '{graph.meta.title}'", lang="en")))
    g.add((onto, DCTERMS.source, iris.article))
    for family in graph.families:
        f = iris.relation_type(family.id)
        g.add((f, RDF.type, OWL.ObjectProperty))
        g.add((f, RDF.type, CG.Family))
        g.add((f, RDFS.isDefinedBy, onto))
        g.add((f, RDFS.label, Literal(family.label, lang=lang)))
        g.add((f, RDFS.comment, Literal(family.definition, lang=lang)))
        g.add((f, RDFS.domain, SKOS.Concept))
        g.add((f, RDFS.range, SKOS.Concept))
        g.add((f, SKOS.notation, Literal(family.id)))
    for rtype in graph.relation_types:
        p = iris.relation_type(rtype.id)
        if rtype.family:
            g.add((p, RDFS.subPropertyOf, iris.relation_type(rtype.family)))
            g.add((p, CG.family, iris.relation_type(rtype.family)))
        g.add((p, RDF.type, OWL.ObjectProperty))
        g.add((p, RDFS.isDefinedBy, onto))
        g.add((p, RDFS.label, Literal(rtype.label, lang=lang)))
        g.add((p, RDFS.comment, Literal(rtype.definition, lang=lang)))
        g.add((p, RDFS.domain, SKOS.Concept))
        g.add((p, RDFS.range, SKOS.Concept))
        g.add((p, SKOS.notation, Literal(rtype.id)))
        if rtype.symmetric:
            g.add((p, RDF.type, OWL.SymmetricProperty))
        if rtype.skos:
            g.add((p, RDFS.subPropertyOf, SKOS[rtype.skos]))
        inverse = iris.inverse_type(rtype)
        if inverse is not None:
            g.add((p, CG.inverseLabel, Literal(rtype.inverse_label, lang=lang)))
            g.add((inverse, RDF.type, OWL.ObjectProperty))
            g.add((inverse, RDFS.isDefinedBy, onto))
            g.add((inverse, RDFS.label, Literal(rtype.inverse_label, lang=lang)))
            g.add((inverse, OWL.inverseOf, p))
            g.add((p, OWL.inverseOf, inverse))
    for term, kind, label, comment in _CG_TERMS:
        t = CG[term]
        g.add((t, RDF.type, kind))
        g.add((t, RDFS.label, Literal(label, lang="en")))
        g.add((t, RDFS.comment, Literal(comment, lang="en")))
        g.add((t, RDFS.isDefinedBy, URIRef(str(CG._NS))))
    return g


_CG_TERMS = [
    ("Relation", OWL.Class, "relation", "A relation between two concepts stated by the article; reified with rdf:subject, rdf:predicate and rdf:object, and carrying its evidence."),
    ("Family", OWL.Class, "relation family", "A family of relation types read together (e.g. every positive influence); an object property that its types are sub-properties of."),
    ("family", OWL.AnnotationProperty, "family", "The family a relation type belongs to (also stated as rdfs:subPropertyOf)."),
    ("Section", OWL.Class, "section", "A section of the article, with its heading and character span."),
    ("category", OWL.ObjectProperty, "category", "The category of a concept, a skos:Collection."),
    ("evidence", OWL.ObjectProperty, "evidence", "A Web Annotation quoting the passage of the article that states the relation."),
    ("definitionSource", OWL.ObjectProperty, "definition source", "A Web Annotation quoting the passage the concept's definition rests on."),
    ("section", OWL.ObjectProperty, "section", "The section of the article in which the quoted passage lies."),
    ("sectionNumber", OWL.DatatypeProperty, "section number", "The 1-based number of a section."),
    ("sentenceIndex", OWL.DatatypeProperty, "sentence index", "The 0-based index over the article of the sentence where a quote starts."),
    ("inverseLabel", OWL.AnnotationProperty, "inverse label", "How a relation type reads from object to subject."),
    ("textSha256", OWL.DatatypeProperty, "text SHA-256", "SHA-256 of the article's UTF-8 text; offsets refer to this text."),
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
    iris = Iris(graph.meta.base)
    context = {prefix: str(ns) for prefix, ns in sorted({**PREFIXES, **iris.ns}.items())}
    return context


def serialize(g: Graph, fmt: str, context: dict | None = None) -> str:
    """Serialize deterministically: the same graph gives the same text in every process.

    rdflib's Turtle writer sorts subjects and predicates; N-Triples and JSON-LD follow the store's
    iteration order, so their lines and nodes are sorted here.
    """
    if fmt == "nt":
        # Split on "\n" only: str.splitlines() would also split inside literals holding U+2028,
        # U+0085 or other separators that N-Triples does not escape.
        lines = g.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return "\n".join(sorted(set(line for line in lines if line.strip()))) + "\n"
    if fmt == "json-ld":
        data = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
        nodes = data.get("@graph", [])
        for node in nodes:
            for key, value in node.items():
                if isinstance(value, list):
                    node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        data["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return g.serialize(format=fmt)
