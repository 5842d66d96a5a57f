"""The interactive HTML page: one offline file a lecturer can explore, present and embed.

The page is the project's own template (``data/page.html``, ``page.css`` and the ``page-*.js``
parts) around vis-network, which draws the nodes and edges and handles the mouse; the page draws
the labels itself, at a readable size on screen, hiding those that would collide. vis-network
comes from pyvis's bundled copy (pinned, so rebuilds are identical); pyvis's own template and
data builder are not used: the template fetches bootstrap from CDNs, and adding nodes one by one
checks every earlier node and edge, which takes minutes for 10,000 concepts.

Every script and style is inlined, so the file makes no network request and works from
``file://``, a USB stick, or an ``<iframe>``. The positions come from the build
(:mod:`concept_graph.layout`), so the page draws the map at once, with no physics in the browser.

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
import importlib.util
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Article, ConceptGraph, Evidence
from .styles import category_styles, family_styles, type_family
from .views import subset, view_title

if TYPE_CHECKING:
    from .storyboard import Storyboard

VIS_VERSION = "9.1.2"
# The page's script, in the order it is put together: each part defines one factory (its own
# closure and interface), and page-main.js wires them up.
PAGE_SCRIPTS = ("page-dom.js", "page-model.js", "page-state.js", "page-layout.js", "page-view.js",
                "page-legend.js", "page-details.js", "page-lecture.js", "page-story.js", "page-path.js",
                "page-search.js", "page-keyboard.js", "page-export.js", "page-textview.js", "page-embed.js",
                "page-articles.js", "page-main.js")

_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                                 "\u2029": "\\u2029"})
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def to_html(graph: ConceptGraph, *, focus: str | None = None, depth: int | None = None,
            section: int | None = None, title: str | None = None, storyboards: Sequence[Storyboard] = (),
            options: Mapping[str, object] | None = None) -> str:
    """The whole page for a graph, or for the part of it a slide needs.

    ``focus`` keeps the concepts within ``depth`` relations (default 1) of one concept;
    ``section`` keeps the concepts and relations grounded in one article section. The
    ``storyboards`` of the graph folder (:func:`concept_graph.storyboard.load_storyboards`) are
    offered by the Lecture button of the whole graph's page; a part's page leaves them out, as
    their steps reach beyond it. ``options`` change how the page behaves where it is embedded:

    - ``"view"``: the view to open (a fragment, ``"path=a,b"``) when the address names none, as
      in a notebook's ``<iframe srcdoc>``, which has no address to link;
    - ``"wheel": "focus"``: the mouse wheel scrolls the document around the page until the graph
      is clicked or has the keyboard's focus (a notebook: scrolling past a graph must not zoom it);
    - ``"ownHash": False``: the address's fragment is not the page's (a slide deck keeps its own).

    The same graph and arguments always give the same bytes.
    """
    view = subset(graph, focus=focus, depth=depth, section=section)
    data = page_data(view, full=graph, focus=focus, depth=depth, section=section,
                     storyboards=storyboards if view is graph else ())
    if options:
        data["options"] = dict(options)
    page_title = title or view_title(graph, focus, depth, section)
    data["graph"]["title"] = page_title
    return render_page(data, graph.meta.language)


def render_page(data: dict, language: str) -> str:
    """The page around :func:`page_data` (or data made like it, as the combined graph's).

    The same data gives the same bytes.
    """
    return fill(_assets()["page_html"], lang=html.escape(language), title=html.escape(data["graph"]["title"]),
                root=page_root(data))


def fill(template: str, **values: str) -> str:
    """A template with its ``{{name}}`` placeholders replaced by ``values``, or else by the assets
    (``vis_js``, ``page_css``, ...). Values go in as they are: escape text before."""
    assets = _assets()
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)] if m.group(1) in values else assets[m.group(1)], template)


def page_root(data: dict) -> str:
    """The page's root element with its data and script: what a page, or a slide deck, holds."""
    assets = _assets()
    return _PLACEHOLDER.sub(lambda m: {"data": script_json(data), "page_js": assets["page_js"]}[m.group(1)],
                            assets["page_root"])


def page_data(graph: ConceptGraph, *, full: ConceptGraph | None = None, focus: str | None = None,
              depth: int | None = None, section: int | None = None, storyboards: Sequence[Storyboard] = ()) -> dict:
    """Everything the page's script reads: the model, the article context of each quote, styles,
    positions, and the storyboards with each step worked out.

    ``full`` is the whole graph when ``graph`` is a part of it: concepts keep the sections they
    appear in across the whole article, so lecture mode still steps through a focused page, and
    they keep their places on the whole graph's map, so a slide's page looks like the map.
    """
    from .layout import graph_map, parallel_bends
    from .mentions import concept_sections

    full = full or graph
    sections_of = concept_sections(full)
    positions = graph_map(full)
    article = graph.article
    categories = category_styles(graph)
    families = family_styles(graph)
    family_of = type_family(graph)
    starts = [s.start for s in article.sentences]
    evidence = lambda e: _evidence(article, starts, e)  # noqa: E731
    category_counts = Counter(c.category for c in graph.concepts)
    type_counts = Counter(r.type for r in graph.relations)
    bends = parallel_bends(graph)
    relations = []
    for r, bend in zip(graph.relations, bends, strict=True):
        record: dict[str, Any] = {
            "id": r.id, "subject": r.subject, "type": r.type, "object": r.object, "note": r.note,
            "sections": sorted({e.section for e in r.evidence}), "evidence": [evidence(e) for e in r.evidence]}
        if bend:
            record["bend"] = bend
        relations.append(record)
    return {
        "graph": {"id": graph.meta.id, "title": graph.meta.title, "description": graph.meta.description,
                  "article": article.title, "focus": focus,
                  "depth": (1 if depth is None else depth) if focus else None, "section": section,
                  "part": focus is not None or section is not None},
        "sections": [{"number": s.number, "heading": s.heading} for s in article.sections],
        "categories": [{"id": c.id, "label": c.label, "definition": c.definition,
                        "count": category_counts[c.id], **categories[c.id]} for c in graph.categories],
        "families": list(families.values()),
        "types": [{"id": t.id, "label": t.label, "inverse": t.inverse_label, "symmetric": t.symmetric,
                   "definition": t.definition, "count": type_counts[t.id], "family": family_of[t.id]}
                  for t in graph.relation_types],
        "concepts": [{"id": c.id, "label": c.label, "synonyms": list(c.synonyms), "category": c.category,
                      "definition": c.definition, "sections": sections_of[c.id],
                      "evidence": evidence(c.evidence) if c.evidence else None, "at": list(positions[c.id])}
                     for c in graph.concepts],
        "relations": relations,
        "lectures": [lecture_data(graph, board) for board in storyboards],
    }


def lecture_data(graph: ConceptGraph, board: Storyboard) -> dict:
    """A storyboard as the page reads it: each step with what it shows and brings, worked out by
    :func:`concept_graph.storyboard.resolve`, so the page shows exactly what the deck and the
    notebooks show; a quote is its relation and the index of the passage to show."""
    from .storyboard import resolve, step_quotes

    steps = []
    for step in resolve(graph, board):
        view = step.step.view
        steps.append({
            "title": step.step.title, "caption": step.step.caption, "view": view.fragment(),
            "focus": view.focus, "highlight": list(view.highlight), "stops": list(view.path),
            "section": view.section, "concepts": list(step.concepts), "relations": list(step.relations),
            "newConcepts": list(step.new_concepts), "newRelations": list(step.new_relations),
            "chain": list(step.path),
            "quotes": [[r.id, r.evidence.index(e)] for r, e in step_quotes(graph, step)],
        })
    return {"name": board.name, "title": board.title, "description": board.description, "steps": steps}


def script_json(data) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators as escapes.

    >>> script_json({"label": "</script>"})
    '{"label":"\\\\u003c/script\\\\u003e"}'
    """
    # Keys keep the order the page data builds them in (fixed), so the bytes are repeatable.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


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
    """vis-network from the installed pyvis, and the project's template; read once per process.

    pyvis's files are found without importing pyvis (its import brings jinja2, networkx and
    IPython's display: a third of a second of a cold build, for two files read from disk).
    """
    vis = _package_folder("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    data = resources.files("concept_graph") / "data"
    # The source map is not shipped; dropping its comment keeps DevTools from asking for it.
    vis_js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", (vis / "vis-network.min.js").read_text("utf-8"))
    vis_css = re.sub(r"/\*# sourceMappingURL=\S+ \*/\s*$", "", (vis / "vis-network.css").read_text("utf-8"))
    parts = [f"/* ---- {name} ---- */\n" + (data / name).read_text("utf-8") for name in PAGE_SCRIPTS]
    page_js = '(function () {\n"use strict";\n' + "\n".join(parts) + "\n})();\n"
    return {"vis_js": _inline(vis_js, "script"), "vis_css": _inline(vis_css, "style"),
            "page_js": _inline(page_js, "script"),
            "page_css": _inline((data / "page.css").read_text("utf-8"), "style"),
            "page_html": (data / "page.html").read_text("utf-8"),
            "page_root": (data / "page-root.html").read_text("utf-8").rstrip("\n"),
            "csp": _content_security_policy(vis_js, page_js)}


def _package_folder(name: str) -> Path:
    """The folder of an installed package, found by the import system without running it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {name!r} is not installed: pip install concept-graph brings it")
    return Path(next(iter(spec.submodule_search_locations)))


def _content_security_policy(*scripts: str) -> str:
    """Only the page's own two scripts (vis-network and the page) may run, and nothing may be fetched.

    A hash per script (not 'unsafe-inline') means that even markup smuggled into the page could
    not run: no other inline script, no ``onerror=`` attribute, no ``javascript:`` URL.
    """
    hashes = " ".join("'sha256-{}'".format(base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode())
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data: blob:; base-uri 'none'; form-action 'none'")

