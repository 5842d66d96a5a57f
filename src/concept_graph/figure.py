"""Static figures for slides: the graph, a section, a neighbourhood or any view as SVG or PNG.

The figure is the page's map (:mod:`concept_graph.layout`), drawn with the page's styles
(:mod:`concept_graph.styles`): concepts by category colour and shape, relations by family colour,
line and arrowhead, and a legend of both. A part of the graph (a section, a neighbourhood, a
lecture step, a path) gets the same bounded relayout as on the page, started from the map, so it
fills the slide and its labels fit. Labels are placed like the page's: most connected first, none
over another. A lecture step's figure (:func:`view_figure`) marks what the page marks: the
concepts the step is about in bold, what is new with a glow, what earlier steps brought faded.

matplotlib builds one :class:`matplotlib.figure.Figure` (no pyplot, no global settings), draws it
once, and saves that drawing as SVG and PNG; the relations are one line collection per family, the
arrowheads one more, so a graph of 50,000 relations draws in seconds. The files carry no date and no random id, so a
figure is the same on every build.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from .model import ConceptGraph

FORMATS = ("svg", "png")
SIZE = (13.333, 7.5)  # inches: a 16:9 slide; at 144 dpi a 1920x1080 PNG
DPI = 144
MAX_LABELS = 60
MAX_EDGE_LABELS = 30  # a slide with more relations shows their families by colour and line only
ARROWS_UP_TO = 3000  # more relations than this: no arrowheads (too small to read), edges as an image in SVG;
# more concepts than this: the markers too
# The page's node shapes as matplotlib markers.
MARKERS = {"dot": "o", "diamond": "D", "square": "s", "triangle": "^", "hexagon": "h", "star": "*",
           "triangleDown": "v"}
LEFT, RIGHT, TOP, BOTTOM = 0.01, 0.79, 0.92, 0.04  # the graph's axes, as fractions of the figure
FONT = 8.5  # points; at 144 dpi 17 pixels, like the page's labels on a 1280-wide screen scaled to 1920


def to_figure(graph: ConceptGraph, fmt: str = "svg", *, focus: str | None = None, depth: int | None = None,
              section: int | None = None, title: str | None = None) -> bytes:
    """The figure's bytes in ``fmt`` (svg or png).

    The part shown is :func:`concept_graph.views.subset`, less the concepts with no relation in
    it: a node without an edge says nothing on a slide. Asking for the other format of the same
    figure next reuses the drawing.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}: use one of {', '.join(FORMATS)}")
    return _save(_drawn(graph, focus, depth, section, title), fmt)


def prepare() -> None:
    """Import what drawing needs (matplotlib's figure, its Agg canvas, its SVG writer, the font),
    so that a process of a build can do it while another lays the graph out."""
    from matplotlib import font_manager
    from matplotlib.backends import backend_agg, backend_svg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401

    font_manager.findfont(font_manager.FontProperties())


def draw(graph: ConceptGraph) -> None:
    """Draw the whole graph's figure now (it is kept), so that a forked copy of the process can
    save it in one format while this one saves the other."""
    _drawn(graph, None, None, None, None)


