"""Showing the graph in notebooks and slides: the interactive page inline, and iframe snippets.

Jupyter (JupyterLab, Notebook 7, classic Jupyter, VS Code) shows the page inside an
``<iframe srcdoc>``: the page is self-contained, so it runs offline, and the iframe keeps its
scripts and styles apart from the notebook's and from other graphs in the same notebook.

Three things a notebook needs that a page on its own does not:

- a quiet cell: :func:`show` returns an object with ``_repr_html_`` rather than an
  ``IPython.display.HTML`` (which warns on stderr about iframes);
- a hint where the graph did not render: a notebook saved with its outputs and opened by someone
  else is not trusted, and Jupyter's sanitizer drops the iframe; the hint is text beside it,
  which the sanitizer keeps and the graph covers when it does render;
- the mouse wheel scrolls the notebook over a graph until the graph is clicked.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from .model import ConceptGraph


@dataclass(frozen=True)
class Inline:
    """A page to show in a notebook cell: Jupyter calls ``_repr_html_`` when it is a cell's value."""

    page: str
    height: int = 620
    title: str = "concept graph"

    def _repr_html_(self) -> str:
        return iframe_srcdoc(self.page, self.height, self.title)


def iframe_srcdoc(page: str, height: int = 620, title: str = "concept graph") -> str:
    """An iframe that carries ``page`` inline (no file, no server), over a hint that shows when the
    iframe is not there (an untrusted notebook) or the page did not run."""
    hint = (f"The interactive graph \u201c{html.escape(title)}\u201d is not shown here: this notebook is not "
            "trusted (its outputs came from elsewhere) or the cell has not run. Trust the notebook "
            "(JupyterLab and Notebook 7: File \u25b8 Trust Notebook; classic Jupyter: File \u25b8 Trusted "
            "Notebook) or run the cell again.")
    return (f'<div class="cg-inline" style="position:relative;height:{int(height)}px">'
            f'<p style="position:absolute;top:0;left:0;right:0;margin:0;padding:12px 16px;border:1px dashed #8a6100;'
            f'border-radius:4px;background:#fff4ce;color:#14181c;font:15px/1.4 system-ui,sans-serif">{hint}</p>'
            f"<iframe srcdoc='{_attribute(page)}' title=\"{html.escape(title, quote=True)}\" "
            f'style="position:absolute;top:0;left:0;width:100%;height:100%;border:1px solid #ccc;border-radius:4px;'
            f'background:#fff" sandbox="allow-scripts allow-downloads allow-popups"></iframe></div>')


def _attribute(text: str) -> str:
    """Text for a single-quoted attribute: only ``&`` and ``'`` need escaping there; leaving a page
    of scripts' ``<``, ``>`` and ``"`` as they are keeps the notebook's file 7% smaller."""
    return text.replace("&", "&amp;").replace("'", "&#39;")


def show(graph: ConceptGraph, *, focus: str | None = None, depth: int | None = None, section: int | None = None,
         view: str | None = None, storyboards: Sequence = (), height: int = 620) -> Inline:
    """Display the interactive graph (or a focused part of it) in a notebook cell.

    ``view`` opens the page in any view a link can name (``"path=secure-base,trust"``,
    ``"lecture=NAME/2&present"``); ``storyboards`` makes the graph folder's lectures available to
    it. The mouse wheel scrolls the notebook until the graph is clicked.

    >>> from concept_graph.examples import tiny_graph
    >>> cell = show(tiny_graph(), focus="mastery", height=400)
    >>> cell._repr_html_().startswith('<div class="cg-inline" style="position:relative;height:400px">')
    True
    """
    from .viz import to_html

    options: dict[str, object] = {"wheel": "focus"}
    if view:
        options["view"] = view.lstrip("#")
    page = to_html(graph, focus=focus, depth=depth, section=section, storyboards=storyboards, options=options)
    return Inline(page, height, graph.meta.title)


def iframe_snippet(src: str, *, focus: str | None = None, section: int | None = None,
                   highlight: list[str] | None = None, types: list[str] | None = None, view: str | None = None,
                   width: int = 960, height: int = 540, title: str = "concept graph") -> str:
    """The ``<iframe>`` to paste into a slide (reveal.js, HTML slides, an LMS page).

    The URL fragment opens the page in a state: ``#focus=``, ``#section=``, ``#highlight=``,
    ``#types=``, or any ``view`` a link can name (``"lecture=NAME/3&present"``, a storyboard
    step's ``View.fragment()``).

    >>> iframe_snippet("security.html", focus="secure-base")  # doctest: +NORMALIZE_WHITESPACE
    '<iframe src="security.html#focus=secure-base" width="960" height="540" title="concept graph"
     style="border:0" loading="lazy"></iframe>'
    """
    parts = []
    if focus:
        parts.append("focus=" + quote(focus))
    if section is not None:
        parts.append(f"section={int(section)}")
    if highlight:
        parts.append("highlight=" + ",".join(quote(h) for h in highlight))
    if types:
        parts.append("types=" + ",".join(quote(t) for t in types))
    if view:
        parts.append(view.lstrip("#"))
    url = src + ("#" + "&".join(parts) if parts else "")
    return (f'<iframe src="{html.escape(url, quote=True)}" width="{int(width)}" height="{int(height)}" '
            f'title="{html.escape(title, quote=True)}" style="border:0" loading="lazy"></iframe>')
