"""The interactive HTML page: one offline file a lecturer can explore, present and embed.

pyvis builds the network data (nodes, edges, options) and vis-network draws it, but the page is
the project's own template (``data/page.html``, ``page.css``, ``page.js``): pyvis 0.3.2's stock
template fetches bootstrap from CDNs in every mode and its menus can blank the graph. Every
script and style is inlined, so the file makes no network request and works from ``file://``,
a USB stick, or an ``<iframe>``.

The graph travels as JSON in a ``<script type="application/json">`` block, escaped so that no
label can close the tag; the page's script builds all text with ``textContent``. vis-network
9.1.2 shows a string ``title`` with ``innerText`` (visjs/vis-network#1275), so hover titles are
plain strings.

>>> from concept_graph.examples import tiny_graph
>>> page = to_html(tiny_graph())
>>> page.startswith("<!DOCTYPE html>"), "<script src" in page, "<link" in page
(True, False, False)
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from .errors import ConceptGraphError, Problem, did_you_mean
from .model import Article, ConceptGraph, Evidence

VIS_VERSION = "9.1.2"
RANDOM_SEED = 7

# Okabe-Ito colours first (safe for colour-blind viewers), then a few dark, distinct extras;
# shapes cycle at a different period, so two categories never share both colour and shape.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6A3D9A",
                    "#7F7F7F", "#8C6D31", "#B8A000")
SHAPES = ("dot", "diamond", "square", "triangle", "hexagon", "star", "triangleDown")
TYPE_COLOURS = ("#1B9E77", "#D95F02", "#7570B3", "#E7298A", "#66A61E", "#C9A100", "#A6761D",
                "#1F78B4", "#B2182B", "#01665E", "#666666", "#8E44AD")
DASHES = (False, [10, 6], [3, 5])

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def to_html(graph: ConceptGraph, *, focus: str | None = None, depth: int | None = None,
            section: int | None = None, title: str | None = None) -> str:
    """The whole page for a graph, or for the part of it a slide needs.

    ``focus`` keeps the concepts within ``depth`` relations (default 1) of one concept;
    ``section`` keeps the concepts and relations grounded in one article section. The same
    graph and arguments always give the same bytes.
    """
    view = subset(graph, focus=focus, depth=depth, section=section)
    data = page_data(view, full=graph, focus=focus, depth=depth, section=section)
    page_title = title or _view_title(graph, focus, depth, section)
    data["graph"]["title"] = page_title
    assets = _assets()
    return _PLACEHOLDER.sub(lambda m: {
        "lang": html.escape(graph.meta.language),
        "title": html.escape(page_title),
        "csp": assets["csp"],
        "vis_css": assets["vis_css"],
        "page_css": assets["page_css"],
        "vis_js": assets["vis_js"],
        "page_js": assets["page_js"],
        "data": script_json(data),
    }[m.group(1)], assets["page_html"])


def subset(graph: ConceptGraph, *, focus: str | None = None, depth: int | None = None,
           section: int | None = None) -> ConceptGraph:
    """The graph cut down to one section and/or one concept's neighbourhood; the graph itself if neither.

    Raises a :class:`ConceptGraphError` for an unknown concept or section, naming the valid ones.

    >>> from concept_graph.examples import tiny_graph
    >>> [c.id for c in subset(tiny_graph(), focus="mastery").concepts]
    ['exploration', 'mastery']
    """
    problems = []
    if depth is not None and focus is None:
        problems.append(Problem("bad-option", None, None, "a depth needs a concept to count from",
                                "add --focus ID"))
    if depth is not None and depth < 0:
        problems.append(Problem("bad-option", None, None, f"depth {depth} is negative", "use 1, 2, ..."))
    if focus is not None and focus not in graph.concept_by_id:
        problems.append(Problem("unknown-concept", None, None, f"unknown concept {focus!r} to focus on",
                                did_you_mean(focus, graph.concept_by_id)))
    sections = len(graph.article.sections)
    if section is not None and not 1 <= section <= sections:
        problems.append(Problem("unknown-section", None, None, f"the article has no section {section}",
                                f"sections are numbered 1 to {sections}"))
    if problems:
        raise ConceptGraphError(problems)
    if focus is None and section is None:
        return graph

    concepts, relations = graph.concepts, graph.relations
    if section is not None:
        from .mentions import concept_sections

        in_section = {cid for cid, numbers in concept_sections(graph).items() if section in numbers}
        concepts = tuple(c for c in concepts if c.id in in_section)
        relations = tuple(r for r in relations if any(e.section == section for e in r.evidence))
        if focus is not None and focus not in in_section:
            raise ConceptGraphError(Problem(
                "unknown-concept", None, None, f"concept {focus!r} does not appear in section {section}",
                "drop --section, or focus on a concept of that section"))
    view = replace(graph, concepts=concepts, relations=relations)
    if focus is not None:
        from .network import neighbourhood

        near = neighbourhood(view, focus, 1 if depth is None else depth)
        view = replace(view, concepts=tuple(c for c in concepts if c.id in near),
                       relations=tuple(r for r in relations if r.subject in near and r.object in near))
    return view


def page_data(graph: ConceptGraph, *, full: ConceptGraph | None = None, focus: str | None = None,
              depth: int | None = None, section: int | None = None) -> dict:
    """Everything the page's script reads: the model, the article context of each quote, the vis data.

    ``full`` is the whole graph when ``graph`` is a part of it: concepts keep the sections they
    appear in across the whole article, so lecture mode still steps through a focused page.
    """
    from .mentions import concept_sections

    full = full or graph
    sections_of = concept_sections(full)
    article = graph.article
    categories = category_styles(graph)
    types = type_styles(graph)
    starts = [s.start for s in article.sentences]
    evidence = lambda e: _evidence(article, starts, e)  # noqa: E731
    category_counts = Counter(c.category for c in graph.concepts)
    type_counts = Counter(r.type for r in graph.relations)
    return {
        "graph": {"id": graph.meta.id, "title": graph.meta.title, "description": graph.meta.description,
                  "article": article.title, "focus": focus,
                  "depth": (1 if depth is None else depth) if focus else None, "section": section},
        "sections": [{"number": s.number, "heading": s.heading} for s in article.sections],
        "categories": [{"id": c.id, "label": c.label, "definition": c.definition,
                        "count": category_counts[c.id], **categories[c.id]} for c in graph.categories],
        "types": [{"id": t.id, "label": t.label, "inverse": t.inverse_label, "symmetric": t.symmetric,
                   "definition": t.definition, "count": type_counts[t.id], **types[t.id]}
                  for t in graph.relation_types],
        "concepts": [{"id": c.id, "label": c.label, "synonyms": list(c.synonyms), "category": c.category,
                      "definition": c.definition, "sections": sections_of[c.id],
                      "evidence": evidence(c.evidence) if c.evidence else None}
                     for c in graph.concepts],
        "relations": [{"id": r.id, "subject": r.subject, "type": r.type, "object": r.object,
                       "note": r.note, "sections": sorted({e.section for e in r.evidence}),
                       "evidence": [evidence(e) for e in r.evidence]} for r in graph.relations],
        "vis": network_data(graph, categories, types, focus=focus),
    }


def category_styles(graph: ConceptGraph) -> dict[str, dict]:
    """Each category's colour and vis-network shape, by its place in the spec."""
    return {c.id: {"color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], "shape": SHAPES[i % len(SHAPES)]}
            for i, c in enumerate(graph.categories)}


def type_styles(graph: ConceptGraph) -> dict[str, dict]:
    """Each relation type's colour, and a dash pattern once the colours run out."""
    n = len(TYPE_COLOURS)
    return {t.id: {"color": TYPE_COLOURS[i % n], "dashes": DASHES[(i // n) % len(DASHES)]}
            for i, t in enumerate(graph.relation_types)}


def network_data(graph: ConceptGraph, categories: dict[str, dict], types: dict[str, dict],
                 focus: str | None = None) -> dict:
    """vis-network nodes, edges and options, made with pyvis (directed, so parallel edges stay)."""
    from pyvis.network import Network

    net = Network(directed=True)
    degree = Counter()
    for r in graph.relations:
        degree[r.subject] += 1
        degree[r.object] += 1
    category_label = {c.id: c.label for c in graph.categories}
    for c in graph.concepts:
        style = categories[c.category]
        hover = [_isolate(c.label), _isolate(category_label[c.category])]
        if c.synonyms:
            hover.append("also: " + ", ".join(map(_isolate, c.synonyms)))
        hover.append(_isolate(_clip(c.definition, 240)))
        # The concept a focused page is about wears a thick dark ring.
        ring = {"borderWidth": 5} if c.id == focus else {}
        net.add_node(c.id, label=c.label, shape=style["shape"], color=_node_colour(style["color"], c.id == focus),
                     title="\n".join(hover), value=1 + degree[c.id], **ring)

    type_by_id = graph.relation_type_by_id
    label_of = {c.id: c.label for c in graph.concepts}
    for r, smooth in zip(graph.relations, _parallel_curves(graph)):
        kind, style = type_by_id[r.type], types[r.type]
        quote = r.evidence[0].quote
        hover = (f"{_isolate(label_of[r.subject])} {_isolate(kind.label)} {_isolate(label_of[r.object])}\n"
                 f"\u201c{_isolate(_clip(quote, 240))}\u201d")
        edge = {"id": r.id, "title": hover, "color": {"color": style["color"], "highlight": style["color"],
                                                        "hover": style["color"]},
                "dashes": style["dashes"]}
        if kind.symmetric:
            edge["arrows"] = {"to": {"enabled": False}}
        if smooth:
            edge["smooth"] = smooth
        net.add_edge(r.subject, r.object, **edge)

    n = len(graph.concepts)
    spread = min(1.0, math.sqrt(max(degree.values(), default=0)) / 8)
    # Small graphs (a slide's neighbourhood) get longer springs: their labels are drawn large and
    # need the room; big graphs keep them short so the overview still fits on screen.
    net.force_atlas_2based(gravity=-60, central_gravity=0.015, spring_length=180 if n <= 40 else 130 if n <= 120 else 100,
                           spring_strength=0.06, damping=0.5, overlap=0.5)
    options = json.loads(net.options.to_json())
    options.pop("configure", None)
    options["physics"]["stabilization"].update(
        {"iterations": 1000 if n <= 300 else 300, "updateInterval": 25, "fit": True})
    options["physics"]["minVelocity"] = 1.0
    options["layout"] = {"randomSeed": RANDOM_SEED, "improvedLayout": n <= 150}
    options["interaction"].update({"hover": True, "tooltipDelay": 250, "hideEdgesOnDrag": n > 500,
                                   "multiselect": False, "keyboard": False, "navigationButtons": False})
    options["nodes"] = {
        "borderWidth": 2, "borderWidthSelected": 4,
        "font": {"size": 22, "face": "system-ui, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
                 "color": "#14181c", "strokeWidth": 5, "strokeColor": "#ffffff"},
        # Labels grow with the number of relations and vanish below 10px when zoomed out, so the
        # overview of a big graph names its hubs and zooming in names the rest. A graph without
        # real hubs (a slide's neighbourhood) keeps its sizes close together.
        "scaling": {"min": 12, "max": round(12 + 18 * spread),
                    "label": {"enabled": True, "min": 18, "max": round(18 + 18 * spread),
                              "maxVisible": 36, "drawThreshold": 10}},
        "widthConstraint": {"maximum": 320},
    }
    options["edges"] = {
        "width": 2.5, "selectionWidth": 2, "hoverWidth": 1.5,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.8}},
        "color": {"inherit": False}, "smooth": False,
        "font": {"size": 16, "color": "#222222", "strokeWidth": 4, "strokeColor": "#ffffff",
                 "align": "horizontal"},
    }
    return {"nodes": net.nodes, "edges": net.edges, "options": options}


def script_json(data) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators as escapes.

    >>> script_json({"label": "</script>"})
    '{"label":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def _node_colour(colour: str, focus: bool = False) -> dict:
    border = "#14181c" if focus else _darker(colour)
    return {"background": colour, "border": border, "highlight": {"background": colour, "border": "#14181c"},
            "hover": {"background": colour, "border": "#14181c"}}


def _darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(v * factor) for v in (r, g, b)))


