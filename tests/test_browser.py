"""The HTML page in headless Chromium, as a lecturer and a student would use it, with the network off.

Every request that is not ``file:`` is blocked and counted. Debian's chromium is driven by
playwright (never ``playwright install``); a missing browser fails these tests rather than
skipping them. Screenshots land in test-artifacts/ for a person to look at. Pages are opened with
reduced motion (views change at once) unless a test asks for the gliding moves.
"""

from __future__ import annotations

import base64
import re
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest

from concept_graph import load_graph
from concept_graph.slides import to_deck
from concept_graph.storyboard import chain, load_storyboards, resolve, step_quotes
from concept_graph.views import subset
from concept_graph.viz import to_html
from conftest import ARTICLE_GRAPH, FIXTURES, ROOT

pytestmark = pytest.mark.slow  # browsers, servers or whole builds: the full suite runs them, the quick loop does not

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
    graph = load_graph(ARTICLE_GRAPH)
    fresh = to_html(graph, storyboards=load_storyboards(ARTICLE_GRAPH, graph))
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
        return target.evaluate("() => { const cg = document.querySelector('.cg-root').cg; "
                               "return (" + expression + "); }")

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

    def open_page(path: Path, fragment: str = "", *, viewport=PROJECTOR, bypass_csp=False, wait=True,
                  motion=False) -> Visit:
        context = browser.new_context(viewport=viewport, reduced_motion="no-preference" if motion else "reduce",
                                      bypass_csp=bypass_csp, accept_downloads=True)
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


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes intersect."""
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
               a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]:
                found.append((a["id"], b["id"]))
    return found


def contrast(rgb: str, background=(255, 255, 255)) -> float:
    """WCAG contrast of a CSS ``rgb(r, g, b)`` colour on ``background``."""
    def luminance(channels):
        r, g, b = ((v / 255) / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    values = [int(v) for v in re.findall(r"\d+", rgb)[:3]]
    high, low = sorted((luminance(values), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PAINTED = """() => {
  const canvas = document.querySelector('.cg-canvas canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && (pixels[i] < 230 || pixels[i + 1] < 230 || pixels[i + 2] < 230)) inked++;
  }
  return inked;
}"""


# ---- loading, drawing, labels ---------------------------------------------------------------------

def test_the_article_page_loads_offline_with_every_concept_and_relation(visit, pages, article):
    seen = visit(pages["article"])
    seen.shot("article-1280x720")
    assert seen.blocked == []
    assert [url for url in seen.requests if not url.startswith("file:")] == []
    assert seen.errors == []
    assert len(seen.cg("cg.visibleNodes()")) == len(article.concepts) == seen.cg("cg.nodes.length")
    assert len(seen.cg("cg.visibleEdges()")) == len(article.relations) == seen.cg("cg.edges.length")
    assert seen.cg("cg.network.body.nodeIndices.length") == len(article.concepts)


def test_the_map_is_drawn_at_once_from_the_build_and_never_moves(visit, pages):
    seen = visit(pages["article"])
    assert seen.cg("cg.network.physics.physicsEnabled") is False
    stable_at = seen.cg("cg.stableAt")
    assert 0 < stable_at <= seen.page.evaluate("performance.now()")
    assert seen.page.evaluate(PAINTED) > 5000  # the first drawing is the map, not an empty canvas
    before = seen.cg("cg.network.getPositions()")
    seen.page.wait_for_timeout(1000)
    assert seen.cg("cg.network.getPositions()") == before


def test_the_overview_on_a_projector_names_at_least_40_concepts_readably_and_without_overlap(visit, pages):
    seen = visit(pages["article"])
    labels = seen.cg("cg.labels()")
    canvas = seen.page.locator(".cg-canvas").bounding_box()
    seen.shot("article-labels-1280x720")
    assert len(labels) >= 40
    assert {"id", "text", "x", "y", "width", "height", "px"} <= set(labels[0])
    assert min(label["px"] for label in labels) >= 14
    assert overlapping(labels) == []
    for label in labels:
        assert canvas["x"] <= label["x"] and label["x"] + label["width"] <= canvas["x"] + canvas["width"]
        assert canvas["y"] <= label["y"] and label["y"] + label["height"] <= canvas["y"] + canvas["height"]
    # The most connected concept is named, and larger than the least.
    assert "psychological security" in {label["text"] for label in labels}
    assert max(label["px"] for label in labels) > 14


def test_a_section_in_a_960x540_iframe_names_all_its_concepts_or_says_how_many_more(visit, pages, tmp_path):
    shutil.copy(pages["article"], tmp_path / "security.html")
    host = tmp_path / "slide.html"
    host.write_text('<!DOCTYPE html><title>A slide</title><body style="margin:0">'
                    '<iframe src="security.html#section=5" style="width:960px;height:540px;border:0"></iframe></body>',
                    encoding="utf-8")
    seen = visit(host, viewport={"width": 1000, "height": 600}, wait=False)
    frame = seen.page.frames[1]
    frame.wait_for_selector(".cg-root[data-cg-stable]:not([data-cg-busy])", state="attached")
    seen.shot("article-section-5-iframe-960x540")
    shown = seen.cg("cg.visibleNodes()", frame)
    labels = seen.cg("cg.labels()", frame)
    in_section = len(subset(load_graph(ARTICLE_GRAPH), section=5).concepts)
    assert len(shown) == in_section
    assert min(label["px"] for label in labels) >= 14 and overlapping(labels) == []
    cue = frame.locator("[data-cg=more]")
    assert cue.is_visible()
    if len(labels) < len(shown):
        assert cue.inner_text().startswith(f"+{len(shown) - len(labels)} more")
    else:
        assert cue.inner_text() == f"All {in_section} concepts named."


def test_a_lecture_step_names_what_it_brings_and_writes_the_verbs_of_its_new_relations(visit, pages, article):
    seen = visit(pages["article"], "#lecture=2")
    labels = {label["id"] for label in seen.cg("cg.labels()")}
    fresh = [c.id for c in article.concepts if seen.cg(f"cg.nodes.get({c.id!r}).shadow.enabled")]
    seen.shot("article-lecture-step-2")
    assert fresh and len(labels & set(fresh)) >= 0.8 * len(fresh)
    assert overlapping(seen.cg("cg.labels()")) == []
    verbs = seen.cg("cg.verbs()")
    labels_of_types = {t.label for t in article.relation_types}
    assert verbs and {v["text"] for v in verbs} <= labels_of_types


def test_a_neighbourhood_writes_the_verb_on_each_edge(visit, pages):
    seen = visit(pages["tiny"], "#focus=mastery")
    assert {v["text"] for v in seen.cg("cg.verbs()")} == {"leads to", "is a kind of"}
    assert {label["text"] for label in seen.cg("cg.labels()")} == {"mastery", "exploration", "competence"}


def test_the_detail_slider_keeps_the_most_connected_concepts(visit, pages, article):
    from collections import Counter

    degree = Counter()
    for r in article.relations:
        degree[r.subject] += 1
        degree[r.object] += 1
    seen = visit(pages["article"], "#top=40")
    shown = seen.cg("cg.visibleNodes()")
    assert len(shown) == 40
    assert min(degree[c] for c in shown) >= sorted(degree.values(), reverse=True)[39]
    assert seen.page.locator("[data-cg=top-out]").inner_text().startswith(f"40 of {len(article.concepts)}")


# ---- exploring ------------------------------------------------------------------------------------

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
    assert "ego sturdiness" in seen.page.locator("[data-cg=announce]").inner_text()


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
    seen.page.mouse.click(x1 + 0.3 * (x2 - x1), y1 + 0.3 * (y2 - y1))
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


def test_the_legend_groups_relation_types_by_family_with_one_colour_and_line_each(visit, pages, article):
    seen = visit(pages["article"])
    families = seen.page.locator("[data-cg=types] > li.cg-family")
    assert families.count() == len(article.families)
    first = families.first
    assert first.locator("label").first.inner_text().startswith("promotes")
    promotes = [t.id for t in article.relation_types if t.family == "promotes"]
    assert [box.get_attribute("data-type") for box in first.locator("input[data-type]").all()] == promotes
    colours = {seen.cg(f"cg.edges.get({r.id!r}).color.color") for r in article.relations if r.type in promotes}
    assert len(colours) == 1
    # Unticking the family hides all its types at once.
    first.locator("input[data-family]").uncheck()
    seen.settled()
    assert all(seen.cg(f"cg.state().hiddenTypes.has({t!r})") is True for t in promotes)
    shown = set(seen.cg("cg.visibleEdges()"))
    assert shown and not any(r.id in shown for r in article.relations if r.type in promotes)


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


# ---- deep links -----------------------------------------------------------------------------------

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
    assert seen.page.locator("[data-cg=notice]").is_hidden()


def test_a_deep_link_to_a_concept_selects_and_centres_it_and_a_changed_fragment_is_followed(visit, pages):
    seen = visit(pages["article"], "#select=trust")
    assert seen.page.locator("[data-cg=details] h2").inner_text() == "trust"
    assert seen.cg("cg.network.getSelectedNodes()") == ["trust"]
    x, y = seen.point("trust")
    box = seen.page.locator(".cg-canvas").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5 and abs(y - (box["y"] + box["height"] / 2)) < 5
    seen.page.evaluate("location.hash = '#focus=acute-threat'")
    seen.page.wait_for_timeout(100)
    seen.settled()
    assert "acute-threat" in seen.cg("cg.visibleNodes()") and len(seen.cg("cg.visibleNodes()")) < 20


@pytest.mark.parametrize("fragment, named", [
    ("#focus=nonexistent", "\u201cnonexistent\u201d"),
    ("#section=99", "\u201c99\u201d"),
    ("#select=trsut", "\u201ctrsut\u201d"),
    ("#foucs=trust", "\u201cfoucs\u201d"),
    ("#lecture=lectur/2", "\u201clectur\u201d"),
    ("#lecture=lecture/99", "\u201c99\u201d"),
    ("#path=secure-base", "two concepts"),
])
def test_a_deep_link_that_names_something_unknown_shows_a_notice(visit, pages, fragment, named):
    seen = visit(pages["article"], fragment)
    notice = seen.page.locator("[data-cg=notice]")
    seen.shot("article-unknown-link")
    assert notice.is_visible() and named in notice.inner_text()
    seen.page.click("[data-cg=notice-close]")
    assert notice.is_hidden()


# ---- lecture mode -----------------------------------------------------------------------------------

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
    assert "threatens" in {v["text"] for v in seen.cg("cg.verbs()")}
    assert seen.page.evaluate("location.hash") == "#lecture=2"
    seen.page.keyboard.press("PageUp")
    seen.settled()
    assert "trauma" not in seen.cg("cg.visibleNodes()")
    seen.page.click("[data-cg=lecture-end]")
    seen.settled()
    assert not banner.is_visible() and len(seen.cg("cg.visibleNodes()")) == 5
    assert seen.page.locator("[data-cg=sidepanel]").is_visible()


def test_escape_leaves_lecture_mode(visit, pages):
    seen = visit(pages["tiny"], "#lecture=1")
    seen.page.keyboard.press("Escape")
    seen.settled()
    assert seen.cg("cg.state().lecture") == 0
    assert seen.page.locator("[data-cg=banner]").is_hidden()


def test_searching_a_concept_the_lecture_has_not_reached_keeps_the_lecture(visit, pages):
    seen = visit(pages["tiny"], "#lecture=1")
    search = seen.page.locator("[data-cg=search]")
    search.press_sequentially("trauma")
    seen.page.keyboard.press("Enter")
    seen.settled()
    assert seen.cg("cg.state().lecture") == 1
    assert "trauma" not in seen.cg("cg.visibleNodes()")
    assert "comes in section 2" in seen.page.locator("[data-cg=status]").inner_text()
    search.fill("")
    search.press_sequentially("trau")
    assert "comes in section 2" in seen.page.locator("[data-cg=suggest]").inner_text()


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


# ---- nothing drifts, nothing blank -------------------------------------------------------------------

def test_no_tool_reads_pressed_at_the_start_except_the_legend_that_shows(visit, pages):
    seen = visit(pages["article"])
    pressed = [b.get_attribute("data-cg") for b in seen.page.locator("[aria-pressed=true]").all()]
    assert pressed == ["side"] and seen.page.locator("[data-cg=sidepanel]").is_visible()


def test_the_legend_button_leaves_a_painted_canvas(visit, pages):
    seen = visit(pages["article"])
    for _ in range(2):  # hide the legend, then bring it back
        seen.page.click("[data-cg=side]")
        seen.page.wait_for_timeout(300)  # the mouse stays on the button: nothing else asks for a redraw
        assert seen.page.evaluate(PAINTED) > 5000


def enter_and_leave(seen, enter: str, leave: str):
    """Open a part view from the overview and leave it again, with the page's own controls."""
    page = seen.page
    if enter == "section":
        page.select_option("[data-cg=section]", "5")
    elif enter == "lecture":
        page.click("[data-cg=lecture]")
        page.get_by_role("menuitem", name="The article’s sections").click()
    else:
        seen.cg("cg.select('trust')")
        page.get_by_role("button", name="Neighbourhood").click()
    seen.settled()
    page.wait_for_timeout(600)
    if leave == "all-sections":
        page.select_option("[data-cg=section]", "0")
    else:
        page.click(f"[data-cg={leave}]")