def view_figure(graph: ConceptGraph, concepts, relations, fmt: str = "svg", *, about=(), new=(), faded=(),
                size: tuple[float, float] = SIZE, legend: bool = True, title: str | None = None) -> bytes:
    """A figure of any view given by its concepts and relations (ids): a lecture step, a path.

    ``about`` are drawn in bold and labelled first, ``new`` glow, ``faded`` (what earlier steps
    brought) are pale, as on the page. ``size`` is in inches; without ``title`` and ``legend`` the
    graph takes the whole figure (a slide brings its own heading).

    >>> from concept_graph.examples import tiny_graph
    >>> view_figure(tiny_graph(), ["exploration", "mastery"], ["exploration--leads-to--mastery"])[:5]
    b'<?xml'
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}: use one of {', '.join(FORMATS)}")
    figure = _drawn_view(graph, tuple(concepts), tuple(relations), tuple(sorted(about)), tuple(sorted(new)),
                         tuple(sorted(faded)), tuple(size), legend, title)
    return _save(figure, fmt)


def _save(figure, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "svg":
        figure.savefig(out, format="svg", dpi=DPI, metadata={"Date": None, "Creator": "concept-graph"})
        return _stable_ids(out.getvalue())
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": "concept-graph"})
    return out.getvalue()


def _stable_ids(svg: bytes) -> bytes:
    """matplotlib names clip paths and markers with random ids unless a global setting is salted;
    renaming them in order of appearance makes the file repeatable without touching global state."""
    text = svg.decode("utf-8")
    names: dict[str, str] = {}
    for found in re.finditer(r'\bid="([^"]+)"', text):
        names.setdefault(found.group(1), f"cg{len(names) + 1}")
    if names:
        longest_first = sorted(names, key=len, reverse=True)
        pattern = re.compile(r'(id="|#)(' + "|".join(re.escape(n) for n in longest_first) + r')(?=[")])')
        text = pattern.sub(lambda m: m.group(1) + names[m.group(2)], text)
    return text.encode("utf-8")


@lru_cache(maxsize=1)
def _drawn(graph: ConceptGraph, focus, depth, section, title):
    """The figure, drawn once; kept for the next format of the same view (a build writes SVG, then PNG)."""
    from .views import subset, view_title

    view = subset(graph, focus=focus, depth=depth, section=section)
    part = view is not graph
    linked = {r.subject for r in view.relations} | {r.object for r in view.relations}
    concepts = [c for c in view.concepts if not part or c.id in linked]
    return _draw(graph, concepts, list(view.relations), part, title or view_title(graph, focus, depth, section))


@lru_cache(maxsize=2)
def _drawn_view(graph: ConceptGraph, concepts, relations, about, new, faded, size, legend, title):
    """A view's figure, drawn once for both formats."""
    wanted, linked = set(concepts), set(relations)
    return _draw(graph, [c for c in graph.concepts if c.id in wanted], [r for r in graph.relations if r.id in linked],
                 True, title, size=size, legend=legend, about=set(about), new=set(new), faded=set(faded))


def _draw(graph: ConceptGraph, concepts, relations, part: bool, heading: str | None, *, size=SIZE, legend=True,
          about=frozenset(), new=frozenset(), faded=frozenset()):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(figure)
    # The legend keeps the same room in inches whatever the figure's size; no heading, no legend:
    # the graph fills the figure.
    right = 1 - (SIZE[0] * (1 - RIGHT)) / size[0] if legend else 1 - LEFT
    top = 1 - (SIZE[1] * (1 - TOP)) / size[1] if heading else 1 - BOTTOM
    axes = figure.add_axes((LEFT, BOTTOM, right - LEFT, top - BOTTOM))
    axes.set_axis_off()
    width, height = size[0] * DPI * (right - LEFT), size[1] * DPI * (top - BOTTOM)
    degree = {c.id: 0 for c in concepts}
    for r in relations:
        degree[r.subject] += 1
        degree[r.object] += 1
    measure = _Measure(figure)
    positions = _positions(graph, concepts, relations, part, width, height, degree, measure)
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)  # screen coordinates: y grows downwards, as on the page
    styles = _Styles(graph)
    radius = _radii(concepts, degree, width, height)
    pale = set(faded)
    _draw_edges(axes, graph, relations, positions, radius, styles, pale)
    _draw_nodes(axes, graph, concepts, positions, radius, styles, about, new, pale)
    labelled = _draw_labels(axes, graph, concepts, relations, positions, radius, degree, width, height, measure, styles,
                            about, pale)
    if legend:
        _legend(figure, graph, concepts, relations, styles, right)
    if heading:
        figure.text(0.01, 1 - (1 - TOP) * SIZE[1] / size[1] / 2 + 0.005, heading, fontsize=14, ha="left", va="center",
                    color="#14181c", fontweight="bold")
    if labelled < len(concepts):
        figure.text(0.01, 0.015, f"labels on {labelled} of {len(concepts)} concepts, the most connected first; "
                    "every label is in the interactive HTML", fontsize=8, color="#5b6570")
    return figure


class _Styles:
    """The page's styles as matplotlib needs them."""

    def __init__(self, graph: ConceptGraph):
        from .styles import category_styles, family_styles, type_styles

        self.categories = category_styles(graph)
        self.families = family_styles(graph)
        self.types = type_styles(graph)

    def linestyle(self, dashes) -> str | tuple:
        return "solid" if not dashes else (0, tuple(d / 2 for d in dashes))


