"""Query workers for the server: processes that each hold the graph, bounded in time, memory and size.

A query runs in a worker process, never in the server, so that every limit can be enforced by
the operating system rather than by care: a query that overruns the time limit has its worker
killed (a thread cannot be stopped in Python), and a worker's address space is capped
(``RLIMIT_AS``), so a query that would take gigabytes fails in its own worker and the server
stays small. The worker also writes the answer in the format the client asked for and refuses
one over the byte limit, so the server only ever forwards bytes it knows the size of; the time
limit covers parsing, running and writing alike.

Throughput: each worker keeps the queries it checked by their text (the page, the panel and the
library send the same texts again and again), a request that finds every worker busy waits at
most about a second and then gets "busy, retry after" rather than waiting out the whole time
limit, and at most ``size - 1`` long queries (past ``long_after`` seconds) run at once, so at
least one worker is always left for the quick questions of everyone else.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .errors import ConceptGraphError, Problem

TIMEOUT = 10.0  # seconds a query may take, from parse to written answer
MAX_ROWS = 10_000  # rows (or triples) of one answer; the article's largest has under 500
MAX_BYTES = 16 * 1024 * 1024  # bytes of one written answer; the whole article graph is about 2 MB
MAX_MEMORY = 1024  # MiB a worker may take beyond the graph it holds
QUEUE_WAIT = 1.0  # seconds a request waits for a free worker before "busy, retry"
LONG_AFTER = 1.0  # seconds after which a query counts as long
START_TIMEOUT = 120.0  # seconds a worker may take to load the graph

# A worker is a child Python process that talks over its stdin and stdout in length-prefixed
# pickles: first (graph data, engine name, memory limit) in and "ready" out, then requests in
# and answers out, for ever. A plain subprocess rather than multiprocessing: spawning with
# multiprocessing re-runs the parent's main script, which breaks any script that starts a
# server at top level.
_WORKER_COMMAND = "from concept_graph.workers import worker_main; worker_main()"
_HEADER = struct.Struct(">Q")


@dataclass(frozen=True)
class Limits:
    """What one answer may cost: time (enforced by the pool), rows, bytes, worker memory."""

    timeout: float = TIMEOUT
    max_rows: int = MAX_ROWS
    max_bytes: int = MAX_BYTES
    max_memory: int = MAX_MEMORY  # MiB


@dataclass(frozen=True)
class Answer:
    """A query's answer, written: the bytes to send and their media type."""

    body: bytes
    media_type: str
    form: str