@pytest.mark.parametrize("enter, leave", [
    ("section", "all-sections"), ("lecture", "lecture-end"), ("section", "reset"), ("neighbourhood", "near-clear"),
])
def test_after_leaving_a_part_view_nothing_moves(visit, pages, enter, leave):
    seen = visit(pages["article"], motion=True)
    enter_and_leave(seen, enter, leave)
    seen.settled()
    seen.page.wait_for_timeout(600)
    before = seen.cg("cg.network.getPositions()")
    seen.page.wait_for_timeout(3000)
    after = seen.cg("cg.network.getPositions()")
    moved = max(abs(after[n]["x"] - before[n]["x"]) + abs(after[n]["y"] - before[n]["y"]) for n in before)
    assert moved <= 2
    assert len(seen.cg("cg.visibleNodes()")) > 100


# ---- keyboard and screen readers --------------------------------------------------------------------

def test_the_graph_is_reached_in_four_tabs_and_walked_with_the_arrow_keys(visit, pages, article):
    seen = visit(pages["tiny"])
    page = seen.page
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-cg')") == "canvas"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert contrast(ring) >= 3
    page.keyboard.press("ArrowRight")  # nothing chosen yet: the most connected concept
    seen.settled()
    first = seen.cg("cg.state().selected")
    assert first and first in page.locator("[data-cg=announce]").inner_text().replace(" ", "-")
    tiny = load_graph(FIXTURES / "tiny")
    way = {"ArrowRight": (1, 0), "ArrowLeft": (-1, 0), "ArrowUp": (0, -1), "ArrowDown": (0, 1)}
    walked = {first}
    for key in ("ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowRight", "ArrowRight", "ArrowRight"):
        before = seen.cg("cg.state().selected")
        at = seen.cg("cg.network.getPositions()")
        related = {r.object if r.subject == before else r.subject for r in tiny.relations_of(before)}
        that_way = {o for o in related if (at[o]["x"] - at[before]["x"]) * way[key][0] +
                    (at[o]["y"] - at[before]["y"]) * way[key][1] > 0}
        page.keyboard.press(key)
        seen.settled()
        now = seen.cg("cg.state().selected")
        walked.add(now)
        if that_way:  # a related concept lies that way: the key goes to one of them
            assert now in that_way
            assert model_label(tiny, now) in page.locator("[data-cg=announce]").inner_text()
    assert len(walked) >= 3
    scale = seen.cg("cg.network.getScale()")
    page.keyboard.press("+")
    assert seen.cg("cg.network.getScale()") > scale
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert seen.cg("cg.network.getScale()") < scale
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "H2"
    assert page.evaluate("document.activeElement.textContent") == load_graph(FIXTURES / "tiny").concept(
        seen.cg("cg.state().selected")).label


