"""Benchmark: the library's SPARQL queries on rdflib and on Oxigraph (pyoxigraph), small and large.

Prints, for the article graph and for a generated graph of about 100,000 triples, each engine's
load time and every library query's median latency. The large graph is ConceptGraph-shaped: the
article graph's own concepts, relations and vocabulary, plus generated concepts and relations
(with real quotes as evidence) until the RDF has the asked number of triples, all rendered by
the real ``to_rdf``; links favour a few hubs, as in the article, so the queries that start at a
hub have real work to do.

Latency is that of ``engine.query`` on a prepared query: the rdflib parse that every engine
shares (it checks the query first) is reported in its own column.

    python benchmarks/bench_sparql.py [--repeat 5] [--triples 100000] [--budget 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from concept_graph.engines import ENGINES, prepare  # noqa: E402
from concept_graph.library import bind, library  # noqa: E402
from concept_graph.model import Concept, ConceptGraph, Relation  # noqa: E402
from concept_graph.rdf import to_rdf  # noqa: E402
from concept_graph.source import GraphData, load_data, standard_prefixes  # noqa: E402
from concept_graph.validate import load_graph  # noqa: E402

ARTICLE = ROOT / "graph" / "security"


def synthetic_graph(base: ConceptGraph, extra: int, seed: int = 7) -> ConceptGraph:
    """The article graph plus ``extra`` generated concepts and as many generated relations."""
    rng = random.Random(seed)
    categories = [c.id for c in base.categories]
    concept_quotes = [c.evidence for c in base.concepts if c.evidence]
    relation_quotes = [e for r in base.relations for e in r.evidence]
    types = [t.id for t in base.relation_types if t.skos != "broader"]
    broader = [t.id for t in base.relation_types if t.skos == "broader"]
    concepts = list(base.concepts)
    for i in range(extra):
        synonyms = (f"synonym {i}",) if i % 3 == 0 else ()
        concepts.append(Concept(f"generated-{i}", f"generated concept {i}", synonyms, rng.choice(categories),
                                f"A generated concept, number {i}.", rng.choice(concept_quotes)))
    # Zipf-like weights: the first concepts (the article's, its hubs first) are linked most often.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(concepts))]
    relations, seen = list(base.relations), {r.id for r in base.relations}
    while len(relations) < len(base.relations) + extra:
        s, o = rng.choices(range(len(concepts)), weights, k=2)
        kind = rng.random() < 0.12
        if s == o or (kind and (s < len(base.concepts) or o >= s)):  # kind-of only downwards: no cycles
            continue
        relation = Relation(concepts[s].id, rng.choice(broader) if kind else rng.choice(types), concepts[o].id,
                            (rng.choice(relation_quotes),))
        if relation.id not in seen:
            seen.add(relation.id)
            relations.append(relation)
    return replace(base, concepts=tuple(concepts), relations=tuple(relations))


def graph_of_size(triples: int) -> tuple[GraphData, int]:
    """N-Triples of a synthetic graph with about ``triples`` triples (within 1%)."""
    base = load_graph(ARTICLE)
    extra = max(0, triples // 60)
    for _ in range(4):
        g = to_rdf(synthetic_graph(base, extra))
        if abs(len(g) - triples) <= triples * 0.01:
            break
        per_step = (len(g) - len(to_rdf(base))) / max(extra, 1)
        extra = max(0, extra + round((triples - len(g)) / per_step))
    data = g.serialize(format="nt", encoding="utf-8")
    prefixes = {p: str(ns) for p, ns in g.namespaces()}
    return GraphData(data, "nt", f"synthetic ({len(g)} triples)", prefixes, base=base.meta.base), len(g)


def median_ms(run, repeat: int, budget: float) -> tuple[float, int]:
    times, spent = [], 0.0
    while len(times) < repeat and (not times or spent < budget):
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        spent += elapsed
    return statistics.median(times) * 1000, len(times)


# Left out on the generated graph: its default chain runs between two of the hubs that the
# Zipf-weighted links create, and four steps either way between hubs are millions of chains, an
# answer no engine returns in minutes (the server bounds it with its time and row limits).
TOO_LARGE = {"chain"}


def bench(data: GraphData, repeat: int, budget: float, skip: frozenset = frozenset()) -> dict:
    out = {"load": {}, "queries": {}}
    engines = {}
    for name, kind in ENGINES.items():
        started = time.perf_counter()
        engines[name] = kind(data)
        out["load"][name] = time.perf_counter() - started
    prefixes = {**standard_prefixes(), **data.prefixes}
    for query in library():
        if query.name in skip:
            print(f"  {query.name:24} left out on this graph", file=sys.stderr, flush=True)
            continue
        text = bind(query)
        started = time.perf_counter()
        prepare(text, query.name, prefixes)
        parse_ms = (time.perf_counter() - started) * 1000
        row = {"parse": parse_ms}
        for name, engine in engines.items():
            prepared = engine.check(text, query.name)  # as the engines run it: rdflib's planned
            rows = len(engine.query(prepared))
            row[name] = median_ms(partial(engine.query, prepared), repeat, budget) + (rows,)
        out["queries"][query.name] = row
        print(f"  {query.name:24} parse {parse_ms:7.1f} ms  " + "  ".join(
            f"{n} {row[n][0]:9.1f} ms ({row[n][2]} rows)" for n in engines), file=sys.stderr, flush=True)
    return out


def report(title: str, triples: int, result: dict) -> None:
    print(f"\n{title}: {triples} triples")
    print("load: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result["load"].items()))
    print(f"{'query':24} {'rows':>6} {'parse ms':>9} {'rdflib ms':>10} {'oxigraph ms':>12} {'ratio':>6}")
    for name, row in result["queries"].items():
        rd, ox = row["rdflib"][0], row["oxigraph"][0]
        print(f"{name:24} {row['rdflib'][2]:6d} {row['parse']:9.1f} {rd:10.1f} {ox:12.1f} {rd / max(ox, 1e-3):6.0f}")
    total_rd = sum(r["rdflib"][0] for r in result["queries"].values())
    total_ox = sum(r["oxigraph"][0] for r in result["queries"].values())
    print(f"{'all queries':24} {'':6} {'':9} {total_rd:10.1f} {total_ox:12.1f} {total_rd / max(total_ox, 1e-3):6.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and engine (median taken)")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the generated graph")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds after which a slow query stops repeating")
    args = parser.parse_args()

    article = load_data(ARTICLE)
    article_triples = article.data.count(b"\n")
    print(f"article graph ({article_triples} triples)", file=sys.stderr)
    small = bench(article, args.repeat, args.budget)
    started = time.perf_counter()
    large_data, large_triples = graph_of_size(args.triples)
    print(f"generated graph ({large_triples} triples) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    large = bench(large_data, args.repeat, args.budget, frozenset(TOO_LARGE))
    report("article graph", article_triples, small)
    report("generated graph", large_triples, large)


if __name__ == "__main__":
    main()
