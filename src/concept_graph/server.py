"""The HTTP layer of ``concept-graph serve``: a read-only SPARQL endpoint, the graph's page and a panel.

``concept-graph serve`` answers the W3C SPARQL 1.1 Protocol at ``/sparql`` (GET, and POST with
a form or a bare query), SELECT and ASK in JSON, XML, CSV or TSV and CONSTRUCT and DESCRIBE in
Turtle, N-Triples, JSON-LD or RDF/XML as the ``Accept`` header asks, and serves the graph's RDF
(``/graph`` with content negotiation, ``/graph.ttl``, ``/graph.jsonld``, ``/graph.nt``), the
library (``/queries``), and at ``/`` a page with a query panel beside the HTML graph, where the
concepts in the results light up. Queries run in the worker processes of
:mod:`concept_graph.workers`; this module only speaks HTTP.

Safe by construction rather than by care: it binds 127.0.0.1 unless told otherwise; updates,
``SERVICE`` and ``FROM`` are refused from the parse tree (the last two would make it fetch other
URLs), and so are the Protocol's ``default-graph-uri`` and ``named-graph-uri``; each answer is
bounded in time, rows, bytes and memory by its worker; request bodies over the size limit are
refused unread (413); a bad request gets 400 with the reason, a busy server 503 with
``Retry-After``; only the fixed routes and the files of ``GRAPH_DIR/out`` are served, resolved
inside that folder.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import ConceptGraphError, Problem
from .media import RDF_MEDIA_TYPES, file_media_type, negotiate
from .workers import Busy, Limits, WorkerPool

MAX_REQUEST = 64 * 1024  # bytes of a query or a request body; a lecture's queries are < 4 KB
BACKLOG = 1024  # connections the kernel holds for accept(): a class that connects at once is not refused
GRAPH_FILES = {"/graph.ttl": "turtle", "/graph.jsonld": "json-ld", "/graph.nt": "nt"}
STATUS_BY_CODE = {"worker-timeout": 503, "server-busy": 503, "long-queries-busy": 503, "worker-crashed": 503,
                  "not-acceptable": 406}  # others: 400
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
       "frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'")


def default_workers() -> int:
    """One worker per CPU this process may use, and at least two."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 2
    return max(2, cpus)