def _write(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own child process, over its own pipe


# -- inside a worker ----------------------------------------------------------------------------
def worker_main() -> None:
    """A worker process: load the graph once, cap its memory, then answer each request it is sent."""
    from .engines import ENGINES

    channel_in = sys.stdin.buffer
    channel_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the channel
    data, engine_name, max_memory = _read(channel_in)
    try:
        engine = ENGINES[engine_name](data)
        engine.names()  # loads what every later query needs (rdflib's SPARQL modules) before the cap
    except ConceptGraphError as exc:
        _write(channel_out, ("error", exc.problems))
        return
    _cap_memory(max_memory)
    _write(channel_out, ("ready", os.getpid()))
    while True:
        try:
            request = _read(channel_in)
        except (EOFError, OSError):
            return
        try:
            _write(channel_out, ("ok", _answer(engine, request)))
        except ConceptGraphError as exc:
            _write(channel_out, ("error", exc.problems))
        except MemoryError:
            _write(channel_out, ("error", [_too_much_memory(max_memory)]))
        except RecursionError:
            _write(channel_out, ("error", [Problem("sparql-too-deep", "query", None,
                                                    "the query is nested too deeply")]))
        except Exception as exc:  # a query must never take the worker down
            _write(channel_out, ("error", [Problem("query-failed", "query", None, f"{type(exc).__name__}: {exc}")]))


def _answer(engine, request):
    kind, text, accept, limits = request
    prepared = engine.check(text, "query", read_only=True)
    result = engine.query(prepared)
    if kind == "result":  # the server's own questions: the plain result
        return result
    if len(result.rows) > limits.max_rows:
        raise ConceptGraphError(Problem(
            "result-too-large", "query", None,
            f"the answer has {len(result.rows)} rows, more than this endpoint's limit of {limits.max_rows}",
            "add a LIMIT, or narrow the query"))
    from .results import write_answer

    body, media_type = write_answer(result, accept, prepared.prefixes, limits.max_bytes)
    return Answer(body, media_type, prepared.form)


def _cap_memory(max_memory: int) -> None:
    """Cap the address space at what the worker holds now plus ``max_memory`` MiB (Linux)."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration):
        return
    limit = size_kb * 1024 + max_memory * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _too_much_memory(max_memory: int) -> Problem:
    return Problem("query-too-large", "query", None,
                   f"the query needed more memory than a query may take here ({max_memory} MiB) and was stopped",
                   "narrow it down: a query that builds ever longer strings, or joins everything with everything, "
                   "cannot be answered")


# -- the pool, in the server --------------------------------------------------------------------
class _Worker:
    def __init__(self, data, engine: str, max_memory: int):
        env = dict(os.environ)
        package_parent = str(Path(__file__).resolve().parent.parent)  # works from a checkout too
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER_COMMAND], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
        assert self.process.stdin is not None and self.process.stdout is not None  # both are pipes
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.fd = self.stdout.fileno()
        _write(self.stdin, (data, engine, max_memory))

    def send(self, message) -> None:
        _write(self.stdin, message)

    def receive(self, deadline: float):
        """The next message, or ``TimeoutError`` at ``deadline``, or ``None`` if the worker died."""
        try:
            head = self._read_exactly(_HEADER.size, deadline)
            if head is None:
                return None
            (size,) = _HEADER.unpack(head)
            data = self._read_exactly(size, deadline)
        except TimeoutError:
            raise
        except OSError:
            return None
        return None if data is None else pickle.loads(data)  # noqa: S301 - our own child, its own pipe

    def _read_exactly(self, size: int, deadline: float) -> bytes | None:
        chunks, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(self.fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass


class Busy(ConceptGraphError):
    """Every worker is taken, or the long-query slots are: the client should retry after a moment."""

    retry_after = 2


class _Waiter:
    """A request waiting for a worker: the pool hands one over directly, first come first served."""

    __slots__ = ("worker", "event")

    def __init__(self) -> None:
        self.worker: _Worker | None = None
        self.event = threading.Event()


class WorkerPool:
    """Worker processes that each hold the graph; a query that overruns kills its worker.

    A killed worker is replaced in the background, so the pool is whole again a moment later.
    A freed worker goes to the request that has waited longest, never to one that just arrived,
    so under load every request waits about as long as the others, and none past the limit
    while the workers keep up.
    """

    def __init__(self, data, engine: str, size: int, limits: Limits = Limits(),
                 queue_wait: float = QUEUE_WAIT, long_after: float = LONG_AFTER):
        self.data, self.engine, self.limits, self.size = data, engine, limits, size
        self.queue_wait, self.long_after = min(queue_wait, limits.timeout), long_after
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._waiting: deque[_Waiter] = deque()
        self._lock = threading.Lock()
        self._long_slots = threading.BoundedSemaphore(max(1, size - 1))
        self._closed = False
        starting = [_Worker(data, engine, limits.max_memory) for _ in range(size)]  # in parallel: each loads the graph
        try:
            for worker in starting:
                self._ready(worker)
        except BaseException:
            for worker in starting:
                worker.kill()
            raise

    def _ready(self, worker: _Worker) -> None:
        try:
            message = worker.receive(time.monotonic() + START_TIMEOUT)
        except TimeoutError:
            message = ("error", [Problem("worker-failed", None, None,
                                         f"a query worker did not start in {START_TIMEOUT:g} s")])
        if message is None:
            message = ("error", [Problem("worker-failed", None, None,
                                         "a query worker stopped while loading the graph")])
        if message[0] != "ready":
            worker.kill()
            raise ConceptGraphError(message[1])
        with self._lock:
            closed = self._closed
            if not closed:
                self._workers.add(worker)
        if closed:  # a replacement that finished starting after the pool was closed
            worker.kill()
            return
        self._give_back(worker)

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle and not self._waiting:
                return self._idle.pop()
            waiter = _Waiter()
            self._waiting.append(waiter)
        waiter.event.wait(self.queue_wait)
        with self._lock:
            if waiter.worker is not None:  # handed over, perhaps just as the wait ran out
                return waiter.worker
            self._waiting.remove(waiter)
        raise Busy(Problem("server-busy", None, None, f"all {self.size} query workers are busy",
                           "try again in a moment"))

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                return
            if self._waiting:
                waiter = self._waiting.popleft()
                waiter.worker = worker
                waiter.event.set()
            else:
                self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()

        def start():
            if not self._closed:
                try:
                    self._ready(_Worker(self.data, self.engine, self.limits.max_memory))
                except ConceptGraphError:
                    pass  # the next request reports the pool as busy; the graph loaded before, so this is rare

        threading.Thread(target=start, daemon=True).start()

    def answer(self, text: str, accept: str | None = None) -> Answer:
        """The answer to a client's query, written as ``accept`` asks, within every limit."""
        return self._run(("answer", text, accept, self.limits))

    def result(self, text: str):
        """The plain :class:`Result` of one of the server's own queries (no row or byte limit)."""
        return self._run(("result", text, None, self.limits))

    def _run(self, request):
        worker = self._take()
        started = time.monotonic()
        long_slot = False
        try:
            worker.send(request)
            try:
                message = worker.receive(started + min(self.long_after, self.limits.timeout))
            except TimeoutError:
                long_slot = self._long_slots.acquire(blocking=False)
                if not long_slot:
                    self._replace(worker)
                    raise Busy(Problem(
                        "long-queries-busy", None, None,
                        f"this query ran past {self.long_after:g} s while {max(1, self.size - 1)} other long "
                        "queries were running, and was stopped so that quick questions keep being answered",
                        "try again in a moment, or narrow the query down")) from None
                try:
                    message = worker.receive(started + self.limits.timeout)
                except TimeoutError:
                    self._replace(worker)
                    raise ConceptGraphError(Problem(
                        "worker-timeout", None, None,
                        f"the query ran longer than the time limit of {self.limits.timeout:g} s and was stopped",
                        "narrow it down: bind more variables, or add a LIMIT")) from None
        except (BrokenPipeError, OSError):
            message = None
        finally:
            if long_slot:
                self._long_slots.release()
        if message is None:
            self._replace(worker)
            raise ConceptGraphError(Problem(
                "worker-crashed", None, None,
                f"the query was stopped: its worker ended, most likely because the query needed more memory than "
                f"a query may take here ({self.limits.max_memory} MiB)",
                "narrow it down: a query that builds ever longer strings, or joins everything with everything, "
                "cannot be answered"))
        self._give_back(worker)
        if message[0] == "ok":
            return message[1]
        raise ConceptGraphError(message[1])

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._workers, self._idle = list(self._workers), set(), []
            waiting, self._waiting = list(self._waiting), deque()
        for waiter in waiting:
            waiter.event.set()
        for worker in workers:
            worker.kill()
