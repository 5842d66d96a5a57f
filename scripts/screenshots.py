"""Regenerate the README's pictures (docs/img) from today's graph and page, in Debian's chromium.

Run after the graph or the page changes, then look at each picture before committing it:

    python scripts/screenshots.py            # writes docs/img/*.png

Each picture is one view a lecturer would show: the overview on a 1280x720 projector, a search,
a lecture step, present mode in a 960x540 iframe, a storyboard step, a slide of the deck, and the
static figure of a section. The page is opened from file://, offline, as a user opens it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
PAGE = ROOT / "graph" / "security" / "out" / "security.html"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
STABLE = ".cg-root[data-cg-stable]:not([data-cg-busy])"


def shoot(browser, url: str, name: str, viewport=(1280, 720), then=None, frame_stable: bool = False) -> None:
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, reduced_motion="reduce")
    page.goto(url)
    target = page.frames[1] if frame_stable else page
    target.wait_for_selector(STABLE, state="attached")
    if then:
        then(page)
        target.wait_for_selector(STABLE, state="attached")
    page.wait_for_timeout(300)
    page.screenshot(path=str(IMG / f"{name}.png"))
    page.close()
    print(f"wrote docs/img/{name}.png")


def search(word: str):
    def act(page):
        page.locator("[data-cg=search]").press_sequentially(word)
        page.locator("[data-cg=suggest] [role=option]").first.wait_for()
        page.keyboard.press("Enter")
    return act


def main() -> None:
    from playwright.sync_api import sync_playwright

    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "deck.html"
        subprocess.run([sys.executable, "-m", "concept_graph.cli", "slides", str(ROOT / "graph" / "security"),
                        "-o", str(deck)], check=True, capture_output=True)
        host = Path(tmp) / "slide.html"
        host.write_text('<!DOCTYPE html><title>A slide</title><body style="margin:0">'
                        f'<iframe src="{PAGE.as_uri()}#section=5&present" style="width:960px;height:540px;border:0">'
                        '</iframe></body>', encoding="utf-8")
        subprocess.run([sys.executable, "-m", "concept_graph.cli", "export", str(ROOT / "graph" / "security"),
                        "--format", "png", "--section", "2", "-o", str(IMG / "section-2.png")], check=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            shoot(browser, PAGE.as_uri(), "html-overview")
            shoot(browser, PAGE.as_uri(), "html-ego-sturdiness", then=search("resilience"))
            shoot(browser, PAGE.as_uri() + "#lecture=3", "html-lecture-mode")
            shoot(browser, host.as_uri(), "html-present-960x540", viewport=(960, 540), frame_stable=True)
            shoot(browser, PAGE.as_uri() + "#lecture=lecture/5", "lecture-storyboard-step")
            shoot(browser, deck.as_uri() + "#3", "lecture-deck")
            browser.close()


if __name__ == "__main__":
    main()