class _Measure:
    """Text extents in figure pixels, from the figure's own renderer."""

    def __init__(self, figure):
        from matplotlib.font_manager import FontProperties

        self.renderer = figure.canvas.get_renderer()
        self.font = {weight: FontProperties(size=FONT, weight=weight) for weight in ("normal", "bold")}
        self.cache: dict[tuple[str, str], tuple[float, float]] = {}

    def __call__(self, text: str, weight: str = "normal") -> tuple[float, float]:
        key = (text, weight)
        if key not in self.cache:
            w, h, _ = self.renderer.get_text_width_height_descent(text, self.font[weight], ismath=False)
            self.cache[key] = (w, h)
        return self.cache[key]


def _wrap(label: str, width: int = 18, most: int = 3) -> list[str]:
    """The page's wrapping: lines of about ``width`` characters, at most ``most``."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most - 1] + [" ".join(lines[most - 1:])[:width - 1] + "\u2026"]
    return lines


def _label_box(label: str, measure, weight: str = "normal") -> tuple[list[str], float, float]:
    lines = _wrap(label)
    widths = [measure(line, weight)[0] for line in lines]
    line_height = FONT * DPI / 72 * 1.2
    return lines, max(widths) + 6, line_height * len(lines) + 2


def _positions(graph, concepts, relations, part, width, height, degree, measure) -> dict[str, tuple[float, float]]:
    """The map, fitted to the axes; a part relaid from the map like the page's part views."""
    from .layout import graph_map, relax

    positions = graph_map(graph)
    ids = [c.id for c in concepts]
    if not ids:
        return {}
    if part:
        boxes = {}
        for c in concepts:
            _, w, h = _label_box(c.label, measure)
            boxes[c.id] = (9.0, w, h)
        return relax(ids, {i: positions[i] for i in ids}, [(r.subject, r.object) for r in relations],
                     width, height, boxes)
    xs = [positions[i][0] for i in ids]
    ys = [positions[i][1] for i in ids]
    room = (90, 90, 30, 50)  # left, right, top, bottom: the outermost labels stay on the slide
    span_x, span_y = max(max(xs) - min(xs), 1), max(max(ys) - min(ys), 1)
    scale = min((width - room[0] - room[1]) / span_x, (height - room[2] - room[3]) / span_y)
    ox = room[0] + (width - room[0] - room[1] - span_x * scale) / 2 - min(xs) * scale
    oy = room[2] + (height - room[2] - room[3] - span_y * scale) / 2 - min(ys) * scale
    return {i: (positions[i][0] * scale + ox, positions[i][1] * scale + oy) for i in ids}


def _radii(concepts, degree, width, height) -> dict[str, float]:
    """A node's radius in pixels: larger for more relations, smaller when the slide is crowded."""
    import math

    top = max(degree.values(), default=0) or 1
    density = max(0.3, min(1.3, math.sqrt(width * height / max(len(concepts), 1)) / 70))
    return {c.id: (5 + 9 * math.sqrt(degree[c.id] / top)) * density for c in concepts}


def _bezier(a, b, bend: float, steps: int = 8):
    """Points along a relation; a bent one (parallel to another) curves to the right of its direction."""
    if not bend:
        return [a, b]
    dx, dy = b[0] - a[0], b[1] - a[1]
    cx, cy = (a[0] + b[0]) / 2 - dy * bend, (a[1] + b[1]) / 2 + dx * bend
    points = []
    for k in range(steps + 1):
        t = k / steps
        u = 1 - t
        points.append((u * u * a[0] + 2 * u * t * cx + t * t * b[0], u * u * a[1] + 2 * u * t * cy + t * t * b[1]))
    return points


