"""Media types: one table for every format the project sends over HTTP, and content negotiation.

The server, the SPARQL client and ``push`` all read these tables, so a format gets one media
type everywhere (the server once had four maps that could drift apart).
"""

from __future__ import annotations

# SPARQL results: results format -> media types that ask for it, the canonical one first.
RESULT_MEDIA_TYPES = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}

# RDF graphs (the graph itself, CONSTRUCT and DESCRIBE answers): rdflib format -> media type.
RDF_MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}

# Files of a graph's out/ folder, by suffix.
FILE_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples; charset=utf-8", ".jsonld": "application/ld+json; charset=utf-8",
    ".json": "application/json", ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml",
    ".png": "image/png", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".graphml": "application/xml; charset=utf-8", ".gexf": "application/xml; charset=utf-8",
}


def result_offers() -> dict[str, str]:
    """Media type -> results format, in the order offered (JSON first, the Protocol's default)."""
    return {media: fmt for fmt, types in RESULT_MEDIA_TYPES.items() for media in types}


def graph_offers() -> dict[str, str]:
    """Media type -> RDF format for a graph answer; N-Triples is also Turtle, and text/plain."""
    offers = {media: fmt for fmt, media in RDF_MEDIA_TYPES.items()}
    offers["text/plain"] = "nt"
    return offers


def file_media_type(suffix: str) -> str:
    return FILE_MEDIA_TYPES.get(suffix.lower(), "application/octet-stream")


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers, or ``None`` if it accepts none.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["text/csv", "application/sparql-results+json"])
    'application/sparql-results+json'
    >>> negotiate("image/png", ["text/csv"]) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((kind, q))
    best, best_q = None, 0.0
    for offer in offers:
        main = offer.split("/")[0]
        matches = [(3 if k == offer else 2 if k == main + "/*" else 1, q) for k, q in ranges
                   if k in (offer, main + "/*", "*/*")]
        if matches:
            q = max(matches)[1]
            if q > best_q:
                best, best_q = offer, q
    return best
