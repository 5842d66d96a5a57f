"""Static figures for slides: the graph, a section or a neighbourhood as SVG or PNG, 16:9.

matplotlib draws the nodes coloured by category, the edges coloured by relation type, and a legend
of both. The layout is seeded and the files carry no date, so a figure is the same on every build.
"""

from __future__ import annotations

import io

from .model import ConceptGraph

# The page's node shapes as matplotlib markers, and its dash patterns as line styles: a figure
# on a slide uses the same colours, shapes and dashes as the interactive page beside it.
MARKERS = {"dot": "o", "diamond": "D", "square": "s", "triangle": "^", "hexagon": "h", "star": "*",
           "triangleDown": "v"}


def _linestyle(dashes) -> str | tuple:
    return "solid" if not dashes else (0, tuple(d / 2 for d in dashes))


FORMATS = ("svg", "png")
SIZE = (13.333, 7.5)  # inches: a 16:9 slide; at 144 dpi a 1920x1080 PNG
MAX_LABELS = 45
MAX_EDGE_LABELS = 30  # a slide with more edges shows their types by colour only


def layout(G, labels: dict[str, str]) -> dict:
    """Kamada-Kawai per connected part, the largest part on the left, the small ones in a column.

    One force layout over disconnected parts flings the small ones to the corners and crushes the
    main one; laying them out apart keeps every part readable. Deterministic: no random start.
    """
    import networkx as nx
    import numpy as np

    parts = sorted((sorted(c) for c in nx.connected_components(G)), key=lambda c: (-len(c), c[0]))
    if not parts:
        return {}

    def unit(part):
        if len(part) == 1:
            return {part[0]: np.array([0.5, 0.5])}
        sub = G.subgraph(part)
        pos = nx.kamada_kawai_layout(sub, pos=nx.circular_layout(sorted(sub)))
        xy = np.array([pos[n] for n in part])
        low, high = xy.min(axis=0), xy.max(axis=0)
        span = np.where(high - low > 0, high - low, 1.0)
        # Rounded: the optimizer's last digits vary with memory alignment between runs, and the
        # figure must be byte-identical on every build.
        return {n: np.round((xy[i] - low) / span, 3) for i, n in enumerate(part)}

    width = 16 / 9
    main, rest = parts[0], parts[1:]
    side = 0.0 if not rest else min(0.3, 0.08 + 0.04 * len(rest))
    pos = {n: p * np.array([(width - side * width) * 0.96, 0.96]) + 0.02 for n, p in unit(main).items()}
    if rest:
        slot = 1.0 / len(rest)
        for i, part in enumerate(rest):
            box = np.array([side * width * 0.9, slot * 0.8])
            origin = np.array([width * (1 - side) + 0.02, 1 - (i + 1) * slot + slot * 0.1])
            pos.update({n: origin + p * box for n, p in unit(part).items()})
    return pos


