"""Talking to other servers over HTTP: SPARQL 1.1 endpoints (queries) and one request helper.

Only the standard library's :mod:`urllib`, so querying a store or pushing to one needs nothing
installed; every failure becomes a :class:`Problem` that says which server and why.
"""

from __future__ import annotations

import json

from .engines import Engine, Prepared, _from_rdflib
from .errors import ConceptGraphError, Problem, clip
from .media import RDF_MEDIA_TYPES, RESULT_MEDIA_TYPES
from .results import Result, from_sparql_json, graph_result
from .source import standard_prefixes

USER_AGENT = "concept-graph"
TIMEOUT = 60.0  # seconds to wait for a server


class EndpointEngine(Engine):
    """Any SPARQL 1.1 endpoint, through the Protocol: a form-encoded POST, JSON results.

    ``default_graph`` is sent as ``default-graph-uri``, so the queries read one named graph of a
    store (the one ``concept-graph push`` wrote) whatever the store's default graph holds.
    ``base`` is the graph's base IRI, so that ``concept:`` and ``rel:`` work as they do locally.
    """

    name = "endpoint"

    def __init__(self, url: str, default_graph: str | None = None, timeout: float = TIMEOUT,
                 base: str | None = None):
        super().__init__()
        check_url(url, "endpoint")
        self.url, self.default_graph, self.timeout = url, default_graph, timeout
        self.prefixes = standard_prefixes(base or default_graph)

    def query(self, prepared: Prepared) -> Result:
        from urllib.parse import urlencode

        fields = {"query": prepared.text}
        if self.default_graph:
            fields["default-graph-uri"] = self.default_graph
        graph = prepared.form in ("construct", "describe")
        accept = RDF_MEDIA_TYPES["nt"] if graph else RESULT_MEDIA_TYPES["json"][0]
        body = http_request(self.url, "POST", urlencode(fields).encode("utf-8"),
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                            self.timeout, what="the SPARQL endpoint")
        try:
            if graph:
                from rdflib import Graph

                g = Graph().parse(data=body, format="nt")
                return graph_result(tuple(_from_rdflib(t) for t in triple) for triple in g)
            return from_sparql_json(json.loads(body))
        except Exception as exc:
            raise ConceptGraphError(Problem(
                "endpoint-error", self.url, None,
                f"the endpoint's answer is not valid SPARQL results: {clip(str(exc), 200)}")) from None


def check_url(url: str, what: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConceptGraphError(Problem(f"bad-{what}-url", None, None, f"{what} URL {url!r} is not an http(s) URL",
                                        "e.g. http://127.0.0.1:7878/query"))


class HttpFailure(ConceptGraphError):
    """A request that failed: ``status`` is the server's HTTP status, or ``None`` if none came."""

    def __init__(self, problem: Problem, status: int | None):
        super().__init__(problem)
        self.status = status


def http_request(url: str, method: str, body: bytes | None, headers: dict, timeout: float, what: str) -> bytes:
    """One HTTP request with the standard library; every failure becomes a problem that says why."""
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    request = Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
    code = what.split()[-1]
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - the URL is checked to be http(s)
            return response.read()
    except HTTPError as exc:
        detail = clip(" ".join(exc.read(2000).decode("utf-8", "replace").split()), 300)
        raise HttpFailure(Problem(f"{code}-refused" if exc.code < 500 else f"{code}-failed", url, None,
                                  f"{what} answered HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")),
                          exc.code) from None
    except TimeoutError:
        raise HttpFailure(Problem(f"{code}-timeout", url, None, f"{what} did not answer within {timeout:g} s",
                                  "try again, or allow more time with --timeout"), None) from None
    except (URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise HttpFailure(Problem(f"{code}-timeout", url, None, f"{what} did not answer within {timeout:g} s",
                                      "try again, or allow more time with --timeout"), None) from None
        raise HttpFailure(Problem(f"{code}-unreachable", url, None, f"cannot reach {what}: {reason}",
                                  "check the URL and that the server is running"), None) from None