def _draw_edges(axes, graph, relations, positions, radius, styles, pale=frozenset()):
    """The relations as one line collection per family (its colour and line style), and every
    arrowhead in one polygon collection: a few draw calls, however many relations. A relation
    between two pale concepts is pale too."""
    import math

    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.colors import to_rgba

    from .layout import parallel_bends

    bends = dict(zip((r.id for r in graph.relations), parallel_bends(graph), strict=True))
    symmetric = {t.id for t in graph.relation_types if t.symmetric}
    arrows = len(relations) <= ARROWS_UP_TO
    segments: dict[tuple[str, bool], list] = {(f, dim): [] for f in styles.families for dim in (False, True)}
    heads, head_colours = [], []
    for r in sorted(relations, key=lambda r: r.id):
        style = styles.types[r.type]
        dim = r.subject in pale and r.object in pale
        points = _bezier(positions[r.subject], positions[r.object], bends.get(r.id, 0.0))
        if arrows:
            # End at the target's rim, where the arrowhead sits.
            (px, py), (qx, qy) = points[-2], points[-1]
            length = math.hypot(qx - px, qy - py) or 1.0
            ux, uy = (qx - px) / length, (qy - py) / length
            points[-1] = (qx - ux * (radius[r.object] + 1), qy - uy * (radius[r.object] + 1))
            if r.type not in symmetric:
                heads.append(_head(style["arrow"], points[-1], ux, uy))
                head_colours.append(to_rgba(style["color"], 0.3 if dim else 1))
        segments[style["family"], dim].append(points)
    for (family, dim), lines in segments.items():
        if not lines:
            continue
        style = styles.families[family]
        collection = LineCollection(lines, colors=[to_rgba(style["color"], 0.3 if dim else 0.75)],
                                    linestyles=[styles.linestyle(style["dashes"])], linewidths=1.1, zorder=1)
        if not arrows:
            collection.set_rasterized(True)  # tens of thousands of lines: one image inside the SVG
        axes.add_collection(collection)
    if heads:
        axes.add_collection(PolyCollection(heads, facecolors=head_colours, edgecolors=head_colours, linewidths=0.6,
                                           zorder=2))


def _head(kind: str, tip, ux, uy, size: float = 9.0):
    """An arrowhead as a polygon: a triangle, a bar across the line (counters), or a small disc."""
    import math

    nx, ny = -uy, ux
    if kind == "bar":
        return [(tip[0] + nx * size * 0.6 - ux, tip[1] + ny * size * 0.6 - uy),
                (tip[0] + nx * size * 0.6 - ux * 3, tip[1] + ny * size * 0.6 - uy * 3),
                (tip[0] - nx * size * 0.6 - ux * 3, tip[1] - ny * size * 0.6 - uy * 3),
                (tip[0] - nx * size * 0.6 - ux, tip[1] - ny * size * 0.6 - uy)]
    if kind == "circle":
        cx, cy, r = tip[0] - ux * size * 0.35, tip[1] - uy * size * 0.35, size * 0.35
        return [(cx + r * math.cos(k * math.pi / 4), cy + r * math.sin(k * math.pi / 4)) for k in range(8)]
    back = (tip[0] - ux * size, tip[1] - uy * size)
    return [tip, (back[0] + nx * size * 0.45, back[1] + ny * size * 0.45),
            (back[0] - nx * size * 0.45, back[1] - ny * size * 0.45)]


def _draw_nodes(axes, graph, concepts, positions, radius, styles, about=frozenset(), new=frozenset(),
                pale=frozenset()):
    """One scatter per category and emphasis: its colour and the page's shape; the concepts a step
    is about with a thick rim, new ones on an amber glow (the page's), pale ones see-through."""
    glowing = [c.id for c in concepts if c.id in new]
    if glowing:
        axes.scatter([positions[n][0] for n in glowing], [positions[n][1] for n in glowing],
                     s=[(2 * radius[n] * 72 / DPI + 9) ** 2 for n in glowing], c="#f5a800", alpha=0.45,
                     linewidths=0, zorder=2.5)
    for category in graph.categories:
        for rim, alpha in ((0.7, 1.0), (2.2, 1.0), (0.7, 0.4)):
            members = [c.id for c in concepts if c.category == category.id and
                       (rim > 1) == (c.id in about) and (alpha < 1) == (c.id in pale)]
            if not members:
                continue
            style = styles.categories[category.id]
            # A marker's size is in points squared; the radius is in pixels (144 dpi = 2 pixels a point).
            sizes = [(2 * radius[n] * 72 / DPI) ** 2 for n in members]
            dots = axes.scatter([positions[n][0] for n in members], [positions[n][1] for n in members], s=sizes,
                                c=style["color"], marker=MARKERS.get(style["shape"], "o"),
                                edgecolors="#14181c" if rim > 1 else "#333333", linewidths=rim, alpha=alpha, zorder=3)
            dots.set_rasterized(len(concepts) > ARROWS_UP_TO)  # thousands of markers: an image inside the SVG