def _parallel_curves(graph: ConceptGraph) -> list[dict | None]:
    """A curve for each relation that shares its pair of concepts with another, so none hides another.

    vis-network draws parallel straight edges on top of each other; bending them by different
    amounts, clockwise relative to one fixed direction of the pair, fans them out.
    """
    by_pair = defaultdict(list)
    for i, r in enumerate(graph.relations):
        by_pair[tuple(sorted((r.subject, r.object)))].append(i)
    curves: list[dict | None] = [None] * len(graph.relations)
    for (first, _), indices in by_pair.items():
        if len(indices) < 2:
            continue
        for k, i in enumerate(indices):
            bend = 0.25 * (k - (len(indices) - 1) / 2)
            if graph.relations[i].subject != first:
                bend = -bend
            if bend:
                curves[i] = {"enabled": True, "type": "curvedCW" if bend > 0 else "curvedCCW",
                             "roundness": round(abs(bend), 3)}
    return curves


def _evidence(article: Article, starts: list[int], evidence: Evidence) -> dict:
    """A quote with the passage around it: its sentence(s) and one sentence either side, same section.

    ``starts`` are the sentences' start offsets, for bisection.
    """
    sentences = article.sentences
    first = max(bisect.bisect_right(starts, evidence.start) - 1, 0)
    last = max(bisect.bisect_right(starts, max(evidence.end - 1, evidence.start)) - 1, first)
    if sentences and first > 0 and sentences[first - 1].section == sentences[first].section:
        first -= 1
    if sentences and last + 1 < len(sentences) and sentences[last + 1].section == sentences[last].section:
        last += 1
    start = min(sentences[first].start, evidence.start) if sentences else evidence.start
    end = max(sentences[last].end, evidence.end) if sentences else evidence.end
    text = article.text
    return {"quote": evidence.quote, "section": evidence.section, "start": evidence.start, "end": evidence.end,
            "before": text[start:evidence.start], "after": text[evidence.end:end]}