# -- the server ---------------------------------------------------------------------------------
class SparqlServer(ThreadingHTTPServer):
    """The HTTP server and what it serves; make one with :func:`make_server`."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def __init__(self, address, data, pool: WorkerPool, queries, graph_dir: Path | None,
                 max_request: int = MAX_REQUEST, log: Callable[[str], None] | None = None):
        from .library import NAMES_QUERY, Names

        self.data, self.pool, self.queries = data, pool, queries
        self.graph_dir, self.max_request, self.log = graph_dir, max_request, log
        self._files: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.concepts = self._concepts()
        self.names = Names.from_records(pool.result(NAMES_QUERY).records())
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}/"

    def _concepts(self) -> list[dict]:
        result = self.pool.result(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX cg: <https://w3id.org/concept-graph/vocab#> "
            "SELECT ?iri ?id ?label ?category WHERE { ?iri a skos:Concept ; skos:notation ?id ; skos:prefLabel ?l . "
            "OPTIONAL { ?iri cg:category/skos:prefLabel ?c } BIND(STR(?l) AS ?label) BIND(STR(?c) AS ?category) } "
            "ORDER BY ?category ?label")
        return result.records()

    def graph_file(self, fmt: str) -> bytes:
        """The graph in one RDF format, rendered once and kept."""
        with self._lock:
            if fmt not in self._files:
                self._files[fmt] = self._render(fmt)
            return self._files[fmt]

    def _render(self, fmt: str) -> bytes:
        if fmt == self.data.format:
            return self.data.data
        from rdflib import Graph

        from .rdf import serialize

        g = Graph()
        for prefix, ns in self.data.prefixes.items():
            g.bind(prefix, ns)
        if self.data.is_dataset:  # several articles: the graph served is their union
            from rdflib import Dataset

            dataset = Dataset()
            dataset.parse(data=self.data.data, format=self.data.format)
            for s, p, o, _ in dataset.quads():
                g.add((s, p, o))
        else:
            g.parse(data=self.data.data, format=self.data.format)
        context = {p: ns for p, ns in sorted(self.data.prefixes.items())} if fmt == "json-ld" else None
        return serialize(g, fmt, context).encode("utf-8")

    def graph_page(self) -> bytes:
        """The built HTML page of the graph, or a plain list of its concepts when there is none."""
        if self.graph_dir is not None and self.data.graph_id:
            built = self.graph_dir / "out" / f"{self.data.graph_id}.html"
            if built.is_file():
                return built.read_bytes()
        return _fill("graph-list.html", title=html.escape(self._title()),
                     config=_script_json({"concepts": self.concepts})).encode("utf-8")

    def panel_page(self) -> bytes:
        namespace = self.data.base + "concept/" if self.data.base else None
        # Labels too: the library's questions print concepts by label (relations-of, what-it-does, ...).
        config = {"concepts": [c["id"] for c in self.concepts], "conceptNamespace": namespace,
                  "labels": {c["label"]: c["id"] for c in self.concepts}}
        return _fill("query-panel.html", title=html.escape(self._title()), config=_script_json(config)).encode("utf-8")

    def _title(self) -> str:
        return (self.data.graph_id or self.data.name) + " - SPARQL"

    def static_file(self, path: str) -> Path | None:
        """A file of GRAPH_DIR/out named by a URL path, only if it really lies inside that folder."""
        if self.graph_dir is None:
            return None
        root = (self.graph_dir / "out").resolve()
        parts = [p for p in path.split("/") if p]
        if not parts or any(p in (".", "..") or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
            return None
        candidate = root.joinpath(*parts).resolve()
        if root not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def _fill(template: str, **values: str) -> str:
    text = resources.files("concept_graph").joinpath("data", template).read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)


def _script_json(data) -> str:
    """JSON that is safe inside a <script> element: nothing in it can close the tag."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may take to send its request

    def version_string(self) -> str:
        return "concept-graph"

    def log_message(self, format, *args):  # noqa: A002 - the name BaseHTTPRequestHandler uses
        if self.server.log:
            self.server.log(f"{self.address_string()} {format % args}")

    def do_GET(self):
        self._handle("GET")

    def do_HEAD(self):
        self._handle("HEAD")

    def do_POST(self):
        self._handle("POST")

    def __getattr__(self, name: str):
        # Every other method (PUT, DELETE, PATCH, OPTIONS, TRACE, ...) gets a 405, not
        # http.server's 501: this server is read-only, it does not lack a feature.
        if name.startswith("do_"):
            return lambda: self._handle(self.command)
        raise AttributeError(name)

    def _handle(self, method: str) -> None:
        try:
            self._route(method)
        except HttpError as exc:
            self._send(exc.status, ("error: " + exc.message + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                       exc.headers, method)
        except ConceptGraphError as exc:
            status = max(STATUS_BY_CODE.get(code, 400) for code in exc.codes)
            headers = {"Retry-After": str(Busy.retry_after)} if status == 503 else {}
            self._send(status, "".join(f"error: {p}\n" for p in exc.problems).encode("utf-8"),
                       "text/plain; charset=utf-8", headers, method)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a bug of ours: say so, keep serving, and keep the details in the log
            self.log_error("internal error on %s: %s: %s", self.path, type(exc).__name__, exc)
            self.close_connection = True
            self._send(500, b"error: internal error of the server\n", "text/plain; charset=utf-8", {}, method)

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        path = url.path
        if path == "/sparql":
            if method not in ("GET", "HEAD", "POST"):
                raise HttpError(405, f"{method} is not allowed here: the endpoint is read-only",
                                {"Allow": "GET, HEAD, POST"})
            return self._sparql(method, url.query)
        if method == "POST":
            self._discard_body()
        if method not in ("GET", "HEAD"):
            raise HttpError(405, f"{method} is not allowed: this server is read-only", {"Allow": "GET, HEAD"})
        if path == "/":
            return self._send(200, self.server.panel_page(), "text/html; charset=utf-8",
                              {"Content-Security-Policy": CSP}, method)
        if path == "/graph.html":
            return self._send(200, self.server.graph_page(), "text/html; charset=utf-8", {}, method)
        if path == "/queries":
            body = json.dumps([q.info() for q in self.server.queries], indent=2, ensure_ascii=False)
            return self._send(200, body.encode("utf-8"), "application/json; charset=utf-8", {}, method)
        if path.startswith("/queries/"):
            return self._bound_query(path[len("/queries/"):], url.query, method)
        if path == "/graph":
            offers = {RDF_MEDIA_TYPES[fmt]: fmt for fmt in GRAPH_FILES.values()}
            chosen = negotiate(self.headers.get("Accept"), list(offers))
            if chosen is None:
                raise HttpError(406, "the graph is available as " + ", ".join(offers))
            return self._send(200, self.server.graph_file(offers[chosen]), chosen + "; charset=utf-8",
                              {"Vary": "Accept"}, method)
        if path in GRAPH_FILES:
            fmt = GRAPH_FILES[path]
            return self._send(200, self.server.graph_file(fmt), RDF_MEDIA_TYPES[fmt] + "; charset=utf-8", {}, method)
        found = self.server.static_file(_unquote_path(path))
        if found is None:
            raise HttpError(404, f"nothing at {path}")
        return self._send(200, found.read_bytes(), file_media_type(found.suffix), {}, method)

    # -- SPARQL 1.1 Protocol ------------------------------------------------------------------
    def _sparql(self, method: str, query_string: str) -> None:
        limit = self.server.max_request
        if len(query_string) > limit:
            raise HttpError(413, f"the request is larger than the limit of {limit} bytes")
        params = _form(query_string)
        if method == "POST":
            body = self._body()
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                for key, values in _form(body.decode("ascii", "replace")).items():
                    params.setdefault(key, []).extend(values)
            elif ctype == "application/sparql-query":
                params.setdefault("query", []).append(_utf8(body))
            elif ctype == "application/sparql-update":
                params["update"] = [_utf8(body)]
            else:
                raise HttpError(415, f"unsupported Content-Type {ctype or '(none)'!r}: send "
                                     "application/x-www-form-urlencoded or application/sparql-query")
        if "update" in params:
            raise HttpError(400, "updates are refused: this endpoint is read-only")
        for dataset in ("default-graph-uri", "named-graph-uri"):
            if dataset in params:
                raise HttpError(400, f"{dataset} is refused: this endpoint serves one graph and never fetches others; "
                                     "drop the parameter, the query runs on the graph served here")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(400, "give exactly one non-empty 'query' parameter (SPARQL 1.1 Protocol)"
                            if len(queries) != 1 else "the query is empty")
        answer = self.server.pool.answer(queries[0], self.headers.get("Accept"))
        self._send(200, answer.body, answer.media_type + "; charset=utf-8", {"Vary": "Accept"}, method)

    def _bound_query(self, name: str, query_string: str, method: str) -> None:
        """A library query with parameters from the URL bound, for the page's query panel."""
        from .library import bind, resolve

        found = [q for q in self.server.queries if q.name == name]
        if not found:
            raise HttpError(404, f"no query named {name!r} in the library")
        values = {k: v[-1] for k, v in _form(query_string).items() if v[-1] != ""}
        info = found[0].info()
        bind(found[0], values)  # misspelt parameters and bad numbers first
        info["query"] = bind(found[0], resolve(found[0], values, self.server.names))
        self._send(200, json.dumps(info, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", {},
                   method)

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HttpError(411, "send the body with a Content-Length, not chunked")
        if length is None:
            self.close_connection = True  # where the body ends is unknown
            raise HttpError(411, "a POST needs a Content-Length")
        try:
            size = int(length)
        except ValueError:
            raise HttpError(400, f"bad Content-Length {length!r}") from None
        if size < 0:
            raise HttpError(400, f"bad Content-Length {length!r}")
        if size > self.server.max_request:
            self.close_connection = True  # the body is left unread
            raise HttpError(413, f"the request body is larger than the limit of {self.server.max_request} bytes")
        return self.rfile.read(size)

    def _discard_body(self) -> None:
        try:
            size = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            size = -1
        if 0 <= size <= self.server.max_request:
            self.rfile.read(size)
        else:
            self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str, headers: dict, method: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for key, value in headers.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=50)
    except UnicodeDecodeError:
        raise HttpError(400, "the request parameters are not valid UTF-8") from None
    except ValueError as exc:
        raise HttpError(400, f"malformed request parameters: {exc}") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the query is not valid UTF-8") from None


def _unquote_path(path: str) -> str:
    from urllib.parse import unquote

    try:
        return unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise HttpError(404, "nothing there") from None


def make_server(source: Path | str, host: str = "127.0.0.1", port: int = 8000, engine: str | None = None,
                timeout: float | None = None, max_request: int = MAX_REQUEST, workers: int | None = None,
                max_rows: int | None = None, max_bytes: int | None = None, max_memory: int | None = None,
                log: Callable[[str], None] | None = None, long_after: float | None = None,
                queue_wait: float | None = None) -> SparqlServer:
    """A server for a graph folder or RDF file, bound and ready; ``port=0`` picks a free port.

    ``engine`` defaults to oxigraph when pyoxigraph is installed, ``workers`` to the CPU count;
    the limits default to those of :class:`concept_graph.workers.Limits`, ``queue_wait`` (how
    long a request waits for a worker before 503) and ``long_after`` to those of the pool. Call ``serve_forever()``
    on it (in a thread, for tests and notebooks) and ``shutdown()`` then ``server_close()`` to
    stop it and its workers.
    """
    from .engines import check_engine, default_engine
    from .library import library
    from .source import load_data
    from .workers import LONG_AFTER, QUEUE_WAIT

    engine = check_engine(engine or default_engine())
    defaults = Limits()
    limits = Limits(defaults.timeout if timeout is None else timeout,
                    defaults.max_rows if max_rows is None else max_rows,
                    defaults.max_bytes if max_bytes is None else max_bytes,
                    defaults.max_memory if max_memory is None else max_memory)
    data = load_data(source)
    queries = library()
    pool = WorkerPool(data, engine, workers or default_workers(), limits,
                      queue_wait=QUEUE_WAIT if queue_wait is None else queue_wait,
                      long_after=LONG_AFTER if long_after is None else long_after)
    try:
        return SparqlServer((host, port), data, pool, queries, data.graph_dir, max_request, log)
    except OSError as exc:
        pool.close()
        raise ConceptGraphError(Problem("cannot-listen", None, None, f"cannot listen on {host}:{port}: {exc.strerror}",
                                        "choose another --port, or stop the program using this one")) from None
    except BaseException:
        pool.close()
        raise