def _draw_labels(axes, graph, concepts, relations, positions, radius, degree, width, height, measure, styles,
                 about=frozenset(), pale=frozenset()) -> int:
    """Labels by importance (what a step is about, then most relations first), each below, above,
    right or left of its concept, never over another label or a more important concept; then the
    verbs on a small slide's edges."""
    import math

    taken: list[tuple[float, float, float, float]] = []

    def free(box):
        return (box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height and
                not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in taken))

    order = sorted(concepts, key=lambda c: (c.id not in about, -degree[c.id], c.id))
    labelled = 0
    for c in order[:max(MAX_LABELS * 4, 200)]:
        x, y = positions[c.id]
        r = radius[c.id]
        if labelled < MAX_LABELS:
            weight = "bold" if c.id in about else "normal"
            lines, w, h = _label_box(c.label, measure, weight)
            for left, top in ((x - w / 2, y + r + 2), (x - w / 2, y - r - 2 - h), (x + r + 4, y - h / 2),
                              (x - r - 4 - w, y - h / 2)):
                box = (left, top, left + w, top + h)
                if free(box):
                    taken.append(box)
                    axes.text((box[0] + box[2]) / 2, box[1] + 1, "\n".join(lines), ha="center", va="top",
                              fontsize=FONT, color="#5b6570" if c.id in pale else "#14181c", fontweight=weight,
                              linespacing=1.05, zorder=5,
                              bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})
                    labelled += 1
                    break
        taken.append((x - r, y - r, x + r, y + r))
    if len(relations) <= MAX_EDGE_LABELS:
        from .layout import parallel_bends

        bends = dict(zip((r.id for r in graph.relations), parallel_bends(graph), strict=True))
        types = graph.relation_type_by_id
        for r in sorted(relations, key=lambda r: r.id):
            points = _bezier(positions[r.subject], positions[r.object], bends.get(r.id, 0.0))
            mx, my = points[len(points) // 2] if len(points) > 2 else (
                (points[0][0] + points[1][0]) / 2, (points[0][1] + points[1][1]) / 2)
            verb = types[r.type].label
            w, h = measure(verb)
            box = (mx - w / 2 - 3, my - h / 2 - 2, mx + w / 2 + 3, my + h / 2 + 2)
            if math.isfinite(mx) and free(box):
                taken.append(box)
                axes.text(mx, my, verb, ha="center", va="center", fontsize=FONT - 1, style="italic",
                          color=styles.types[r.type]["color"], zorder=4,
                          bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
    return labelled


def _legend(figure, graph, concepts, relations, styles, right: float = RIGHT):
    """Categories by shape and colour, families by colour and line, each family with its verbs shown."""
    from matplotlib.lines import Line2D

    shown = {c.category for c in concepts}
    handles = [Line2D([], [], marker=MARKERS.get(styles.categories[c.id]["shape"], "o"), linestyle="",
                      markersize=8, markerfacecolor=styles.categories[c.id]["color"], markeredgecolor="#333333",
                      label=c.label) for c in graph.categories if c.id in shown]
    verbs: dict[str, list[str]] = {}
    types = graph.relation_type_by_id
    for t in graph.relation_types:
        if any(r.type == t.id for r in relations):
            verbs.setdefault(styles.types[t.id]["family"], []).append(types[t.id].label)
    for family_id, family in styles.families.items():
        if family_id in verbs:
            names = "\n".join(_wrap(", ".join(verbs[family_id]), 34, 3))
            handles.append(Line2D([], [], color=family["color"], linestyle=styles.linestyle(family["dashes"]),
                                  linewidth=2, label=f"{family['label']}\n{names}"))
    if handles:
        figure.legend(handles=handles, loc="upper left", bbox_to_anchor=(right + 0.005, TOP), fontsize=8,
                      frameon=False, title="concepts / relations", title_fontsize=9, alignment="left")
