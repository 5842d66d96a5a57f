"""How long the HTML page takes from navigation to a stable layout in headless Chromium.

Prints, for the article graph and for generated graphs of 500 and 2,000 concepts, the median over
a few runs of the time until vis-network's stabilization is done (the page sets
``data-cg-stable`` on its root and ``cg.stableAt``, milliseconds since navigation start). The
network is off: every request that is not ``file:`` is blocked.

    python benchmarks/bench_html.py            # 3 runs each
    python benchmarks/bench_html.py --runs 5 --sizes 500 1000 2000
"""

from __future__ import annotations

import argparse
import bisect
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from concept_graph import load_graph
from concept_graph.article import parse_article
from concept_graph.model import (Category, Concept, ConceptGraph, Evidence, GraphMeta, Relation,
                                 RelationType)
from concept_graph.viz import to_html

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_GRAPH = ROOT / "graph" / "security"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VERBS = ["fosters", "enables", "threatens", "reduces", "leads to", "requires", "mediates", "is a kind of"]


def synthetic_graph(n: int, seed: int = 1, relations_per_concept: float = 1.5, sections: int = 10) -> ConceptGraph:
    """A graph of ``n`` concepts whose article states every definition and relation in its own sentence.

    Relations attach preferentially to well-connected concepts, so the graph has hubs like a real one.
    """
    rng = random.Random(seed)
    name = [f"idea {i:05d}" for i in range(n)]
    pairs: dict[tuple[int, int], int] = {}
    degree = [1] * n
    for target in range(1, n):
        for _ in range(2 if rng.random() < relations_per_concept - 1 else 1):
            source = rng.choices(range(target), weights=degree[:target])[0]
            if (target, source) not in pairs:
                pairs[target, source] = rng.randrange(len(VERBS))
                degree[source] += 1
                degree[target] += 1
    lines, sentences = [f"Synthetic {n}"], []  # (kind, index) per sentence, in text order
    for part in range(sections):
        lines.append(f"Part {part + 1}")
        body = []
        for i in range(part, n, sections):
            body.append(f"The {name[i]} is a notion of kind {i % 6}.")
            sentences.append(("concept", i))
        for k, (pair, verb) in enumerate(sorted(pairs.items())):
            if k % sections == part:
                body.append(f"The {name[pair[0]]} {VERBS[verb]} the {name[pair[1]]}.")
                sentences.append(("relation", pair))
        lines.append(" ".join(body))
    article = parse_article("\n".join(lines) + "\n", "synthetic.txt")
    starts = [s.start for s in article.sentences]

    def evidence(start: int, end: int) -> Evidence:
        sentence = article.sentences[bisect.bisect_right(starts, start) - 1]
        return Evidence(article.text[start:end], start, end, sentence.section, sentence.index)

    located = {}
    for sentence, (kind, key) in zip(article.sentences, sentences):
        located[kind, key] = evidence(sentence.start, sentence.end - 1)
    categories = tuple(Category(f"kind-{k}", f"Kind {k}", "") for k in range(6))
    types = tuple(RelationType(f"rel-{k}", verb, verb, f"inverse of {verb}") for k, verb in enumerate(VERBS))
    concepts = tuple(Concept(f"idea-{i:05d}", name[i], (f"notion {i:05d}",), f"kind-{i % 6}",
                             f"The {i}th idea.", located["concept", i]) for i in range(n))
    relations = tuple(Relation(f"idea-{a:05d}", f"rel-{verb}", f"idea-{b:05d}", (located["relation", (a, b)],))
                      for (a, b), verb in sorted(pairs.items()))
    return ConceptGraph(GraphMeta(f"synthetic-{n}", f"Synthetic {n}", "", "https://example.org/s/", "en"),
                        article, categories, types, concepts, relations)


def time_to_stable(browser, page_path: Path) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    blocked = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else (blocked.append(r.request.url), r.abort()))
    page = context.new_page()
    page.goto(page_path.as_uri())
    page.wait_for_selector(".cg-root[data-cg-stable]", state="attached", timeout=300_000)
    stable_at = page.evaluate("document.querySelector('.cg-root').cg.stableAt")
    context.close()
    if blocked:
        raise SystemExit(f"the page asked the network for {blocked}")
    return stable_at / 1000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 2000])
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    graphs = [("article", lambda: load_graph(ARTICLE_GRAPH))]
    graphs += [(f"generated {n}", lambda n=n: synthetic_graph(n)) for n in args.sizes]
    print(f"{'graph':<16} {'concepts':>8} {'relations':>9} {'page':>8} {'render':>7} {'load to stable (median of ' + str(args.runs) + ')':>34}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, make in graphs:
            graph = make()
            started = time.perf_counter()
            page = to_html(graph)
            render = time.perf_counter() - started
            path = Path(folder) / f"{graph.meta.id}.html"
            path.write_text(page, encoding="utf-8")
            times = [time_to_stable(browser, path) for _ in range(args.runs)]
            spread = ", ".join(f"{t:.2f}" for t in times)
            print(f"{label:<16} {len(graph.concepts):>8} {len(graph.relations):>9} "
                  f"{len(page.encode()) / 1e6:>6.2f}MB {render:>6.1f}s "
                  f"{statistics.median(times):>12.2f}s  ({spread})", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
