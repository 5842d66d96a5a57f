"""The slide deck: a storyboard as one offline HTML file, a title slide and a slide per step.

A lecturer who tells the article as a story (a storyboard, :mod:`concept_graph.storyboard`) gets
the slides to tell it with: each step's slide has its heading, the live graph of the step (the
interactive page in present mode, so a click on a concept still opens it), the caption in the
lecturer's words, and the article's own words for what is on screen, each quote with its
section. The arrow keys and a presentation clicker (Page Up/Down) move the deck and the graph
together. Printed (or saved as PDF from the browser) each slide is one 16:9 page, with a picture
of its view drawn at build time (:func:`concept_graph.figure.view_figure`) in place of the live
graph.

Like the page, the deck is self-contained: every script, style and picture is inside the file, it
makes no network request, and a Content Security Policy lets only its own three scripts run
(vis-network, the page, the deck's keys). The same graph and storyboard give the same bytes.

>>> from concept_graph.examples import tiny_graph
>>> from concept_graph.storyboard import Step, Storyboard, View
>>> board = Storyboard("intro", "Where exploring leads", "", (Step("Exploring", "", View(focus="exploration"), "new"),))
>>> deck = to_deck(tiny_graph(), board)
>>> deck.count("data-cg-slide=")
2
"""

from __future__ import annotations

import base64
import html
from functools import lru_cache
from importlib import resources

from .model import ConceptGraph
from .storyboard import ResolvedStep, Storyboard, resolve, step_emphasis, step_quotes

# The picture of a step in print: the slide's graph area (1280x720 page, 92 px heading, 520 px of
# text) at about 1.25 times the figure's own size, so its 8.5 pt labels print at about 14 px.
FIGURE_SIZE = (6.3, 5.2)  # inches


def to_deck(graph: ConceptGraph, board: Storyboard) -> str:
    """The deck of ``board`` as one HTML document."""
    from .viz import _assets, _content_security_policy, fill, lecture_data, page_data, page_root

    steps = resolve(graph, board)
    data = page_data(graph)
    data["lectures"] = [lecture_data(graph, board)]
    data["options"] = {"ownHash": False}  # the deck's address is the slide's number
    data["graph"]["title"] = board.title
    deck_js = _deck_assets()["deck_js"]
    assets = _assets()
    slides = [_title_slide(graph, board, steps)] + [_step_slide(graph, step, len(steps)) for step in steps]
    return fill(_deck_assets()["deck_html"], lang=html.escape(graph.meta.language), title=html.escape(board.title),
                lecture=html.escape(board.name, quote=True),
                csp=_content_security_policy(assets["vis_js"], assets["page_js"], deck_js),
                deck_css=_deck_assets()["deck_css"], deck_js=deck_js, slides="\n".join(slides),
                root=page_root(data))


@lru_cache(maxsize=1)
def _deck_assets() -> dict[str, str]:
    from .viz import _inline

    data = resources.files("concept_graph") / "data"
    return {"deck_html": (data / "deck.html").read_text("utf-8"),
            "deck_css": _inline((data / "deck.css").read_text("utf-8"), "style"),
            "deck_js": _inline((data / "deck.js").read_text("utf-8"), "script")}


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _title_slide(graph: ConceptGraph, board: Storyboard, steps: list[ResolvedStep]) -> str:
    items = "".join(f"<li>{_text(s.step.title)}</li>" for s in steps)
    description = f"<p>{_text(board.description)}</p>" if board.description else ""
    return (f'<section class="cg-slide cg-title-slide" data-cg-slide="0" aria-label="{html.escape(board.title)}">\n'
            f'<header class="cg-slide-head"><p class="cg-slide-count">A lecture told with the graph of the article '
            f'\u201c{_text(graph.article.title)}\u201d</p><h1>{_text(board.title)}</h1></header>\n'
            f'<div class="cg-deck-intro">{description}<p>In {len(steps)} steps:</p><ol>{items}</ol>'
            f'<p>Every quote on the slides is the article\u2019s own words for what the graph shows.</p>'
            f'<p class="cg-deck-keys">\u2192 or Page Down: next step \u00b7 \u2190 or Page Up: back \u00b7 '
            f'click a concept on the graph to see it lit with its neighbours</p></div>\n'
            f'{_legend(graph, steps)}\n</section>')


