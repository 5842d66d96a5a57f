"""How fast the HTML page is made in Python and drawn in Chromium, and how many labels it shows.

In Python, for the article graph and generated graphs (2,000 concepts / 3,000 relations, and
10,000 / 50,000 with --python-sizes), the time of each step of a build's page and figure:
mentions (the sections each concept appears in), the layout (the map), the page data and the rest
of the HTML, and the figure (drawn once, saved as SVG and PNG).

In Chromium (Debian's, network off), side by side in one run: a 5-concept page, the article page
and a generated page of 2,000 concepts, each the median of several loads of the time from
navigation start until the first view is drawn and still (the page's ``cg.stableAt``); then the
labels the article page draws at 1280x720 and at 960x540 (overview, and section 5).

    python benchmarks/bench_html.py                      # 5 loads each
    python benchmarks/bench_html.py --python-sizes 2000 10000 --skip-mentions
"""

from __future__ import annotations

import argparse
import bisect
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from concept_graph import load_graph
from concept_graph.article import parse_article
from concept_graph.model import Category, Concept, ConceptGraph, Evidence, GraphMeta, Relation, RelationType

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_GRAPH = ROOT / "graph" / "security"
TINY_GRAPH = ROOT / "tests" / "fixtures" / "tiny"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VERBS = ["fosters", "enables", "threatens", "reduces", "leads to", "requires", "mediates", "is a kind of"]


def synthetic_graph(n: int, seed: int = 1, relations_per_concept: float = 1.5, sections: int = 10) -> ConceptGraph:
    """A graph of ``n`` concepts whose article states every definition and relation in its own sentence.

    Relations attach preferentially to well-connected concepts (each endpoint drawn from a list
    holding every concept once per relation it has), so the graph has hubs like a real one.
    """
    rng = random.Random(seed)
    name = [f"idea {i:05d}" for i in range(n)]
    pairs: dict[tuple[int, int], int] = {}
    ends = [0]
    whole, extra = int(relations_per_concept), relations_per_concept - int(relations_per_concept)
    for target in range(1, n):
        for _ in range(whole + (1 if rng.random() < extra else 0)):
            source = ends[rng.randrange(len(ends))]
            if source != target and (target, source) not in pairs:
                pairs[target, source] = rng.randrange(len(VERBS))
                ends.append(source)
                ends.append(target)
        ends.append(target)
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
    for sentence, (kind, key) in zip(article.sentences, sentences, strict=True):
        located[kind, key] = evidence(sentence.start, sentence.end - 1)
    categories = tuple(Category(f"kind-{k}", f"Kind {k}", "") for k in range(6))
    types = tuple(RelationType(f"rel-{k}", verb, verb, f"inverse of {verb}") for k, verb in enumerate(VERBS))
    concepts = tuple(Concept(f"idea-{i:05d}", name[i], (f"notion {i:05d}",), f"kind-{i % 6}",
                             f"The {i}th idea.", located["concept", i]) for i in range(n))
    relations = tuple(Relation(f"idea-{a:05d}", f"rel-{verb}", f"idea-{b:05d}", (located["relation", (a, b)],))
                      for (a, b), verb in sorted(pairs.items()))
    return ConceptGraph(GraphMeta(f"synthetic-{n}", f"Synthetic {n}", "", "https://example.org/s/", "en"),
                        article, categories, types, concepts, relations)


def generated(n: int) -> ConceptGraph:
    """2,000 concepts with 1.5 relations each; 10,000 with 5 each (the scale target: 50,000 relations)."""
    return synthetic_graph(n, relations_per_concept=1.5 if n <= 2000 else 5)


@contextmanager
def mentions_skipped(graph: ConceptGraph, skip: bool):
    """With ``skip``, no concept is found mentioned in ``graph``'s text: its sections come from its
    quotes alone. Mentions are timed by their own work (a name automaton); until it lands, the
    per-name regexes take minutes on 10,000 concepts and would hide everything else."""
    from concept_graph import mentions

    if not skip:
        yield
        return
    original = mentions._find
    mentions._find = lambda g: () if g is graph else original(g)
    try:
        yield
    finally:
        mentions._find = original


def python_steps(graph: ConceptGraph, skip_mentions: bool) -> dict[str, float]:
    """Seconds per step of the page and the figure, each step's caches warm for the next."""
    from concept_graph import figure, layout, mentions, viz

    steps = {}
    with mentions_skipped(graph, skip_mentions):
        started = time.perf_counter()
        mentions.concept_sections(graph)
        steps["mentions"] = float("nan") if skip_mentions else time.perf_counter() - started
        started = time.perf_counter()
        layout.graph_map(graph)
        steps["layout"] = time.perf_counter() - started
        started = time.perf_counter()
        viz.page_data(graph)
        steps["page data"] = time.perf_counter() - started
        started = time.perf_counter()
        page = viz.to_html(graph)
        # to_html makes the page data again (the caches are warm): count it once.
        steps["rest of html"] = max(time.perf_counter() - started - steps["page data"], 0.0)
        started = time.perf_counter()
        figure.to_figure(graph, "svg")
        figure.to_figure(graph, "png")
        steps["figure"] = time.perf_counter() - started
    steps["bytes"] = len(page.encode())
    return steps


