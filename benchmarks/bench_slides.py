"""How fast a storyboard becomes a slide deck, how big the deck is, and how fast it steps.

In Python: the time to write the Security storyboard's deck (``to_deck``, the median of a few
runs, the figures of the steps drawn anew each time), its size and the share of it that is the
print pictures. In Chromium (Debian's, network off, 1280x720): the time from navigation start
until the live graph is drawn and still, the time of each step (a key press until the graph is
still again; reduced motion, so no gliding), and the time to print the deck to PDF, with its pages.

    python benchmarks/bench_slides.py
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from concept_graph import load_graph
from concept_graph.storyboard import find_storyboard, load_storyboards

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SETTLED = ".cg-root[data-cg-stable]:not([data-cg-busy])"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_dir", nargs="?", default=str(ROOT / "graph" / "security"))
    parser.add_argument("--lecture", help="the storyboard (default: the only one)")
    parser.add_argument("--runs", type=int, default=3, help="decks written (the median is printed)")
    args = parser.parse_args(argv)

    from concept_graph import figure, slides

    graph = load_graph(args.graph_dir)
    board = find_storyboard(load_storyboards(args.graph_dir, graph), args.lecture)
    times = []
    for _ in range(args.runs):
        figure._drawn_view.cache_clear()
        started = time.perf_counter()
        deck = slides.to_deck(graph, board)
        times.append(time.perf_counter() - started)
    pictures = sum(len(m) for m in re.findall(r'data:image/svg\+xml;base64,[^"]+', deck))
    size = len(deck.encode())
    print(f"{board.name}: {len(board.steps)} steps; to_deck median {statistics.median(times):.2f} s "
          f"of {args.runs}; deck {size / 1e6:.2f} MB, of which print pictures {pictures / 1e6:.2f} MB")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        path = Path(folder) / "deck.html"
        path.write_text(deck, encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion="reduce")
        blocked = []
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                      else (blocked.append(r.request.url), r.abort()))
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector(SETTLED, state="attached")
        stable = page.evaluate("document.querySelector('.cg-root').cg.stableAt") / 1000
        steps = []
        for _ in board.steps:
            started = time.perf_counter()
            page.keyboard.press("ArrowRight")
            page.wait_for_selector(SETTLED, state="attached")
            steps.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        printed = time.perf_counter() - started
        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
        browser.close()
    if blocked:
        print(f"the deck asked the network for {blocked}", file=sys.stderr)
        return 1
    print(f"Chromium 1280x720: drawn and still {stable:.2f} s after navigation start; a step (key to still) "
          f"median {statistics.median(steps) * 1000:.0f} ms, slowest {max(steps) * 1000:.0f} ms; "
          f"print to PDF {printed:.2f} s, {pages} pages, {len(pdf) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
