"""The HTML page in headless Chromium, as a lecturer and a student would use it, with the network off.

Every request that is not ``file:`` is blocked and counted. Debian's chromium is driven by
playwright (never ``playwright install``); a missing browser fails these tests rather than
skipping them. Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from concept_graph import load_graph
from concept_graph.viz import to_html

from conftest import ARTICLE_GRAPH, FIXTURES, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
PROJECTOR = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The tiny and hostile fixtures' pages, and the article graph's committed page (rebuilt if stale)."""
    folder = tmp_path_factory.mktemp("pages")
    found = {}
    for name in ("tiny", "hostile"):
        found[name] = folder / f"{name}.html"
        found[name].write_text(to_html(load_graph(FIXTURES / name)), encoding="utf-8")
    # The committed page when it is fresh; otherwise the page a build would write now (only the
    # page: a whole build also draws figures and checks shapes, which these tests do not need).
    committed = ARTICLE_GRAPH / "out" / "security.html"
    fresh = to_html(load_graph(ARTICLE_GRAPH))
    if committed.exists() and committed.read_text(encoding="utf-8") == fresh:
        found["article"] = committed
    else:
        found["article"] = folder / "security.html"
        found["article"].write_text(fresh, encoding="utf-8")
    return found


@pytest.fixture(scope="module")
def article():
    return load_graph(ARTICLE_GRAPH)


