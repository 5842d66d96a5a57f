"""A read-only SPARQL endpoint for one graph, with the HTML graph and a query panel, on loopback.

``concept-graph serve`` answers the W3C SPARQL 1.1 Protocol at ``/sparql`` (GET, and POST with
a form or a bare query), in JSON, XML, CSV or TSV as the ``Accept`` header asks, and serves the
graph's RDF (``/graph`` with content negotiation, ``/graph.ttl``, ``/graph.jsonld``,
``/graph.nt``), the library (``/queries``), and at ``/`` a page with a query panel beside the
HTML graph, where the concepts in the results light up.

Safe by construction rather than by care: it binds 127.0.0.1 unless told otherwise; updates,
``SERVICE`` and ``FROM`` are refused from the parse tree (the last two would make it fetch other
URLs); each query runs in a worker process that is killed when it overruns the time limit, so
a runaway query cannot hold a CPU or the server; request bodies over the size limit are refused
unread (413); a bad request gets 400 with the reason; only the fixed routes and the files of
``GRAPH_DIR/out`` are served, resolved inside that folder.
"""

from __future__ import annotations

import html
import json
import os
import pickle
import queue
import re
import struct
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from .errors import ConceptGraphError, Problem

MAX_REQUEST = 64 * 1024  # bytes of a query or a request body; a lecture's queries are < 4 KB
TIMEOUT = 10.0  # seconds a query may run
WORKERS = 2
MAX_ROWS = 10_000  # rows (or triples) of one answer to a client; the article's largest has under 500

GRAPH_MEDIA_TYPES = {"turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples"}
GRAPH_FILES = {"/graph.ttl": "turtle", "/graph.jsonld": "json-ld", "/graph.nt": "nt"}
RESULT_TYPES = {  # media type -> results format; the first is the default
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
TRIPLE_TYPES = ("text/turtle", "application/n-triples", "text/plain")  # N-Triples is also Turtle
STATUS_BY_CODE = {"worker-timeout": 503, "server-busy": 503, "worker-crashed": 503}  # others: 400
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
       "frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'")


# -- workers ------------------------------------------------------------------------------------
# A worker is a child Python process that talks over its stdin and stdout in length-prefixed
# pickles: first (graph data, engine name) in and "ready" out, then a query in and its answer
# out, for ever. A plain subprocess rather than multiprocessing: spawning with multiprocessing
# re-runs the parent's main script, which breaks any script that starts a server at top level.
_WORKER_COMMAND = "from concept_graph.server import worker_main; worker_main()"


