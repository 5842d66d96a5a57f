"""Where each concept sits: the map of the whole graph, computed once at build time.

The page draws the map at once, with no physics in the browser, and the slide figures use the same
positions, so a figure matches the page beside it. The map is a stress layout (graph distances
become drawn distances), which keeps clusters together and spreads the whole graph evenly:

- per connected part, started from Pivot MDS (a handful of breadth-first searches, then a small
  SVD), then refined by stress majorization: on every pair of concepts for a part of up to
  ``DENSE_LIMIT`` concepts, on relations plus pivots above that (sparse stress), so a graph of
  10,000 concepts and 50,000 relations lays out in seconds, not the hours Kamada-Kawai would take;
- the parts packed in rows, largest first, into the shape of a projector's canvas.

Deterministic: the pivots are chosen by rule, the only randomness is a seeded jitter, and the
positions are rounded to whole layout units, so a rebuild writes the same bytes.

>>> pos = map_layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
>>> sorted(pos) == ["a", "b", "c"] and all(isinstance(v, int) for xy in pos.values() for v in xy)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

UNIT = 100  # layout units along one relation; the page's coordinates
ASPECT = 1.6  # width : height of the map, about the canvas beside the legend at 1280x720
DENSE_LIMIT = 600  # up to this many concepts a part is refined on every pair
PIVOTS = 40
SPARSE_PIVOTS = 30  # above DENSE_LIMIT: the pivots' terms are most of each step's cost
SPARSE_ITERATIONS = 60
SEED = 7


def graph_map(graph) -> dict[str, tuple[int, int]]:
    """The map of a :class:`~concept_graph.model.ConceptGraph`, computed once per graph and process.

    The page and the figures of one build share it (see :func:`remember_map`).
    """
    known = _MAPS.get(id(graph))
    if known is not None and known[0] is graph:
        return known[1]
    positions = map_layout([c.id for c in graph.concepts], [(r.subject, r.object) for r in graph.relations])
    remember_map(graph, positions)
    return positions


_MAPS: dict[int, tuple[object, dict[str, tuple[int, int]]]] = {}  # id(graph) -> (graph, its map)


def remember_map(graph, positions: dict[str, tuple[int, int]]) -> None:
    """Take ``positions`` as ``graph``'s map: laid out by another process of the same build, which
    sends it here rather than have each process lay the graph out. The last four graphs are kept
    (by identity: hashing a frozen graph of 10,000 concepts on every call would cost more than the
    lookup saves)."""
    _MAPS[id(graph)] = (graph, positions)
    while len(_MAPS) > 4:
        del _MAPS[next(iter(_MAPS))]


def _one_blas_thread():
    """The layout's matrix products are small (at most ``DENSE_LIMIT`` squared): OpenBLAS's
    threads cost more than they save there (measured on the article: 1.07 s of CPU for 0.87 s of
    page with them, 0.67 s for 0.67 s without), and a build runs its outputs in parallel
    processes already."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def map_layout(nodes: Sequence[str], edges: Iterable[tuple[str, str]], *, aspect: float = ASPECT,
               seed: int = SEED) -> dict[str, tuple[int, int]]:
    """Integer positions for ``nodes``, about ``UNIT`` apart along each edge (direction ignored)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = list(nodes)
    n = len(nodes)
    if not n:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a != b}
    rows = np.array([p[0] for p in pairs] + [p[1] for p in pairs], dtype=np.int64)
    cols = np.array([p[1] for p in pairs] + [p[0] for p in pairs], dtype=np.int64)
    adjacency = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    count, labels = connected_components(adjacency, directed=False)
    order = np.argsort(labels, kind="stable")
    members = np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1])
    # Largest part first; equal sizes in the order of their first concept, so the packing is stable.
    members.sort(key=lambda m: (-len(m), m[0]))
    rng = np.random.default_rng(seed)
    boxes = []
    with _one_blas_thread():
        for part in members:
            # A lone concept or a pair needs no layout (and slicing the matrix for each would cost
            # seconds when thousands of concepts stand alone).
            if len(part) <= 2:
                xy = np.array([[0.0, 0.0], [1.0, 0.0]][:len(part)])
            else:
                xy = _part_layout(adjacency[part][:, part], rng)
            boxes.append(xy - xy.min(axis=0))
    placed = _pack(boxes, aspect)
    out = np.zeros((n, 2))
    for part, xy in zip(members, placed, strict=True):
        out[part] = xy
    out = _stretch(out, aspect)
    out = np.rint(out * UNIT).astype(int)
    return {node: (int(out[i, 0]), int(out[i, 1])) for i, node in enumerate(nodes)}


STRETCH = 1.35  # at most this much wider (or taller) than the layout came out


def _stretch(xy, aspect):
    """A round layout drawn a little wider, towards the screen's shape: more room for labels.

    Distances along one axis change by at most ``STRETCH``, so the neighbourhoods stay as they were.
    """
    import numpy as np

    span = xy.max(axis=0) - xy.min(axis=0)
    if span.min() <= 0:
        return xy
    ratio = span[0] / span[1]
    factor = np.clip(aspect / ratio, 1 / STRETCH, STRETCH)
    return xy * np.array([factor, 1.0]) if factor >= 1 else xy * np.array([1.0, 1 / factor])


def _part_layout(adjacency, rng):
    """Positions of one connected part, in units of one relation."""
    n = adjacency.shape[0]
    adjacency = _edge_lengths(adjacency)
    pivots, distances = _pivots(adjacency, min(PIVOTS if n <= DENSE_LIMIT else SPARSE_PIVOTS, n))
    xy = _pivot_mds(distances, pivots)
    # Concepts with the same distances to every pivot (two leaves of one hub) start on one point
    # and stress cannot tell them apart: a small seeded jitter separates them.
    xy += rng.normal(scale=0.05, size=xy.shape)
    if n <= DENSE_LIMIT:
        from scipy.sparse.csgraph import shortest_path

        xy = _stress_dense(shortest_path(adjacency, directed=False), xy)
    else:
        xy = _stress_sparse(adjacency, pivots, distances, xy)
    return _orient(_spread(xy))


LENGTH_POWER = 0.7


def _edge_lengths(adjacency):
    """Each relation as long as its two concepts' neighbourhoods differ (cola's symmetric difference).

    A hub's many neighbours then sit on a wide ring instead of a crowded one, and concepts that
    share their neighbours stay close.
    """
    import numpy as np

    binary = (adjacency > 0).astype(float).tocsr()
    degree = np.asarray(binary.sum(axis=1)).ravel()
    common = (binary @ binary).multiply(binary).tocoo()
    coo = binary.tocoo()
    shared = dict(zip(zip(common.row.tolist(), common.col.tolist(), strict=True), common.data.tolist(), strict=True))
    sym = np.array([degree[i] + degree[j] - 2 * shared.get((i, j), 0.0) for i, j in zip(coo.row, coo.col, strict=True)])
    length = np.maximum(sym, 1.0) ** LENGTH_POWER
    from scipy.sparse import coo_matrix

    return coo_matrix((length, (coo.row, coo.col)), shape=binary.shape).tocsr()


def _pivots(adjacency, k):
    """``k`` pivots by max-min distance, from the best-connected concept; their BFS distances (k x n)."""
    import numpy as np
    from scipy.sparse.csgraph import shortest_path

    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    pivots = [int(np.argmax(degree))]
    rows = [shortest_path(adjacency, directed=False, indices=pivots[0])]
    nearest = rows[0].copy()
    for _ in range(1, k):
        nxt = int(np.argmax(nearest))
        if nearest[nxt] == 0:
            break
        pivots.append(nxt)
        rows.append(shortest_path(adjacency, directed=False, indices=nxt))
        nearest = np.minimum(nearest, rows[-1])
    return np.array(pivots), np.vstack(rows)


def _pivot_mds(distances, pivots):
    """Pivot MDS (Brandes and Pich, 2006): classical scaling from the distances to a few pivots."""
    import numpy as np

    squared = distances.T ** 2  # n x k
    centred = -0.5 * (squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True) + squared.mean())
    # The top right singular vectors from the small k x k matrix, then projected: an SVD of the
    # n x k matrix itself gives the same and costs far more.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    xy = centred @ vectors[:, ::-1][:, :2]
    if xy.shape[1] < 2:
        xy = np.hstack([xy, np.zeros((xy.shape[0], 1))])
    return xy


def _scale_to_edges(xy, adjacency):
    import numpy as np

    coo = adjacency.tocoo()
    lengths = np.linalg.norm(xy[coo.row] - xy[coo.col], axis=1)
    mean = lengths.mean() if len(lengths) else 1.0
    return xy * (coo.data.mean() / mean) if mean > 0 else xy


def _stress_dense(dist, xy, iterations: int = 120):
    """Stress majorization on every pair, weights 1/d^2 (Gansner, Koren and North, 2004)."""
    import numpy as np

    d = dist.copy()
    np.fill_diagonal(d, 1.0)
    w = 1.0 / d ** 2
    np.fill_diagonal(w, 0.0)
    np.fill_diagonal(d, 0.0)
    wsum = w.sum(axis=1, keepdims=True)
    wd = w * d
    xy = _fit_scale(xy, dist)
    for _ in range(iterations):
        diff = xy[:, None, :] - xy[None, :, :]
        length = np.sqrt((diff ** 2).sum(axis=2))
        np.fill_diagonal(length, 1.0)
        m = wd / np.maximum(length, 1e-9)
        new = (w @ xy + xy * m.sum(axis=1, keepdims=True) - m @ xy) / wsum
        if np.abs(new - xy).max() < 1e-3:
            xy = new
            break
        xy = new
    return xy


def _fit_scale(xy, dist):
    """The scale of ``xy`` that best matches the graph distances (least squares)."""
    import numpy as np

    diff = xy[:, None, :] - xy[None, :, :]
    length = np.sqrt((diff ** 2).sum(axis=2))
    mask = dist > 0
    denominator = (length[mask] ** 2).sum()
    return xy * ((length[mask] * dist[mask]).sum() / denominator) if denominator > 0 else xy


def _stress_sparse(adjacency, pivots, distances, xy, iterations: int = SPARSE_ITERATIONS):
    """Sparse stress (Ortmann, Klimenta and Brandes, 2016): relations plus each concept's pivots.

    A pivot stands for the concepts nearest to it, so its term weighs as many of them. The terms
    live in one sparse matrix, so each step is two sparse products.
    """
    import numpy as np
    from scipy.sparse import coo_matrix

    n = adjacency.shape[0]
    coo = adjacency.tocoo()
    region = np.bincount(np.argmin(distances, axis=0), minlength=len(pivots))
    k = len(pivots)
    pi, pj, pd = np.repeat(np.arange(n), k), np.tile(pivots, n), distances.T.ravel()
    keep = (pi != pj) & np.isfinite(pd)
    pi, pj, pd = pi[keep], pj[keep], pd[keep]
    rows, cols = np.concatenate([coo.row, pi]), np.concatenate([coo.col, pj])
    d = np.concatenate([coo.data, pd])
    w = np.concatenate([1.0 / coo.data ** 2, np.tile(region, n)[keep] / pd ** 2])
    # A pair that is both a relation and a concept-pivot pair has two terms: summed, as stress adds.
    weights = coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr()
    weighted = coo_matrix((w * d, (rows, cols)), shape=(n, n)).tocsr()
    weights.sum_duplicates()
    weighted.sum_duplicates()
    row_of = np.repeat(np.arange(n), np.diff(weights.indptr))
    col_of = weights.indices
    wsum = np.asarray(weights.sum(axis=1)).ravel()[:, None]
    pull = weights.copy()
    xy = _scale_to_edges(xy, adjacency)
    for _ in range(iterations):
        diff = xy[row_of] - xy[col_of]
        pull.data = weighted.data / np.maximum(np.sqrt(np.einsum("ij,ij->i", diff, diff)), 1e-9)
        new = (weights @ xy + xy * np.asarray(pull.sum(axis=1)) - pull @ xy) / wsum
        moved = np.abs(new - xy).max()
        xy = new
        if moved < 1e-3:
            break
    return xy


SPREAD = 0.4  # relations' lengths: no two concepts closer than this


def _spread(xy, rounds: int = 60):
    """Push apart concepts closer than ``SPREAD``: the leaves of a hub, which stress leaves on one spot
    when nothing but the hub and the pivots tells them apart (sparse stress has no leaf-to-leaf terms).
    """
    import numpy as np
    from scipy.spatial import cKDTree

    n = len(xy)
    turn = GOLDEN * np.arange(n)
    away = np.stack([np.cos(turn), np.sin(turn)], axis=1)  # a fixed way out for concepts on one point
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(SPREAD * 0.999, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        d = xy[j] - xy[i]
        dist = np.sqrt((d ** 2).sum(axis=1))
        same = dist < 1e-9
        d[same] = away[j[same]] - away[i[same]]
        dist[same] = np.sqrt((d[same] ** 2).sum(axis=1))
        push = d / dist[:, None] * ((SPREAD - np.where(same, 0.0, dist)) / 2)[:, None]
        move = np.zeros_like(xy)
        np.add.at(move, j, push)
        np.subtract.at(move, i, push)
        count = np.bincount(np.concatenate([i, j]), minlength=n)[:, None]
        xy = xy + move / np.maximum(count, 1) * 1.5
    return xy


def _orient(xy):
    """The principal axis horizontal, so a part is wide like a screen; signs fixed by rule."""
    import numpy as np

    xy = xy - xy.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(xy.T))
    xy = xy @ vectors[:, ::-1]
    for axis in range(2):
        # The side with the farther outlier goes right (down): a sign an eigensolver cannot flip.
        if abs(xy[:, axis].min()) > abs(xy[:, axis].max()):
            xy[:, axis] = -xy[:, axis]
    return xy


def _pack(boxes, aspect):
    """Shelf packing, largest part first: rows about ``aspect`` times as wide as the whole is high."""
    import numpy as np

    gap = 1.0
    sizes = [b.max(axis=0) if len(b) else np.zeros(2) for b in boxes]
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    row_width = max(max(w for w, _ in sizes), np.sqrt(area * aspect))
    placed, x, y, row_height = [], 0.0, 0.0, 0.0
    for box, (w, h) in zip(boxes, sizes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        placed.append(box + np.array([x, y]))
        x += w + gap
        row_height = max(row_height, h)
    return placed


GOLDEN = 2.399963229728653  # radians: the golden angle, so nudges never line up
RELAX_LIMIT = 400  # a part of more concepts keeps its map positions: the map is already even
RELAX_ITERATIONS = 60
MARGIN = 24


def relax(ids: Sequence[str], start: dict[str, tuple[float, float]], edges: Iterable[tuple[str, str]],
          width: float, height: float, boxes: dict[str, tuple[float, float, float]]) -> dict[str, tuple[float, float]]:
    """Positions for a part of the graph (a section, a neighbourhood), filling a ``width`` x ``height`` view.

    The part starts where the map (or the previous view) put it, scaled to fill the view, then a
    short, bounded force layout (Fruchterman and Reingold, 1991) with a pull back to that start
    gathers related concepts and evens out the crowding, and a last pass pushes apart concepts
    whose labels would cover each other. ``boxes`` gives each concept's radius and its label's
    width and height, in the view's pixels; the label sits centred below its concept.

    The page runs the same steps in JavaScript (``data/layout.js``) for the views it shows.

    >>> out = relax(["a", "b"], {"a": (0, 0), "b": (0, 0)}, [("a", "b")], 400, 300,
    ...             {"a": (8, 60, 18), "b": (8, 60, 18)})
    >>> out["a"] != out["b"]
    True
    """
    import numpy as np

    ids = list(ids)
    n = len(ids)
    if not n:
        return {}
    p = np.array([start[i] for i in ids], dtype=float)
    low, high = p.min(axis=0), p.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    inner = np.array([max(width - 2 * MARGIN, 1.0), max(height - 2 * MARGIN, 1.0)])
    scale = min(inner[0] / span[0], inner[1] / span[1]) if (high - low).max() > 0 else 0.0
    p = (p - (low + high) / 2) * scale + np.array([width, height]) / 2
    # Concepts that start on one point get a small nudge apart, the same for every run.
    turn = GOLDEN * np.arange(n)
    p += 0.5 * np.stack([np.cos(turn), np.sin(turn)], axis=1)
    box = np.array([boxes[i] for i in ids], dtype=float)
    if n > RELAX_LIMIT:
        return {i: (round(float(x), 1), round(float(y), 1)) for i, (x, y) in zip(ids, p, strict=True)}
    index = {i: k for k, i in enumerate(ids)}
    pairs = np.array(sorted({(index[a], index[b]) for a, b in edges if a in index and b in index and a != b}),
                     dtype=int).reshape(-1, 2)
    # Each concept stays far enough inside the view for its label to show whole.
    lo = np.stack([np.maximum(box[:, 1] / 2, box[:, 0]) + 4, box[:, 0] + 4], axis=1)
    hi = np.maximum(np.stack([width - lo[:, 0], height - box[:, 0] - box[:, 2] - 4], axis=1), lo)
    # Labels are wide and short: the forces work in a space squeezed sideways by the labels' mean
    # shape, so concepts spread out more across than down.
    shape = np.array([np.clip(np.mean(np.maximum(box[:, 1], 2 * box[:, 0])) /
                              np.mean(2 * box[:, 0] + box[:, 2]), 1.0, 4.0), 1.0])
    q, low_q, high_q, room = p / shape, lo / shape, hi / shape, inner / shape
    anchor = q.copy()
    k = 0.9 * np.sqrt(room[0] * room[1] / n)
    for step in range(RELAX_ITERATIONS):
        heat = 0.1 * min(room) * (1 - step / RELAX_ITERATIONS)
        delta = q[:, None, :] - q[None, :, :]
        dist = np.maximum(np.sqrt((delta ** 2).sum(axis=2)), 0.01)
        push = (delta * (k * k / dist / dist)[:, :, None]).sum(axis=1)
        if len(pairs):
            d = q[pairs[:, 0]] - q[pairs[:, 1]]
            length = np.maximum(np.sqrt((d ** 2).sum(axis=1)), 0.01)
            pull = d * (length / k)[:, None]
            np.subtract.at(push, pairs[:, 0], pull)
            np.add.at(push, pairs[:, 1], pull)
        push += ANCHOR * (anchor - q)
        size = np.maximum(np.sqrt((push ** 2).sum(axis=1)), 1e-9)
        q = np.clip(q + push * (np.minimum(size, heat) / size)[:, None], low_q, high_q)
    p = _separate(q * shape, box, lo, hi)
    return {i: (round(float(x), 1), round(float(y), 1)) for i, (x, y) in zip(ids, p, strict=True)}


ANCHOR = 0.5
SEPARATE_PASSES = 60


def _separate(p, box, lo, hi, passes: int = SEPARATE_PASSES):
    """Push apart concepts whose disc-and-label boxes overlap, along the shorter overlap.

    Each pass finds the overlapping pairs, then settles them one by one in order (a pair that an
    earlier move already parted is skipped); pairs that a move makes overlap wait for the next pass.
    """
    import numpy as np

    radius, width, height = box[:, 0], box[:, 1], box[:, 2]
    half_w = np.maximum(radius, width / 2) + 2
    top, bottom = radius + 1, radius + height + 1  # the label hangs below the concept

    def overlap(i, j):
        ox = half_w[i] + half_w[j] - abs(p[i, 0] - p[j, 0])
        oy = (p[i, 1] + bottom[i]) - (p[j, 1] - top[j]) if p[i, 1] <= p[j, 1] else \
             (p[j, 1] + bottom[j]) - (p[i, 1] - top[i])
        return ox, oy

    for _ in range(passes):
        ox = half_w[:, None] + half_w[None, :] - np.abs(p[:, None, 0] - p[None, :, 0])
        above = p[:, None, 1] <= p[None, :, 1]
        oy = np.where(above, (p[:, None, 1] + bottom[:, None]) - (p[None, :, 1] - top[None, :]),
                      (p[None, :, 1] + bottom[None, :]) - (p[:, None, 1] - top[:, None]))
        ii, jj = np.nonzero(np.triu((ox > 0) & (oy > 0), 1))
        if not len(ii):
            break
        for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
            dx, dy = overlap(i, j)
            if dx <= 0 or dy <= 0:
                continue
            axis = 0 if dx < dy else 1
            shift = (dx if axis == 0 else dy) / 2 + 0.5
            sign = 1.0 if p[i, axis] >= p[j, axis] else -1.0
            p[i, axis] += sign * shift
            p[j, axis] -= sign * shift
        np.clip(p, lo, hi, out=p)
    return p


def parallel_bends(graph) -> list[float]:
    """How much to bend each relation that shares its pair of concepts with another, so none hides another.

    vis-network draws parallel straight edges on top of each other; bending them by different
    amounts, clockwise relative to one fixed direction of the pair, fans them out. The sign is
    the direction (positive: clockwise), the size vis-network's roundness.
    """
    from collections import defaultdict

    by_pair = defaultdict(list)
    for i, r in enumerate(graph.relations):
        by_pair[tuple(sorted((r.subject, r.object)))].append(i)
    bends = [0.0] * len(graph.relations)
    for (first, _), indices in by_pair.items():
        if len(indices) < 2:
            continue
        for k, i in enumerate(indices):
            bend = 0.25 * (k - (len(indices) - 1) / 2)
            bends[i] = round(bend if graph.relations[i].subject == first else -bend, 3)
    return bends