@dataclass
class Visit:
    """One page in its own browser context, with what it asked of the network and the console."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def cg(self, expression: str, frame=None):
        """Evaluate JavaScript with ``cg`` bound to the page's test hook (root element's ``cg``)."""
        target = frame or self.page
        return target.evaluate("() => { const cg = document.querySelector('.cg-root').cg; return (" + expression + "); }")

    def settled(self):
        self.page.wait_for_selector(".cg-root[data-cg-stable]:not([data-cg-busy])", state="attached")

    def point(self, concept_id: str) -> tuple[float, float]:
        """Where a concept is drawn, in page coordinates."""
        x, y = self.cg(f"(() => {{ const p = cg.network.canvasToDOM(cg.network.getPositions([{concept_id!r}])"
                       f"[{concept_id!r}]); return [p.x, p.y]; }})()")
        box = self.page.locator(".cg-canvas").bounding_box()
        return box["x"] + x, box["y"] + y

    def details(self) -> str:
        return self.page.locator("[data-cg=details]").inner_text()

    def shot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def visit(browser):
    """Open a page offline: file: loads, anything else is blocked and counted."""
    contexts = []

    def open_page(path: Path, fragment: str = "", *, viewport=PROJECTOR, bypass_csp=False, wait=True) -> Visit:
        context = browser.new_context(viewport=viewport, reduced_motion="reduce", bypass_csp=bypass_csp,
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)

        def route(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                seen.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        context.on("request", lambda request: seen.requests.append(request.url))
        page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri() + fragment)
        if wait:
            seen.settled()
        return seen

    yield open_page
    for context in contexts:
        context.close()


def test_the_article_page_loads_offline_with_every_concept_and_relation(visit, pages, article):
    seen = visit(pages["article"])
    seen.shot("article-1280x720")
    assert seen.blocked == []
    assert [url for url in seen.requests if not url.startswith("file:")] == []
    assert seen.errors == []
    assert len(seen.cg("cg.visibleNodes()")) == len(article.concepts) == seen.cg("cg.nodes.length")
    assert len(seen.cg("cg.visibleEdges()")) == len(article.relations) == seen.cg("cg.edges.length")
    assert seen.cg("cg.network.body.nodeIndices.length") == len(article.concepts)


def test_search_finds_ego_sturdiness_by_its_synonym_resilience(visit, pages, article):
    assert "resilience" in article.concept("ego-sturdiness").synonyms
    seen = visit(pages["article"])
    seen.page.locator("[data-cg=search]").press_sequentially("resilience")
    first = seen.page.locator("[data-cg=suggest] [role=option]").first
    assert first.inner_text().startswith("ego sturdiness")
    assert "resilience" in first.inner_text()
    seen.page.keyboard.press("Enter")
    seen.settled()
    seen.shot("article-search-resilience")
    assert seen.cg("cg.state().selected") == "ego-sturdiness"
    assert seen.page.locator("[data-cg=details] h2").inner_text() == "ego sturdiness"
    neighbours = {r.object if r.subject == "ego-sturdiness" else r.subject
                  for r in article.relations_of("ego-sturdiness")}
    assert set(seen.cg("cg.litNodes()")) == neighbours | {"ego-sturdiness"}
    x, y = seen.point("ego-sturdiness")
    box = seen.page.locator(".cg-canvas").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5 and abs(y - (box["y"] + box["height"] / 2)) < 5
    assert seen.page.evaluate("location.hash") == "#select=ego-sturdiness"


def test_clicking_a_concept_shows_its_definition_and_every_relation_with_its_quote(visit, pages):
    seen = visit(pages["tiny"])
    seen.page.mouse.click(*seen.point("exploration"))
    panel = seen.details()
    seen.shot("tiny-concept-details")
    assert "exploration" in seen.page.locator("[data-cg=details] h2").inner_text()
    assert "Also called: venturing out" in panel
    assert "Going out into the world." in panel
    assert "\u201cExploration, also called venturing out\u201d" in panel  # the definition's ground
    assert "is fostered by" in panel and "\u201cA secure base fosters exploration\u201d" in panel
    assert "leads to" in panel and "\u201cleads to mastery\u201d" in panel
    assert "Section 1: Base" in panel


def test_clicking_a_relation_shows_its_quote_in_the_passage_around_it(visit, pages):
    seen = visit(pages["tiny"])
    (x1, y1), (x2, y2) = seen.point("trauma"), seen.point("secure-base")
    seen.page.mouse.click(x1 + 0.4 * (x2 - x1), y1 + 0.4 * (y2 - y1))
    seen.shot("tiny-relation-in-context")
    assert seen.cg("cg.state().relation") == "trauma--threatens--secure-base"
    context = seen.page.locator("[data-cg=details] .cg-context")
    assert context.locator("mark").inner_text() == "Trauma threatens the secure base"
    assert "Avoidance is a defense." in context.inner_text()
    assert "Section 2: Threats" in seen.details()


def test_unticking_a_relation_type_hides_its_edges(visit, pages):
    seen = visit(pages["tiny"])
    seen.page.locator("input[data-type=fosters]").uncheck()
    seen.settled()
    assert seen.cg("cg.visibleEdges()") == ["exploration--leads-to--mastery", "mastery--kind-of--competence",
                                            "trauma--threatens--secure-base"]
    assert seen.cg("cg.edges.get('secure-base--fosters--exploration').hidden") is True
    assert seen.page.evaluate("location.hash") == "#types=leads-to,threatens,kind-of,contrasts-with"


def test_filters_by_category_and_section_and_neighbourhood_then_reset(visit, pages):
    seen = visit(pages["tiny"])
    seen.page.locator("input[data-category=threat]").uncheck()
    assert "trauma" not in seen.cg("cg.visibleNodes()")
    seen.page.select_option("[data-cg=section]", "2")
    seen.settled()
    assert seen.cg("cg.visibleNodes()") == ["secure-base"]
    seen.page.click("[data-cg=reset]")
    seen.settled()
    assert len(seen.cg("cg.visibleNodes()")) == 5 and seen.page.evaluate("location.hash") == ""
    seen.page.mouse.click(*seen.point("competence"))
    seen.page.get_by_role("button", name="Neighbourhood").click()
    seen.settled()
    assert seen.cg("cg.visibleNodes()") == ["competence", "mastery"]
    seen.page.fill("[data-cg=depth]", "2")
    seen.page.dispatch_event("[data-cg=depth]", "change")
    seen.settled()
    assert seen.cg("cg.visibleNodes()") == ["competence", "exploration", "mastery"]
    assert seen.page.evaluate("location.hash") == "#focus=competence&depth=2&select=competence"


@pytest.mark.parametrize("fragment, nodes, edges", [
    ("#focus=mastery", ["competence", "exploration", "mastery"], 2),
    ("#section=2", ["secure-base", "trauma"], 1),
    ("#types=threatens,kind-of&highlight=trauma,secure-base", None, 2),
    ("#lecture=1", ["competence", "exploration", "mastery", "secure-base"], 3),
])
def test_a_deep_link_opens_in_its_state(visit, pages, fragment, nodes, edges):
    seen = visit(pages["tiny"], fragment)
    assert seen.page.evaluate("location.hash") == fragment  # the page keeps the link as it came
    if nodes:
        assert seen.cg("cg.visibleNodes()") == nodes
    assert len(seen.cg("cg.visibleEdges()")) == edges
    if "highlight" in fragment:
        assert seen.cg("cg.litNodes()") == ["secure-base", "trauma"]
        assert seen.cg("cg.nodes.get('mastery').color.background") != seen.cg("cg.nodes.get('trauma').color.background")


def test_a_deep_link_to_a_concept_opens_its_details_and_a_changed_fragment_is_followed(visit, pages):
    seen = visit(pages["tiny"], "#select=trauma")
    assert seen.page.locator("[data-cg=details] h2").inner_text() == "trauma"
    seen.page.evaluate("location.hash = '#focus=trauma'")
    seen.page.wait_for_timeout(100)
    seen.settled()
    assert seen.cg("cg.visibleNodes()") == ["secure-base", "trauma"]


def test_lecture_mode_steps_through_the_sections_with_the_arrow_keys(visit, pages):
    seen = visit(pages["tiny"])
    seen.page.click("[data-cg=lecture]")
    seen.settled()
    banner = seen.page.locator("[data-cg=banner]")
    assert banner.is_visible() and "Base" in banner.inner_text() and "Section 1 of 2" in banner.inner_text()
    assert not seen.page.locator("[data-cg=sidepanel]").is_visible()  # the graph gets the legend's room
    assert "trauma" not in seen.cg("cg.visibleNodes()")
    seen.page.keyboard.press("ArrowRight")
    seen.settled()
    seen.shot("tiny-lecture-step-2")
    assert "Threats" in banner.inner_text() and "Section 2 of 2" in banner.inner_text()
    assert len(seen.cg("cg.visibleNodes()")) == 5 and len(seen.cg("cg.visibleEdges()")) == 4
    assert seen.cg("cg.nodes.get('trauma').shadow.enabled") is True  # what is new glows
    assert seen.cg("cg.nodes.get('mastery').opacity") < 1  # what came before is faded
    assert seen.page.evaluate("location.hash") == "#lecture=2"
    seen.page.keyboard.press("ArrowLeft")
    seen.settled()
    assert "trauma" not in seen.cg("cg.visibleNodes()")
    seen.page.click("[data-cg=lecture-end]")
    seen.settled()
    assert not banner.is_visible() and len(seen.cg("cg.visibleNodes()")) == 5
    assert seen.page.locator("[data-cg=sidepanel]").is_visible()


def test_the_article_in_lecture_mode_grows_section_by_section(visit, pages, article):
    seen = visit(pages["article"], "#lecture=1")
    counts = []
    for step in range(1, len(article.article.sections) + 1):
        if step > 1:
            seen.page.click("[data-cg=next]")
            seen.settled()
        counts.append(len(seen.cg("cg.visibleNodes()")))
        assert article.article.section(step).heading in seen.page.locator("[data-cg=banner]").inner_text()
        if step == 3:
            seen.shot("article-lecture-step-3")
    assert counts == sorted(counts) and counts[-1] == len(article.concepts)
    assert seen.errors == []


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_a_spec_with_hostile_labels_runs_no_script(visit, pages, bypass_csp):
    """Without the page's Content-Security-Policy too: the escaping alone must hold."""
    hostile = load_graph(FIXTURES / "hostile")
    seen = visit(pages["hostile"], bypass_csp=bypass_csp)
    page = seen.page
    page.locator("[data-cg=search]").press_sequentially("javascript")
    assert page.locator("[data-cg=suggest] [role=option]").count() == 2
    page.keyboard.press("Enter")
    for concept in hostile.concepts:
        seen.cg(f"cg.select({concept.id!r})")
        assert page.locator("[data-cg=details] h2").inner_text() == concept.label
        assert concept.definition in seen.details()
        for button in page.get_by_role("button", name="Read in context").all():
            button.click()
            assert page.locator("[data-cg=details] mark").count() >= 1
            seen.cg(f"cg.select({concept.id!r})")
        page.mouse.move(*seen.point(concept.id))  # the hover title
        page.wait_for_timeout(300)
    seen.shot("hostile-" + ("escaping-alone" if bypass_csp else "with-csp"))
    assert page.locator("div.vis-tooltip").inner_text().strip()
    page.click("[data-cg=lecture]")
    page.keyboard.press("ArrowRight")
    page.click("[data-cg=text]")
    assert hostile.concepts[0].label in page.locator("[data-cg=textview]").inner_text()
    assert page.locator("[data-cg=textview] h4").count() == len(hostile.concepts)
    assert page.evaluate("window.__pwned") is None
    assert seen.dialogs == []
    assert seen.errors == []
    assert page.locator("img, iframe, .cg-root svg:not([aria-hidden])").count() == 0


