"""RDF terms: the project's own vocabulary, Web Annotation, and the prefixes every output binds.

W3C vocabularies come from :mod:`rdflib.namespace` where rdflib has them. rdflib has no Web
Annotation namespace, so :class:`OA` declares the terms used here; both it and :class:`CG` are
``DefinedNamespace`` classes with ``_fail=True``, so a misspelt term raises instead of minting a
wrong IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCMITYPE, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace


class OA(DefinedNamespace):
    """W3C Web Annotation Vocabulary (https://www.w3.org/TR/annotation-vocab/), the terms we use."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    motivatedBy: URIRef
    linking: URIRef
    describing: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


class CG(DefinedNamespace):
    """The concept-graph vocabulary: what W3C vocabularies do not already say."""

    _fail = True
    _NS = Namespace("https://w3id.org/concept-graph/vocab#")

    Relation: URIRef  # a relation stated by the article, reified with rdf:subject/predicate/object
    Section: URIRef  # a section of an article
    Family: URIRef  # a family of relation types, itself an object property
    family: URIRef  # relation type -> its family
    category: URIRef  # concept -> its category (a skos:Collection)
    evidence: URIRef  # relation -> the annotation that quotes the article stating it
    definitionSource: URIRef  # concept -> the annotation quoting the passage its definition rests on
    section: URIRef  # annotation -> the section its quote lies in
    sectionNumber: URIRef  # section -> its 1-based number
    sentenceIndex: URIRef  # annotation -> 0-based index of the sentence its quote starts in
    inverseLabel: URIRef  # relation type -> how it reads backwards ("is fostered by")
    textSha256: URIRef  # article -> SHA-256 of its text, so offsets can be checked against it
    characters: URIRef  # article -> its length in Unicode code points
    mentionedIn: URIRef  # concept -> a section whose text names it
    mentionCount: URIRef  # concept -> how many times the article names it


PREFIXES = {
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "prov": PROV,
    "dcterms": DCTERMS,
    "dcmitype": DCMITYPE,
    "oa": OA._NS,
    "cg": CG._NS,
}


def graph_namespaces(base: str) -> dict[str, Namespace]:
    """The graph's own prefixes under its base IRI: concepts, relation types, and the rest."""
    return {
        "concept": Namespace(base + "concept/"),
        "rel": Namespace(base + "rel/"),
        "category": Namespace(base + "category/"),
        "relation": Namespace(base + "relation/"),
        "evidence": Namespace(base + "evidence/"),
    }