def _view_title(graph: ConceptGraph, focus, depth, section) -> str:
    parts = []
    if focus:
        parts.append(f"around {graph.concept(focus).label}"
                     + (f" (depth {depth})" if depth not in (None, 1) else ""))
    if section:
        parts.append(f"section {section}: {graph.article.section(section).heading}")
    return graph.meta.title + (" \u2014 " + ", ".join(parts) if parts else "")


def _isolate(text: str) -> str:
    """Text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, so that a direction mark in a
    label cannot reorder the rest of a hover title."""
    return f"\u2068{text}\u2069"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _inline(text: str, tag: str) -> str:
    """Code to inline in ``<script>`` or ``<style>``; it must not end its own element early."""
    if f"</{tag}" in text.lower() or "<!--" in text:
        raise ValueError(f"inline {tag} would close its element early")
    return text


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """vis-network from the installed pyvis, and the project's template; read once per process."""
    vis = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    data = resources.files("concept_graph") / "data"
    # The source map is not shipped; dropping its comment keeps DevTools from asking for it.
    vis_js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", (vis / "vis-network.min.js").read_text("utf-8"))
    vis_css = re.sub(r"/\*# sourceMappingURL=\S+ \*/\s*$", "", (vis / "vis-network.css").read_text("utf-8"))
    page_js = (data / "page.js").read_text("utf-8")
    return {"vis_js": _inline(vis_js, "script"), "vis_css": _inline(vis_css, "style"),
            "page_js": _inline(page_js, "script"),
            "page_css": _inline((data / "page.css").read_text("utf-8"), "style"),
            "page_html": (data / "page.html").read_text("utf-8"),
            "csp": _content_security_policy(vis_js, page_js)}


def _content_security_policy(*scripts: str) -> str:
    """Only the page's own two scripts may run, and nothing may be fetched.

    A hash per script (not 'unsafe-inline') means that even markup smuggled into the page could
    not run: no other inline script, no ``onerror=`` attribute, no ``javascript:`` URL.
    """
    hashes = " ".join("'sha256-{}'".format(base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode())
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data: blob:; base-uri 'none'; form-action 'none'")