def model_label(graph, concept_id: str) -> str:
    return graph.concept(concept_id).label


def test_the_toolbar_and_each_legend_list_are_one_tab_stop(visit, pages, article):
    seen = visit(pages["article"])
    page = seen.page
    page.locator("[data-cg=lecture]").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('data-cg')") == "present"
    page.locator("input[data-family=promotes]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-type')") is None
    page.locator("input[data-family=promotes]").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('data-type')") == "fosters"


def test_two_pages_in_one_document_do_not_both_react_to_a_key(visit, pages, tmp_path):
    first = pages["tiny"].read_text(encoding="utf-8")
    second = pages["tiny"].read_text(encoding="utf-8")
    root = second[second.index('<div class="cg-root">'):second.rindex("</body>")]
    both = tmp_path / "both.html"
    both.write_text(first.replace("</body>", root + "</body>"), encoding="utf-8")
    seen = visit(both)
    seen.page.evaluate("document.querySelectorAll('.cg-root').forEach(r => r.cg.lecture(1))")
    steps = "Array.from(document.querySelectorAll('.cg-root')).map(r => r.cg.state().lecture)"
    seen.page.evaluate("document.activeElement.blur()")
    seen.page.keyboard.press("ArrowRight")
    assert seen.page.evaluate(steps) == [2, 1]
    second_banner = seen.page.locator(".cg-root >> nth=1").locator("[data-cg=step]")
    second_banner.click()
    seen.page.keyboard.press("ArrowRight")
    assert seen.page.evaluate(steps) == [2, 2]
    assert seen.errors == []