def open_page(browser, path: Path, viewport: dict, fragment: str = ""):
    context = browser.new_context(viewport=viewport)
    blocked = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else (blocked.append(r.request.url), r.abort()))
    page = context.new_page()
    page.goto(path.as_uri() + fragment)
    page.wait_for_selector(".cg-root[data-cg-stable]:not([data-cg-busy])", state="attached", timeout=300_000)
    if blocked:
        raise SystemExit(f"the page asked the network for {blocked}")
    return context, page


def time_to_stable(browser, path: Path) -> float:
    context, page = open_page(browser, path, {"width": 1280, "height": 720})
    stable_at = page.evaluate("document.querySelector('.cg-root').cg.stableAt")
    context.close()
    return stable_at / 1000


def labels_drawn(browser, path: Path, width: int, height: int, fragment: str = "") -> tuple[int, int, int]:
    """(labels drawn, concepts shown, smallest label px) for one view."""
    context, page = open_page(browser, path, {"width": width, "height": height}, fragment)
    labels = page.evaluate("document.querySelector('.cg-root').cg.labels()")
    shown = page.evaluate("document.querySelector('.cg-root').cg.visibleNodes().length")
    context.close()
    return len(labels), shown, min((label["px"] for label in labels), default=0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads per graph (the median is printed)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000], help="generated graphs to load in Chromium")
    parser.add_argument("--python-sizes", type=int, nargs="*", default=[2000],
                        help="generated graphs to time in Python (10000 has 50,000 relations)")
    parser.add_argument("--skip-mentions", action="store_true",
                        help="do not count mentions for generated graphs (slow until the mention automaton lands)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from concept_graph.viz import to_html

    print("Python, seconds per step (page and figure of the whole graph)")
    print(f"{'graph':<16} {'concepts':>8} {'relations':>9} {'mentions':>9} {'layout':>7} {'page data':>9} "
          f"{'rest html':>9} {'figure':>7} {'page w/o mentions':>18} {'html':>8}")
    graphs = [("article", load_graph(ARTICLE_GRAPH), False)]
    graphs += [(f"generated {n}", generated(n), args.skip_mentions) for n in args.python_sizes]
    for label, graph, skip in graphs:
        s = python_steps(graph, skip)
        print(f"{label:<16} {len(graph.concepts):>8} {len(graph.relations):>9} "
              f"{s['mentions']:>9.2f} {s['layout']:>7.2f} {s['page data']:>9.2f} "
              f"{s['rest of html']:>9.2f} {s['figure']:>7.2f} "
              f"{s['layout'] + s['page data'] + s['rest of html']:>18.2f} {s['bytes'] / 1e6:>6.2f}MB", flush=True)

    print(f"\nChromium, navigation start to first view drawn and still (median of {args.runs}, 1280x720)")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        makers = [("5 concepts", lambda: load_graph(TINY_GRAPH)), ("article", lambda: load_graph(ARTICLE_GRAPH))]
        makers += [(f"generated {n}", lambda n=n: generated(n)) for n in args.sizes]
        for label, make in makers:
            graph = make()
            path = Path(folder) / f"{graph.meta.id}.html"
            with mentions_skipped(graph, args.skip_mentions and graph.meta.id.startswith("synthetic")):
                path.write_text(to_html(graph), encoding="utf-8")
            pages.append((label, graph, path))
        medians = {}
        # Interleaved, so a busy moment of the machine falls on every page alike.
        times = {label: [] for label, _, _ in pages}
        for _ in range(args.runs):
            for label, _, path in pages:
                times[label].append(time_to_stable(browser, path))
        for label, graph, _ in pages:
            medians[label] = statistics.median(times[label])
            spread = ", ".join(f"{t:.3f}" for t in times[label])
            print(f"{label:<16} {len(graph.concepts):>6} concepts {medians[label]:>7.3f} s   ({spread})")
        print(f"article / 5 concepts: {medians['article'] / medians['5 concepts']:.2f}x")

        print("\nLabels the article page draws (labels / concepts shown, smallest px)")
        article_path = pages[1][2]
        for width, height in ((1280, 720), (960, 540)):
            for fragment in ("", "#section=5"):
                drawn, shown, smallest = labels_drawn(browser, article_path, width, height, fragment)
                print(f"{width}x{height} {fragment or 'overview':<11} {drawn:>4} / {shown:<4} smallest {smallest} px")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