def _step_slide(graph: ConceptGraph, step: ResolvedStep, count: int) -> str:
    concepts = graph.concept_by_id
    types = graph.relation_type_by_id
    quotes = []
    for relation, evidence in step_quotes(graph, step):
        quotes.append(
            f'<li><p class="cg-slide-rel">{_text(concepts[relation.subject].label)} '
            f'<em>{_text(types[relation.type].label)}</em> {_text(concepts[relation.object].label)}</p>'
            f'<blockquote class="cg-slide-quote">\u201c{_text(evidence.quote)}\u201d</blockquote>'
            f'<p class="cg-slide-cite">Section {evidence.section}: '
            f'{_text(graph.article.section(evidence.section).heading)}</p></li>')
    listing = "ol" if step.path else "ul"
    caption = f'<p class="cg-slide-caption">{_text(step.step.caption)}</p>' if step.step.caption else ""
    names = ", ".join(concepts[c].label for c in step.concepts)
    alt = f"The graph of this step: {len(step.concepts)} concepts ({names}) and {len(step.relations)} relations."
    return (f'<section class="cg-slide" data-cg-slide="{step.number}" hidden '
            f'aria-label="Step {step.number} of {count}: {html.escape(step.step.title)}">\n'
            f'<header class="cg-slide-head"><p class="cg-slide-count">Step {step.number} of {count}</p>'
            f'<h2>{_text(step.step.title)}</h2></header>\n'
            f'<figure class="cg-slide-graph"><img src="{_picture(graph, step)}" alt="{html.escape(alt)}"></figure>\n'
            f'<div class="cg-slide-text">{caption}'
            f'<{listing} class="cg-slide-quotes">{"".join(quotes)}</{listing}></div>\n'
            f'</section>')


def _picture(graph: ConceptGraph, step: ResolvedStep) -> str:
    """The step's view as an SVG data URL: marked like the page (what the step is about, what is new)."""
    from .figure import view_figure

    about, told = step_emphasis(graph, step)
    later = step.number > 1  # on the first step everything is new: nothing glows, nothing is pale
    faded = set(step.concepts) - about - told - set(step.new_concepts) if later else ()
    svg = view_figure(graph, step.concepts, step.relations, "svg", about=about,
                      new=step.new_concepts if later else (), faded=faded, size=FIGURE_SIZE, legend=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _legend(graph: ConceptGraph, steps: list[ResolvedStep]) -> str:
    """How to read the graph: the categories and relation families the lecture shows, drawn as on it."""
    from .styles import category_styles, family_styles, type_family

    shown_concepts = {c for s in steps for c in s.concepts}
    shown_types = {r.type for r in graph.relations if any(r.id in s.relations for s in steps)}
    categories, families, family_of = category_styles(graph), family_styles(graph), type_family(graph)
    rows = []
    for category in graph.categories:
        if any(graph.concept(c).category == category.id for c in shown_concepts):
            style = categories[category.id]
            rows.append(f'<li>{_shape_svg(style["shape"], style["color"])}{_text(category.label)}</li>')
    lines = []
    for family_id, style in families.items():
        verbs = [t.label for t in graph.relation_types if t.id in shown_types and family_of[t.id] == family_id]
        if verbs:
            lines.append(f'<li>{_line_svg(style)}<span><strong style="color:{style["color"]}">{_text(style["label"])}'
                         f'</strong>: <em>{_text(", ".join(verbs))}</em></span></li>')
    return (f'<aside class="cg-deck-legend" aria-label="How to read the graph">'
            f'<h3>Concepts</h3><ul>{"".join(rows)}</ul>'
            f'<h3>Relations</h3><ul>{"".join(lines)}</ul>'
            '<p>On each step, what is new glows; what the step is about is drawn in bold; what earlier steps '
            'brought is pale.</p></aside>')


_POINTS = {"diamond": "9,1 17,9 9,17 1,9", "triangle": "9,1.5 17,16 1,16", "triangleDown": "1,2 17,2 9,16.5",
           "hexagon": "9,1 16,5 16,13 9,17 2,13 2,5",
           "star": "9,1 11,6.6 17,6.6 12.2,10.2 14,16.5 9,12.7 4,16.5 5.8,10.2 1,6.6 7,6.6"}


def _shape_svg(shape: str, colour: str) -> str:
    if shape == "square":
        mark = f'<rect x="2" y="2" width="14" height="14" fill="{colour}" stroke="#333"/>'
    elif shape in _POINTS:
        mark = f'<polygon points="{_POINTS[shape]}" fill="{colour}" stroke="#333"/>'
    else:
        mark = f'<circle cx="9" cy="9" r="7.5" fill="{colour}" stroke="#333"/>'
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{mark}</svg>'


def _line_svg(style: dict) -> str:
    dashes = f' stroke-dasharray="{" ".join(str(d / 2) for d in style["dashes"])}"' if style["dashes"] else ""
    colour = style["color"]
    heads = {"bar": f'<line x1="35" y1="1" x2="35" y2="11" stroke="{colour}" stroke-width="2.5"/>',
             "circle": f'<circle cx="34" cy="6" r="3.5" fill="{colour}"/>',
             "vee": f'<polyline points="29,1 37,6 29,11" fill="none" stroke="{colour}" stroke-width="2"/>'}
    head = heads.get(style["arrow"], f'<polygon points="29,1 37,6 29,11" fill="{colour}"/>')
    return (f'<svg width="38" height="12" viewBox="0 0 38 12" aria-hidden="true"><line x1="1" y1="6" x2="32" y2="6" '
            f'stroke="{colour}" stroke-width="2.5"{dashes}/>{head}</svg>')