def test_two_graphs_embedded_in_one_page_both_render(visit, pages, tmp_path):
    tiny = tmp_path / "tiny.html"
    shutil.copy(pages["tiny"], tiny)
    shutil.copy(pages["hostile"], tmp_path / "hostile.html")
    host = tmp_path / "slides.html"
    host.write_text('<!DOCTYPE html><title>Two graphs</title><body style="margin:0;display:flex">'
                    '<iframe src="tiny.html#focus=mastery" style="width:50%;height:700px;border:0"></iframe>'
                    '<iframe src="hostile.html" style="width:50%;height:700px;border:0"></iframe></body>',
                    encoding="utf-8")
    seen = visit(host, wait=False)
    frames = [f for f in seen.page.frames if f.url.endswith((".html", "#focus=mastery"))
              and f != seen.page.main_frame]
    assert len(frames) == 2
    for frame in frames:
        frame.wait_for_selector(".cg-root[data-cg-stable]:not([data-cg-busy])", state="attached")
    seen.shot("two-graphs-in-iframes")
    assert seen.cg("cg.visibleNodes()", frames[0]) == ["competence", "exploration", "mastery"]
    assert len(seen.cg("cg.visibleNodes()", frames[1])) == 4
    assert seen.blocked == [] and seen.errors == []