def to_figure(graph: ConceptGraph, fmt: str = "svg", *, focus: str | None = None, depth: int | None = None,
              section: int | None = None, title: str | None = None) -> bytes:
    """The figure's bytes in ``fmt`` (svg or png).

    The part shown is the page's :func:`concept_graph.viz.subset`, less the concepts with no
    relation in it: a node without an edge says nothing on a slide.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    from .viz import subset

    view = subset(graph, focus=focus, depth=depth, section=section)
    G = nx.MultiDiGraph()
    G.add_nodes_from(c.id for c in view.concepts
                     if view is graph or any(c.id in (r.subject, r.object) for r in view.relations))
    for r in view.relations:
        G.add_edge(r.subject, r.object, key=r.type, type=r.type)
    simple = nx.Graph(G.to_undirected())
    pos = layout(simple, {n: graph.concept(n).label for n in simple})
    from .viz import category_styles, type_styles

    cat_style, type_style = category_styles(graph), type_styles(graph)
    cat_colour = {c: style["color"] for c, style in cat_style.items()}
    type_colour = {t: style["color"] for t, style in type_style.items()}
    cat_marker = {c: MARKERS.get(style["shape"], "o") for c, style in cat_style.items()}
    type_line = {t: _linestyle(style["dashes"]) for t, style in type_style.items()}
    plt.rcParams["svg.hashsalt"] = "concept-graph"
    fig, ax = plt.subplots(figsize=SIZE)
    fig.subplots_adjust(left=0.01, right=0.80, top=0.93, bottom=0.01)
    ax.set_axis_off()
    nodes = sorted(G.nodes)
    degree = dict(simple.degree())
    # A slide cannot carry 170 readable labels: big graphs label their most connected concepts.
    labelled = set(sorted(nodes, key=lambda n: (-degree[n], n))[:MAX_LABELS])
    big = {n: 420 if n in labelled else 110 for n in nodes}
    for u, v, data in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["type"])):
        nx.draw_networkx_edges(G, pos, edgelist=[(u, v)], ax=ax, edge_color=type_colour[data["type"]], width=1.1,
                               style=type_line[data["type"]],
                               alpha=0.7, arrows=True, arrowsize=12 if len(nodes) <= 40 else 8, node_size=big[v], min_target_margin=4,
                               connectionstyle="arc3,rad=0.08")
    if G.number_of_edges() <= MAX_EDGE_LABELS:
        types = graph.relation_type_by_id
        for u, v, data in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["type"])):
            nx.draw_networkx_edge_labels(G, pos, edge_labels={(u, v, data["type"]): types[data["type"]].label},
                                         ax=ax, font_size=8, font_color=type_colour[data["type"]],
                                         connectionstyle="arc3,rad=0.08", rotate=False,
                                         bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                                               "alpha": 0.8})
    for category in graph.categories:
        members = [n for n in nodes if graph.concept(n).category == category.id]
        if members:
            nx.draw_networkx_nodes(G, pos, nodelist=members, ax=ax, node_size=[big[n] for n in members],
                                   linewidths=0.8, edgecolors="#333333", node_color=cat_colour[category.id],
                                   node_shape=cat_marker[category.id])
    font = 9 if len(labelled) <= 40 else 8
    for n in sorted(labelled):
        x, y = pos[n]
        ax.annotate(graph.concept(n).label, (x, y), xytext=(0, -8), textcoords="offset points", ha="center",
                    va="top", fontsize=font, color="#111111", zorder=5,
                    bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75})
    if pos:
        # Room for the labels of the outermost nodes, which are not clipped to the axes.
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        ax.set_xlim(min(xs) - 0.2, max(xs) + 0.14)
        ax.set_ylim(min(ys) - 0.07, max(ys) + 0.03)
    used_cats = [c for c in graph.categories if any(graph.concept(n).category == c.id for n in nodes)]
    used_types = [t for t in graph.relation_types if any(d["type"] == t.id for _, _, d in G.edges(data=True))]
    handles = [Line2D([], [], marker=cat_marker[c.id], linestyle="", markersize=9, markerfacecolor=cat_colour[c.id],
                      markeredgecolor="#333333", label=c.label) for c in used_cats]
    handles += [Line2D([], [], color=type_colour[t.id], linestyle=type_line[t.id], linewidth=2, label=t.label)
                for t in used_types]
    if handles:
        fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.805, 0.5), fontsize=9, frameon=False,
                   title="concepts / relations", title_fontsize=9)
    heading = title or graph.meta.title
    if section is not None:
        heading += f": section {section}, {graph.article.section(section).heading}"
    if focus is not None:
        heading += f": around '{graph.concept(focus).label}'" + (f" (depth {depth})" if depth not in (None, 1) else "")
    fig.suptitle(heading, fontsize=14, x=0.01, ha="left")
    if len(labelled) < len(nodes):
        fig.text(0.01, 0.015, f"labels on the {len(labelled)} most connected of {len(nodes)} concepts; "
                 "every label is in the interactive HTML", fontsize=8, color="#555555")
    out = io.BytesIO()
    metadata = {"Date": None, "Creator": "concept-graph"} if fmt == "svg" else {"Software": "concept-graph"}
    fig.savefig(out, format=fmt, dpi=144, metadata=metadata)
    plt.close(fig)
    return out.getvalue()
