"""Static figures for slides: the graph, a section or a neighbourhood as SVG or PNG, 16:9.

matplotlib draws the nodes coloured by category, the edges coloured by relation type, and a legend
of both. The layout is seeded and the files carry no date, so a figure is the same on every build.
"""

from __future__ import annotations

import io

from .model import ConceptGraph

# Colour-blind-safe palettes (Okabe-Ito, then Tol's muted), assigned in the spec's order.
CATEGORY_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                    "#999999", "#000000", "#88CCEE"]
TYPE_COLOURS = ["#332288", "#117733", "#CC6677", "#88CCEE", "#999933", "#AA4499", "#44AA99", "#882255",
                "#DDCC77", "#661100", "#6699CC", "#888888", "#E69F00", "#0072B2", "#D55E00", "#009E73"]
FORMATS = ("svg", "png")
SIZE = (13.333, 7.5)  # inches: a 16:9 slide; at 144 dpi a 1920x1080 PNG


def subgraph(graph: ConceptGraph, *, focus: str | None = None, depth: int = 1,
             section: int | None = None) -> tuple[list[str], list[int]]:
    """The concept ids and relation indexes to draw for a focus and/or a section."""
    from .mentions import concept_sections
    from .network import neighbourhood

    concepts = [c.id for c in graph.concepts]
    relations = list(range(len(graph.relations)))
    if section is not None:
        relations = [i for i in relations if any(e.section == section for e in graph.relations[i].evidence)]
        in_section = concept_sections(graph)
        concepts = [c for c in concepts if section in in_section[c]
                    and any(c in (graph.relations[i].subject, graph.relations[i].object) for i in relations)]
    if focus is not None:
        near = neighbourhood(graph, focus, depth)
        concepts = [c for c in concepts if c in near]
        relations = [i for i in relations if graph.relations[i].subject in near and graph.relations[i].object in near]
    keep = set(concepts)
    relations = [i for i in relations if graph.relations[i].subject in keep and graph.relations[i].object in keep]
    return concepts, relations


def to_figure(graph: ConceptGraph, fmt: str = "svg", *, focus: str | None = None, depth: int = 1,
              section: int | None = None, title: str | None = None) -> bytes:
    """The figure's bytes in ``fmt`` (svg or png)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    concepts, relations = subgraph(graph, focus=focus, depth=depth, section=section)
    G = nx.MultiDiGraph()
    G.add_nodes_from(concepts)
    for i in relations:
        r = graph.relations[i]
        G.add_edge(r.subject, r.object, key=r.type, type=r.type)
    # Kamada-Kawai spreads a graph of this size evenly; seeded spring layout refines it.
    simple = nx.Graph(G.to_undirected())
    initial = nx.kamada_kawai_layout(simple) if len(simple) > 2 else None
    pos = nx.spring_layout(simple, pos=initial, seed=7, k=1.6 / max(len(simple), 1) ** 0.5, iterations=30)

    cat_colour = {c.id: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, c in enumerate(graph.categories)}
    type_colour = {t.id: TYPE_COLOURS[i % len(TYPE_COLOURS)] for i, t in enumerate(graph.relation_types)}
    plt.rcParams["svg.hashsalt"] = "concept-graph"
    fig, ax = plt.subplots(figsize=SIZE)
    fig.subplots_adjust(left=0.01, right=0.80, top=0.93, bottom=0.01)
    ax.set_axis_off()
    font = 9 if len(G) <= 40 else 7
    for u, v, data in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["type"])):
        nx.draw_networkx_edges(G, pos, edgelist=[(u, v)], ax=ax, edge_color=type_colour[data["type"]], width=1.2,
                               alpha=0.75, arrows=True, arrowsize=9, node_size=420,
                               connectionstyle="arc3,rad=0.08")
    nodes = sorted(G.nodes)
    nx.draw_networkx_nodes(G, pos, nodelist=nodes, ax=ax, node_size=420, linewidths=0.8, edgecolors="#333333",
                           node_color=[cat_colour[graph.concept(n).category] for n in nodes])
    for n in nodes:
        x, y = pos[n]
        ax.annotate(graph.concept(n).label, (x, y), xytext=(0, -9), textcoords="offset points", ha="center",
                    va="top", fontsize=font, color="#111111",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    used_cats = [c for c in graph.categories if any(graph.concept(n).category == c.id for n in nodes)]
    used_types = [t for t in graph.relation_types if any(d["type"] == t.id for _, _, d in G.edges(data=True))]
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=cat_colour[c.id],
                      markeredgecolor="#333333", label=c.label) for c in used_cats]
    handles += [Line2D([], [], color=type_colour[t.id], linewidth=2, label=t.label) for t in used_types]
    if handles:
        fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.805, 0.5), fontsize=9, frameon=False,
                   title="concepts / relations", title_fontsize=9)
    heading = title or graph.meta.title
    if section is not None:
        heading += f": section {section}, {graph.article.section(section).heading}"
    if focus is not None:
        heading += f": around '{graph.concept(focus).label}'" + (f" (depth {depth})" if depth != 1 else "")
    fig.suptitle(heading, fontsize=14, x=0.01, ha="left")
    out = io.BytesIO()
    metadata = {"Date": None, "Creator": "concept-graph"} if fmt == "svg" else {"Software": "concept-graph"}
    fig.savefig(out, format=fmt, dpi=144, metadata=metadata)
    plt.close(fig)
    return out.getvalue()