# ---- present mode, embedding, export -----------------------------------------------------------------

def test_present_mode_shows_the_graph_alone_with_big_labels_and_a_caption(visit, pages):
    seen = visit(pages["article"], "#present&section=5")
    page = seen.page
    seen.shot("article-present-section-5")
    assert page.locator(".cg-bar").is_hidden() and page.locator("[data-cg=sidepanel]").is_hidden()
    assert "Section 5: Security (Trust)" in page.locator("[data-cg=caption]").inner_text()
    labels = seen.cg("cg.labels()")
    assert labels and min(label["px"] for label in labels) >= 17 and overlapping(labels) == []
    page.keyboard.press("Escape")
    seen.settled()
    assert page.locator(".cg-bar").is_visible() and page.locator("[data-cg=caption]").is_hidden()
    page.click("[data-cg=present]")
    assert seen.cg("cg.state().present") is True and page.evaluate("location.hash") == "#section=5&present"


def test_a_slide_deck_drives_two_embedded_pages_with_one_clicker(visit, pages, tmp_path):
    shutil.copy(pages["tiny"], tmp_path / "tiny.html")
    shutil.copy(pages["article"], tmp_path / "security.html")
    deck = tmp_path / "deck.html"
    deck.write_text("""<!DOCTYPE html><title>Deck</title><body style="margin:0;display:flex">
<iframe id="a" src="tiny.html" style="width:50%;height:600px;border:0"></iframe>
<iframe id="b" src="security.html#lecture=1" style="width:50%;height:600px;border:0"></iframe>
<script>
  window.replies = [];
  window.addEventListener("message", ev => window.replies.push(ev.data));
  const frames = () => Array.from(document.querySelectorAll("iframe")).map(f => f.contentWindow);
  // The clicker: one key, every embedded page.
  document.addEventListener("keydown", ev => {
    const command = {PageDown: "next", PageUp: "prev"}[ev.key];
    if (command) frames().forEach(w => w.postMessage({cg: command}, "*"));
  });
</script></body>""", encoding="utf-8")
    seen = visit(deck, viewport={"width": 1600, "height": 640}, wait=False)
    page = seen.page
    page.wait_for_function("window.replies.filter(m => m.cg === 'ready').length === 2")
    tiny, article = page.frames[1], page.frames[2]
    page.keyboard.press("PageDown")
    page.wait_for_function("window.replies.filter(m => m.cg === 'state').length === 2")
    assert seen.cg("cg.state().lecture", tiny) == 1 and seen.cg("cg.state().lecture", article) == 2
    page.keyboard.press("PageUp")
    page.wait_for_function("window.replies.filter(m => m.cg === 'state').length === 4")
    assert seen.cg("cg.state().lecture", article) == 1
    page.evaluate("document.getElementById('a').contentWindow.postMessage({cg: 'goto', view: '#section=2'}, '*')")
    page.wait_for_function("window.replies.filter(m => m.cg === 'state').length === 5")
    assert seen.cg("cg.visibleNodes()", tiny) == ["secure-base", "trauma"]
    page.evaluate("document.getElementById('b').contentWindow.postMessage({cg: 'goto', view: 'focus=nobody'}, '*')")
    page.evaluate("document.getElementById('b').contentWindow.postMessage({cg: 'state'}, '*')")
    page.wait_for_function("window.replies.filter(m => m.cg === 'state').length === 7")
    replies = [m for m in page.evaluate("window.replies") if m["cg"] == "state"]
    assert replies[4]["graph"] == "tiny" and replies[4]["view"] == "#section=2"
    assert replies[5]["graph"] == "security" and any("nobody" in n for n in replies[5]["notices"])
    assert replies[6]["lecture"] == 0 and replies[6]["sections"] == 8
    seen.shot("deck-two-pages")
    assert seen.blocked == [] and seen.errors == []


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


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_current_view_downloads_as_a_2x_png_and_an_svg_with_legend_and_caption(visit, pages, article):
    seen = visit(pages["article"], "#lecture=3")
    ARTIFACTS.mkdir(exist_ok=True)
    with seen.page.expect_download() as download:
        seen.page.click("[data-cg=png]")
    download.value.save_as(ARTIFACTS / "article-exported-view.png")
    assert download.value.suggested_filename == "security-section-3.png"
    assert png_size((ARTIFACTS / "article-exported-view.png").read_bytes()) == (2560, 1440)
    assert png_size(base64.b64decode(seen.cg("cg.exportPng(1920).url").split(",")[1])) == (1920, 1080)
    with seen.page.expect_download() as download:
        seen.page.click("[data-cg=svg]")
    download.value.save_as(ARTIFACTS / "article-exported-view.svg")
    assert download.value.suggested_filename == "security-section-3.svg"
    svg = ElementTree.parse(ARTIFACTS / "article-exported-view.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in svg.iter(ns + "text")]
    assert "Security \u2014 Section 3: " + article.article.section(3).heading in texts
    assert {"CONCEPTS", "RELATIONS", "promotes", "counters"} <= set(texts)
    # The caption bar (64 px) covers nothing: every concept and label lies below it.
    nodes = [c for c in svg.iter(ns + "circle") if c.get("class") == "cg-node"]
    assert min(float(c.get("cy")) - float(c.get("r")) for c in nodes) > 64
    labels = [t for t in svg.iter(ns + "text") if t.get("text-anchor") == "middle"]
    assert len(labels) > 20 and min(float(t.get("y")) - float(t.get("font-size")) for t in labels) > 64
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
    assert {label["text"] for label in seen.cg("cg.labels()")}  # labels drawn on the canvas, as text
    page.click("[data-cg=lecture]")
    page.keyboard.press("ArrowRight")
    page.click("[data-cg=text]")
    assert hostile.concepts[0].label in page.locator("[data-cg=textview]").inner_text()
    assert page.locator("[data-cg=textview] h4").count() == len(hostile.concepts)
    svg = seen.cg("cg.exportSvg()")
    ElementTree.fromstring(svg)  # the labels are escaped in the SVG too
    assert "<script" not in svg
    assert page.evaluate("window.__pwned") is None
    assert seen.dialogs == []
    assert seen.errors == []
    assert page.locator("img, iframe, .cg-root svg:not([aria-hidden])").count() == 0


def test_the_same_page_lays_out_the_same_way_every_time(visit, pages):
    first = visit(pages["article"], "#section=5").cg("cg.network.getPositions()")
    second = visit(pages["article"], "#section=5").cg("cg.network.getPositions()")
    assert first == second


def test_the_page_lays_out_a_part_exactly_as_the_slide_figures_do(visit, pages, article):
    """page-layout.js and concept_graph.layout.relax are twins: same steps, same positions."""
    from concept_graph.layout import graph_map, relax
    from concept_graph.mentions import concept_sections

    sections = concept_sections(article)
    ids = [c.id for c in article.concepts if 6 in sections[c.id]]
    edges = [[r.subject, r.object] for r in article.relations if r.subject in ids and r.object in ids]
    boxes = {i: [8.0 + len(i) % 5, 50.0 + 4 * len(i), 18.0 + 18 * (len(i) > 16)] for i in ids}
    start = {i: graph_map(article)[i] for i in ids}
    python = relax(ids, start, edges, 900, 560, boxes)
    seen = visit(pages["article"])
    page = seen.page.evaluate("([ids, start, edges, boxes]) => document.querySelector('.cg-root').cg.relax("
                              "ids, start, edges, 900, 560, boxes)",
                              [ids, {i: {"x": x, "y": y} for i, (x, y) in start.items()}, edges, boxes])
    assert {i: (p["x"], p["y"]) for i, p in page.items()} == python


# ---- storyboards, the path view and the slide deck ----------------------------------------------------

@pytest.fixture(scope="module")
def story(article):
    (board,) = load_storyboards(ARTICLE_GRAPH, article)
    return board, resolve(article, board)


def quoted(evidence) -> str:
    return "\u201c" + evidence.quote + "\u201d"


def test_the_lecture_button_offers_the_storyboard_beside_the_article_s_sections(visit, pages, story):
    board, steps = story
    seen = visit(pages["article"])
    page = seen.page
    page.click("[data-cg=lecture]")
    items = page.get_by_role("menuitem")
    assert items.count() == 2
    assert "The article\u2019s sections" in items.nth(0).inner_text() and board.title in items.nth(1).inner_text()
    page.keyboard.press("ArrowDown")  # the menu has the focus: the keys move inside it
    page.keyboard.press("Enter")
    seen.settled()
    seen.shot("article-storyboard-step-1")
    banner = page.locator("[data-cg=banner]").inner_text()
    assert f"Step 1 of {len(steps)}" in banner and steps[0].step.title in banner
    assert page.evaluate("location.hash") == f"#lecture={board.name}/1"
    assert seen.cg("cg.visibleNodes()") == sorted(steps[0].concepts)
    page.keyboard.press("ArrowRight")
    seen.settled()
    assert seen.cg("cg.visibleNodes()") == sorted(steps[1].concepts)
    assert steps[1].step.caption in page.locator("[data-cg=band]").inner_text()
    page.keyboard.press("Escape")
    seen.settled()
    assert seen.cg("cg.state().lecture") == 0 and page.locator("[data-cg=band]").is_hidden()
    assert seen.errors == []


def test_the_lecture_of_the_sections_keeps_its_link(visit, pages, article):
    seen = visit(pages["article"], "#lecture=3")
    banner = seen.page.locator("[data-cg=banner]").inner_text()
    assert "Section 3 of 8" in banner and article.article.section(3).heading in banner
    assert seen.page.locator("[data-cg=band]").is_hidden()


@pytest.mark.parametrize("number", [3, 7, 10])  # a path; a section with highlights; a focus with chosen quotes
def test_a_storyboard_step_shows_its_view_and_its_quotes_verbatim_beside_the_graph(visit, pages, story, article,
                                                                                    number):
    board, steps = story
    step = steps[number - 1]
    seen = visit(pages["article"], f"#lecture={board.name}/{number}")
    page = seen.page
    seen.shot(f"article-storyboard-step-{number}")
    assert seen.cg("cg.visibleNodes()") == sorted(step.concepts)
    assert seen.cg("cg.visibleEdges()") == sorted(step.relations)
    band = page.locator("[data-cg=band]")
    assert step.step.caption in band.inner_text()
    quotes = band.locator("blockquote")
    assert quotes.all_inner_texts() == [quoted(e) for _, e in step_quotes(article, step)]
    for i in range(quotes.count()):
        assert float(quotes.nth(i).evaluate("q => getComputedStyle(q).fontSize")[:-2]) >= 18
    # The band sits beside the canvas: it covers no concept and no label.
    box, canvas = band.bounding_box(), page.locator(".cg-canvas").bounding_box()
    assert canvas["x"] + canvas["width"] <= box["x"] + 0.5
    assert all(seen.point(c)[0] < box["x"] for c in step.concepts)
    labels = seen.cg("cg.labels()")
    assert all(label["x"] + label["width"] <= box["x"] for label in labels) and overlapping(labels) == []
    # What is new glows; what the step is about is named.
    assert {c for c in step.new_concepts if seen.cg(f"cg.nodes.get({c!r}).shadow.enabled")} == set(step.new_concepts)
    about = {step.step.view.focus, *step.step.view.highlight, *step.step.view.path} - {None}
    assert about <= {label["id"] for label in labels}
    assert seen.errors == []


def test_a_click_on_a_quote_lights_its_relation_on_the_graph(visit, pages, story):
    board, steps = story
    seen = visit(pages["article"], f"#lecture={board.name}/2")
    first = steps[1].quotes[0]
    seen.page.locator("[data-cg=band] .cg-band-rel").first.click()
    seen.settled()
    assert seen.cg("cg.state().relation") == first and seen.cg("cg.state().lecture") == 2
    subject, _, object_ = first.split("--")
    assert seen.cg("cg.litNodes()") == sorted({subject, object_})
    assert "cg-lit" in seen.page.locator("[data-cg=band] .cg-band-item").first.get_attribute("class")
    seen.page.locator("[data-cg=band] .cg-band-rel").first.click()  # a second click puts it out
    seen.settled()
    assert seen.cg("cg.state().relation") is None and seen.cg("cg.litNodes()") == []


def test_stepping_keeps_the_mental_map_better_than_opening_each_step_afresh(visit, article, tmp_path):
    """Concepts shown in two steps keep their places relative to each other (left of, above) more
    often when the lecture steps from one to the next than when the next step is opened alone."""
    folder = tmp_path / "security"
    shutil.copytree(ARTICLE_GRAPH, folder, ignore=shutil.ignore_patterns("out", "lecture.yaml"))
    (folder / "lectures").mkdir()
    (folder / "lectures" / "grow.yaml").write_text("""title: A view that grows
steps:
  - {title: Ego sturdiness, view: {focus: ego-sturdiness}}
  - {title: Two steps out, view: {focus: ego-sturdiness, depth: 2, families: [promotes, counters]}}
  - {title: Competence, view: {section: 3}}
  - {title: What promotes it, view: {section: 3, families: [promotes]}}
""", encoding="utf-8")
    page = folder / "page.html"
    page.write_text(to_html(article, storyboards=load_storyboards(folder, article)), encoding="utf-8")
    where = "cg.network.getPositions(cg.visibleNodes())"

    def kept(before, after):
        common, same, pairs = sorted(set(before) & set(after)), 0, 0
        for i, a in enumerate(common):
            for b in common[i + 1:]:
                for axis in ("x", "y"):
                    was, now = before[a][axis] - before[b][axis], after[a][axis] - after[b][axis]
                    if was:
                        pairs += 1
                        same += (was > 0) == (now > 0)
        return same / pairs

    seen = visit(page, "#lecture=grow/1")
    before = seen.cg(where)
    for number in (2, 3, 4):
        seen.page.keyboard.press("ArrowRight")
        seen.settled()
        stepped = seen.cg(where)
        fresh = visit(page, f"#lecture=grow/{number}").cg(where)
        assert kept(before, stepped) >= max(kept(before, fresh), 0.75), number
        before = stepped


def test_a_path_shows_the_chain_with_each_relation_s_quote_in_order(visit, pages, article):
    along = chain(article, ("secure-base", "self-soothing"))
    seen = visit(pages["article"], "#path=secure-base,self-soothing")
    seen.shot("article-path")
    assert seen.cg("cg.visibleEdges()") == sorted(r.id for r in along)
    assert seen.cg("cg.chain(['secure-base', 'self-soothing'])") == [r.id for r in along]
    assert seen.page.locator("[data-cg=band] blockquote").all_inner_texts() == [quoted(r.evidence[0]) for r in along]
    # The same view from the legend's Path box.
    seen = visit(pages["article"])
    page = seen.page
    page.focus("[data-cg=path-from]")
    page.select_option("[data-cg=path-from]", "secure-base")
    page.focus("[data-cg=path-to]")
    page.select_option("[data-cg=path-to]", "self-soothing")
    page.click("[data-cg=path-show]")
    seen.settled()
    assert page.evaluate("location.hash") == "#path=secure-base,self-soothing"
    assert seen.cg("cg.visibleEdges()") == sorted(r.id for r in along)
    assert "From secure base to self-soothing" in page.locator("[data-cg=band]").inner_text()


@pytest.fixture(scope="module")
def deck(tmp_path_factory, article, story) -> Path:
    path = tmp_path_factory.mktemp("deck") / "deck.html"
    path.write_text(to_deck(article, story[0]), encoding="utf-8")
    return path


def current_slide(seen) -> int:
    return int(seen.page.locator("[data-cg-slide]:not([hidden])").get_attribute("data-cg-slide"))


def test_the_deck_opens_offline_with_a_title_slide_and_one_slide_per_step(visit, deck, story):
    board, steps = story
    seen = visit(deck)
    seen.shot("deck-title-1280x720")
    assert seen.page.locator("[data-cg-slide]").count() == len(steps) + 1
    assert current_slide(seen) == 0 and board.title in seen.page.locator("[data-cg-slide='0']").inner_text()
    assert not seen.page.locator(".cg-deck-live").is_visible()  # the title slide has no graph
    assert seen.blocked == [] and [url for url in seen.requests if not url.startswith("file:")] == []
    assert seen.errors == []


def test_arrow_keys_and_a_clicker_step_the_deck_and_the_graph_together(visit, deck, story):
    board, steps = story
    seen = visit(deck)
    page = seen.page

    def at(number):
        seen.settled()
        assert current_slide(seen) == number and page.evaluate("location.hash") == f"#{number}"
        if number:
            assert seen.cg("cg.state().board") == board.name and seen.cg("cg.state().lecture") == number
            assert seen.cg("cg.state().present") is True
            assert seen.cg("cg.visibleNodes()") == sorted(steps[number - 1].concepts)

    for key, number in [("ArrowRight", 1), ("ArrowRight", 2), ("PageDown", 3), ("PageUp", 2), ("ArrowLeft", 1),
                        ("End", len(steps)), ("ArrowRight", len(steps)), ("Home", 0)]:
        page.keyboard.press(key)
        at(number)
    # A key on the graph itself moves the deck, not the page's own lecture, and only once.
    page.keyboard.press("PageDown")
    page.click(".cg-deck-live .cg-canvas", position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    at(2)
    page.keyboard.press("Escape")  # present mode stays: the slide keeps its layout
    at(2)
    seen.shot("deck-step-2-1280x720")
    assert seen.errors == []


def test_each_step_shows_its_quotes_verbatim_at_18px_or_more_on_a_1280x720_projector(visit, deck, story, article):
    board, steps = story
    seen = visit(deck)
    page = seen.page
    for step in steps:
        page.keyboard.press("ArrowRight")
        seen.settled()
        slide = page.locator(f"[data-cg-slide='{step.number}']")
        if step.number in (3, 7):
            seen.shot(f"deck-step-{step.number}-1280x720")
        quotes = slide.locator("blockquote")
        assert quotes.all_inner_texts() == [quoted(e) for _, e in step_quotes(article, step)]
        text = slide.locator(".cg-slide-text")
        assert text.evaluate("t => t.scrollHeight <= t.clientHeight + 1"), f"step {step.number} scrolls"
        for i in range(quotes.count()):
            box = quotes.nth(i).bounding_box()
            assert float(quotes.nth(i).evaluate("q => getComputedStyle(q).fontSize")[:-2]) >= 18
            assert 0 <= box["y"] and box["y"] + box["height"] <= PROJECTOR["height"]
        # The live graph is beside the text, never under it.
        live = page.locator(".cg-deck-live").bounding_box()
        assert live["x"] + live["width"] <= text.bounding_box()["x"] + 0.5
    assert seen.errors == []


def test_printing_the_deck_gives_one_page_per_slide_each_with_a_picture_of_its_view(visit, deck, story):
    board, steps = story
    seen = visit(deck)
    pdf = seen.page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == len(steps) + 1
    seen.page.emulate_media(media="print")
    tops = seen.page.evaluate("Array.from(document.querySelectorAll('[data-cg-slide]'))"
                              ".map(s => [s.getBoundingClientRect().top + scrollY, s.offsetHeight])")
    assert tops == [[720 * i, 720] for i in range(len(steps) + 1)]
    assert seen.page.locator(".cg-deck-live").is_hidden()
    pictures = seen.page.locator("[data-cg-slide] .cg-slide-graph img")
    assert pictures.count() == len(steps)
    drawn = "i => i.complete && i.naturalWidth > 300 && i.getBoundingClientRect().width > 500"
    assert all(pictures.nth(i).evaluate(drawn) for i in range(len(steps)))


# ---- the graph inline in a notebook ------------------------------------------------------------------

@pytest.fixture
def notebook_page(tmp_path) -> Path:
    """A page like a notebook's: text above and below a graph shown inline by notebook.show()."""
    from concept_graph.notebook import show

    cell = show(load_graph(FIXTURES / "tiny"), height=420)._repr_html_()
    host = tmp_path / "notebook.html"
    host.write_text('<!DOCTYPE html><title>A notebook</title><body style="margin:0;font:16px sans-serif">'
                    '<div style="height:300px">In [1]: show(graph)</div>' + cell +
                    '<div style="height:2000px">In [2]: the next cell</div></body>', encoding="utf-8")
    return host


def test_the_wheel_scrolls_the_notebook_over_a_graph_until_the_graph_is_clicked(visit, notebook_page):
    seen = visit(notebook_page, viewport={"width": 1000, "height": 700}, wait=False)
    page = seen.page
    frame = page.frames[1]
    frame.wait_for_selector(".cg-root[data-cg-stable]:not([data-cg-busy])", state="attached")
    box = page.locator("iframe").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scale = seen.cg("cg.network.getScale()", frame)
    page.mouse.move(*centre)
    page.mouse.wheel(0, 200)
    page.wait_for_function("scrollY > 0")
    assert seen.cg("cg.network.getScale()", frame) == scale  # the notebook scrolled; the graph did not zoom
    assert "Click the graph to zoom" in frame.locator("[data-cg=status]").inner_text()
    canvas = frame.locator("[data-cg=canvas]").bounding_box()  # the graph, not the legend beside it
    page.mouse.click(canvas["x"] + 30, canvas["y"] + canvas["height"] - 40)  # on the graph's empty canvas
    scrolled = page.evaluate("scrollY")
    page.mouse.wheel(0, -200)
    frame.wait_for_function("document.querySelector('.cg-root').cg.network.getScale() !== " + repr(scale))
    assert page.evaluate("scrollY") == scrolled  # now the wheel zooms the graph, the notebook stays
    assert seen.errors == [] and seen.blocked == []


def test_a_graph_a_notebook_did_not_render_leaves_a_visible_hint(visit, notebook_page):
    seen = visit(notebook_page, viewport={"width": 1000, "height": 700}, wait=False)
    page = seen.page
    page.frames[1].wait_for_selector(".cg-root[data-cg-stable]", state="attached")
    hint = page.locator(".cg-inline p")
    box = hint.bounding_box()
    covering = "([x, y]) => document.elementFromPoint(x, y).tagName"
    assert page.evaluate(covering, [box["x"] + 20, box["y"] + 10]) == "IFRAME"  # rendered: the graph covers it
    page.evaluate("document.querySelector('.cg-inline iframe').remove()")  # what a sanitizer does to an untrusted one
    assert page.evaluate(covering, [box["x"] + 20, box["y"] + 10]) == "P"
    assert hint.is_visible() and "not trusted" in hint.inner_text() and "Trust" in hint.inner_text()