def _write(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _read(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack(">Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own child process, over its own pipe


def worker_main() -> None:
    """A worker process: load the graph once, then prepare and run each query it is sent."""
    from .sparql import ENGINES, prepare

    channel_in = sys.stdin.buffer
    channel_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the channel
    data, engine_name = _read(channel_in)
    try:
        engine = ENGINES[engine_name](data)
    except ConceptGraphError as exc:
        _write(channel_out, ("error", exc.problems))
        return
    _write(channel_out, ("ready", None))
    while True:
        try:
            text, max_rows = _read(channel_in)
        except (EOFError, OSError):
            return
        try:
            prepared = prepare(text, "query", engine.prefixes, read_only=True)
            result = engine.query(prepared)
            if max_rows is not None and len(result.rows) > max_rows:
                raise ConceptGraphError(Problem(
                    "result-too-large", "query", None,
                    f"the answer has {len(result.rows)} rows, more than this endpoint's limit of {max_rows}",
                    "add a LIMIT, or narrow the query"))
            _write(channel_out, ("ok", (result, prepared.prefixes)))
        except ConceptGraphError as exc:
            _write(channel_out, ("error", exc.problems))
        except RecursionError:
            _write(channel_out, ("error", [Problem("sparql-too-deep", "query", None, "the query is nested too deeply")]))
        except Exception as exc:  # a query must never take the worker down
            _write(channel_out, ("error", [Problem("query-failed", "query", None, f"{type(exc).__name__}: {exc}")]))


class _Worker:
    def __init__(self, data, engine: str):
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parent.parent)  # works from a checkout too
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER_COMMAND], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()
        _write(self.process.stdin, (data, engine))

    def _listen(self) -> None:
        try:
            while True:
                self.answers.put(_read(self.process.stdout))
        except (EOFError, OSError, pickle.UnpicklingError):
            self.answers.put(None)  # the worker is gone

    def ask(self, text: str, max_rows: int | None = None) -> None:
        _write(self.process.stdin, (text, max_rows))

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class WorkerPool:
    """Worker processes that each hold the graph; a query that overruns kills its worker.

    Threads cannot be stopped in Python, so a time limit enforced in a thread would leave the
    query running; a process can be killed, and a fresh one takes its place in the background.
    """

    def __init__(self, data, engine: str = "rdflib", size: int = WORKERS, timeout: float = TIMEOUT):
        self.data, self.engine, self.timeout = data, engine, timeout
        self._idle: queue.Queue = queue.Queue()
        self._workers: set = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [_Worker(data, engine) for _ in range(size)]  # in parallel: each loads the graph
        try:
            for worker in starting:
                self._idle.put(self._ready(worker))
        except BaseException:
            for worker in starting:
                worker.kill()
            raise

    def _ready(self, worker: _Worker) -> _Worker:
        try:
            message = worker.answers.get(timeout=120)
        except queue.Empty:
            message = ("error", [Problem("worker-failed", None, None, "a query worker did not start in 120 s")])
        if message is None:
            message = ("error", [Problem("worker-failed", None, None, "a query worker stopped while loading the graph")])
        if message[0] != "ready":
            worker.kill()
            raise ConceptGraphError(message[1])
        with self._lock:
            self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()

        def start():
            if not self._closed:
                self._idle.put(self._ready(_Worker(self.data, self.engine)))

        threading.Thread(target=start, daemon=True).start()

    def run(self, text: str, max_rows: int | None = None):
        """``(Result, prefixes)`` of a query, or a ConceptGraphError saying why not.

        ``max_rows`` bounds what a client may receive; the server's own queries pass none.
        """
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise ConceptGraphError(Problem("server-busy", None, None, "every query worker is busy",
                                            "try again in a moment")) from None
        try:
            worker.ask(text, max_rows)
            message = worker.answers.get(timeout=self.timeout)
        except queue.Empty:
            self._replace(worker)
            raise ConceptGraphError(Problem("worker-timeout", None, None,
                                            f"the query ran longer than the time limit of {self.timeout:g} s and was stopped",
                                            "narrow it down: bind more variables, or add a LIMIT")) from None
        except OSError:
            message = None
        if message is None:
            self._replace(worker)
            raise ConceptGraphError(Problem("worker-crashed", None, None, "the query stopped its worker",
                                            "the query may need more memory than the server allows"))
        self._idle.put(worker)
        if message[0] == "ok":
            return message[1]
        raise ConceptGraphError(message[1])

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.kill()


# -- content negotiation ------------------------------------------------------------------------
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


# -- the server ---------------------------------------------------------------------------------
class SparqlServer(ThreadingHTTPServer):
    """The HTTP server and what it serves; make one with :func:`make_server`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, data, pool: WorkerPool, queries, graph_dir: Path | None,
                 max_request: int = MAX_REQUEST, log: Callable[[str], None] | None = None,
                 max_rows: int = MAX_ROWS):
        self.data, self.pool, self.queries = data, pool, queries
        self.graph_dir, self.max_request, self.log, self.max_rows = graph_dir, max_request, log, max_rows
        self._files: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.concepts = self._concepts()
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def _concepts(self) -> list[dict]:
        result, _ = self.pool.run(
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
        config = {"concepts": [c["id"] for c in self.concepts], "conceptNamespace": namespace}
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
            self._send(status, "".join(f"error: {p}\n" for p in exc.problems).encode("utf-8"),
                       "text/plain; charset=utf-8", {}, method)
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
            return self._send(200, self.server.panel_page(), "text/html; charset=utf-8", {"Content-Security-Policy": CSP}, method)
        if path == "/graph.html":
            return self._send(200, self.server.graph_page(), "text/html; charset=utf-8", {}, method)
        if path == "/queries":
            body = json.dumps([q.info() for q in self.server.queries], indent=2, ensure_ascii=False)
            return self._send(200, body.encode("utf-8"), "application/json; charset=utf-8", {}, method)
        if path.startswith("/queries/"):
            return self._bound_query(path[len("/queries/"):], url.query, method)
        if path == "/graph":
            offers = list(GRAPH_MEDIA_TYPES.values())
            chosen = negotiate(self.headers.get("Accept"), offers)
            if chosen is None:
                raise HttpError(406, "the graph is available as " + ", ".join(offers))
            fmt = next(f for f, t in GRAPH_MEDIA_TYPES.items() if t == chosen)
            return self._send(200, self.server.graph_file(fmt), chosen + "; charset=utf-8", {"Vary": "Accept"}, method)
        if path in GRAPH_FILES:
            fmt = GRAPH_FILES[path]
            return self._send(200, self.server.graph_file(fmt), GRAPH_MEDIA_TYPES[fmt] + "; charset=utf-8", {}, method)
        found = self.server.static_file(_unquote_path(path))
        if found is None:
            raise HttpError(404, f"nothing at {path}")
        return self._send(200, found.read_bytes(), _file_type(found), {}, method)

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
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(400, "give exactly one non-empty 'query' parameter (SPARQL 1.1 Protocol)"
                            if len(queries) != 1 else "the query is empty")
        result, prefixes = self.server.pool.run(queries[0], self.server.max_rows)
        if result.kind == "graph":
            from .results import format_ntriples

            chosen = negotiate(self.headers.get("Accept"), list(TRIPLE_TYPES))
            if chosen is None:
                raise HttpError(406, "a CONSTRUCT or DESCRIBE result is available as " + ", ".join(TRIPLE_TYPES))
            return self._send(200, format_ntriples(result).encode("utf-8"), chosen + "; charset=utf-8",
                              {"Vary": "Accept"}, method)
        from .results import render

        chosen = negotiate(self.headers.get("Accept"), list(RESULT_TYPES))
        if chosen is None:
            raise HttpError(406, "results are available as " + ", ".join(RESULT_TYPES))
        fmt = RESULT_TYPES[chosen]
        media_type = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}.get(fmt, chosen)
        self._send(200, render(result, fmt, prefixes).encode("utf-8"), media_type + "; charset=utf-8",
                   {"Vary": "Accept"}, method)

    def _bound_query(self, name: str, query_string: str, method: str) -> None:
        """A library query with parameters from the URL bound, for the page's query panel."""
        from .sparql import bind

        found = [q for q in self.server.queries if q.name == name]
        if not found:
            raise HttpError(404, f"no query named {name!r} in the library")
        values = {k: v[-1] for k, v in _form(query_string).items()}
        info = found[0].info()
        info["query"] = bind(found[0], values)
        self._send(200, json.dumps(info, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", {}, method)

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


def _file_type(path: Path) -> str:
    types = {".html": "text/html; charset=utf-8", ".ttl": "text/turtle; charset=utf-8",
             ".nt": "application/n-triples; charset=utf-8", ".jsonld": "application/ld+json; charset=utf-8",
             ".json": "application/json", ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml",
             ".png": "image/png", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    return types.get(path.suffix.lower(), "application/octet-stream")


def make_server(source: Path | str, host: str = "127.0.0.1", port: int = 8000, engine: str = "rdflib",
                timeout: float = TIMEOUT, max_request: int = MAX_REQUEST, workers: int = WORKERS,
                max_rows: int = MAX_ROWS,
                log: Callable[[str], None] | None = None) -> SparqlServer:
    """A server for a graph folder or RDF file, bound and ready; ``port=0`` picks a free port.

    Call ``serve_forever()`` on it (in a thread, for tests and notebooks) and ``shutdown()``
    then ``server_close()`` to stop it and its workers.
    """
    from .sparql import ENGINES, library, load_data

    if engine not in ENGINES:
        from .errors import did_you_mean

        raise ConceptGraphError(Problem("unknown-engine", None, None, f"unknown engine {engine!r}",
                                        did_you_mean(engine, ENGINES)))
    data = load_data(source)
    queries = library()
    pool = WorkerPool(data, engine, workers, timeout)
    try:
        return SparqlServer((host, port), data, pool, queries, data.graph_dir, max_request, log, max_rows)
    except OSError as exc:
        pool.close()
        raise ConceptGraphError(Problem("cannot-listen", None, None, f"cannot listen on {host}:{port}: {exc.strerror}",
                                        "choose another --port, or stop the program using this one")) from None
    except BaseException:
        pool.close()
        raise
