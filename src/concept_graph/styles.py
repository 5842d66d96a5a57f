"""How the graph looks wherever it is drawn: a colour and shape per category, a colour, line and
arrow per relation family.

The page and the slide figures read the same table, so a figure beside the interactive page uses
the same colours, shapes and lines. Relation types are drawn by family (promotes, counters, ...),
not one colour each: a projector cannot show 21 colours apart, but it can show five colours with
five line styles, and the verb is written on the edge where there is room for it.

>>> from concept_graph.examples import tiny_graph
>>> family_styles(tiny_graph())["other"]["color"]
'#616161'
"""

from __future__ import annotations

from .model import ConceptGraph

BACKGROUND = "#ffffff"

# Okabe-Ito colours first (safe for colour-blind viewers), then a few dark, distinct extras;
# shapes cycle at a different period, so two categories never share both colour and shape.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6A3D9A",
                    "#7F7F7F", "#8C6D31", "#B8A000")
SHAPES = ("dot", "diamond", "square", "triangle", "hexagon", "star", "triangleDown")

# One style per family, in the order the spec lists the families. Every colour is at least 4.5:1
# on the page's white (so it also serves for the verb written in it, and lines clear 3:1 easily);
# the line style and the arrowhead tell the families apart without colour: on the Security graph
# promotes is a solid green arrow, counters a dashed red line ending in a bar (the "inhibits"
# of biology diagrams).
FAMILY_STYLES = (
    {"color": "#1b7a3d", "dashes": False, "arrow": "arrow"},
    {"color": "#c62828", "dashes": [10, 6], "arrow": "bar"},
    {"color": "#1565c0", "dashes": [2, 5], "arrow": "arrow"},
    {"color": "#6a1b9a", "dashes": [12, 4, 3, 4], "arrow": "circle"},
    {"color": "#a15c00", "dashes": [18, 7], "arrow": "vee"},
    {"color": "#ad1457", "dashes": [6, 3], "arrow": "arrow"},
    {"color": "#00796b", "dashes": [3, 3, 9, 3], "arrow": "arrow"},
)
# The family of a type that names none (small graphs without families).
OTHER_ID = "other"
OTHER = {"id": OTHER_ID, "label": "other relations", "definition": "Relation types that belong to no family.",
         "color": "#616161", "dashes": False, "arrow": "arrow"}


def category_styles(graph: ConceptGraph) -> dict[str, dict]:
    """Each category's colour and node shape, by its place in the spec."""
    return {c.id: {"color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], "shape": SHAPES[i % len(SHAPES)]}
            for i, c in enumerate(graph.categories)}


def family_styles(graph: ConceptGraph) -> dict[str, dict]:
    """Each family (and "other", when a type has none) with its label, colour, dashes and arrowhead.

    More families than styles reuse the styles in turn; the legend still names each one.
    """
    styles = {f.id: {"id": f.id, "label": f.label, "definition": f.definition,
                     **FAMILY_STYLES[i % len(FAMILY_STYLES)]} for i, f in enumerate(graph.families)}
    if any(t.family is None or t.family not in styles for t in graph.relation_types):
        styles[OTHER_ID] = dict(OTHER)
    return styles


def type_family(graph: ConceptGraph) -> dict[str, str]:
    """The family each relation type is drawn with ("other" when it names none)."""
    known = graph.family_by_id
    return {t.id: t.family if t.family in known else OTHER_ID for t in graph.relation_types}


def type_styles(graph: ConceptGraph) -> dict[str, dict]:
    """Each relation type's family, colour, dashes and arrowhead: its family's."""
    families = family_styles(graph)
    return {t: {"family": f, "color": families[f]["color"], "dashes": families[f]["dashes"],
                "arrow": families[f]["arrow"]} for t, f in type_family(graph).items()}


def contrast(colour: str, background: str = BACKGROUND) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours.

    >>> round(contrast("#000000"), 1), round(contrast("#1b7a3d"), 2)
    (21.0, 5.39)
    """
    def luminance(c: str) -> float:
        channels = [int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
