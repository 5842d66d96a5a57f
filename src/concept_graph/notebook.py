"""Showing the graph in notebooks and slides: the interactive page inline, and iframe snippets.

Jupyter (JupyterLab, classic, VS Code) shows the page inside an ``<iframe srcdoc>``: the page is
self-contained, so it runs offline, and the iframe keeps its scripts and styles apart from the
notebook's and from other graphs in the same notebook.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from .model import ConceptGraph


def iframe_srcdoc(page: str, height: int = 620, title: str = "concept graph") -> str:
    """An iframe that carries ``page`` inline (no file, no server)."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(title, quote=True)}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ccc;border-radius:4px" '
            f'sandbox="allow-scripts allow-downloads allow-popups"></iframe>')


def show(graph: ConceptGraph, *, focus: str | None = None, depth: int | None = None,
         section: int | None = None, height: int = 620):
    """Display the interactive graph (or a focused part of it) in a notebook cell.

    Returns an ``IPython.display.HTML`` object, so it shows when it is a cell's last value.
    """
    from IPython.display import HTML

    from .viz import to_html

    page = to_html(graph, focus=focus, depth=depth, section=section)
    return HTML(iframe_srcdoc(page, height, title=graph.meta.title))


def iframe_snippet(src: str, *, focus: str | None = None, section: int | None = None,
                   highlight: list[str] | None = None, types: list[str] | None = None,
                   width: int = 960, height: int = 540, title: str = "concept graph") -> str:
    """The ``<iframe>`` to paste into a slide (reveal.js, HTML slides, an LMS page).

    The URL fragment opens the page in a state: ``#focus=``, ``#section=``, ``#highlight=``,
    ``#types=``.

    >>> iframe_snippet("security.html", focus="secure-base")
    '<iframe src="security.html#focus=secure-base" width="960" height="540" title="concept graph" style="border:0" loading="lazy"></iframe>'
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
    url = src + ("#" + "&".join(parts) if parts else "")
    return (f'<iframe src="{html.escape(url, quote=True)}" width="{int(width)}" height="{int(height)}" '
            f'title="{html.escape(title, quote=True)}" style="border:0" loading="lazy"></iframe>')