def test_the_current_view_downloads_as_a_png_for_a_slide(visit, pages):
    seen = visit(pages["tiny"], "#lecture=2")
    with seen.page.expect_download() as download:
        seen.page.click("[data-cg=png]")
    ARTIFACTS.mkdir(exist_ok=True)
    download.value.save_as(ARTIFACTS / "tiny-exported-view.png")
    assert download.value.suggested_filename == "tiny-section-2.png"
    assert (ARTIFACTS / "tiny-exported-view.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert seen.blocked == []


def test_the_text_view_is_reachable_from_the_keyboard_and_links_concepts(visit, pages):
    seen = visit(pages["tiny"])
    page = seen.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the text view of the graph"
    page.keyboard.press("Enter")
    view = page.locator("[data-cg=textview]")
    assert view.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "H2"
    assert view.locator("h4").all_inner_texts() == ["secure base", "competence", "exploration", "mastery", "trauma"]
    view.get_by_role("link", name="trauma").click()
    assert page.evaluate("document.activeElement.textContent") == "trauma"
    seen.shot("tiny-text-view")
    page.click("[data-cg=text]")
    assert not view.is_visible()


def test_the_layout_stops_after_stabilizing_and_the_freeze_button_restarts_it(visit, pages):
    seen = visit(pages["tiny"])
    button = seen.page.locator("[data-cg=physics]")
    assert seen.cg("cg.network.physics.physicsEnabled") is False
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert seen.cg("cg.network.physics.physicsEnabled") is True
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert seen.cg("cg.network.physics.physicsEnabled") is False


def test_the_same_page_lays_out_the_same_way_every_time(visit, pages):
    first = visit(pages["tiny"]).cg("cg.network.getPositions()")
    second = visit(pages["tiny"]).cg("cg.network.getPositions()")
    assert first == second
